"""Need-to-know for airlines: the members of the airline's task force read, its supervisors
and agency admins edit; anyone else is answered 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from agencies.airlines.models import AgreementDocument, Airline
from agencies.models import Role
from agencies.selectors import member_task_force_id
from aircop.results.queries import ResultsFilter, data_quality


def airlines_visible_to(user: Any) -> QuerySet[Airline]:
    task_force_id = member_task_force_id(user)
    if task_force_id is None:
        return Airline.objects.none()
    return Airline.objects.filter(task_force_id=task_force_id)


def documents_visible_to(user: Any) -> QuerySet[AgreementDocument]:
    return AgreementDocument.objects.filter(airline__in=airlines_visible_to(user))


def can_see_airlines(user: Any) -> bool:
    return member_task_force_id(user) is not None


def can_edit_airlines(user: Any) -> bool:
    return member_task_force_id(user) is not None and (
        user.has_role(Role.SUPERVISOR) or user.has_role(Role.AGENCY_ADMIN)
    )


@dataclass(frozen=True)
class Quality:
    messages: int = 0
    late: int = 0
    share_late: float = 0.0
    rejected: int = 0
    with_errors: int = 0
    incomplete: int = 0


def quality_by_code(*, task_force_id: int, start: date, end: date) -> dict[str, Quality]:
    """The results page's data-quality figures, summed over the period, per sending code."""
    frame = data_quality(ResultsFilter(start=start, end=end, task_force_ids=[task_force_id]))
    if frame.empty:
        return {}
    numbers = ["messages", "late", "rejected", "with_errors", "incomplete"]
    totals = frame.groupby("airline")[numbers].sum()
    return {
        str(code): Quality(
            messages=int(row["messages"]),
            late=int(row["late"]),
            share_late=round(int(row["late"]) / int(row["messages"]), 3)
            if int(row["messages"])
            else 0.0,
            rejected=int(row["rejected"]),
            with_errors=int(row["with_errors"]),
            incomplete=int(row["incomplete"]),
        )
        for code, row in totals.iterrows()
    }


def airlines_by_state(
    user: Any, *, start: date, end: date
) -> list[tuple[str, str, list[tuple[Airline, Quality]]]]:
    """(state, label, [(airline, quality)]) in the order of the relationship's progress."""
    task_force_id = member_task_force_id(user)
    if task_force_id is None:
        return []
    quality = quality_by_code(task_force_id=task_force_id, start=start, end=end)
    airlines = list(airlines_visible_to(user).select_related("provider"))
    groups = []
    for state, label in Airline.State.choices:
        rows = [(a, quality.get(a.sender_code, Quality())) for a in airlines if a.state == state]
        groups.append((str(state), str(label), rows))
    return groups
