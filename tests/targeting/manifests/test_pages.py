"""Flights, flight and traveller pages, the upload page and the data-quality page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import Person, TaskForce
from aircop.audit.models import AuditEvent
from targeting.ingestion import services
from targeting.ingestion.models import InboundMessage
from targeting.manifests.models import Flight, Traveller
from tests.agencies.factories import (
    AgencyFactory,
    AirportFactory,
    DataProviderFactory,
    PersonFactory,
    TaskForceFactory,
)
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

MERGE = Path(__file__).resolve().parents[2] / "data" / "merge"
API = (MERGE / "api-kp051.edi").read_bytes()
PNR = (MERGE / "pnr-kp051.edi").read_bytes()


@pytest.fixture
def lome(embedded_celery: None) -> TaskForce:
    AirportFactory(iata_code="ABJ", time_zone="Africa/Abidjan")
    return TaskForceFactory(
        code="TG-LFW", airports=[AirportFactory(iata_code="LFW", time_zone="Africa/Lome")]
    )


@pytest.fixture
def officer_lfw(lome: TaskForce) -> Person:
    return PersonFactory(agency=AgencyFactory(task_force=lome, code="TG-POL"))


@pytest.fixture
def outsider() -> Person:
    dakar = TaskForceFactory(code="SN-DSS", airports=[AirportFactory(iata_code="DSS")])
    return PersonFactory(agency=AgencyFactory(task_force=dakar, code="SN-POL"))


@pytest.fixture
def stored(lome: TaskForce, django_capture_on_commit_callbacks: Any) -> Flight:
    asky = DataProviderFactory(code="KP")
    asky.task_forces.add(lome)
    for body in (API, PNR):
        with django_capture_on_commit_callbacks(execute=True):
            services.receive_message(body=body, provider=asky)
    return Flight.objects.get()


def test_flights_page_lists_the_days_flights(officer_lfw: Person, stored: Flight) -> None:
    response = client_for(officer_lfw).get(reverse("flight-list"), {"date": "2026-11-25"})
    assert response.status_code == 200
    flights = list(response.context["flights"])
    assert flights == [stored]
    assert flights[0].traveller_count == 3
    assert flights[0].api_count == 2 and flights[0].pnr_count == 2
    html = response.content.decode()
    assert "KP51" in html and "ABJ → LFW" in html and "10:30" in html


def test_flights_page_of_another_day_is_empty(officer_lfw: Person, stored: Flight) -> None:
    response = client_for(officer_lfw).get(reverse("flight-list"), {"date": "2026-11-26"})
    assert list(response.context["flights"]) == []


def test_flight_page_shows_travellers_and_is_audited(officer_lfw: Person, stored: Flight) -> None:
    response = client_for(officer_lfw).get(reverse("flight-detail", args=[stored.pk]))
    html = response.content.decode()
    assert "N&#x27;DIAYE" in html and "SOW" in html and "A01234567" in html
    assert AuditEvent.objects.filter(
        action="view", object_type="manifests.Flight", actor=officer_lfw
    ).exists()


def test_traveller_page_shows_everything_known(officer_lfw: Person, stored: Flight) -> None:
    awa = Traveller.objects.get(surname="N'DIAYE")
    response = client_for(officer_lfw).get(reverse("traveller-detail", args=[awa.pk]))
    html = response.content.decode()
    for expected in ["A01234567", "K7PQ2Z", "awa_ndiaye@example.sn", "1111", "21A", "SOW"]:
        assert expected in html, expected
    assert "4111111111111111" not in html
    assert [t.surname for t in response.context["co_travellers"]] == ["SOW"]
    assert AuditEvent.objects.filter(
        action="view", object_type="manifests.Traveller", object_id=str(awa.pk)
    ).exists()


def test_other_task_force_gets_404_in_pages_and_api(outsider: Person, stored: Flight) -> None:
    client = client_for(outsider)
    awa = Traveller.objects.get(surname="N'DIAYE")
    assert client.get(reverse("flight-detail", args=[stored.pk])).status_code == 404
    assert client.get(reverse("traveller-detail", args=[awa.pk])).status_code == 404
    assert client.get(f"/api/v1/flights/{stored.pk}/").status_code == 404
    assert client.get(f"/api/v1/travellers/{awa.pk}/").status_code == 404
    assert client.get("/api/v1/travellers/").json()["results"] == []
    day = client.get(reverse("flight-list"), {"date": "2026-11-25"})
    assert list(day.context["flights"]) == []


def test_platform_admin_sees_no_passenger_data(platform_admin: Any, stored: Flight) -> None:
    client = client_for(platform_admin)
    assert client.get(reverse("flight-list")).status_code == 404
    assert client.get(reverse("flight-detail", args=[stored.pk])).status_code == 404
    assert client.get("/api/v1/travellers/").json()["results"] == []


def test_api_traveller_read_is_audited(officer_lfw: Person, stored: Flight) -> None:
    awa = Traveller.objects.get(surname="N'DIAYE")
    response = client_for(officer_lfw).get(f"/api/v1/travellers/{awa.pk}/")
    assert response.json()["documents"][0]["number"] == "A01234567"
    assert AuditEvent.objects.filter(
        object_type="manifests.Traveller", object_id=str(awa.pk), reason="API", actor=officer_lfw
    ).exists()


def test_flight_pages_query_count_is_constant(
    officer_lfw: Person, stored: Flight, django_assert_max_num_queries: Any
) -> None:
    client = client_for(officer_lfw)
    with django_assert_max_num_queries(15):
        client.get(reverse("flight-list"), {"date": "2026-11-25"})
    with django_assert_max_num_queries(20):
        client.get(reverse("flight-detail", args=[stored.pk]))


def test_upload_page_stores_a_file_and_shows_result(
    officer_lfw: Person, lome: TaskForce, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(officer_lfw)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("upload-file"), {"file": SimpleUploadedFile("kp051.edi", API)}
        )
    assert response.status_code == 200
    message = InboundMessage.objects.get()
    assert message.uploaded_by == officer_lfw and message.task_force == lome
    row = client.get(reverse("message-row", args=[message.pk])).content.decode()
    assert "KP51" in row and "2 travellers" in row


def test_upload_of_several_files_without_javascript(
    officer_lfw: Person, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(officer_lfw).post(
            reverse("upload"),
            {"files": [SimpleUploadedFile("a.edi", API), SimpleUploadedFile("b.edi", PNR)]},
        )
    assert [r["name"] for r in response.context["results"]] == ["a.edi", "b.edi"]
    assert InboundMessage.objects.count() == 2


def test_upload_of_foreign_flight_is_refused(officer_lfw: Person) -> None:
    foreign = API.replace(b"LOC+87+LFW", b"LOC+87+ACC").replace(b"LOC+179+LFW", b"LOC+179+ACC")
    response = client_for(officer_lfw).post(
        reverse("upload-file"), {"file": SimpleUploadedFile("acc.edi", foreign)}
    )
    assert response.status_code == 400
    assert "not onboarded" in response.content.decode()
    assert InboundMessage.objects.count() == 0


def test_upload_of_oversized_file_is_refused(officer_lfw: Person, settings: Any) -> None:
    settings.INGEST_MAX_BYTES = 50
    response = client_for(officer_lfw).post(
        reverse("upload-file"), {"file": SimpleUploadedFile("big.edi", API)}
    )
    assert response.status_code == 400
    assert "limit" in response.content.decode()
    assert InboundMessage.objects.count() == 0


def test_upload_of_garbage_is_rejected_with_its_reason(officer_lfw: Person) -> None:
    response = client_for(officer_lfw).post(
        reverse("upload-file"), {"file": SimpleUploadedFile("x.edi", b"\x00\xff garbage")}
    )
    assert "rejected" in response.content.decode()
    assert InboundMessage.objects.get().state == "rejected"


def test_data_quality_page_counts_per_airline(officer_lfw: Person, stored: Flight) -> None:
    response = client_for(officer_lfw).get(reverse("data-quality"))
    rows = response.context["rows"]
    assert len(rows) == 1
    assert rows[0]["airline"] == "KP" and rows[0]["messages"] == 2


def test_message_pages_are_scoped(outsider: Person, stored: Flight) -> None:
    message = InboundMessage.objects.first()
    client = client_for(outsider)
    assert client.get(reverse("message-detail", args=[message.pk])).status_code == 404
    assert client.get(reverse("message-row", args=[message.pk])).status_code == 404
    assert list(client.get(reverse("message-list")).context["page"]) == []


def test_pages_show_hits_only_to_those_who_may_see_the_list(
    officer_lfw: Person, stored: Flight, lome: TaskForce
) -> None:
    from targeting.rules import screening, watchlists
    from targeting.rules.models import WatchlistEntry

    customs = AgencyFactory(task_force=lome, code="TG-CUS")
    listing = watchlists.create_watchlist(actor=None, agency=customs, name="Couriers")
    watchlists.save_entry(
        actor=None,
        entry=WatchlistEntry(watchlist=listing, full_name="KOFFI Jean", action="search bags"),
    )
    screening.screen_flight(stored.pk)
    koffi = Traveller.objects.get(surname="KOFFI")
    customs_officer = PersonFactory(agency=customs)

    mine = client_for(customs_officer)
    day = mine.get(reverse("flight-list"), {"date": "2026-11-25"})
    assert day.context["flights"][0].flagged_count == 1
    assert "search bags" in mine.get(reverse("traveller-detail", args=[koffi.pk])).content.decode()

    theirs = client_for(officer_lfw)  # police: the customs list is the customs agency's own
    day = theirs.get(reverse("flight-list"), {"date": "2026-11-25"})
    assert day.context["flights"][0].flagged_count == 0
    page = theirs.get(reverse("traveller-detail", args=[koffi.pk])).content.decode()
    assert "search bags" not in page and "Why flagged" not in page
