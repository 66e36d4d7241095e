"""What an itinerary's shape says: one-way, breaking off, doubling back.

Computed once per reservation (every traveller on it shares the answer). Leg times are local to
each leg's airports; the only time arithmetic here is the ground time at one airport (the
previous leg's arrival and the next leg's departure at that same airport), so no time zones are
needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

from .inputs import LegInput

# PNR segment status codes of legs the traveller will not fly: HX/XX cancelled, UN/UC not
# operated or not confirmed, NO no action taken. Leaving them out keeps a cancelled return
# from making a one-way trip look like a round trip.
CANCELLED_STATUSES = frozenset({"HX", "XX", "UN", "UC", "NO"})

# A stay of 24 hours or more makes a place a stopover rather than a connection, as in fare
# rules for international journeys; it is also what separates "went there" from "passed by".
STOPOVER = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class RouteFacts:
    """The facts about one itinerary; `None` means the itinerary does not say."""

    legs: tuple[LegInput, ...]
    airports: tuple[str, ...]
    origin: str | None
    is_one_way: bool | None
    one_way_detail: str
    has_gap: bool | None
    gap_detail: str
    doubles_back: bool | None
    doubles_back_detail: str


def flown_legs(itinerary: Sequence[LegInput]) -> tuple[LegInput, ...]:
    """The legs the traveller will fly, in travel order.

    PNR itineraries are sent in travel order, but a push can list a leg added later at the end;
    when every leg has a departure time the legs are put in time order.
    """
    legs = [leg for leg in itinerary if (leg.status or "").upper() not in CANCELLED_STATUSES]
    if legs and all(leg.departure is not None for leg in legs):
        legs.sort(key=lambda leg: leg.departure or datetime.min)
    return tuple(legs)


def route_facts(itinerary: Sequence[LegInput]) -> RouteFacts:
    """Analyse an itinerary: its airports, whether it is one-way, breaks off or doubles back."""
    legs = flown_legs(itinerary)
    airports: list[str] = []
    for leg in legs:
        for code in (leg.from_airport, leg.to_airport):
            if code and code.upper() not in airports:
                airports.append(code.upper())
    if not legs:
        return RouteFacts((), (), None, None, "", None, "", None, "")
    origin = _code(legs[0].from_airport)
    end = _code(legs[-1].to_airport)
    is_one_way: bool | None = None
    one_way_detail = ""
    if origin and end:
        is_one_way = origin != end
        one_way_detail = f"{origin} to {end}, no return" if is_one_way else ""
    has_gap, gap_detail = _gap(legs)
    doubles_back, doubles_back_detail = _doubling_back(legs)
    return RouteFacts(
        legs=legs,
        airports=tuple(airports),
        origin=origin,
        is_one_way=is_one_way,
        one_way_detail=one_way_detail,
        has_gap=has_gap,
        gap_detail=gap_detail,
        doubles_back=doubles_back,
        doubles_back_detail=doubles_back_detail,
    )


def _code(value: str | None) -> str | None:
    return value.strip().upper() or None if value else None


def _path(legs: Sequence[LegInput]) -> str:
    """GRU→LIS→LFW, with "…" where consecutive legs do not join."""
    parts: list[str] = []
    for leg in legs:
        start, to = _code(leg.from_airport) or "?", _code(leg.to_airport) or "?"
        if not parts:
            parts.append(start)
        elif parts[-1] != start:
            parts.append(f"… {start}")
        parts.append(to)
    return "→".join(parts)


def _gap(legs: Sequence[LegInput]) -> tuple[bool | None, str]:
    gaps = [
        f"arrives {_code(a.to_airport)}, next leg leaves {_code(b.from_airport)}"
        for a, b in pairwise(legs)
        if _code(a.to_airport) and _code(b.from_airport)
        if _code(a.to_airport) != _code(b.from_airport)
    ]
    if gaps:
        return True, "; ".join(gaps)
    if any(not leg.from_airport or not leg.to_airport for leg in legs):
        return None, ""
    return False, ""


def _ground_time(arriving: LegInput, leaving: LegInput) -> timedelta | None:
    """Time on the ground between two legs at the same airport, if the itinerary gives it.

    Without an arrival time the previous departure bounds it from above (it includes the
    flight), which is enough to tell a same-day turnaround from a stay of days.
    """
    landed = arriving.arrival or arriving.departure
    if landed is None or leaving.departure is None:
        return None
    return leaving.departure - landed


def _hours(delta: timedelta) -> str:
    return f"{delta.total_seconds() / 3600:.0f} h"


def _doubling_back(legs: Sequence[LegInput]) -> tuple[bool | None, str]:
    """Doubling back, two ways.

    1. A turnaround: X→Y then straight back Y→X within 24 hours of landing at Y.
    2. A return to a place where the traveller already stayed, other than the final return to
       the origin and other than retracing the outbound route on the way home (GRU→LIS→LFW,
       LFW→LIS→GRU is an ordinary return with a connection in LIS). Places are stopovers:
       where the traveller stays 24 hours or more, or where the time is not known.
    """
    reasons: list[str] = []
    for a, b in pairwise(legs):
        x, y = _code(a.from_airport), _code(a.to_airport)
        if not x or not y or _code(b.from_airport) != y or _code(b.to_airport) != x:
            continue
        ground = _ground_time(a, b)
        if ground is not None and ground < STOPOVER:
            reasons.append(f"turns back at {y} after {_hours(ground)}: {x}→{y}→{x}")
    stops = _stopovers(legs)
    if stops:
        places = stops[:-1] if len(stops) > 1 and stops[-1] == stops[0] else stops
        retraced = stops == stops[::-1]
        seen: set[str] = set()
        for place in places:
            if place in seen and not retraced:
                reasons.append(f"returns to {place}: {_path(legs)}")
                break
            seen.add(place)
    if reasons:
        return True, "; ".join(reasons)
    if any(not leg.from_airport or not leg.to_airport for leg in legs):
        return None, ""
    return False, ""


def _stopovers(legs: Sequence[LegInput]) -> list[str]:
    """The origin, every place stayed at (24 h or more, or unknown), and the final arrival."""
    start = _code(legs[0].from_airport)
    stops = [start] if start else []
    for a, b in pairwise(legs):
        here = _code(a.to_airport)
        if not here:
            continue
        ground = _ground_time(a, b) if here == _code(b.from_airport) else None
        if ground is None or ground >= STOPOVER:
            stops.append(here)
    end = _code(legs[-1].to_airport)
    if end:
        stops.append(end)
    return stops
