"""Alerts from other task forces: a hit in the triage queue, seen per its handling code."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from agencies.models import Role
from liaison import services
from liaison.models import Counterpart
from targeting.manifests.models import Flight, Traveller
from targeting.rules import screening
from targeting.rules.models import Hit
from tests.agencies.factories import PersonFactory
from tests.conftest import client_for
from tests.targeting.factories import FlightFactory, TravellerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def dakar(task_force: Any, police: Any, customs: Any) -> Counterpart:
    """Dakar's alerts come to Lomé, whose police and customs may be the agency concerned."""
    return Counterpart.objects.create(
        task_force=task_force,
        kind=Counterpart.Kind.TASK_FORCE,
        code="SN-DSS",
        name="JAITF Dakar",
        channel="jaitf_https",
    )


@pytest.fixture
def flight(task_force: Any) -> Flight:
    return FlightFactory(task_force=task_force, carrier="KP", number="51")


@pytest.fixture
def courier(flight: Flight) -> Traveller:
    return TravellerFactory(
        flight=flight,
        surname="DIALLO",
        given_names="AMADOU",
        name_key="DIALLO/AMADOU",
        birth_date=date(1990, 4, 1),
        nationality="SEN",
        documents=[("A1234567", "SEN")],
    )


@pytest.fixture
def liaison_officer(police: Any) -> Any:
    return PersonFactory(username="liaison", agency=police, roles=[Role.LIAISON_OFFICER])


@pytest.fixture
def customs_officer(customs: Any) -> Any:
    return PersonFactory(username="customs-officer", agency=customs, roles=[Role.OFFICER])


def alert(
    handling: str = "amber",
    exchange_id: str | None = None,
    message_id: str | None = None,
    **traveller: Any,
) -> dict[str, Any]:
    """An aircop-exchange/1 alert from Dakar about one traveller (by default, by passport)."""
    described = {
        "surname": "Diallo",
        "given_names": "Amadou",
        "birth_date": "",
        "nationality": "SEN",
        "document": {"type": "P", "number": "A 1234567", "issuing_state": "SEN"},
        "flight": None,
    }
    described.update(traveller)
    return {
        "format": "aircop-exchange/1",
        "message_id": message_id or str(uuid.uuid4()),
        "exchange_id": exchange_id or str(uuid.uuid4()),
        "in_reply_to": None,
        "sent_at": timezone.now().isoformat(),
        "sender": {"installation": "dakar", "task_force": "SN-DSS", "agency": "SN-POL"},
        "recipient": {"code": "TG-LFW"},
        "kind": "alert",
        "handling": handling,
        "deadline": None,
        "subject": "Courier with two bags",
        "body": "Seen at check-in with two new suitcases, ticket paid cash.",
        "travellers": [described],
        "flights": [],
        "cases": [],
    }


def receive(counterpart: Counterpart, payload: dict[str, Any]) -> None:
    services.receive(counterpart=counterpart, payload=payload)


def hits_api(person: Any, hit: Hit | None = None) -> Any:
    url = f"/api/v1/hits/{hit.pk}/" if hit else "/api/v1/hits/"
    return client_for(person).get(url)


def test_amber_alert_lands_in_an_officers_queue_with_its_handling_code(
    dakar: Counterpart, courier: Traveller, officer: Any
) -> None:
    receive(dakar, alert("amber"))
    hit = Hit.objects.get()
    assert (hit.traveller, hit.source, hit.score, hit.handling) == (
        courier,
        Hit.Source.LIAISON,
        95,
        "amber",
    )
    assert hit.explanation.startswith("Liaison alert from JAITF Dakar (TLP:AMBER): Courier")
    queue = client_for(officer).get(reverse("home")).content.decode()
    assert f'data-traveller="{courier.pk}"' in queue
    assert "TLP:AMBER" in queue and "alert from JAITF Dakar" in queue
    page = client_for(officer).get(reverse("traveller-detail", args=[courier.pk])).content
    assert b"TLP:AMBER" in page and b"JAITF Dakar" in page
    assert hits_api(officer, hit).json()["handling"] == "amber"
    courier.refresh_from_db()
    assert courier.risk_score == 95


