from __future__ import annotations

import zoneinfo
from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey

iata_airport_code = RegexValidator(r"^[A-Z]{3}$", _("An IATA airport code is three letters."))
icao_airport_code = RegexValidator(r"^[A-Z]{4}$", _("An ICAO airport code is four letters."))
iso_country_code = RegexValidator(
    r"^[A-Z]{3}$", _("Use the ISO 3166 alpha-3 country code, as in travel documents (ICAO 9303).")
)
entity_code = RegexValidator(
    r"^[A-Z0-9][A-Z0-9-]{1,19}$",
    _("A code is 2 to 20 capital letters, digits or hyphens."),
)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("'%(zone)s' is not an IANA time zone."), params={"zone": value})


class Airport(models.Model):
    iata_code = models.CharField(
        _("IATA code"), max_length=3, unique=True, validators=[iata_airport_code]
    )
    icao_code = models.CharField(
        _("ICAO code"),
        max_length=4,
        unique=True,
        null=True,
        blank=True,
        validators=[icao_airport_code],
    )
    name = models.CharField(_("name"), max_length=120)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = models.CharField(_("country"), max_length=3, validators=[iso_country_code])
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)

    class Meta:
        ordering = ["iata_code"]
        verbose_name = _("airport")
        verbose_name_plural = _("airports")

    def __str__(self) -> str:
        return f"{self.iata_code} {self.name}"


class TaskForce(models.Model):
    """A Joint Airport Interdiction Task Force (JAITF)."""

    class Status(models.TextChoices):
        OPERATIONAL = "operational", _("operational")
        ESTABLISHED = "established", _("established")
        UNDER_ESTABLISHMENT = "under_establishment", _("under establishment")
        ASSOCIATE = "associate", _("associate country")
        POTENTIAL = "potential", _("potential extension")

    # A task force is declared operational only with at least this many agencies (design.md).
    MIN_AGENCIES_TO_OPERATE = 2

    name = models.CharField(_("name"), max_length=160)
    code = models.CharField(_("code"), max_length=20, unique=True, validators=[entity_code])
    country = models.CharField(_("country"), max_length=3, validators=[iso_country_code])
    airports = models.ManyToManyField(
        Airport, related_name="task_forces", verbose_name=_("home airports")
    )
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.UNDER_ESTABLISHMENT
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("task force")
        verbose_name_plural = _("task forces")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"

    @cached_property
    def time_zone(self) -> str:
        """The zone times are shown in: the first home airport's, or UTC."""
        airport = self.airports.order_by("iata_code").first()
        return airport.time_zone if airport else "UTC"


class Agency(models.Model):
    class Kind(models.TextChoices):
        POLICE = "police", _("police")
        CUSTOMS = "customs", _("customs")
        IMMIGRATION = "immigration", _("immigration")
        INTELLIGENCE = "intelligence", _("intelligence")
        GENDARMERIE = "gendarmerie", _("gendarmerie")
        K9 = "k9", _("K9 unit")
        OTHER = "other", _("other")

    task_force = models.ForeignKey(
        TaskForce, on_delete=models.PROTECT, related_name="agencies", verbose_name=_("task force")
    )
    name = models.CharField(_("name"), max_length=160)
    code = models.CharField(_("code"), max_length=20, unique=True, validators=[entity_code])
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["task_force__code", "code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(
                fields=["task_force", "name"], name="agency_name_unique_in_task_force"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Role(models.TextChoices):
    OFFICER = "officer", _("officer")
    ANALYST = "analyst", _("analyst")
    SUPERVISOR = "supervisor", _("supervisor")
    LIAISON_OFFICER = "liaison_officer", _("liaison officer")
    AGENCY_ADMIN = "agency_admin", _("agency admin")
    # An airline's staff: they see only the consultation requests addressed to their airline.
    AIRLINE = "airline", _("airline staff")


class Person(AbstractUser):
    """Someone who signs in. Everyone but a platform admin belongs to exactly one agency."""

    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="people",
        null=True,
        blank=True,
        verbose_name=_("agency"),
    )
    # Set only for an airline's staff, who belong to no agency (see agencies.consultations).
    airline = models.ForeignKey(
        "DataProvider",
        on_delete=models.PROTECT,
        related_name="staff",
        null=True,
        blank=True,
        verbose_name=_("airline"),
    )

    # Personal data of this model, for masking and export rules (style.md).
    PERSONAL_DATA_FIELDS = ("first_name", "last_name", "email")

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(agency__isnull=False)
                | models.Q(is_staff=True)
                | models.Q(airline__isnull=False),
                name="person_has_agency_unless_platform_admin_or_airline",
                violation_error_message=_(
                    "Everyone but a platform admin or an airline's staff belongs to an agency."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(airline__isnull=True)
                | models.Q(agency__isnull=True, is_staff=False, is_superuser=False),
                name="airline_staff_have_no_agency_and_are_never_staff",
                violation_error_message=_(
                    "An airline's staff belong to no agency and never administer the platform."
                ),
            ),
        ]

    def __str__(self) -> str:
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username

    @property
    def is_platform_admin(self) -> bool:
        return bool(self.is_active and (self.is_staff or self.is_superuser))

    @cached_property
    def role_codes(self) -> frozenset[str]:
        return frozenset(grant.role for grant in self.role_grants.all())

    def has_role(self, role: str) -> bool:
        return self.is_active and role in self.role_codes

    @property
    def task_force_id(self) -> int | None:
        return self.agency.task_force_id if self.agency_id and self.agency else None


class PersonRole(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField(max_length=24, choices=Role.choices)

    class Meta:
        ordering = ["role"]
        constraints = [models.UniqueConstraint(fields=["person", "role"], name="person_role_once")]

    def __str__(self) -> str:
        return f"{self.person.username}: {self.get_role_display()}"


class Invitation(models.Model):
    """A one-time link that lets someone set up their own account in an agency."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    roles = models.JSONField(_("roles"), default=list)
    token_hash = models.CharField(max_length=128, unique=True, editable=False)
    # Empty when the invitation came from a management command (a scripted install).
    invited_by = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations_sent"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    emailed_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.OneToOneField(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitation"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    PERSONAL_DATA_FIELDS = ("email",)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.agency.code}"


class DataProvider(models.Model):
    """An airline or a router (e.g. a service provider) that pushes API/PNR messages."""

    class Kind(models.TextChoices):
        AIRLINE = "airline", _("airline")
        ROUTER = "router", _("router")

    code = models.CharField(
        _("IATA code"),
        max_length=3,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Z0-9]{2,3}$", _("An IATA designator is 2 or 3 characters."))
        ],
    )
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.AIRLINE)
    task_forces = models.ManyToManyField(
        TaskForce, related_name="data_providers", blank=True, verbose_name=_("sends data for")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("data provider")
        verbose_name_plural = _("data providers")

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class ProviderToken(AbstractAPIKey):
    """A data provider's credential for the ingest API; only its hash is stored."""

    provider = models.ForeignKey(DataProvider, on_delete=models.CASCADE, related_name="tokens")
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta(AbstractAPIKey.Meta):
        verbose_name = _("provider token")
        verbose_name_plural = _("provider tokens")
