"""Risk rule pages: list, builder, what-if preview, version history, and who may do what."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from agencies.models import Agency, Person, Role
from aircop.audit.models import AuditEvent
from targeting.manifests.models import Flight
from targeting.rules.models import Hit, Rule
from targeting.rules.rules import save_rule
from targeting.rules.views_rules import condition_in_words
from tests.agencies.factories import PersonFactory
from tests.conftest import client_for
from tests.targeting.factories import FlightFactory, TravellerFactory

pytestmark = pytest.mark.django_db

BRAZILIANS = {"all": [{"field": "nationality", "op": "eq", "value": "BRA"}]}


@pytest.fixture
def analyst(police: Agency) -> Person:
    return PersonFactory(username="analyst", agency=police, roles=[Role.ANALYST])


@pytest.fixture
def customs_analyst(customs: Agency) -> Person:
    return PersonFactory(username="customs-analyst", agency=customs, roles=[Role.ANALYST])


def a_rule(actor: Person, name: str = "Brazilians", condition: Any = None, **kw: Any) -> Rule:
    return save_rule(
        actor=actor,
        rule=None,
        name=name,
        condition=condition or BRAZILIANS,
        weight=kw.get("weight", 40),
        category=kw.get("category", "drugs"),
        reason=kw.get("reason", "first cut"),
    )


def form_data(condition: Any = BRAZILIANS, **overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Brazilians booking late",
        "category": "drugs",
        "weight": "60",
        "is_active": "on",
        "condition": condition if isinstance(condition, str) else json.dumps(condition),
        "reason": "seizures on the GRU route",
    }
    data.update(overrides)
    return data


def past_flight(task_force: Any, days_ago: float, **kw: Any) -> Flight:
    return FlightFactory(
        task_force=task_force,
        scheduled_departure=timezone.now() - timedelta(days=days_ago),
        **kw,
    )


# -- the list -------------------------------------------------------------------------------------


def test_list_shows_the_task_force_rules_with_their_current_version(
    analyst: Person, customs_analyst: Person, officer: Person, other_agency: Agency
) -> None:
    mine = a_rule(analyst, "Brazilians", weight=35)
    theirs = a_rule(customs_analyst, "Cash buyers", category="currency")
    stranger = PersonFactory(agency=other_agency, roles=[Role.ANALYST])
    a_rule(stranger, "Dakar only")

    page = client_for(officer).get("/rules/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Brazilians" in text and "Cash buyers" in text and "Dakar only" not in text
    assert "TG-POL" in text and "TG-CUS" in text and "currency" in text
    assert "New rule" not in text
    assert f"/rules/{mine.pk}/edit/" not in text

    text = client_for(analyst).get("/rules/").content.decode()
    assert "New rule" in text
    assert f"/rules/{mine.pk}/edit/" in text
    assert f"/rules/{theirs.pk}/edit/" not in text


def test_list_counts_hits_of_the_last_30_days(analyst: Person, task_force: Any) -> None:
    rule = a_rule(analyst)
    flight = past_flight(task_force, 2)
    for surname in ("SILVA", "SOUZA"):
        Hit.objects.create(
            traveller=TravellerFactory(flight=flight, surname=surname),
            source=Hit.Source.RULE,
            rule=rule,
            rule_version=rule.current_version,
            agency=analyst.agency,
            score=40,
            category="drugs",
            explanation="national of BRA",
        )
    Hit.objects.filter(traveller__surname="SOUZA").update(
        created_at=timezone.now() - timedelta(days=45)
    )
    page = client_for(analyst).get("/rules/")
    assert [r.recent_hits for r in page.context["rules"]] == [1]


def test_list_page_queries_stay_bounded(
    analyst: Person, customs_analyst: Person, task_force: Any, django_assert_max_num_queries: Any
) -> None:
    flight = past_flight(task_force, 1)
    traveller = TravellerFactory(flight=flight)
    for n in range(12):
        rule = a_rule(analyst if n % 2 else customs_analyst, f"rule {n}")
        Hit.objects.create(
            traveller=traveller,
            source=Hit.Source.RULE,
            rule=rule,
            rule_version=rule.current_version,
            agency=rule.agency,
            score=10,
            category="drugs",
            explanation="x",
        )
    client = client_for(analyst)
    with django_assert_max_num_queries(8):
        page = client.get("/rules/")
    assert page.content.decode().count("/edit/") == 6


# -- who may write --------------------------------------------------------------------------------


def test_officer_cannot_create_a_rule(officer: Person) -> None:
    client = client_for(officer)
    assert client.get("/rules/new/").status_code == 404
    assert client.post("/rules/new/", form_data()).status_code == 404
    assert client.post("/rules/preview/", form_data()).status_code == 404
    assert not Rule.objects.exists()


def test_analyst_of_another_agency_gets_404_on_edit(
    analyst: Person, customs_analyst: Person
) -> None:
    rule = a_rule(analyst)
    client = client_for(customs_analyst)
    assert client.get(f"/rules/{rule.pk}/edit/").status_code == 404
    assert client.post(f"/rules/{rule.pk}/edit/", form_data()).status_code == 404
    # Reading it is fine: rules are the task force's shared tools.
    assert client.get(f"/rules/{rule.pk}/").status_code == 200
    assert rule.versions.count() == 1


def test_member_of_another_task_force_gets_404_on_the_rule(
    analyst: Person, other_agency: Agency
) -> None:
    rule = a_rule(analyst)
    stranger = PersonFactory(agency=other_agency, roles=[Role.ANALYST])
    assert client_for(stranger).get(f"/rules/{rule.pk}/").status_code == 404


def test_supervisor_may_write_the_agency_rules(supervisor: Person, analyst: Person) -> None:
    rule = a_rule(analyst)
    assert client_for(supervisor).get(f"/rules/{rule.pk}/edit/").status_code == 200


# -- saving ---------------------------------------------------------------------------------------


def test_analyst_saves_a_new_rule_as_version_1(analyst: Person) -> None:
    response = client_for(analyst).post("/rules/new/", form_data())
    rule = Rule.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/rules/{rule.pk}/"
    version = rule.current_version
    assert version is not None
    assert (version.number, version.weight, version.category) == (1, 60, "drugs")
    assert version.condition == BRAZILIANS and version.created_by == analyst
    assert rule.agency == analyst.agency and rule.is_active


def test_validation_errors_name_the_path(analyst: Person) -> None:
    condition = {
        "all": [
            {"field": "nationality", "op": "eq", "value": "BRA"},
            {"any": [{"field": "journey_origin", "op": "in", "value": ["GRU", "X1"]}]},
            {"field": "booking_lead_hours", "op": "between", "value": [48, 24]},
        ]
    }
    page = client_for(analyst).post("/rules/new/", form_data(condition))
    assert page.status_code == 200
    errors = dict(page.context["form"].condition_errors())
    assert "all[1].any[0].value[1]" in errors and "airport" in errors["all[1].any[0].value[1]"]
    assert "all[2].value" in errors
    text = page.content.decode()
    assert 'data-path="all[1].any[0].value[1]"' in text
    assert not Rule.objects.exists()


def test_condition_that_is_not_json_is_refused_with_its_position(analyst: Person) -> None:
    page = client_for(analyst).post("/rules/new/", form_data('{"all": [}'))
    assert "not valid JSON (line 1" in page.content.decode()
    assert not Rule.objects.exists()


def test_reason_is_required(analyst: Person) -> None:
    page = client_for(analyst).post("/rules/new/", form_data(reason=""))
    assert page.status_code == 200 and page.context["form"].errors["reason"]
    assert not Rule.objects.exists()


def test_name_taken_in_the_agency_is_refused(analyst: Person) -> None:
    a_rule(analyst, "Brazilians booking late")
    page = client_for(analyst).post("/rules/new/", form_data())
    assert "already has a rule named" in page.content.decode()
    assert Rule.objects.count() == 1


def test_editing_creates_version_2_with_its_reason(analyst: Person, supervisor: Person) -> None:
    rule = a_rule(analyst, "Brazilians booking late")
    edit = client_for(supervisor).get(f"/rules/{rule.pk}/edit/")
    assert json.loads(edit.context["form"]["condition"].value()) == BRAZILIANS
    late = {
        "all": [
            {"field": "nationality", "op": "eq", "value": "BRA"},
            {"field": "booking_lead_hours", "op": "lt", "value": 24},
        ]
    }
    response = client_for(supervisor).post(
        f"/rules/{rule.pk}/edit/",
        form_data(late, weight="75", reason="only late bookings", is_active=""),
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    version = rule.current_version
    assert version is not None
    assert (version.number, version.weight, version.reason) == (2, 75, "only late bookings")
    assert version.created_by == supervisor and version.condition == late
    assert not rule.is_active
    assert AuditEvent.objects.filter(action="change", object_id=str(rule.pk)).exists()

    page = client_for(analyst).get(f"/rules/{rule.pk}/")
    text = page.content.decode()
    assert "v2" in text and "v1" in text and "only late bookings" in text and "first cut" in text
    assert "all of: Nationality is BRA; Hours booked before departure is under 24 hours" in text


def test_condition_in_words_brackets_nested_groups() -> None:
    tree = {
        "all": [
            {"field": "payment_types", "op": "in", "value": ["cash", "other"]},
            {
                "not": {
                    "any": [
                        {"field": "is_transit", "op": "is_true"},
                        {"field": "age", "op": "between", "value": [18, 30]},
                    ]
                }
            },
            {
                "field": "route_airports",
                "op": "in",
                "value": ["GRU"],
                "value_label": "source airports",
            },
        ]
    }
    assert condition_in_words(tree) == (
        "all of: Form of payment is one of cash, other (cheque, invoice, misc.); "
        "(none of: In transit is yes; Age at departure is between 18 and 30 years); "
        "Route airports is one of source airports"
    )


# -- what-if --------------------------------------------------------------------------------------


@pytest.fixture
def past_flights(task_force: Any, other_task_force: Any) -> dict[str, Flight]:
    recent = past_flight(task_force, 3, number="101")
    TravellerFactory(flight=recent, surname="SILVA", given_names="ANA", nationality="BRA")
    TravellerFactory(flight=recent, surname="SOUZA", given_names="JOAO", nationality="BRA")
    TravellerFactory(flight=recent, surname="MENSAH", nationality="TGO")
    TravellerFactory(flight=recent, surname="COSTA", nationality="BRA", cancelled_at=timezone.now())
    older = past_flight(task_force, 20, number="202")
    TravellerFactory(flight=older, surname="LIMA", given_names="PEDRO", nationality="BRA")
    TravellerFactory(flight=older, surname="AGBO", nationality="TGO")
    ancient = past_flight(task_force, 120, number="303")
    TravellerFactory(flight=ancient, surname="ROCHA", nationality="BRA")
    upcoming = FlightFactory(task_force=task_force, number="404")
    TravellerFactory(flight=upcoming, surname="ALVES", nationality="BRA")
    elsewhere = past_flight(other_task_force, 2, number="505")
    TravellerFactory(flight=elsewhere, surname="PEREIRA", nationality="BRA")
    return {"recent": recent, "older": older}


def test_preview_counts_the_right_travellers_over_past_flights(
    analyst: Person, past_flights: dict[str, Flight]
) -> None:
    client = client_for(analyst)
    page = client.post("/rules/preview/", {"condition": json.dumps(BRAZILIANS), "days": "7"})
    preview = page.context["preview"]
    assert [(c.flight, c.matched, c.total) for c in preview.flights] == [
        (past_flights["recent"], 2, 3)
    ]
    assert sorted(m.traveller.surname for m in preview.travellers) == ["SILVA", "SOUZA"]
    assert all(m.explanation == "national of BRA" for m in preview.travellers)

    page = client.post("/rules/preview/", {"condition": json.dumps(BRAZILIANS), "days": "30"})
    preview = page.context["preview"]
    assert [(c.flight.number, c.matched, c.total) for c in preview.flights] == [
        ("101", 2, 3),
        ("202", 1, 2),
    ]
    assert (preview.flights_scanned, preview.travellers_scanned, preview.matched_count) == (2, 5, 3)
    text = page.content.decode()
    assert "LIMA, PEDRO" in text and "ROCHA" not in text and "ALVES" not in text
    assert "PEREIRA" not in text
    assert "seizure outcomes arrive with case files" in text.lower()
    assert not Rule.objects.exists()
    audit = (
        AuditEvent.objects.filter(action="view", object_repr__contains="what-if")
        .order_by("pk")
        .last()
    )
    assert audit is not None and audit.actor == analyst and audit.details["matched"] == 3


def test_preview_of_a_broken_condition_names_the_path(analyst: Person) -> None:
    condition = {"all": [{"field": "nationality", "op": "lt", "value": "BRA"}]}
    page = client_for(analyst).post("/rules/preview/", {"condition": json.dumps(condition)})
    assert page.status_code == 200 and page.context["preview"] is None
    assert 'data-path="all[0].op"' in page.content.decode()
    assert not AuditEvent.objects.filter(object_repr__contains="what-if").exists()


def test_preview_without_javascript_renders_in_the_builder_page(
    analyst: Person, past_flights: dict[str, Flight]
) -> None:
    page = client_for(analyst).post("/rules/new/", form_data(reason="", preview="1", days="30"))
    assert page.status_code == 200
    assert page.context["preview"].matched_count == 3
    assert "Why this change" in page.content.decode()
    assert not page.context["form"].is_bound and not Rule.objects.exists()


def test_preview_caps_the_window(
    analyst: Person, task_force: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from targeting.rules import whatif

    monkeypatch.setattr(whatif, "MAX_FLIGHTS", 2)
    for days in (1, 2, 3):
        TravellerFactory(flight=past_flight(task_force, days), nationality="BRA")
    page = client_for(analyst).post("/rules/preview/", {"condition": json.dumps(BRAZILIANS)})
    preview = page.context["preview"]
    assert preview.is_capped and preview.flights_scanned == 2 and preview.days == 30
    assert "Only the 2 most recent flights" in page.content.decode()


def test_builder_page_embeds_the_field_catalogue(analyst: Person) -> None:
    text = client_for(analyst).get("/rules/new/").content.decode()
    assert 'id="rule-catalogue"' in text and "booking_lead_hours" in text
    assert "rule-builder.js" in text and "<script>" not in text
