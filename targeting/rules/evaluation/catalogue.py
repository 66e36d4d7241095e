"""The fields a risk rule can test, their types and the operators each type allows.

This catalogue is the contract between three parties: the browser rule builder renders it (a
field picker grouped by topic, an operator picker per field, a value input per value kind), the
validator checks a condition tree against it, and the evaluator reads one frame column per field.
Adding a field means one entry here and one column in `frame.flight_frame`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class FieldType(StrEnum):
    """What a field's column holds, which decides its operators and how values are checked."""

    NUMBER = "number"
    TEXT = "text"
    AIRPORT = "airport"  # one IATA location identifier, [A-Z]{3}
    COUNTRY = "country"  # one ICAO 9303 / ISO 3166 alpha-3 code
    CHOICE = "choice"  # one code out of a fixed list
    BOOLEAN = "boolean"
    AIRPORT_SET = "airport_set"  # several airports (a route)
    COUNTRY_SET = "country_set"
    CHOICE_SET = "choice_set"  # several codes out of a fixed list (forms of payment)


class Op(StrEnum):
    """Operators of leaf conditions; which ones a field takes depends on its type."""

    EQ = "eq"
    NE = "ne"
    IN = "in"
    NOT_IN = "not_in"
    LT = "lt"
    LE = "le"
    GT = "gt"
    GE = "ge"
    BETWEEN = "between"
    CONTAINS = "contains"
    STARTSWITH = "startswith"
    IS_EMPTY = "is_empty"
    IS_NOT_EMPTY = "is_not_empty"
    IS_TRUE = "is_true"
    IS_FALSE = "is_false"


# The shape of the value an operator takes, so the builder knows which input to draw:
# "none" (no value), "one" (a single value of the field's kind), "list" (one or more values),
# "range" ([low, high], both included).
OP_VALUE_SHAPE: dict[Op, str] = {
    Op.EQ: "one",
    Op.NE: "one",
    Op.IN: "list",
    Op.NOT_IN: "list",
    Op.LT: "one",
    Op.LE: "one",
    Op.GT: "one",
    Op.GE: "one",
    Op.BETWEEN: "range",
    Op.CONTAINS: "one",
    Op.STARTSWITH: "one",
    Op.IS_EMPTY: "none",
    Op.IS_NOT_EMPTY: "none",
    Op.IS_TRUE: "none",
    Op.IS_FALSE: "none",
}

OP_LABELS: dict[Op, str] = {
    Op.EQ: "is",
    Op.NE: "is not",
    Op.IN: "is one of",
    Op.NOT_IN: "is none of",
    Op.LT: "is under",
    Op.LE: "is at most",
    Op.GT: "is over",
    Op.GE: "is at least",
    Op.BETWEEN: "is between",
    Op.CONTAINS: "contains",
    Op.STARTSWITH: "starts with",
    Op.IS_EMPTY: "is not known",
    Op.IS_NOT_EMPTY: "is known",
    Op.IS_TRUE: "is yes",
    Op.IS_FALSE: "is no",
}

_PRESENCE = (Op.IS_EMPTY, Op.IS_NOT_EMPTY)
_CODE_OPS = (Op.EQ, Op.NE, Op.IN, Op.NOT_IN, *_PRESENCE)

# For a set field, IN means "has at least one of", NOT_IN "has none of" and CONTAINS "has this
# one": what an analyst means by "route through any of these airports".
OPS_BY_TYPE: dict[FieldType, tuple[Op, ...]] = {
    FieldType.NUMBER: (
        Op.EQ,
        Op.NE,
        Op.LT,
        Op.LE,
        Op.GT,
        Op.GE,
        Op.BETWEEN,
        Op.IN,
        Op.NOT_IN,
        *_PRESENCE,
    ),
    FieldType.TEXT: (*_CODE_OPS, Op.CONTAINS, Op.STARTSWITH),
    FieldType.AIRPORT: _CODE_OPS,
    FieldType.COUNTRY: _CODE_OPS,
    FieldType.CHOICE: _CODE_OPS,
    FieldType.BOOLEAN: (Op.IS_TRUE, Op.IS_FALSE, *_PRESENCE),
    FieldType.AIRPORT_SET: (Op.IN, Op.NOT_IN, Op.CONTAINS, *_PRESENCE),
    FieldType.COUNTRY_SET: (Op.IN, Op.NOT_IN, Op.CONTAINS, *_PRESENCE),
    FieldType.CHOICE_SET: (Op.IN, Op.NOT_IN, Op.CONTAINS, *_PRESENCE),
}

