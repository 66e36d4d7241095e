"""One pandas frame per flight: a row per traveller, a column per catalogue field.

Everything a rule might ask that takes work to find out (ages, lead times, the itinerary's
shape, whether the payer travels) is worked out here once per flight, so that evaluating twenty
rules is twenty passes of column arithmetic. Unknown values are missing (NaN, NA or None), never
a guess: a condition on a missing value neither matches nor fails (see `evaluate`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd

from .catalogue import FIELDS, SET_TYPES, FieldType
from .inputs import DocumentInput, FlightInput, TravellerInput
from .itinerary import RouteFacts, route_facts

# Columns that are not fields but carry the words an explanation quotes, or link rows.
DETAIL_COLUMNS = (
    "is_one_way_detail",
    "itinerary_has_gap_detail",
    "itinerary_doubles_back_detail",
    "itinerary_disagrees_with_flight_detail",
    "broken_route_detail",
    "paid_by_non_traveller_detail",
    "travels_with_flagged_detail",
    "reservation_key",
    "traveller_name",
)

_POUND_KG = 0.45359237
# ICAO 9303 prints Germany as D in the MRZ; senders pass D or DEU (codes.md).
_COUNTRY_ALIASES = {"D": "DEU"}
# PNRGOV FOP type codes (pnrgov.md); anything else a payment can be is "other".
_PAYMENT_KIND = {"CA": "cash", "CASH": "cash", "CC": "card", "CARD": "card", "OTHER": "other"}
_TITLES = frozenset({"MR", "MRS", "MS", "MISS", "MSTR", "DR", "PROF", "CHD", "INF", "MME", "M"})


def flight_frame(
    flight: FlightInput,
    travellers: Sequence[TravellerInput],
    *,
    airport_countries: Mapping[str, str] | None = None,
    flagged_keys: Collection[str] = (),
) -> pd.DataFrame:
    """Build the evaluation frame of one flight, indexed by traveller key.

    `airport_countries` maps IATA airport codes to alpha-3 countries (the Airport table); an
    airport missing from it simply adds no country to the route. `flagged_keys` are travellers
    already flagged on this flight (watchlist hits, earlier rules); they fill `is_flagged` and,
    for their companions on the same reservation, `travels_with_flagged`.
    """
    keys = [t.key for t in travellers]
    if len(set(keys)) != len(keys):
        raise ValueError("traveller keys must be unique within a flight")
    countries = {
        code.upper(): country
        for code, raw in (airport_countries or {}).items()
        if (country := _country(raw))
    }
    flagged = set(flagged_keys)
    routes: dict[str, RouteFacts] = {}
    flight_row = _flight_columns(flight, countries)
    on_reservation = _names_by_reservation(travellers)
    flagged_companions = _flagged_by_reservation(travellers, flagged)
    rows: list[dict[str, Any]] = []
    for traveller in travellers:
        reservation = traveller.reservation
        route = None
        if reservation is not None:
            # Travellers of one reservation share its itinerary: analyse it once.
            route = routes.get(reservation.key)
            if route is None:
                route = routes[reservation.key] = route_facts(reservation.itinerary)
        row: dict[str, Any] = dict(flight_row)
        row.update(_traveller_columns(traveller, flight, flagged))
        row.update(_document_columns(traveller.documents, flight, row))
        row.update(_route_columns(traveller, flight, route, countries))
        row.update(
            _reservation_columns(
                traveller, flight, on_reservation.get(reservation.key, ()) if reservation else ()
            )
        )
        row.update(_companion_columns(traveller, flagged_companions))
        rows.append(row)
    frame = pd.DataFrame(rows, index=pd.Index(keys, name="traveller_key"))
    return typed_frame(frame)


def typed_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Give every field column the dtype the evaluator relies on (also for a single row).

    Numbers are float64 with NaN, booleans pandas' nullable "boolean" (three-valued), codes and
    texts objects holding an upper-case string or None, sets tuples or None.
    """
    columns: dict[str, pd.Series] = {}
    for name, spec in FIELDS.items():
        column = frame[name] if name in frame.columns else pd.Series(None, index=frame.index)
        if spec.type is FieldType.NUMBER:
            columns[name] = pd.to_numeric(column, errors="coerce").astype("float64")
        elif spec.type is FieldType.BOOLEAN:
            columns[name] = column.astype("object").where(column.notna(), None).astype("boolean")
        elif spec.type in SET_TYPES:
            columns[name] = column.astype("object")
        else:
            columns[name] = column.astype("object").where(column.notna(), None)
    for name in DETAIL_COLUMNS:
        column = frame[name] if name in frame.columns else pd.Series("", index=frame.index)
        columns[name] = column.astype("object").where(column.notna(), "")
    return pd.DataFrame(columns, index=frame.index)


