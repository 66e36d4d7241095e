"""Liaison pages: inbox, sent, channels, compose and the thread, with who may see and do what."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from aircop.audit.models import AuditEvent
from liaison import services, wire
from liaison.models import Counterpart, Exchange, Message
from tests.agencies.cases.factories import open_case
from tests.agencies.factories import PersonFactory
from tests.conftest import client_for
from tests.targeting.factories import FlightFactory, TravellerFactory


def national_file(task_force: Any, outbox_dir: Path) -> Counterpart:
    """A national database reached through the gateway's folders (store-and-forward)."""
    return Counterpart.objects.create(
        task_force=task_force,
        kind="national",
        code="TG-DB",
        name="Fichier national",
        channel="national_file",
        outbox_dir=str(outbox_dir),
        inbox_dir=str(outbox_dir.parent / "gateway-in"),
    )


@pytest.fixture
def liaison_officer(police: Any) -> Any:
    return PersonFactory(username="liaison", agency=police, roles=[Role.LIAISON_OFFICER])


@pytest.fixture
def customs_officer(customs: Any) -> Any:
    return PersonFactory(username="customs-officer", agency=customs, roles=[Role.OFFICER])


@pytest.fixture
def stranger(other_agency: Any) -> Any:
    """A liaison officer of another task force."""
    return PersonFactory(
        username="dakar", agency=other_agency, roles=[Role.OFFICER, Role.LIAISON_OFFICER]
    )


@pytest.fixture
def counterpart(task_force: Any, police: Any) -> Counterpart:
    """Inbound exchanges are for the police unless they name another agency."""
    return Counterpart.objects.create(
        task_force=task_force,
        kind="national",
        code="TG-DB",
        name="Fichier national",
        channel="national_file",
    )


@pytest.fixture
def flight(task_force: Any) -> Any:
    return FlightFactory(task_force=task_force, carrier="KP", number="51")


@pytest.fixture
def traveller(flight: Any) -> Any:
    return TravellerFactory(flight=flight, surname="KOFFI", given_names="AMA")


def receive(counterpart: Counterpart, **kwargs: Any) -> Exchange:
    """An exchange that came in from the counterpart, through the receiving service."""
    payload: dict[str, Any] = {
        "format": wire.FORMAT,
        "message_id": str(uuid.uuid4()),
        "exchange_id": str(uuid.uuid4()),
        "in_reply_to": None,
        "sent_at": timezone.now().isoformat(),
        "sender": {"installation": "dakar", "task_force": "SN-DSS", "agency": "", "name": "Awa"},
        "recipient": {"code": "TG-LFW", "agency": "TG-POL"},
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
    message, _created = services.receive(counterpart=counterpart, payload=payload)
    return message.exchange


def send(actor: Any, counterpart: Counterpart, **kwargs: Any) -> Exchange:
    fields: dict[str, Any] = {
        "kind": "alert",
        "subject": "Courier on KP51",
        "body": "Two bags, cash ticket.",
        "handling": "amber",
    }
    fields.update(kwargs)
    return services.compose(actor=actor, counterpart=counterpart, **fields)


def detail_url(exchange: Exchange) -> str:
    return reverse("liaison-detail", args=[exchange.pk])


# -- who sees an exchange -----------------------------------------------------------------------


def test_red_exchange_is_for_liaison_officers_only(
    counterpart: Counterpart, officer: Any, liaison_officer: Any
) -> None:
    exchange = receive(counterpart, handling="red", subject="Named recipients only")
    assert client_for(officer).get(detail_url(exchange)).status_code == 404
    assert "Named recipients only" not in client_for(officer).get(reverse("liaison-inbox")).text
    response = client_for(liaison_officer).get(detail_url(exchange))
    assert response.status_code == 200
    assert "Named recipients only" in response.text
    assert "TLP:RED" in response.text


def test_amber_strict_is_for_the_concerned_agency(
    counterpart: Counterpart, officer: Any, customs_officer: Any
) -> None:
    exchange = receive(counterpart, handling="amber_strict", subject="For the police")
    assert exchange.agency == officer.agency
    assert client_for(officer).get(detail_url(exchange)).status_code == 200
    assert client_for(customs_officer).get(detail_url(exchange)).status_code == 404
    assert "For the police" not in client_for(customs_officer).get(reverse("liaison-inbox")).text


def test_amber_is_for_the_whole_task_force(
    counterpart: Counterpart, officer: Any, customs_officer: Any
) -> None:
    exchange = receive(counterpart, handling="amber", body="Please share the co-travellers.")
    for person in (officer, customs_officer):
        response = client_for(person).get(detail_url(exchange))
        assert response.status_code == 200
        assert "Please share the co-travellers." in response.text
        assert (
            "Who travelled with N&#x27;DIAYE?"
            in client_for(person).get(reverse("liaison-inbox")).text
        )


def test_another_task_force_gets_404(counterpart: Counterpart, stranger: Any) -> None:
    exchange = receive(counterpart, handling="clear")
    assert client_for(stranger).get(detail_url(exchange)).status_code == 404
    for name in ("liaison-send", "liaison-reply", "liaison-close"):
        response = client_for(stranger).post(reverse(name, args=[exchange.pk]), {"body": "Hi"})
        assert response.status_code == 404


def test_every_view_of_an_exchange_is_audited(counterpart: Counterpart, officer: Any) -> None:
    exchange = receive(counterpart)
    client_for(officer).get(detail_url(exchange))
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.VIEW, actor=officer, object_id=str(exchange.pk)
    ).exists()


