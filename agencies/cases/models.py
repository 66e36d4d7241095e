"""Case files: an agency's record of a control and what followed, shareable as a joint case.

Who may see a case is carried by django-guardian object permissions granted to the group of
each agency (see `access.py`): the owning agency's group gets them when the case opens, a
partner agency's group when a supervisor approves the share, and loses them when it is undone.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseFile(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("open")
        INVESTIGATION = "investigation", _("under investigation")
        PROSECUTION = "prosecution", _("referred to prosecution")
        CLOSED = "closed", _("closed")

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="cases", verbose_name=_("agency")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    # "<agency code>-<year>-<sequence>", e.g. TG-CUS-2026-0007: unique across the installation.
    number = models.CharField(_("case number"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True, max_length=4000)
    state = models.CharField(_("state"), max_length=14, choices=State.choices, default=State.OPEN)
    outcome = models.CharField(_("outcome"), max_length=300, blank=True)
    flights = models.ManyToManyField(
        "manifests.Flight", blank=True, related_name="cases", verbose_name=_("flights")
    )
    # The positive control the case was opened from, when it was.
    source_decision = models.ForeignKey(
        "triage.Decision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    # Seizures and persons of the case count for the operation (agencies.operations).
    joint_operation = models.ForeignKey(
        "operations.JointOperation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
        verbose_name=_("joint operation"),
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("case file")
        verbose_name_plural = _("case files")
        permissions = [("contribute_casefile", "Can add entries and attachments to the case")]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "sequence"], name="case_number_per_agency_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class CaseCounter(models.Model):
    """The last case number given per agency and year, locked while the next one is taken."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="case_counter_per_agency_year")
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.year}: {self.last}"


class Sex(models.TextChoices):
    FEMALE = "F", _("female")
    MALE = "M", _("male")
    UNSPECIFIED = "X", _("unspecified")


class CaseSubject(models.Model):
    """A person of the case: a traveller of our data, or someone entered by hand."""

    class Role(models.TextChoices):
        SUSPECT = "suspect", _("suspect")
        COURIER = "courier", _("courier")
        VICTIM = "victim", _("victim")
        WITNESS = "witness", _("witness")
        OTHER = "other", _("other")

    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="subjects")
    traveller = models.ForeignKey(
        "manifests.Traveller",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_subjects",
    )
    surname = models.CharField(_("surname"), max_length=120)
    given_names = models.CharField(_("given names"), max_length=160, blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    nationality = models.CharField(
        _("nationality"),
        max_length=3,
        blank=True,
        validators=[RegexValidator(r"^[A-Z]{3}$", _("Use the ISO 3166 alpha-3 code (TGO)."))],
    )
    document_number = models.CharField(_("document number"), max_length=40, blank=True)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.SUSPECT)
    # The persons results of AIRCOP count these (design.md, results).
    is_arrested = models.BooleanField(_("arrested"), default=False)
    is_trafficking_victim = models.BooleanField(
        _("victim of trafficking identified"), default=False
    )
    is_foreign_terrorist_fighter = models.BooleanField(
        _("foreign terrorist fighter intercepted"), default=False
    )
    added_at = models.DateTimeField(auto_now_add=True)

    PERSONAL_DATA_FIELDS = ("surname", "given_names", "birth_date", "document_number")

    class Meta:
        ordering = ["pk"]
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")

    def __str__(self) -> str:
        return f"{self.surname}, {self.given_names}".strip(", ")


class CaseEntry(models.Model):
    """One line of the case's timeline; entries are added, never edited."""

    class Kind(models.TextChoices):
        NOTE = "note", _("note")
        ACTION = "action", _("action")
        DECISION = "decision", _("decision")
        SEIZURE = "seizure", _("seizure")
        ATTACHMENT = "attachment", _("attachment")
        SHARING = "sharing", _("sharing")
        REVIEW = "review", _("review")
        STATE = "state", _("state")

    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NOTE)
    text = models.TextField(_("text"), max_length=4000)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The author's agency when writing: a joint case shows whose entry each one is.
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


def attachment_path(instance: Attachment, filename: str) -> str:
    # The stored name is ours, never the uploader's: no path tricks, no guessable names.
    return f"cases/{instance.case_id}/{instance.sha256[:16]}-{instance.token}"