# --- columns -----------------------------------------------------------------------------------


def _flight_columns(flight: FlightInput, countries: Mapping[str, str]) -> dict[str, Any]:
    origin, destination = _code(flight.from_airport), _code(flight.to_airport)
    return {
        "flight_carrier": _code(flight.carrier),
        "flight_origin": origin,
        "flight_destination": destination,
        "flight_origin_country": countries.get(origin or ""),
        "flight_destination_country": countries.get(destination or ""),
    }


def _traveller_columns(
    traveller: TravellerInput, flight: FlightInput, flagged: set[str]
) -> dict[str, Any]:
    nationality, residence = _country(traveller.nationality), _country(traveller.residence)
    sex = _code(traveller.sex)
    return {
        "traveller_name": _display_name(traveller),
        "kind": (traveller.kind or "").strip().lower() or None,
        # MI/FI are infants in SSR DOCS (codes.md); the rule asks about sex, not age.
        "sex": sex[0] if sex in {"MI", "FI"} else sex,
        "age": _age(traveller.birth_date, _departure_date(flight)),
        "nationality": nationality,
        "residence": residence,
        "residence_differs_from_nationality": _differs(residence, nationality),
        "seat": _code(traveller.seat),
        "bags_count": traveller.bags_count,
        "bags_weight": _kilograms(traveller.bags_weight, traveller.bags_unit),
        "embarkation": _code(traveller.embarkation),
        "disembarkation": _code(traveller.disembarkation),
        "is_transit": traveller.is_transit,
        "is_flagged": traveller.key in flagged,
        "has_reservation": traveller.reservation is not None,
    }


def _document_columns(
    documents: Sequence[DocumentInput],
    flight: FlightInput,
    row: Mapping[str, Any],
) -> dict[str, Any]:
    document = main_document(documents)
    if document is None:
        return {}
    issuing = _country(document.issuing_state)
    departure = _departure_date(flight)
    expires_in = (
        (document.expiry - departure).days if document.expiry and departure is not None else None
    )
    return {
        "document_type": _code(document.type),
        "document_issuing_state": issuing,
        "document_expires_in_days": expires_in,
        "nationality_differs_from_issuing_state": _differs(row.get("nationality"), issuing),
        "residence_differs_from_issuing_state": _differs(row.get("residence"), issuing),
    }


def main_document(documents: Sequence[DocumentInput]) -> DocumentInput | None:
    """The document the traveller travels on: not a visa, and API (document-verified) first."""
    travel = [d for d in documents if not (d.type or "").upper().startswith("V")]
    if not travel:
        return None
    api = [d for d in travel if d.source == "api"]
    return (api or travel)[0]


