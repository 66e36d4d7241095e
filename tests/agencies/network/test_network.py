"""The network page: markers, legend, the list and its figures; loading the network's list."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from agencies.cases.models import Seizure
from agencies.models import Airport, Role, TaskForce
from agencies.network.atlas import country_shapes, project
from agencies.network.models import NetworkTaskForce
from agencies.network.services import load_network
from tests.agencies.cases.factories import open_case
from tests.agencies.factories import (
    AgencyFactory,
    AirportFactory,
    PersonFactory,
    PlatformAdminFactory,
    TaskForceFactory,
)

pytestmark = pytest.mark.django_db

SHIPPED_NETWORK = Path(__file__).resolve().parents[3] / "agencies" / "data" / "network.csv"


def seize(case: Any, actor: Any, on: date) -> Seizure:
    return Seizure.objects.create(
        case=case,
        commodity="cocaine",
        quantity=Decimal("1.5"),
        unit="kg",
        seized_on=on,
        recorded_by=actor,
        agency=actor.agency,
    )


@pytest.fixture
def network(db: Any) -> dict[str, Any]:
    """Two task forces here, Lomé with this year's results, and three network rows."""
    lfw = AirportFactory(
        iata_code="LFW", country="TGO", latitude=Decimal("6.16561"), longitude=Decimal("1.25451")
    )
    abj = AirportFactory(
        iata_code="ABJ", country="CIV", latitude=Decimal("5.26139"), longitude=Decimal("-3.92629")
    )
    lome = TaskForceFactory(
        code="TG-LFW", name="JAITF Lomé", airports=[lfw], status=TaskForce.Status.OPERATIONAL
    )
    abidjan = TaskForceFactory(
        code="CI-ABJ",
        name="JAITF Abidjan",
        country="CIV",
        airports=[abj],
        status=TaskForce.Status.ESTABLISHED,
    )
    customs = AgencyFactory(task_force=lome, name="Customs", code="TG-CUS")
    AgencyFactory(task_force=lome, name="Police", code="TG-POL", kind="police")
    AgencyFactory(task_force=abidjan, name="Gendarmerie", code="CI-GEN", kind="gendarmerie")
    officer = PersonFactory(agency=customs, roles=[Role.OFFICER])
    year = timezone.localdate().year
    first, second = open_case(officer), open_case(officer)
    open_case(officer)
    seize(first, officer, date(year, 1, 15))
    seize(second, officer, date(year, 2, 1))
    seize(second, officer, date(year - 1, 12, 31))  # last year: not counted
    NetworkTaskForce.objects.create(
        country="BRA",
        airport="GRU",
        name="JAITF São Paulo",
        status="associate",
        agencies="Federal Police; Revenue",
    )
    NetworkTaskForce.objects.create(
        country="PAK", airport="ISB", name="JAITF Islamabad", status="potential"
    )
    # A row for an airport this installation already covers is left to the installation's record.
    NetworkTaskForce.objects.create(
        country="TGO", airport="LFW", name="JAITF Lomé (network list)", status="established"
    )
    return {"officer": officer, "year": year}


def test_member_sees_a_marker_and_an_entry_per_task_force(
    client: Client, network: dict[str, Any]
) -> None:
    client.force_login(network["officer"])
    response = client.get("/network/")
    assert response.status_code == 200
    html = response.content.decode()

    markers = re.findall(r'<a href="#([\w-]+)" class="network-marker" data-status="(\w+)">', html)
    assert markers == [
        ("tf-ci-abj", "established"),
        ("tf-tg-lfw", "operational"),
        ("net-isb", "potential"),
        ("net-gru", "associate"),
    ]
    rows = re.findall(r'<tr id="([\w-]+)" data-status="(\w+)">', html)
    assert [anchor for anchor, _ in rows] == [anchor for anchor, _ in markers]
    assert "JAITF Lomé (network list)" not in html

    lome = response.context["entries"][1]
    assert (lome.name, lome.agencies, lome.airports) == (
        "JAITF Lomé",
        ["Customs", "Police"],
        ["LFW"],
    )
    assert (lome.cases_this_year, lome.seizures_this_year) == (3, 2)
    abidjan = response.context["entries"][0]
    assert (abidjan.cases_this_year, abidjan.seizures_this_year) == (0, 0)
    assert abidjan.agencies == ["Gendarmerie"]
    assert response.context["entries"][3].agencies == ["Federal Police", "Revenue"]
    assert lome.position == project(6.16561, 1.25451)

    lome_row = re.search(r'<tr id="tf-tg-lfw".*?</tr>', html, re.S)
    assert lome_row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", lome_row.group(0), re.S)
    assert cells == ["Togo (TGO)", "LFW", "operational", "Customs, Police", "3", "2"]


