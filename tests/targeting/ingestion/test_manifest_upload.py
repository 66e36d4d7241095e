"""CSV/XLSX manifests through the upload page: columns confirmed once, remembered per airline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import DataProvider, Person, TaskForce
from targeting.ingestion.models import ColumnMapping, InboundMessage
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

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "manifests"


@pytest.fixture
def lome() -> TaskForce:
    for code, zone in [("ABJ", "Africa/Abidjan"), ("ADD", "Africa/Addis_Ababa")]:
        AirportFactory(iata_code=code, time_zone=zone)
    return TaskForceFactory(
        code="TG-LFW", airports=[AirportFactory(iata_code="LFW", time_zone="Africa/Lome")]
    )


@pytest.fixture
def officer(lome: TaskForce) -> Person:
    return PersonFactory(agency=AgencyFactory(task_force=lome))


@pytest.fixture
def asky(lome: TaskForce) -> DataProvider:
    provider = DataProviderFactory(code="KP", name="ASKY")
    provider.task_forces.add(lome)
    return provider


def upload(client: Any, name: str, airline: DataProvider | None = None) -> InboundMessage:
    data: dict[str, Any] = {"file": SimpleUploadedFile(name, (SAMPLES / name).read_bytes())}
    if airline:
        data["airline"] = airline.pk
    client.post(reverse("upload-file"), data)
    return InboundMessage.objects.order_by("-id").first()


def flight_fields(**overrides: str) -> dict[str, str]:
    return {
        "carrier": "KP",
        "number": "051",
        "departure_airport": "ABJ",
        "arrival_airport": "LFW",
        "departure": "2026-11-25T10:30",
        "arrival": "2026-11-25T11:45",
        **overrides,
    }


def confirm(client: Any, message: InboundMessage, **extra: Any) -> Any:
    page = client.get(reverse("manifest-columns", args=[message.pk]))
    form = page.context["form"]
    data = {f"column_{i}": form[f"column_{i}"].initial for i in range(len(form.headers))}
    data.update(extra)
    return client.post(reverse("manifest-columns", args=[message.pk]), data)


def test_french_csv_is_stored_after_columns_are_confirmed(
    officer: Person, asky: DataProvider
) -> None:
    client = client_for(officer)
    message = upload(client, "fr_manifest.csv", asky)
    assert message.state == "received" and message.format == "csv"
    page = client.get(reverse("manifest-columns", args=[message.pk]))
    form = page.context["form"]
    proposed = {h: form[f"column_{i}"].initial for i, h in enumerate(form.headers)}
    assert proposed["Nom"] == "surname"
    assert proposed["Date de naissance"] == "birth_date"
    assert proposed["N° passeport"] == "document_number"
    response = confirm(client, message, airline=asky.pk, **flight_fields())
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.state == "parsed"
    flight = Flight.objects.get()
    assert (flight.carrier, flight.number, flight.arrival_airport) == ("KP", "51", "LFW")
    mensah = Traveller.objects.get(surname="MENSAH")
    assert mensah.birth_date.isoformat() == "1988-02-14"
    assert mensah.documents.get().number == "B1234567"
    assert ColumnMapping.objects.get(provider=asky).columns["Nom"] == "surname"


def test_french_xlsx_is_stored_too(officer: Person, asky: DataProvider) -> None:
    client = client_for(officer)
    message = upload(client, "fr_manifest.xlsx", asky)
    assert message.format == "xlsx"
    assert confirm(client, message, airline=asky.pk, **flight_fields()).status_code == 302
    message.refresh_from_db()
    assert message.state == "parsed" and message.traveller_count > 0


def test_remembered_mapping_stores_the_next_file_directly(officer: Person, lome: TaskForce) -> None:
    ethiopian = DataProviderFactory(code="ET")
    ethiopian.task_forces.add(lome)
    client = client_for(officer)
    first = upload(client, "en_fullname.csv", ethiopian)
    assert first.state == "received"
    assert confirm(client, first, airline=ethiopian.pk).status_code == 302
    assert Flight.objects.get().designator == "ET908"
    # The same layout again (another file): no question asked.
    body = (SAMPLES / "en_fullname.csv").read_bytes().replace(b"A1122334", b"A9999999")
    client.post(
        reverse("upload-file"),
        {"file": SimpleUploadedFile("next.csv", body), "airline": ethiopian.pk},
    )
    second = InboundMessage.objects.order_by("-id").first()
    assert second.state == "parsed"


def test_missing_flight_is_named_and_nothing_stored(officer: Person, asky: DataProvider) -> None:
    client = client_for(officer)
    message = upload(client, "fr_manifest.csv", asky)
    response = confirm(client, message)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert Flight.objects.count() == 0
    message.refresh_from_db()
    assert message.state == "received"


def test_flight_of_another_airport_is_refused(officer: Person, asky: DataProvider) -> None:
    client = client_for(officer)
    message = upload(client, "fr_manifest.csv", asky)
    response = confirm(client, message, **flight_fields(arrival_airport="ACC"))
    assert "does not serve" in str(response.context["form"].non_field_errors())
    assert Traveller.objects.count() == 0


@pytest.mark.parametrize("name", ["not_a_manifest.png", "no_name.csv", "legacy.xls"])
def test_unreadable_files_are_rejected_with_reason(officer: Person, name: str) -> None:
    message = upload(client_for(officer), name)
    assert message is None or message.state == "rejected"
    if message is not None:
        assert message.error


def test_other_task_force_cannot_confirm_columns(officer: Person, asky: DataProvider) -> None:
    message = upload(client_for(officer), "fr_manifest.csv", asky)
    stranger = PersonFactory(agency=AgencyFactory(task_force=TaskForceFactory()))
    assert (
        client_for(stranger).get(reverse("manifest-columns", args=[message.pk])).status_code == 404
    )