def _route_columns(
    traveller: TravellerInput,
    flight: FlightInput,
    route: RouteFacts | None,
    countries: Mapping[str, str],
) -> dict[str, Any]:
    embarkation, disembarkation = _code(traveller.embarkation), _code(traveller.disembarkation)
    airports = list(route.airports if route else ())
    for code in (
        _code(flight.from_airport),
        _code(flight.to_airport),
        embarkation,
        disembarkation,
    ):
        if code and code not in airports:
            airports.append(code)
    route_countries = list(dict.fromkeys(countries[a] for a in airports if a in countries))
    origin = (route.origin if route else None) or embarkation or _code(flight.from_airport)
    columns: dict[str, Any] = {
        "journey_origin": origin,
        "journey_origin_country": countries.get(origin or ""),
        "route_airports": tuple(airports) or None,
        "route_countries": tuple(route_countries) or None,
    }
    if route is None or not route.legs:
        return columns
    disagrees, disagrees_detail = _disagreement(route, flight, embarkation, disembarkation)
    parts = [
        (route.has_gap, route.gap_detail),
        (route.doubles_back, route.doubles_back_detail),
        (disagrees, disagrees_detail),
    ]
    columns.update(
        {
            "leg_count": len(route.legs),
            "is_one_way": route.is_one_way,
            "is_one_way_detail": route.one_way_detail,
            "itinerary_has_gap": route.has_gap,
            "itinerary_has_gap_detail": route.gap_detail,
            "itinerary_doubles_back": route.doubles_back,
            "itinerary_doubles_back_detail": route.doubles_back_detail,
            "itinerary_disagrees_with_flight": disagrees,
            "itinerary_disagrees_with_flight_detail": disagrees_detail,
            "broken_route": _any_of(flag for flag, _ in parts),
            "broken_route_detail": "; ".join(detail for flag, detail in parts if flag),
        }
    )
    return columns


def _disagreement(
    route: RouteFacts, flight: FlightInput, embarkation: str | None, disembarkation: str | None
) -> tuple[bool, str]:
    legs = [(_code(leg.from_airport), _code(leg.to_airport)) for leg in route.legs]
    reasons: list[str] = []
    this_flight = (_code(flight.from_airport), _code(flight.to_airport))
    if this_flight not in legs:
        reasons.append(f"this flight {this_flight[0]}→{this_flight[1]} is not on it")
    if embarkation and embarkation not in {start for start, _ in legs}:
        reasons.append(f"boarded at {embarkation}, where no booked leg starts")
    if disembarkation and disembarkation not in {end for _, end in legs}:
        reasons.append(f"leaves at {disembarkation}, where no booked leg ends")
    return bool(reasons), "; ".join(reasons)


def _reservation_columns(
    traveller: TravellerInput, flight: FlightInput, names_on_flight: Sequence[str]
) -> dict[str, Any]:
    reservation = traveller.reservation
    if reservation is None:
        return {}
    kinds = sorted({_payment_kind(p) for p in reservation.payment_types if p.strip()})
    names = list(reservation.traveller_names) or list(names_on_flight)
    paid_by_other, paid_detail = _paid_by_non_traveller(reservation.payer_names, names)
    return {
        "reservation_key": reservation.key,
        "booking_lead_hours": _lead_hours(reservation.booked_at, flight.scheduled_departure),
        "payment_types": tuple(kinds) or None,
        "paid_by_non_traveller": paid_by_other,
        "paid_by_non_traveller_detail": paid_detail,
        "agency_code": _code(reservation.agency_code),
        "agency_name": _code(reservation.agency_name),
        "agency_country": _country(reservation.agency_country),
        "reservation_travellers": len(names) or None,
    }


def _companion_columns(
    traveller: TravellerInput, flagged_companions: Mapping[str, list[tuple[str, str]]]
) -> dict[str, Any]:
    if traveller.reservation is None:
        return {}
    others = [
        name
        for key, name in flagged_companions.get(traveller.reservation.key, [])
        if key != traveller.key
    ]
    return {"travels_with_flagged": bool(others), "travels_with_flagged_detail": ", ".join(others)}


