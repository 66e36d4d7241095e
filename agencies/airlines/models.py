"""The airlines serving a task force's airport: relationship, agreed modalities, contacts,
the documents of the agreement, and the data-quality feedback sent to them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

airline_code = RegexValidator(
    r"^[A-Z0-9]{2,3}$", _("An IATA airline designator is 2 or 3 characters.")
)


class Airline(models.Model):
    class State(models.TextChoices):
        NOT_CONTACTED = "not_contacted", _("not contacted")
        IN_CONSULTATION = "in_consultation", _("in consultation")
        AGREEMENT_SIGNED = "agreement_signed", _("agreement signed")
        SENDING_API = "sending_api", _("sending API")
        SENDING_PNR = "sending_pnr", _("sending PNR")

    class Channel(models.TextChoices):
        API_PUSH = "api_push", _("API push")
        PNRGOV_PUSH = "pnrgov_push", _("PNRGOV push")
        UPLOAD = "upload", _("upload")
        EMAIL = "email", _("e-mail")

    task_force = models.ForeignKey(
        "agencies.TaskForce", on_delete=models.PROTECT, related_name="airlines"
    )
    # Empty while the airline does not push data to us yet.
    provider = models.ForeignKey(
        "agencies.DataProvider",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="airline_relations",
        verbose_name=_("data provider"),
    )
    code = models.CharField(_("IATA code"), max_length=3, validators=[airline_code])
    name = models.CharField(_("name"), max_length=160)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.NOT_CONTACTED
    )
    inbound = models.BooleanField(_("inbound"), default=True)
    outbound = models.BooleanField(_("outbound"), default=False)
    sends_api = models.BooleanField(_("API data"), default=False)
    sends_pnr = models.BooleanField(_("PNR data"), default=False)
    channels = models.JSONField(_("channels"), default=list, blank=True)
    api_hours_before = models.PositiveSmallIntegerField(
        _("API: hours before departure"), null=True, blank=True
    )
    pnr_hours_before = models.PositiveSmallIntegerField(
        _("PNR: hours before departure"), null=True, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("airline")
        verbose_name_plural = _("airlines")
        constraints = [
            models.UniqueConstraint(fields=["task_force", "code"], name="airline_once_per_tf")
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @property
    def sender_code(self) -> str:
        """The code its messages come under: the provider's, else its own."""
        return self.provider.code if self.provider_id and self.provider else self.code

    def channel_labels(self) -> list[str]:
        labels = dict(self.Channel.choices)
        return [str(labels.get(c, c)) for c in self.channels]


class AirlineContact(models.Model):
    airline = models.ForeignKey(Airline, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=160)
    role = models.CharField(_("role"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    PERSONAL_DATA_FIELDS = ("name", "email", "phone")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.role})" if self.role else self.name


def document_path(instance: AgreementDocument, filename: str) -> str:
    # Our name, never the uploader's.
    return f"airlines/{instance.airline_id}/{instance.sha256[:16]}-{instance.token}"


class AgreementDocument(models.Model):
    """A PDF of the agreement, stored outside the web root, served to the task force only."""

    airline = models.ForeignKey(Airline, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=document_path, max_length=200)
    token = models.CharField(max_length=32, editable=False)
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.name


class FeedbackSending(models.Model):
    """A data-quality report queued for mailing to an airline's contact."""

    airline = models.ForeignKey(Airline, on_delete=models.CASCADE, related_name="feedback")
    contact = models.ForeignKey(AirlineContact, on_delete=models.PROTECT, related_name="+")
    start = models.DateField()
    end = models.DateField()
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.airline.code} {self.start}..{self.end} → {self.contact.name}"
