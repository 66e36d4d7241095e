"""PNRGOV parser: the reservations of one pushed flight, as plain dataclasses.

Follows the IATA/WCO/ICAO PNRGOV message (versions 10.1 to 16.1 and later; see
../shared/reference/pnrgov.md). Segments are recognised by tag, qualifier and their place in the
group structure, never by version: later versions only add segments and codes.

The parser is lenient by design. A push that the tokenizer can read is always turned into
reservations, and whatever is odd (a missing ORG, a date that is not a date, a DOCS with shifted
fields, an unknown segment) becomes a `Finding` on the message. Only what cannot be read is
rejected, with the tokenizer's `EdifactError`.

Card numbers never leave this module whole: a form of payment keeps the last four digits and a
keyed hash (HMAC-SHA256 with the caller's key), and digit runs that look like card numbers are
masked in every free text.

No Django import here: this module is part of the pure core.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from enum import Enum, auto
from functools import lru_cache

from targeting.ingestion.edifact import Interchange, Message, Segment, expand_year
from targeting.ingestion.paxlst import message_header
from targeting.ingestion.records import (
    Address,
    Bags,
    Document,
    Finding,
    FlightLeg,
    FrequentFlyer,
    ItineraryLeg,
    ParsedMessage,
    Payment,
    Point,
    Reservation,
    ReservationTraveller,
    Seat,
    ServiceRequest,
    Severity,
    Ticket,
)

__all__ = ["card_hash", "parse_pnrgov"]


# ---------------------------------------------------------------------------------------------
# Small readers for the formats PNRGOV uses (reference/pnrgov.md, codes.md)

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1
    )
}
_AIRIMP_DATE = re.compile(r"^(\d{1,2})([A-Z]{3})(\d{2}|\d{4})$")
_SEAT = re.compile(r"^0*(\d{1,3})([A-Z])$")
_COUNTRY = re.compile(r"^[A-Z]{3}$|^D$")
_CODE = re.compile(r"^[A-Z]{2,3}$")
_GENDERS = {"M", "F", "U", "X", "MI", "FI", "UI", "XI"}
# AIRIMP titles that reservation systems glue to the given name (JOHNMR, KAYLAMS, NINA MS).
_TITLE = re.compile(r"(?:\s+|(?<=[A-Z]{2}))(?:MRS|MR|MSTR|MISS|MS|DR|PROF|REV|CAPT|SIR)$")
# Phone numbers: a digit run, maybe with a leading +, spaces, dashes, dots or brackets inside.
_PHONE = re.compile(r"\+?\d[\d\s\-()./]{4,}\d")
# Contact elements in OSI free text and ADD: "CTCE X//Y.COM", "CTCM 123", "CTC M 123", "YY CTCH 1".
_OSI_CONTACT = re.compile(r"\bCTC ?([A-Z])\b[\s/]*(.*)$")
_CARD_RUN = re.compile(r"(?<![\dX])(?:\d[ -]?){12,18}\d(?![\dX])")
_CARD_SPACING = re.compile(r"[\s\-]")
_NOT_A_LETTER = re.compile(r"[^A-Z]")
_FREQUENT_FLYER = re.compile(r"^([A-Z0-9]{2})\s*([A-Z0-9]+)")
_INFANT_NAME_BREAK = re.compile(r"[/\s]+")


def _clean(value: str) -> str:
    """Trim a value and remove line breaks left inside it by transports."""
    if "\n" in value or "\r" in value:
        value = value.replace("\r", "").replace("\n", "")
    return value.strip()


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def _luhn_ok(digits: str) -> bool:
    """Luhn check (ISO/IEC 7812-1), which every payment card number satisfies."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _looks_like_card(digits: str) -> bool:
    # Card numbers are 13-19 digits (ISO/IEC 7812) and never start with 0; phone numbers written
    # with an international prefix do, which keeps 00-prefixed phones out of this test.
    return 13 <= len(digits) <= 19 and digits[0] != "0" and _luhn_ok(digits)


def mask_card_numbers(text: str) -> str:
    """Mask every digit run in free text that is a valid card number, keeping the last four.

    Payment cards follow ISO/IEC 7812 (13-19 digits with a Luhn check digit). PNR remarks and
    history lines sometimes repeat a card number typed by an agent; nothing outside this module
    may see it whole.
    """

    def mask(match: re.Match[str]) -> str:
        digits = _digits(match.group(0))
        if not _looks_like_card(digits):
            return match.group(0)
        return "X" * (len(digits) - 4) + digits[-4:]

    return _CARD_RUN.sub(mask, text)