# -- who acts -----------------------------------------------------------------------------------


def test_non_liaison_officer_cannot_compose_or_act(
    counterpart: Counterpart, officer: Any, liaison_officer: Any, traveller: Any
) -> None:
    client = client_for(officer)
    assert client.get(reverse("liaison-compose")).status_code == 404
    assert client.get(reverse("liaison-channels")).status_code == 404
    page = client.get(reverse("liaison-inbox"))
    assert reverse("liaison-compose") not in page.text
    assert client.get(reverse("traveller-detail", args=[traveller.pk])).status_code == 200
    assert (
        "Send a liaison alert"
        not in client.get(reverse("traveller-detail", args=[traveller.pk])).text
    )

    draft = send(liaison_officer, counterpart, send=False)
    received = receive(counterpart)
    assert client.post(reverse("liaison-send", args=[draft.pk])).status_code == 403
    response = client.post(reverse("liaison-reply", args=[received.pk]), {"body": "Here"})
    assert response.status_code == 403
    assert client.post(reverse("liaison-close", args=[received.pk])).status_code == 403
    assert "Send the reply" not in client.get(detail_url(received)).text
    draft.refresh_from_db()
    received.refresh_from_db()
    assert draft.state == Exchange.State.DRAFT
    assert received.state == Exchange.State.DELIVERED
    assert received.messages.count() == 1


def test_liaison_officer_replies_and_closes(counterpart: Counterpart, liaison_officer: Any) -> None:
    exchange = receive(counterpart)
    client = client_for(liaison_officer)
    response = client.post(reverse("liaison-reply", args=[exchange.pk]), {"body": "   "})
    assert response.status_code == 400
    assert "errorlist" in response.text
    response = client.post(reverse("liaison-reply", args=[exchange.pk]), {"body": "Two of them."})
    assert response.status_code == 302
    reply = exchange.messages.get(direction=Exchange.Direction.OUTBOUND)
    assert (reply.body, reply.state) == ("Two of them.", Message.State.QUEUED)
    exchange.refresh_from_db()
    assert exchange.state == Exchange.State.ANSWERED
    assert client.post(reverse("liaison-close", args=[exchange.pk])).status_code == 302
    exchange.refresh_from_db()
    assert exchange.state == Exchange.State.CLOSED


def test_liaison_officer_sends_a_draft(counterpart: Counterpart, liaison_officer: Any) -> None:
    draft = send(liaison_officer, counterpart, send=False)
    client = client_for(liaison_officer)
    assert "draft, not sent" in client.get(detail_url(draft)).text
    assert client.post(reverse("liaison-send", args=[draft.pk])).status_code == 302
    draft.refresh_from_db()
    assert draft.state == Exchange.State.SENT
    assert draft.messages.get().state == Message.State.QUEUED
    # Sending it twice is refused with a message, not an error page.
    response = client.post(reverse("liaison-send", args=[draft.pk]), follow=True)
    assert "Only a draft is sent this way." in response.text


# -- composing ----------------------------------------------------------------------------------


