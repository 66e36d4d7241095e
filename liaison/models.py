"""Exchanges between a task force and its counterparts, and the outbox that carries them.

An `Exchange` is a thread; each `Message` in it goes out through the counterpart's channel
(liaison/adapters) from the outbox, with an idempotency key the receiver uses to take it once.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Handling(models.TextChoices):
    """Who the receiver may pass an exchange on to: the Traffic Light Protocol (TLP 2.0).

    Inside the application: RED is for the liaison officers alone; AMBER+STRICT also for the
    agency the exchange is addressed to; AMBER, GREEN and CLEAR for the whole task force.
    """

    RED = "red", _("TLP:RED — named recipients only")
    AMBER_STRICT = "amber_strict", _("TLP:AMBER+STRICT — the receiving agency only")
    AMBER = "amber", _("TLP:AMBER — the receiving organisation, need to know")
    GREEN = "green", _("TLP:GREEN — the community, not public")
    CLEAR = "clear", _("TLP:CLEAR — no restriction")


class Counterpart(models.Model):
    """Someone a task force exchanges with, and the channel that reaches them."""

    class Kind(models.TextChoices):
        TASK_FORCE = "task_force", _("task force of the network")
        I247 = "i247", _("INTERPOL I-24/7 (national central bureau)")
        CENCOMM = "cencomm", _("WCO CENcomm")
        NATIONAL = "national", _("national database or service")

    class Health(models.TextChoices):
        UNKNOWN = "unknown", _("not checked yet")
        UP = "up", _("up")
        DOWN = "down", _("down")

    task_force = models.ForeignKey(
        "agencies.TaskForce", on_delete=models.PROTECT, related_name="counterparts"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=160)
    # The adapter that carries messages (liaison/adapters/__init__.py: ADAPTERS).
    channel = models.CharField(_("channel"), max_length=20)
    # HTTPS peers: their base URL, their task force code there, and their public key.
    endpoint = models.URLField(_("address"), blank=True)
    remote_task_force = models.CharField(_("their task force"), max_length=20, blank=True)
    key_id = models.CharField(_("their key id"), max_length=64, blank=True)
    public_key = models.TextField(_("their public key"), blank=True)
    # Store-and-forward channels: where the national gateway picks up and drops files.
    outbox_dir = models.CharField(_("outgoing folder"), max_length=300, blank=True)
    inbox_dir = models.CharField(_("incoming folder"), max_length=300, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    health = models.CharField(max_length=8, choices=Health.choices, default=Health.UNKNOWN)
    health_checked_at = models.DateTimeField(null=True, blank=True)
    health_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["task_force__code", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["task_force", "code"], name="counterpart_code_per_tf")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class Exchange(models.Model):
    """A thread with one counterpart about one subject."""

    class Kind(models.TextChoices):
        ALERT = "alert", _("alert about an inbound traveller")
        REQUEST = "request", _("request for information")
        ANSWER = "answer", _("answer")
        SEIZURE = "seizure", _("seizure notice")

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        SENT = "sent", _("sent")
        DELIVERED = "delivered", _("delivered")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")
        FAILED = "failed", _("failed")

    class Direction(models.TextChoices):
        OUTBOUND = "out", _("sent by us")
        INBOUND = "in", _("received")

    # The thread's identity on both sides: the receiver files replies under it.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    task_force = models.ForeignKey(
        "agencies.TaskForce", on_delete=models.PROTECT, related_name="exchanges"
    )
    counterpart = models.ForeignKey(Counterpart, on_delete=models.PROTECT, related_name="exchanges")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    handling = models.CharField(
        _("handling code"), max_length=12, choices=Handling.choices, default=Handling.AMBER
    )
    # The agency it concerns on our side: the sender's, or the one an inbound one is for.
    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="exchanges"
    )
    deadline = models.DateTimeField(_("answer by"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    travellers = models.ManyToManyField("manifests.Traveller", blank=True, related_name="exchanges")
    flights = models.ManyToManyField("manifests.Flight", blank=True, related_name="exchanges")
    cases = models.ManyToManyField("cases.CaseFile", blank=True, related_name="exchanges")

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("exchange")
        verbose_name_plural = _("exchanges")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"


class Message(models.Model):
    """One message of a thread. Outbound ones wait in the outbox until their channel took them."""

    class State(models.TextChoices):
        DRAFT = "draft", _("draft")
        QUEUED = "queued", _("waiting to be sent")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")
        RECEIVED = "received", _("received")

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="messages")
    # The idempotency key: the same on both sides, so a message is taken once.
    uid = models.UUIDField(default=uuid.uuid4, editable=False)
    direction = models.CharField(max_length=3, choices=Exchange.Direction.choices)
    body = models.TextField(_("message"), max_length=8000)
    # What went (or came) over the wire, exactly (aircop-exchange/1 JSON).
    payload = models.JSONField(default=dict)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sender_label = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=10, choices=State.choices)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["exchange", "uid"], name="message_once_per_exchange"),
        ]
        indexes = [models.Index(fields=["direction", "state"], name="liaison_outbox")]

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.uid}"


class ReceivedNonce(models.Model):
    """Nonces of signed requests already taken: the same request twice is a replay."""

    key_id = models.CharField(max_length=64)
    nonce = models.CharField(max_length=64)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key_id", "nonce"], name="nonce_once_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.key_id}:{self.nonce}"