def _names_by_reservation(travellers: Iterable[TravellerInput]) -> dict[str, list[str]]:
    names: dict[str, list[str]] = defaultdict(list)
    for traveller in travellers:
        if traveller.reservation is not None:
            names[traveller.reservation.key].append(_display_name(traveller))
    return names


def _flagged_by_reservation(
    travellers: Iterable[TravellerInput], flagged: set[str]
) -> dict[str, list[tuple[str, str]]]:
    companions: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for traveller in travellers:
        if traveller.reservation is not None and traveller.key in flagged:
            companions[traveller.reservation.key].append((traveller.key, _display_name(traveller)))
    return companions


# --- small derivations -------------------------------------------------------------------------


def _code(value: str | None) -> str | None:
    if value is None:
        return None
    text = " ".join(str(value).split()).upper()
    return text or None


def _country(value: str | None) -> str | None:
    code = _code(value)
    return _COUNTRY_ALIASES.get(code, code) if code else None


def _differs(a: str | None, b: str | None) -> bool | None:
    return None if not a or not b else a != b


def _any_of(flags: Iterable[bool | None]) -> bool | None:
    """Three-valued OR: yes if any part is yes, no only if every part is known to be no."""
    values = list(flags)
    if any(v is True for v in values):
        return True
    return False if all(v is False for v in values) else None


def _departure_date(flight: FlightInput) -> date | None:
    if flight.departure_date is not None:
        return flight.departure_date
    return flight.scheduled_departure.date() if flight.scheduled_departure else None


def _age(birth: date | None, on: date | None) -> int | None:
    if birth is None or on is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _kilograms(weight: float | None, unit: str | None) -> float | None:
    if weight is None:
        return None
    if (unit or "").strip().upper() in {"L", "LB", "LBS"}:
        return round(weight * _POUND_KG, 1)
    return float(weight)


def _lead_hours(booked_at: datetime | None, departure: datetime | None) -> float | None:
    if booked_at is None or departure is None:
        return None
    # PNR booking times are GMT, sometimes sent without a zone (PNRGOV guide).
    booked = booked_at if booked_at.tzinfo else booked_at.replace(tzinfo=UTC)
    leaving = departure if departure.tzinfo else departure.replace(tzinfo=UTC)
    return round((leaving - booked).total_seconds() / 3600, 1)


def _payment_kind(code: str) -> str:
    return _PAYMENT_KIND.get(code.strip().upper(), "other")


def _display_name(traveller: TravellerInput) -> str:
    return "/".join(p for p in (traveller.surname, traveller.given_names) if p) or traveller.key


def _name_tokens(name: str) -> frozenset[str]:
    """Name parts without accents, punctuation or titles, so "Smith/John Mr" = "JOHN SMITH"."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c)).upper()
    return frozenset(t for t in re.split(r"[^A-Z0-9]+", plain) if t and t not in _TITLES)


def _same_person(a: frozenset[str], b: frozenset[str]) -> bool:
    # Payers are written freely (card holder, "J SMITH", a company): every part of the shorter
    # name found in the longer one, or two parts in common, is a traveller; anything less is
    # someone else. An initial stands for any part it begins.
    short, long = sorted((a, b), key=len)
    found = sum(1 for part in short if any(_same_part(part, other) for other in long))
    return found == len(short) or found >= 2


def _same_part(a: str, b: str) -> bool:
    return a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))


def _paid_by_non_traveller(
    payers: Sequence[str], travellers: Sequence[str]
) -> tuple[bool | None, str]:
    payer_tokens = [(p, _name_tokens(p)) for p in payers if _name_tokens(p)]
    if not payer_tokens or not travellers:
        return None, ""
    traveller_tokens = [_name_tokens(t) for t in travellers]
    strangers = [
        payer
        for payer, tokens in payer_tokens
        if not any(_same_person(tokens, t) for t in traveller_tokens if t)
    ]
    return bool(strangers), ", ".join(s.strip().upper() for s in strangers)
