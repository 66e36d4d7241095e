"""Onboarding end to end in a real browser: task force, agencies, agency admin, colleague."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from agencies.models import Agency, Airport, Person
from tests.agencies.factories import PASSWORD, AirportFactory, PersonFactory, PlatformAdminFactory
from tests.fixtures.browser import save_screenshot, sign_in

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Lagoon-Harbour-2031"
POLICE_CHOICE = "TG-POL — Police nationale"  # how the agency picker names an agency


@pytest.fixture
def lome_airport(transactional_db: None) -> Airport:
    return AirportFactory.create(
        iata_code="LFW",
        icao_code="DXXX",
        name="Lomé Tokoin",
        country="TGO",
        time_zone="Africa/Lome",
    )


def create_task_force(page: Page, airport: Airport) -> None:
    page.goto("/task-forces/new/")
    page.get_by_label("Name").fill("JAITF Lomé")
    page.get_by_label("Code").fill("TG-LFW")
    page.get_by_label("Country (ISO alpha-3)").fill("TGO")
    page.get_by_label("Home airports").select_option(airport.iata_code)
    page.get_by_role("button", name="Create task force").click()
    expect(page.get_by_role("heading", name="JAITF Lomé")).to_be_visible()
    expect(page.get_by_text("Task force TG-LFW created.")).to_be_visible()


def add_agency(page: Page, name: str, code: str, kind: str) -> None:
    form = page.locator("form", has=page.get_by_role("button", name="Add agency"))
    form.get_by_label("Name").fill(name)
    form.get_by_label("Code").fill(code)
    form.get_by_label("Kind").select_option(label=kind)
    form.get_by_role("button", name="Add agency").click()
    expect(page.get_by_text(f"Agency {code} added.")).to_be_visible()
    expect(page.get_by_role("row", name=code)).to_contain_text(name)


def declare_operational(page: Page) -> None:
    page.get_by_label("Status").select_option(label="operational")
    page.get_by_role("button", name="Change status").click()


def invite(page: Page, email: str, role: str, agency: str | None = None) -> str:
    """Invite someone from /people/; returns the one-time link the page shows."""
    page.goto("/people/")
    if agency is not None:
        page.get_by_label("Agency", exact=True).select_option(label=agency)
    page.get_by_label("Email").fill(email)
    page.get_by_label(role, exact=True).check()
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text(f"Invitation sent to {email}.")).to_be_visible()
    link = page.locator("#invitation-link")
    expect(link).to_contain_text("/invitations/")
    return link.inner_text().strip()


def test_platform_admin_onboards_task_force_and_agency_admin_onboards_colleague(
    new_page: Callable[[], Page],
    live_server: LiveServer,
    lome_airport: Airport,
) -> None:
    admin = new_page()
    platform_admin = PlatformAdminFactory.create(username="platform")
    sign_in(admin, platform_admin.username, PASSWORD)
    nav = admin.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Task forces")).to_be_visible()

    create_task_force(admin, lome_airport)
    add_agency(admin, "Police nationale", "TG-POL", "police")

    declare_operational(admin)
    expect(admin.get_by_role("alert")).to_contain_text(
        "operational only with at least 2 agencies; TG-LFW has 1"
    )
    expect(admin.locator("strong", has_text="under establishment")).to_be_visible()

    add_agency(admin, "Douanes togolaises", "TG-CUS", "customs")
    declare_operational(admin)
    expect(admin.get_by_text("Status changed.")).to_be_visible()
    expect(admin.locator("strong", has_text="operational")).to_be_visible()
    save_screenshot(admin, "task-force-operational")

    link = invite(admin, "kossi.mensah@police.tg", "agency admin", agency=POLICE_CHOICE)
    save_screenshot(admin, "people-invitation-link")

    # Someone of the other agency, who must stay out of the police admin's reach.
    customs_officer = PersonFactory.create(
        username="customs-officer", agency=Agency.objects.get(code="TG-CUS")
    )

    # The invited person opens the link in their own browser.
    newcomer = new_page()
    newcomer.goto(link)
    expect(newcomer.get_by_text("You are joining Police nationale of JAITF Lomé.")).to_be_visible()
    newcomer.get_by_label("Username").fill("kmensah")
    newcomer.get_by_label("First name").fill("Kossi")
    newcomer.get_by_label("Last name").fill("Mensah")
    newcomer.get_by_label("Password", exact=True).fill(NEW_PASSWORD)
    newcomer.get_by_label("Password again").fill(NEW_PASSWORD)
    save_screenshot(newcomer, "invitation-accept")
    newcomer.get_by_role("button", name="Create my account").click()
    expect(newcomer.get_by_text("Your account is ready. Sign in.")).to_be_visible()
    used_link = newcomer.goto(link)
    assert used_link is not None
    assert used_link.status == 404  # the link works once
    expect(newcomer.get_by_role("heading", name="This invitation cannot be used")).to_be_visible()

    sign_in(newcomer, "kmensah", NEW_PASSWORD)
    expect(newcomer).to_have_url(live_server.url + "/")
    expect(newcomer.locator(".site-header")).to_contain_text("JAITF Lomé")

    newcomer.get_by_role("navigation", name="Main").get_by_role("link", name="People").click()
    people = newcomer.locator("table").first
    expect(people.get_by_role("row", name="kmensah")).to_contain_text("TG-POL")
    expect(people).not_to_contain_text("customs-officer")
    expect(people).not_to_contain_text("TG-CUS")
    agency_choices = newcomer.get_by_label("Agency", exact=True).locator("option:not([value=''])")
    expect(agency_choices).to_have_text([POLICE_CHOICE])

    invite(newcomer, "ama.lawson@police.tg", "officer")
    expect(newcomer.get_by_role("row", name="ama.lawson@police.tg")).to_contain_text("officer")
    save_screenshot(newcomer, "people-agency-admin")

    response = newcomer.goto(f"/people/{customs_officer.pk}/")
    assert response is not None
    assert response.status == 404
    own = Person.objects.get(username="kmensah")
    response = newcomer.goto(f"/people/{own.pk}/")
    assert response is not None
    assert response.status == 200
