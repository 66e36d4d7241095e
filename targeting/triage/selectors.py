"""The triage queue and what it may show: one place for who sees which flagged traveller.

A traveller is in a person's triage scope when a hit the person may see flags them, or when
they were referred to the person's agency or assigned to the person. The queue is that scope,
most urgent first: the time the flight reaches or leaves the airport, then the priority, which
counts only the hits the person may see (a hidden list must not show through a score).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple, overload

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Count,
    Exists,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.utils import timezone

from agencies.models import Person
from targeting.manifests.keys import document_key, fold
from targeting.manifests.models import Flight, Traveller
from targeting.manifests.selectors import flights_visible_to
from targeting.rules.models import Hit, Watchlist
from targeting.rules.selectors import hit_scope, hits_visible_to
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


def _home_airports(user: Any) -> set[str]:
    return {a.iata_code for a in user.agency.task_force.airports.all()}


class QueueRow(NamedTuple):
    """What the queue sorts and filters a traveller by, before loading them (thousands are
    made per request: a named tuple is the cheapest)."""

    traveller_id: int
    flight_id: int
    relevant_time: datetime | None
    is_arrival: bool
    priority: int
    hit_count: int
    has_open_hits: bool
    state: str
    assigned_to_id: int | None
    referred_to_id: int | None

    def sort_key(self) -> tuple[Any, ...]:
        return (
            self.relevant_time is None,
            self.relevant_time or timezone.now(),
            self.flight_id,
            -self.priority,
            self.traveller_id,
        )


class Queue(Sequence[Traveller]):
    """The queue's travellers in order; a slice loads just those travellers, ready to show.

    Paginators (Django's and DRF's) take it like a list: `count()` is free, and a page costs
    two queries whatever the size of the queue.
    """

    def __init__(self, user: Any, rows: list[QueueRow], stamp: str = "") -> None:
        self.user = user
        self.rows = rows
        # What the page polls with: it changes when this queue could look different.
        self.stamp = stamp

    def count(self) -> int:  # type: ignore[override]  # Paginator calls count() without args
        return len(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @overload
    def __getitem__(self, index: int) -> Traveller: ...

    @overload
    def __getitem__(self, index: slice) -> list[Traveller]: ...

    def __getitem__(self, index: int | slice) -> Traveller | list[Traveller]:
        if isinstance(index, slice):
            return self._load(self.rows[index])
        return self._load([self.rows[index]])[0]

    def __iter__(self) -> Iterator[Traveller]:
        return iter(self._load(self.rows))

    def _load(self, rows: list[QueueRow]) -> list[Traveller]:
        if not rows:
            return []
        loaded = with_visible_hits(
            self.user,
            Traveller.objects.filter(pk__in=[r.traveller_id for r in rows]).select_related(
                "flight", "disposition__assigned_to", "disposition__referred_to"
            ),
        )
        by_id = {t.pk: t for t in loaded}
        travellers = []
        for row in rows:
            traveller = by_id[row.traveller_id]
            traveller.priority = row.priority  # type: ignore[attr-defined]
            traveller.visible_hit_count = row.hit_count  # type: ignore[attr-defined]
            traveller.has_open_hits = row.has_open_hits  # type: ignore[attr-defined]
            traveller.relevant_time = row.relevant_time  # type: ignore[attr-defined]
            traveller.is_arrival = row.is_arrival  # type: ignore[attr-defined]
            # Read once here: a missing one-to-one raises on every template lookup otherwise.
            try:
                current = traveller.disposition
            except Disposition.DoesNotExist:
                current = None
            traveller.current_disposition = current  # type: ignore[attr-defined]
            traveller.version = current.version if current else 0  # type: ignore[attr-defined]
            travellers.append(traveller)
        return travellers


@dataclass(frozen=True)
class Coverage:
    """The flights a queue covers: for each, the time that matters and whether it arrives."""

    flights: dict[int, tuple[datetime | None, bool]]
    # The last screening of any of them: hits change only when a flight is screened.
    last_screened: datetime | None


def _queue_flights(user: Any, filters: QueueFilters) -> Coverage:
    """The flights the queue covers, with the time that matters for each and its direction.

    Arrivals matter at their arrival time, departures at their departure time. Without a chosen
    flight, the queue keeps flights from `TRIAGE_QUEUE_PAST_HOURS` ago on; a flight without
    scheduled times is kept from its departure date on and listed last.
    """
    airports = _home_airports(user)
    flights = flights_visible_to(user)
    since = timezone.now() - timedelta(hours=settings.TRIAGE_QUEUE_PAST_HOURS)
    if filters.flight:
        flights = flights.filter(pk=filters.flight)
    else:
        flights = flights.filter(
            Q(scheduled_arrival__gte=since)
            | Q(scheduled_departure__gte=since)
            | Q(
                scheduled_arrival__isnull=True,
                scheduled_departure__isnull=True,
                departure_date__gte=since.date(),
            )
        )
    covered: dict[int, tuple[datetime | None, bool]] = {}
    screened: list[datetime] = []
    for pk, arrives_at, arrival, departure, screened_at in flights.values_list(
        "pk", "arrival_airport", "scheduled_arrival", "scheduled_departure", "screened_at"
    ):
        is_arrival = arrives_at in airports
        relevant = (arrival or departure) if is_arrival else (departure or arrival)
        if filters.flight or relevant is None or relevant >= since:
            covered[pk] = (relevant, is_arrival)
            if screened_at:
                screened.append(screened_at)
    return Coverage(covered, max(screened, default=None))


def _versions(coverage: Coverage) -> tuple[Any, ...]:
    """What the visible hits of the covered flights follow: screenings, hits, lists.

    Each part is an index lookup or a handful of rows, never a scan of the hits: a new or
    changed hit moves the newest `updated_at` or id, a removed one comes with a screening of
    its flight (`last_screened`), and a list's change of visibility moves its revision.
    """
    hits = Hit.objects.aggregate(latest=Max("updated_at"), top=Max("pk"))
    lists = tuple(
        Watchlist.objects.order_by("pk").values_list("pk", "revision", "visibility", "is_active")
    )
    return (coverage.last_screened, hits["latest"], hits["top"], lists)


def _matching_travellers(flight_ids: list[int], text: str) -> QuerySet[Traveller]:
    """Travellers of those flights named like the text (any order of words) or holding that
    document number."""
    words = fold(text).split()
    by_name = Q()
    for word in words:
        by_name &= Q(name_key__contains=word) | Q(given_names__icontains=word)
    number = document_key(text)
    by_document = Q(documents__number_key=number) if len(number) >= 4 else Q(pk__in=[])
    return Traveller.objects.filter(flight_id__in=flight_ids).filter(
        (by_name if words else Q(pk__in=[])) | by_document
    )


def queue_for(user: Any, filters: QueueFilters | None = None) -> Queue:
    """The queue: flagged travellers (and those handed to the person), most urgent first.

    The visible hits of the covered flights, grouped by traveller (priority and count), depend
    on the person's agency and on screening only, so they are kept in the cache until a
    screening, a hit or a list changes (`_versions`). Decisions change often and are read
    fresh: which visible hits are settled, and the dispositions (which also bring in the
    travellers referred to the person's agency or assigned to them without a hit they see).
    The order and the state filters are then applied to those rows in Python.
    """
    filters = filters or QueueFilters()
    if not getattr(user, "agency_id", None):
        return Queue(user, [])  # a platform admin sees no passenger data
    coverage = _queue_flights(user, filters)
    flights = coverage.flights
    matching = _matching_travellers(list(flights), filters.search) if filters.search else None
    travellers = Q(traveller__flight_id__in=list(flights), traveller__cancelled_at__isnull=True)
    if matching is not None:
        travellers &= Q(traveller__in=matching)
    grouped = _grouped_hits(user, filters, coverage, travellers)
    settled = dict(
        hits_visible_to(user)
        .filter(travellers, settled_by__isnull=False)
        .values("traveller_id")
        .annotate(n=Count("pk", distinct=True))
        .values_list("traveller_id", "n")
        .order_by()
    )
    # Few travellers have a disposition: read them apart, rather than join every flagged one.
    dispositions = {
        row[0]: row
        for row in Disposition.objects.filter(travellers).values_list(
            "traveller_id", "traveller__flight_id", "state", "assigned_to_id", "referred_to_id"
        )
    }
    rows = []
    for pk, flight_id, top, count in grouped:  # in the queue's order already
        _pk, _flight, state, assigned, referred = dispositions.get(
            pk, (pk, flight_id, State.NEW, None, None)
        )
        row = QueueRow(
            pk,
            flight_id,
            flights[flight_id][0],
            flights[flight_id][1],
            top,
            count,
            count > settled.get(pk, 0),
            state,
            assigned,
            referred,
        )
        if _keeps(user, filters, row):
            rows.append(row)
    if not (filters.category or filters.agency):
        flagged = {row[0] for row in grouped}
        handed = [
            QueueRow(pk, flight_id, *flights[flight_id], 0, 0, False, state, assigned, referred)
            for pk, flight_id, state, assigned, referred in dispositions.values()
            if pk not in flagged and (referred == user.agency_id or assigned == user.pk)
        ]
        kept = [row for row in handed if _keeps(user, filters, row)]
        if kept:
            rows = sorted(rows + kept, key=QueueRow.sort_key)
    return Queue(user, rows, _stamp(coverage))


def _grouped_hits(
    user: Any, filters: QueueFilters, coverage: Coverage, travellers: Q
) -> list[tuple[int, int, int, int]]:
    """(traveller, flight, top score, count) of the visible hits in the queue's order, from the
    cache when fresh."""
    key = (
        "triage-grouped:"
        + hashlib.sha256(
            repr(
                (
                    # Not the agency alone: a liaison officer sees TLP:RED alerts too.
                    hit_scope(user),
                    sorted(coverage.flights),
                    filters.category,
                    filters.agency,
                    filters.search,
                    _versions(coverage),
                )
            ).encode()
        ).hexdigest()
    )
    grouped = cache.get(key)
    if grouped is None:
        query = (
            hits_visible_to(user)
            .filter(travellers)
            .values("traveller_id", "traveller__flight_id")
            .annotate(top=Max("score"), n=Count("pk"))
            .order_by()
        )
        if filters.category:
            query = query.annotate(
                in_category=Count("pk", filter=Q(category=filters.category))
            ).filter(in_category__gt=0)
        if filters.agency:
            query = query.annotate(
                of_agency=Count("pk", filter=Q(agency_id=filters.agency))
            ).filter(of_agency__gt=0)
        flights = coverage.flights
        grouped = sorted(
            ((g["traveller_id"], g["traveller__flight_id"], g["top"], g["n"]) for g in query),
            key=lambda g: QueueRow(
                g[0], g[1], *flights[g[1]], g[2], g[3], False, "", None, None
            ).sort_key(),
        )
        cache.set(key, grouped, settings.TRIAGE_CACHE_SECONDS)
    return grouped


def _keeps(user: Any, filters: QueueFilters, row: QueueRow) -> bool:
    if filters.mine and row.assigned_to_id != user.pk:
        return False
    if filters.state == "open":
        return (
            row.has_open_hits
            or (row.state == State.ASSIGNED and row.assigned_to_id == user.pk)
            or (row.state == State.REFERRED and row.referred_to_id == user.agency_id)
        )
    if filters.state in (State.NEW, State.ASSIGNED, State.REFERRED, State.DECIDED):
        return row.state == filters.state
    return True


def with_visible_hits(user: Any, travellers: QuerySet[Traveller]) -> QuerySet[Traveller]:
    """Attach, in one more query, the hits each traveller shows this person (`visible_hits`)."""
    settled = Decision.settled_hits.through.objects.filter(hit_id=OuterRef("pk"))
    hits = (
        hits_visible_to(user)
        .select_related("agency", "exchange__counterpart")
        .annotate(is_settled=Exists(settled))
        .order_by("-score", "pk")
    )
    return travellers.prefetch_related(Prefetch("hits", queryset=hits, to_attr="visible_hits"))


def queue_stamp(user: Any, filters: QueueFilters | None = None) -> str:
    """Changes whenever the queue could look different: a hit, a list or a decision changed."""
    if not getattr(user, "agency_id", None):
        return ""
    return _stamp(_queue_flights(user, filters or QueueFilters()))


def _stamp(coverage: Coverage) -> str:
    decided = Disposition.objects.aggregate(latest=Max("updated_at"))["latest"]
    version = repr((sorted(coverage.flights), _versions(coverage), decided))
    return hashlib.sha256(version.encode()).hexdigest()[:16]


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
