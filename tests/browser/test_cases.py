"""A positive control becomes a case file, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from agencies.cases.models import CaseFile
from agencies.models import Role
from targeting.rules.models import Visibility
from tests.agencies.factories import PASSWORD, AgencyFactory, PersonFactory, TaskForceFactory
from tests.fixtures.browser import save_screenshot, sign_in
from tests.targeting.factories import (
    FlightFactory,
    HitFactory,
    TravellerFactory,
    WatchlistEntryFactory,
    WatchlistFactory,
)

pytestmark = pytest.mark.browser


def test_positive_control_opens_a_case_with_traveller_and_flight_filled_in(
    page: Page, transactional_db: None, embedded_celery: None
) -> None:
    lome = TaskForceFactory(code="TG-LFW", name="JAITF Lomé")
    customs = AgencyFactory(task_force=lome, code="TG-CUS", name="Customs", kind="customs")
    AgencyFactory(task_force=lome, code="TG-POL", name="Police", kind="police")
    officer = PersonFactory(
        username="kodjo", first_name="Kodjo", agency=customs, roles=[Role.OFFICER]
    )
    flight = FlightFactory(task_force=lome, carrier="KP", number="51")
    traveller = TravellerFactory(
        flight=flight, surname="KOFFI", given_names="JEAN", documents=[("TG1234567", "TGO")]
    )
    entry = WatchlistEntryFactory(
        watchlist=WatchlistFactory(agency=customs, visibility=Visibility.AGENCY),
        full_name="KOFFI JEAN",
        surname="KOFFI",
    )
    HitFactory(traveller=traveller, entry=entry)

    sign_in(page, officer.username, PASSWORD)
    page.goto(f"/travellers/{traveller.pk}/")
    page.locator("#outcome-positive").check()
    page.locator("#outcome-reason").fill("2.1 kg of cocaine in the lining of the suitcase")
    page.get_by_role("button", name="Record outcome").click()

    offer = page.locator("#case-offer")
    expect(offer).to_be_visible()
    offer.get_by_role("link", name="Open a case file for this control").click()

    # The form names the traveller and the flight, and proposes a title the officer may keep.
    expect(page.locator("#case-traveller")).to_contain_text("KOFFI, JEAN")
    expect(page.locator("#case-flight")).to_contain_text("KP51")
    expect(page.get_by_label("Title")).to_have_value(re.compile(r"KOFFI JEAN on KP51"))
    expect(page.get_by_label("Summary")).to_have_value(
        "2.1 kg of cocaine in the lining of the suitcase"
    )
    save_screenshot(page, "case-from-positive-control")
    page.get_by_role("button", name="Open the case").click()

    case = CaseFile.objects.get()
    expect(page).to_have_url(re.compile(rf"/cases/{case.pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(case.number)
    expect(page.locator("#subjects")).to_contain_text("KOFFI")
    expect(page.get_by_role("region", name="Flights")).to_contain_text("KP51")
    assert case.number.startswith("TG-CUS-")
    assert [s.traveller_id for s in case.subjects.all()] == [traveller.pk]
    assert list(case.flights.all()) == [flight]
    assert case.subjects.get().document_number == "TG1234567"
    save_screenshot(page, "case-opened")

    # Back on the traveller, the offer now leads to the case instead of opening a second one.
    page.goto(f"/travellers/{traveller.pk}/")
    expect(
        page.locator("#case-offer").get_by_role("link", name=f"Case {case.number}")
    ).to_be_visible()
