"""A supervisor sets up a joint operation; a case's seizure shows in its results (browser)."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from agencies.cases import seizures
from agencies.models import Role
from agencies.operations.models import JointOperation
from tests.agencies.cases.factories import open_case
from tests.agencies.factories import PASSWORD, AgencyFactory, PersonFactory, TaskForceFactory
from tests.fixtures.browser import save_screenshot, sign_in

pytestmark = pytest.mark.browser


def test_supervisor_creates_an_operation_and_an_attached_seizure_counts(
    page: Page, transactional_db: None
) -> None:
    lome = TaskForceFactory(code="TG-LFW", name="JAITF Lomé")
    customs = AgencyFactory(task_force=lome, code="TG-CUS", name="Customs", kind="customs")
    AgencyFactory(task_force=lome, code="TG-POL", name="Police", kind="police")
    supervisor = PersonFactory(username="afi", agency=customs, roles=[Role.SUPERVISOR])
    today = timezone.localdate()

    sign_in(page, supervisor.username, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Operations").click()
    page.get_by_role("link", name="New operation").click()
    page.get_by_label("Name", exact=True).fill("Week of coordinated controls")
    page.get_by_label("Code").fill("WEEK-LFW")
    page.get_by_label("First day").fill((today - timedelta(days=1)).isoformat())
    page.get_by_label("Last day").fill((today + timedelta(days=5)).isoformat())
    # Their own task force is the only one offered, and already ticked.
    expect(page.get_by_label("TG-LFW — JAITF Lomé")).to_be_checked()
    page.get_by_role("button", name="Create the operation").click()

    operation = JointOperation.objects.get()
    expect(page).to_have_url(re.compile(rf"/operations/{operation.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Week of coordinated controls")

    page.goto("/operations/")
    row = page.locator(f'tr[data-operation="{operation.pk}"][data-task-force="TG-LFW"]')
    expect(row.locator('[data-figure="agencies"]')).to_have_text("2")
    expect(row.locator('[data-figure="cases"]')).to_have_text("0")

    case = open_case(supervisor, title="Cocaine in a suitcase")
    seizures.record_seizure(
        actor=supervisor,
        case=case,
        commodity="cocaine",
        quantity=Decimal("2.5"),
        unit="kg",
        seized_on=today,
    )
    page.goto(f"/cases/{case.pk}/")
    panel = page.get_by_role("region", name="Joint operation")
    panel.get_by_label("Joint operation").select_option(label=str(operation))
    panel.get_by_role("button", name="Save").click()
    expect(page.locator("#case-operation")).to_contain_text("Week of coordinated controls")
    save_screenshot(page, "case-in-operation")

    page.locator("#case-operation").get_by_role("link").click()
    cocaine = page.locator('tr[data-commodity="cocaine"]')
    expect(cocaine.locator('[data-figure="total"]')).to_have_text("2.5 kg")
    expect(page.locator('tr[data-agency="TG-CUS"] [data-figure="seizures"]')).to_have_text("1")
    save_screenshot(page, "operation-results")

    page.goto("/operations/")
    expect(row.locator('[data-figure="cases"]')).to_have_text("1")
    expect(row.locator('[data-figure="seizures"]')).to_have_text("1")
