from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from agencies.models import Role
from aircop.audit.models import AuditEvent
from targeting.rules.models import Visibility
from targeting.triage.models import Decision, Disposition, Outcome, State
from tests.agencies.factories import PersonFactory
from tests.conftest import client_for
from tests.targeting.factories import (
    FlightFactory,
    HitFactory,
    PaymentFactory,
    ReservationFactory,
    TravellerFactory,
    WatchlistEntryFactory,
    WatchlistFactory,
)


@pytest.fixture
def flight(task_force: Any) -> Any:
    return FlightFactory(task_force=task_force)


@pytest.fixture
def shared_list(police: Any) -> Any:
    return WatchlistFactory(agency=police, visibility=Visibility.TASK_FORCE)


def flag(flight: Any, watchlist: Any, **traveller: Any) -> Any:
    entry = WatchlistEntryFactory(watchlist=watchlist)
    return HitFactory(traveller=TravellerFactory(flight=flight, **traveller), entry=entry)


def decide(client: Any, traveller: Any, **fields: Any) -> Any:
    return client.post(
        reverse("traveller-decide", args=[traveller.pk]),
        fields,
        HTTP_ACCEPT="application/json",
    )


def test_queue_is_the_officers_home_page_with_flight_and_explanation(
    officer: Any, flight: Any, shared_list: Any
) -> None:
    hit = flag(flight, shared_list, surname="KOFFI")
    page = client_for(officer).get(reverse("home")).content.decode()
    assert f'data-traveller="{hit.traveller.pk}"' in page
    assert hit.explanation in page
    assert flight.designator in page
    assert "data-countdown" in page


def test_queue_filters_by_name_document_and_category(
    officer: Any, flight: Any, shared_list: Any
) -> None:
    koffi = flag(flight, shared_list, surname="KOFFI", documents=[("TG 123 456", "TGO")])
    sow = flag(flight, shared_list, surname="SOW")
    client = client_for(officer)
    by_name = client.get(reverse("home"), {"q": "koffi"}).content.decode()
    assert f'data-traveller="{koffi.traveller.pk}"' in by_name
    assert f'data-traveller="{sow.traveller.pk}"' not in by_name
    by_document = client.get(reverse("home"), {"q": "TG123456"}).content.decode()
    assert f'data-traveller="{koffi.traveller.pk}"' in by_document
    assert f'data-traveller="{sow.traveller.pk}"' not in by_document
    wildlife = client.get(reverse("home"), {"category": "wildlife"}).content.decode()
    assert "data-traveller=" not in wildlife


def test_poll_answers_204_until_something_changes(
    officer: Any, flight: Any, shared_list: Any
) -> None:
    client = client_for(officer)
    first = client.get(reverse("home"), HTTP_HX_REQUEST="true")
    stamp = first.context["stamp"]
    again = client.get(reverse("home"), {"stamp": stamp}, HTTP_HX_REQUEST="true")
    assert again.status_code == 204
    hit = flag(flight, shared_list, surname="NEWCOMER")
    changed = client.get(reverse("home"), {"stamp": stamp}, HTTP_HX_REQUEST="true")
    assert changed.status_code == 200
    assert f'data-traveller="{hit.traveller.pk}"' in changed.content.decode()
    assert 'id="queue"' in changed.content.decode()
    assert "<html" not in changed.content.decode()  # only the list, swapped in place


def test_queue_makes_the_same_number_of_queries_for_10_and_1000_hits(
    officer: Any, task_force: Any, shared_list: Any, django_assert_num_queries: Any
) -> None:
    client = client_for(officer)
    client.get(reverse("home"))  # warm the session and the content types

    def make(n: int) -> None:
        flights = [FlightFactory(task_force=task_force) for _ in range(3)]
        entry = WatchlistEntryFactory(watchlist=shared_list)
        for i in range(n):
            traveller = TravellerFactory(flight=flights[i % 3], surname=f"T{i}")
            HitFactory(traveller=traveller, entry=entry)

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("home"))
        assert response.status_code == 200
        return len(queries)

    make(10)
    small = count()
    make(990)
    assert count() == small


def test_officer_decides_from_the_page_and_the_history_shows_it(
    officer: Any, customs: Any, flight: Any, shared_list: Any
) -> None:
    traveller = flag(flight, shared_list).traveller
    client = client_for(officer)
    url = reverse("traveller-decide", args=[traveller.pk])
    response = client.post(url, {"kind": "assign", "version": 0, "assignee": "me"})
    assert response.status_code == 302
    response = client.post(
        url, {"kind": "outcome", "version": 1, "outcome": "positive", "reason": "2 kg in bag"}
    )
    page = client.get(response["Location"]).content.decode()
    assert "2 kg in bag" in page
    assert 'id="case-offer"' in page
    assert Disposition.objects.get(traveller=traveller).state == State.DECIDED
    # Decided: it left the queue.
    assert f'data-traveller="{traveller.pk}"' not in client.get(reverse("home")).content.decode()


