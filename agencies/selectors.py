"""Need-to-know for task forces, agencies, people and data providers: the one place it is decided.

Every page, API view, export and task reads these models through the functions here.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet

from agencies.models import (
    Agency,
    Airport,
    DataProvider,
    Invitation,
    Person,
    PersonRole,
    ProviderToken,
    Role,
    TaskForce,
)


def is_platform_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


def is_airline_user(user: Any) -> bool:
    """An airline's staff: they reach only the consultation requests addressed to their airline."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "airline_id", None))


def is_agency_member(user: Any) -> bool:
    """Signed in and in an agency: platform admins and airline staff hold none and see no
    task-force data."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "agency_id", None))


def member_task_force_id(user: Any) -> int | None:
    """The task force whose data the person may see, or None."""
    return user.agency.task_force_id if is_agency_member(user) else None


def is_agency_admin(user: Any) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.agency_id
        and user.has_role(Role.AGENCY_ADMIN)
    )


def task_forces_visible_to(user: Any) -> QuerySet[TaskForce]:
    qs = TaskForce.objects.prefetch_related("airports")
    if is_platform_admin(user):
        return qs
    if getattr(user, "is_authenticated", False) and user.agency_id:
        return qs.filter(agencies__people=user)
    return qs.none()


def agencies_visible_to(user: Any) -> QuerySet[Agency]:
    """Members see the agencies of their own task force."""
    qs = Agency.objects.select_related("task_force")
    if is_platform_admin(user):
        return qs
    if getattr(user, "is_authenticated", False) and user.agency_id:
        return qs.filter(task_force__agencies__people=user)
    return qs.none()


def airports_visible_to(user: Any) -> QuerySet[Airport]:
    """Airports are public reference data for anyone signed in but an airline's staff."""
    if getattr(user, "is_authenticated", False) and not is_airline_user(user):
        return Airport.objects.all()
    return Airport.objects.none()


def _people_with_roles() -> QuerySet[Person]:
    return Person.objects.select_related("agency__task_force").prefetch_related(
        Prefetch("role_grants", queryset=PersonRole.objects.order_by("role"))
    )


def people_visible_to(user: Any) -> QuerySet[Person]:
    """A person sees the people of their own agency; a platform admin sees everyone."""
    qs = _people_with_roles()
    if is_platform_admin(user):
        return qs
    if getattr(user, "is_authenticated", False) and user.agency_id:
        return qs.filter(agency_id=user.agency_id)
    return qs.none()


def people_manageable_by(user: Any) -> QuerySet[Person]:
    """Whom this person may change: a platform admin anyone, an agency admin their own agency."""
    qs = _people_with_roles()
    if is_platform_admin(user):
        return qs
    if is_agency_admin(user):
        return qs.filter(agency_id=user.agency_id)
    return qs.none()


def agencies_manageable_by(user: Any) -> QuerySet[Agency]:
    """Agencies whose people this person may onboard."""
    qs = Agency.objects.select_related("task_force")
    if is_platform_admin(user):
        return qs
    if is_agency_admin(user):
        return qs.filter(pk=user.agency_id)
    return qs.none()


def invitations_visible_to(user: Any) -> QuerySet[Invitation]:
    qs = Invitation.objects.select_related("agency__task_force", "invited_by")
    return qs.filter(agency__in=agencies_manageable_by(user))


def data_providers_visible_to(user: Any) -> QuerySet[DataProvider]:
    """Platform admins manage providers; task force members see who sends them data."""
    qs = DataProvider.objects.prefetch_related("task_forces")
    if is_platform_admin(user):
        return qs
    if getattr(user, "is_authenticated", False) and user.agency_id:
        return qs.filter(task_forces__agencies__people=user).distinct()
    return qs.none()


def provider_tokens_for(provider: DataProvider) -> QuerySet[ProviderToken]:
    return ProviderToken.objects.filter(provider=provider).order_by("-created")