@pytest.mark.parametrize("handling", ["green", "clear"])
def test_green_and_clear_alerts_are_seen_by_the_whole_task_force(
    dakar: Counterpart, courier: Traveller, officer: Any, customs_officer: Any, handling: str
) -> None:
    receive(dakar, alert(handling))
    hit = Hit.objects.get()
    for person in (officer, customs_officer):
        assert hits_api(person, hit).status_code == 200
        assert f"TLP:{handling.upper()}" in client_for(person).get(reverse("home")).text


def test_amber_strict_alert_is_seen_by_the_agency_it_is_for_only(
    dakar: Counterpart, courier: Traveller, officer: Any, customs_officer: Any
) -> None:
    receive(dakar, alert("amber_strict"))
    hit = Hit.objects.get()
    assert hit.agency == hit.exchange.agency
    inside, outside = (
        (officer, customs_officer) if hit.agency == officer.agency else (customs_officer, officer)
    )
    assert hits_api(inside, hit).status_code == 200
    assert "TLP:AMBER+STRICT" in client_for(inside).get(reverse("home")).text
    assert hits_api(outside, hit).status_code == 404
    assert hits_api(outside).json()["count"] == 0
    assert f'data-traveller="{courier.pk}"' not in client_for(outside).get(reverse("home")).text
    page = client_for(outside).get(reverse("traveller-detail", args=[courier.pk])).text
    assert "TLP:AMBER" not in page and "JAITF Dakar" not in page


def test_red_alert_is_for_liaison_officers_only(
    dakar: Counterpart, courier: Traveller, officer: Any, liaison_officer: Any
) -> None:
    receive(dakar, alert("red"))
    hit = Hit.objects.get()
    # Same agency: the queue's cache must not hand the liaison officer's rows to the officer.
    assert officer.agency == liaison_officer.agency
    assert hits_api(liaison_officer, hit).status_code == 200
    assert f'data-traveller="{courier.pk}"' in client_for(liaison_officer).get(reverse("home")).text
    assert hits_api(officer, hit).status_code == 404
    assert f'data-traveller="{courier.pk}"' not in client_for(officer).get(reverse("home")).text
    page = client_for(officer).get(reverse("traveller-detail", args=[courier.pk])).text
    assert "TLP:RED" not in page and "JAITF Dakar" not in page
    assert client_for(officer).get(reverse("hit-detail", args=[hit.pk])).status_code == 404


def test_receiving_the_same_alert_twice_makes_one_hit(
    dakar: Counterpart, courier: Traveller
) -> None:
    payload = alert()
    receive(dakar, payload)
    receive(dakar, payload)
    assert Hit.objects.filter(traveller=courier).count() == 1


def test_a_traveller_named_twice_by_one_alert_gets_one_hit(
    dakar: Counterpart, courier: Traveller
) -> None:
    payload = alert(birth_date="1990-04-01")
    payload["travellers"].append(dict(payload["travellers"][0], document=None))
    receive(dakar, payload)
    assert Hit.objects.filter(traveller=courier).count() == 1


def test_recognised_by_name_and_birth_date_without_a_document(
    dakar: Counterpart, courier: Traveller
) -> None:
    receive(dakar, alert(document=None, birth_date="1990-04-01", given_names="Amadou Bamba"))
    assert "name and birth date" in Hit.objects.get(traveller=courier).explanation


def test_recognised_by_name_on_the_flight_the_alert_names(
    dakar: Counterpart, courier: Traveller, flight: Flight
) -> None:
    on_flight = {
        "carrier": "KP",
        "number": "051",
        "departure_airport": flight.departure_airport,
        "arrival_airport": flight.arrival_airport,
        "departure_date": flight.departure_date.isoformat(),
    }
    receive(dakar, alert(document=None, flight=on_flight))
    assert Hit.objects.filter(traveller=courier).count() == 1


