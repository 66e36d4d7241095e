"""The normalised content of API (PAXLST) and PNR (PNRGOV) messages, as plain dataclasses.

These classes are the contract between the pure parsers and everything else (the Django services
that store them, `manage.py parse`, the benchmarks). `to_json` renders a `ParsedMessage` exactly in
the schema of issue 3 ("The JSON that manage.py parse prints"); fields that the schema does not
name (crew function, contacts, bag tags, ticket numbers, ...) live on the classes for the storing
side but are not printed, so the schema stays stable for the tools that read it.

No Django import here: this module is part of the pure core.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

Severity = Literal["error", "warning", "info"]
MessageType = Literal["PAXLST", "PNRGOV"]
ListType = Literal["passenger", "crew"]
Action = Literal["original", "change", "cancel"]


@dataclass(slots=True, frozen=True)
class Finding:
    """A data-quality remark about a message: something wrong that did not stop it being read.

    `segment` is the 1-based segment number in the interchange and `line` the 1-based line in the
    source file, or None when the remark concerns the file as a whole.
    """

    severity: Severity
    segment: int | None
    line: int | None
    text: str


@dataclass(slots=True)
class Point:
    """One end of a flight leg: IATA airport code and the scheduled local time."""

    airport: str | None = None
    time: datetime | None = None


@dataclass(slots=True)
class FlightLeg:
    """One flight leg (PAXLST TDT + LOC/DTM pairs, PNRGOV level-0 TVL)."""

    carrier: str | None = None
    number: str | None = None
    departure: Point = field(default_factory=Point)
    arrival: Point = field(default_factory=Point)
    # PAXLST TDT+34 is an over-flight (US); TDT+20 main carriage.
    transport_stage: str | None = None


@dataclass(slots=True)
class Document:
    """A travel document (PAXLST GR5 DOC, PNRGOV SSR DOCS/DOCO). Codes kept as written."""

    type: str | None = None
    number: str | None = None
    issuing_state: str | None = None
    expiry: date | None = None
    issued: date | None = None
    # PNRGOV DOCS/DOCO only: nationality, place of issue or birth as given in the SSR.
    nationality: str | None = None
    place_of_issue: str | None = None
    # PNRGOV SSR DOCS only: the holder as the document names them (may differ from TIF names).
    surname: str | None = None
    given_names: str | None = None
    birth_date: date | None = None
    sex: str | None = None


@dataclass(slots=True)
class Address:
    """A postal address (PAXLST NAD street/city/region/postcode/country, PNRGOV ADD, SSR DOCA)."""

    street: str | None = None
    city: str | None = None
    region: str | None = None
    postcode: str | None = None
    country: str | None = None
    # DOCA type: R residence, D destination; PNRGOV ADD purpose code (700 contact ...).
    purpose: str | None = None
    # Free text that could not be split into the parts above.
    text: str | None = None


@dataclass(slots=True)
class Bags:
    """Checked baggage: count, total weight and tag numbers (PAXLST MEA/FTX, PNRGOV TBD)."""

    count: int | None = None
    weight: float | None = None
    unit: str | None = None
    tags: list[str] = field(default_factory=list)
    # PNRGOV: traveller reference (TIF 9944) and the leg the bags were checked on.
    traveller_ref: str | None = None
    destination: str | None = None


@dataclass(slots=True)
class Traveller:
    """One traveller of a PAXLST list (GR4 NAD group with its GR5 documents)."""

    surname: str | None = None
    given_names: str | None = None
    sex: str | None = None
    birth_date: date | None = None
    nationality: str | None = None
    residence: str | None = None
    birth_place: str | None = None
    embarkation: str | None = None
    disembarkation: str | None = None
    seat: str | None = None
    booking_ref: str | None = None
    documents: list[Document] = field(default_factory=list)
    # Not in the printed schema: kept for the storing side.
    role: ListType = "passenger"
    is_in_transit: bool = False
    first_name: str | None = None
    middle_names: str | None = None
    clearance: str | None = None
    passenger_ref: str | None = None
    frequent_flyer: str | None = None
    agency_ref: str | None = None
    crew_function: str | None = None
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    address: Address | None = None
    bags: Bags | None = None
    is_verified: bool | None = None
    segment: int | None = None


@dataclass(slots=True)
class ReservationTraveller:
    """A traveller named in a PNR (PNRGOV GR2 TIF group)."""

    surname: str | None = None
    given_names: str | None = None
    birth_date: date | None = None
    sex: str | None = None
    documents: list[Document] = field(default_factory=list)
    # Not in the printed schema.
    reference: str | None = None
    passenger_type: str | None = None
    is_infant: bool = False
    nationality: str | None = None
    unique_ref: str | None = None
    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)


@dataclass(slots=True)
class ItineraryLeg:
    """One leg of a PNR itinerary (PNRGOV GR5 TVL, with TRA for the operating flight)."""

    carrier: str | None = None
    number: str | None = None
    from_airport: str | None = None
    to_airport: str | None = None
    departure: datetime | None = None
    arrival: datetime | None = None
    # Codeshare: TVL el4 is marketing:operating carrier; TRA (or a 2nd TVL) the operating flight.
    marketing_carrier: str | None = None
    operating_carrier: str | None = None
    operating_number: str | None = None
    booking_class: str | None = None
    status: str | None = None
    party_size: int | None = None
    equipment: str | None = None


@dataclass(slots=True)
class Payment:
    """A form of payment (PNRGOV GR4 FOP). A card number is never kept whole.

    `card_hash` is a keyed hash of the full card number so that two reservations paid with the
    same card can be linked without anyone reading the number; only `type` and `card_last4` are
    printed.
    """

    type: str | None = None
    card_last4: str | None = None
    card_hash: str | None = None
    card_vendor: str | None = None
    card_expiry: str | None = None
    amount: str | None = None
    payer: str | None = None


@dataclass(slots=True)
class Seat:
    """A seat for one traveller on one leg (PNRGOV SSR SEAT, SSD)."""

    number: str
    traveller_ref: str | None = None
    from_airport: str | None = None
    to_airport: str | None = None


@dataclass(slots=True)
class FrequentFlyer:
    """A frequent-flyer membership (PNRGOV FTI, SSR FQTV)."""

    carrier: str | None
    number: str
    tier: str | None = None
    traveller_ref: str | None = None


@dataclass(slots=True)
class Ticket:
    """A ticket (PNRGOV GR3 TKT, DAT+710)."""

    number: str | None
    type: str | None = None
    issued_at: datetime | None = None
    traveller_ref: str | None = None


@dataclass(slots=True)
class ServiceRequest:
    """A special service request or other-service-information line (PNRGOV SSR, IFT, LTS)."""

    code: str | None
    text: str | None = None
    status: str | None = None
    carrier: str | None = None
    traveller_ref: str | None = None


@dataclass(slots=True)
class Contacts:
    """Contact details of a reservation (PNRGOV ADD, SSR CTCE/CTCM, IFT CTC...)."""

    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)


@dataclass(slots=True)
class Reservation:
    """One PNR of a PNRGOV push (GR1 SRC group)."""

    record_locator: str | None = None
    booked_at: datetime | None = None
    ticketed_at: datetime | None = None
    agency: str | None = None
    travellers: list[ReservationTraveller] = field(default_factory=list)
    itinerary: list[ItineraryLeg] = field(default_factory=list)
    contacts: Contacts = field(default_factory=Contacts)
    payments: list[Payment] = field(default_factory=list)
    bags: list[Bags] = field(default_factory=list)
    seats: list[Seat] = field(default_factory=list)
    frequent_flyer: list[FrequentFlyer] = field(default_factory=list)
    # Not in the printed schema.
    carrier: str | None = None
    office: str | None = None
    last_modified_at: datetime | None = None
    tickets: list[Ticket] = field(default_factory=list)
    service_requests: list[ServiceRequest] = field(default_factory=list)
    free_text: list[str] = field(default_factory=list)
    is_cancelled: bool = False
    segment: int | None = None


@dataclass(slots=True)
class ParsedMessage:
    """One UNH..UNT message with its interchange envelope data and its findings."""

    type: MessageType
    version: str | None = None
    sender: str | None = None
    recipient: str | None = None
    interchange_ref: str | None = None
    message_ref: str | None = None
    sent_at: datetime | None = None
    findings: list[Finding] = field(default_factory=list)
    # PAXLST
    list_type: ListType | None = None
    action: Action | None = None
    travellers: list[Traveller] = field(default_factory=list)
    # Both
    flights: list[FlightLeg] = field(default_factory=list)
    # PNRGOV
    reservations: list[Reservation] = field(default_factory=list)
    # Not in the printed schema.
    common_access_ref: str | None = None
    sequence: str | None = None
    is_last_part: bool | None = None
    group_ref: str | None = None
    transaction_ref: str | None = None
    reporting_party: str | None = None
    control_count: int | None = None
    message_function: str | None = None
    syntax_level: str | None = None
    is_test: bool = False
    segment_count: int | None = None


def _iso_date(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _iso_time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "severity": finding.severity,
        "segment": finding.segment,
        "line": finding.line,
        "text": finding.text,
    }


def _leg_json(leg: FlightLeg) -> dict[str, Any]:
    return {
        "carrier": leg.carrier,
        "number": leg.number,
        "departure": {"airport": leg.departure.airport, "time": _iso_time(leg.departure.time)},
        "arrival": {"airport": leg.arrival.airport, "time": _iso_time(leg.arrival.time)},
    }


def _document_json(document: Document) -> dict[str, Any]:
    return {
        "type": document.type,
        "number": document.number,
        "issuing_state": document.issuing_state,
        "expiry": _iso_date(document.expiry),
    }


def _traveller_json(traveller: Traveller) -> dict[str, Any]:
    return {
        "surname": traveller.surname,
        "given_names": traveller.given_names,
        "sex": traveller.sex,
        "birth_date": _iso_date(traveller.birth_date),
        "nationality": traveller.nationality,
        "residence": traveller.residence,
        "birth_place": traveller.birth_place,
        "embarkation": traveller.embarkation,
        "disembarkation": traveller.disembarkation,
        "seat": traveller.seat,
        "booking_ref": traveller.booking_ref,
        "documents": [_document_json(d) for d in traveller.documents],
    }


def _address_json(address: Address) -> dict[str, Any]:
    return {
        "street": address.street,
        "city": address.city,
        "region": address.region,
        "postcode": address.postcode,
        "country": address.country,
        "text": address.text,
    }


def _reservation_json(reservation: Reservation) -> dict[str, Any]:
    return {
        "record_locator": reservation.record_locator,
        "booked_at": _iso_time(reservation.booked_at),
        "ticketed_at": _iso_time(reservation.ticketed_at),
        "agency": reservation.agency,
        "travellers": [
            {
                "surname": t.surname,
                "given_names": t.given_names,
                "birth_date": _iso_date(t.birth_date),
                "sex": t.sex,
                "documents": [_document_json(d) for d in t.documents],
            }
            for t in reservation.travellers
        ],
        "itinerary": [
            {
                "carrier": leg.carrier,
                "number": leg.number,
                "from": leg.from_airport,
                "to": leg.to_airport,
                "departure": _iso_time(leg.departure),
                "arrival": _iso_time(leg.arrival),
            }
            for leg in reservation.itinerary
        ],
        "contacts": {
            "phones": list(reservation.contacts.phones),
            "emails": list(reservation.contacts.emails),
            "addresses": [_address_json(a) for a in reservation.contacts.addresses],
        },
        # Never the card number, nor its hash: the type and the last four digits only.
        "payments": [{"type": p.type, "card_last4": p.card_last4} for p in reservation.payments],
        "bags": [
            {"count": b.count, "weight": b.weight, "unit": b.unit, "tags": list(b.tags)}
            for b in reservation.bags
        ],
        "seats": [
            {
                "number": s.number,
                "traveller_ref": s.traveller_ref,
                "from": s.from_airport,
                "to": s.to_airport,
            }
            for s in reservation.seats
        ],
        "frequent_flyer": [
            {"carrier": f.carrier, "number": f.number, "tier": f.tier}
            for f in reservation.frequent_flyer
        ],
    }


def to_json(message: ParsedMessage) -> dict[str, Any]:
    """Render a message in the schema of issue 3 ("The JSON that manage.py parse prints").

    Dates are `YYYY-MM-DD`, times ISO 8601 as given (local unless the message gives a zone), a
    missing value is None. Only the schema's keys are produced, so readers can rely on them.
    """
    out: dict[str, Any] = {
        "type": message.type,
        "version": message.version,
        "sender": message.sender,
        "recipient": message.recipient,
        "interchange_ref": message.interchange_ref,
        "message_ref": message.message_ref,
        "sent_at": _iso_time(message.sent_at),
        "findings": [_finding_json(f) for f in message.findings],
    }
    if message.type == "PAXLST":
        out["list"] = message.list_type
        out["action"] = message.action
        out["flights"] = [_leg_json(leg) for leg in message.flights]
        out["travellers"] = [_traveller_json(t) for t in message.travellers]
    else:
        out["flights"] = [_leg_json(leg) for leg in message.flights]
        out["reservations"] = [_reservation_json(r) for r in message.reservations]
    return out
