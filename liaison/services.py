"""Exchanges: compose, reply, close; the outbox's delivery; receiving a message.

Sending never talks to a channel inside a request: the message is stored in the outbox (state
`queued`) in the same transaction as the exchange, and a Celery task hands it to the channel
after commit, retrying with backoff while the channel is down (tasks.py). Receiving is
idempotent on the message's id, so a message delivered twice is stored once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency
from aircop.audit.services import Action, record_event
from liaison import alerts, selectors, wire
from liaison.adapters import ChannelDown, MessageRefused, adapter_for
from liaison.models import Counterpart, Exchange, Handling, Message
from targeting.manifests.models import Flight, Traveller
from targeting.manifests.selectors import flights_visible_to, travellers_visible_to

log = logging.getLogger(__name__)


def _flight_json(flight: Flight) -> dict[str, str]:
    return {
        "carrier": flight.carrier,
        "number": flight.number,
        "departure_airport": flight.departure_airport,
        "arrival_airport": flight.arrival_airport,
        "departure_date": flight.departure_date.isoformat(),
    }


def traveller_json(traveller: Traveller) -> dict[str, Any]:
    """Only what identifies the person and the flight: never contacts, payment or PNR."""
    document = traveller.preferred_document()
    return {
        "surname": traveller.surname,
        "given_names": traveller.given_names,
        "birth_date": traveller.birth_date.isoformat() if traveller.birth_date else "",
        "nationality": traveller.nationality,
        "sex": traveller.sex,
        "document": (
            {
                "type": document.type,
                "number": document.number,
                "issuing_state": document.issuing_state,
            }
            if document
            else None
        ),
        "flight": _flight_json(traveller.flight),
    }


def payload_for(message: Message, *, in_reply_to: str | None = None) -> dict[str, Any]:
    exchange = message.exchange
    author = message.author
    return {
        "format": wire.FORMAT,
        "message_id": str(message.uid),
        "exchange_id": str(exchange.uid),
        "in_reply_to": in_reply_to,
        "sent_at": timezone.now().isoformat(),
        "sender": {
            "installation": settings.LIAISON_INSTALLATION,
            "task_force": exchange.task_force.code,
            "agency": exchange.agency.code,
            "name": (author.get_full_name() or author.get_username()) if author else "",
        },
        "recipient": {"code": exchange.counterpart.remote_task_force or exchange.counterpart.code},
        "kind": exchange.kind,
        "handling": exchange.handling,
        "deadline": exchange.deadline.isoformat() if exchange.deadline else None,
        "subject": exchange.subject,
        "body": message.body,
        "travellers": [traveller_json(t) for t in exchange.travellers.select_related("flight")],
        "flights": [_flight_json(f) for f in exchange.flights.all()],
        "cases": [{"number": c.number} for c in exchange.cases.all()],
    }


def _require_sender(actor: Any) -> None:
    if not selectors.is_liaison_officer(actor):
        raise PermissionDenied(_("Only liaison officers send exchanges."))


def _queue(message: Message) -> None:
    from liaison import tasks  # the task module imports this one

    tasks.deliver_message.delay_on_commit(message.pk)


@transaction.atomic
def compose(
    *,
    actor: Any,
    counterpart: Counterpart,
    kind: str,
    subject: str,
    body: str,
    handling: str = Handling.AMBER,
    deadline: datetime | None = None,
    travellers: Iterable[Traveller] = (),
    flights: Iterable[Flight] = (),
    cases: Iterable[Any] = (),
    send: bool = True,
) -> Exchange:
    """Start a thread; with `send`, its first message goes to the outbox at once."""
    _require_sender(actor)
    if not selectors.counterparts_for(actor).filter(pk=counterpart.pk).exists():
        raise ValidationError({"counterpart": _("Choose a counterpart of your task force.")})
    errors = {}
    if kind not in Exchange.Kind.values:
        errors["kind"] = _("Choose a kind of exchange.")
    if handling not in Handling.values:
        errors["handling"] = _("Choose a handling code.")
    if not subject.strip():
        errors["subject"] = _("Give the exchange a subject.")
    if not body.strip():
        errors["body"] = _("Write the message.")
    if deadline is not None and deadline <= timezone.now():
        errors["deadline"] = _("The deadline must be in the future.")
    travellers, flights, cases = list(travellers), list(flights), list(cases)
    if (
        len(travellers)
        != travellers_visible_to(actor).filter(pk__in=[t.pk for t in travellers]).count()
    ):
        errors["travellers"] = _("A traveller is not of your task force.")
    if len(flights) != flights_visible_to(actor).filter(pk__in=[f.pk for f in flights]).count():
        errors["flights"] = _("A flight is not of your task force.")
    if cases:
        from agencies.cases.selectors import cases_visible_to

        if len(cases) != cases_visible_to(actor).filter(pk__in=[c.pk for c in cases]).count():
            errors["cases"] = _("A case is not one you may see.")
    if errors:
        raise ValidationError(errors)
    exchange = Exchange.objects.create(
        task_force_id=actor.agency.task_force_id,
        counterpart=counterpart,
        direction=Exchange.Direction.OUTBOUND,
        kind=kind,
        subject=subject.strip()[:200],
        handling=handling,
        agency_id=actor.agency_id,
        deadline=deadline,
        state=Exchange.State.SENT if send else Exchange.State.DRAFT,
        created_by=actor,
    )
    exchange.travellers.set(travellers)
    exchange.flights.set(flights)
    exchange.cases.set(cases)
    message = Message.objects.create(
        exchange=exchange,
        direction=Exchange.Direction.OUTBOUND,
        body=body.strip(),
        author=actor,
        state=Message.State.QUEUED if send else Message.State.DRAFT,
    )
    if send:
        message.payload = payload_for(message)
        message.save(update_fields=["payload"])
        _queue(message)
    record_event(
        action=Action.EXCHANGE,
        actor=actor,
        obj=exchange,
        reason=subject[:200],
        details={"counterpart": counterpart.code, "kind": kind, "handling": handling, "sent": send},
    )
    return exchange


@transaction.atomic
def send_draft(*, actor: Any, exchange: Exchange) -> Message:
    _require_sender(actor)
    if exchange.state != Exchange.State.DRAFT:
        raise ValidationError({"exchange": _("Only a draft is sent this way.")})
    message = exchange.messages.get()
    message.payload = payload_for(message)
    message.state = Message.State.QUEUED
    message.save(update_fields=["payload", "state"])
    exchange.state = Exchange.State.SENT
    exchange.save(update_fields=["state", "updated_at"])
    _queue(message)
    record_event(action=Action.EXCHANGE, actor=actor, obj=exchange, reason="draft sent")
    return message


@transaction.atomic
def reply(*, actor: Any, exchange: Exchange, body: str) -> Message:
    """Add a message to the thread and send it to the same counterpart."""
    _require_sender(actor)
    if exchange.task_force_id != actor.agency.task_force_id:
        raise PermissionDenied(_("This exchange is not your task force's."))
    if exchange.state in (Exchange.State.DRAFT, Exchange.State.CLOSED):
        raise ValidationError({"exchange": _("Send the draft first, or reopen the thread.")})
    if not body.strip():
        raise ValidationError({"body": _("Write the message.")})
    previous = exchange.messages.order_by("-created_at", "-pk").first()
    message = Message.objects.create(
        exchange=exchange,
        direction=Exchange.Direction.OUTBOUND,
        body=body.strip(),
        author=actor,
        state=Message.State.QUEUED,
    )
    message.payload = payload_for(message, in_reply_to=str(previous.uid) if previous else None)
    message.save(update_fields=["payload"])
    if exchange.direction == Exchange.Direction.INBOUND:
        exchange.state = Exchange.State.ANSWERED
        exchange.save(update_fields=["state", "updated_at"])
    _queue(message)
    record_event(action=Action.EXCHANGE, actor=actor, obj=exchange, reason="reply")
    return message


@transaction.atomic
def close(*, actor: Any, exchange: Exchange) -> Exchange:
    _require_sender(actor)
    if exchange.task_force_id != actor.agency.task_force_id:
        raise PermissionDenied(_("This exchange is not your task force's."))
    exchange.state = Exchange.State.CLOSED
    exchange.save(update_fields=["state", "updated_at"])
    record_event(action=Action.EXCHANGE, actor=actor, obj=exchange, reason="closed")
    return exchange


def deliver(message_id: int) -> str:
    """Hand one outbox message to its channel. Idempotent: a delivered message is left alone.

    Raises ChannelDown (the task retries later); a refusal marks the message failed.
    """
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(of=("self",))
            .select_related("exchange__counterpart")
            .filter(pk=message_id)
            .first()
        )
        if message is None or message.state != Message.State.QUEUED:
            return "nothing to do"
        message.attempts += 1
        message.save(update_fields=["attempts"])
    counterpart = message.exchange.counterpart
    try:
        adapter_for(counterpart).send(counterpart, message.payload)
    except ChannelDown as down:
        _mark_channel(counterpart, up=False, why=str(down))
        Message.objects.filter(pk=message.pk).update(last_error=str(down)[:300])
        raise
    except MessageRefused as refused:
        Message.objects.filter(pk=message.pk).update(
            state=Message.State.FAILED, last_error=str(refused)[:300]
        )
        Exchange.objects.filter(pk=message.exchange_id).update(
            state=Exchange.State.FAILED, updated_at=timezone.now()
        )
        return "refused"
    _mark_channel(counterpart, up=True, why="")
    Message.objects.filter(pk=message.pk).update(
        state=Message.State.DELIVERED, delivered_at=timezone.now(), last_error=""
    )
    Exchange.objects.filter(pk=message.exchange_id, state=Exchange.State.SENT).update(
        state=Exchange.State.DELIVERED, updated_at=timezone.now()
    )
    return "delivered"


def _mark_channel(counterpart: Counterpart, *, up: bool, why: str) -> None:
    Counterpart.objects.filter(pk=counterpart.pk).update(
        health=Counterpart.Health.UP if up else Counterpart.Health.DOWN,
        health_checked_at=timezone.now(),
        health_error=why[:300],
    )


def check_channels() -> dict[str, bool]:
    """Ask every active counterpart's channel whether it is up; record the answer."""
    answers = {}
    for counterpart in Counterpart.objects.filter(is_active=True):
        try:
            up, why = adapter_for(counterpart).health(counterpart)
        except MessageRefused as error:
            up, why = False, str(error)
        _mark_channel(counterpart, up=up, why=why)
        answers[counterpart.code] = up
    return answers