def test_compose_with_a_preselected_traveller_queues_a_message(
    counterpart: Counterpart, liaison_officer: Any, traveller: Any
) -> None:
    client = client_for(liaison_officer)
    page = client.get(reverse("traveller-detail", args=[traveller.pk]))
    assert f"{reverse('liaison-compose')}?traveller={traveller.pk}" in page.text
    url = f"{reverse('liaison-compose')}?traveller={traveller.pk}"
    form = client.get(url)
    assert form.status_code == 200
    assert f'value="{traveller.pk}"' in form.text and "KOFFI, AMA" in form.text
    assert 'value="amber"' in form.text and "checked" in form.text
    deadline = timezone.localtime() + timedelta(hours=6)
    response = client.post(
        url,
        {
            "counterpart": counterpart.pk,
            "kind": "alert",
            "handling": "amber",
            "deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
            "subject": "Courier on KP51",
            "body": "Two bags, cash ticket.",
            "travellers": [traveller.pk],
            "action": "send",
        },
    )
    exchange = Exchange.objects.get()
    assert response.status_code == 302
    assert response["Location"] == detail_url(exchange)
    assert list(exchange.travellers.all()) == [traveller]
    assert exchange.state == Exchange.State.SENT
    assert exchange.deadline is not None
    assert abs(exchange.deadline - deadline) < timedelta(minutes=1)
    # The delivery task runs after commit: until then the message waits in the outbox.
    message = exchange.messages.get()
    assert message.state == Message.State.QUEUED
    assert message.payload["travellers"][0]["surname"] == "KOFFI"
    sent = client.get(reverse("liaison-outbox"))
    assert "waiting to be sent" in sent.text


def compose_through_the_page(
    client: Any, counterpart: Counterpart, traveller: Any, capture_on_commit: Any
) -> None:
    with capture_on_commit(execute=True):
        response = client.post(
            reverse("liaison-compose"),
            {
                "counterpart": counterpart.pk,
                "kind": "alert",
                "handling": "amber",
                "subject": "Courier on KP51",
                "body": "Two bags.",
                "travellers": [traveller.pk],
                "action": "send",
            },
        )
    assert response.status_code == 302


