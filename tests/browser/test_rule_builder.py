"""An analyst builds a risk rule in the browser, previews it on past flights, and saves it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from agencies.models import Person, Role
from targeting.rules.models import Rule
from tests.agencies.factories import PASSWORD, AgencyFactory, PersonFactory, TaskForceFactory
from tests.fixtures.browser import save_screenshot, sign_in
from tests.targeting.factories import FlightFactory, TravellerFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def analyst(transactional_db: None, embedded_celery: None) -> Person:
    lome = TaskForceFactory(code="TG-LFW", name="JAITF Lomé")
    police = AgencyFactory(task_force=lome, code="TG-POL", name="Police")
    flight = FlightFactory(
        task_force=lome, number="51", scheduled_departure=timezone.now() - timedelta(days=4)
    )
    TravellerFactory(
        flight=flight, surname="SILVA", given_names="ANA", nationality="BRA", bags={"count": 3}
    )
    TravellerFactory(
        flight=flight, surname="SOUZA", given_names="JOAO", nationality="BRA", bags={"count": 1}
    )
    TravellerFactory(flight=flight, surname="MENSAH", nationality="TGO", bags={"count": 4})
    return PersonFactory(username="analyste", agency=police, roles=[Role.ANALYST])


def test_analyst_builds_previews_and_saves_a_rule(
    page: Page, live_server: LiveServer, analyst: Person
) -> None:
    sign_in(page, analyst.username, PASSWORD)
    page.goto(live_server.url + "/rules/")
    page.get_by_role("link", name="New rule").click()

    page.get_by_label("Name", exact=True).fill("Brazilians with heavy luggage")
    page.get_by_label("Category").select_option("drugs")
    page.get_by_label("Weight").fill("60")

    builder = page.locator("#rule-builder")
    fields = builder.get_by_label("Field", exact=True)
    operators = builder.get_by_label("Operator", exact=True)
    values = builder.get_by_label("Value", exact=True)
    # The JSON field is the fallback without JavaScript: the builder hides it.
    expect(page.locator("#id_condition")).to_be_hidden()

    fields.nth(0).select_option(label="Nationality")
    expect(operators.nth(0)).to_have_value("eq")
    values.nth(0).fill("bra")

    builder.get_by_role("button", name="Add a condition").click()
    expect(fields).to_have_count(2)
    fields.nth(1).select_option(label="Checked bags")
    operators.nth(1).select_option(label="is at least")
    values.nth(1).fill("2")
    expect(builder.locator(".rb-unit")).to_contain_text("bags")

    page.get_by_role("button", name="Preview on past flights").click()
    matched = page.locator("#whatif-travellers")
    expect(matched).to_contain_text("SILVA, ANA")
    expect(matched).to_contain_text("national of BRA; 3 checked bags")
    expect(matched).not_to_contain_text("SOUZA")
    expect(matched).not_to_contain_text("MENSAH")
    expect(page.locator("#whatif-flights")).to_contain_text("1 / 3")
    save_screenshot(page, "rule-builder")

    page.get_by_label("Why this change").fill("Two seizures on this route in May")
    page.get_by_role("button", name="Save the rule").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Brazilians with heavy luggage")
    version = page.locator("#version-1")
    expect(version).to_contain_text("v1")
    expect(version).to_contain_text("Two seizures on this route in May")
    expect(version).to_contain_text("all of: Nationality is BRA; Checked bags is at least 2 bags")
    rule = Rule.objects.get()
    assert rule.current_version is not None
    assert rule.current_version.condition == {
        "all": [
            {"field": "nationality", "op": "eq", "value": "BRA"},
            {"field": "bags_count", "op": "ge", "value": 2},
        ]
    }


def test_builder_places_a_server_error_next_to_the_condition(
    page: Page, live_server: LiveServer, analyst: Person
) -> None:
    sign_in(page, analyst.username, PASSWORD)
    page.goto(live_server.url + "/rules/new/")
    builder = page.locator("#rule-builder")
    builder.get_by_label("Field", exact=True).first.select_option(label="Embarkation airport")
    builder.get_by_label("Value", exact=True).first.fill("G1")
    page.get_by_role("button", name="Preview on past flights").click()
    expect(builder.locator(".rb-leaf.rb-invalid")).to_contain_text("not an airport code")

    # A nested group: "any of these" inside the "all", with a choice value.
    builder.get_by_role("button", name="Add a group").click()
    nested = builder.locator(".rb-group .rb-group")
    expect(nested).to_have_count(1)
    nested.get_by_label("Field", exact=True).select_option(label="Passenger or crew")
    nested.get_by_label("Value", exact=True).select_option("crew")
    condition = json.loads(page.input_value("#id_condition"))
    assert condition["all"][1] == {"any": [{"field": "kind", "op": "eq", "value": "crew"}]}
    save_screenshot(page, "rule-builder-nested")
