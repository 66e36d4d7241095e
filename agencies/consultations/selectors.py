"""Need-to-know for consultation requests, used by pages, API and tasks alike.

Officers, analysts and supervisors see their task force's requests; an airline's staff see only
the requests addressed to their airline; anyone else (platform admins included) sees none.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from agencies.consultations.models import ConsultationRequest
from agencies.models import DataProvider, Person, Role
from agencies.selectors import is_agency_member, is_airline_user

SENDER_ROLES = (Role.OFFICER, Role.SUPERVISOR)


def may_see_requests(user: Any) -> bool:
    return is_agency_member(user) or (is_airline_user(user) and user.has_role(Role.AIRLINE))


def requests_visible_to(user: Any) -> QuerySet[ConsultationRequest]:
    qs = ConsultationRequest.objects.select_related(
        "airline", "task_force", "requested_by", "answered_by", "message"
    )
    if is_airline_user(user):
        if not user.has_role(Role.AIRLINE):
            return qs.none()
        return qs.filter(airline_id=user.airline_id)
    if is_agency_member(user):
        return qs.filter(task_force_id=user.agency.task_force_id)
    return qs.none()


def can_send_requests(user: Any) -> bool:
    return is_agency_member(user) and any(user.has_role(role) for role in SENDER_ROLES)


def can_answer(user: Any, request: ConsultationRequest) -> bool:
    return (
        is_airline_user(user)
        and user.has_role(Role.AIRLINE)
        and user.airline_id == request.airline_id
        and request.is_open
    )


def can_close(user: Any, request: ConsultationRequest) -> bool:
    return (
        can_send_requests(user)
        and user.agency.task_force_id == request.task_force_id
        and request.state != ConsultationRequest.State.CLOSED
    )


def airlines_for_new_request(user: Any) -> QuerySet[DataProvider]:
    """Any active airline: a request goes also to airlines that push no data."""
    if not can_send_requests(user):
        return DataProvider.objects.none()
    return DataProvider.objects.filter(kind=DataProvider.Kind.AIRLINE, is_active=True)


def is_overdue(request: ConsultationRequest) -> bool:
    return request.state == ConsultationRequest.State.OVERDUE or (
        request.state == ConsultationRequest.State.SENT and request.deadline < timezone.now()
    )


def airline_staff(airline_id: int) -> QuerySet[Person]:
    return Person.objects.filter(
        airline_id=airline_id, is_active=True, role_grants__role=Role.AIRLINE
    ).exclude(email="")
