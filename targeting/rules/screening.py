"""Screening: every traveller of a flight against the lists and rules its task force uses.

`screen_flight` is idempotent: it computes the full set of watchlist and rule hits for the
flight and makes the stored ones equal to it (same hits, none doubled, stale ones removed), in
one transaction. Liaison hits (alerts from counterparts) are not screening's to remove: it only
counts them in the travellers' risk scores, and matches recent alerts against the flight.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone

from agencies.models import Airport
from targeting.ingestion.models import InboundMessage
from targeting.manifests.models import Flight, ScreeningState, Traveller
from targeting.rules import evaluation, matching, selectors
from targeting.rules.models import Hit, Rule, Visibility, Watchlist, WatchlistEntry

logger = logging.getLogger(__name__)

RESCREEN_WINDOW = timedelta(hours=72)


class ScreeningUnavailable(Exception):
    """A passing failure (database or cache unavailable): the task retries with backoff."""


@dataclass(frozen=True)
class FoundHit:
    traveller_id: int
    source: str
    agency_id: int
    score: int
    category: str
    explanation: str
    watchlist_id: int | None = None
    entry_id: int | None = None
    rule_id: int | None = None
    rule_version_id: int | None = None

    @property
    def key(self) -> tuple[int, str, int | None]:
        return (self.traveller_id, self.source, self.entry_id or self.rule_id)


def combined_score(scores: list[int]) -> int:
    """A traveller's priority from their hits: 1 - Π(1 - s/100), so two weak hits add up but
    never pass a certain one."""
    remaining = 1.0
    for score in scores:
        remaining *= 1 - min(max(score, 0), 100) / 100
    return round(100 * (1 - remaining))


def screen_flight(flight_id: int) -> int:
    """Screen the flight's active travellers; returns the number of hits it now has."""
    try:
        flight = Flight.objects.select_related("task_force").get(pk=flight_id)
    except Flight.DoesNotExist:
        return 0  # removed since the task was queued: nothing to do
    try:
        travellers = list(
            flight.travellers.filter(cancelled_at__isnull=True)
            .select_related("reservation")
            .prefetch_related("documents", "reservation__payments", "reservation__travellers")
        )
        listed = watchlist_hits(flight, travellers)
        # Rules may ask whether someone travels with a listed person: give them the listed.
        found = listed + rule_hits(flight, travellers, {hit.traveller_id for hit in listed})
        _store(flight, travellers, found)
        # Imported here: liaison.alerts builds on this module (combined_score, the window).
        from liaison.alerts import flag_flight

        flag_flight(flight)
        alerted = Hit.objects.filter(traveller__in=travellers, source=Hit.Source.LIAISON).count()
    except DatabaseError as err:
        raise ScreeningUnavailable(str(err)) from err
    except Exception as err:
        # Visible on the flight page; the error is re-raised so the worker logs it too.
        Flight.objects.filter(pk=flight_id).update(
            screening_state=ScreeningState.FAILED,
            screening_error=f"{type(err).__name__}: {err}"[:500],
        )
        raise
    return len(found) + alerted


@transaction.atomic
def _store(flight: Flight, travellers: list[Traveller], found: list[FoundHit]) -> None:
    of_flight = Hit.objects.filter(traveller__flight=flight)
    existing = {
        (h.traveller_id, h.source, h.entry_id or h.rule_id): h
        for h in of_flight.select_for_update().filter(
            source__in=[Hit.Source.WATCHLIST, Hit.Source.RULE]
        )
    }
    wanted = {hit.key: hit for hit in found}
    Hit.objects.filter(pk__in=[h.pk for k, h in existing.items() if k not in wanted]).delete()
    for key, hit in wanted.items():
        values = {
            "agency_id": hit.agency_id,
            "score": hit.score,
            "category": hit.category,
            "explanation": hit.explanation[:500],
            "watchlist_id": hit.watchlist_id,
            "rule_version_id": hit.rule_version_id,
        }
        current = existing.get(key)
        if current is None:
            Hit.objects.create(
                traveller_id=hit.traveller_id,
                source=hit.source,
                entry_id=hit.entry_id,
                rule_id=hit.rule_id,
                **values,
            )
        elif any(getattr(current, f) != v for f, v in values.items()):
            for field, value in values.items():
                setattr(current, field, value)
            current.save()
    scores: dict[int, list[int]] = {}
    for hit in found:
        scores.setdefault(hit.traveller_id, []).append(hit.score)
    for traveller_id, score in of_flight.filter(source=Hit.Source.LIAISON).values_list(
        "traveller_id", "score"
    ):
        scores.setdefault(traveller_id, []).append(score)
    for traveller in travellers:
        risk = combined_score(scores.get(traveller.pk, []))
        if traveller.risk_score != risk:
            Traveller.objects.filter(pk=traveller.pk).update(risk_score=risk)
    Flight.objects.filter(pk=flight.pk).update(
        screening_state=ScreeningState.SCREENED, screened_at=timezone.now(), screening_error=""
    )
    InboundMessage.objects.filter(flights=flight, state=InboundMessage.State.PARSED).update(
        state=InboundMessage.State.SCREENED
    )


