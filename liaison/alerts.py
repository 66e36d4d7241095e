"""Alerts about inbound travellers: a hit in the triage queue for each one on our flights.

A counterpart's alert (aircop-exchange/1, kind `alert`) describes travellers by name, birth
date, one document and their flight (liaison/wire.py). Each described traveller is looked for on
the task force's flights departing or arriving from 2 hours ago to 72 hours ahead, and every
one found gets a liaison hit: the exchange's agency is the hit's, its handling code decides who
sees it (targeting.rules.selectors.hits_visible_to). An alert often comes before the manifest:
screening a flight (targeting.rules.screening.screen_flight) matches the alerts of the last
72 hours against it again (`flag_flight`). Both are idempotent: one hit per traveller and alert.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from liaison.models import Exchange, Handling
from targeting.manifests.keys import document_key, flight_number_key, name_key
from targeting.manifests.models import Flight, Traveller
from targeting.rules.models import Category, Hit
from targeting.rules.screening import combined_score

log = logging.getLogger(__name__)

ALERT_SCORE = 95
# Which flights an alert is matched against, around now.
WINDOW_BEFORE = timedelta(hours=2)
WINDOW_AHEAD = timedelta(hours=72)
# How old an alert may be and still flag a traveller whose manifest arrives after it.
PENDING_FOR = timedelta(hours=72)


def upcoming_flights(task_force_id: int) -> QuerySet[Flight]:
    """The task force's flights departing or arriving from 2 hours ago to 72 hours ahead (by
    their date when they have no scheduled times)."""
    now = timezone.now()
    since, until = now - WINDOW_BEFORE, now + WINDOW_AHEAD
    return Flight.objects.filter(task_force_id=task_force_id).filter(
        Q(scheduled_departure__range=(since, until))
        | Q(scheduled_arrival__range=(since, until))
        | Q(
            scheduled_departure__isnull=True,
            scheduled_arrival__isnull=True,
            departure_date__range=(since.date(), until.date()),
        )
    )


def _on_flight(flight: dict[str, str]) -> Q:
    """Travellers of the flight a message names (carrier, number, date; origin when given)."""
    q = Q(
        flight__carrier=flight["carrier"].strip().upper(),
        flight__number=flight_number_key(flight["number"]),
        flight__departure_date=date.fromisoformat(flight["departure_date"]),
    )
    if flight.get("departure_airport"):
        q &= Q(flight__departure_airport=flight["departure_airport"].strip().upper())
    return q


def _matches(described: dict[str, Any], flights: list[dict[str, str]]) -> list[tuple[Q, str]]:
    """The ways a described traveller is recognised, each with the reason the officer reads:
    the document number (same issuing state when both give one), the name with the birth
    date, or the name on the flight the alert names."""
    ways = []
    document = described.get("document") or {}
    number = document_key(document.get("number"))
    if number:
        state = (document.get("issuing_state") or "").strip().upper()
        same_document = Q(documents__number_key=number)
        if state:
            # In one Q, so number and state are of the same document.
            same_document &= Q(documents__issuing_state__in=[state, ""])
        ways.append((same_document, f"document {number}" + (f" ({state})" if state else "")))
    key = name_key(described.get("surname"), described.get("given_names"))
    if described.get("birth_date"):
        born = date.fromisoformat(described["birth_date"])
        ways.append((Q(name_key=key, birth_date=born), f"name and birth date {born:%Y-%m-%d}"))
    named = [described["flight"]] if described.get("flight") else flights
    for flight in named:
        ways.append(
            (
                Q(name_key=key) & _on_flight(flight),
                f"name on {flight['carrier']}{flight['number']} {flight['departure_date']}",
            )
        )
    return ways


def _explanation(exchange: Exchange, reason: str) -> str:
    tag = f"TLP:{exchange.handling.upper().replace('_', '+')}"
    return f"Liaison alert from {exchange.counterpart.name} ({tag}): {exchange.subject}; {reason}"


def _refresh_risk(traveller_ids: Iterable[int]) -> None:
    """The traveller's risk score, combined from all their hits (as screening computes it)."""
    scores: dict[int, list[int]] = {pk: [] for pk in traveller_ids}
    for pk, score in Hit.objects.filter(traveller_id__in=list(scores)).values_list(
        "traveller_id", "score"
    ):
        scores[pk].append(score)
    for pk, values in scores.items():
        Traveller.objects.filter(pk=pk).update(risk_score=combined_score(values))


def _flag(exchange: Exchange, payload: dict[str, Any], flights: QuerySet[Flight]) -> list[Hit]:
    travellers = Traveller.objects.filter(flight__in=flights, cancelled_at__isnull=True)
    hits: dict[int, Hit] = {}
    for described in payload.get("travellers") or []:
        for match, reason in _matches(described, payload.get("flights") or []):
            for traveller in travellers.filter(match).distinct().only("pk"):
                if traveller.pk in hits:
                    continue
                hits[traveller.pk], created = Hit.objects.get_or_create(
                    traveller=traveller,
                    exchange=exchange,
                    defaults={
                        "source": Hit.Source.LIAISON,
                        "handling": exchange.handling,
                        "agency_id": exchange.agency_id,
                        "score": ALERT_SCORE,
                        # aircop-exchange/1 carries no category: "other" rather than a guess
                        # from the text.
                        "category": Category.OTHER,
                        "explanation": _explanation(exchange, reason)[:500],
                    },
                )
                if created:
                    log.info("alert %s flagged traveller %s", exchange.uid, traveller.pk)
    _refresh_risk(hits)
    return list(hits.values())


def _is_alert(exchange: Exchange) -> bool:
    return (
        exchange.direction == Exchange.Direction.INBOUND
        and exchange.kind == Exchange.Kind.ALERT
        and exchange.handling in Handling.values
    )


@transaction.atomic
def flag_travellers(*, exchange: Exchange, payload: dict[str, Any]) -> list[Hit]:
    """Flag the travellers an inbound alert describes on the task force's upcoming flights.

    Returns the alert's hits on them, made now or before (running it twice makes no new hit).
    """
    if not _is_alert(exchange):
        return []
    return _flag(exchange, payload, upcoming_flights(exchange.task_force_id))


@transaction.atomic
def flag_flight(flight: Flight) -> list[Hit]:
    """Match the inbound alerts of the last 72 hours against this flight's travellers (when the
    flight is in the alert window): for alerts that came before the manifest."""
    flights = upcoming_flights(flight.task_force_id).filter(pk=flight.pk)
    if not flights.exists():
        return []
    alerts = (
        Exchange.objects.filter(
            task_force_id=flight.task_force_id,
            direction=Exchange.Direction.INBOUND,
            kind=Exchange.Kind.ALERT,
            created_at__gte=timezone.now() - PENDING_FOR,
        )
        .exclude(state=Exchange.State.CLOSED)
        .select_related("counterpart")
    )
    hits = []
    for exchange in alerts:
        # The alert itself is the thread's first message from the counterpart.
        first = exchange.messages.filter(direction=Exchange.Direction.INBOUND).first()
        if first is not None and _is_alert(exchange):
            hits.extend(_flag(exchange, first.payload, flights))
    return hits
