from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from agencies.models import Role
from agencies.selectors import is_agency_admin, is_platform_admin
from aircop.results.selectors import can_see_results
from liaison.selectors import is_liaison_officer


def membership(request: HttpRequest) -> dict[str, Any]:
    """What the base layout needs: the task force's name and which menus to show."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    agency = user.agency
    return {
        "current_agency": agency,
        "current_task_force": agency.task_force if agency else None,
        "nav": {
            "is_platform_admin": is_platform_admin(user),
            "is_agency_admin": is_agency_admin(user),
            "is_supervisor": user.has_role(Role.SUPERVISOR),
            "can_see_audit": is_platform_admin(user) or user.has_role(Role.SUPERVISOR),
            "is_liaison_officer": is_liaison_officer(user),
            "can_see_results": can_see_results(user),
        },
    }
