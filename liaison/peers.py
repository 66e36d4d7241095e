"""Peer task forces over HTTPS: registering their keys, taking their signed messages once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from agencies.models import TaskForce
from agencies.selectors import is_platform_admin
from aircop.audit.services import Action, record_event
from liaison import services, signing
from liaison.models import Counterpart, Message, ReceivedNonce

CHANNEL = "jaitf_https"
# Nonces are kept far longer than a signed request stays acceptable (LIAISON_MAX_SKEW_SECONDS),
# so a replay is refused by its nonce while the timestamp alone would still let it through.
NONCE_KEEP = timedelta(days=1)


class Replayed(Exception):
    """This key's nonce was taken before: the same signed request came again."""


@transaction.atomic
def register_peer(
    *,
    actor: Any,
    task_force: TaskForce,
    code: str,
    name: str,
    endpoint: str,
    remote_task_force: str,
    key_id: str,
    public_key: str,
) -> tuple[Counterpart, bool]:
    """Create or update the counterpart for a peer installation; (counterpart, created)."""
    # actor None: a management command, run by whoever administers the server.
    if actor is not None and not is_platform_admin(actor):
        raise PermissionDenied("Only a platform admin registers peer task forces.")
    errors: dict[str, str] = {}
    try:
        URLValidator(schemes=["http", "https"])(endpoint)
    except ValidationError:
        errors["endpoint"] = "must be an http(s) address, e.g. https://aircop.example.org"
    try:
        actual_id = signing.key_id_of(signing.load_public_key(public_key))
    except ValueError:
        errors["public_key"] = "is not an Ed25519 public key in PEM"
    else:
        # The two admins compare the id over another channel (phone): a mismatch is a wrong file.
        if actual_id != key_id.strip().lower():
            errors["key_id"] = f"does not match the public key (its id is {actual_id})"
    if not code.strip():
        errors["code"] = "is missing"
    if errors:
        raise ValidationError(errors)
    counterpart, created = Counterpart.objects.update_or_create(
        task_force=task_force,
        code=code.strip().upper(),
        defaults={
            "kind": Counterpart.Kind.TASK_FORCE,
            "name": name.strip() or code.strip().upper(),
            "channel": CHANNEL,
            "endpoint": endpoint.strip(),
            "remote_task_force": (remote_task_force or code).strip().upper(),
            "key_id": key_id.strip().lower(),
            "public_key": public_key.strip() + "\n",
            "is_active": True,
        },
    )
    record_event(
        action=Action.CREATE if created else Action.CHANGE,
        actor=actor,
        actor_label="" if actor else "manage.py liaison_peer",
        obj=counterpart,
        reason="peer task force registered",
        details={"endpoint": counterpart.endpoint, "key_id": counterpart.key_id},
    )
    return counterpart, created


def peers_with_key(key_id: str) -> list[Counterpart]:
    """Active HTTPS peers registered with this key id (one per task force of ours)."""
    return list(
        Counterpart.objects.filter(
            key_id=key_id.lower(),
            kind=Counterpart.Kind.TASK_FORCE,
            channel=CHANNEL,
            is_active=True,
        ).select_related("task_force")
    )


@transaction.atomic
def take_signed_message(
    *, counterpart: Counterpart, nonce: str, payload: dict[str, Any]
) -> tuple[Message, bool]:
    """Record the request's nonce and file the message, together or not at all.

    Raises Replayed when the nonce was seen, wire.WireError when the message is malformed
    (then the nonce is not kept: the sender may correct and send again).
    """
    try:
        with transaction.atomic():
            ReceivedNonce.objects.create(key_id=counterpart.key_id, nonce=nonce)
    except IntegrityError as error:
        raise Replayed(nonce) from error
    return services.receive(counterpart=counterpart, payload=payload)


def purge_received_nonces(*, older_than: timedelta = NONCE_KEEP) -> int:
    deleted, _ = ReceivedNonce.objects.filter(received_at__lt=timezone.now() - older_than).delete()
    return deleted
