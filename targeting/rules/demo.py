"""Demo watchlists and risk rules at Lomé, built around travellers of the demo day."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from agencies.models import Agency, Person
from targeting.manifests.models import Flight, Traveller
from targeting.rules import screening, watchlists
from targeting.rules.models import Rule, Watchlist, WatchlistEntry
from targeting.rules.rules import save_rule


def load_screening_demo(*, day: date) -> int:
    """Create the demo lists and rules once, then screen the day's flights; returns hits."""
    customs = Agency.objects.get(code="TG-CUS")
    police = Agency.objects.get(code="TG-POL")
    if not Watchlist.objects.filter(agency=customs, name="Couriers (customs)").exists():
        with transaction.atomic():
            _lists(customs, police, day)
            _rules(customs)
    hits = 0
    for flight_id in Flight.objects.filter(
        task_force=customs.task_force, departure_date=day
    ).values_list("pk", flat=True):
        hits += screening.screen_flight(flight_id)
    return hits


def _pick(day: date, nth: int) -> Traveller | None:
    travellers = Traveller.objects.filter(
        flight__departure_date=day,
        flight__task_force__code="TG-LFW",
        kind="passenger",
        birth_date__isnull=False,
    ).order_by("id")
    return travellers[nth] if travellers.count() > nth else None


def _lists(customs: Agency, police: Agency, day: date) -> None:
    couriers = watchlists.create_watchlist(
        actor=None,
        agency=customs,
        name="Couriers (customs)",
        description="Suspected drug couriers from past seizures at LFW.",
    )
    interpol = watchlists.create_watchlist(
        actor=None,
        agency=police,
        name="INTERPOL notices (NCB Lomé)",
        visibility="task_force",
    )
    sltd = watchlists.create_watchlist(
        actor=None,
        agency=police,
        name="Stolen and lost travel documents",
        kind="documents",
        visibility="task_force",
    )
    courier = _pick(day, 3)
    if courier is not None:
        # Listed with the year of birth only and the given names in another order.
        watchlists.save_entry(
            actor=None,
            entry=WatchlistEntry(
                watchlist=couriers,
                surname=courier.surname,
                given_names=courier.given_names,
                birth_date=str(courier.birth_date.year),
                nationality=courier.nationality,
                category="drugs",
                action="search hold luggage; inform customs supervisor",
                reason="courier in a 2025 cocaine seizure (3.2 kg, body carried)",
            ),
            reason="demo",
        )
    wanted = _pick(day, 17)
    if wanted is not None:
        watchlists.save_entry(
            actor=None,
            entry=WatchlistEntry(
                watchlist=interpol,
                full_name=f"{wanted.given_names} {wanted.surname}",
                birth_date=wanted.birth_date.isoformat(),
                nationality=wanted.nationality,
                category="trafficking",
                source="INTERPOL red notice",
                source_reference="A-0000/11-2025 (demo)",
                action="hold at the gate and call the NCB",
                reason="trafficking in persons",
            ),
            reason="demo",
        )
    carrier = _pick(day, 30)
    document = carrier.documents.first() if carrier else None
    if document is not None:
        # Written as the notice wrote it: letter O where the passport has a zero.
        watchlists.save_entry(
            actor=None,
            entry=WatchlistEntry(
                watchlist=sltd,
                document_type=document.type,
                document_number=document.number.replace("0", "O"),
                issuing_state=document.issuing_state,
                category="documents",
                action="seize the document",
                source="INTERPOL SLTD",
            ),
            reason="demo",
        )


def _rules(customs: Agency) -> None:
    analyst = Person.objects.get(username="analyst")
    if not Rule.objects.filter(agency=customs).exists():
        save_rule(
            actor=analyst,
            rule=None,
            name="Late cash booking",
            weight=35,
            category="drugs",
            reason="pattern of the 2025 seizures",
            condition={
                "all": [
                    {"field": "booking_lead_hours", "op": "lt", "value": 48},
                    {"field": "payment_types", "op": "contains", "value": "cash"},
                ]
            },
        )
        save_rule(
            actor=analyst,
            rule=None,
            name="Source-country route, one way",
            weight=30,
            category="drugs",
            reason="cocaine routes from South America",
            condition={
                "all": [
                    {
                        "field": "route_countries",
                        "op": "in",
                        "value": ["BRA", "COL", "PER", "BOL"],
                        "value_label": "source countries",
                    },
                    {"field": "is_one_way", "op": "is_true"},
                ]
            },
        )
