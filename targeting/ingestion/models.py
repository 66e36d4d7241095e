"""Messages as received, their findings, and per-airline column mappings for manifest files."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InboundMessage(models.Model):
    """One message or file as it arrived: kept once, byte for byte, whatever became of it."""

    class Format(models.TextChoices):
        EDIFACT = "edifact", "EDIFACT"
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    class State(models.TextChoices):
        RECEIVED = "received", _("received")
        PARSED = "parsed", _("parsed")
        SCREENED = "screened", _("screened")
        REJECTED = "rejected", _("rejected")
        DUPLICATE = "duplicate", _("duplicate")

    provider = models.ForeignKey(
        "agencies.DataProvider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="uploaded_messages",
    )
    # The task force the message was received for (an upload's, or the provider's airport's).
    # Empty only for an unreadable message from a provider that serves several task forces.
    task_force = models.ForeignKey(
        "agencies.TaskForce",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="messages",
    )
    received_at = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    format = models.CharField(max_length=8, choices=Format.choices, default=Format.EDIFACT)
    kind = models.CharField(_("type"), max_length=10, blank=True)  # PAXLST, PNRGOV, manifest
    sha256 = models.CharField(max_length=64, db_index=True)
    sender = models.CharField(_("sender"), max_length=40, blank=True)
    interchange_ref = models.CharField(max_length=40, blank=True)
    message_refs = models.CharField(max_length=200, blank=True)
    size = models.PositiveIntegerField(default=0)
    # Kept once: a duplicate points at the first copy and keeps no body of its own.
    body = models.BinaryField(null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="duplicates"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.RECEIVED, db_index=True
    )
    error = models.TextField(_("error"), blank=True)
    flights = models.ManyToManyField(
        "manifests.Flight", related_name="messages", blank=True, verbose_name=_("flights")
    )
    # Minutes between receipt and the earliest scheduled departure it covers (negative: after).
    minutes_before_departure = models.IntegerField(null=True, blank=True)
    is_late = models.BooleanField(_("late"), default=False)
    traveller_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("inbound message")
        verbose_name_plural = _("inbound messages")
        indexes = [
            models.Index(fields=["sender", "interchange_ref"], name="message_interchange"),
            models.Index(fields=["provider", "received_at"], name="message_provider_time"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.kind or self.format} {self.file_name}".strip()


class Finding(models.Model):
    """A data-quality observation on a message: what was wrong, where, how bad."""

    class Severity(models.TextChoices):
        ERROR = "error", _("error")
        WARNING = "warning", _("warning")
        INFO = "info", _("info")

    message = models.ForeignKey(InboundMessage, on_delete=models.CASCADE, related_name="findings")
    severity = models.CharField(max_length=8, choices=Severity.choices)
    segment = models.PositiveIntegerField(null=True, blank=True)
    line = models.PositiveIntegerField(null=True, blank=True)
    text = models.CharField(max_length=500)

    class Meta:
        ordering = ["message", "id"]

    def __str__(self) -> str:
        where = f"segment {self.segment}, line {self.line}: " if self.segment else ""
        return f"{self.severity}: {where}{self.text}"


class ColumnMapping(models.Model):
    """How an airline names the columns of its manifest files, confirmed once by an officer."""

    provider = models.ForeignKey(
        "agencies.DataProvider", on_delete=models.CASCADE, related_name="column_mappings"
    )
    # Column header as the airline writes it -> our field name (surname, birth_date, …).
    columns = models.JSONField(default=dict)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider"], name="one_mapping_per_provider")
        ]

    def __str__(self) -> str:
        return f"{self.provider.code}: {len(self.columns)} columns"
