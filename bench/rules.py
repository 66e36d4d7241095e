"""Benchmark: risk rules over one flight, 400 travellers and 20 rules, on one core.

Run `python bench/rules.py` from the repository root. It builds a synthetic flight
deterministically (travellers with documents, reservations of one to four people with
itineraries, payments, agencies), then times, as the screening task does them: building the
flight frame, evaluating the 20 rules (vectorised), and scoring them (evaluation plus the
explanation of every hit). The best of several runs is kept to damp machine noise.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from targeting.rules.evaluation import (
    DocumentInput,
    FlightInput,
    LegInput,
    ReservationInput,
    Rule,
    TravellerInput,
    evaluate,
    flight_frame,
    score_rule_hits,
)

TRAVELLERS = 400
REPEATS = 7
DEPARTURE = datetime(2025, 3, 1, 10, 0, tzinfo=UTC)
AIRPORTS = {
    "LIS": "PRT",
    "LFW": "TGO",
    "GRU": "BRA",
    "BOG": "COL",
    "LIM": "PER",
    "MAD": "ESP",
    "CDG": "FRA",
    "ACC": "GHA",
    "LOS": "NGA",
    "DKR": "SEN",
    "OPO": "PRT",
    "CMN": "MAR",
}
NATIONALITIES = ["TGO", "PRT", "NGA", "GHA", "BRA", "FRA", "D", "SEN", "CIV", "BEN"]
FEEDERS = ["GRU", "BOG", "LIM", "MAD", "CDG", "OPO", "CMN", None, None, None]


def _leg(start: str, end: str, departure: datetime, hours: float) -> LegInput:
    arrival = departure + timedelta(hours=hours)
    return LegInput(from_airport=start, to_airport=end, departure=departure, arrival=arrival)


def build_flight(rng: random.Random) -> tuple[FlightInput, list[TravellerInput]]:
    """A LIS→LFW flight with 400 travellers, some on shared reservations, a few crew."""
    flight = FlightInput("TP", "1441", "LIS", "LFW", DEPARTURE, DEPARTURE.date())
    travellers: list[TravellerInput] = []
    index = 0
    while index < TRAVELLERS:
        feeder = rng.choice(FEEDERS)
        # Leg times are local and naive, as reservations give them.
        leaving = DEPARTURE.replace(tzinfo=None)
        legs = [_leg("LIS", "LFW", leaving, 4)]
        if feeder:
            legs.insert(0, _leg(feeder, "LIS", leaving - timedelta(hours=12), 9))
        if rng.random() < 0.6:
            back = leaving + timedelta(days=rng.choice([0.2, 3, 7, 14]))
            legs.append(_leg("LFW", rng.choice(["LIS", "ACC", "LOS"]), back, 4))
        size = min(rng.choice([1, 1, 1, 2, 2, 3, 4]), TRAVELLERS - index)
        names = [f"SURNAME{index + n}/GIVEN{n}" for n in range(size)]
        reservation = (
            None
            if rng.random() < 0.1
            else ReservationInput(
                key=f"1A/R{index:05d}",
                booked_at=DEPARTURE - timedelta(hours=rng.choice([3, 20, 80, 400, 2000])),
                payment_types=(rng.choice(["CC", "CC", "CC", "CA", "MS"]),),
                payer_names=(rng.choice([names[0].replace("/", " "), "ACME LTD"]),),
                agency_code=rng.choice(["12345678", "87654321", None]),
                agency_name=rng.choice(["SUNSHINE TRAVEL", "ONLINE", None]),
                itinerary=tuple(legs),
                traveller_names=tuple(names),
            )
        )
        for n in range(size):
            nationality = rng.choice(NATIONALITIES)
            travellers.append(
                TravellerInput(
                    key=str(index),
                    kind="crew" if index % 50 == 0 else "passenger",
                    surname=f"SURNAME{index}",
                    given_names=f"GIVEN{n}",
                    sex=rng.choice("MF"),
                    birth_date=date(rng.randint(1940, 2020), rng.randint(1, 12), 1),
                    nationality=nationality,
                    residence=rng.choice([nationality, "PRT", None]),
                    embarkation="LIS",
                    disembarkation="LFW",
                    seat=f"{rng.randint(1, 40)}{rng.choice('ABCDEF')}",
                    bags_count=rng.randint(0, 3),
                    bags_weight=rng.uniform(0, 60),
                    documents=(
                        DocumentInput(
                            "P",
                            rng.choice([nationality, "GHA"]),
                            date(2025, 3, 1) + timedelta(days=rng.randint(-30, 3000)),
                        ),
                    ),
                    reservation=reservation,
                )
            )
            index += 1
    return flight, travellers


def _leaf(field: str, op: str, value: Any = None) -> dict[str, Any]:
    return {"field": field, "op": op, **({"value": value} if value is not None else {})}


def build_rules() -> list[Rule]:
    """Twenty rules of the kinds analysts write, from one condition to nested groups."""
    sources = ["GRU", "BOG", "LIM", "CCS", "PTY"]
    trees: list[dict[str, Any]] = [
        {
            "all": [
                _leaf("booking_lead_hours", "lt", 24),
                _leaf("payment_types", "contains", "cash"),
                _leaf("is_one_way", "is_true"),
                _leaf("journey_origin", "in", sources),
            ]
        },
        {"all": [_leaf("route_airports", "in", sources), _leaf("bags_weight", "gt", 40)]},
        {"all": [_leaf("route_countries", "in", ["BRA", "COL"]), _leaf("age", "lt", 25)]},
        _leaf("paid_by_non_traveller", "is_true"),
        {"all": [_leaf("agency_code", "eq", "12345678"), _leaf("booking_lead_hours", "lt", 72)]},
        _leaf("broken_route", "is_true"),
        _leaf("itinerary_doubles_back", "is_true"),
        {
            "all": [
                _leaf("nationality_differs_from_issuing_state", "is_true"),
                _leaf("age", "ge", 18),
            ]
        },
        _leaf("document_expires_in_days", "lt", 30),
        {"any": [_leaf("travels_with_flagged", "is_true"), _leaf("is_flagged", "is_true")]},
        {
            "all": [
                _leaf("kind", "eq", "passenger"),
                {"not": _leaf("payment_types", "in", ["card"])},
                _leaf("reservation_travellers", "eq", 1),
            ]
        },
        {"all": [_leaf("bags_count", "ge", 3), _leaf("is_one_way", "is_true")]},
        {"all": [_leaf("sex", "eq", "F"), _leaf("age", "between", [18, 30])]},
        _leaf("agency_name", "contains", "SUNSHINE"),
        {"all": [_leaf("seat", "startswith", "3"), _leaf("booking_lead_hours", "lt", 100)]},
        {"not": _leaf("residence", "eq", "PRT")},
        {"all": [_leaf("has_reservation", "is_false"), _leaf("kind", "eq", "passenger")]},
        {
            "any": [
                {
                    "all": [
                        _leaf("nationality", "in", ["NGA", "GHA"]),
                        _leaf("is_one_way", "is_true"),
                    ]
                },
                {"all": [_leaf("journey_origin_country", "eq", "BRA"), _leaf("age", "lt", 30)]},
            ]
        },
        _leaf("residence_differs_from_nationality", "is_true"),
        {"all": [_leaf("leg_count", "ge", 3), _leaf("itinerary_has_gap", "is_false")]},
    ]
    return [
        Rule(id=i + 1, version=1, condition=tree, weight=10 + i * 4, category="drugs")
        for i, tree in enumerate(trees)
    ]


def best_of(step: Callable[[], object]) -> float:
    """Best wall time of REPEATS runs, in milliseconds."""
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main() -> None:
    rng = random.Random(20250301)  # noqa: S311 - synthetic data, not security
    flight, travellers = build_flight(rng)
    rules = build_rules()
    flagged = {t.key for t in travellers[::37]}

    def build() -> object:
        return flight_frame(flight, travellers, airport_countries=AIRPORTS, flagged_keys=flagged)

    frame = build()
    hits = score_rule_hits(rules, frame)
    frame_ms = best_of(build)
    evaluate_ms = best_of(lambda: [evaluate(rule, frame) for rule in rules])
    score_ms = best_of(lambda: score_rule_hits(rules, frame))
    print(f"flight: {len(travellers)} travellers, {len(rules)} rules, {len(hits)} hits")
    print(f"build the flight frame        {frame_ms:8.1f} ms")
    print(f"evaluate 20 rules (vectorised) {evaluate_ms:7.1f} ms")
    print(f"score 20 rules + explain hits {score_ms:8.1f} ms")
    print(f"whole flight (frame + score)  {frame_ms + score_ms:8.1f} ms")


if __name__ == "__main__":
    main()
