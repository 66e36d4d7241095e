"""Who creates joint operations, who sees them, and who attaches a case to one."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agencies.cases.models import CaseEntry
from agencies.models import Role
from agencies.operations import services
from agencies.operations.selectors import operations_visible_to
from aircop.audit.models import AuditEvent
from tests.agencies.cases.factories import open_case
from tests.agencies.factories import AgencyFactory, PersonFactory, TaskForceFactory
from tests.agencies.operations.factories import create_operation

pytestmark = pytest.mark.django_db


def test_platform_admin_creates_an_operation_of_several_task_forces(
    platform_admin: Any, task_force: Any, other_task_force: Any, police: Any, other_agency: Any
) -> None:
    operation = create_operation(platform_admin, [task_force, other_task_force])

    assert set(operation.task_forces.all()) == {task_force, other_task_force}
    # No agency named: every agency of the participating task forces takes part.
    assert set(operation.agencies.all()) == {police, other_agency}
    assert AuditEvent.objects.filter(
        action=AuditEvent.Action.CREATE, object_id=str(operation.pk)
    ).exists()


def test_supervisor_creates_one_for_their_own_task_force(
    supervisor: Any, task_force: Any, police: Any, customs: Any
) -> None:
    operation = create_operation(supervisor, [task_force], agencies=[customs])

    assert list(operation.task_forces.all()) == [task_force]
    assert list(operation.agencies.all()) == [customs]
    assert operation.created_by == supervisor


def test_supervisor_cannot_include_another_task_force(
    supervisor: Any, task_force: Any, other_task_force: Any
) -> None:
    with pytest.raises(ValidationError) as error:
        create_operation(supervisor, [task_force, other_task_force])
    assert "task_forces" in error.value.message_dict


def test_officer_cannot_create_an_operation(officer: Any, task_force: Any) -> None:
    with pytest.raises(PermissionDenied):
        create_operation(officer, [task_force])


def test_agencies_must_belong_to_a_participating_task_force(
    platform_admin: Any, task_force: Any, other_agency: Any
) -> None:
    with pytest.raises(ValidationError) as error:
        create_operation(platform_admin, [task_force], agencies=[other_agency])
    assert "SN-POL" in error.value.message_dict["agencies"][0]


def test_last_day_cannot_come_before_the_first(platform_admin: Any, task_force: Any) -> None:
    with pytest.raises(ValidationError) as error:
        create_operation(
            platform_admin,
            [task_force],
            start_date=date(2026, 3, 10),
            end_date=date(2026, 3, 9),
        )
    assert "end_date" in error.value.message_dict


def test_code_is_unique(platform_admin: Any, task_force: Any) -> None:
    create_operation(platform_admin, [task_force], code="HIGH-FLYER")
    with pytest.raises(ValidationError) as error:
        create_operation(platform_admin, [task_force], code="high-flyer")
    assert "code" in error.value.message_dict


def test_members_of_participating_task_forces_see_it_others_do_not(
    platform_admin: Any, officer: Any, task_force: Any, other_agency: Any
) -> None:
    operation = create_operation(platform_admin, [task_force])
    outsider = PersonFactory(agency=other_agency, roles=[Role.SUPERVISOR])

    assert list(operations_visible_to(officer)) == [operation]
    assert list(operations_visible_to(platform_admin)) == [operation]
    assert list(operations_visible_to(outsider)) == []


# -- attaching a case ---------------------------------------------------------------------------


def test_case_worker_of_the_owner_attaches_a_case(
    platform_admin: Any, officer: Any, task_force: Any
) -> None:
    operation = create_operation(platform_admin, [task_force])
    case = open_case(officer)

    services.attach_case(actor=officer, case=case, operation=operation)

    case.refresh_from_db()
    assert case.joint_operation == operation
    assert case.entries.filter(kind=CaseEntry.Kind.ACTION, text__contains=operation.name).exists()

    services.attach_case(actor=officer, case=case, operation=None)
    case.refresh_from_db()
    assert case.joint_operation is None


def test_case_of_an_agency_not_taking_part_is_refused(
    platform_admin: Any, officer: Any, task_force: Any, customs: Any
) -> None:
    operation = create_operation(platform_admin, [task_force], agencies=[customs])
    case = open_case(officer)  # a police case; only customs takes part

    with pytest.raises(ValidationError) as error:
        services.attach_case(actor=officer, case=case, operation=operation)
    assert "operation" in error.value.message_dict
    case.refresh_from_db()
    assert case.joint_operation is None


def test_only_the_owning_agency_attaches_its_case(
    platform_admin: Any, officer: Any, task_force: Any, customs: Any
) -> None:
    operation = create_operation(platform_admin, [task_force])
    case = open_case(officer)
    customs_officer = PersonFactory(agency=customs, roles=[Role.OFFICER])
    liaison_only = PersonFactory(agency=officer.agency, roles=[Role.LIAISON_OFFICER])

    for person in (customs_officer, liaison_only):
        with pytest.raises(PermissionDenied):
            services.attach_case(actor=person, case=case, operation=operation)


def test_operation_of_another_task_force_cannot_be_used(
    platform_admin: Any, officer: Any, task_force: Any
) -> None:
    elsewhere = TaskForceFactory(code="CV-SID")
    AgencyFactory(task_force=elsewhere, code="CV-POL")
    operation = create_operation(platform_admin, [elsewhere])
    case = open_case(officer)

    with pytest.raises(ValidationError):
        services.attach_case(actor=officer, case=case, operation=operation)