def card_hash(number: str, key: bytes, *, vendor: str = "", expiry: str = "") -> str:
    """Return the keyed hash that links payments made with the same card.

    HMAC-SHA256 (RFC 2104) over the card number with spaces and dashes removed. A masked number
    (`XXXXXXXXXXXX1186`, `372395XXXXX9581`) no longer identifies one card, so vendor and expiry are
    added to it: two masked numbers are linked only when all three agree.
    """
    normalised = _CARD_SPACING.sub("", number).upper()
    if not normalised.isdigit():
        normalised = f"{vendor.upper()}|{normalised}|{expiry}"
    return hmac.new(key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()


@lru_cache(maxsize=4096)
def _ddmmyy(value: str) -> date | None:
    """PNRGOV date DDMMYY (TVL, RCI, DAT); 2-digit years are 20YY, travel data being recent."""
    value = value.strip()
    if len(value) != 6 or not value.isdigit():
        return None
    try:
        return date(2000 + int(value[4:]), int(value[2:4]), int(value[:2]))
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _hhmm(value: str) -> time | None:
    """PNRGOV time HHMM, or HHMMSS as some systems send in RCI."""
    value = value.strip()
    if len(value) not in (4, 6) or not value.isdigit():
        return None
    try:
        return time(int(value[:2]), int(value[2:4]), int(value[4:6] or 0))
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _airimp_date(value: str, reference: date | None, pivot: str) -> date | None:
    """AIRIMP date DDMMMYY (SSR DOCS/DOCO/INFT): birth dates pivot to the past, others forward."""
    match = _AIRIMP_DATE.match(value.strip().upper())
    if not match or match.group(2) not in _MONTHS:
        return None
    year_text = match.group(3)
    year = (
        int(year_text)
        if len(year_text) == 4
        else expand_year(int(year_text), reference, "past" if pivot == "past" else "future")
    )
    try:
        return date(year, _MONTHS[match.group(2)], int(match.group(1)))
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _split_title(given: str) -> str:
    """Remove a trailing AIRIMP title (MR, MRS, MS, ...) from a given name, as PNRs glue them."""
    stripped = _TITLE.sub("", given).strip()
    return stripped or given


@lru_cache(maxsize=4096)
def _name_key(value: str | None) -> str:
    return _NOT_A_LETTER.sub("", (value or "").upper())


def _seat(value: str) -> str | None:
    """Normalise a seat (`011D` -> `11D`); None for `XXX` and other not-yet-assigned markers."""
    value = value.strip().upper()
    match = _SEAT.match(value)
    if match:
        return f"{int(match.group(1))}{match.group(2)}"
    return None


def _email(text: str) -> str | None:
    """Decode an AIRIMP e-mail (SSR CTCE / OSI CTCE): `//` or `.AT.` is @, `..` is _, `./` is -."""
    value = text.strip().split(" ")[0].strip("/")
    value = value.replace(".AT.", "@").replace("//", "@").replace("..", "_").replace("./", "-")
    value = value.lower()
    if value.count("@") != 1:
        return None
    local, _, domain = value.partition("@")
    if not local or "." not in domain:
        return None
    return value


def _phones(text: str) -> list[str]:
    """Phone numbers in free text, as digits (with a leading + when written)."""
    found: list[str] = []
    for match in _PHONE.finditer(text):
        raw = match.group(0)
        digits = _digits(raw)
        if not 6 <= len(digits) <= 15 or _looks_like_card(digits):
            continue
        found.append(("+" if raw.startswith("+") else "") + digits)
    return found


def _add_unique(items: list[str], values: Iterable[str]) -> None:
    for value in values:
        if value and value not in items:
            items.append(value)


# ---------------------------------------------------------------------------------------------
# Parsing state


class _Zone(Enum):
    """Where in the PNRGOV group structure the last trigger segment put us."""

    PNR = auto()  # GR1 after SRC: RCI, SSR, DAT, IFT, ORG, ADD, EBD
    TRAVELLER = auto()  # GR2 after TIF
    TICKET = auto()  # GR3 after TKT
    PAYMENT = auto()  # GR4 after FOP
    LEG = auto()  # GR5 after TVL
    CHECK_IN = auto()  # GR6 after DAT under a leg
    CHECKED_IN = auto()  # GR7 after TRI
    SPLIT = auto()  # GR8 after EQN
    NON_AIR = auto()  # GR9 after MSG
    HISTORY = auto()  # GR10-12 after ABI


@dataclass(slots=True)
class _PendingDoc:
    """A SSR DOCS/DOCO/DOCA/INFT waiting for the travellers of its PNR to be known."""

    code: str
    ref: str | None
    owner: int | None
    surname: str
    given: str
    segment: Segment
    document: Document | None = None
    birth_date: date | None = None
    sex: str | None = None
    nationality: str | None = None
    is_infant: bool = False
    address: Address | None = None


@dataclass(slots=True)
class _ReservationState:
    reservation: Reservation
    segment: Segment
    zone: _Zone = _Zone.PNR
    has_org: bool = False
    empty_org: bool = False
    non_air_done: bool = False
    traveller: int | None = None
    leg: ItineraryLeg | None = None
    checked_in_ref: str | None = None
    payment_owner: Payment | None = None
    pending: list[_PendingDoc] = field(default_factory=list)
    seats: dict[tuple[str | None, str | None, str | None], tuple[Seat, bool]] = field(
        default_factory=dict
    )


@dataclass(slots=True)
class _Context:
    """Per-message settings and the findings collected while parsing."""

    key: bytes
    reference: date | None
    findings: list[Finding] = field(default_factory=list)
    warned_no_key: bool = False

    def note(self, segment: Segment, severity: Severity, text: str) -> None:
        self.findings.append(segment.finding(severity, text))


# ---------------------------------------------------------------------------------------------
# Entry point


def parse_pnrgov(
    message: Message, interchange: Interchange, *, card_hash_key: bytes
) -> ParsedMessage:
    """Read one PNRGOV message (UNH..UNT) into a `ParsedMessage` with its reservations.

    Follows the PNRGOV group structure (reference/pnrgov.md): level 0 MSG (22 full push, 141
    update), ORG (sender), TVL (the pushed flight), EQN (PNRs in the push); then one GR1 per PNR
    opened by an empty `SRC`, with GR2 TIF travellers, GR3 TKT tickets, GR4 FOP payments, GR5 TVL
    itinerary legs (TRA or a second TVL for the operating flight of a codeshare), GR6/GR7
    check-in (DAT, TRI, TIF, SSD seat, TBD bags), GR8 split PNRs, GR9 non-air segments, GR10-12
    history and LTS long text. The century of 2-digit birth years is decided against the
    interchange's preparation date (UNB S004). Card numbers are hashed with `card_hash_key`; with
    an empty key no hash is made, so that nothing guessable is ever produced.
    """
    result = message_header(message, interchange)
    reference_date = result.sent_at.date() if result.sent_at else None
    ctx = _Context(key=card_hash_key, reference=reference_date)
    body = [s for s in message.segments if s.tag not in ("UNH", "UNT")]
    first_src = next((i for i, s in enumerate(body) if s.tag == "SRC"), len(body))
    _read_push_header(body[:first_src], result, ctx)
    if ctx.reference is None and result.flights and result.flights[0].departure.time:
        ctx.reference = result.flights[0].departure.time.date()
    state: _ReservationState | None = None
    for segment in body[first_src:]:
        if segment.tag == "SRC":
            if state is not None:
                result.reservations.append(_finish(state, ctx))
            state = _ReservationState(Reservation(segment=segment.number), segment)
            continue
        if state is not None:  # always: the slice starts at the first SRC
            _read_reservation_segment(segment, state, ctx)
    if state is not None:
        result.reservations.append(_finish(state, ctx))
    _check_counts(message, body, result, ctx)
    result.findings.extend(ctx.findings)
    return result


def _read_push_header(segments: list[Segment], result: ParsedMessage, ctx: _Context) -> None:
    """Level 0 of PNRGOV: MSG, ORG, TVL (one per pushed flight), EQN."""
    seen: set[str] = set()
    for segment in segments:
        tag = segment.tag
        seen.add(tag)
        if tag == "MSG":
            # C302 component 2 (1225): 22 full push, 141 update (changes only).
            result.message_function = segment.get(0, 1) or segment.get(0, 0) or None
            if result.message_function not in ("22", "141"):
                ctx.note(
                    segment,
                    "info",
                    f"message function {result.message_function!r} is not"
                    " 22 (full push) or 141 (update)",
                )
        elif tag == "ORG":
            parts = [segment.get(0, 0), segment.get(0, 1)]
            result.reporting_party = " ".join(p for p in parts if p) or None
        elif tag == "TVL":
            result.flights.append(_flight_from_tvl(segment, ctx))
        elif tag == "EQN":
            count = segment.get(0)
            if count.isdigit():
                result.control_count = int(count)
            else:
                ctx.note(segment, "warning", f"number of PNRs {count!r} is not a number")
        else:
            ctx.note(segment, "info", "segment not expected before the first SRC; ignored")
    first = segments[0] if segments else None
    where = (first.number, first.line) if first else (None, None)
    if "MSG" not in seen:
        ctx.findings.append(
            Finding(
                "warning",
                *where,
                "no MSG segment: whether this is a full push or an update is not stated",
            )
        )
    if "ORG" not in seen:
        ctx.findings.append(
            Finding(
                "warning",
                *where,
                "no ORG segment at message level: the sender of the push is not stated",
            )
        )
    if "TVL" not in seen:
        ctx.findings.append(
            Finding(
                "warning",
                *where,
                "no TVL segment at message level: the pushed flight is not stated",
            )
        )


def _check_counts(
    message: Message, body: list[Segment], result: ParsedMessage, ctx: _Context
) -> None:
    """EQN at level 0 counts the PNRs of the whole push, which may span several messages."""
    held = len(result.reservations)
    if not held:
        where = body[0] if body else message.header
        ctx.note(where, "warning", "the message holds no PNR (no SRC segment)")
    if result.control_count is None or result.control_count == held:
        return
    split = result.sequence is not None and result.is_last_part is not True
    severity: Severity = "info" if split and result.control_count > held else "warning"
    ctx.findings.append(
        Finding(
            severity,
            None,
            None,
            f"EQN counts {result.control_count} PNRs in the push but this message holds {held}",
        )
    )


# ---------------------------------------------------------------------------------------------
# TVL: the pushed flight (level 0) and itinerary legs (GR5)


@dataclass(slots=True)
class _Travel:
    departure: datetime | None
    arrival: datetime | None
    from_airport: str | None
    to_airport: str | None
    carrier: str | None
    operating_carrier: str | None
    number: str | None
    booking_class: str | None


def _read_tvl(segment: Segment, ctx: _Context) -> _Travel:
    """TVL el1 = departure date DDMMYY : time : arrival date : time (local); el2 from; el3 to;
    el4 marketing : operating carrier; el5 flight number : booking class.

    Tolerated: an arrival time in the arrival-date position (`280918:1220:1505`), an arrival
    time without its date (`121210:0915::1230`, same day assumed as the message gives no other).
    """
    dep_date_text = segment.get(0, 0)
    dep_time_text = segment.get(0, 1)
    arr_date_text = segment.get(0, 2)
    arr_time_text = segment.get(0, 3)
    if len(arr_date_text) == 4 and not arr_time_text:
        arr_date_text, arr_time_text = "", arr_date_text
    dep_date = _checked_date(segment, dep_date_text, "departure date", ctx)
    arr_date = _checked_date(segment, arr_date_text, "arrival date", ctx) or dep_date
    departure = _combine(segment, dep_date, dep_time_text, "departure time", ctx)
    arrival = _combine(segment, arr_date, arr_time_text, "arrival time", ctx)
    from_airport = _checked_airport(segment, segment.get(1, 0), "TVL from", ctx)
    to_airport = _checked_airport(segment, segment.get(2, 0), "TVL to", ctx)
    return _Travel(
        departure=departure,
        arrival=arrival if arr_time_text or arr_date_text else None,
        from_airport=from_airport,
        to_airport=to_airport,
        carrier=segment.get(3, 0) or None,
        operating_carrier=segment.get(3, 1) or None,
        number=segment.get(4, 0) or None,
        booking_class=segment.get(4, 1) or None,
    )


def _checked_airport(segment: Segment, code: str, what: str, ctx: _Context) -> str | None:
    """IATA location identifiers are three letters (codes.md); ICAO codes are not used here."""
    if code and not (len(code) == 3 and code.isalpha()):
        ctx.note(segment, "warning", f"{what} airport {code!r} is not a three-letter IATA code")
    return code or None


def _checked_date(segment: Segment, text: str, what: str, ctx: _Context) -> date | None:
    if not text:
        return None
    value = _ddmmyy(text)
    if value is None:
        ctx.note(segment, "warning", f"{what} {text!r} is not a valid DDMMYY date")
    return value


def _combine(
    segment: Segment, day: date | None, time_text: str, what: str, ctx: _Context
) -> datetime | None:
    if day is None:
        return None
    if not time_text:
        return datetime.combine(day, time())
    clock = _hhmm(time_text)
    if clock is None:
        ctx.note(segment, "warning", f"{what} {time_text!r} is not a valid HHMM time")
        return None
    return datetime.combine(day, clock)


def _flight_from_tvl(segment: Segment, ctx: _Context) -> FlightLeg:
    travel = _read_tvl(segment, ctx)
    return FlightLeg(
        carrier=travel.carrier,
        number=travel.number,
        departure=Point(travel.from_airport, travel.departure),
        arrival=Point(travel.to_airport, travel.arrival),
    )


def _is_operating_flight_tvl(segment: Segment) -> bool:
    """`TVL+++++972:M`: only a flight number, the operating flight of the codeshare before it."""
    return bool(segment.get(4, 0)) and not any(c.strip() for e in segment.elements[:4] for c in e)


def _leg_from_tvl(segment: Segment, ctx: _Context) -> ItineraryLeg:
    travel = _read_tvl(segment, ctx)
    # Without a second carrier the marketing carrier operates the flight itself.
    is_codeshare = bool(travel.operating_carrier) and travel.operating_carrier != travel.carrier
    return ItineraryLeg(
        carrier=travel.carrier,
        number=travel.number,
        from_airport=travel.from_airport,
        to_airport=travel.to_airport,
        departure=travel.departure,
        arrival=travel.arrival,
        marketing_carrier=travel.carrier,
        operating_carrier=travel.operating_carrier or travel.carrier,
        operating_number=None if is_codeshare else travel.number,
        booking_class=travel.booking_class,
    )


# ---------------------------------------------------------------------------------------------
# GR1: one reservation

# Segments that PNRGOV defines but that carry nothing this application keeps (fares, taxes,
# pricing, fare calculation, history actions).
_IGNORED = {"MON", "PTK", "TXD", "FAR", "SAC", "UNS"}
_SEAT_SSRS = {"SEAT", "RQST", "NSST", "NSSA", "NSSW", "NSSB", "SMST", "SMSA", "SMSW", "EXST"}
_CONTACT_SSRS = {"CTCE", "CTCM", "CTCH", "CTCB", "CTCP", "CTCT"}


def _read_reservation_segment(segment: Segment, state: _ReservationState, ctx: _Context) -> None:
    """Dispatch one segment of a GR1 group by tag and by the zone the last trigger opened."""
    tag = segment.tag
    zone = state.zone
    if tag == "LTS":
        # GR LTS may follow history; its text is kept as written (cards masked).
        text = " ".join(_clean(c) for c in segment.element(0) if c.strip())
        if text:
            state.reservation.free_text.append(mask_card_numbers(text))
        return
    if zone is _Zone.HISTORY:
        # GR10-12 describe past states of the PNR; the current state is what the push carries.
        return
    handler = _HANDLERS.get(tag)
    if handler is not None:
        handler(segment, state, ctx)
    elif tag not in _IGNORED:
        ctx.note(segment, "info", "segment not part of a PNRGOV reservation; ignored")


def _on_rci(segment: Segment, state: _ReservationState, ctx: _Context) -> None:
    """RCI: carrier/system : locator : control type : creation date DDMMYY : time (GMT)."""
    reservation = state.reservation
    composites = [e for e in segment.elements if any(c.strip() for c in e)]
    if state.zone is _Zone.SPLIT:
        for comp in composites:
            reservation.service_requests.append(
                ServiceRequest("SPLIT", text=_part(comp, 1), carrier=_part(comp, 0) or None)
            )
        return
    if state.zone is not _Zone.PNR or reservation.record_locator is not None:
        return  # GR5 RCI: the operating carrier's copy of the same PNR
    if not composites:
        ctx.note(segment, "warning", "RCI without a record locator")
        return
    main = composites[0]
    reservation.carrier = _part(main, 0) or None
    reservation.record_locator = _part(main, 1) or None
    day_text, time_text = _part(main, 3), _part(main, 4)
    if _ddmmyy(_part(main, 2)) and not _part(main, 4) and len(_part(main, 3)) in (0, 4, 6):
        # Some systems leave out the control type, so the date moves one place left.
        day_text, time_text = _part(main, 2), _part(main, 3)
    if day_text:
        day = _checked_date(segment, day_text, "PNR creation date", ctx)
        if day is not None:
            clock = _hhmm(time_text) if time_text else time()
            if clock is None:
                ctx.note(segment, "warning", f"PNR creation time {time_text!r} is not HHMM")
                clock = time()
            # The PNRGOV guide gives the creation time in GMT.
            reservation.booked_at = datetime.combine(day, clock, tzinfo=UTC)
    for comp in composites[1:]:
        reservation.service_requests.append(
            ServiceRequest("RCI", text=_part(comp, 1), carrier=_part(comp, 0) or None)
        )


def _part(components: list[str], index: int) -> str:
    """A component trimmed and without transport line breaks ('' when absent); `_clean` is
    written out here because this runs for most components of a push."""
    if index >= len(components):
        return ""
    value = components[index]
    if "\n" in value or "\r" in value:
        value = value.replace("\r", "").replace("\n", "")
    return value.strip()


def _on_dat(segment: Segment, state: _ReservationState, ctx: _Context) -> None:
    """DAT: qualifier : DDMMYY : HHMM; 700 last PNR change, 710 ticket issue, 2 check-in."""
    if state.zone in (_Zone.LEG, _Zone.CHECK_IN, _Zone.CHECKED_IN):
        state.zone = _Zone.CHECK_IN  # GR6 trigger under an itinerary leg
        state.checked_in_ref = None
        return
    reservation = state.reservation
    for comp in segment.elements:
        qualifier, day_text, time_text = _part(comp, 0), _part(comp, 1), _part(comp, 2)
        if qualifier not in ("700", "710") or not day_text:
            continue
        day = _checked_date(segment, day_text, f"date {qualifier}", ctx)
        if day is None:
            continue
        moment = _combine(segment, day, time_text, f"time {qualifier}", ctx)
        if qualifier == "700":
            reservation.last_modified_at = moment
            continue
        if state.zone is _Zone.TICKET and reservation.tickets:
            reservation.tickets[-1].issued_at = moment
        if moment is not None and (
            reservation.ticketed_at is None or moment < reservation.ticketed_at
        ):
            reservation.ticketed_at = moment


def _on_org(segment: Segment, state: _ReservationState, ctx: _Context) -> None:
    """ORG: el1 system/airline : city; el2 IATA agency number : office id; el4 company."""
    if state.zone is not _Zone.PNR:
        return  # GR6 ORG: the check-in agent, not the booking agency
    reservation = state.reservation
    state.has_org = True
    airline, city = segment.get(0, 0), segment.get(0, 1)
    iata_number, office = segment.get(1, 0), segment.get(1, 1)
    company = segment.get(3, 0)
    if not any(_clean(c) for e in segment.elements for c in e):
        state.empty_org = True
        return
    reservation.agency = iata_number or company or airline or None
    reservation.office = office or city or segment.get(2, 0) or None


def _on_tif(segment: Segment, state: _ReservationState, ctx: _Context) -> None:
    """TIF: el1 surname : qualifier; el2 given name : type : reference : infant indicator."""
    surname = _clean(segment.get(0, 0))
    given_raw = _clean(segment.get(1, 0))
    ptype = segment.get(1, 1)
    ref = segment.get(1, 2) or None
    if state.zone in (_Zone.CHECK_IN, _Zone.CHECKED_IN):
        # GR7: names the traveller the TRI, SSD and TBD are about.
        traveller = _find_traveller(state.reservation.travellers, ref, surname, given_raw)
        state.checked_in_ref = (traveller.reference if traveller else None) or ref
        state.zone = _Zone.CHECKED_IN
        return
    if segment.get(0, 1) == "G" and not given_raw:
        # A group booking's name (TIF+ACME TEAM PARTY:G) is not a traveller.
        state.reservation.free_text.append(f"group name: {surname}")
        return
    if state.zone is _Zone.LEG:
        ctx.note(segment, "info", "traveller named after the itinerary started")
    traveller = ReservationTraveller(
        surname=surname or None,
        given_names=_split_title(given_raw) if given_raw else None,
        reference=ref,
        passenger_type=ptype or None,
        is_infant=ptype in ("IN", "INF", "IF"),
    )
    if not surname:
        ctx.note(segment, "warning", "traveller without a surname")
    state.reservation.travellers.append(traveller)
    state.traveller = len(state.reservation.travellers) - 1
    state.zone = _Zone.TRAVELLER


def _current_traveller(state: _ReservationState) -> ReservationTraveller | None:
    if state.traveller is None or state.zone not in (
        _Zone.TRAVELLER,
        _Zone.TICKET,
        _Zone.PAYMENT,
    ):
        return None
    return state.reservation.travellers[state.traveller]


def _find_traveller(
    travellers: list[ReservationTraveller], ref: str | None, surname: str, given: str
) -> ReservationTraveller | None:
    if ref:
        for traveller in travellers:
            if traveller.reference == ref:
                return traveller
    key = _name_key(surname)
    given_key = _name_key(_split_title(given))
    for traveller in travellers:
        if _name_key(traveller.surname) == key and (
            not given_key or _name_key(traveller.given_names) == given_key
        ):
            return traveller
    return None


def _on_ref(segment: Segment, state: _ReservationState, ctx: _Context) -> None:
    traveller = _current_traveller(state)
    if traveller is not None:
        traveller.unique_ref = segment.get(0, 1) or segment.get(0, 0) or None


def _on_fti(segment: Segment, state: _ReservationState, ctx: _Context) -> None:
    """FTI: airline : frequent-flyer number : reference : tier (position varies by system)."""
    number = _clean(segment.get(0, 1))
    if not number:
        return
    traveller = _current_traveller(state)
    tier = next((_clean(c) for c in segment.element(0)[3:] if c.strip()), None)
    _add_frequent_flyer(
        state.reservation,
        FrequentFlyer(
            carrier=segment.get(0, 0) or None,
            number=number,
            tier=tier,
            traveller_ref=traveller.reference if traveller else segment.get(0, 2) or None,
        ),
    )


def _add_frequent_flyer(reservation: Reservation, membership: FrequentFlyer) -> None:
    if all(
        (f.carrier, f.number, f.traveller_ref)
        != (membership.carrier, membership.number, membership.traveller_ref)
        for f in reservation.frequent_flyer
    ):
        reservation.frequent_flyer.append(membership)


def _on_tkt(segment: Segment, state: _ReservationState, ctx: _Context) -> None:
    """TKT: ticket number : type (T) : booklets; `TKT+:1` is ticketless."""
    traveller = _current_traveller(state)
    number = _clean(segment.get(0, 0))
    state.reservation.tickets.append(
        Ticket(
            number=number or None,
            type=segment.get(0, 1) or None,
            traveller_ref=traveller.reference if traveller else None,
        )
    )
    if state.zone in (_Zone.TRAVELLER, _Zone.TICKET, _Zone.PAYMENT):
        state.zone = _Zone.TICKET


def _on_fop(segment: Segment, state: _ReservationState, ctx: _Context) -> None:
    """FOP composites: type : old/new : amount : card vendor : card number : expiry MMYY."""
    for comp in segment.elements:
        if not any(c.strip() for c in comp):
            continue
        number = _CARD_SPACING.sub("", _part(comp, 4))
        vendor, expiry = _part(comp, 3), _part(comp, 5)
        payment = Payment(
            type=_part(comp, 0) or None,
            card_vendor=vendor or None,
            card_expiry=expiry or None,
            amount=_part(comp, 2) or None,
        )
        if number:
            tail = number[-4:]
            payment.card_last4 = tail if tail.isdigit() else None
            if ctx.key:
                payment.card_hash = card_hash(number, ctx.key, vendor=vendor, expiry=expiry)
            elif not ctx.warned_no_key:
                # An unkeyed hash of a card number can be reversed by trying every number.
                ctx.note(segment, "info", "no card hash key given: payments are not linkable")
                ctx.warned_no_key = True
            if payment.card_last4 is None:
                ctx.note(segment, "warning", "card number does not end in four digits")
        state.reservation.payments.append(payment)
        state.payment_owner = payment
    if state.zone in (_Zone.TRAVELLER, _Zone.TICKET, _Zone.PAYMENT, _Zone.PNR):
        state.zone = _Zone.PAYMENT if state.traveller is not None else state.zone


def _on_ift(segment: Segment, state: _ReservationState, ctx: _Context) -> None:
    """IFT: 4 : qualifier (28 OSI, 43 payer, 15 fare calculation) : : carrier; el2.. text."""
    qualifier = segment.get(0, 1)
    text = " ".join(_clean(c) for e in segment.elements[1:] for c in e if c.strip())
    if not text or qualifier == "15":
        return  # fare calculation lines carry prices, not people
    masked = mask_card_numbers(text)
    if qualifier == "43" and state.zone is _Zone.PAYMENT and state.payment_owner is not None:
        state.payment_owner.payer = masked
        return
    state.reservation.free_text.append(masked)
    phones, emails, _ = _contacts_in_text(text)
    _add_contacts(state, phones, emails, _current_traveller(state))


def _contacts_in_text(text: str) -> tuple[list[str], list[str], bool]:
    """Contacts in OSI/ADD text: `CTCE` e-mail, `CTCA` address, other `CTC?` phone numbers.

    Returns (phones, e-mails, whether a CTC element was found).
    """
    match = _OSI_CONTACT.search(text.upper())
    if not match:
        return [], [], False
    kind, rest = match.group(1), match.group(2)
    if kind == "E":
        email = _email(rest)
        return [], [email] if email else [], True
    if kind == "A":
        return [], [], True
    return _phones(rest), [], True


def _add_contacts(
    state: _ReservationState,
    phones: list[str],
    emails: list[str],
    traveller: ReservationTraveller | None,
) -> None:
    contacts = state.reservation.contacts
    _add_unique(contacts.phones, phones)
    _add_unique(contacts.emails, emails)
    if traveller is not None:
        _add_unique(traveller.phones, phones)
        _add_unique(traveller.emails, emails)


def _on_add(segment: Segment, state: _ReservationState, ctx: _Context) -> None:
    """ADD C817: purpose : street : city : state code : state name : country : postcode : text.

    The composed example of the guide omits the state name (country 5th, postcode 6th); a
    6-component address whose 5th component is a country code is read that way.
    """
    traveller = _current_traveller(state)
    for comp in segment.elements[1:]:
        parts = [_part(comp, i) for i in range(8)]
        if not any(parts):
            continue
        region, country, postcode = parts[3] or parts[4], parts[5], parts[6]
        if len(comp) <= 6 and _CODE.match(parts[4]) and not _CODE.match(parts[5]):
            region, country, postcode = parts[3], parts[4], parts[5]
        free = parts[7]
        if free and not postcode and len(free) <= 10 and not _phones(free) and "CTC" not in free:
            # Some systems leave the postcode field empty and put the postcode last.
            postcode, free = free, ""
        address = Address(
            street=parts[1] or None,
            city=parts[2] or None,
            region=region or None,
            postcode=postcode or None,
            country=country or None,
            purpose=parts[0] or None,
        )
        if free:
            phones, emails, has_ctc = _contacts_in_text(free)
            if not has_ctc:
                phones = _phones(free)
                email = _email(free) if "//" in free or "@" in free else None
                emails = [email] if email else []
            _add_contacts(state, phones, emails, traveller)
        if any((address.street, address.city, address.region, address.postcode, address.country)):
            _add_address(state, address, traveller)


def _add_address(
    state: _ReservationState, address: Address, traveller: ReservationTraveller | None
) -> None:
    if address not in state.reservation.contacts.addresses:
        state.reservation.contacts.addresses.append(address)
    if traveller is not None and address not in traveller.addresses:
        traveller.addresses.append(address)


def _on_ebd(segment: Segment, state: _ReservationState, ctx: _Context) -> None:
    """EBD: currency : excess baggage charge + pieces :: N; paid excess, not checked bags."""
    traveller = _current_traveller(state)
    charge = " ".join(p for p in (segment.get(0, 0), segment.get(0, 1)) if p)
    pieces = segment.get(1, 0)
    state.reservation.service_requests.append(
        ServiceRequest(
            "EBD",
            text=f"excess baggage: {pieces or '?'} piece(s), {charge or 'no charge given'}",
            traveller_ref=traveller.reference if traveller else None,
        )
    )


def _on_tvl(segment: Segment, state: _ReservationState, ctx: _Context) -> None:
    reservation = state.reservation
    if state.zone is _Zone.NON_AIR and not state.non_air_done:
        # GR9: hotel, car and other non-air services; kept as a remark.
        details = " ".join(_clean(c) for e in segment.elements for c in e if c.strip())
        reservation.free_text.append(f"non-air segment: {details}")
        state.non_air_done = True
        return
    if _is_operating_flight_tvl(segment):
        leg = state.leg
        if leg is None:
            ctx.note(segment, "warning", "operating flight number without a leg before it")
            return
        leg.operating_number = segment.get(4, 0)
        return
    leg = _leg_from_tvl(segment, ctx)
    reservation.itinerary.append(leg)
    state.leg = leg
    state.zone = _Zone.LEG
    state.checked_in_ref = None


def _on_tra(segment: Segment, state: _ReservationState, ctx: _Context) -> None:
    """TRA: operating carrier + operating flight number : class (codeshare, later versions)."""
    if state.leg is None:
        ctx.note(segment, "warning", "operating flight without a leg before it")
        return
    state.leg.operating_carrier = segment.get(0, 0) or state.leg.operating_carrier
    state.leg.operating_number = segment.get(1, 0) or state.leg.operating_number


def _on_rpi(segment: Segment, state: _ReservationState, ctx: _Context) -> None:
    """RPI: number in party + status (HK confirmed ...)."""
    if state.leg is None or state.zone is not _Zone.LEG:
        return
    party = segment.get(0)
    state.leg.party_size = int(party) if party.isdigit() else None
    state.leg.status = segment.get(1) or None


def _on_apd(segment: Segment, state: _ReservationState, ctx: _Context) -> None:
    if state.leg is not None and state.zone is _Zone.LEG:
        state.leg.equipment = segment.get(0) or None


def _on_tri(segment: Segment, state: _ReservationState, ctx: _Context) -> None:
    """TRI: el2 check-in sequence : : : traveller reference (GR7 trigger)."""
    state.zone = _Zone.CHECKED_IN
    state.checked_in_ref = segment.get(1, 3) or None


def _leg_airports(state: _ReservationState) -> tuple[str | None, str | None]:
    leg = state.leg
    return (leg.from_airport, leg.to_airport) if leg else (None, None)


def _on_ssd(segment: Segment, state: _ReservationState, ctx: _Context) -> None:
    """SSD: the seat actually given at check-in; it overrides a seat requested by SSR."""
    value = segment.get(0, 0)
    number = _seat(value)
    if number is None:
        _note_bad_seat(segment, value, ctx)
        return
    origin, destination = _leg_airports(state)
    _put_seat(state, Seat(number, state.checked_in_ref, origin, destination), actual=True)


def _note_bad_seat(segment: Segment, value: str, ctx: _Context) -> None:
    # XXX is the usual "no seat assigned yet"; anything else is a seat we could not read.
    if value and value.strip("X"):
        ctx.note(segment, "info", f"seat {value!r} is not a row number and a letter")


def _put_seat(state: _ReservationState, seat: Seat, *, actual: bool) -> None:
    key = (seat.traveller_ref, seat.from_airport, seat.to_airport)
    known = state.seats.get(key)
    if known is None or actual or not known[1]:
        state.seats[key] = (seat, actual)


def _on_tbd(segment: Segment, state: _ReservationState, ctx: _Context) -> None:
    """TBD: el2 pieces : weight : unit (700 kg, 701 lb); el4 pool; el5.. tags carrier : number :
    consecutive count : destination."""
    count_text, weight_text, unit_code = segment.get(1, 0), segment.get(1, 1), segment.get(1, 2)
    weight: float | None = None
    if weight_text:
        try:
            weight = float(weight_text.replace(",", "."))
        except ValueError:
            ctx.note(segment, "warning", f"bag weight {weight_text!r} is not a number")
    tags: list[str] = []
    destination: str | None = None
    for comp in segment.elements[4:]:
        tag_number = _part(comp, 1)
        if tag_number:
            tags.append(tag_number)
        destination = destination or _part(comp, 3) or None
    traveller = _current_traveller(state)
    ref = state.checked_in_ref if state.zone is _Zone.CHECKED_IN else None
    if ref is None and traveller is not None:
        ref = traveller.reference
    _, leg_destination = _leg_airports(state)
    state.reservation.bags.append(
        Bags(
            count=int(count_text) if count_text.isdigit() else None,
            weight=weight,
            unit={"700": "KG", "701": "LB"}.get(unit_code, unit_code or None),
            tags=tags,
            traveller_ref=ref,
            destination=destination or leg_destination,
        )
    )


def _on_eqn(segment: Segment, state: _ReservationState, ctx: _Context) -> None:
    state.zone = _Zone.SPLIT  # GR8: a split (divided) PNR; its RCI follows


def _on_msg(segment: Segment, state: _ReservationState, ctx: _Context) -> None:
    state.zone = _Zone.NON_AIR  # GR9: a non-air segment; its TVL follows
    state.non_air_done = False


def _on_abi(segment: Segment, state: _ReservationState, ctx: _Context) -> None:
    state.zone = _Zone.HISTORY


# ---------------------------------------------------------------------------------------------
# SSR: special service requests (AIRIMP free text after the first `/`)


def _ssr_ref(segment: Segment) -> str | None:
    """The traveller reference (9944) in the C332 composites from el2 on."""
    for comp in segment.elements[1:]:
        ref = _part(comp, 2)
        if ref:
            return ref
    return None


def _on_ssr(segment: Segment, state: _ReservationState, ctx: _Context) -> None:
    """SSR el1: code : status : count : carrier : : : board : off : free text; el2.. C332."""
    code = segment.get(0, 0).upper()
    text = _clean(segment.get(0, 8))
    traveller = _current_traveller(state)
    ref = _ssr_ref(segment) or (traveller.reference if traveller else None)
    if code in _SEAT_SSRS:
        _read_seat_ssr(segment, state, ctx)
        return
    if code in ("DOCS", "DOCO", "DOCA", "INFT"):
        pending = _read_doc_ssr(code, text, segment, ctx)
        if pending is not None:
            pending.ref = _ssr_ref(segment)
            pending.owner = state.traveller if traveller is not None else None
            state.pending.append(pending)
        return
    if code == "FQTV":
        match = _FREQUENT_FLYER.match(text.strip(" /").upper())
        if match:
            _add_frequent_flyer(
                state.reservation, FrequentFlyer(match.group(1), match.group(2), None, ref)
            )
        else:
            ctx.note(segment, "info", "frequent-flyer number not found in the SSR text")
        return
    if code in _CONTACT_SSRS:
        rest = text.strip(" /")
        if code == "CTCE":
            email = _email(rest)
            if email is None:
                ctx.note(segment, "info", "e-mail address could not be read")
            _add_contacts(state, [], [email] if email else [], _traveller_by_ref(state, ref))
        else:
            _add_contacts(state, _phones(rest), [], _traveller_by_ref(state, ref))
        return
    state.reservation.service_requests.append(
        ServiceRequest(
            code or None,
            text=mask_card_numbers(text) or None,
            status=segment.get(0, 1) or None,
            carrier=segment.get(0, 3) or None,
            traveller_ref=ref,
        )
    )


def _traveller_by_ref(state: _ReservationState, ref: str | None) -> ReservationTraveller | None:
    if ref is None:
        return None
    return next((t for t in state.reservation.travellers if t.reference == ref), None)


def _read_seat_ssr(segment: Segment, state: _ReservationState, ctx: _Context) -> None:
    """SSR SEAT/RQST/NSST...: one C332 per traveller, seat : : traveller reference."""
    origin = segment.get(0, 6) or None
    destination = segment.get(0, 7) or None
    if origin is None and destination is None:
        origin, destination = _leg_airports(state)
    for comp in segment.elements[1:]:
        value = _part(comp, 0)
        if not value:
            continue
        number = _seat(value)
        if number is None:
            _note_bad_seat(segment, value, ctx)
            continue
        _put_seat(state, Seat(number, _part(comp, 2) or None, origin, destination), actual=False)


def _read_doc_ssr(code: str, text: str, segment: Segment, ctx: _Context) -> _PendingDoc | None:
    if code == "DOCS":
        return _read_docs(text, segment, ctx)
    if code == "DOCO":
        return _read_doco(text, segment, ctx)
    if code == "DOCA":
        return _read_doca(text, segment, ctx)
    return _read_inft(text, segment, ctx)


def _fields(text: str) -> list[str]:
    value = text.strip()
    if value.startswith("/"):
        value = value[1:]
    return [f.strip() for f in value.split("/")]


def _check_country(segment: Segment, value: str, what: str, ctx: _Context) -> str | None:
    if not value:
        return None
    if not _COUNTRY.match(value):
        ctx.note(segment, "info", f"{what} {value!r} is not an ICAO 9303 three-letter code")
    return value


def _read_docs(text: str, segment: Segment, ctx: _Context) -> _PendingDoc | None:
    """SSR DOCS: /type/issuing state/number/nationality/DOB DDMMMYY/gender/expiry DDMMMYY/
    surname/given/second given/H (AIRIMP; reference/pnrgov.md).

    Tolerated: empty leading fields (secure-flight data only) and fields shifted by an extra or
    missing `/`, found from the birth date followed by a gender code.
    """
    fields = _fields(text)
    if not any(fields):
        ctx.note(segment, "warning", "DOCS without any data")
        return None
    dob_at = next(
        (
            i
            for i in range(len(fields) - 1)
            # The set lookup first: it rules out most places without running the pattern.
            if fields[i + 1].upper() in _GENDERS and _AIRIMP_DATE.match(fields[i].upper())
        ),
        None,
    )
    if dob_at is None:
        dob_at = 4
        if len(fields) > 5 and (fields[4] or fields[5]):
            ctx.note(segment, "warning", "DOCS birth date and gender could not be found")
    elif dob_at != 4:
        ctx.note(segment, "warning", f"DOCS fields are shifted by {dob_at - 4} place(s)")

    def at(i: int) -> str:
        return fields[i] if 0 <= i < len(fields) else ""

    # Before the birth date: ... type / issuing state / number / nationality.
    nationality, number, issuing, doc_type = at(dob_at - 1), at(dob_at - 2), at(dob_at - 3), ""
    if dob_at >= 4:
        doc_type = next((f for f in fields[: dob_at - 3] if f), "")
    birth_text, gender, expiry_text = at(dob_at), at(dob_at + 1).upper(), at(dob_at + 2)
    birth = _airimp_date(birth_text, ctx.reference, "past")
    if birth_text and birth is None:
        ctx.note(segment, "warning", f"DOCS birth date {birth_text!r} is not DDMMMYY")
    expiry = _airimp_date(expiry_text, ctx.reference, "future")
    if expiry_text and expiry is None:
        ctx.note(segment, "warning", f"DOCS expiry date {expiry_text!r} is not DDMMMYY")
    if gender and gender not in _GENDERS:
        ctx.note(segment, "info", f"DOCS gender {gender!r} is not M, F, U, X, MI or FI")
    # DOCS names come from the document: no title is glued to them (YASIR, ALEKSANDR stay whole).
    given = " ".join(p for p in (at(dob_at + 4), at(dob_at + 5)) if p)
    document = None
    if doc_type or number:
        document = Document(
            type=doc_type or None,
            number=number or None,
            issuing_state=_check_country(segment, issuing, "issuing state", ctx),
            expiry=expiry,
            nationality=_check_country(segment, nationality, "nationality", ctx),
            surname=at(dob_at + 3) or None,
            given_names=given or None,
            birth_date=birth,
            sex=gender[:1] or None,
        )
    elif nationality:
        _check_country(segment, nationality, "nationality", ctx)
    return _PendingDoc(
        code="DOCS",
        ref=None,
        owner=None,
        surname=at(dob_at + 3),
        given=given,
        segment=segment,
        document=document,
        birth_date=birth,
        sex=gender[:1] if gender in _GENDERS else None,
        nationality=nationality or None,
        is_infant=gender.endswith("I") and len(gender) == 2,
    )


def _read_doco(text: str, segment: Segment, ctx: _Context) -> _PendingDoc | None:
    """SSR DOCO: /place of birth/type/number/place of issue/issue date/country where valid/I."""
    fields = _fields(text) + [""] * 7
    doc_type, number = fields[1], fields[2]
    if not (doc_type or number):
        ctx.note(segment, "info", "DOCO without a document type or number")
        return None
    issued = _airimp_date(fields[4], ctx.reference, "past")
    if fields[4] and issued is None:
        ctx.note(segment, "warning", f"DOCO issue date {fields[4]!r} is not DDMMMYY")
    document = Document(
        type=doc_type or None,
        number=number or None,
        # For a visa the country where it is valid is the state that issued it.
        issuing_state=_check_country(segment, fields[5], "country of validity", ctx),
        issued=issued,
        place_of_issue=fields[3] or None,
    )
    return _PendingDoc(
        "DOCO", None, None, "", "", segment, document=document, is_infant=fields[6] == "I"
    )


def _read_doca(text: str, segment: Segment, ctx: _Context) -> _PendingDoc | None:
    """SSR DOCA: /type (R residence, D destination)/country/street/city/state/postcode/I."""
    fields = _fields(text) + [""] * 7
    address = Address(
        purpose=fields[0] or None,
        country=_check_country(segment, fields[1], "address country", ctx),
        street=fields[2] or None,
        city=fields[3] or None,
        region=fields[4] or None,
        postcode=fields[5] or None,
    )
    return _PendingDoc(
        "DOCA", None, None, "", "", segment, address=address, is_infant=fields[6] == "I"
    )


def _read_inft(text: str, segment: Segment, ctx: _Context) -> _PendingDoc | None:
    """SSR INFT: SURNAME/GIVEN[/ ]DDMMMYY — an infant travelling on an adult's lap."""
    parts = _INFANT_NAME_BREAK.split(text.strip(" /"))
    if len(parts) < 2:
        ctx.note(segment, "info", "INFT without the infant's name")
        return None
    birth = None
    if parts and _AIRIMP_DATE.match(parts[-1].upper()):
        birth = _airimp_date(parts.pop(), ctx.reference, "past")
    return _PendingDoc(
        "INFT",
        None,
        None,
        parts[0],
        " ".join(parts[1:]),
        segment,
        birth_date=birth,
        is_infant=True,
    )


# ---------------------------------------------------------------------------------------------
# End of a reservation: tie SSR data to travellers, settle seats, report what is missing


def _finish(state: _ReservationState, ctx: _Context) -> Reservation:
    reservation = state.reservation
    for pending in state.pending:
        traveller = _traveller_for(pending, reservation, ctx)
        if traveller is not None:
            _apply(pending, traveller, reservation)
    reservation.seats = [seat for seat, _ in state.seats.values()]
    is_bare = not reservation.travellers and not reservation.itinerary
    if state.empty_org and is_bare:
        # An update push removes a PNR from the flight with SRC, RCI and an empty ORG.
        reservation.is_cancelled = True
    elif state.empty_org:
        ctx.note(
            state.segment,
            "warning",
            f"PNR {reservation.record_locator or '?'}: ORG is"
            " empty, the booking agency is not stated",
        )
    elif not state.has_org:
        ctx.note(
            state.segment,
            "warning",
            f"PNR {reservation.record_locator or '?'}: no ORG, the booking agency is not stated",
        )
    if reservation.record_locator is None:
        ctx.note(state.segment, "warning", "PNR without a record locator (no RCI)")
    if not reservation.travellers and not reservation.is_cancelled:
        ctx.note(
            state.segment, "warning", f"PNR {reservation.record_locator or '?'} names no traveller"
        )
    return reservation


def _traveller_for(
    pending: _PendingDoc, reservation: Reservation, ctx: _Context
) -> ReservationTraveller | None:
    """Who an SSR DOCS/DOCO/DOCA/INFT is about: by the names it gives, else by its traveller
    reference, else the traveller it followed; an infant with no TIF of its own is added."""
    travellers = reservation.travellers
    if pending.surname:
        surname = _name_key(pending.surname)
        first = _name_key(pending.given.split(" ")[0]) if pending.given else ""
        same = [t for t in travellers if _name_key(t.surname) == surname]
        named = [
            t
            for t in same
            if first
            and (given := _name_key((t.given_names or "").split(" ")[0]))
            and (given.startswith(first) or first.startswith(given))
        ]
        if pending.is_infant and len(named) > 1:
            named = [t for t in named if t.is_infant] or named
        if len(named) == 1:
            return named[0]
        if not named and pending.is_infant and first:
            # AIRIMP lets an infant travel on an adult's lap with no TIF of its own.
            infant = ReservationTraveller(
                surname=pending.surname,
                given_names=pending.given or None,
                passenger_type="IN",
                is_infant=True,
            )
            travellers.append(infant)
            return infant
        if not named and len(same) == 1:
            return same[0]
    if pending.ref is not None:
        by_ref = [t for t in travellers if t.reference == pending.ref]
        if pending.is_infant:
            by_ref = [t for t in by_ref if t.is_infant] or by_ref
        if by_ref:
            return by_ref[0]
    if pending.owner is not None:
        return travellers[pending.owner]
    if len(travellers) == 1:
        return travellers[0]
    if not travellers and pending.surname:
        # No TIF could be read (a damaged segment swallowed it): the document still names them.
        ctx.note(pending.segment, "warning", "traveller known only from this SSR; added")
        traveller = ReservationTraveller(
            surname=pending.surname, given_names=pending.given or None, is_infant=pending.is_infant
        )
        travellers.append(traveller)
        return traveller
    ctx.note(pending.segment, "warning", f"SSR {pending.code} cannot be tied to one traveller")
    return None


def _apply(pending: _PendingDoc, traveller: ReservationTraveller, reservation: Reservation) -> None:
    document = pending.document
    if document is not None:
        # The same DOCS is often repeated under each leg, sometimes with 2-letter countries.
        identity = (document.type, document.number)
        if all((d.type, d.number) != identity for d in traveller.documents):
            traveller.documents.append(document)
    traveller.birth_date = traveller.birth_date or pending.birth_date
    traveller.sex = traveller.sex or pending.sex
    traveller.nationality = traveller.nationality or pending.nationality
    if pending.is_infant and pending.code in ("DOCS", "INFT"):
        traveller.is_infant = True
    if pending.address is not None:
        if pending.address not in traveller.addresses:
            traveller.addresses.append(pending.address)
        if pending.address not in reservation.contacts.addresses:
            reservation.contacts.addresses.append(pending.address)


_HANDLERS = {
    "RCI": _on_rci,
    "DAT": _on_dat,
    "ORG": _on_org,
    "TIF": _on_tif,
    "REF": _on_ref,
    "FTI": _on_fti,
    "TKT": _on_tkt,
    "FOP": _on_fop,
    "IFT": _on_ift,
    "ADD": _on_add,
    "EBD": _on_ebd,
    "SSR": _on_ssr,
    "TVL": _on_tvl,
    "TRA": _on_tra,
    "RPI": _on_rpi,
    "APD": _on_apd,
    "TRI": _on_tri,
    "SSD": _on_ssd,
    "TBD": _on_tbd,
    "EQN": _on_eqn,
    "MSG": _on_msg,
    "ABI": _on_abi,
}