class Attachment(models.Model):
    """A photo or scanned document, stored outside the web root and served through the case."""

    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    token = models.CharField(max_length=32, editable=False)
    name = models.CharField(_("file name"), max_length=200)
    description = models.CharField(_("description"), max_length=300, blank=True)
    content_type = models.CharField(_("type"), max_length=60)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class Commodity(models.TextChoices):
    """What AIRCOP task forces report seizures of."""

    COCAINE = "cocaine", _("cocaine")
    CANNABIS = "cannabis", _("cannabis")
    METHAMPHETAMINE = "methamphetamine", _("methamphetamine")
    HEROIN = "heroin", _("heroin")
    ATS = "ats", _("amphetamine-type stimulants")
    MEDICINES = "medicines", _("counterfeit or illicit medicines")
    PRECURSORS = "precursors", _("precursor chemicals")
    TOBACCO = "tobacco", _("tobacco")
    CURRENCY = "currency", _("undeclared currency")
    IVORY = "ivory", _("ivory")
    PANGOLIN = "pangolin", _("pangolin scales")
    WILDLIFE = "wildlife", _("other wildlife")
    OTHER = "other", _("other")


class Unit(models.TextChoices):
    KG = "kg", _("kg")
    G = "g", _("g")
    UNITS = "units", _("units")
    TABLETS = "tablets", _("tablets")
    AMOUNT = "amount", _("amount of money")


class Concealment(models.TextChoices):
    BODY = "body", _("body carried")
    INGESTED = "ingested", _("ingested")
    LUGGAGE = "luggage", _("checked luggage")
    CABIN = "cabin", _("cabin baggage")
    CLOTHING = "clothing", _("clothing or shoes")
    CARGO = "cargo", _("cargo")
    MAIL = "mail", _("mail or courier parcel")
    OTHER = "other", _("other")


class Seizure(models.Model):
    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="seizures")
    commodity = models.CharField(_("commodity"), max_length=16, choices=Commodity.choices)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=14,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001"))],
    )
    unit = models.CharField(_("unit"), max_length=8, choices=Unit.choices)
    # ISO 4217, for an amount of money.
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    concealment = models.CharField(
        _("concealment"), max_length=10, choices=Concealment.choices, blank=True
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    seized_on = models.DateField(_("seized on"))
    flight = models.ForeignKey(
        "manifests.Flight",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="seizures",
        verbose_name=_("flight"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["seized_on", "pk"]
        verbose_name = _("seizure")
        verbose_name_plural = _("seizures")

    def __str__(self) -> str:
        amount = f"{self.quantity.normalize():f}"
        unit = self.currency if self.unit == Unit.AMOUNT else self.unit
        return f"{self.get_commodity_display()} {amount} {unit}"


class CaseShare(models.Model):
    """A partner agency's access to a case: requested, approved by a supervisor, undone."""

    class State(models.TextChoices):
        PENDING = "pending", _("awaiting approval")
        ACTIVE = "active", _("shared")
        SENT_BACK = "sent_back", _("sent back")
        REVOKED = "revoked", _("unshared")

    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="shares")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    reason = models.CharField(_("why"), max_length=300)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "agency"],
                condition=models.Q(state__in=["pending", "active"]),
                name="one_live_share_per_agency",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case.number} → {self.agency.code} ({self.state})"


class Review(models.Model):
    """Something of a case that waits for a supervisor of the owning agency."""

    class Kind(models.TextChoices):
        SHARE = "share", _("share with an agency")
        STATE = "state", _("change of state")

    class State(models.TextChoices):
        PENDING = "pending", _("awaiting approval")
        APPROVED = "approved", _("approved")
        SENT_BACK = "sent_back", _("sent back")

    case = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(max_length=6, choices=Kind.choices)
    share = models.OneToOneField(
        CaseShare, on_delete=models.CASCADE, null=True, blank=True, related_name="review"
    )
    # For a change of state: where the case should go, and with which outcome.
    proposed_state = models.CharField(max_length=14, choices=CaseFile.State.choices, blank=True)
    proposed_outcome = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]

    def __str__(self) -> str:
        return f"{self.case.number}: {self.get_kind_display()} ({self.state})"