def test_compose_delivers_through_the_store_and_forward_channel(
    task_force: Any,
    liaison_officer: Any,
    traveller: Any,
    tmp_path: Path,
    embedded_celery: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    national = national_file(task_force, tmp_path / "gateway-out")
    (tmp_path / "gateway-out").mkdir()
    client = client_for(liaison_officer)
    compose_through_the_page(client, national, traveller, django_capture_on_commit_callbacks)
    message = Exchange.objects.get().messages.get()
    assert message.state == Message.State.DELIVERED
    [written] = list((tmp_path / "gateway-out").glob("*.json"))
    document = json.loads(written.read_text(encoding="utf-8"))
    assert document["message"]["travellers"][0]["surname"] == "KOFFI"
    page = client.get(reverse("liaison-outbox"))
    assert "delivered" in page.text and "waiting" not in page.text


def test_a_channel_down_shows_on_the_sent_and_channels_pages(
    task_force: Any,
    liaison_officer: Any,
    traveller: Any,
    tmp_path: Path,
    embedded_celery: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    national = national_file(task_force, tmp_path / "not-mounted")
    client = client_for(liaison_officer)
    compose_through_the_page(client, national, traveller, django_capture_on_commit_callbacks)
    message = Exchange.objects.get().messages.get()
    assert message.state == Message.State.QUEUED and message.last_error
    page = client.get(reverse("liaison-outbox"))
    assert "waiting: channel down" in page.text and "1 attempt" in page.text
    channels = client.get(reverse("liaison-channels"))
    [row] = [r for r in channels.text.split("<tr data-counterpart=") if "Fichier national" in r]
    assert "health-down" in row and '<td class="waiting">1' in row


def test_compose_saves_a_draft_and_shows_errors(
    counterpart: Counterpart, liaison_officer: Any
) -> None:
    client = client_for(liaison_officer)
    fields = {"counterpart": counterpart.pk, "kind": "request", "handling": "red"}
    response = client.post(
        reverse("liaison-compose"),
        {
            **fields,
            "subject": "Check",
            "body": "Who is this?",
            "deadline": "2001-01-01T10:00",
            "action": "send",
        },
    )
    assert response.status_code == 400
    assert "The deadline must be in the future." in response.text
    assert not Exchange.objects.exists()
    client.post(
        reverse("liaison-compose"),
        {**fields, "subject": "Check", "body": "Who is this?", "action": "draft"},
    )
    draft = Exchange.objects.get()
    assert (draft.state, draft.handling) == (Exchange.State.DRAFT, "red")
    assert draft.messages.get().state == Message.State.DRAFT


def test_compose_refuses_what_the_person_may_not_attach(
    counterpart: Counterpart, liaison_officer: Any, other_task_force: Any
) -> None:
    foreign: Any = TravellerFactory(flight=FlightFactory(task_force=other_task_force))
    client = client_for(liaison_officer)
    url = reverse("liaison-compose")
    assert client.get(f"{url}?traveller={foreign.pk}").status_code == 404
    assert client.get(f"{url}?flight={foreign.flight_id}").status_code == 404
    assert client.get(f"{url}?case=999999").status_code == 404
    response = client.post(
        url,
        {
            "counterpart": counterpart.pk,
            "kind": "alert",
            "handling": "amber",
            "subject": "x",
            "body": "y",
            "travellers": [foreign.pk],
            "action": "send",
        },
    )
    assert response.status_code == 400
    assert not Exchange.objects.exists()


def test_compose_finds_travellers_and_offers_todays_flights(
    liaison_officer: Any, traveller: Any, task_force: Any
) -> None:
    today: Any = FlightFactory(
        task_force=task_force, carrier="ET", number="921", scheduled_departure=timezone.now()
    )
    client = client_for(liaison_officer)
    page = client.get(reverse("liaison-compose"), {"q": "koff"})
    assert "KOFFI, AMA" in page.text
    assert f'name="travellers" value="{traveller.pk}"' in page.text
    assert "ET921" in page.text
    assert AuditEvent.objects.filter(action=AuditEvent.Action.SEARCH, actor=liaison_officer)
    assert "No traveller found" in client.get(reverse("liaison-compose"), {"q": "zz"}).text
    assert today.pk


def test_compose_from_a_case(officer: Any, liaison_officer: Any, flight: Any) -> None:
    case = open_case(officer, title="Cocaine in a suitcase", flights=[flight])
    client = client_for(liaison_officer)
    assert f"?case={case.pk}" in client.get(reverse("case-detail", args=[case.pk])).text
    page = client.get(reverse("liaison-compose"), {"case": case.pk})
    assert f'name="cases" value="{case.pk}"' in page.text


# -- the lists ----------------------------------------------------------------------------------


def test_overdue_exchanges_are_marked_in_words(
    counterpart: Counterpart, officer: Any, liaison_officer: Any
) -> None:
    late = receive(counterpart, subject="Late one", deadline=None)
    Exchange.objects.filter(pk=late.pk).update(deadline=timezone.now() - timedelta(hours=1))
    receive(
        counterpart,
        subject="In time",
        deadline=(timezone.now() + timedelta(days=1)).isoformat(),
    )
    page = client_for(officer).get(reverse("liaison-inbox"))
    rows = page.text.split("<tr data-exchange=")
    [late_row] = [r for r in rows if "Late one" in r]
    [fine_row] = [r for r in rows if "In time" in r]
    assert 'class="overdue"' in late_row and ">overdue<" in late_row
    assert "overdue" not in fine_row
    assert 'id="exchange-overdue"' in client_for(officer).get(detail_url(late)).text


def test_inbox_filters(counterpart: Counterpart, task_force: Any, officer: Any) -> None:
    other = Counterpart.objects.create(
        task_force=task_force, kind="cencomm", code="WCO", name="CENcomm", channel="x"
    )
    receive(counterpart, subject="From the file", kind="request")
    receive(other, subject="From customs", kind="seizure")
    client = client_for(officer)
    page = client.get(reverse("liaison-inbox"), {"counterpart": other.pk})
    assert "From customs" in page.text and "From the file" not in page.text
    page = client.get(reverse("liaison-inbox"), {"kind": "request"})
    assert "From the file" in page.text and "From customs" not in page.text
    page = client.get(reverse("liaison-inbox"), {"state": "closed"})
    assert "From the file" not in page.text and "From customs" not in page.text


def _count_queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["liaison-inbox", "liaison-outbox"])
def test_list_queries_do_not_grow_with_rows(
    counterpart: Counterpart,
    liaison_officer: Any,
    name: str,
    django_assert_max_num_queries: Any,
) -> None:
    def add(n: int) -> None:
        for i in range(n):
            if name == "liaison-inbox":
                late = receive(counterpart, subject=f"In {i}")
                Exchange.objects.filter(pk=late.pk).update(
                    deadline=timezone.now() - timedelta(hours=1)
                )
            else:
                send(liaison_officer, counterpart, subject=f"Out {i}")

    client = client_for(liaison_officer)
    add(2)
    few = _count_queries(client, reverse(name))
    add(10)
    assert _count_queries(client, reverse(name)) == few
    with django_assert_max_num_queries(12):
        client.get(reverse(name))
