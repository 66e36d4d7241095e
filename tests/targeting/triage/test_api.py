"""The triage API: the queue, decisions and links, with the need-to-know of the pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.fields import DateTimeField
from rest_framework.test import APIClient

from agencies.models import Role
from aircop.api.services import create_personal_token
from aircop.audit.models import AuditEvent
from targeting.rules.models import Category, Visibility
from targeting.triage import services
from targeting.triage.models import Decision, Disposition, Outcome, State
from tests.agencies.factories import PersonFactory
from tests.targeting.factories import (
    ContactFactory,
    FlightFactory,
    HitFactory,
    ReservationFactory,
    TravellerFactory,
    WatchlistEntryFactory,
    WatchlistFactory,
)

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/queue/"


def api_for(person: Any) -> APIClient:
    client = APIClient()
    client.force_login(person)
    return client


def decisions_url(traveller: Any) -> str:
    return f"/api/v1/travellers/{traveller.pk}/decisions/"


def links_url(traveller: Any) -> str:
    return f"/api/v1/travellers/{traveller.pk}/links/"


def queue_ids(person: Any, **params: Any) -> list[int]:
    response = api_for(person).get(QUEUE, params)
    assert response.status_code == 200, response.content
    return [row["traveller"] for row in response.json()["results"]]


@pytest.fixture
def flight(task_force: Any) -> Any:
    return FlightFactory(task_force=task_force)


@pytest.fixture
def shared_list(police: Any) -> Any:
    """A police list the whole task force may see."""
    return WatchlistFactory(agency=police, visibility=Visibility.TASK_FORCE)


@pytest.fixture
def shared_hit(shared_list: Any, flight: Any) -> Any:
    return HitFactory(
        traveller=TravellerFactory(flight=flight, seat="12A"),
        entry=WatchlistEntryFactory(watchlist=shared_list),
    )


@pytest.fixture
def customs_officer(customs: Any) -> Any:
    return PersonFactory(username="customs-officer", agency=customs, roles=[Role.OFFICER])


@pytest.fixture
def stranger(other_agency: Any) -> Any:
    """An officer of another task force."""
    return PersonFactory(username="stranger", agency=other_agency, roles=[Role.OFFICER])


def post_decision(person: Any, traveller: Any, **body: Any) -> Any:
    return api_for(person).post(decisions_url(traveller), body, format="json")


# --- The queue ------------------------------------------------------------------------------


def test_queue_row_says_who_on_which_flight_why_and_where_it_stands(
    officer: Any, shared_hit: Any, flight: Any
) -> None:
    response = api_for(officer).get(QUEUE)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    row = body["results"][0]
    traveller = shared_hit.traveller
    assert row["traveller"] == traveller.pk
    assert (row["surname"], row["given_names"], row["nationality"], row["seat"]) == (
        "MENSAH",
        "KOSSI",
        "TGO",
        "12A",
    )
    assert row["birth_date"] is None
    when = DateTimeField().to_representation
    # Neither ABJ nor LFW is the task force's airport here: a departure by default.
    assert row["flight"] == {
        "id": flight.pk,
        "designator": flight.designator,
        "departure_airport": "ABJ",
        "arrival_airport": "LFW",
        "scheduled_departure": when(flight.scheduled_departure),
        "scheduled_arrival": when(flight.scheduled_arrival),
        "direction": "departure",
        "relevant_time": when(flight.scheduled_departure),
    }
    assert row["priority"] == 90
    assert row["hits"] == [
        {
            "id": shared_hit.pk,
            "source": "watchlist",
            "handling": "",
            "score": 90,
            "category": "drugs",
            "agency": "TG-POL",
            "explanation": shared_hit.explanation,
            "settled": False,
        }
    ]
    assert row["disposition"] == {
        "state": "new",
        "outcome": "",
        "assigned_to": None,
        "referred_to": None,
        "version": 0,
    }


def test_queue_row_shows_the_disposition_once_triaged(
    officer: Any, customs: Any, shared_hit: Any
) -> None:
    services.refer_traveller(
        actor=officer, traveller=shared_hit.traveller, agency=customs, version=0, reason="bags"
    )
    (row,) = api_for(officer).get(QUEUE, {"state": "all"}).json()["results"]
    assert row["disposition"] == {
        "state": "referred",
        "outcome": "",
        "assigned_to": None,
        "referred_to": {"id": customs.pk, "code": "TG-CUS", "name": "Customs"},
        "version": 1,
    }


def test_queue_direction_and_relevant_time_follow_the_home_airport(
    officer: Any, task_force: Any, shared_list: Any
) -> None:
    home = task_force.airports.get().iata_code
    arriving = FlightFactory(task_force=task_force, arrival_airport=home)
    leaving = FlightFactory(task_force=task_force, departure_airport=home, arrival_airport="CDG")
    for flight in (arriving, leaving):
        HitFactory(
            traveller=TravellerFactory(flight=flight),
            entry=WatchlistEntryFactory(watchlist=shared_list),
        )
    rows = {r["flight"]["id"]: r["flight"] for r in api_for(officer).get(QUEUE).json()["results"]}
    assert rows[arriving.pk]["direction"] == "arrival"
    assert rows[arriving.pk]["relevant_time"] == rows[arriving.pk]["scheduled_arrival"]
    assert rows[leaving.pk]["direction"] == "departure"
    assert rows[leaving.pk]["relevant_time"] == rows[leaving.pk]["scheduled_departure"]


def test_queue_is_most_urgent_first_then_by_priority(
    officer: Any, task_force: Any, shared_list: Any
) -> None:
    soon = FlightFactory(task_force=task_force)
    later = FlightFactory(
        task_force=task_force, scheduled_departure=soon.scheduled_departure + timedelta(hours=3)
    )

    def flagged(flight: Any, surname: str, score: int) -> Any:
        entry = WatchlistEntryFactory(watchlist=shared_list)
        traveller = TravellerFactory(flight=flight, surname=surname)
        return HitFactory(traveller=traveller, entry=entry, score=score).traveller

    low = flagged(soon, "A", 55)
    high = flagged(soon, "B", 80)
    first_later = flagged(later, "C", 99)
    response = api_for(officer).get(QUEUE).json()
    assert [r["traveller"] for r in response["results"]] == [high.pk, low.pk, first_later.pk]
    assert [r["priority"] for r in response["results"]] == [80, 55, 99]


def test_queue_filters_as_the_page_does(
    officer: Any,
    supervisor: Any,
    task_force: Any,
    customs: Any,
    shared_list: Any,
    flight: Any,
) -> None:
    other_flight = FlightFactory(task_force=task_force)
    customs_list = WatchlistFactory(agency=customs, visibility=Visibility.TASK_FORCE)
    drugs = HitFactory(
        traveller=TravellerFactory(flight=flight, surname="AKAKPO", given_names="AFI"),
        entry=WatchlistEntryFactory(watchlist=shared_list),
    ).traveller
    wildlife = HitFactory(
        traveller=TravellerFactory(
            flight=other_flight, surname="BOKO", documents=[("TG1234567", "TGO")]
        ),
        entry=WatchlistEntryFactory(watchlist=customs_list, category=Category.WILDLIFE),
        category=Category.WILDLIFE,
    ).traveller
    services.assign_traveller(actor=supervisor, traveller=wildlife, assignee=officer, version=0)

    assert queue_ids(officer, flight=flight.pk) == [drugs.pk]
    assert queue_ids(officer, category="wildlife") == [wildlife.pk]
    assert queue_ids(officer, agency=customs.pk) == [wildlife.pk]
    assert queue_ids(officer, mine="true") == [wildlife.pk]
    assert sorted(queue_ids(officer, mine="false")) == sorted([drugs.pk, wildlife.pk])
    assert queue_ids(officer, q="afi akakpo") == [drugs.pk]
    assert queue_ids(officer, q="TG 1234567") == [wildlife.pk]
    assert queue_ids(officer, state="assigned") == [wildlife.pk]
    assert queue_ids(officer, state="new") == [drugs.pk]

    services.record_outcome(
        actor=officer, traveller=drugs, outcome=Outcome.CLEARED, version=0, reason="ok"
    )
    assert queue_ids(officer) == [wildlife.pk]
    assert queue_ids(officer, state="decided") == [drugs.pk]
    assert sorted(queue_ids(officer, state="all")) == sorted([drugs.pk, wildlife.pk])
    (decided,) = api_for(officer).get(QUEUE, {"state": "decided"}).json()["results"]
    assert decided["hits"][0]["settled"] is True
    assert decided["disposition"]["outcome"] == "cleared"


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("state", "closed"),
        ("flight", "KP100"),
        ("agency", "police"),
        ("category", "weapons"),
        ("mine", "perhaps"),
    ],
)
def test_queue_refuses_a_bad_filter_by_name(officer: Any, param: str, value: str) -> None:
    response = api_for(officer).get(QUEUE, {param: value})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [param]
    assert response.json()["detail"]


def test_hit_from_a_hidden_list_stays_out_of_another_agencys_queue_and_hits_api(
    officer: Any, customs_officer: Any, customs: Any, flight: Any
) -> None:
    hidden = WatchlistFactory(agency=customs, visibility=Visibility.AGENCY)
    hit = HitFactory(
        traveller=TravellerFactory(flight=flight), entry=WatchlistEntryFactory(watchlist=hidden)
    )
    assert queue_ids(customs_officer) == [hit.traveller.pk]
    assert queue_ids(officer, state="all") == []
    assert api_for(officer).get(f"/api/v1/hits/{hit.pk}/").status_code == 404
    assert api_for(customs_officer).get(f"/api/v1/hits/{hit.pk}/").status_code == 200


def test_hidden_hit_does_not_show_through_a_shared_travellers_row(
    officer: Any, customs: Any, shared_hit: Any
) -> None:
    hidden = WatchlistFactory(agency=customs, visibility=Visibility.AGENCY)
    HitFactory(
        traveller=shared_hit.traveller,
        entry=WatchlistEntryFactory(watchlist=hidden),
        score=99,
        category=Category.CURRENCY,
    )
    (row,) = api_for(officer).get(QUEUE).json()["results"]
    assert [h["id"] for h in row["hits"]] == [shared_hit.pk]
    assert row["priority"] == 90
    assert queue_ids(officer, category="currency") == []


def test_officer_of_another_task_force_sees_no_queue_and_gets_404(
    stranger: Any, shared_hit: Any
) -> None:
    traveller = shared_hit.traveller
    assert queue_ids(stranger, state="all") == []
    client = api_for(stranger)
    assert client.get(decisions_url(traveller)).status_code == 404
    refused = client.post(
        decisions_url(traveller),
        {"kind": "assign", "version": 0, "assignee": stranger.pk},
        format="json",
    )
    assert refused.status_code == 404
    assert not Disposition.objects.exists()
    assert client.get(f"/api/v1/hits/{shared_hit.pk}/").status_code == 404


def test_platform_admin_without_agency_has_no_queue_and_gets_404(
    platform_admin: Any, shared_hit: Any
) -> None:
    response = api_for(platform_admin).get(QUEUE)
    assert response.status_code == 200
    assert response.json()["results"] == []
    assert api_for(platform_admin).get(decisions_url(shared_hit.traveller)).status_code == 404


def test_queue_reads_are_audited(officer: Any, shared_hit: Any) -> None:
    api_for(officer).get(QUEUE, {"state": "all"})
    event = AuditEvent.objects.get(action="view", actor=officer)
    assert event.details["query"] == "state=all"


def test_queue_needs_a_constant_number_of_queries(
    django_assert_max_num_queries: Any,
    officer: Any,
    supervisor: Any,
    customs: Any,
    flight: Any,
    shared_list: Any,
) -> None:
    entry = WatchlistEntryFactory(watchlist=shared_list)
    customs_list = WatchlistFactory(agency=customs, visibility=Visibility.TASK_FORCE)
    other_entry = WatchlistEntryFactory(watchlist=customs_list)

    def add_flagged(n: int) -> None:
        for i in range(n):
            traveller = TravellerFactory(flight=flight)
            HitFactory(traveller=traveller, entry=entry)
            HitFactory(traveller=traveller, entry=other_entry)
            # Most are triaged already: their disposition, assignee or agency are shown too.
            if i % 3 == 0:
                continue
            services.assign_traveller(
                actor=supervisor, traveller=traveller, assignee=officer, version=0
            )
            if i % 3 == 2:
                services.refer_traveller(
                    actor=supervisor, traveller=traveller, agency=customs, version=1, reason="x"
                )

    def queries_for_one_page() -> int:
        client = api_for(officer)
        cache.clear()  # the worst case: the grouping of hits is not in the cache
        with CaptureQueriesContext(connection) as captured:
            response = client.get(QUEUE, {"state": "all"})
        assert response.status_code == 200
        return len(captured)

    add_flagged(5)
    few = queries_for_one_page()
    add_flagged(55)
    assert api_for(officer).get(QUEUE, {"state": "all"}).json()["count"] == 60
    assert queries_for_one_page() == few
    client = api_for(officer)
    with django_assert_max_num_queries(few):
        assert len(client.get(QUEUE, {"state": "all"}).json()["results"]) == 50


# --- Decisions ------------------------------------------------------------------------------


def test_officer_assigns_a_colleague_of_another_agency(
    officer: Any, customs_officer: Any, shared_hit: Any
) -> None:
    traveller = shared_hit.traveller
    response = post_decision(
        officer, traveller, kind="assign", version=0, assignee=customs_officer.pk
    )
    assert response.status_code == 201, response.content
    body = response.json()
    decision = Decision.objects.get()
    assert body == {
        "id": decision.pk,
        "kind": "assign",
        "outcome": "",
        "assignee": {"id": customs_officer.pk, "name": customs_officer.get_full_name()},
        "referred_to": None,
        "reason": "",
        "decided_by": {"id": officer.pk, "name": officer.get_full_name()},
        "agency": "TG-POL",
        "decided_at": body["decided_at"],
        "summary": f"assigned to {customs_officer.get_full_name()}",
        "version": 1,
    }
    disposition = Disposition.objects.get(traveller=traveller)
    assert (disposition.state, disposition.assigned_to) == (State.ASSIGNED, customs_officer)


def test_officer_refers_to_another_agency(officer: Any, customs: Any, shared_hit: Any) -> None:
    response = post_decision(
        officer, shared_hit.traveller, kind="refer", version=0, agency=customs.pk, reason="bags"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["referred_to"] == {"id": customs.pk, "code": "TG-CUS", "name": "Customs"}
    assert (body["reason"], body["summary"], body["version"]) == ("bags", "referred to Customs", 1)
    assert Disposition.objects.get().referred_to == customs


def test_any_traveller_of_the_task_force_can_be_referred_without_a_hit(
    officer: Any, customs: Any, customs_officer: Any, flight: Any
) -> None:
    traveller = TravellerFactory(flight=flight)
    response = post_decision(
        officer, traveller, kind="refer", version=0, agency=customs.pk, reason="nervous"
    )
    assert response.status_code == 201
    assert queue_ids(customs_officer) == [traveller.pk]


def test_supervisor_records_an_outcome_and_the_history_shows_newest_first(
    officer: Any, supervisor: Any, shared_hit: Any
) -> None:
    traveller = shared_hit.traveller
    first = post_decision(officer, traveller, kind="assign", version=0, assignee=officer.pk)
    assert first.status_code == 201
    response = post_decision(
        supervisor, traveller, kind="outcome", version=1, outcome="positive", reason="2 kg"
    )
    assert response.status_code == 201, response.content
    assert (response.json()["outcome"], response.json()["version"]) == ("positive", 2)
    assert Disposition.objects.get().state == State.DECIDED

    history = api_for(officer).get(decisions_url(traveller))
    assert history.status_code == 200
    body = history.json()
    assert body["version"] == 2
    assert [d["kind"] for d in body["results"]] == ["outcome", "assign"]
    assert body["results"][0]["summary"] == str(Outcome.POSITIVE.label)
    assert body["results"][0]["decided_by"] == {
        "id": supervisor.pk,
        "name": supervisor.get_full_name(),
    }


def test_history_of_an_untriaged_traveller_is_empty_at_version_0(
    officer: Any, shared_hit: Any
) -> None:
    body = api_for(officer).get(decisions_url(shared_hit.traveller)).json()
    assert body == {"version": 0, "results": []}


def test_a_decision_on_a_stale_version_is_refused_with_409_and_nothing_is_lost(
    officer: Any, supervisor: Any, shared_hit: Any
) -> None:
    traveller = shared_hit.traveller
    first = post_decision(
        supervisor, traveller, kind="outcome", version=0, outcome="cleared", reason="known"
    )
    assert first.status_code == 201

    refused = post_decision(
        officer, traveller, kind="outcome", version=0, outcome="positive", reason="2 kg"
    )
    assert refused.status_code == 409
    body = refused.json()
    assert body["version"] == 1
    assert body["latest"]["id"] == first.json()["id"]
    assert body["latest"]["outcome"] == "cleared"
    assert body["latest"]["decided_by"]["id"] == supervisor.pk
    assert supervisor.get_full_name() in body["detail"]
    # The first decision stands; the refused one left no trace.
    assert list(Decision.objects.values_list("outcome", flat=True)) == ["cleared"]
    assert Disposition.objects.get().outcome == Outcome.CLEARED

    retried = post_decision(
        officer,
        traveller,
        kind="outcome",
        version=body["version"],
        outcome="positive",
        reason="2 kg",
    )
    assert retried.status_code == 201
    assert retried.json()["version"] == 2
    assert Decision.objects.count() == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "assign"}, "version"),
        ({"kind": "assign", "version": "one"}, "version"),
        ({"version": 0}, "kind"),
        ({"kind": "arrest", "version": 0}, "kind"),
        ({"kind": "assign", "version": 0}, "assignee"),
        ({"kind": "refer", "version": 0, "reason": "x"}, "agency"),
        ({"kind": "outcome", "version": 0, "reason": "x"}, "outcome"),
        ({"kind": "outcome", "version": 0, "reason": "x", "outcome": "arrested"}, "outcome"),
        # From the service: a referral and an outcome say why, in a few words.
        ({"kind": "outcome", "version": 0, "outcome": "cleared", "reason": " "}, "reason"),
        ({"kind": "outcome", "version": 0, "outcome": "cleared", "reason": "x" * 301}, "reason"),
    ],
)
def test_a_bad_decision_is_refused_with_400_naming_the_field(
    officer: Any, shared_hit: Any, body: dict[str, Any], field: str
) -> None:
    response = post_decision(officer, shared_hit.traveller, **body)
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()
    assert not Decision.objects.exists()


def test_assignee_or_agency_outside_the_task_force_is_refused_like_one_that_does_not_exist(
    officer: Any, police: Any, other_agency: Any, stranger: Any, shared_hit: Any
) -> None:
    traveller = shared_hit.traveller
    outside = post_decision(officer, traveller, kind="assign", version=0, assignee=stranger.pk)
    missing = post_decision(officer, traveller, kind="assign", version=0, assignee=999_999)
    assert outside.status_code == missing.status_code == 400
    assert outside.json() == missing.json()
    assert list(outside.json()["errors"]) == ["assignee"]

    outside = post_decision(
        officer, traveller, kind="refer", version=0, agency=other_agency.pk, reason="x"
    )
    missing = post_decision(officer, traveller, kind="refer", version=0, agency=999_999, reason="x")
    assert outside.status_code == missing.status_code == 400
    assert outside.json() == missing.json()
    assert list(outside.json()["errors"]) == ["agency"]

    own = post_decision(officer, traveller, kind="refer", version=0, agency=police.pk, reason="x")
    assert own.status_code == 400
    assert list(own.json()["errors"]) == ["agency"]
    assert not Decision.objects.exists()


def test_an_analyst_may_read_the_history_but_not_decide(
    police: Any, officer: Any, shared_hit: Any
) -> None:
    analyst = PersonFactory(agency=police, roles=[Role.ANALYST])
    traveller = shared_hit.traveller
    response = post_decision(analyst, traveller, kind="assign", version=0, assignee=officer.pk)
    assert response.status_code == 403
    assert response.json()["detail"]
    assert not Decision.objects.exists()
    assert api_for(analyst).get(decisions_url(traveller)).status_code == 200


def test_a_personal_token_decides_without_csrf(officer: Any, shared_hit: Any) -> None:
    _token, key = create_personal_token(person=officer, name="script")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get(QUEUE).json()["count"] == 1
    response = client.post(
        decisions_url(shared_hit.traveller),
        {"kind": "assign", "version": 0, "assignee": officer.pk},
        format="json",
    )
    assert response.status_code == 201


def test_a_session_decides_only_with_its_csrf_token(officer: Any, shared_hit: Any) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(officer)
    assert client.get(QUEUE).json()["count"] == 1
    body = {"kind": "assign", "version": 0, "assignee": officer.pk}
    url = decisions_url(shared_hit.traveller)
    assert client.post(url, body, format="json").status_code == 403
    assert not Decision.objects.exists()

    # A browser script reads the csrftoken cookie and sends it back in X-CSRFToken.
    secret = "s" * 32
    client.cookies["csrftoken"] = secret
    response = client.post(url, body, format="json", HTTP_X_CSRFTOKEN=secret)
    assert response.status_code == 201


# --- Links ----------------------------------------------------------------------------------


@pytest.fixture
def subject(task_force: Any, flight: Any) -> Any:
    """A booked traveller with a phone on their reservation and a passport."""
    reservation = ReservationFactory(task_force=task_force, record_locator="ABC123")
    ContactFactory(reservation=reservation, kind="phone", value="+228 90 12 34 56")
    return TravellerFactory(
        flight=flight, reservation=reservation, surname="ADJOVI", documents=[("A1234567", "TGO")]
    )


def test_links_say_who_shares_what_on_which_flight(
    officer: Any, task_force: Any, flight: Any, subject: Any
) -> None:
    companion = TravellerFactory(
        flight=flight, reservation=subject.reservation, surname="AMOUZOU", given_names="ESI"
    )
    earlier = FlightFactory(
        task_force=task_force, scheduled_departure=flight.scheduled_departure - timedelta(days=30)
    )
    returning = TravellerFactory(flight=earlier, surname="ADJOVI", documents=[("A1234567", "TGO")])
    TravellerFactory(flight=flight, surname="NOBODY")

    response = api_for(officer).get(links_url(subject))
    assert response.status_code == 200
    body = response.json()
    assert body["truncated"] == {}
    by_id = {link["traveller"]: link for link in body["linked"]}
    assert set(by_id) == {companion.pk, returning.pk}
    assert by_id[companion.pk] == {
        "traveller": companion.pk,
        "surname": "AMOUZOU",
        "given_names": "ESI",
        "flight": {
            "id": flight.pk,
            "designator": flight.designator,
            "departure_date": flight.departure_date.isoformat(),
        },
        "same_flight": True,
        "shared": [
            {"kind": "phone", "label": "+228 90 12 34 56"},
            {"kind": "reservation", "label": "1A ABC123"},
        ],
    }
    assert by_id[returning.pk]["same_flight"] is False
    assert by_id[returning.pk]["flight"]["id"] == earlier.pk
    assert by_id[returning.pk]["shared"] == [{"kind": "document", "label": "P A1234567 (TGO)"}]


def test_links_beyond_the_limit_are_counted_in_truncated(
    officer: Any, flight: Any, subject: Any
) -> None:
    for _ in range(51):
        TravellerFactory(flight=flight, reservation=subject.reservation)
    body = api_for(officer).get(links_url(subject)).json()
    assert len(body["linked"]) == 50
    assert body["truncated"] == {"phone": 51, "reservation": 51}


def test_links_of_a_traveller_outside_the_task_force_are_404(
    stranger: Any, platform_admin: Any, subject: Any
) -> None:
    assert api_for(stranger).get(links_url(subject)).status_code == 404
    assert api_for(platform_admin).get(links_url(subject)).status_code == 404


def queries_for(client: APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_links_and_history_need_a_constant_number_of_queries(
    django_assert_max_num_queries: Any,
    officer: Any,
    supervisor: Any,
    customs: Any,
    flight: Any,
    subject: Any,
) -> None:
    client = api_for(officer)

    def add(n: int) -> None:
        for _ in range(n):
            TravellerFactory(
                flight=FlightFactory(task_force=flight.task_force),
                reservation=subject.reservation,
                documents=[("A1234567", "TGO")],
            )
        for _ in range(n):
            version = services.current_version(subject)
            services.assign_traveller(
                actor=supervisor, traveller=subject, assignee=officer, version=version
            )
            services.refer_traveller(
                actor=supervisor, traveller=subject, agency=customs, version=version + 1, reason="x"
            )

    add(2)
    links = queries_for(client, links_url(subject))
    history = queries_for(client, decisions_url(subject))
    add(20)
    with django_assert_max_num_queries(links):
        assert len(client.get(links_url(subject)).json()["linked"]) == 22
    with django_assert_max_num_queries(history):
        assert len(client.get(decisions_url(subject)).json()["results"]) == 44