# Built indexes, per worker process, keyed by the lists and their revisions: a change to a list
# bumps its revision, so a stale index is never used, and is dropped when the key changes.
_INDEXES: dict[tuple[int, tuple[tuple[int, int], ...]], matching.WatchlistIndex] = {}


def forget_indexes() -> None:
    """Drop every built index (tests, whose rolled-back databases reuse ids and revisions)."""
    _INDEXES.clear()


def _listed(entry: WatchlistEntry) -> matching.ListedEntry:
    names = []
    if entry.full_name:
        names.append(entry.full_name)
    elif entry.surname:
        names.append(f"{entry.surname}, {entry.given_names}".strip(", "))
    names.extend(entry.aliases)
    documents = (
        (
            matching.TravelDocument(
                entry.document_number, entry.issuing_state or None, entry.document_type or None
            ),
        )
        if entry.document_number
        else ()
    )
    return matching.ListedEntry(
        entry_id=entry.pk,
        names=tuple(names),
        birth_date=entry.birth_date or None,
        nationality=entry.nationality or None,
        documents=documents,
        list_id=str(entry.watchlist_id),
    )


def index_for(lists: list[Watchlist], cache_key: int) -> matching.WatchlistIndex:
    """The index of these lists' active, valid entries, built once per revision."""
    key = (cache_key, tuple(sorted((w.pk, w.revision) for w in lists)))
    index = _INDEXES.get(key)
    if index is None:
        for stale in [k for k in _INDEXES if k[0] == cache_key]:
            del _INDEXES[stale]
        today = timezone.localdate()
        entries = (
            WatchlistEntry.objects.filter(watchlist__in=lists, is_active=True)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=today))
            .only(
                "id",
                "watchlist_id",
                "full_name",
                "surname",
                "given_names",
                "aliases",
                "birth_date",
                "nationality",
                "document_type",
                "document_number",
                "issuing_state",
            )
            .iterator(chunk_size=5000)
        )
        index = matching.WatchlistIndex(
            (_listed(e) for e in entries),
            thresholds={str(w.pk): float(w.threshold) for w in lists},
        )
        _INDEXES[key] = index
    return index


def traveller_record(traveller: Traveller) -> matching.TravellerRecord:
    return matching.TravellerRecord(
        surname=traveller.surname,
        given_names=traveller.given_names,
        birth_date=traveller.birth_date,
        nationality=traveller.nationality or None,
        documents=tuple(
            matching.TravelDocument(d.number, d.issuing_state or None, d.type or None)
            for d in traveller.documents.all()
        ),
    )


def explain_entry_hit(watchlist: Watchlist, entry: WatchlistEntry, reason: str) -> str:
    """What the officer reads: which list, why the match, and what the list says to do."""
    parts = [f"{watchlist.name} ({entry.get_category_display()}): {reason}"]
    if entry.source:
        parts.append(f"source {entry.source} {entry.source_reference}".strip())
    if entry.action:
        parts.append(f"action: {entry.action}")
    return "; ".join(parts)


def watchlist_hits(flight: Flight, travellers: list[Traveller]) -> list[FoundHit]:
    lists = list(selectors.watchlists_screening(flight.task_force).select_related("agency"))
    if not lists or not travellers:
        return []
    index = index_for(lists, cache_key=flight.task_force_id)
    by_list = {str(w.pk): w for w in lists}
    results = index.lookup_many([traveller_record(t) for t in travellers])
    entry_ids = {c.entry_id for candidates in results for c in candidates}
    entries = WatchlistEntry.objects.in_bulk(list(entry_ids))
    found = []
    for traveller, candidates in zip(travellers, results, strict=True):
        for candidate in candidates:
            entry = entries[int(candidate.entry_id)]
            watchlist = by_list[candidate.list_id]
            found.append(
                FoundHit(
                    traveller_id=traveller.pk,
                    source=Hit.Source.WATCHLIST,
                    agency_id=watchlist.agency_id,
                    score=round(candidate.score),
                    category=entry.category,
                    watchlist_id=watchlist.pk,
                    entry_id=entry.pk,
                    explanation=explain_entry_hit(watchlist, entry, candidate.explanation),
                )
            )
    return found


