"""What-if: what an unsaved rule would have flagged on the task force's past flights.

The analyst sees, before saving, which travellers of a chosen window of past flights the
condition matches, flight by flight, with the plain-words explanation screening would give. The
evaluation is the screening's own: one frame per flight, every traveller at once. Reading the
travellers is reading personal data, so each preview writes an audit record.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from agencies.models import Airport
from aircop.audit.services import Action, record_event
from targeting.manifests.models import Flight, Traveller
from targeting.manifests.selectors import flights_visible_to
from targeting.rules import evaluation, selectors
from targeting.rules.models import Category, Hit
from targeting.rules.rules import check_condition
from targeting.rules.screening import flight_input, traveller_input

WINDOWS = (7, 30, 90)
DEFAULT_WINDOW = 30
# A preview answers while the analyst waits: the most recent flights of the window, no more.
MAX_FLIGHTS = 500
# Flights loaded together: bounds the travellers held in memory at once.
CHUNK = 50
# Matched travellers listed on the page; the counts cover all of them.
MAX_LISTED = 200


@dataclass(frozen=True)
class FlightCount:
    """One past flight the rule would have flagged travellers on."""

    flight: Flight
    matched: int
    total: int


@dataclass(frozen=True)
class MatchedTraveller:
    """A traveller the rule would have flagged, and why."""

    traveller: Traveller
    flight: Flight
    explanation: str


@dataclass
class Preview:
    """What the rule would have flagged over the window."""

    days: int
    flights_scanned: int = 0
    travellers_scanned: int = 0
    is_capped: bool = False
    flights: list[FlightCount] = field(default_factory=list)
    travellers: list[MatchedTraveller] = field(default_factory=list)
    matched_count: int = 0

    @property
    def is_truncated(self) -> bool:
        """Whether more travellers matched than are listed."""
        return self.matched_count > len(self.travellers)


def past_flights(actor: Any, days: int) -> QuerySet[Flight]:
    """The task force's flights that departed within the last `days` days, latest first."""
    now = timezone.now()
    since = now - timedelta(days=days)
    return (
        flights_visible_to(actor)
        .filter(departure_date__gte=since.date(), departure_date__lte=now.date())
        .exclude(scheduled_departure__gt=now)
        .order_by("-departure_date", "-scheduled_departure", "-pk")
    )


def preview_rule(*, actor: Any, condition: Any, days: int = DEFAULT_WINDOW) -> Preview:
    """Evaluate an unsaved condition over the actor's past flights of the window.

    Raises ValidationError (on `condition`, naming the paths) when the tree does not validate.
    Only flights the actor may see are read; travellers count as flagged ("already flagged",
    "travels with a flagged person") from the watchlist hits the actor may see, so a preview
    never reveals a hit from a list hidden from them.
    """
    check_condition(condition)
    if days not in WINDOWS:
        days = DEFAULT_WINDOW
    flight_ids = list(past_flights(actor, days).values_list("pk", flat=True)[: MAX_FLIGHTS + 1])
    preview = Preview(days=days, is_capped=len(flight_ids) > MAX_FLIGHTS)
    flight_ids = flight_ids[:MAX_FLIGHTS]
    rule = evaluation.Rule(
        id="preview", version=0, condition=condition, weight=1, category=Category.OTHER
    )
    countries = dict(Airport.objects.values_list("iata_code", "country"))
    for flight, travellers, flagged in _flights_with_travellers(actor, flight_ids):
        preview.flights_scanned += 1
        preview.travellers_scanned += len(travellers)
        if not travellers:
            continue
        frame = evaluation.flight_frame(
            flight_input(flight),
            [traveller_input(t) for t in travellers],
            airport_countries=countries,
            flagged_keys={str(pk) for pk in flagged},
        )
        hits = evaluation.score_rule_hits([rule], frame)
        if not hits:
            continue
        preview.flights.append(FlightCount(flight=flight, matched=len(hits), total=len(travellers)))
        preview.matched_count += len(hits)
        by_key = {str(t.pk): t for t in travellers}
        for hit in hits:
            if len(preview.travellers) < MAX_LISTED:
                preview.travellers.append(
                    MatchedTraveller(
                        traveller=by_key[hit.traveller_key],
                        flight=flight,
                        explanation=hit.explanation,
                    )
                )
    record_event(
        action=Action.VIEW,
        actor=actor,
        object_label="risk rule what-if preview",
        reason="what-if preview of a risk rule over past flights",
        details={
            "days": days,
            "condition": condition,
            "flights": preview.flights_scanned,
            "matched": preview.matched_count,
            "travellers": [m.traveller.pk for m in preview.travellers],
        },
    )
    return preview


def _flights_with_travellers(
    actor: Any, flight_ids: Sequence[int]
) -> Iterator[tuple[Flight, list[Traveller], set[int]]]:
    """Each flight with its active travellers and those already flagged, a chunk at a time."""
    for start in range(0, len(flight_ids), CHUNK):
        chunk = list(flight_ids[start : start + CHUNK])
        flights = Flight.objects.in_bulk(chunk)
        by_flight: dict[int, list[Traveller]] = defaultdict(list)
        travellers = (
            Traveller.objects.filter(flight_id__in=chunk, cancelled_at__isnull=True)
            .select_related("reservation")
            .prefetch_related("documents", "reservation__payments", "reservation__travellers")
            .order_by("surname", "given_names", "pk")
        )
        for traveller in travellers:
            by_flight[traveller.flight_id].append(traveller)
        flagged_rows = (
            selectors.hits_visible_to(actor)
            .filter(source=Hit.Source.WATCHLIST, traveller__flight_id__in=chunk)
            .values_list("traveller__flight_id", "traveller_id")
        )
        flagged: dict[int, set[int]] = defaultdict(set)
        for flight_id, traveller_id in flagged_rows:
            flagged[flight_id].add(traveller_id)
        for flight_id in chunk:
            flight = flights[flight_id]
            # The traveller's flight is this one: spare each explanation row a query.
            for traveller in by_flight[flight_id]:
                traveller.flight = flight
            yield flight, by_flight[flight_id], flagged[flight_id]
