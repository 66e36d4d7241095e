"""An officer asks an airline for a manifest; the airline's staff answer with the file (browser)."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from agencies.consultations.models import ConsultationRequest
from agencies.models import Role
from targeting.manifests.models import Flight
from tests.agencies.consultations.factories import AirlineStaffFactory
from tests.agencies.factories import (
    PASSWORD,
    AgencyFactory,
    AirportFactory,
    DataProviderFactory,
    PersonFactory,
    TaskForceFactory,
)
from tests.fixtures.browser import sign_in

pytestmark = pytest.mark.browser

API = Path(__file__).resolve().parents[1] / "data" / "merge" / "api-kp051.edi"


def test_officer_requests_a_manifest_and_the_airline_answers_with_its_file(
    page: Page, transactional_db: None, embedded_celery: None
) -> None:
    AirportFactory(iata_code="ABJ", time_zone="Africa/Abidjan")
    lome = TaskForceFactory(
        code="TG-LFW", airports=[AirportFactory(iata_code="LFW", time_zone="Africa/Lome")]
    )
    officer = PersonFactory(
        username="kodjo", agency=AgencyFactory(task_force=lome), roles=[Role.OFFICER]
    )
    asky = DataProviderFactory(code="KP", name="ASKY")
    staff = AirlineStaffFactory(username="asky-ops", airline=asky)

    sign_in(page, officer.username, PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Requests").click()
    page.get_by_role("link", name="New request").click()
    page.get_by_label("Airline").select_option(label=str(asky))
    page.get_by_label("Carrier").fill("KP")
    page.get_by_label("Flight number").fill("051")
    page.get_by_label("Flight date").fill("2026-11-25")
    page.get_by_label("Question").fill("The passenger list of KP051, please.")
    deadline = timezone.localtime(timezone.now() + timedelta(days=1))
    page.get_by_label("Deadline").fill(deadline.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Send to the airline").click()
    request = ConsultationRequest.objects.get()
    expect(page).to_have_url(re.compile(rf"/requests/{request.pk}/$"))
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, staff.username, PASSWORD)
    expect(page).to_have_url(re.compile(r"/requests/$"))
    page.get_by_role("link", name=str(request.pk), exact=True).click()
    expect(page.get_by_text("The passenger list of KP051, please.")).to_be_visible()
    page.get_by_label("Answer").fill("Attached.")
    page.get_by_label("File (PAXLST, PNRGOV, CSV or XLSX manifest)").set_input_files(API)
    page.get_by_role("button", name="Send the answer").click()
    expect(page.locator("[data-state]")).to_have_attribute("data-state", "answered")
    assert Flight.objects.get(task_force=lome).screening_state == "screened"
    page.goto("/flights/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("Not Found|404|not found", re.I)
    )
