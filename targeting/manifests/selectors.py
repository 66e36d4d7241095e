"""Need-to-know for flights, travellers and reservations: a task force's members, nobody else."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet

from agencies.selectors import member_task_force_id
from targeting.manifests.models import Flight, Reservation, Traveller


def flights_visible_to(user: Any) -> QuerySet[Flight]:
    task_force_id = member_task_force_id(user)
    if task_force_id is None:
        return Flight.objects.none()
    return Flight.objects.filter(task_force_id=task_force_id)


def travellers_visible_to(user: Any) -> QuerySet[Traveller]:
    task_force_id = member_task_force_id(user)
    if task_force_id is None:
        return Traveller.objects.none()
    return Traveller.objects.filter(flight__task_force_id=task_force_id)


def reservations_visible_to(user: Any) -> QuerySet[Reservation]:
    task_force_id = member_task_force_id(user)
    if task_force_id is None:
        return Reservation.objects.none()
    return Reservation.objects.filter(task_force_id=task_force_id)


def local_day_bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    """The UTC instants that begin and end a calendar day at the task force's airport."""
    tz = ZoneInfo(zone)
    start = datetime.combine(day, time.min, tzinfo=tz)
    return start, start + timedelta(days=1)


def flights_of_day(user: Any, day: date, zone: str) -> QuerySet[Flight]:
    """Flights departing or arriving during the local day, with their traveller counts."""
    start, end = local_day_bounds(day, zone)
    active = Q(travellers__cancelled_at__isnull=True)
    return (
        flights_visible_to(user)
        .filter(
            Q(scheduled_departure__gte=start, scheduled_departure__lt=end)
            | Q(scheduled_arrival__gte=start, scheduled_arrival__lt=end)
        )
        .annotate(
            traveller_count=Count("travellers", filter=active, distinct=True),
            api_count=Count(
                "travellers", filter=active & Q(travellers__has_api=True), distinct=True
            ),
            pnr_count=Count(
                "travellers", filter=active & Q(travellers__has_pnr=True), distinct=True
            ),
            finding_count=Count("messages__findings", distinct=True),
            late_count=Count("messages", filter=Q(messages__is_late=True), distinct=True),
        )
        .order_by("scheduled_departure", "carrier", "number")
    )
