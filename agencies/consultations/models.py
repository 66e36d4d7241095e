"""A task force's request to an airline for specific data, and the airline's answer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from agencies.models import DataProvider, TaskForce


class ConsultationRequest(models.Model):
    class Kind(models.TextChoices):
        FLIGHT_MANIFEST = "flight_manifest", _("flight manifest")
        RESERVATION_DETAILS = "reservation_details", _("reservation details")
        OTHER = "other", _("other")

    class State(models.TextChoices):
        SENT = "sent", _("sent")
        ANSWERED = "answered", _("answered")
        OVERDUE = "overdue", _("overdue")
        CLOSED = "closed", _("closed")

    task_force = models.ForeignKey(
        TaskForce, on_delete=models.PROTECT, related_name="consultation_requests"
    )
    airline = models.ForeignKey(
        DataProvider,
        on_delete=models.PROTECT,
        related_name="consultation_requests",
        verbose_name=_("airline"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    # The flight (TDT carrier and number, DTM+189 departure date) and/or one reservation.
    carrier = models.CharField(_("carrier"), max_length=3, blank=True)
    flight_number = models.CharField(_("flight number"), max_length=5, blank=True)
    flight_date = models.DateField(_("flight date"), null=True, blank=True)
    record_locator = models.CharField(_("record locator"), max_length=12, blank=True)
    question = models.TextField(_("question"))
    deadline = models.DateTimeField(_("deadline"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SENT)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answer_text = models.TextField(_("answer"), blank=True)
    # The uploaded answer, kept and ingested as any other inbound message.
    message = models.ForeignKey(
        "ingestion.InboundMessage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answer file"),
    )
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("consultation request")
        verbose_name_plural = _("consultation requests")
        indexes = [models.Index(fields=["state", "deadline"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.airline.code} {self.get_kind_display()}"

    @property
    def flight_label(self) -> str:
        if not (self.carrier or self.flight_number):
            return ""
        day = self.flight_date.isoformat() if self.flight_date else ""
        return f"{self.carrier}{self.flight_number} {day}".strip()

    @property
    def is_open(self) -> bool:
        return self.state in (self.State.SENT, self.State.OVERDUE)