def _inbound_agency(counterpart: Counterpart, code: str) -> Agency:
    agencies = Agency.objects.filter(task_force_id=counterpart.task_force_id)
    named = agencies.filter(code=code).first() if code else None
    if named is not None:
        return named
    preferred = {"i247": "police", "cencomm": "customs"}.get(counterpart.kind)
    return (
        agencies.filter(kind=preferred).order_by("code").first() if preferred else None
    ) or agencies.order_by("code").first()


@transaction.atomic
def receive(*, counterpart: Counterpart, payload: dict[str, Any]) -> tuple[Message, bool]:
    """File a received message under its thread; (message, False) when it was taken before."""
    data = wire.validate(payload)
    exchange = Exchange.objects.filter(
        uid=data["exchange_id"], task_force_id=counterpart.task_force_id
    ).first()
    if exchange is not None:
        known = exchange.messages.filter(uid=data["message_id"]).first()
        if known is not None:
            return known, False
        if exchange.counterpart_id != counterpart.pk:
            raise wire.WireError("exchange_id", "belongs to another counterpart")
    is_new = exchange is None
    if exchange is None:
        exchange = Exchange.objects.create(
            uid=data["exchange_id"],
            task_force_id=counterpart.task_force_id,
            counterpart=counterpart,
            direction=Exchange.Direction.INBOUND,
            kind=data["kind"],
            subject=data["subject"],
            handling=data["handling"],
            agency=_inbound_agency(counterpart, data["recipient"].get("agency", "")),
            deadline=datetime.fromisoformat(data["deadline"]) if data["deadline"] else None,
            state=Exchange.State.DELIVERED,
        )
    message = Message.objects.create(
        exchange=exchange,
        uid=data["message_id"],
        direction=Exchange.Direction.INBOUND,
        body=data["body"],
        payload=data,
        sender_label=data["sender"]["name"] or data["sender"]["installation"],
        state=Message.State.RECEIVED,
        delivered_at=timezone.now(),
    )
    if exchange.direction == Exchange.Direction.OUTBOUND:
        exchange.state = Exchange.State.ANSWERED
    exchange.save(update_fields=["state", "updated_at"])
    if is_new and exchange.kind == Exchange.Kind.ALERT:
        alerts.flag_travellers(exchange=exchange, payload=data)
    record_event(
        action=Action.EXCHANGE,
        obj=exchange,
        actor_label=f"{counterpart.code} (liaison)",
        reason="received",
        details={"message": str(message.uid), "kind": data["kind"]},
    )
    return message, True