def _reservation_input(traveller: Traveller) -> evaluation.ReservationInput | None:
    reservation = traveller.reservation
    if reservation is None:
        return None
    return evaluation.ReservationInput(
        key=str(reservation.pk),
        booked_at=reservation.booked_at,
        payment_types=tuple(p.type for p in reservation.payments.all()),
        agency_code=reservation.agency or None,
        agency_name=reservation.agency_office or None,
        agency_country=reservation.agency_country or None,
        itinerary=tuple(evaluation.LegInput.from_json(leg) for leg in reservation.itinerary),
        traveller_names=tuple(
            f"{t.surname} {t.given_names}".strip() for t in reservation.travellers.all()
        ),
    )


def traveller_input(traveller: Traveller) -> evaluation.TravellerInput:
    bags = traveller.bags or {}
    return evaluation.TravellerInput(
        key=str(traveller.pk),
        kind=traveller.kind,
        surname=traveller.surname,
        given_names=traveller.given_names,
        sex=traveller.sex or None,
        birth_date=traveller.birth_date,
        nationality=traveller.nationality or None,
        residence=traveller.residence or None,
        embarkation=traveller.embarkation or None,
        disembarkation=traveller.disembarkation or None,
        is_transit=traveller.is_transit,
        seat=traveller.seat or None,
        bags_count=bags.get("count"),
        bags_weight=bags.get("weight"),
        bags_unit=bags.get("unit"),
        documents=tuple(
            evaluation.DocumentInput(
                type=d.type or None,
                issuing_state=d.issuing_state or None,
                expiry=d.expiry,
                source=d.source,
            )
            for d in traveller.documents.all()
        ),
        reservation=_reservation_input(traveller),
    )


def flight_input(flight: Flight) -> evaluation.FlightInput:
    return evaluation.FlightInput(
        carrier=flight.carrier,
        number=flight.number,
        from_airport=flight.departure_airport,
        to_airport=flight.arrival_airport,
        scheduled_departure=flight.scheduled_departure,
        departure_date=flight.departure_date,
    )


def rule_hits(
    flight: Flight, travellers: list[Traveller], flagged: set[int] | None = None
) -> list[FoundHit]:
    rules = list(selectors.rules_screening(flight.task_force))
    if not rules or not travellers:
        return []
    frame = evaluation.flight_frame(
        flight_input(flight),
        [traveller_input(t) for t in travellers],
        airport_countries=dict(Airport.objects.values_list("iata_code", "country")),
        flagged_keys={str(pk) for pk in flagged or ()},
    )
    # rules_screening only gives rules with a current version.
    by_id = {rule.pk: rule for rule in rules}
    evaluated = [
        evaluation.Rule(
            id=rule.pk,
            version=rule.current_version.number,
            condition=rule.current_version.condition,
            weight=rule.current_version.weight,
            category=rule.current_version.category,
            name=rule.name,
        )
        for rule in rules
    ]
    found = []
    for hit in evaluation.score_rule_hits(evaluated, frame):
        rule = by_id[int(hit.rule_id)]
        found.append(
            FoundHit(
                traveller_id=int(hit.traveller_key),
                source=Hit.Source.RULE,
                agency_id=rule.agency_id,
                score=hit.weight,
                category=hit.category,
                rule_id=rule.pk,
                rule_version_id=rule.current_version_id,
                explanation=f"rule {rule.name} v{hit.rule_version}: {hit.explanation}",
            )
        )
    return found


def upcoming_flights_for(*, watchlist_id: int | None, rule_id: int | None) -> list[int]:
    """Flights departing or arriving in the next 72 hours that the changed list or rule screens."""
    now = timezone.now()
    soon = Q(scheduled_departure__range=(now - timedelta(hours=2), now + RESCREEN_WINDOW)) | Q(
        scheduled_arrival__range=(now, now + RESCREEN_WINDOW)
    )
    flights = Flight.objects.filter(soon)
    if watchlist_id is not None:
        watchlist = Watchlist.objects.select_related("agency").get(pk=watchlist_id)
        if watchlist.visibility != Visibility.NETWORK:
            flights = flights.filter(task_force_id=watchlist.agency.task_force_id)
    elif rule_id is not None:
        rule = Rule.objects.select_related("agency").get(pk=rule_id)
        flights = flights.filter(task_force_id=rule.agency.task_force_id)
    return list(flights.order_by("scheduled_departure").values_list("pk", flat=True))
