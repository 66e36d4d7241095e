"""Trainings and mentoring activities of a task force, with their trainers and participants.

These feed the third pillar of the results (personnel trained, share of women, trainers'
nationalities); `selectors.training_totals` computes them.
"""

from __future__ import annotations

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, TaskForce


def validate_nationality(value: str) -> None:
    """ISO 3166 alpha-3, as nationality is written in travel documents (ICAO 9303)."""
    if len(value) != 3 or not value.isupper() or pycountry.countries.get(alpha_3=value) is None:
        raise ValidationError(
            _("'%(code)s' is not an ISO 3166 alpha-3 country code (for example FRA, SEN, TGO)."),
            params={"code": value},
            code="nationality",
        )


class Topic(models.TextChoices):
    API_PNR = "api_pnr", _("API/PNR risk analysis")
    PROFILING = "profiling", _("profiling and targeting")
    TRAFFICKING = "trafficking", _("trafficking in persons")
    SMUGGLING = "smuggling", _("migrant smuggling")
    DRUGS = "drugs", _("drugs")
    WILDLIFE = "wildlife", _("wildlife")
    TERRORISM = "terrorism", _("terrorism / FTF")
    DOCUMENT_FRAUD = "document_fraud", _("document fraud")
    CURRENCY = "currency", _("currency")
    INTELLIGENCE = "intelligence", _("intelligence sharing")
    OTHER = "other", _("other")


class Gender(models.TextChoices):
    FEMALE = "F", _("female")
    MALE = "M", _("male")
    OTHER = "X", _("other or not stated")


class Training(models.Model):
    class Kind(models.TextChoices):
        TRAINING = "training", _("training")
        MENTORING = "mentoring", _("mentoring")

    task_force = models.ForeignKey(
        TaskForce, on_delete=models.PROTECT, related_name="trainings", verbose_name=_("task force")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TRAINING)
    title = models.CharField(_("title"), max_length=200)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))
    place = models.CharField(_("place"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=4000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start", "-pk"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="training_ends_after_it_starts",
                violation_error_message=_("The last day cannot be before the first day."),
            )
        ]
        indexes = [models.Index(fields=["task_force", "start"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.start:%Y-%m-%d})"

    @property
    def topic_codes(self) -> list[str]:
        return [t.topic for t in self.topics.all()]

    @property
    def topic_labels(self) -> list[str]:
        return [str(Topic(t.topic).label) for t in self.topics.all()]


class TrainingTopic(models.Model):
    """One row per topic, so that trainings filter and count by topic on any database."""

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="topics")
    topic = models.CharField(_("topic"), max_length=20, choices=Topic.choices)

    class Meta:
        ordering = ["topic"]
        constraints = [
            models.UniqueConstraint(fields=["training", "topic"], name="training_topic_once")
        ]

    def __str__(self) -> str:
        return self.get_topic_display()


class Trainer(models.Model):
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="trainers")
    name = models.CharField(_("name"), max_length=200)
    nationality = models.CharField(
        _("nationality"), max_length=3, validators=[validate_nationality]
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)

    # Personal data of this model, for masking and retention (style.md).
    PERSONAL_DATA_FIELDS = ("name", "nationality")

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("trainer")
        verbose_name_plural = _("trainers")

    def __str__(self) -> str:
        return f"{self.name} ({self.nationality})"


class Participant(models.Model):
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("name"), max_length=200)
    # An agency of the task force, or, for someone from outside it, the agency's name as text.
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agency"),
    )
    outside_agency = models.CharField(_("other agency"), max_length=200, blank=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    role = models.CharField(_("role"), max_length=120, blank=True)

    # Personal data of this model, for masking and retention (style.md).
    PERSONAL_DATA_FIELDS = ("name", "gender", "role")

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.CheckConstraint(
                condition=(
                    (models.Q(agency__isnull=False) & models.Q(outside_agency=""))
                    | (models.Q(agency__isnull=True) & ~models.Q(outside_agency=""))
                ),
                name="participant_has_one_agency",
                violation_error_message=_(
                    "Give either an agency of the task force or the name of another agency."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency_label})"

    @property
    def agency_label(self) -> str:
        return self.agency.code if self.agency_id and self.agency else self.outside_agency