def test_legend_names_every_status_with_its_count(client: Client, network: dict[str, Any]) -> None:
    client.force_login(network["officer"])
    legend = {
        item["status"].value: (str(item["label"]), item["mark"].shape, item["count"])
        for item in client.get("/network/").context["legend"]
    }
    assert legend == {
        "operational": ("operational", "circle", 1),
        "established": ("established", "square", 1),
        "under_establishment": ("under establishment", "triangle", 0),
        "associate": ("associate country", "diamond", 1),
        "potential": ("potential extension", "ring", 1),
    }


def test_platform_admin_sees_the_page_and_anonymous_is_sent_to_sign_in(
    client: Client, network: dict[str, Any]
) -> None:
    assert client.get("/network/").status_code == 302
    admin: Any = PlatformAdminFactory()
    client.force_login(admin)
    response = client.get("/network/")
    assert response.status_code == 200
    assert len(response.context["markers"]) == 4


def test_page_queries_do_not_grow_with_task_forces(
    client: Client, network: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    client.force_login(network["officer"])
    with django_assert_max_num_queries(15):
        client.get("/network/")


def test_map_draws_the_shipped_countries() -> None:
    shapes = country_shapes()
    assert len(shapes) == 177
    togo = next(s for s in shapes if s.alpha_3 == "TGO")
    assert togo.name == "Togo" and togo.path.startswith("M") and togo.path.endswith("Z")


def test_shipped_network_list_loads(db: Any) -> None:
    call_command("load_network", str(SHIPPED_NETWORK))
    assert NetworkTaskForce.objects.count() == 5
    assert set(NetworkTaskForce.objects.values_list("status", flat=True)) == {
        s.value for s in TaskForce.Status
    }


def test_bad_network_file_names_its_lines_and_stores_nothing(tmp_path: Path, db: Any) -> None:
    path = tmp_path / "network.csv"
    path.write_text(
        "# a comment keeps its line\n"
        "country,airport,name,status,agencies,notes\n"
        "SEN,DSS,JAITF Dakar,operational,Police,\n"
        "XXX,ACC,JAITF Accra,established,,\n"
        "KEN,NBO,JAITF Nairobi,closed,,\n"
        "SEN,DSS,Again,operational,,\n"
        "PAK,QQQ,Nowhere,potential,,\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as caught:
        call_command("load_network", str(path))
    message = str(caught.value)
    assert "nothing stored" in message
    assert "line 4: country: 'XXX' is not an ISO 3166 alpha-3 country code." in message
    assert "line 5: status:" in message
    assert "line 6: airport: DSS is already on line 3." in message
    assert "line 7: airport: QQQ is not a known IATA airport code." in message
    assert "line 3" not in message.replace("already on line 3", "")
    assert not NetworkTaskForce.objects.exists()


def test_loading_again_updates_by_airport(db: Any) -> None:
    load_network(
        rows=[(2, {"country": "SEN", "airport": "DSS", "name": "A", "status": "potential"})]
    )
    created, updated = load_network(
        rows=[(2, {"country": "SEN", "airport": "dss", "name": "B", "status": "operational"})]
    )
    assert (created, updated) == (0, 1)
    assert NetworkTaskForce.objects.get().name == "B"


def test_airports_get_coordinates_from_the_reference_unless_the_row_gives_them(
    tmp_path: Path, db: Any
) -> None:
    path = tmp_path / "airports.csv"
    path.write_text(
        "iata_code,icao_code,name,city,country,time_zone,latitude,longitude\n"
        "LFW,DXXX,Lomé,Lomé,TGO,Africa/Lome,,\n"
        "DSS,GOBD,Dakar,Dakar,SEN,Africa/Dakar,14.5,-17.25\n",
        encoding="utf-8",
    )
    call_command("load_airports", str(path))
    lome = Airport.objects.get(iata_code="LFW")
    assert (lome.latitude, lome.longitude) == (Decimal("6.16561"), Decimal("1.25451"))
    dakar = Airport.objects.get(iata_code="DSS")
    assert (dakar.latitude, dakar.longitude) == (Decimal("14.50000"), Decimal("-17.25000"))


def test_every_shipped_airport_gets_coordinates(db: Any) -> None:
    call_command("load_airports")
    assert not Airport.objects.filter(latitude__isnull=True).exists()
