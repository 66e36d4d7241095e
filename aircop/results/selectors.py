"""Whose results a person may see: the one place it is decided (design.md, need to know).

Results are aggregates, never personal data: supervisors and analysts see their own task
force's, platform admins the whole installation's. Everyone else sees none (the pages answer
404).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from agencies.models import Agency, Role, TaskForce
from agencies.selectors import is_platform_admin
from targeting.rules.selectors import watchlists_visible_to

RESULTS_ROLES = (Role.SUPERVISOR, Role.ANALYST)


def can_see_results(user: Any) -> bool:
    if is_platform_admin(user):
        return True
    return bool(
        getattr(user, "is_authenticated", False)
        and user.agency_id
        and any(user.has_role(role) for role in RESULTS_ROLES)
    )


def results_task_forces(user: Any) -> QuerySet[TaskForce]:
    """The task forces whose results this person's pages and downloads cover."""
    if is_platform_admin(user):
        return TaskForce.objects.order_by("code")
    if can_see_results(user):
        return TaskForce.objects.filter(agencies__id=user.agency_id).order_by("code")
    return TaskForce.objects.none()


def results_agencies(user: Any) -> QuerySet[Agency]:
    """The agencies a person may narrow their results to: those of their task forces."""
    return Agency.objects.filter(task_force__in=results_task_forces(user)).select_related(
        "task_force"
    )


def results_watchlist_ids(user: Any) -> list[int] | None:
    """The watchlists whose figures this person may see; None for all (a platform admin)."""
    if is_platform_admin(user):
        return None
    return list(watchlists_visible_to(user).values_list("pk", flat=True))
