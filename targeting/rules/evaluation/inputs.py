"""Plain records the screening service fills from the models before a flight is evaluated.

They carry only what rules read, so that the evaluator never touches the database and tests can
build a flight in a few lines. Codes are kept as the messages sent them; `flight_frame`
normalises them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class FlightInput:
    """The flight being screened.

    `scheduled_departure` is timezone-aware (UTC is stored); `departure_date` is the local date
    at the departure airport (`Flight.departure_date`), used for ages and document expiry.
    """

    carrier: str
    number: str
    from_airport: str
    to_airport: str
    scheduled_departure: datetime | None = None
    departure_date: date | None = None


@dataclass(frozen=True, slots=True)
class DocumentInput:
    """A travel document (PAXLST DOC/DTM/LOC, or PNR SSR DOCS). `source` is "api" or "pnr"."""

    type: str | None = None
    issuing_state: str | None = None
    expiry: date | None = None
    source: str = "api"


@dataclass(frozen=True, slots=True)
class LegInput:
    """One leg of a reservation's itinerary; times are local to the leg's airports."""

    from_airport: str | None = None
    to_airport: str | None = None
    departure: datetime | None = None
    arrival: datetime | None = None
    carrier: str | None = None
    number: str | None = None
    status: str | None = None

    @classmethod
    def from_json(cls, leg: Mapping[str, object]) -> LegInput:
        """Read a leg as `Reservation.itinerary` stores it (local times "YYYY-MM-DD HH:MM")."""
        return cls(
            from_airport=_text(leg.get("from")),
            to_airport=_text(leg.get("to")),
            departure=_local_time(leg.get("departure")),
            arrival=_local_time(leg.get("arrival")),
            carrier=_text(leg.get("carrier")),
            number=_text(leg.get("number")),
            status=_text(leg.get("status")),
        )


@dataclass(frozen=True, slots=True)
class ReservationInput:
    """What the PNR says about the booking, shared by every traveller on it.

    `payment_types` are PNRGOV FOP type codes (CA, CC, CK, GR, MS) or already "cash", "card",
    "other". `payer_names` are card holders or payers as named (IFT+4:43), empty when unknown.
    `traveller_names` are all the names on the reservation, e.g. "SMITH/JOHN MR" or
    "JOHN SMITH", including travellers who are not on this flight.
    """

    key: str
    booked_at: datetime | None = None
    payment_types: tuple[str, ...] = ()
    payer_names: tuple[str, ...] = ()
    agency_code: str | None = None
    agency_name: str | None = None
    agency_country: str | None = None
    itinerary: tuple[LegInput, ...] = ()
    traveller_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TravellerInput:
    """One traveller of the flight; `key` identifies them in the results (e.g. the pk)."""

    key: str
    kind: str = "passenger"
    surname: str | None = None
    given_names: str | None = None
    sex: str | None = None
    birth_date: date | None = None
    nationality: str | None = None
    residence: str | None = None
    embarkation: str | None = None
    disembarkation: str | None = None
    is_transit: bool | None = None
    seat: str | None = None
    bags_count: int | None = None
    bags_weight: float | None = None
    # "K"/"KG" or "L"/"LB" (PAXLST MEA and PNRGOV TBD units); kilograms when not given.
    bags_unit: str | None = None
    documents: tuple[DocumentInput, ...] = field(default_factory=tuple)
    reservation: ReservationInput | None = None


def _text(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _local_time(value: object) -> datetime | None:
    text = _text(value)
    if text is None:
        return None
    try:
        # Naive on purpose: the leg's local time, compared only with times at the same airport.
        return datetime.strptime(text, "%Y-%m-%d %H:%M")
    except ValueError:
        # A leg time that cannot be read leaves the leg's timing unknown rather than
        # failing the whole flight's screening.
        return None
