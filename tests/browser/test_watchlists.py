"""An analyst keeps a watchlist and an officer checks a walk-in against it, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from agencies.models import Role
from targeting.rules import watchlists
from tests.agencies.factories import PASSWORD, AgencyFactory, PersonFactory, TaskForceFactory
from tests.fixtures.browser import save_screenshot, sign_in

pytestmark = pytest.mark.browser


def test_analyst_lists_a_person_and_an_officer_finds_them_in_another_script(
    page: Page, live_server: LiveServer, transactional_db: None, embedded_celery: None
) -> None:
    lome = TaskForceFactory(code="TG-LFW", name="JAITF Lomé")
    customs = AgencyFactory(task_force=lome, code="TG-CUS")
    analyst = PersonFactory(username="analyste", agency=customs, roles=[Role.ANALYST])
    PersonFactory(username="douanier", agency=customs, roles=[Role.OFFICER])
    couriers = watchlists.create_watchlist(actor=None, agency=customs, name="Couriers")

    sign_in(page, analyst.username, PASSWORD)
    page.goto(f"{live_server.url}/watchlists/{couriers.pk}/entries/new/")
    page.get_by_label("Name", exact=True).fill("Мухаммад Аль-Хасан")
    page.get_by_label("Birth date").fill("1985")
    page.get_by_label("Action to take").fill("hold for the NCB")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("main")).to_contain_text("Мухаммад Аль-Хасан")
    save_screenshot(page, "watchlist-entries")

    page.context.clear_cookies()
    sign_in(page, "douanier", PASSWORD)
    page.goto(f"{live_server.url}/watchlists/search/")
    page.locator("[data-search]").fill("MOHAMED AL HASSAN")
    page.keyboard.press("Enter")
    results = page.locator("main table tbody")
    expect(results).to_contain_text("Мухаммад Аль-Хасан")
    expect(results).to_contain_text("hold for the NCB")
    save_screenshot(page, "name-check")
