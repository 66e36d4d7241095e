"""Risk rules for the unknowns, evaluated for a whole flight at once (pure Python and pandas).

The screening service turns a flight's travellers into `inputs` records, builds one frame with
`flight_frame`, and scores every active rule over it with `score_rule_hits`. The rule builder
renders `field_catalogue()` and checks trees with `validate_condition`. Nothing here imports
Django.
"""

from .catalogue import FIELDS, OP_LABELS, OP_VALUE_SHAPE, FieldSpec, FieldType, Op, field_catalogue
from .conditions import RuleError, validate_condition
from .evaluate import Rule, RuleHit, evaluate, explain, score_rule_hits
from .frame import flight_frame, main_document
from .inputs import DocumentInput, FlightInput, LegInput, ReservationInput, TravellerInput
from .itinerary import RouteFacts, route_facts

__all__ = [
    "FIELDS",
    "OP_LABELS",
    "OP_VALUE_SHAPE",
    "DocumentInput",
    "FieldSpec",
    "FieldType",
    "FlightInput",
    "LegInput",
    "Op",
    "ReservationInput",
    "RouteFacts",
    "Rule",
    "RuleError",
    "RuleHit",
    "TravellerInput",
    "evaluate",
    "explain",
    "field_catalogue",
    "flight_frame",
    "main_document",
    "route_facts",
    "score_rule_hits",
    "validate_condition",
]