def test_a_namesake_is_not_flagged(dakar: Counterpart, flight: Flight) -> None:
    TravellerFactory(
        flight=flight, surname="DIALLO", given_names="AMADOU", name_key="DIALLO/AMADOU"
    )
    receive(dakar, alert(document=None, birth_date="1990-04-01"))
    assert not Hit.objects.exists()


def test_document_of_another_issuing_state_is_not_a_match(
    dakar: Counterpart, courier: Traveller
) -> None:
    receive(dakar, alert(document={"type": "P", "number": "A1234567", "issuing_state": "MLI"}))
    assert not Hit.objects.exists()


def test_past_and_distant_flights_are_not_flagged(dakar: Counterpart, task_force: Any) -> None:
    for hours in (-30, 24 * 5):
        TravellerFactory(
            flight=FlightFactory(
                task_force=task_force,
                scheduled_departure=timezone.now() + timedelta(hours=hours),
            ),
            surname="DIALLO",
            documents=[("A1234567", "SEN")],
        )
    receive(dakar, alert())
    assert not Hit.objects.exists()


def test_another_task_forces_travellers_are_never_flagged(
    dakar: Counterpart, other_task_force: Any
) -> None:
    elsewhere = FlightFactory(task_force=other_task_force, carrier="KP", number="51")
    TravellerFactory(flight=elsewhere, surname="DIALLO", documents=[("A1234567", "SEN")])
    receive(dakar, alert())
    assert not Hit.objects.exists()


def test_a_request_is_not_an_alert(dakar: Counterpart, courier: Traveller) -> None:
    receive(dakar, dict(alert(), kind="request"))
    assert not Hit.objects.exists()


def test_alert_before_the_manifest_flags_the_traveller_when_the_flight_is_screened(
    dakar: Counterpart, flight: Flight, officer: Any
) -> None:
    receive(dakar, alert())
    assert not Hit.objects.exists()
    courier = TravellerFactory(flight=flight, surname="DIALLO", documents=[("A1234567", "SEN")])
    assert screening.screen_flight(flight.pk) == 1
    hit = Hit.objects.get(traveller=courier)
    assert hit.source == Hit.Source.LIAISON
    courier.refresh_from_db()
    assert courier.risk_score == 95
    assert f'data-traveller="{courier.pk}"' in client_for(officer).get(reverse("home")).text


def test_alerts_older_than_72_hours_do_not_flag_a_new_manifest(
    dakar: Counterpart, flight: Flight
) -> None:
    receive(dakar, alert())
    dakar.exchanges.update(created_at=timezone.now() - timedelta(hours=73))
    TravellerFactory(flight=flight, surname="DIALLO", documents=[("A1234567", "SEN")])
    screening.screen_flight(flight.pk)
    assert not Hit.objects.exists()


def test_screening_keeps_the_alert_hit_and_combines_the_scores(
    dakar: Counterpart, courier: Traveller, flight: Flight, police: Any
) -> None:
    from targeting.rules import watchlists
    from targeting.rules.models import WatchlistEntry

    receive(dakar, alert())
    watchlist = watchlists.create_watchlist(actor=None, agency=police, name="couriers")
    watchlists.save_entry(
        actor=None, entry=WatchlistEntry(watchlist=watchlist, full_name="DIALLO Amadou")
    )
    screening.screen_flight(flight.pk)
    screening.screen_flight(flight.pk)
    assert sorted(Hit.objects.values_list("source", flat=True)) == ["liaison", "watchlist"]
    courier.refresh_from_db()
    listed = Hit.objects.get(source=Hit.Source.WATCHLIST).score
    assert courier.risk_score == screening.combined_score([95, listed]) > 95