def test_second_officer_deciding_on_an_old_version_is_told_and_nothing_is_lost(
    officer: Any, police: Any, flight: Any, shared_list: Any
) -> None:
    colleague = PersonFactory(agency=police, roles=[Role.OFFICER], first_name="Ama")
    traveller = flag(flight, shared_list).traveller
    first = decide(
        client_for(colleague), traveller, kind="outcome", version=0, outcome="cleared", reason="ok"
    )
    assert first.status_code == 200
    second = decide(
        client_for(officer), traveller, kind="outcome", version=0, outcome="positive", reason="x"
    )
    assert second.status_code == 409
    answer = json.loads(second.content)
    assert "Ama" in answer["message"] and answer["version"] == 1
    assert list(Decision.objects.values_list("outcome", flat=True)) == [Outcome.CLEARED]
    retry = decide(
        client_for(officer), traveller, kind="outcome", version=1, outcome="positive", reason="x"
    )
    assert retry.status_code == 200
    assert Decision.objects.count() == 2


def test_decision_errors_name_the_field(officer: Any, flight: Any, shared_list: Any) -> None:
    traveller = flag(flight, shared_list).traveller
    response = decide(client_for(officer), traveller, kind="refer", version=0, reason="x")
    assert response.status_code == 400
    assert "agency" in json.loads(response.content)["message"].lower()
    assert not Decision.objects.exists()


def test_hidden_hit_answers_404_by_url_to_an_officer_of_another_agency(
    customs: Any, flight: Any, police: Any, shared_list: Any
) -> None:
    hidden = flag(flight, WatchlistFactory(agency=police, visibility=Visibility.AGENCY))
    customs_officer = PersonFactory(agency=customs, roles=[Role.OFFICER])
    client = client_for(customs_officer)
    assert client.get(reverse("hit-detail", args=[hidden.pk])).status_code == 404
    page = client.get(reverse("traveller-detail", args=[hidden.traveller.pk])).content.decode()
    assert hidden.explanation not in page
    assert (
        f'data-traveller="{hidden.traveller.pk}"'
        not in client.get(reverse("home")).content.decode()
    )
    # The police officer who may see it is taken to the traveller.
    police_officer = PersonFactory(agency=police, roles=[Role.OFFICER])
    response = client_for(police_officer).get(reverse("hit-detail", args=[hidden.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/travellers/{hidden.traveller.pk}/#hit-{hidden.pk}")


def test_officer_of_another_task_force_gets_404_for_hit_traveller_and_decision(
    other_agency: Any, flight: Any, shared_list: Any
) -> None:
    hit = flag(flight, shared_list)
    stranger = client_for(PersonFactory(agency=other_agency, roles=[Role.OFFICER]))
    assert stranger.get(reverse("hit-detail", args=[hit.pk])).status_code == 404
    assert stranger.get(reverse("traveller-detail", args=[hit.traveller.pk])).status_code == 404
    response = decide(stranger, hit.traveller, kind="assign", version=0, assignee="me")
    assert response.status_code == 404
    assert (
        f'data-traveller="{hit.traveller.pk}"' not in stranger.get(reverse("home")).content.decode()
    )
    assert not Decision.objects.exists()


def test_analyst_sees_the_queue_but_cannot_decide(
    police: Any, flight: Any, shared_list: Any
) -> None:
    analyst = PersonFactory(agency=police, roles=[Role.ANALYST])
    traveller = flag(flight, shared_list).traveller
    client = client_for(analyst)
    page = client.get(reverse("home")).content.decode()
    assert f'data-traveller="{traveller.pk}"' in page
    assert 'data-action="assign"' not in page
    response = decide(client, traveller, kind="assign", version=0, assignee="me")
    assert response.status_code == 403
    assert not Decision.objects.exists()


def test_reading_the_triage_view_is_audited(officer: Any, flight: Any, shared_list: Any) -> None:
    traveller = flag(flight, shared_list).traveller
    client_for(officer).get(reverse("traveller-detail", args=[traveller.pk]))
    assert AuditEvent.objects.filter(action="view", object_id=str(traveller.pk)).exists()


def test_platform_admin_keeps_the_onboarding_home(platform_admin: Any) -> None:
    page = client_for(platform_admin).get(reverse("home")).content.decode()
    assert "You see no passenger data" in page


def test_triage_view_shows_travellers_linked_by_a_shared_card(
    officer: Any, task_force: Any, flight: Any, shared_list: Any
) -> None:
    hit = flag(flight, shared_list, surname="COURIER")
    earlier = FlightFactory(task_force=task_force)
    partner = TravellerFactory(flight=earlier, surname="PARTNER")
    for traveller in (hit.traveller, partner):
        traveller.reservation = ReservationFactory(task_force=task_force)
        traveller.save()
        PaymentFactory(reservation=traveller.reservation, card_last4="4242", card_hash="k" * 64)
    page = client_for(officer).get(reverse("traveller-detail", args=[hit.traveller.pk]))
    html = page.content.decode()
    assert reverse("traveller-detail", args=[partner.pk]) in html
    assert "card ending 4242" in html
    assert "k" * 64 not in html
