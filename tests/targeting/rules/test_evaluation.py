"""The risk-rule evaluator: catalogue, validation, derived columns, evaluation, explanations.

No database: the evaluator is a pure core fed with plain records.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
import pytest

from targeting.rules.evaluation import (
    FIELDS,
    DocumentInput,
    FieldType,
    FlightInput,
    LegInput,
    Op,
    ReservationInput,
    Rule,
    RuleError,
    TravellerInput,
    evaluate,
    explain,
    field_catalogue,
    flight_frame,
    route_facts,
    score_rule_hits,
    validate_condition,
)

FLIGHT = FlightInput(
    carrier="TP",
    number="1441",
    from_airport="LIS",
    to_airport="LFW",
    scheduled_departure=datetime(2025, 3, 1, 10, 0, tzinfo=UTC),
    departure_date=date(2025, 3, 1),
)
AIRPORTS = {"GRU": "BRA", "BOG": "COL", "LIS": "PRT", "OPO": "PRT", "LFW": "TGO", "ACC": "GHA"}
AIRPORTS |= {"MAD": "ESP", "CDG": "FRA"}


def leg(
    start: str, end: str, departure: str = "", arrival: str = "", status: str = "HK"
) -> LegInput:
    return LegInput.from_json(
        {"from": start, "to": end, "departure": departure, "arrival": arrival, "status": status}
    )


SOURCE_ROUTE = (
    leg("GRU", "LIS", "2025-02-28 22:00", "2025-03-01 07:30"),
    leg("LIS", "LFW", "2025-03-01 10:00", "2025-03-01 14:00"),
)
RETURN_TRIP = (
    leg("LIS", "LFW", "2025-03-01 10:00", "2025-03-01 14:00"),
    leg("LFW", "LIS", "2025-03-08 15:00", "2025-03-08 21:00"),
)

RESERVATION_A = ReservationInput(
    key="1A/AAA111",
    booked_at=datetime(2025, 3, 1, 5, 0, tzinfo=UTC),
    payment_types=("CA",),
    payer_names=("ACME LTD",),
    agency_code="12345678",
    agency_name="Sunshine Travel",
    agency_country="BRA",
    itinerary=SOURCE_ROUTE,
    traveller_names=("OKAFOR/CHIDI MR",),
)
RESERVATION_B = ReservationInput(
    key="1A/BBB222",
    booked_at=datetime(2025, 1, 1, 10, 0, tzinfo=UTC),
    payment_types=("CC",),
    payer_names=("MARIA SILVA",),
    itinerary=RETURN_TRIP,
    traveller_names=("SILVA/MARIA MRS", "SILVA/JOAO MR"),
)

# a: one-way from a source country, booked 5 h before, cash, paid by a company, NGA on a GHA
#    passport expiring in 20 days; b and b2: a couple on a return trip paid by card, b2 flagged;
# c: API only (no reservation, no document), German as "D", in transit; d: crew, expired card.
TRAVELLERS = (
    TravellerInput(
        key="a",
        surname="OKAFOR",
        given_names="CHIDI",
        sex="M",
        birth_date=date(2000, 3, 2),
        nationality="NGA",
        residence="BRA",
        embarkation="LIS",
        disembarkation="LFW",
        is_transit=False,
        seat="32A",
        bags_count=2,
        bags_weight=46,
        documents=(DocumentInput("P", "GHA", date(2025, 3, 21)),),
        reservation=RESERVATION_A,
    ),
    TravellerInput(
        key="b",
        surname="SILVA",
        given_names="MARIA",
        sex="F",
        birth_date=date(1960, 3, 1),
        nationality="PRT",
        residence="PRT",
        embarkation="LIS",
        seat="1C",
        bags_count=1,
        bags_weight=22,
        bags_unit="LB",
        documents=(DocumentInput("V", "TGO", date(2025, 6, 1)), DocumentInput("P", "PRT")),
        reservation=RESERVATION_B,
    ),
    TravellerInput(
        key="b2",
        surname="SILVA",
        given_names="JOAO",
        sex="M",
        birth_date=date(1958, 6, 1),
        nationality="PRT",
        seat="1D",
        documents=(DocumentInput("P", "PRT", date(2026, 1, 1)),),
        reservation=RESERVATION_B,
    ),
    TravellerInput(
        key="c",
        surname="MEIER",
        sex="U",
        nationality="D",
        embarkation="LIS",
        disembarkation="LFW",
        is_transit=True,
    ),
    TravellerInput(
        key="d",
        kind="crew",
        surname="COSTA",
        sex="F",
        birth_date=date(1985, 7, 10),
        nationality="PRT",
        documents=(DocumentInput("AC", "PRT", date(2024, 12, 31)),),
    ),
)
EVERYONE = ["a", "b", "b2", "c", "d"]


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return flight_frame(FLIGHT, TRAVELLERS, airport_countries=AIRPORTS, flagged_keys={"b2"})


def matched(condition: dict[str, Any], frame: pd.DataFrame) -> list[str]:
    result = evaluate(condition, frame)
    return [str(key) for key in frame.index[result.to_numpy()]]


def only(*travellers: TravellerInput, flight: FlightInput = FLIGHT) -> pd.DataFrame:
    return flight_frame(flight, travellers, airport_countries=AIRPORTS)


def leaf(field: str, op: str, value: Any = None) -> dict[str, Any]:
    condition: dict[str, Any] = {"field": field, "op": op}
    if value is not None:
        condition["value"] = value
    return condition


# --- every field and operator --------------------------------------------------------------

CASES: list[tuple[str, str, Any, list[str]]] = [
    ("kind", "eq", "crew", ["d"]),
    ("kind", "ne", "crew", ["a", "b", "b2", "c"]),
    ("kind", "in", ["passenger"], ["a", "b", "b2", "c"]),
    ("kind", "not_in", ["passenger"], ["d"]),
    ("kind", "is_empty", None, []),
    ("kind", "is_not_empty", None, EVERYONE),
    ("sex", "eq", "F", ["b", "d"]),
    ("sex", "ne", "M", ["b", "c", "d"]),
    ("sex", "in", ["M"], ["a", "b2"]),
    ("sex", "not_in", ["M", "F"], ["c"]),
    ("age", "eq", 65, ["b"]),
    ("age", "ne", 65, ["a", "b2", "d"]),
    ("age", "lt", 30, ["a"]),
    ("age", "le", 24, ["a"]),
    ("age", "gt", 65, ["b2"]),
    ("age", "ge", 65, ["b", "b2"]),
    ("age", "between", [20, 39], ["a", "d"]),
    ("age", "in", [24, 39], ["a", "d"]),
    ("age", "not_in", [24], ["b", "b2", "d"]),
    ("age", "is_empty", None, ["c"]),
    ("age", "is_not_empty", None, ["a", "b", "b2", "d"]),
    ("nationality", "eq", "NGA", ["a"]),
    ("nationality", "eq", "D", ["c"]),
    ("nationality", "eq", "deu", ["c"]),
    ("nationality", "in", ["DEU", "NGA"], ["a", "c"]),
    ("nationality", "not_in", ["PRT"], ["a", "c"]),
    ("nationality", "ne", "PRT", ["a", "c"]),
    ("residence", "eq", "BRA", ["a"]),
    ("residence", "is_not_empty", None, ["a", "b"]),
    ("residence", "is_empty", None, ["b2", "c", "d"]),
    ("nationality_differs_from_issuing_state", "is_true", None, ["a"]),
    ("nationality_differs_from_issuing_state", "is_false", None, ["b", "b2", "d"]),
    ("nationality_differs_from_issuing_state", "is_empty", None, ["c"]),
    ("residence_differs_from_nationality", "is_true", None, ["a"]),
    ("residence_differs_from_nationality", "is_false", None, ["b"]),
    ("residence_differs_from_issuing_state", "is_true", None, ["a"]),
    ("residence_differs_from_issuing_state", "is_false", None, ["b"]),
    ("seat", "eq", "32a", ["a"]),
    ("seat", "ne", "32A", ["b", "b2"]),
    ("seat", "in", ["1C", "1D"], ["b", "b2"]),
    ("seat", "not_in", ["1C"], ["a", "b2"]),
    ("seat", "contains", "2", ["a"]),
    ("seat", "startswith", "1", ["b", "b2"]),
    ("seat", "is_empty", None, ["c", "d"]),
    ("seat", "is_not_empty", None, ["a", "b", "b2"]),
    ("bags_count", "ge", 2, ["a"]),
    ("bags_count", "is_empty", None, ["b2", "c", "d"]),
    ("bags_weight", "gt", 40, ["a"]),
    ("bags_weight", "between", [9.9, 10.1], ["b"]),  # 22 lb
    ("embarkation", "eq", "LIS", ["a", "b", "c"]),
    ("embarkation", "is_empty", None, ["b2", "d"]),
    ("embarkation", "is_not_empty", None, ["a", "b", "c"]),
    ("embarkation", "ne", "LIS", []),
    ("disembarkation", "in", ["LFW"], ["a", "c"]),
    ("is_transit", "is_true", None, ["c"]),
    ("is_transit", "is_false", None, ["a"]),
    ("is_transit", "is_empty", None, ["b", "b2", "d"]),
    ("is_flagged", "is_true", None, ["b2"]),
    ("is_flagged", "is_false", None, ["a", "b", "c", "d"]),
    ("travels_with_flagged", "is_true", None, ["b"]),
    ("travels_with_flagged", "is_false", None, ["a", "b2"]),
    ("travels_with_flagged", "is_empty", None, ["c", "d"]),
    ("document_type", "eq", "AC", ["d"]),
    ("document_type", "in", ["P"], ["a", "b", "b2"]),
    ("document_type", "startswith", "A", ["d"]),
    ("document_type", "is_empty", None, ["c"]),
    ("document_issuing_state", "eq", "GHA", ["a"]),
    ("document_issuing_state", "not_in", ["GHA"], ["b", "b2", "d"]),
    ("document_expires_in_days", "lt", 30, ["a", "d"]),
    ("document_expires_in_days", "lt", 0, ["d"]),
    ("document_expires_in_days", "between", [0, 30], ["a"]),
    ("document_expires_in_days", "is_empty", None, ["b", "c"]),
    ("flight_carrier", "eq", "TP", EVERYONE),
    ("flight_carrier", "ne", "TP", []),
    ("flight_origin", "eq", "LIS", EVERYONE),
    ("flight_destination", "in", ["LFW", "ACC"], EVERYONE),
    ("flight_origin_country", "eq", "PRT", EVERYONE),
    ("flight_destination_country", "not_in", ["TGO"], []),
    ("journey_origin", "in", ["GRU", "BOG"], ["a"]),
    ("journey_origin", "not_in", ["GRU"], ["b", "b2", "c", "d"]),
    ("journey_origin_country", "eq", "BRA", ["a"]),
    ("route_airports", "in", ["GRU", "BOG"], ["a"]),
    ("route_airports", "contains", "LIS", EVERYONE),
    ("route_airports", "not_in", ["GRU"], ["b", "b2", "c", "d"]),
    ("route_airports", "is_empty", None, []),
    ("route_airports", "is_not_empty", None, EVERYONE),
    ("route_countries", "in", ["BRA", "COL"], ["a"]),
    ("route_countries", "contains", "PRT", EVERYONE),
    ("route_countries", "is_not_empty", None, EVERYONE),
    ("route_countries", "is_empty", None, []),
    ("route_countries", "not_in", ["BRA"], ["b", "b2", "c", "d"]),
    ("leg_count", "eq", 2, ["a", "b", "b2"]),
    ("leg_count", "is_empty", None, ["c", "d"]),
    ("is_one_way", "is_true", None, ["a"]),
    ("is_one_way", "is_false", None, ["b", "b2"]),
    ("is_one_way", "is_empty", None, ["c", "d"]),
    ("itinerary_has_gap", "is_false", None, ["a", "b", "b2"]),
    ("itinerary_doubles_back", "is_false", None, ["a", "b", "b2"]),
    ("itinerary_disagrees_with_flight", "is_false", None, ["a", "b", "b2"]),
    ("broken_route", "is_true", None, []),
    ("broken_route", "is_empty", None, ["c", "d"]),
    ("broken_route", "is_not_empty", None, ["a", "b", "b2"]),
    ("has_reservation", "is_true", None, ["a", "b", "b2"]),
    ("has_reservation", "is_false", None, ["c", "d"]),
    ("has_reservation", "is_empty", None, []),
    ("booking_lead_hours", "lt", 24, ["a"]),
    ("booking_lead_hours", "ge", 24, ["b", "b2"]),
    ("booking_lead_hours", "is_empty", None, ["c", "d"]),
    ("payment_types", "contains", "cash", ["a"]),
    ("payment_types", "in", ["cash", "other"], ["a"]),
    ("payment_types", "not_in", ["cash"], ["b", "b2"]),
    ("payment_types", "is_empty", None, ["c", "d"]),
    ("payment_types", "is_not_empty", None, ["a", "b", "b2"]),
    ("paid_by_non_traveller", "is_true", None, ["a"]),
    ("paid_by_non_traveller", "is_false", None, ["b", "b2"]),
    ("agency_code", "eq", "12345678", ["a"]),
    ("agency_code", "startswith", "1234", ["a"]),
    ("agency_code", "is_empty", None, ["b", "b2", "c", "d"]),
    ("agency_name", "contains", "sunshine", ["a"]),
    ("agency_country", "eq", "BRA", ["a"]),
    ("reservation_travellers", "eq", 1, ["a"]),
    ("reservation_travellers", "gt", 1, ["b", "b2"]),
]


@pytest.mark.parametrize(("field", "op", "value", "expected"), CASES)
def test_each_field_and_operator_picks_the_right_travellers(
    frame: pd.DataFrame, field: str, op: str, value: Any, expected: list[str]
) -> None:
    assert validate_condition(leaf(field, op, value)) == []
    assert matched(leaf(field, op, value), frame) == expected


def test_the_table_above_covers_every_field_and_every_operator_of_each_type() -> None:
    fields = {field for field, _op, _value, _expected in CASES}
    assert fields == set(FIELDS)
    used = {(FIELDS[field].type, op) for field, op, _value, _expected in CASES}
    for spec in FIELDS.values():
        missing = [op for op in spec.ops if (spec.type, op.value) not in used]
        assert not missing, f"{spec.type}: {missing} never tested"


# --- missing data --------------------------------------------------------------------------


def _sample_value(field: str, op: Op) -> Any:
    spec = FIELDS[field]
    scalar: Any = {
        FieldType.NUMBER: 1,
        FieldType.TEXT: "X",
        FieldType.AIRPORT: "GRU",
        FieldType.AIRPORT_SET: "GRU",
        FieldType.COUNTRY: "BRA",
        FieldType.COUNTRY_SET: "BRA",
    }.get(spec.type, spec.choices[0][0] if spec.choices else None)
    shape = {"eq": "one", "ne": "one", "in": "list", "not_in": "list", "between": "range"}
    match shape.get(op.value, "one" if op.value not in {"is_true", "is_false"} else "none"):
        case "list":
            return [scalar]
        case "range":
            return [0, 1_000_000]
        case "none":
            return None
    return scalar


RESERVATION_CASES = [
    (name, op)
    for name, spec in FIELDS.items()
    if spec.needs == "reservation"
    for op in spec.ops
    if op not in (Op.IS_EMPTY, Op.IS_NOT_EMPTY)
]


@pytest.mark.parametrize(("field", "op"), RESERVATION_CASES)
def test_a_traveller_without_reservation_matches_no_reservation_condition_nor_its_negation(
    field: str, op: Op
) -> None:
    lone = only(TravellerInput(key="x", surname="NOBODY"))
    condition = leaf(field, op.value, _sample_value(field, op))
    assert validate_condition(condition) == []
    assert matched(condition, lone) == []
    assert matched({"not": condition}, lone) == []
    assert matched(leaf(field, "is_empty"), lone) == ["x"]
    assert matched(leaf(field, "is_not_empty"), lone) == []


def test_missing_data_only_counts_where_the_other_branch_decides(frame: pd.DataFrame) -> None:
    cash_or_crew = {"any": [leaf("payment_types", "contains", "cash"), leaf("kind", "eq", "crew")]}
    assert matched(cash_or_crew, frame) == ["a", "d"]
    cash_and_passenger = {
        "all": [leaf("kind", "eq", "passenger"), leaf("payment_types", "contains", "cash")]
    }
    assert matched({"not": cash_and_passenger}, frame) == ["b", "b2", "d"]


def test_an_empty_flight_gives_an_empty_result() -> None:
    empty = flight_frame(FLIGHT, [])
    assert evaluate(leaf("age", "lt", 30), empty).empty


def test_a_traveller_with_no_data_at_all_does_not_crash_anything() -> None:
    bare = FlightInput(carrier="XQ", number="1", from_airport="LIS", to_airport="LFW")
    lone = flight_frame(bare, [TravellerInput(key="x")])
    rules = [
        Rule(id=i, version=1, condition=leaf(name, "is_empty"), weight=10, category="test")
        for i, name in enumerate(FIELDS)
    ]
    hits = score_rule_hits(rules, lone)
    emptied = {FIELDS[list(FIELDS)[int(hit.rule_id)]].name for hit in hits}
    assert "age" in emptied and "booking_lead_hours" in emptied and "kind" not in emptied


# --- nested groups -------------------------------------------------------------------------


def test_nested_all_any_not(frame: pd.DataFrame) -> None:
    tree = {
        "all": [
            {"any": [leaf("sex", "eq", "F"), leaf("age", "gt", 60)]},
            {"not": {"all": [leaf("kind", "eq", "crew"), leaf("nationality", "eq", "PRT")]}},
            {"not": {"not": leaf("has_reservation", "is_true")}},
        ]
    }
    assert matched(tree, frame) == ["b", "b2"]


def test_a_group_of_one_is_its_child(frame: pd.DataFrame) -> None:
    assert matched({"any": [{"all": [leaf("age", "lt", 30)]}]}, frame) == ["a"]


# --- derived columns -----------------------------------------------------------------------


def test_one_way_is_an_itinerary_that_does_not_end_where_it_started() -> None:
    assert route_facts(SOURCE_ROUTE).is_one_way is True
    assert route_facts(SOURCE_ROUTE).one_way_detail == "GRU to LFW, no return"
    assert route_facts(RETURN_TRIP).is_one_way is False
    assert route_facts(()).is_one_way is None


def test_a_cancelled_return_leg_makes_the_trip_one_way() -> None:
    cancelled = (RETURN_TRIP[0], leg("LFW", "LIS", "2025-03-08 15:00", status="HX"))
    assert route_facts(cancelled).is_one_way is True


def test_legs_sent_out_of_order_are_put_in_time_order() -> None:
    facts = route_facts(tuple(reversed(SOURCE_ROUTE)))
    assert facts.origin == "GRU"
    assert facts.has_gap is False


def test_a_gap_between_legs_is_a_broken_route() -> None:
    legs = (
        leg("GRU", "LIS", "2025-02-27 22:00", "2025-02-28 07:30"),
        leg("OPO", "LFW", "2025-03-01 10:00", "2025-03-01 14:00"),
    )
    facts = route_facts(legs)
    assert facts.has_gap is True
    assert facts.gap_detail == "arrives LIS, next leg leaves OPO"


def test_a_turnaround_within_a_day_doubles_back() -> None:
    legs = (
        leg("LIS", "ACC", "2025-03-01 01:00", "2025-03-01 06:00"),
        leg("ACC", "LIS", "2025-03-01 09:00", "2025-03-01 15:00"),
    )
    facts = route_facts(legs)
    assert facts.doubles_back is True
    assert facts.doubles_back_detail == "turns back at ACC after 3 h: LIS→ACC→LIS"


def test_a_stay_of_days_then_home_does_not_double_back() -> None:
    assert route_facts(RETURN_TRIP).doubles_back is False


def test_returning_to_a_place_already_stayed_at_doubles_back() -> None:
    legs = (
        leg("GRU", "LIS", "2025-02-20 22:00", "2025-02-21 07:30"),
        leg("LIS", "LFW", "2025-02-25 10:00", "2025-02-25 14:00"),
        leg("LFW", "LIS", "2025-02-28 15:00", "2025-02-28 21:00"),
    )
    facts = route_facts(legs)
    assert facts.doubles_back is True
    assert "returns to LIS: GRU→LIS→LFW→LIS" in facts.doubles_back_detail


def test_retracing_the_outbound_route_home_does_not_double_back() -> None:
    timed = (
        leg("GRU", "LIS", "2025-02-20 22:00", "2025-02-21 07:30"),
        leg("LIS", "LFW", "2025-02-21 10:00", "2025-02-21 14:00"),
        leg("LFW", "LIS", "2025-02-28 15:00", "2025-02-28 21:00"),
        leg("LIS", "GRU", "2025-02-28 23:00", "2025-03-01 06:00"),
    )
    untimed = tuple(leg(x.from_airport or "", x.to_airport or "") for x in timed)
    assert route_facts(timed).doubles_back is False
    assert route_facts(untimed).doubles_back is False


def test_an_itinerary_that_misses_this_flight_disagrees_and_is_a_broken_route() -> None:
    booked = ReservationInput(
        key="R", itinerary=(leg("GRU", "MAD"), leg("MAD", "LFW")), traveller_names=("X/Y",)
    )
    row = only(TravellerInput(key="x", embarkation="LIS", reservation=booked)).loc["x"]
    assert bool(row["itinerary_disagrees_with_flight"]) is True
    assert bool(row["broken_route"]) is True
    assert row["broken_route_detail"] == (
        "this flight LIS→LFW is not on it; boarded at LIS, where no booked leg starts"
    )


def test_booking_lead_time_in_hours_treats_a_zoneless_booking_time_as_utc() -> None:
    naive = ReservationInput(key="R", booked_at=datetime(2025, 2, 28, 22, 30))
    row = only(TravellerInput(key="x", reservation=naive)).loc["x"]
    assert row["booking_lead_hours"] == 11.5


def test_age_counts_whole_years_at_the_departure_date() -> None:
    frame = only(
        TravellerInput(key="on", birth_date=date(1990, 3, 1)),
        TravellerInput(key="after", birth_date=date(1990, 3, 2)),
        TravellerInput(key="leap", birth_date=date(2008, 2, 29)),
    )
    assert frame["age"].tolist() == [35.0, 34.0, 17.0]


def test_nationality_and_issuing_state_compare_after_reading_d_as_deu() -> None:
    german = TravellerInput(
        key="x", nationality="D", residence="DEU", documents=(DocumentInput("P", "DEU"),)
    )
    row = only(german).loc["x"]
    assert not row["nationality_differs_from_issuing_state"]
    assert not row["residence_differs_from_nationality"]


def test_api_document_is_preferred_to_a_pnr_declared_one() -> None:
    documents = (DocumentInput("I", "SEN", source="pnr"), DocumentInput("P", "GIN"))
    row = only(TravellerInput(key="x", documents=documents)).loc["x"]
    assert (row["document_type"], row["document_issuing_state"]) == ("P", "GIN")


@pytest.mark.parametrize(
    ("payers", "names", "expected"),
    [
        (("ACME LTD",), ("SMITH/JOHN MR",), True),
        (("John Smith",), ("SMITH/JOHN MR",), False),
        (("J SMITH",), ("SMITH/JOHN MR",), False),
        (("Mrs Mary Smith",), ("SMITH/JOHN MR",), True),
        (("José Álvarez",), ("ALVAREZ/JOSE",), False),
        ((), ("SMITH/JOHN MR",), None),
    ],
)
def test_paid_by_non_traveller(
    payers: tuple[str, ...], names: tuple[str, ...], expected: bool | None
) -> None:
    booked = ReservationInput(key="R", payer_names=payers, traveller_names=names)
    value = only(TravellerInput(key="x", reservation=booked)).loc["x", "paid_by_non_traveller"]
    assert (None if value is pd.NA else bool(value)) is expected


def test_payer_is_compared_with_the_flights_travellers_when_the_pnr_lists_no_names() -> None:
    booked = ReservationInput(key="R", payer_names=("KOFI MENSAH",))
    frame = only(
        TravellerInput(key="x", surname="MENSAH", given_names="AMA", reservation=booked),
        TravellerInput(key="y", surname="MENSAH", given_names="KOFI", reservation=booked),
    )
    assert frame["paid_by_non_traveller"].tolist() == [False, False]
    assert frame["reservation_travellers"].tolist() == [2.0, 2.0]


def test_payment_codes_are_read_as_cash_card_or_other() -> None:
    booked = ReservationInput(key="R", payment_types=("CK", "CA", "GR"))
    row = only(TravellerInput(key="x", reservation=booked)).loc["x"]
    assert row["payment_types"] == ("cash", "other")


def test_leg_times_that_cannot_be_read_are_unknown() -> None:
    parsed = LegInput.from_json({"from": "LIS", "to": "LFW", "departure": "01MAR 10:00"})
    assert parsed.departure is None
    assert parsed.from_airport == "LIS"


def test_travellers_keys_must_be_unique() -> None:
    with pytest.raises(ValueError, match="unique"):
        flight_frame(FLIGHT, [TravellerInput(key="x"), TravellerInput(key="x")])


# --- validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tree", "error"),
    [
        (
            {
                "all": [
                    leaf("age", "lt", 30),
                    leaf("age", "gt", 1),
                    leaf("route_airports", "in", ["GRU", "XX"]),
                ]
            },
            "all[2].value[1]: 'XX' is not an airport code",
        ),
        (leaf("journey_origin", "eq", "XX"), "value: 'XX' is not an airport code"),
        (
            {"any": [{"not": leaf("age", "lt", "young")}]},
            "any[0].not.value: 'young' is not a number",
        ),
        ({"all": [{"any": []}]}, "all[0].any: expected a non-empty list of conditions"),
        ({"all": "age"}, "all: expected a non-empty list of conditions"),
        (["age"], "condition: expected a group or a condition, got a list"),
        (
            {"all": [leaf("age", "lt", 1)], "any": []},
            "condition: a group has one key, 'all', not also ['any']",
        ),
        (leaf("height", "gt", 2), "field: unknown field 'height'"),
        (
            leaf("sex", "lt", "M"),
            "op: 'lt' is not an operator of sex (one of eq, ne, in, not_in, is_empty, "
            "is_not_empty)",
        ),
        (leaf("sex", "eq", "W"), "value: 'W' is not one of F, M, U, X"),
        (
            leaf("payment_types", "contains", "CASH"),
            "value: 'CASH' is not one of card, cash, other",
        ),
        (leaf("age", "between", [40, 20]), "value: low 40 is above high 20"),
        (leaf("age", "between", [20]), "value: expected [low, high]"),
        (leaf("age", "eq", True), "value: True is not a number"),
        (leaf("age", "in", []), "value: expected a non-empty list"),
        ({**leaf("is_one_way", "is_true"), "value": True}, "value: 'is_true' takes no value"),
        (leaf("nationality", "eq", "NIGERIA"), "value: 'NIGERIA' is not a country code (alpha-3)"),
        (leaf("agency_name", "contains", " "), "value: expected a text"),
        ({**leaf("age", "lt", 30), "weight": 3}, "condition: unknown keys ['weight']"),
        (
            {**leaf("route_airports", "in", ["GRU"]), "value_label": 7},
            "value_label: expected a text of at most 120 characters",
        ),
    ],
)
def test_validation_errors_name_the_path(tree: object, error: str) -> None:
    assert error in validate_condition(tree)


def test_validation_reports_every_fault_at_once() -> None:
    tree = {"all": [leaf("age", "lt", "x"), leaf("seat", "eq", ""), leaf("kind", "eq", "pilot")]}
    assert [e.split(":")[0] for e in validate_condition(tree)] == [
        "all[0].value",
        "all[1].value",
        "all[2].value",
    ]


def test_airports_can_be_checked_against_the_known_ones() -> None:
    tree = leaf("route_airports", "in", ["GRU", "ZZZ"])
    assert validate_condition(tree) == []
    assert validate_condition(tree, known_airports=AIRPORTS) == [
        "value[1]: 'ZZZ' is not a known airport"
    ]


def test_deep_nesting_is_refused() -> None:
    tree: dict[str, Any] = leaf("age", "lt", 30)
    for _ in range(20):
        tree = {"not": tree}
    assert any("nest more than" in error for error in validate_condition(tree))


def test_an_invalid_rule_raises_rather_than_flagging_nobody(frame: pd.DataFrame) -> None:
    with pytest.raises(RuleError) as raised:
        evaluate(leaf("age", "lt", "x"), frame)
    assert raised.value.errors == ["value: 'x' is not a number"]


# --- explanations and scores ---------------------------------------------------------------

COURIER = {
    "all": [
        leaf("booking_lead_hours", "lt", 24),
        leaf("payment_types", "contains", "cash"),
        leaf("is_one_way", "is_true"),
        {
            **leaf("journey_origin", "in", ["GRU", "BOG", "LIM"]),
            "value_label": "source-country airport list",
        },
    ]
}


def test_explanation_says_each_condition_in_plain_words(frame: pd.DataFrame) -> None:
    assert explain(COURIER, frame.loc["a"]) == (
        "booked 5 hours before departure (under 24); paid cash; one-way ticket (GRU to LFW, no "
        "return); route from GRU (source-country airport list)"
    )


def test_explanation_of_any_names_only_what_matched(frame: pd.DataFrame) -> None:
    tree = {"any": [leaf("age", "gt", 60), leaf("route_airports", "in", ["GRU", "BOG"])]}
    assert explain(tree, frame.loc["a"]) == "route through GRU"


def test_explanation_of_not_says_what_the_traveller_is_instead(frame: pd.DataFrame) -> None:
    tree = {
        "all": [
            {"not": leaf("payment_types", "in", ["card"])},
            {"not": {"any": [leaf("age", "ge", 60), leaf("nationality", "eq", "PRT")]}},
            {"not": leaf("is_one_way", "is_false")},
        ]
    }
    assert explain(tree, frame.loc["a"]) == (
        "paid cash (none of card); aged 24 (not at least 60); national of NGA (not PRT); "
        "one-way ticket (GRU to LFW, no return)"
    )


def test_explanation_quotes_the_details_of_derived_columns(frame: pd.DataFrame) -> None:
    tree = {
        "all": [
            leaf("paid_by_non_traveller", "is_true"),
            leaf("nationality_differs_from_issuing_state", "is_true"),
            leaf("document_expires_in_days", "between", [0, 30]),
            leaf("agency_name", "contains", "shine"),
            leaf("seat", "startswith", "32"),
            leaf("residence", "ne", "NGA"),
        ]
    }
    assert explain(tree, frame.loc["a"]) == (
        "paid by someone not travelling (ACME LTD); nationality NGA differs from issuing state "
        "GHA; document expires 20 days after departure (between 0 and 30); booked through "
        "SUNSHINE TRAVEL (contains 'shine'); seat 32A (starts with '32'); resident of BRA "
        "(not NGA)"
    )


def test_explanation_of_a_companion_and_of_missing_data(frame: pd.DataFrame) -> None:
    assert explain(leaf("travels_with_flagged", "is_true"), frame.loc["b"]) == (
        "on the same reservation as a flagged person (SILVA/JOAO)"
    )
    assert explain(leaf("age", "is_empty"), frame.loc["c"]) == ("age at departure not known")


def test_explanation_of_a_row_the_rule_does_not_match_is_empty(frame: pd.DataFrame) -> None:
    assert explain(COURIER, frame.loc["b"]) == ""


def test_score_rule_hits_gives_one_hit_per_matched_traveller_and_rule(
    frame: pd.DataFrame,
) -> None:
    rules = [
        Rule(id=7, version=3, condition=COURIER, weight=60, category="drugs"),
        Rule(id=8, version=1, condition=leaf("age", "ge", 65), weight=5, category="other"),
    ]
    hits = score_rule_hits(rules, frame)
    assert [(h.traveller_key, h.rule_id, h.rule_version, h.weight, h.category) for h in hits] == [
        ("a", 7, 3, 60, "drugs"),
        ("b", 8, 1, 5, "other"),
        ("b2", 8, 1, 5, "other"),
    ]
    assert hits[2].explanation == "aged 66 (at least 65)"


def test_a_rule_weight_must_be_within_0_and_100() -> None:
    with pytest.raises(ValueError, match="weight"):
        Rule(id=1, version=1, condition=COURIER, weight=101, category="drugs")


# --- the catalogue -------------------------------------------------------------------------


def test_the_catalogue_is_json_for_the_rule_builder() -> None:
    catalogue = json.loads(json.dumps(field_catalogue()))
    topics = {topic["name"] for topic in catalogue["topics"]}
    assert len(catalogue["fields"]) == len(FIELDS)
    for entry in catalogue["fields"]:
        assert entry["label"] and entry["help"] and entry["ops"]
        assert entry["topic"] in topics
        assert all(
            op["label"] and op["value"] in {"none", "one", "list", "range"} for op in entry["ops"]
        )
    payment = next(f for f in catalogue["fields"] if f["name"] == "payment_types")
    assert [c["code"] for c in payment["choices"]] == ["cash", "card", "other"]


def test_every_field_is_a_column_of_the_frame(frame: pd.DataFrame) -> None:
    assert set(FIELDS) <= set(frame.columns)
