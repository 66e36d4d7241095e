"""Need-to-know for joint operations, and the figures of their results.

Every member of a participating task force sees an operation; platform admins see them all;
anyone else is answered 404. The figures are aggregates over the attached cases: a participant
sees the totals of other agencies, never their cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from agencies.cases.models import CaseFile, CaseSubject, Commodity, Seizure, Unit
from agencies.cases.seizures import quantity_label
from agencies.cases.selectors import can_change, cases_visible_to
from agencies.models import Agency, Role, TaskForce
from agencies.operations.models import JointOperation
from agencies.selectors import is_agency_member, is_platform_admin


def operations_visible_to(user: Any) -> QuerySet[JointOperation]:
    qs = JointOperation.objects.all()
    if is_platform_admin(user):
        return qs
    if is_agency_member(user):
        return qs.filter(task_forces__agencies__people=user).distinct()
    return qs.none()


def can_create_operations(user: Any) -> bool:
    """Platform admins, for any task forces; supervisors, for their own task force."""
    return is_platform_admin(user) or (is_agency_member(user) and user.has_role(Role.SUPERVISOR))


def task_forces_for_new_operation(user: Any) -> QuerySet[TaskForce]:
    if is_platform_admin(user):
        return TaskForce.objects.all()
    if can_create_operations(user):
        return TaskForce.objects.filter(agencies__people=user)
    return TaskForce.objects.none()


def agencies_for_new_operation(user: Any) -> QuerySet[Agency]:
    return Agency.objects.filter(task_force__in=task_forces_for_new_operation(user)).select_related(
        "task_force"
    )


def operations_for_case(user: Any, case: CaseFile) -> QuerySet[JointOperation]:
    """The operations the case may join: its agency takes part, and the person sees them."""
    if not can_change(user, case):
        return JointOperation.objects.none()
    return operations_visible_to(user).filter(agencies=case.agency_id)


# -- figures ------------------------------------------------------------------------------------


@dataclass
class Participation:
    """One task force in one operation: how many agencies, cases and seizures."""

    task_force: TaskForce
    agencies: int = 0
    cases: int = 0
    seizures: int = 0


def participation(operations: list[JointOperation]) -> dict[int, list[Participation]]:
    """Per operation id, its task forces with their figures, in four queries whatever the count.

    The operations must come with `task_forces` prefetched.
    """
    ids = [op.pk for op in operations]
    through = JointOperation.agencies.through
    agencies = {
        (row["jointoperation_id"], row["agency__task_force_id"]): row["n"]
        for row in through.objects.filter(jointoperation_id__in=ids)
        .values("jointoperation_id", "agency__task_force_id")
        .annotate(n=Count("pk"))
    }
    cases = {
        (row["joint_operation_id"], row["agency__task_force_id"]): row["n"]
        for row in CaseFile.objects.filter(joint_operation_id__in=ids)
        .values("joint_operation_id", "agency__task_force_id")
        .annotate(n=Count("pk"))
    }
    seizures = {
        (row["case__joint_operation_id"], row["case__agency__task_force_id"]): row["n"]
        for row in Seizure.objects.filter(case__joint_operation_id__in=ids)
        .values("case__joint_operation_id", "case__agency__task_force_id")
        .annotate(n=Count("pk"))
    }
    result: dict[int, list[Participation]] = {}
    for op in operations:
        result[op.pk] = [
            Participation(
                task_force=tf,
                agencies=agencies.get((op.pk, tf.pk), 0),
                cases=cases.get((op.pk, tf.pk), 0),
                seizures=seizures.get((op.pk, tf.pk), 0),
            )
            for tf in sorted(op.task_forces.all(), key=lambda t: t.code)
        ]
    return result


@dataclass
class CommodityTotal:
    commodity: str
    label: str
    quantity: Decimal
    unit: str
    currency: str
    quantity_label: str
    seizures: int


@dataclass
class AgencyFigures:
    agency: Agency
    cases: int = 0
    seizures: int = 0


@dataclass
class OperationResults:
    seizures_by_commodity: list[CommodityTotal]
    seizures: int
    cases: int
    arrests: int
    victims: int
    foreign_terrorist_fighters: int
    subjects: int
    # Per task force, its participating agencies with their case and seizure counts.
    by_task_force: list[tuple[TaskForce, list[AgencyFigures]]] = field(default_factory=list)


def operation_results(operation: JointOperation) -> OperationResults:
    """The operation's own results over every attached case, in a constant number of queries."""
    cases = CaseFile.objects.filter(joint_operation=operation)
    seizures = Seizure.objects.filter(case__joint_operation=operation)

    totals = []
    for row in (
        seizures.values("commodity", "unit", "currency")
        .annotate(total=Sum("quantity"), n=Count("pk"))
        .order_by("commodity", "unit", "currency")
    ):
        probe = Seizure(quantity=row["total"], unit=row["unit"], currency=row["currency"])
        totals.append(
            CommodityTotal(
                commodity=row["commodity"],
                label=str(Commodity(row["commodity"]).label),
                quantity=row["total"],
                unit=str(Unit(row["unit"]).label) if row["unit"] != Unit.AMOUNT else "",
                currency=row["currency"],
                quantity_label=quantity_label(probe),
                seizures=row["n"],
            )
        )

    persons = CaseSubject.objects.filter(case__joint_operation=operation).aggregate(
        subjects=Count("pk"),
        arrests=Count("pk", filter=Q(is_arrested=True)),
        victims=Count("pk", filter=Q(is_trafficking_victim=True)),
        ftf=Count("pk", filter=Q(is_foreign_terrorist_fighter=True)),
    )

    case_counts = dict(cases.values_list("agency_id").annotate(n=Count("pk")))
    seizure_counts = dict(seizures.values_list("case__agency_id").annotate(n=Count("pk")))
    # Agencies that took part, and any other whose case is attached (it cannot be, but the
    # figures must add up whatever happened to the list of agencies).
    agencies = (
        Agency.objects.filter(Q(joint_operations=operation) | Q(pk__in=list(case_counts)))
        .select_related("task_force")
        .distinct()
        .order_by("task_force__code", "code")
    )
    grouped: dict[int, tuple[TaskForce, list[AgencyFigures]]] = {}
    for agency in agencies:
        entry = grouped.setdefault(agency.task_force_id, (agency.task_force, []))
        entry[1].append(
            AgencyFigures(
                agency=agency,
                cases=case_counts.get(agency.pk, 0),
                seizures=seizure_counts.get(agency.pk, 0),
            )
        )

    return OperationResults(
        seizures_by_commodity=totals,
        seizures=sum(t.seizures for t in totals),
        cases=sum(case_counts.values()),
        arrests=persons["arrests"],
        victims=persons["victims"],
        foreign_terrorist_fighters=persons["ftf"],
        subjects=persons["subjects"],
        by_task_force=list(grouped.values()),
    )


def cases_of_operation_visible_to(user: Any, operation: JointOperation) -> QuerySet[CaseFile]:
    """The attached cases the person may open: their agency's and those shared with it."""
    return cases_visible_to(user).filter(joint_operation=operation).order_by("number")
