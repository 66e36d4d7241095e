"""Watchlists (the knowns), risk rules (the unknowns), and the hits screening finds."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from liaison.models import Handling

PARTIAL_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


def validate_partial_date(value: str) -> None:
    """A birth date as lists hold it: YYYY, YYYY-MM or YYYY-MM-DD."""
    if value and not PARTIAL_DATE.match(value):
        raise ValidationError(
            _("'%(value)s' is not a date as YYYY, YYYY-MM or YYYY-MM-DD."), params={"value": value}
        )


class Category(models.TextChoices):
    DRUGS = "drugs", _("drugs")
    TERRORISM = "terrorism", _("terrorism / foreign terrorist fighters")
    WILDLIFE = "wildlife", _("wildlife")
    TRAFFICKING = "trafficking", _("trafficking in persons")
    SMUGGLING = "smuggling", _("migrant smuggling")
    CURRENCY = "currency", _("currency")
    COUNTERFEIT = "counterfeit", _("counterfeit goods and medicines")
    DOCUMENTS = "documents", _("stolen or lost travel documents")
    OTHER = "other", _("other")


class Visibility(models.TextChoices):
    AGENCY = "agency", _("my agency")
    TASK_FORCE = "task_force", _("my task force")
    NETWORK = "network", _("the network (every task force)")


class Watchlist(models.Model):
    class Kind(models.TextChoices):
        PERSONS = "persons", _("persons")
        DOCUMENTS = "documents", _("documents")

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="watchlists"
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PERSONS)
    visibility = models.CharField(
        _("visible to"), max_length=12, choices=Visibility.choices, default=Visibility.AGENCY
    )
    # Name matches scoring below this are not hits (documents match exactly).
    threshold = models.PositiveSmallIntegerField(
        _("match threshold"), default=80, validators=[MinValueValidator(50), MaxValueValidator(100)]
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped on every change to the list or its entries: screening caches key on it.
    revision = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["agency__code", "name"]
        verbose_name = _("watchlist")
        verbose_name_plural = _("watchlists")
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="watchlist_name_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.agency.code} · {self.name}"


class WatchlistEntry(models.Model):
    watchlist = models.ForeignKey(Watchlist, on_delete=models.CASCADE, related_name="entries")
    full_name = models.CharField(_("name"), max_length=200, blank=True)
    surname = models.CharField(_("surname"), max_length=120, blank=True)
    given_names = models.CharField(_("given names"), max_length=160, blank=True)
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    birth_date = models.CharField(
        _("birth date"), max_length=10, blank=True, validators=[validate_partial_date]
    )
    nationality = models.CharField(_("nationality"), max_length=3, blank=True)
    document_type = models.CharField(_("document type"), max_length=3, blank=True)
    document_number = models.CharField(_("document number"), max_length=40, blank=True)
    issuing_state = models.CharField(_("issuing state"), max_length=3, blank=True)
    category = models.CharField(
        _("category"), max_length=12, choices=Category.choices, default=Category.OTHER
    )
    action = models.CharField(_("action to take"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=120, blank=True)
    source_reference = models.CharField(_("source reference"), max_length=120, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    notes = models.JSONField(_("notes"), default=dict, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    PERSONAL_DATA_FIELDS = (
        "full_name",
        "surname",
        "given_names",
        "aliases",
        "birth_date",
        "document_number",
    )

    class Meta:
        ordering = ["watchlist", "surname", "full_name"]
        verbose_name = _("watchlist entry")
        verbose_name_plural = _("watchlist entries")

    def __str__(self) -> str:
        return self.display_name or self.document_number

    @property
    def display_name(self) -> str:
        return self.full_name or " ".join(p for p in (self.surname, self.given_names) if p)


class Rule(models.Model):
    """A risk rule; its conditions live in versions, so a hit names the version that made it."""

    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="rules")
    name = models.CharField(_("name"), max_length=120)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    current_version = models.ForeignKey(
        "RuleVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["agency__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "name"], name="rule_name_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.agency.code} · {self.name}"


class RuleVersion(models.Model):
    rule = models.ForeignKey(Rule, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    condition = models.JSONField(_("conditions"))
    weight = models.PositiveSmallIntegerField(
        _("weight"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    category = models.CharField(_("category"), max_length=12, choices=Category.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reason = models.CharField(_("why"), max_length=300)

    class Meta:
        ordering = ["rule", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["rule", "number"], name="rule_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.rule.name} v{self.number}"


class Hit(models.Model):
    """A reason to look at a traveller: a watchlist match, a rule that fired, or an alert a
    counterpart sent about them (liaison)."""

    class Source(models.TextChoices):
        WATCHLIST = "watchlist", _("watchlist")
        RULE = "rule", _("risk rule")
        LIAISON = "liaison", _("liaison alert")

    traveller = models.ForeignKey(
        "manifests.Traveller", on_delete=models.CASCADE, related_name="hits"
    )
    source = models.CharField(max_length=10, choices=Source.choices)
    watchlist = models.ForeignKey(
        Watchlist, on_delete=models.CASCADE, null=True, blank=True, related_name="hits"
    )
    entry = models.ForeignKey(
        WatchlistEntry, on_delete=models.CASCADE, null=True, blank=True, related_name="hits"
    )
    rule = models.ForeignKey(
        Rule, on_delete=models.CASCADE, null=True, blank=True, related_name="hits"
    )
    rule_version = models.ForeignKey(
        RuleVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="hits"
    )
    exchange = models.ForeignKey(
        "liaison.Exchange", on_delete=models.CASCADE, null=True, blank=True, related_name="hits"
    )
    # A liaison hit's TLP code, copied from its exchange: who may see the hit follows from it.
    handling = models.CharField(
        _("handling code"), max_length=12, choices=Handling.choices, blank=True
    )
    # The agency whose list or rule produced the hit: who may see it follows from it.
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField()
    category = models.CharField(max_length=12, choices=Category.choices)
    explanation = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    # Indexed: the triage queue asks for the latest change to know when to re-draw.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["traveller", "entry"],
                condition=models.Q(entry__isnull=False),
                name="one_hit_per_entry",
            ),
            models.UniqueConstraint(
                fields=["traveller", "rule"],
                condition=models.Q(rule__isnull=False),
                name="one_hit_per_rule",
            ),
            models.UniqueConstraint(
                fields=["traveller", "exchange"],
                condition=models.Q(exchange__isnull=False),
                name="one_hit_per_exchange",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.score} {self.explanation[:60]}"

    @property
    def handling_tag(self) -> str:
        """The code as TLP 2.0 writes it (TLP:AMBER+STRICT); empty for lists and rules."""
        return f"TLP:{self.handling.upper().replace('_', '+')}" if self.handling else ""
