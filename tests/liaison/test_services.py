"""The liaison core: who sends, what goes on the wire, the outbox, receiving once."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from agencies.models import Role
from liaison import adapters, services, wire
from liaison.models import Counterpart, Exchange, Message
from liaison.selectors import exchanges_visible_to, outbox
from tests.agencies.factories import PersonFactory
from tests.targeting.factories import FlightFactory, TravellerFactory


class Gateway:
    """A channel that takes messages into a list, and can be switched off."""

    def __init__(self) -> None:
        self.taken: list[dict[str, Any]] = []
        self.is_up = True

    def send(self, counterpart: Any, payload: dict[str, Any]) -> None:
        if not self.is_up:
            raise adapters.ChannelDown("gateway unreachable")
        self.taken.append(payload)

    def fetch_replies(self, counterpart: Any) -> list[dict[str, Any]]:
        return []

    def health(self, counterpart: Any) -> tuple[bool, str]:
        return self.is_up, "" if self.is_up else "gateway unreachable"


@pytest.fixture
def gateway() -> Iterator[Gateway]:
    channel = Gateway()
    adapters.register("test_gateway", channel)
    yield channel
    adapters.ADAPTERS.pop("test_gateway", None)


@pytest.fixture
def liaison_officer(police: Any) -> Any:
    return PersonFactory(username="liaison", agency=police, roles=[Role.LIAISON_OFFICER])


@pytest.fixture
def counterpart(task_force: Any) -> Counterpart:
    return Counterpart.objects.create(
        task_force=task_force,
        kind="national",
        code="TG-DB",
        name="Fichier national",
        channel="test_gateway",
    )


def compose(actor: Any, counterpart: Counterpart, **kwargs: Any) -> Exchange:
    fields = {
        "kind": "alert",
        "subject": "Courier on KP51",
        "body": "Two bags, cash ticket.",
        "handling": "amber",
    }
    fields.update(kwargs)
    return services.compose(actor=actor, counterpart=counterpart, **fields)


def test_only_liaison_officers_send(officer: Any, counterpart: Counterpart) -> None:
    with pytest.raises(PermissionDenied):
        compose(officer, counterpart)
    assert not Exchange.objects.exists()


def test_a_sent_message_carries_only_identifying_data(
    liaison_officer: Any,
    counterpart: Counterpart,
    task_force: Any,
    gateway: Gateway,
    embedded_celery: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    traveller = TravellerFactory(
        flight=FlightFactory(task_force=task_force),
        surname="KOFFI",
        phone="+22890000000",
        email="koffi@example.org",
        documents=[("TG123456", "TGO")],
    )
    with django_capture_on_commit_callbacks(execute=True):
        exchange = compose(liaison_officer, counterpart, travellers=[traveller])
    message = exchange.messages.get()
    message.refresh_from_db()
    assert message.state == Message.State.DELIVERED
    [payload] = gateway.taken
    assert wire.validate(payload)["travellers"][0]["document"]["number"] == "TG123456"
    text = repr(payload)
    assert "+22890000000" not in text and "koffi@example.org" not in text
    assert payload["message_id"] == str(message.uid)
    exchange.refresh_from_db()
    assert exchange.state == Exchange.State.DELIVERED


def test_a_message_waits_while_the_channel_is_down_and_goes_once_when_it_is_back(
    liaison_officer: Any, counterpart: Counterpart, gateway: Gateway
) -> None:
    gateway.is_up = False
    exchange = compose(liaison_officer, counterpart)
    message = exchange.messages.get()
    with pytest.raises(adapters.ChannelDown):
        services.deliver(message.pk)
    counterpart.refresh_from_db()
    assert counterpart.health == Counterpart.Health.DOWN
    assert list(outbox()) == [message]
    gateway.is_up = True
    assert services.deliver(message.pk) == "delivered"
    assert services.deliver(message.pk) == "nothing to do"  # a second try sends nothing
    assert len(gateway.taken) == 1
    assert list(outbox()) == []


def test_compose_names_each_wrong_field(liaison_officer: Any, counterpart: Counterpart) -> None:
    with pytest.raises(ValidationError) as error:
        compose(
            liaison_officer,
            counterpart,
            kind="gossip",
            handling="purple",
            subject=" ",
            body="",
            deadline=timezone.now() - timedelta(hours=1),
            travellers=[TravellerFactory(flight=FlightFactory())],
        )
    assert set(error.value.message_dict) == {
        "kind",
        "handling",
        "subject",
        "body",
        "deadline",
        "travellers",
    }
    assert not Exchange.objects.exists()


def test_a_draft_stays_out_of_the_outbox_until_sent(
    liaison_officer: Any, counterpart: Counterpart, gateway: Gateway
) -> None:
    exchange = compose(liaison_officer, counterpart, send=False)
    assert list(outbox()) == []
    message = services.send_draft(actor=liaison_officer, exchange=exchange)
    assert list(outbox()) == [message]


def inbound(counterpart: Counterpart, **kwargs: Any) -> dict[str, Any]:
    payload = {
        "format": wire.FORMAT,
        "message_id": str(uuid.uuid4()),
        "exchange_id": str(uuid.uuid4()),
        "in_reply_to": None,
        "sent_at": timezone.now().isoformat(),
        "sender": {
            "installation": "dakar",
            "task_force": "SN-DSS",
            "agency": "SN-POL",
            "name": "Awa",
        },
        "recipient": {"code": "TG-LFW"},
        "kind": "request",
        "handling": "amber",
        "deadline": None,
        "subject": "Who travelled with N'DIAYE?",
        "body": "Please share the co-travellers.",
        "travellers": [],
        "flights": [],
        "cases": [],
    }
    payload.update(kwargs)
    return payload


def test_a_received_message_is_filed_once(counterpart: Counterpart, liaison_officer: Any) -> None:
    payload = inbound(counterpart)
    first, created = services.receive(counterpart=counterpart, payload=payload)
    again, created_again = services.receive(counterpart=counterpart, payload=payload)
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert Message.objects.count() == 1
    assert list(exchanges_visible_to(liaison_officer)) == [first.exchange]


def test_an_answer_files_under_our_exchange(
    liaison_officer: Any, counterpart: Counterpart, gateway: Gateway
) -> None:
    exchange = compose(liaison_officer, counterpart, kind="request")
    answer = inbound(counterpart, exchange_id=str(exchange.uid), kind="answer")
    message, _created = services.receive(counterpart=counterpart, payload=answer)
    assert message.exchange == exchange
    exchange.refresh_from_db()
    assert exchange.state == Exchange.State.ANSWERED


def test_malformed_messages_name_the_field(counterpart: Counterpart) -> None:
    for field, value in [("kind", "gossip"), ("handling", "purple"), ("message_id", "nope")]:
        with pytest.raises(wire.WireError) as error:
            services.receive(
                counterpart=counterpart, payload=inbound(counterpart, **{field: value})
            )
        assert error.value.field == field
    with pytest.raises(wire.WireError) as error:
        services.receive(
            counterpart=counterpart,
            payload=inbound(counterpart, travellers=[{"surname": "X", "birth_date": "1990-13-45"}]),
        )
    assert error.value.field == "travellers[0].birth_date"
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("handling", "officer_sees", "other_agency_sees"),
    [("red", False, False), ("amber_strict", True, False), ("amber", True, True)],
)
def test_who_reads_follows_the_handling_code(
    counterpart: Counterpart,
    officer: Any,
    customs: Any,
    liaison_officer: Any,
    handling: str,
    officer_sees: bool,
    other_agency_sees: bool,
) -> None:
    payload = inbound(
        counterpart, handling=handling, recipient={"code": "TG-LFW", "agency": officer.agency.code}
    )
    message, _ = services.receive(counterpart=counterpart, payload=payload)
    customs_officer = PersonFactory(agency=customs, roles=[Role.OFFICER])
    assert exchanges_visible_to(officer).filter(pk=message.exchange_id).exists() == officer_sees
    assert (
        exchanges_visible_to(customs_officer).filter(pk=message.exchange_id).exists()
        == other_agency_sees
    )
    assert exchanges_visible_to(liaison_officer).filter(pk=message.exchange_id).exists()


def test_sending_in_process_while_the_channel_is_down_leaves_the_message_queued(
    liaison_officer: Any,
    counterpart: Counterpart,
    gateway: Gateway,
    embedded_celery: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    gateway.is_up = False
    with django_capture_on_commit_callbacks(execute=True):
        exchange = compose(liaison_officer, counterpart)  # no error reaches the sender
    message = exchange.messages.get()
    assert list(outbox()) == [message]
    assert message.attempts == 1
