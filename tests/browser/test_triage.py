"""Officers work the triage queue in a real browser: live updates, decisions, the keyboard."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect
from pytest_django import Settings

from agencies.models import Agency, Person, Role
from targeting.manifests.models import Flight, Traveller
from targeting.rules.models import Hit, Visibility, Watchlist
from targeting.triage.models import Decision, Disposition, Outcome, State
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

# Long enough for one poll (1 s in these tests), a swap and a slow CI machine.
LIVE_UPDATE_MS = 10_000


@dataclass(frozen=True)
class Desk:
    """A task force with two agencies sharing a watchlist, and one officer in each."""

    police: Agency
    customs: Agency
    officer: Person
    customs_officer: Person
    watchlist: Watchlist
    flight: Flight


@pytest.fixture
def desk(transactional_db: None, embedded_celery: None, settings: Settings) -> Desk:
    settings.TRIAGE_POLL_SECONDS = 1
    lome = TaskForceFactory(code="TG-LFW", name="JAITF Lomé")
    police = AgencyFactory(task_force=lome, code="TG-POL", name="Police", kind="police")
    customs = AgencyFactory(task_force=lome, code="TG-CUS", name="Customs", kind="customs")
    return Desk(
        police=police,
        customs=customs,
        officer=PersonFactory(
            username="ama",
            first_name="Ama",
            last_name="Mensah",
            agency=police,
            roles=[Role.OFFICER],
        ),
        customs_officer=PersonFactory(
            username="kodjo",
            first_name="Kodjo",
            last_name="Agbeko",
            agency=customs,
            roles=[Role.OFFICER],
        ),
        watchlist=WatchlistFactory(
            agency=police, name="Couriers", visibility=Visibility.TASK_FORCE
        ),
        flight=FlightFactory(task_force=lome, number="51"),
    )


def flag(desk: Desk, surname: str, *, flight: Flight | None = None) -> Hit:
    entry = WatchlistEntryFactory(
        watchlist=desk.watchlist, full_name=f"{surname} KOSSI", surname=surname
    )
    traveller = TravellerFactory(flight=flight or desk.flight, surname=surname)
    return HitFactory(traveller=traveller, entry=entry)


def row(page: Page, traveller: Traveller) -> Locator:
    return page.locator(f"tr.queue-row[data-traveller='{traveller.pk}']")


def focused_traveller(page: Page) -> str | None:
    return page.evaluate("() => document.activeElement && document.activeElement.dataset.traveller")


def expect_focus_on(page: Page, traveller: Traveller) -> None:
    page.wait_for_function(
        "id => document.activeElement && document.activeElement.dataset.traveller === id",
        arg=str(traveller.pk),
    )


def disposition(traveller: Traveller) -> Disposition:
    return Disposition.objects.select_related("assigned_to").get(traveller=traveller)


def test_officer_sees_a_new_hit_arrive_opens_it_and_records_a_positive_control(
    page: Page, desk: Desk
) -> None:
    first = flag(desk, "KOFFI").traveller
    sign_in(page, desk.officer.username, PASSWORD)
    page.goto("/")
    expect(row(page, first)).to_be_visible()

    page.evaluate("() => { window.__marker = 1; }")
    page.keyboard.press("j")
    expect_focus_on(page, first)

    # A later flight: the newcomer is listed after KOFFI, so `j` reaches it from there.
    later = FlightFactory(
        task_force=desk.flight.task_force,
        number="53",
        scheduled_departure=timezone.now() + timedelta(hours=22),
    )
    hit = flag(desk, "SOW", flight=later)
    newcomer = hit.traveller
    expect(row(page, newcomer)).to_be_visible(timeout=LIVE_UPDATE_MS)
    assert page.evaluate("() => window.__marker") == 1, "the queue page was reloaded"
    expect_focus_on(page, first)
    expect(row(page, newcomer)).to_contain_text(hit.explanation)
    save_screenshot(page, "triage-queue-live")

    page.keyboard.press("j")
    expect_focus_on(page, newcomer)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/travellers/{newcomer.pk}/$"))
    expect(page.locator(f"#hit-{hit.pk} .explanation")).to_have_text(
        "Name matches SOW KOSSI on Couriers"
    )

    page.locator("#assign-form").get_by_role("button", name="Assign").click()
    expect(page.locator("#triage-title")).to_contain_text("assigned to Ama Mensah")
    expect(page.locator("ol.history")).to_contain_text("assigned to Ama Mensah")

    page.check("#outcome-positive")
    page.fill("#outcome-reason", "Two kilos of cocaine in the lining of a suitcase")
    page.get_by_role("button", name="Record outcome").click()
    expect(page.locator("#case-offer")).to_be_visible()
    history = page.locator("ol.history li")
    expect(history).to_have_count(2)
    expect(history.first).to_contain_text("controlled — positive")
    expect(history.first).to_contain_text("Two kilos of cocaine")
    save_screenshot(page, "triage-traveller-positive")
    assert disposition(newcomer).outcome == Outcome.POSITIVE

    page.goto("/")
    expect(row(page, first)).to_be_visible()
    expect(row(page, newcomer)).to_have_count(0)
    page.goto("/?state=decided")
    expect(row(page, newcomer)).to_be_visible()
    expect(row(page, newcomer).locator("td.state")).to_contain_text("controlled — positive")
    expect(row(page, first)).to_have_count(0)


def test_officer_works_the_queue_with_the_keyboard(page: Page, desk: Desk) -> None:
    # Same flight and score: the queue lists them by surname.
    adjo, bako, coffi = (flag(desk, name).traveller for name in ("ADJO", "BAKO", "COFFI"))
    sign_in(page, desk.officer.username, PASSWORD)
    page.goto("/")
    expect(page.locator("tr.queue-row")).to_have_count(3)

    page.keyboard.press("j")
    expect_focus_on(page, adjo)
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect_focus_on(page, coffi)
    page.keyboard.press("k")
    expect_focus_on(page, bako)
    outline = row(page, bako).evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline not in ("", "none"), "the focused row shows no outline"

    page.keyboard.press("a")
    expect(row(page, bako).locator("td.state")).to_contain_text(
        "assigned to Ama Mensah", timeout=LIVE_UPDATE_MS
    )
    expect(page.locator("#queue-status")).to_contain_text("BAKO")
    expect_focus_on(page, bako)  # kept across the re-draw the assignment caused
    assert disposition(bako).assigned_to == desk.officer

    page.keyboard.press("c")
    dialog = page.locator("#decision-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#decision-title")).to_have_text("Clear: no control")
    expect(dialog.locator("#decision-who")).to_have_text("BAKO, KOSSI")
    reason = dialog.locator("#decision-reason")
    expect(reason).to_be_focused()
    expect(reason).to_have_value("")  # the key that opened the dialog is not typed into it
    page.keyboard.type("Known trader, documents checked at check-in")
    save_screenshot(page, "triage-clear-dialog")
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()
    expect(row(page, bako)).to_have_count(0, timeout=LIVE_UPDATE_MS)
    cleared = disposition(bako)
    assert (cleared.state, cleared.outcome) == (State.DECIDED, Outcome.CLEARED)
    assert list(cleared.decisions.values_list("reason", flat=True)) == [
        "",  # the assignment
        "Known trader, documents checked at check-in",
    ]

    page.keyboard.press("j")
    expect_focus_on(page, adjo)
    page.keyboard.press("r")
    expect(dialog).to_be_visible()
    expect(dialog.locator("#decision-title")).to_have_text("Refer to another agency")
    expect(dialog.locator("#decision-who")).to_have_text("ADJO, KOSSI")
    expect(dialog.locator("#decision-agency")).to_be_focused()
    expect(dialog.locator("#decision-outcome")).to_be_hidden()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert not Disposition.objects.filter(traveller=adjo).exists()

    page.keyboard.press("?")
    help_dialog = page.locator("#help-dialog")
    expect(help_dialog).to_be_visible()
    expect(help_dialog).to_contain_text("assign to me")
    page.keyboard.press("Escape")
    expect(help_dialog).to_be_hidden()
    expect(row(page, coffi)).to_be_visible()


def test_second_officer_meets_the_first_ones_decision_and_loses_nothing(
    new_page: Callable[[], Page], desk: Desk
) -> None:
    traveller = flag(desk, "KOFFI").traveller
    police_page, customs_page = new_page(), new_page()
    sign_in(police_page, desk.officer.username, PASSWORD)
    sign_in(customs_page, desk.customs_officer.username, PASSWORD)
    for page in (police_page, customs_page):
        page.goto("/")
        expect(row(page, traveller)).to_be_visible()

    # The customs officer starts clearing first, on the version both pages show (0)...
    customs_page.keyboard.press("j")
    customs_page.keyboard.press("c")
    customs_dialog = customs_page.locator("#decision-dialog")
    expect(customs_dialog).to_be_visible()

    # ...but the police officer saves first.
    police_page.keyboard.press("j")
    police_page.keyboard.press("c")
    police_page.keyboard.type("Cleared by police: wrong person, other birth date")
    police_page.keyboard.press("Enter")
    expect(police_page.locator("#decision-dialog")).to_be_hidden()
    expect(row(police_page, traveller)).to_have_count(0, timeout=LIVE_UPDATE_MS)

    # The customs page's queue re-draws behind the open dialog; the decision still goes out.
    expect(row(customs_page, traveller)).to_have_count(0, timeout=LIVE_UPDATE_MS)
    customs_page.keyboard.type("Cleared by customs: nothing to declare")
    customs_page.keyboard.press("Enter")
    error = customs_dialog.locator("#decision-error")
    expect(error).to_contain_text("Ama Mensah (TG-POL) already decided meanwhile")
    expect(error).to_contain_text("cleared (no control)")
    expect(customs_dialog).to_be_visible()
    save_screenshot(customs_page, "triage-conflict")
    decisions = list(Decision.objects.filter(disposition__traveller=traveller))
    assert [(d.decided_by, d.reason) for d in decisions] == [
        (desk.officer, "Cleared by police: wrong person, other birth date")
    ]

    # Having read it, the customs officer keeps their own decision: the version came with the
    # refusal, so saving again is accepted and both decisions stay in the history.
    customs_page.locator("#decision-dialog").get_by_role("button", name="Save").click()
    expect(customs_dialog).to_be_hidden()
    expect(customs_page.locator("#queue-status")).to_contain_text("KOFFI")
    decisions = list(Decision.objects.filter(disposition__traveller=traveller))
    assert [(d.decided_by, d.reason) for d in decisions] == [
        (desk.officer, "Cleared by police: wrong person, other birth date"),
        (desk.customs_officer, "Cleared by customs: nothing to declare"),
    ]
    assert disposition(traveller).version == 2
