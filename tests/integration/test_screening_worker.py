"""End to end over PostgreSQL, Redis and a real Celery worker: a pushed PAXLST gets screened."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from agencies import services as agency_services
from agencies.models import Agency, Role
from targeting.manifests.models import Flight, Traveller
from targeting.rules import watchlists
from targeting.rules.models import Hit, WatchlistEntry
from tests.agencies.factories import (
    AgencyFactory,
    AirportFactory,
    DataProviderFactory,
    PersonFactory,
    TaskForceFactory,
)
from tests.conftest import client_for
from tests.fixtures.celery_worker import CeleryWorker

pytestmark = pytest.mark.integration

API = (Path(__file__).resolve().parents[1] / "data" / "merge" / "api-kp051.edi").read_bytes()


def test_pushed_list_is_screened_by_the_worker_and_hits_respect_need_to_know(
    transactional_db: None, celery_worker: CeleryWorker
) -> None:
    AirportFactory(iata_code="ABJ", time_zone="Africa/Abidjan")
    lome = TaskForceFactory(
        code="TG-LFW", airports=[AirportFactory(iata_code="LFW", time_zone="Africa/Lome")]
    )
    customs: Agency = AgencyFactory(task_force=lome, code="TG-CUS")
    police: Agency = AgencyFactory(task_force=lome, code="TG-POL")
    couriers = watchlists.create_watchlist(actor=None, agency=customs, name="Couriers")
    watchlists.save_entry(
        actor=None,
        entry=WatchlistEntry(
            watchlist=couriers,
            full_name="KOFFI Jean",
            birth_date="1975",
            category="drugs",
            action="search hold luggage",
        ),
    )
    asky = DataProviderFactory(code="KP")
    asky.task_forces.add(lome)
    _token, key = agency_services.issue_provider_token(actor=None, provider=asky)

    response = Client().post(
        "/api/v1/messages/",
        data=API,
        content_type="application/edifact",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 202
    status_url = response.json()["status_url"]

    celery_worker.wait_for(
        lambda: Flight.objects.filter(screening_state="screened").first(),
        what="the flight stored and screened by the worker",
    )
    hit = Hit.objects.get()
    assert hit.traveller.surname == "KOFFI"
    assert "search hold luggage" in hit.explanation and "KOFFI" in hit.explanation
    state = Client().get(status_url, HTTP_AUTHORIZATION=f"Token {key}").json()["state"]
    assert state == "screened"

    koffi = Traveller.objects.get(surname="KOFFI")
    customs_officer = client_for(PersonFactory(agency=customs, roles=[Role.OFFICER]))
    police_officer = client_for(PersonFactory(agency=police, roles=[Role.OFFICER]))
    page = f"/travellers/{koffi.pk}/"
    assert "search hold luggage" in customs_officer.get(page).content.decode()
    assert "search hold luggage" not in police_officer.get(page).content.decode()
