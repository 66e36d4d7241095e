"""Screening: hits from lists and rules; idempotent; re-run on changes; seen by those entitled."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from agencies.models import Agency, Role
from targeting.manifests.models import Flight
from targeting.rules import screening, selectors, watchlists
from targeting.rules.models import Hit, WatchlistEntry
from targeting.rules.rules import save_rule
from tests.agencies.factories import AgencyFactory, PersonFactory
from tests.targeting.factories import FlightFactory, TravellerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def customs(task_force: Any) -> Agency:
    return AgencyFactory(task_force=task_force, code="TG-CUS")


@pytest.fixture
def flight(task_force: Any) -> Flight:
    return FlightFactory(task_force=task_force)


def listed(agency: Agency, visibility: str = "agency", **entry: Any) -> WatchlistEntry:
    watchlist = watchlists.create_watchlist(
        actor=None, agency=agency, name=f"list {agency.code} {visibility}", visibility=visibility
    )
    return watchlists.save_entry(actor=None, entry=WatchlistEntry(watchlist=watchlist, **entry))


def test_listed_traveller_gets_a_hit_with_explanation(customs: Agency, flight: Flight) -> None:
    traveller = TravellerFactory(
        flight=flight,
        surname="ALHASAN",
        given_names="MUHAMMAD",
        birth_date=date(1985, 3, 2),
        nationality="SYR",
    )
    TravellerFactory(flight=flight, surname="MENSAH", given_names="KOSSI")
    entry = listed(
        customs,
        full_name="Мухаммад Аль-Хасан",
        birth_date="1985",
        category="terrorism",
        action="hold for INTERPOL check",
    )
    assert screening.screen_flight(flight.pk) == 1
    hit = Hit.objects.get()
    assert hit.traveller == traveller and hit.entry == entry and hit.score >= 80
    assert "hold for INTERPOL check" in hit.explanation
    traveller.refresh_from_db()
    flight.refresh_from_db()
    assert traveller.risk_score == hit.score
    assert flight.screening_state == "screened" and flight.screened_at is not None


def test_screening_twice_leaves_the_same_hits(customs: Agency, flight: Flight) -> None:
    TravellerFactory(flight=flight, surname="KOFFI", given_names="JEAN")
    listed(customs, full_name="KOFFI Jean")
    screening.screen_flight(flight.pk)
    first = list(Hit.objects.values_list("id", "score", "explanation"))
    screening.screen_flight(flight.pk)
    assert list(Hit.objects.values_list("id", "score", "explanation")) == first
    assert len(first) == 1


def test_stolen_document_is_found_by_its_number(customs: Agency, flight: Flight) -> None:
    TravellerFactory(
        flight=flight, surname="DOE", given_names="JANE", documents=[("A0I23456", "SEN")]
    )
    watchlist = watchlists.create_watchlist(
        actor=None, agency=customs, name="SLTD", kind="documents"
    )
    watchlists.save_entry(
        actor=None,
        entry=WatchlistEntry(
            watchlist=watchlist,
            document_number="AO123456",
            issuing_state="SEN",
            category="documents",
        ),
    )
    screening.screen_flight(flight.pk)
    assert Hit.objects.get().category == "documents"


def test_removed_entry_removes_the_hit(customs: Agency, flight: Flight) -> None:
    TravellerFactory(flight=flight, surname="KOFFI", given_names="JEAN")
    entry = listed(customs, full_name="KOFFI Jean")
    screening.screen_flight(flight.pk)
    watchlists.deactivate_entry(actor=None, entry=entry, reason="notice withdrawn")
    screening.screen_flight(flight.pk)
    assert Hit.objects.count() == 0


def test_new_entry_rescreens_tomorrows_flight(
    customs: Agency,
    flight: Flight,
    django_capture_on_commit_callbacks: Any,
    embedded_celery: None,
) -> None:
    TravellerFactory(flight=flight, surname="OKAFOR", given_names="CHINEDU")
    screening.screen_flight(flight.pk)
    assert Hit.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        listed(customs, full_name="OKAFOR Chinedu")
    assert Hit.objects.filter(traveller__flight=flight).count() == 1


def test_past_flights_are_not_rescreened(customs: Agency, task_force: Any) -> None:
    old = FlightFactory(
        task_force=task_force, scheduled_departure=timezone.now() - timedelta(days=10)
    )
    entry = listed(customs, full_name="X Y")
    assert old.pk not in screening.upcoming_flights_for(
        watchlist_id=entry.watchlist_id, rule_id=None
    )


def test_agency_only_hit_is_invisible_to_another_agency(
    customs: Agency, police: Agency, flight: Flight
) -> None:
    TravellerFactory(flight=flight, surname="KOFFI", given_names="JEAN")
    listed(customs, full_name="KOFFI Jean")
    screening.screen_flight(flight.pk)
    customs_officer = PersonFactory(agency=customs)
    police_officer = PersonFactory(agency=police)
    assert selectors.hits_visible_to(customs_officer).count() == 1
    assert selectors.hits_visible_to(police_officer).count() == 0


def test_task_force_list_hit_is_visible_to_every_agency(
    customs: Agency, police: Agency, flight: Flight
) -> None:
    TravellerFactory(flight=flight, surname="KOFFI", given_names="JEAN")
    listed(customs, visibility="task_force", full_name="KOFFI Jean")
    screening.screen_flight(flight.pk)
    assert selectors.hits_visible_to(PersonFactory(agency=police)).count() == 1


def test_rule_flags_travellers_with_plain_reason(customs: Agency, flight: Flight) -> None:
    analyst = PersonFactory(agency=customs, roles=[Role.ANALYST])
    TravellerFactory(flight=flight, surname="A", given_names="B", nationality="BRA")
    TravellerFactory(flight=flight, surname="C", given_names="D", nationality="TGO")
    save_rule(
        actor=analyst,
        rule=None,
        name="Brazilian nationals",
        weight=40,
        category="drugs",
        condition={"field": "nationality", "op": "eq", "value": "BRA"},
        reason="source country",
    )
    screening.screen_flight(flight.pk)
    hit = Hit.objects.get(source="rule")
    assert hit.traveller.nationality == "BRA" and hit.score == 40
    assert "Brazilian nationals" in hit.explanation


def test_listed_and_rule_hits_combine_into_priority(customs: Agency, flight: Flight) -> None:
    analyst = PersonFactory(agency=customs, roles=[Role.ANALYST])
    traveller = TravellerFactory(
        flight=flight,
        surname="KOFFI",
        given_names="JEAN",
        nationality="CIV",
        birth_date=date(1975, 1, 4),
    )
    # The list says born 1976: a likely match, not a certain one.
    listed(customs, full_name="KOFFI Jean", birth_date="1976")
    save_rule(
        actor=analyst,
        rule=None,
        name="CIV",
        weight=50,
        category="drugs",
        condition={"field": "nationality", "op": "eq", "value": "CIV"},
        reason="test",
    )
    screening.screen_flight(flight.pk)
    traveller.refresh_from_db()
    scores = sorted(Hit.objects.values_list("score", flat=True))
    assert len(scores) == 2 and max(scores) < 100
    assert traveller.risk_score == screening.combined_score(scores)
    assert traveller.risk_score > max(scores)


def test_broken_rule_marks_the_flight_failed(customs: Agency, flight: Flight) -> None:
    TravellerFactory(flight=flight)
    analyst = PersonFactory(agency=customs, roles=[Role.ANALYST])
    rule = save_rule(
        actor=analyst,
        rule=None,
        name="ok",
        weight=10,
        category="drugs",
        condition={"field": "nationality", "op": "eq", "value": "TGO"},
        reason="x",
    )
    type(rule.current_version).objects.filter(pk=rule.current_version_id).update(
        condition={"field": "no_such_field", "op": "eq", "value": 1}
    )
    with pytest.raises(Exception):  # noqa: B017  (whatever the evaluator raises, it surfaces)
        screening.screen_flight(flight.pk)
    flight.refresh_from_db()
    assert flight.screening_state == "failed" and flight.screening_error


def test_combined_score_is_bounded() -> None:
    assert screening.combined_score([]) == 0
    assert screening.combined_score([50, 50]) == 75
    assert screening.combined_score([100, 10]) == 100


def test_api_hides_hits_of_another_agencys_list(
    customs: Agency, police: Agency, flight: Flight
) -> None:
    from tests.conftest import client_for

    TravellerFactory(flight=flight, surname="KOFFI", given_names="JEAN")
    listed(customs, full_name="KOFFI Jean")
    screening.screen_flight(flight.pk)
    hit = Hit.objects.get()
    customs_client = client_for(PersonFactory(agency=customs))
    police_client = client_for(PersonFactory(agency=police))
    assert customs_client.get(f"/api/v1/hits/{hit.pk}/").json()["score"] == hit.score
    assert police_client.get(f"/api/v1/hits/{hit.pk}/").status_code == 404
    assert police_client.get("/api/v1/hits/").json()["results"] == []
