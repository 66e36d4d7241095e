"""The operation pages: creating one, who sees it, its results and the list's participation."""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import pytest
from django.utils import timezone

from agencies.cases import seizures
from agencies.cases import services as case_services
from agencies.cases.models import CaseFile
from agencies.models import Role
from agencies.operations import services
from agencies.operations.models import JointOperation
from tests.agencies.cases.factories import open_case
from tests.agencies.factories import AgencyFactory, PersonFactory, TaskForceFactory
from tests.agencies.operations.factories import create_operation
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


class Figures(HTMLParser):
    """The figures of a page: per row (`tr` with data-* keys), the text of each data-figure."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.rows: dict[str, dict[str, str]] = {}
        self.loose: dict[str, str] = {}
        self._row: dict[str, str] | None = None
        self._figure: str | None = None
        self._text = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {k: v or "" for k, v in attrs}
        if tag == "tr":
            keys = [f"{k[5:]}={v}" for k, v in named.items() if k.startswith("data-")]
            self._row = self.rows.setdefault(" ".join(keys), {}) if keys else None
        if "data-figure" in named:
            self._figure, self._text = named["data-figure"], ""

    def handle_data(self, data: str) -> None:
        if self._figure:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if self._figure and tag in ("td", "dd"):
            target = self._row if self._row is not None else self.loose
            target[self._figure] = self._text.strip()
            self._figure = None
        if tag == "tr":
            self._row = None


def _person(agency: Any, role: str = Role.OFFICER) -> Any:
    return PersonFactory(agency=agency, roles=[role])


@pytest.fixture
def dakar(other_task_force: Any, other_agency: Any) -> Any:
    return other_task_force


@pytest.fixture
def operation(platform_admin: Any, task_force: Any, police: Any, customs: Any, dakar: Any) -> Any:
    return create_operation(platform_admin, [task_force, dakar], name="Airport action day")


def _seize(actor: Any, case: CaseFile, commodity: str, quantity: str, unit: str, **kw: Any) -> Any:
    return seizures.record_seizure(
        actor=actor,
        case=case,
        commodity=commodity,
        quantity=Decimal(quantity),
        unit=unit,
        seized_on=timezone.localdate(),
        **kw,
    )


@pytest.fixture
def results(operation: Any, police: Any, customs: Any, other_agency: Any) -> dict[str, Any]:
    """Three attached cases in two task forces, and one case that is not attached."""
    police_officer = _person(police)
    customs_officer = _person(customs)
    dakar_officer = _person(other_agency)

    police_case = open_case(police_officer, title="Two couriers")
    _seize(police_officer, police_case, "cocaine", "2.5", "kg")
    _seize(police_officer, police_case, "cocaine", "1.25", "kg")
    case_services.add_subject(
        actor=police_officer, case=police_case, surname="KOFFI", sex="F", is_arrested=True
    )
    customs_case = open_case(customs_officer, title="Cash in a suitcase")
    _seize(customs_officer, customs_case, "currency", "12000", "amount", currency="USD")
    case_services.add_subject(
        actor=customs_officer,
        case=customs_case,
        surname="MENSAH",
        role="victim",
        is_trafficking_victim=True,
    )
    dakar_case = open_case(dakar_officer, title="Dakar courier")
    _seize(dakar_officer, dakar_case, "cocaine", "1", "kg")
    case_services.add_subject(
        actor=dakar_officer,
        case=dakar_case,
        surname="DIOP",
        is_arrested=True,
        is_foreign_terrorist_fighter=True,
    )
    for actor, case in (
        (police_officer, police_case),
        (customs_officer, customs_case),
        (dakar_officer, dakar_case),
    ):
        services.attach_case(actor=actor, case=case, operation=operation)

    outside = open_case(police_officer, title="Not in the operation")
    _seize(police_officer, outside, "cannabis", "5", "kg")
    case_services.add_subject(actor=police_officer, case=outside, surname="X", is_arrested=True)
    return {
        "police_officer": police_officer,
        "dakar_officer": dakar_officer,
        "police_case": police_case,
        "customs_case": customs_case,
        "outside": outside,
    }


# -- creating -----------------------------------------------------------------------------------


def test_supervisor_creates_an_operation_for_their_task_force(
    supervisor: Any, task_force: Any, police: Any, customs: Any, dakar: Any
) -> None:
    client = client_for(supervisor)
    page = client.get("/operations/new/")
    assert page.status_code == 200
    # Only their own task force is offered.
    assert "TG-LFW" in page.text
    assert "SN-DSS" not in page.text

    response = client.post(
        "/operations/new/",
        {
            "name": "Week of coordinated controls",
            "code": "WEEK-1",
            "start_date": "2026-03-02",
            "end_date": "2026-03-08",
            "task_forces": [task_force.pk],
            "agencies": [police.pk],
        },
    )
    operation = JointOperation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/operations/{operation.pk}/"
    assert list(operation.agencies.all()) == [police]


def test_supervisor_posting_another_task_force_is_refused(
    supervisor: Any, task_force: Any, dakar: Any
) -> None:
    response = client_for(supervisor).post(
        "/operations/new/",
        {
            "name": "Too wide",
            "code": "WIDE",
            "start_date": "2026-03-02",
            "end_date": "2026-03-08",
            "task_forces": [task_force.pk, dakar.pk],
        },
    )
    assert response.status_code == 400
    assert not JointOperation.objects.exists()


def test_end_before_start_shows_next_to_the_field(supervisor: Any, task_force: Any) -> None:
    response = client_for(supervisor).post(
        "/operations/new/",
        {
            "name": "Backwards",
            "code": "BACK",
            "start_date": "2026-03-08",
            "end_date": "2026-03-02",
            "task_forces": [task_force.pk],
        },
    )
    assert response.status_code == 400
    assert "The last day cannot come before the first." in response.text
    assert not JointOperation.objects.exists()


def test_officer_has_no_create_page(officer: Any) -> None:
    assert client_for(officer).get("/operations/new/").status_code == 404


def test_platform_admin_creates_across_task_forces(
    platform_admin: Any, task_force: Any, police: Any, dakar: Any
) -> None:
    response = client_for(platform_admin).post(
        "/operations/new/",
        {
            "name": "Global airport action day",
            "code": "GAAD-2026",
            "start_date": "2026-06-10",
            "end_date": "2026-06-10",
            "task_forces": [task_force.pk, dakar.pk],
        },
    )
    assert response.status_code == 302
    assert JointOperation.objects.get().task_forces.count() == 2


# -- visibility ---------------------------------------------------------------------------------


def test_member_of_a_non_participating_task_force_gets_404(operation: Any) -> None:
    elsewhere = AgencyFactory(task_force=TaskForceFactory(code="CV-SID"), code="CV-POL")
    client = client_for(_person(elsewhere, Role.SUPERVISOR))

    assert client.get(f"/operations/{operation.pk}/").status_code == 404
    assert "Airport action day" not in client.get("/operations/").text


# -- results ------------------------------------------------------------------------------------


def test_operation_page_shows_its_own_results(
    operation: Any, results: dict[str, Any], officer: Any
) -> None:
    response = client_for(officer).get(f"/operations/{operation.pk}/")
    assert response.status_code == 200
    page = Figures(response.text)

    assert page.rows["commodity=cocaine"] == {"total": "4.75 kg", "seizures": "3"}
    assert page.rows["commodity=currency"] == {"total": "12,000 USD", "seizures": "1"}
    assert "commodity=cannabis" not in page.rows  # the case outside the operation
    assert page.loose == {"arrests": "2", "victims": "1", "ftf": "1"}
    assert page.rows["agency=TG-POL"] == {"cases": "1", "seizures": "2"}
    assert page.rows["agency=TG-CUS"] == {"cases": "1", "seizures": "1"}
    assert page.rows["agency=SN-POL"] == {"cases": "1", "seizures": "1"}
    assert page.rows["total=operation"] == {"cases": "3", "seizures": "4"}


def test_participant_of_another_agency_sees_totals_not_cases(
    operation: Any, results: dict[str, Any]
) -> None:
    police_case = results["police_case"]
    own = client_for(results["police_officer"]).get(f"/operations/{operation.pk}/").text
    other = client_for(results["dakar_officer"]).get(f"/operations/{operation.pk}/").text

    assert f"/cases/{police_case.pk}/" in own
    assert results["customs_case"].number not in own  # customs did not share it with police
    assert police_case.number not in other
    assert f"/cases/{police_case.pk}/" not in other
    assert Figures(other).rows["commodity=cocaine"] == {"total": "4.75 kg", "seizures": "3"}


def test_list_shows_participation_per_task_force(
    operation: Any, results: dict[str, Any], officer: Any
) -> None:
    page = Figures(client_for(officer).get("/operations/").text)

    key = f"operation={operation.pk} task-force="
    assert page.rows[key + "TG-LFW"] == {"agencies": "2", "cases": "2", "seizures": "3"}
    assert page.rows[key + "SN-DSS"] == {"agencies": "1", "cases": "1", "seizures": "1"}


def test_list_queries_do_not_grow_with_operations(
    platform_admin: Any,
    task_force: Any,
    police: Any,
    dakar: Any,
    results: dict[str, Any],
    django_assert_max_num_queries: Any,
) -> None:
    for n in range(8):
        create_operation(platform_admin, [task_force, dakar], code=f"OP-{n}", name=f"Op {n}")
    client = client_for(results["police_officer"])
    with django_assert_max_num_queries(12):
        response = client.get("/operations/")
    assert response.text.count('data-figure="agencies"') == 18


# -- attaching from the case page ---------------------------------------------------------------


def test_case_worker_attaches_the_case_from_its_page(operation: Any, officer: Any) -> None:
    case = open_case(officer)
    client = client_for(officer)
    page = client.get(f"/cases/{case.pk}/")
    assert 'id="operation-form"' in page.text
    assert "Airport action day" in page.text

    response = client.post(f"/operations/cases/{case.pk}/", {"operation": operation.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.joint_operation == operation
    assert f'href="/operations/{operation.pk}/"' in client.get(f"/cases/{case.pk}/").text


def test_agency_not_taking_part_cannot_attach(
    platform_admin: Any, task_force: Any, customs: Any, officer: Any
) -> None:
    customs_only = create_operation(platform_admin, [task_force], agencies=[customs])
    case = open_case(officer)

    client = client_for(officer)
    client.post(f"/operations/cases/{case.pk}/", {"operation": customs_only.pk})
    case.refresh_from_db()
    assert case.joint_operation is None


def test_other_agency_cannot_attach_a_case_it_does_not_see(
    operation: Any, officer: Any, customs: Any
) -> None:
    case = open_case(officer)
    response = client_for(_person(customs)).post(
        f"/operations/cases/{case.pk}/", {"operation": operation.pk}
    )
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.joint_operation is None
