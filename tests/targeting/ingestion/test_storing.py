"""Storing messages: flights and travellers per task force, merging, duplicates, atomicity."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from agencies.models import DataProvider, TaskForce
from targeting.ingestion import services, storing
from targeting.ingestion.models import InboundMessage
from targeting.manifests.models import Flight, Payment, Reservation, Traveller
from tests.agencies.factories import AirportFactory, DataProviderFactory, TaskForceFactory
from tests.targeting.ingestion.conftest import corpus_bytes

pytestmark = pytest.mark.django_db

MERGE = Path(__file__).resolve().parents[2] / "data" / "merge"
API = (MERGE / "api-kp051.edi").read_bytes()
PNR = (MERGE / "pnr-kp051.edi").read_bytes()


@pytest.fixture
def lome() -> TaskForce:
    lfw = AirportFactory(iata_code="LFW", time_zone="Africa/Lome", country="TGO")
    AirportFactory(iata_code="ABJ", time_zone="Africa/Abidjan", country="CIV")
    return TaskForceFactory(code="TG-LFW", airports=[lfw])


@pytest.fixture
def asky(lome: TaskForce) -> DataProvider:
    provider = DataProviderFactory(code="KP", name="ASKY")
    provider.task_forces.add(lome)
    return provider


Receive = Callable[[bytes, DataProvider], InboundMessage]


@pytest.fixture
def receive(django_capture_on_commit_callbacks: Any, embedded_celery: None) -> Receive:
    """Receive a message as the API does; the storing task runs when the receipt commits."""

    def run(body: bytes, provider: DataProvider) -> InboundMessage:
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            message = services.receive_message(body=body, provider=provider).message
        assert len(callbacks) <= 2  # the storing task, then the screening of its flight
        message.refresh_from_db()
        return message

    return run


def test_api_message_becomes_flight_and_travellers(
    receive: Receive, asky: DataProvider, lome: TaskForce
) -> None:
    message = receive(API, asky)
    assert message.state == InboundMessage.State.SCREENED
    flight = Flight.objects.get()
    assert (flight.task_force, flight.carrier, flight.number) == (lome, "KP", "51")
    assert (flight.departure_airport, flight.arrival_airport) == ("ABJ", "LFW")
    # 10:30 in Abidjan (UTC+0), 11:45 in Lomé (UTC+0).
    assert flight.scheduled_departure.isoformat() == "2026-11-25T10:30:00+00:00"
    awa = Traveller.objects.get(surname="N'DIAYE")
    assert awa.given_names.startswith("AWA")
    assert awa.birth_date.isoformat() == "1988-02-14"
    assert awa.seat == "21A" and awa.booking_ref == "K7PQ2Z" and awa.has_api
    assert [(d.type, d.number, d.issuing_state) for d in awa.documents.all()] == [
        ("P", "A01234567", "SEN")
    ]
    assert list(message.flights.all()) == [flight]
    assert message.traveller_count == 2


def test_api_and_pnr_for_one_person_become_one_traveller(
    receive: Receive, asky: DataProvider
) -> None:
    receive(API, asky)
    receive(PNR, asky)
    flight = Flight.objects.get()
    assert flight.travellers.count() == 3  # N'Diaye (both), Koffi (API), Sow (PNR)
    awa = flight.travellers.get(documents__number_key="A01234567")
    assert awa.has_api and awa.has_pnr
    assert awa.reservation.record_locator == "K7PQ2Z"
    assert awa.surname == "N'DIAYE"  # API, read from the document, wins over PNR spelling
    sow = flight.travellers.get(surname="SOW")
    assert sow.has_pnr and not sow.has_api and sow.seat == "21B"
    emails = set(awa.reservation.contacts.values_list("normalized", flat=True))
    assert "awa_ndiaye@example.sn" in emails


def test_pnr_first_then_api_merges_too(receive: Receive, asky: DataProvider) -> None:
    receive(PNR, asky)
    receive(API, asky)
    assert Traveller.objects.filter(has_api=True, has_pnr=True).count() == 1
    assert Traveller.objects.count() == 3


def test_card_number_is_kept_as_last_four_and_hash(receive: Receive, asky: DataProvider) -> None:
    receive(PNR, asky)
    payment = Payment.objects.get()
    assert payment.card_last4 == "1111"
    assert len(payment.card_hash) == 64
    message = InboundMessage.objects.get()
    stored = [str(v) for v in Payment.objects.values_list(flat=True)]
    assert not any("4111111111111111" in v for v in stored)
    assert message.body is not None  # the raw copy is the one place the number remains


def test_same_message_twice_is_stored_once(receive: Receive, asky: DataProvider) -> None:
    first = receive(API, asky)
    second = services.receive_message(body=API, provider=asky)
    assert second.is_duplicate
    assert second.message.duplicate_of == first
    assert second.message.body is None
    assert second.message.state == InboundMessage.State.DUPLICATE
    assert Traveller.objects.count() == 2


def test_cancel_removes_the_travellers_it_names(receive: Receive, asky: DataProvider) -> None:
    receive(API, asky)
    cancel = (
        API.replace(b"BGM+745'", b"BGM+745+XR'")
        .replace(b"LFW0001", b"LFW0002")
        .split(b"NAD+FL+++KOFFI")[0]
        + b"CNT+42:1'\nUNT+19+1'\nUNZ+1+LFW0002'\n"
    )
    receive(cancel, asky)
    awa = Traveller.objects.get(surname="N'DIAYE")
    koffi = Traveller.objects.get(surname="KOFFI")
    assert awa.cancelled_at is not None
    assert koffi.cancelled_at is None


def test_failure_midway_leaves_only_raw_copy(
    receive: Receive, asky: DataProvider, monkeypatch: pytest.MonkeyPatch
) -> None:
    def explode(*args: Any, **kwargs: Any) -> None:
        raise ValueError("document table unavailable")

    # Fails after the flight and the first traveller were written.
    monkeypatch.setattr(storing, "_store_documents", explode)
    message = receive(API, asky)
    assert message.state == InboundMessage.State.REJECTED
    assert "document table unavailable" in message.error
    assert bytes(message.body) == API
    assert Flight.objects.count() == 0
    assert Traveller.objects.count() == 0
    assert message.findings.filter(severity="error").exists()


def test_unreadable_message_is_kept_with_its_error(receive: Receive, asky: DataProvider) -> None:
    message = receive(corpus_bytes("bad/truncated.edi"), asky)
    assert message.state == InboundMessage.State.REJECTED
    finding = message.findings.get()
    assert finding.line is not None and "segment" in message.error
    assert Flight.objects.count() == 0


def test_provider_not_onboarded_for_the_airport_is_refused(lome: TaskForce) -> None:
    stranger = DataProviderFactory(code="AF")
    with pytest.raises(PermissionDenied, match="ABJ, LFW"):
        services.receive_message(body=API, provider=stranger)
    assert InboundMessage.objects.count() == 0


def test_data_for_one_task_force_stays_out_of_another(receive: Receive, asky: DataProvider) -> None:
    abj = TaskForceFactory(code="CI-ABJ", airports=[AirportFactory(iata_code="ABJ")])
    receive(API, asky)
    assert Flight.objects.filter(task_force=abj).count() == 0


def test_corpus_passenger_list_is_stored(receive: Receive) -> None:
    jfk = AirportFactory(iata_code="JFK", time_zone="America/New_York", country="USA")
    task_force = TaskForceFactory(airports=[jfk])
    provider = DataProviderFactory(code="LA")
    provider.task_forces.add(task_force)
    message = receive(corpus_bytes("gtas/flight1.txt"), provider)
    assert message.state == InboundMessage.State.SCREENED, message.error
    flight = Flight.objects.get()
    assert (flight.carrier, flight.number, flight.arrival_airport) == ("LA", "532", "JFK")
    jiang = Traveller.objects.get(surname="JIANG")
    assert {d.number for d in jiang.documents.all()} == {"433419360", "57131424"}
    # 07:40 local at JFK on 20 Jan 2020 is 12:40 UTC.
    assert flight.scheduled_arrival.isoformat() == "2020-01-20T12:40:00+00:00"
    assert message.is_late  # received years after departure


def test_reservation_is_per_task_force(
    receive: Receive, asky: DataProvider, lome: TaskForce
) -> None:
    receive(PNR, asky)
    assert Reservation.objects.get().task_force == lome


def test_ingest_command_stores_files_for_a_provider(
    asky: DataProvider, tmp_path: Path, embedded_celery: None
) -> None:
    from io import StringIO

    from django.core.management import CommandError, call_command

    api = tmp_path / "api.edi"
    api.write_bytes(API)
    out = StringIO()
    call_command("ingest", str(api), str(MERGE / "pnr-kp051.edi"), "--provider", "kp", stdout=out)
    assert "parsed, 2 travellers" in out.getvalue()
    assert Traveller.objects.count() == 3
    bad = tmp_path / "bad.edi"
    bad.write_bytes(b"not edifact at all")
    with pytest.raises(CommandError, match="1 of 1 files were not stored"):
        call_command("ingest", str(bad), "--provider", "KP", stdout=StringIO(), stderr=StringIO())


def test_icao_airport_code_is_kept_as_written_with_a_finding(
    receive: Receive, asky: DataProvider
) -> None:
    body = API.replace(b"LOC+125+ABJ", b"LOC+125+DIAP").replace(b"LFW0001", b"LFW0009")
    message = receive(body, asky)
    assert message.state == InboundMessage.State.SCREENED, message.error
    assert Flight.objects.get().departure_airport == "DIAP"
    assert message.findings.filter(text__contains="not a three-letter IATA code").exists()


def test_value_the_database_refuses_rejects_the_message_whole(
    receive: Receive, asky: DataProvider
) -> None:
    body = API.replace(b"LOC+125+ABJ", b"LOC+125+ABIDJANX").replace(b"LFW0001", b"LFW0010")
    message = receive(body, asky)
    if message.state == InboundMessage.State.REJECTED:  # PostgreSQL enforces the length
        assert Flight.objects.count() == 0 and Traveller.objects.count() == 0
        assert message.error
    else:  # SQLite does not: the code is then stored as written
        assert Flight.objects.get().departure_airport == "ABIDJANX"
