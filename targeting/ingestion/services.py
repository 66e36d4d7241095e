"""Receiving messages: keep the raw copy once, route it to a task force, store its content.

A message is one transaction: if anything fails while its content is stored, nothing of it
remains but its raw copy and its error.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils.translation import gettext as _

from agencies.models import DataProvider, TaskForce
from aircop.audit.services import Action, record_event
from targeting.ingestion import records
from targeting.ingestion.edifact import EdifactError
from targeting.ingestion.models import Finding, InboundMessage
from targeting.ingestion.reader import ReadOptions, read_messages
from targeting.ingestion.storing import store_messages
from targeting.manifests.models import Flight

logger = logging.getLogger(__name__)


def card_hash_key() -> bytes:
    """The key for card-number hashes: stable per installation, never the card itself."""
    return hmac.new(
        settings.CARD_HASH_KEY.encode(), b"aircop.card-hash.v1", hashlib.sha256
    ).digest()


def read(body: bytes) -> list[records.ParsedMessage]:
    return read_messages(body, options=ReadOptions(card_key=card_hash_key()))


def _airports(messages: list[records.ParsedMessage]) -> set[str]:
    found: set[str] = set()
    for message in messages:
        for leg in message.flights:
            found.update(a for a in (leg.departure.airport, leg.arrival.airport) if a)
    return found


def _route(messages: list[records.ParsedMessage], candidates: list[TaskForce]) -> TaskForce | None:
    """The task force among `candidates` whose home airport the message's flights serve.

    An arrival at a home airport wins over a departure: API and PNR go to the destination
    state first.
    """
    arrivals = {leg.arrival.airport for m in messages for leg in m.flights}
    touched = _airports(messages)
    ranked = sorted(
        candidates,
        key=lambda tf: (not (tf.airport_codes & arrivals), tf.code),  # type: ignore[attr-defined]
    )
    for task_force in ranked:
        if task_force.airport_codes & touched:  # type: ignore[attr-defined]
            return task_force
    return None


def _with_airport_codes(task_forces: Any) -> list[TaskForce]:
    result = list(task_forces.prefetch_related("airports"))
    for task_force in result:
        task_force.airport_codes = {a.iata_code for a in task_force.airports.all()}  # type: ignore[attr-defined]
    return result


def _message_refs(messages: list[records.ParsedMessage]) -> str:
    return ",".join(m.message_ref or "" for m in messages)[:200]


def duplicate_of(
    task_force: TaskForce | None, digest: str, messages: list[records.ParsedMessage]
) -> InboundMessage | None:
    """A re-sent message: the same bytes, or the same sender, interchange and message refs."""
    same = InboundMessage.objects.filter(task_force=task_force, duplicate_of__isnull=True).exclude(
        state=InboundMessage.State.REJECTED
    )
    match = same.filter(sha256=digest).order_by("id").first()
    if match or not messages:
        return match
    first = messages[0]
    if not (first.sender and first.interchange_ref):
        return None
    return (
        same.filter(
            sender=first.sender[:40],
            interchange_ref=first.interchange_ref[:40],
            message_refs=_message_refs(messages),
        )
        .order_by("id")
        .first()
    )


@dataclass(frozen=True)
class Received:
    message: InboundMessage
    is_duplicate: bool


def receive_message(
    *,
    body: bytes,
    provider: DataProvider | None = None,
    uploaded_by: Any = None,
    file_name: str = "",
    received_at: datetime | None = None,
    task_force: TaskForce | None = None,
) -> Received:
    """Accept one EDIFACT file or HTTP body from a data provider or an officer's upload.

    Raises PermissionDenied when a provider sends for an airport it is not onboarded for, or
    an officer uploads a flight that does not serve their task force. An unreadable message is
    kept (raw copy and error) as rejected; a re-sent one is recorded as a duplicate of the first.
    `received_at` replays traffic at the time it arrived (demo data, benchmarks).
    `task_force` names the one task force the message is for (an airline's answer to a
    consultation request), whether or not the provider is onboarded for it.
    """
    if task_force is not None:
        candidates = _with_airport_codes(TaskForce.objects.filter(pk=task_force.pk))
    elif provider is not None:
        candidates = _with_airport_codes(provider.task_forces.all())
    else:
        candidates = _with_airport_codes(
            TaskForce.objects.filter(pk=uploaded_by.agency.task_force_id)
        )
    digest = hashlib.sha256(body).hexdigest()
    try:
        messages = read(body)
    except EdifactError as err:
        task_force = candidates[0] if len(candidates) == 1 else None
        with transaction.atomic():
            message = InboundMessage.objects.create(
                provider=provider,
                uploaded_by=uploaded_by,
                task_force=task_force,
                file_name=file_name[:200],
                sha256=digest,
                size=len(body),
                body=body,
                state=InboundMessage.State.REJECTED,
                error=str(err),
            )
            Finding.objects.create(
                message=message,
                severity="error",
                segment=err.segment,
                line=err.line,
                text=str(err)[:500],
            )
            _audit_receipt(message, provider, uploaded_by)
        return Received(message, is_duplicate=False)

    task_force = _route(messages, candidates)
    if task_force is None:
        airports = ", ".join(sorted(_airports(messages))) or _("none")
        who = provider.code if provider else _("your task force")
        record_event(
            action=Action.CREATE,
            actor=uploaded_by,
            actor_label=f"provider:{provider.code}" if provider else "",
            object_label=file_name or "message",
            reason="refused: airport not onboarded",
            details={"airports": airports, "sha256": digest},
        )
        raise PermissionDenied(
            _("%(who)s is not onboarded for the airports of this message (%(airports)s).")
            % {"who": who, "airports": airports}
        )

    with transaction.atomic():
        original = duplicate_of(task_force, digest, messages)
        first = messages[0]
        message = InboundMessage.objects.create(
            provider=provider,
            uploaded_by=uploaded_by,
            task_force=task_force,
            file_name=file_name[:200],
            kind=first.type,
            sha256=digest,
            size=len(body),
            sender=(first.sender or "")[:40],
            interchange_ref=(first.interchange_ref or "")[:40],
            message_refs=_message_refs(messages),
            body=None if original else body,
            duplicate_of=original,
            state=InboundMessage.State.DUPLICATE if original else InboundMessage.State.RECEIVED,
        )
        if received_at is not None:
            InboundMessage.objects.filter(pk=message.pk).update(received_at=received_at)
            message.received_at = received_at
        _audit_receipt(message, provider, uploaded_by)
        if original is None:
            from targeting.ingestion.tasks import store_message_content

            store_message_content.delay_on_commit(message.pk)
    return Received(message, is_duplicate=original is not None)


def _audit_receipt(message: InboundMessage, provider: DataProvider | None, person: Any) -> None:
    record_event(
        action=Action.CREATE,
        actor=person,
        actor_label=f"provider:{provider.code}" if provider else "",
        obj=message,
        details={"state": message.state, "size": message.size},
    )


def lateness(message: InboundMessage, flights: list[Flight]) -> tuple[int | None, bool]:
    departures = [f.scheduled_departure for f in flights if f.scheduled_departure]
    if not departures:
        return None, False
    minutes = int((min(departures) - message.received_at).total_seconds() // 60)
    cutoff = settings.INGEST_LATE_CUTOFF_MINUTES.get(message.kind, 0)
    return minutes, minutes < cutoff


def store_message_content(message_id: int) -> InboundMessage:
    """Parse a received message and store its flights and travellers: all or nothing.

    Idempotent: a message already stored, rejected or duplicate is left as it is.
    """
    message = InboundMessage.objects.select_related("task_force").get(pk=message_id)
    if message.state != InboundMessage.State.RECEIVED or message.body is None:
        return message
    try:
        with transaction.atomic():
            parsed = read(bytes(message.body))
            result = store_messages(message.task_force, parsed)
            findings = [f for m in parsed for f in m.findings] + result.findings
            Finding.objects.bulk_create(
                Finding(
                    message=message,
                    severity=f.severity,
                    segment=f.segment,
                    line=f.line,
                    text=f.text[:500],
                )
                for f in findings
            )
            flights = list(Flight.objects.filter(pk__in=result.flights))
            message.flights.set(flights)
            message.minutes_before_departure, message.is_late = lateness(message, flights)
            message.traveller_count = sum(
                len(m.travellers) + sum(len(r.travellers) for r in m.reservations) for m in parsed
            )
            message.state = InboundMessage.State.PARSED
            message.save()
            from targeting.rules.tasks import screen_flight

            for flight in flights:
                screen_flight.delay_on_commit(flight.pk)
    except (EdifactError, ValidationError, ValueError, DataError, IntegrityError) as err:
        # Nothing of the content stays (the transaction rolled back): only the raw copy and
        # the reason, so the task force can tell the airline what to fix.
        logger.warning("message %s rejected while storing: %s", message_id, err)
        InboundMessage.objects.filter(pk=message.pk).update(
            state=InboundMessage.State.REJECTED, error=str(err)[:2000]
        )
        Finding.objects.create(message=message, severity="error", text=str(err)[:500])
        message.refresh_from_db()
    return message
