"""Uploading messages and reading a traveller's page in a real browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from agencies.models import Person, TaskForce
from targeting.manifests.models import Traveller
from tests.agencies.factories import (
    PASSWORD,
    AgencyFactory,
    AirportFactory,
    PersonFactory,
    TaskForceFactory,
)
from tests.fixtures.browser import save_screenshot, sign_in

pytestmark = pytest.mark.browser

MERGE = Path(__file__).resolve().parents[1] / "data" / "merge"


@pytest.fixture
def lome(transactional_db: None, embedded_celery: None) -> TaskForce:
    AirportFactory(iata_code="ABJ", time_zone="Africa/Abidjan")
    return TaskForceFactory(
        code="TG-LFW",
        name="JAITF Lomé",
        airports=[AirportFactory(iata_code="LFW", time_zone="Africa/Lome")],
    )


@pytest.fixture
def customs_officer(lome: TaskForce) -> Person:
    return PersonFactory(username="douane", agency=AgencyFactory(task_force=lome, code="TG-CUS"))


def test_officer_uploads_messages_and_reads_the_traveller_page(
    page: Page, live_server: LiveServer, customs_officer: Person
) -> None:
    sign_in(page, customs_officer.username, PASSWORD)
    page.goto(live_server.url + "/upload/")
    page.set_input_files("#files", [str(MERGE / "api-kp051.edi"), str(MERGE / "pnr-kp051.edi")])
    results = page.locator("#upload-results tbody tr")
    expect(results).to_have_count(2)
    expect(results.filter(has_text="api-kp051.edi")).to_contain_text("2 travellers")
    expect(results.filter(has_text="pnr-kp051.edi")).to_contain_text("2 travellers")
    save_screenshot(page, "upload-results")

    page.goto(live_server.url + "/flights/?date=2026-11-25")
    expect(page.get_by_role("link", name="KP51")).to_be_visible()
    page.get_by_role("link", name="KP51").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ABJ → LFW")
    page.get_by_role("link", name="N'DIAYE, AWA MARIE").click()

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("N'DIAYE")
    main = page.locator("main")
    expect(main).to_contain_text("A01234567")
    expect(main).to_contain_text("K7PQ2Z")
    expect(main).to_contain_text("awa_ndiaye@example.sn")
    expect(main).to_contain_text("card ending 1111")
    expect(main).not_to_contain_text("4111111111111111")
    save_screenshot(page, "traveller-page")

    # The co-traveller on the same reservation is one click away, and listed as linked too.
    links = page.get_by_role("region", name="Linked travellers")
    expect(links).to_contain_text("SOW, IBRAHIMA")
    page.get_by_role("link", name="SOW, IBRAHIMA").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("SOW")
    assert Traveller.objects.filter(has_api=True, has_pnr=True).count() == 1


def test_officer_of_another_task_force_gets_not_found(
    page: Page, live_server: LiveServer, customs_officer: Person, lome: TaskForce
) -> None:
    from django.core.management import call_command

    call_command("load_airports", verbosity=0)
    traveller_page = _store_and_get_traveller_url(lome)
    dakar = TaskForceFactory(code="SN-DSS", airports=[AirportFactory(iata_code="DSS")])
    stranger = PersonFactory(username="dakar", agency=AgencyFactory(task_force=dakar))
    sign_in(page, stranger.username, PASSWORD)
    response = page.goto(live_server.url + traveller_page)
    assert response is not None and response.status == 404


def _store_and_get_traveller_url(task_force: TaskForce) -> str:
    from targeting.ingestion import services
    from tests.agencies.factories import DataProviderFactory

    asky = DataProviderFactory(code="KP")
    asky.task_forces.add(task_force)
    message = services.receive_message(
        body=(MERGE / "api-kp051.edi").read_bytes(), provider=asky
    ).message
    services.store_message_content(message.pk)
    return f"/travellers/{Traveller.objects.get(surname='KOFFI').pk}/"