SET_TYPES = frozenset({FieldType.AIRPORT_SET, FieldType.COUNTRY_SET, FieldType.CHOICE_SET})


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of the catalogue.

    `says` is the phrase an explanation uses, with `{value}` standing for the traveller's value
    ("booked {value} hours before departure"); booleans use `says` when true and `says_not`
    when false. `needs` names the data the field comes from (traveller, document, flight,
    reservation) so that the builder can warn that API-only travellers never match it.
    """

    name: str
    label: str
    type: FieldType
    topic: str
    help: str
    says: str
    says_not: str = ""
    unit: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    needs: str = "traveller"

    @property
    def ops(self) -> tuple[Op, ...]:
        """The operators this field allows, in the order the builder lists them."""
        return OPS_BY_TYPE[self.type]

    @property
    def choice_codes(self) -> frozenset[str]:
        """The codes a choice field accepts as values."""
        return frozenset(code for code, _label in self.choices)

    def as_json(self) -> dict[str, Any]:
        """The field as the browser rule builder reads it."""
        return {
            "name": self.name,
            "label": self.label,
            "type": self.type.value,
            "topic": self.topic,
            "help": self.help,
            "unit": self.unit,
            "needs": self.needs,
            "ops": [
                {"op": op.value, "label": OP_LABELS[op], "value": OP_VALUE_SHAPE[op]}
                for op in self.ops
            ],
            "choices": [{"code": code, "label": label} for code, label in self.choices],
        }


KINDS = (("passenger", "passenger"), ("crew", "crew"))
# PAXLST ATT / SSR DOCS gender codes (codes.md); MI/FI (infants) are stored as M/F.
SEXES = (("M", "male"), ("F", "female"), ("U", "unknown / undisclosed"), ("X", "unspecified"))
# Forms of payment reduced to what an officer asks: PNRGOV FOP CA is cash, CC a card, and
# cheque (CK), government receipt (GR) and miscellaneous (MS) are "other".
PAYMENT_KINDS = (("cash", "cash"), ("card", "card"), ("other", "other (cheque, invoice, misc.)"))

_FIELD_LIST: tuple[FieldSpec, ...] = (
    # --- the traveller (API and PNR merged) -------------------------------------------------
    FieldSpec(
        "kind",
        "Passenger or crew",
        FieldType.CHOICE,
        "traveller",
        "Whether the traveller is listed as a passenger or as crew (PAXLST BGM).",
        "{value}",
        choices=KINDS,
    ),
    FieldSpec(
        "sex",
        "Sex",
        FieldType.CHOICE,
        "traveller",
        "As sent by the airline.",
        "sex {value}",
        choices=SEXES,
    ),
    FieldSpec(
        "age",
        "Age at departure",
        FieldType.NUMBER,
        "traveller",
        "Whole years between the birth date and the flight's scheduled departure date.",
        "aged {value}",
        unit="years",
    ),
    FieldSpec(
        "nationality",
        "Nationality",
        FieldType.COUNTRY,
        "traveller",
        "Alpha-3 code as printed in the document (D is read as DEU).",
        "national of {value}",
    ),
    FieldSpec(
        "residence",
        "Country of residence",
        FieldType.COUNTRY,
        "traveller",
        "Alpha-3 code (PAXLST LOC+174).",
        "resident of {value}",
    ),
    FieldSpec(
        "nationality_differs_from_issuing_state",
        "Nationality differs from the document's issuing state",
        FieldType.BOOLEAN,
        "traveller",
        "Both known and different, e.g. a national of NGA travelling on a passport issued by GHA.",
        "nationality {nationality} differs from issuing state {document_issuing_state}",
        "nationality matches the issuing state",
        needs="document",
    ),
    FieldSpec(
        "residence_differs_from_nationality",
        "Residence differs from nationality",
        FieldType.BOOLEAN,
        "traveller",
        "Both known and different.",
        "resident of {residence}, national of {nationality}",
        "resident of the country of nationality",
    ),
    FieldSpec(
        "residence_differs_from_issuing_state",
        "Residence differs from the document's issuing state",
        FieldType.BOOLEAN,
        "traveller",
        "Both known and different.",
        "resident of {residence}, document issued by {document_issuing_state}",
        "resident of the document's issuing state",
        needs="document",
    ),
    FieldSpec(
        "seat",
        "Seat",
        FieldType.TEXT,
        "traveller",
        "Seat number on this flight, e.g. 32A.",
        "seat {value}",
    ),
    FieldSpec(
        "bags_count",
        "Checked bags",
        FieldType.NUMBER,
        "traveller",
        "Number of checked bags on this flight.",
        "{value} checked bags",
        unit="bags",
    ),
    FieldSpec(
        "bags_weight",
        "Checked bags weight",
        FieldType.NUMBER,
        "traveller",
        "Total weight of the checked bags in kilograms (pounds are converted).",
        "bags weigh {value} kg",
        unit="kg",
    ),
    FieldSpec(
        "embarkation",
        "Embarkation airport",
        FieldType.AIRPORT,
        "traveller",
        "Where the traveller boards, as API data says (PAXLST LOC+178).",
        "boarded at {value}",
    ),
    FieldSpec(
        "disembarkation",
        "Disembarkation airport",
        FieldType.AIRPORT,
        "traveller",
        "Where the traveller leaves the flight, as API data says (PAXLST LOC+179).",
        "leaves the flight at {value}",
    ),
    FieldSpec(
        "is_transit",
        "In transit",
        FieldType.BOOLEAN,
        "traveller",
        "Flagged as transit by the airline.",
        "in transit",
        "not in transit",
    ),
    FieldSpec(
        "is_flagged",
        "Already flagged",
        FieldType.BOOLEAN,
        "traveller",
        "The traveller has another hit on this flight (watchlist or an earlier rule).",
        "already flagged",
        "not flagged otherwise",
    ),
    FieldSpec(
        "travels_with_flagged",
        "On the same reservation as a flagged person",
        FieldType.BOOLEAN,
        "traveller",
        "Another traveller of the same reservation on this flight is flagged.",
        "on the same reservation as a flagged person ({travels_with_flagged_detail})",
        "no flagged person on the reservation",
        needs="reservation",
    ),
    # --- the travel document ------------------------------------------------------------------
    FieldSpec(
        "document_type",
        "Document type",
        FieldType.TEXT,
        "document",
        "Type of the main travel document: P passport, I identity card, IP passport card, AC "
        "crew certificate… (a visa is never the main document).",
        "travels on document type {value}",
        needs="document",
    ),
    FieldSpec(
        "document_issuing_state",
        "Document issuing state",
        FieldType.COUNTRY,
        "document",
        "Alpha-3 code of the state that issued the main travel document.",
        "document issued by {value}",
        needs="document",
    ),
    FieldSpec(
        "document_expires_in_days",
        "Days until the document expires",
        FieldType.NUMBER,
        "document",
        "Days from the flight's departure date to the main document's expiry; negative when "
        "already expired.",
        "document expires {value} days after departure",
        unit="days",
        needs="document",
    ),
    # --- the flight -----------------------------------------------------------------------------
    FieldSpec(
        "flight_carrier",
        "Carrier",
        FieldType.TEXT,
        "flight",
        "IATA airline designator of the flight.",
        "flying {value}",
        needs="flight",
    ),
    FieldSpec(
        "flight_origin",
        "Flight departs from",
        FieldType.AIRPORT,
        "flight",
        "The flight's departure airport.",
        "flight from {value}",
        needs="flight",
    ),
    FieldSpec(
        "flight_destination",
        "Flight arrives at",
        FieldType.AIRPORT,
        "flight",
        "The flight's arrival airport.",
        "flight to {value}",
        needs="flight",
    ),
    FieldSpec(
        "flight_origin_country",
        "Flight departs from country",
        FieldType.COUNTRY,
        "flight",
        "Country of the flight's departure airport.",
        "flight from {value}",
        needs="flight",
    ),
    FieldSpec(
        "flight_destination_country",
        "Flight arrives in country",
        FieldType.COUNTRY,
        "flight",
        "Country of the flight's arrival airport.",
        "flight to {value}",
        needs="flight",
    ),
    # --- the route ------------------------------------------------------------------------------
    FieldSpec(
        "journey_origin",
        "Journey starts at",
        FieldType.AIRPORT,
        "route",
        "First airport of the reservation's itinerary; without one, the API embarkation "
        "airport, else the flight's departure airport.",
        "route from {value}",
    ),
    FieldSpec(
        "journey_origin_country",
        "Journey starts in country",
        FieldType.COUNTRY,
        "route",
        "Country of the airport where the journey starts.",
        "journey from {value}",
    ),
    FieldSpec(
        "route_airports",
        "Route airports",
        FieldType.AIRPORT_SET,
        "route",
        "Every airport of the itinerary, with this flight's airports and the API embarkation "
        "and disembarkation: 'is one of' reads 'route through any of'.",
        "route through {value}",
    ),
    FieldSpec(
        "route_countries",
        "Route countries",
        FieldType.COUNTRY_SET,
        "route",
        "Countries of the route airports.",
        "route through {value}",
    ),
    FieldSpec(
        "leg_count",
        "Number of legs",
        FieldType.NUMBER,
        "route",
        "Flights on the reservation's itinerary (cancelled legs left out).",
        "{value} legs on the itinerary",
        unit="legs",
        needs="reservation",
    ),
    FieldSpec(
        "is_one_way",
        "One-way",
        FieldType.BOOLEAN,
        "route",
        "The itinerary does not end at the airport it started from.",
        "one-way ticket ({is_one_way_detail})",
        "return ticket",
        needs="reservation",
    ),
    FieldSpec(
        "itinerary_has_gap",
        "Itinerary breaks off",
        FieldType.BOOLEAN,
        "route",
        "A leg departs from an airport other than where the previous leg arrived (a surface "
        "sector, an open jaw, or travel booked elsewhere).",
        "itinerary breaks off ({itinerary_has_gap_detail})",
        "itinerary without gaps",
        needs="reservation",
    ),
    FieldSpec(
        "itinerary_doubles_back",
        "Itinerary doubles back",
        FieldType.BOOLEAN,
        "route",
        "The itinerary turns straight back within 24 hours of landing somewhere, or returns to "
        "a place it already stayed at before its end (a plain return to the origin is not "
        "doubling back).",
        "itinerary doubles back ({itinerary_doubles_back_detail})",
        "itinerary does not double back",
        needs="reservation",
    ),
    FieldSpec(
        "itinerary_disagrees_with_flight",
        "Itinerary disagrees with the flight",
        FieldType.BOOLEAN,
        "route",
        "This flight, or the API embarkation / disembarkation airports, are not on the "
        "reservation's itinerary: the origin or destination changed after booking.",
        "itinerary disagrees with the flight ({itinerary_disagrees_with_flight_detail})",
        "itinerary agrees with the flight",
        needs="reservation",
    ),
    FieldSpec(
        "broken_route",
        "Broken route",
        FieldType.BOOLEAN,
        "route",
        "Any of: the itinerary breaks off, doubles back, or disagrees with the flight.",
        "broken route ({broken_route_detail})",
        "unbroken route",
        needs="reservation",
    ),
    # --- the reservation ------------------------------------------------------------------------
    FieldSpec(
        "has_reservation",
        "Has a reservation (PNR)",
        FieldType.BOOLEAN,
        "reservation",
        "PNR data was received for the traveller. Never unknown.",
        "has a reservation",
        "no reservation received",
    ),
    FieldSpec(
        "booking_lead_hours",
        "Hours booked before departure",
        FieldType.NUMBER,
        "reservation",
        "Hours between the booking and the flight's scheduled departure (both UTC).",
        "booked {value} hours before departure",
        unit="hours",
        needs="reservation",
    ),
    FieldSpec(
        "payment_types",
        "Form of payment",
        FieldType.CHOICE_SET,
        "reservation",
        "How the reservation was paid: cash, card or other (PNRGOV FOP).",
        "paid {value}",
        choices=PAYMENT_KINDS,
        needs="reservation",
    ),
    FieldSpec(
        "paid_by_non_traveller",
        "Paid by someone not travelling",
        FieldType.BOOLEAN,
        "reservation",
        "A payer is named and is none of the travellers of the reservation. Unknown when no "
        "payer is named.",
        "paid by someone not travelling ({paid_by_non_traveller_detail})",
        "paid by a traveller",
        needs="reservation",
    ),
    FieldSpec(
        "agency_code",
        "Travel agency number",
        FieldType.TEXT,
        "reservation",
        "IATA number of the booking agency (8 digits).",
        "booked through agency {value}",
        needs="reservation",
    ),
    FieldSpec(
        "agency_name",
        "Travel agency name",
        FieldType.TEXT,
        "reservation",
        "Name of the booking agency as the PNR gives it.",
        "booked through {value}",
        needs="reservation",
    ),
    FieldSpec(
        "agency_country",
        "Travel agency country",
        FieldType.COUNTRY,
        "reservation",
        "Country of the booking agency.",
        "booked through an agency in {value}",
        needs="reservation",
    ),
    FieldSpec(
        "reservation_travellers",
        "Travellers on the reservation",
        FieldType.NUMBER,
        "reservation",
        "Number of names on the reservation (1 = travelling alone).",
        "{value} travellers on the reservation",
        unit="travellers",
        needs="reservation",
    ),
)

FIELDS: dict[str, FieldSpec] = {spec.name: spec for spec in _FIELD_LIST}

TOPICS: tuple[tuple[str, str], ...] = (
    ("traveller", "Traveller"),
    ("document", "Travel document"),
    ("flight", "Flight"),
    ("route", "Route"),
    ("reservation", "Reservation"),
)


def field_catalogue() -> dict[str, Any]:
    """The whole catalogue as JSON for the browser rule builder: topics, then fields in order."""
    return {
        "topics": [{"name": name, "label": label} for name, label in TOPICS],
        "fields": [spec.as_json() for spec in _FIELD_LIST],
    }
