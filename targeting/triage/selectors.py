"""The triage queue and what it may show: one place for who sees which flagged traveller.

A traveller is in a person's triage scope when a hit the person may see flags them, or when
they were referred to the person's agency or assigned to the person. The queue is that scope,
most urgent first: the time the flight reaches or leaves the airport, then the priority, which
counts only the hits the person may see (a hidden list must not show through a score).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from agencies.models import Person
from targeting.manifests.keys import document_key, fold
from targeting.manifests.models import Flight, Traveller
from targeting.manifests.selectors import flights_visible_to, travellers_visible_to
from targeting.rules.models import Hit
from targeting.rules.selectors import hits_visible_to
from targeting.triage.models import Decision, Disposition, State

QUEUE_STATES = ("open", "new", "assigned", "referred", "decided", "all")


@dataclass(frozen=True)
class QueueFilters:
    """What an officer narrowed the queue to; every field is optional."""

    state: str = "open"
    flight: int | None = None
    category: str = ""
    agency: int | None = None
    mine: bool = False
    search: str = ""


def _home_airports(user: Any) -> list[str]:
    return [a.iata_code for a in user.agency.task_force.airports.all()]


def unsettled_hits_visible_to(user: Any) -> QuerySet[Hit]:
    """Visible hits no outcome has settled yet."""
    settled = Decision.settled_hits.through.objects.filter(hit_id=OuterRef("pk"))
    return hits_visible_to(user).filter(~Exists(settled))


def triage_scope(user: Any) -> QuerySet[Traveller]:
    """Travellers this person may triage: flagged by a hit they may see, or handed to them."""
    travellers = travellers_visible_to(user)
    if not getattr(user, "agency_id", None):
        return travellers
    visible = hits_visible_to(user).filter(traveller=OuterRef("pk"))
    return travellers.filter(
        Exists(visible)
        | Q(disposition__referred_to_id=user.agency_id)
        | Q(disposition__assigned_to_id=user.pk)
    )


def _open_q(user: Any) -> Q:
    mine = Q(disposition__state=State.ASSIGNED, disposition__assigned_to_id=user.pk)
    ours = Q(disposition__state=State.REFERRED, disposition__referred_to_id=user.agency_id)
    return Q(has_open_hits=True) | mine | ours


def queue_for(user: Any, filters: QueueFilters | None = None) -> QuerySet[Traveller]:
    """The queue: flagged travellers, most urgent first, annotated for display."""
    filters = filters or QueueFilters()
    if not getattr(user, "agency_id", None):
        return Traveller.objects.none()  # a platform admin sees no passenger data
    visible = hits_visible_to(user).filter(traveller=OuterRef("pk"))
    priority = visible.order_by().values("traveller").annotate(top=Max("score")).values("top")
    hit_count = visible.order_by().values("traveller").annotate(n=Count("pk")).values("n")
    airports = _home_airports(user)
    travellers = (
        triage_scope(user)
        .filter(cancelled_at__isnull=True)
        .annotate(
            priority=Coalesce(Subquery(priority, output_field=IntegerField()), Value(0)),
            visible_hit_count=Coalesce(Subquery(hit_count, output_field=IntegerField()), Value(0)),
            has_open_hits=Exists(unsettled_hits_visible_to(user).filter(traveller=OuterRef("pk"))),
            # Arrivals matter at their arrival time, departures at their departure time.
            relevant_time=Case(
                When(
                    flight__arrival_airport__in=airports,
                    then=Coalesce("flight__scheduled_arrival", "flight__scheduled_departure"),
                ),
                default=Coalesce("flight__scheduled_departure", "flight__scheduled_arrival"),
                output_field=DateTimeField(),
            ),
            is_arrival=Case(
                When(flight__arrival_airport__in=airports, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
    )
    if filters.flight:
        travellers = travellers.filter(flight_id=filters.flight)
    else:
        since = timezone.now() - timedelta(hours=settings.TRIAGE_QUEUE_PAST_HOURS)
        travellers = travellers.filter(relevant_time__gte=since)
    travellers = _filter_state(user, travellers, filters.state)
    if filters.category:
        travellers = travellers.filter(Exists(visible.filter(category=filters.category)))
    if filters.agency:
        travellers = travellers.filter(Exists(visible.filter(agency_id=filters.agency)))
    if filters.mine:
        travellers = travellers.filter(disposition__assigned_to_id=user.pk)
    if filters.search:
        travellers = _search(travellers, filters.search)
    return travellers.select_related(
        "flight", "disposition__assigned_to", "disposition__referred_to"
    ).order_by(F("relevant_time").asc(nulls_last=True), "flight_id", "-priority", "surname", "pk")


def _filter_state(user: Any, travellers: QuerySet[Traveller], state: str) -> QuerySet[Traveller]:
    if state == "open":
        return travellers.filter(_open_q(user))
    if state == "new":
        return travellers.filter(Q(disposition__isnull=True) | Q(disposition__state=State.NEW))
    if state in (State.ASSIGNED, State.REFERRED, State.DECIDED):
        return travellers.filter(disposition__state=state)
    return travellers


def _search(travellers: QuerySet[Traveller], text: str) -> QuerySet[Traveller]:
    """A name (any order of its parts) or a document number."""
    words = fold(text).split()
    if not words:
        return travellers
    by_name = Q()
    for word in words:
        by_name &= Q(name_key__contains=word) | Q(given_names__icontains=word)
    number = document_key(text)
    by_document = Q(documents__number_key=number) if len(number) >= 4 else Q(pk__in=[])
    return travellers.filter(by_name | by_document).distinct()


def with_visible_hits(user: Any, travellers: QuerySet[Traveller]) -> QuerySet[Traveller]:
    """Attach, in one more query, the hits each traveller shows this person (`visible_hits`)."""
    settled = Decision.settled_hits.through.objects.filter(hit_id=OuterRef("pk"))
    hits = (
        hits_visible_to(user)
        .select_related("agency", "watchlist", "rule")
        .annotate(is_settled=Exists(settled))
        .order_by("-score", "pk")
    )
    return travellers.prefetch_related(Prefetch("hits", queryset=hits, to_attr="visible_hits"))


def queue_stamp(user: Any) -> str:
    """Changes whenever the queue could look different: a hit or a decision came or went."""
    since = timezone.now() - timedelta(hours=settings.TRIAGE_QUEUE_PAST_HOURS + 24)
    task_force_id = user.agency.task_force_id
    hits = Hit.objects.filter(
        traveller__flight__task_force_id=task_force_id,
        traveller__flight__departure_date__gte=since.date(),
    ).aggregate(latest=Max("updated_at"), n=Count("pk"))
    decided = Disposition.objects.filter(traveller__flight__task_force_id=task_force_id).aggregate(
        latest=Max("updated_at")
    )
    parts: list[datetime | int | None] = [hits["latest"], hits["n"], decided["latest"]]
    return "-".join(str(int(p.timestamp() * 1000) if isinstance(p, datetime) else p) for p in parts)


def decisions_for(traveller: Traveller) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(disposition__traveller=traveller)
        .select_related("decided_by", "agency", "assignee", "referred_to")
        .order_by("-decided_at", "-pk")
    )


def deciders_in(task_force_id: int) -> QuerySet[Person]:
    """The people a traveller can be assigned to: officers and supervisors of the task force."""
    return (
        Person.objects.filter(
            agency__task_force_id=task_force_id,
            is_active=True,
            role_grants__role__in=("officer", "supervisor"),
        )
        .select_related("agency")
        .distinct()
        .order_by("agency__code", "last_name", "first_name", "username")
    )


def queue_flights(user: Any) -> QuerySet[Flight]:
    """The flights the queue can be narrowed to: those still in its time window."""
    since = timezone.now() - timedelta(hours=settings.TRIAGE_QUEUE_PAST_HOURS)
    return (
        flights_visible_to(user)
        .filter(Q(scheduled_arrival__gte=since) | Q(scheduled_departure__gte=since))
        .order_by("scheduled_departure", "carrier", "number")
    )
