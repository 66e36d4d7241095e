"""PAXLST (API) parser: passenger and crew lists as plain dataclasses.

Follows the WCO/IATA/ICAO PAXLST implementation guide (UN/EDIFACT releases D02B, D05B, D12B,
D15B and later; see ../shared/reference/paxlst.md). Segments are recognised by tag, qualifier and
their place in the group structure (GR1 reporting party, GR2/GR3 flight legs, GR4 travellers,
GR5 documents), never by release: newer releases only add optional segments and codes. The
legacy US format (`PAXLST:001:000`, `UNS` + one `PDT` per traveller) is read by its own function.

The parser is lenient: only what cannot be read raises `EdifactError`; a count that does not
match, an unknown code, a missing or impossible date become `Finding`s on the message.

No Django import here: this module is part of the pure core.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from targeting.ingestion.edifact import (
    EdifactError,
    Interchange,
    Message,
    Segment,
    parse_date,
    parse_datetime,
)
from targeting.ingestion.records import (
    Action,
    Address,
    Bags,
    Document,
    Finding,
    FlightLeg,
    ListType,
    ParsedMessage,
    Point,
    Severity,
    Traveller,
)

# BGM 1001 document name code -> list type (reference/paxlst.md, "BGM").
_LIST_TYPES: dict[str, ListType] = {
    "745": "passenger",  # passenger list
    "266": "passenger",  # flight status update / close-out (US)
    "655": "passenger",  # gate pass request (US)
    "250": "crew",  # crew list declaration
    "336": "crew",  # master crew list (US)
    "366": "crew",  # 336 as some code writes it by mistake
}

# (BGM 1001, BGM 1004 sub-code) -> action. A missing sub-code is an original list.
_ACTIONS: dict[tuple[str, str], Action] = {
    ("745", "CP"): "change",  # change passenger data (US CBP)
    # The reference lists CP; some senders abbreviate it to C (gtas/Test3.txt).
    ("745", "C"): "change",
    ("745", "XR"): "cancel",  # cancel reservation
    ("745", "RP"): "change",  # reduction in party
    ("250", "C"): "original",  # passenger-flight crew
    ("250", "CC"): "change",  # crew change
    ("250", "B"): "original",  # cargo-flight crew
    ("250", "BC"): "change",
    ("250", "A"): "original",  # over-flight, passenger flight
    ("250", "F"): "original",  # over-flight, cargo flight
    ("250", "FC"): "original",  # domestic continuance
    ("266", "CL"): "original",  # flight close-out
    ("266", "CLNB"): "original",
    ("266", "CLOB"): "original",
    ("266", "CF"): "change",  # change flight
    ("266", "XF"): "cancel",  # cancel flight
    ("336", "G"): "original",  # add to master crew list
    ("336", "H"): "cancel",  # delete
    ("336", "I"): "change",  # change
}

# NAD 3035 party function code qualifier -> (role, in transit) (reference/paxlst.md, "NAD").
_TRAVELLER_PARTIES: dict[str, tuple[ListType, bool]] = {
    "FL": ("passenger", False),
    "DDU": ("passenger", True),
    "FM": ("crew", False),
    "DDT": ("crew", True),
}

_SEXES = frozenset({"M", "F", "U", "X"})
# codes.md "Travel document type codes"; state guides add others, which are kept raw.
_DOCUMENT_TYPES = frozenset({"P", "V", "I", "A", "C", "IP", "AC", "F", "L", "K", "R"})
_CREW_FUNCTIONS = frozenset({"CR1", "CR2", "CR3", "CR4", "CR5"})
_FLIGHT_ID = re.compile(r"^([A-Z0-9]{2}|[A-Z]{3})(\d{1,4}[A-Z]?)$")
_SERVICE_TAGS = frozenset({"UNH", "UNT"})
_TRAILING_DIGITS = re.compile(r"(\d+)$")
# Segments of the UN directory that PAXLST groups may hold and that we do not use.
_IGNORED_TAGS = frozenset({"GIS", "QTY", "CPI", "AUT", "CTA", "FTX", "PRC", "SEQ", "EQD", "QUA"})


@dataclass(slots=True)
class _State:
    """What the parser has seen so far in one message."""

    message: ParsedMessage
    reference: date | None
    traveller: Traveller | None = None
    document: Document | None = None
    # Flight legs under construction for the current TDT (GR2/GR3).
    flight: FlightLeg | None = None
    from_point: Point | None = None
    last_point: Point | None = None
    last_arrival: Point | None = None
    legs_in_flight: int = 0
    tdt: Segment | None = None
    counts: dict[str, tuple[int, Segment]] = field(default_factory=dict)
    # The NAD (or PDT) segment of each traveller, to place findings about the traveller.
    starts: list[tuple[Traveller, Segment]] = field(default_factory=list)

    def note(self, segment: Segment, severity: Severity, text: str) -> None:
        self.message.findings.append(segment.finding(severity, text))


def message_header(message: Message, interchange: Interchange) -> ParsedMessage:
    """Fill the envelope part of a ParsedMessage from UNB (sender, recipient, S004 date, 0020)
    and UNH (0062 reference, S009 version, 0068 common access reference, S010 sequence).

    Shared by the PAXLST and PNRGOV parsers.
    """
    header = message.header
    version = message.version
    release = message.release
    if version.upper() == "D":
        version_text = f"D{release}"
    elif version:
        version_text = f"{version}.{release}" if release else version
    else:
        version_text = None
    message_type = message.type
    parsed = ParsedMessage(
        type="PNRGOV" if message_type == "PNRGOV" else "PAXLST",
        version=version_text or None,
        sender=interchange.sender or None,
        recipient=interchange.recipient or None,
        interchange_ref=interchange.control_ref or None,
        message_ref=message.reference or None,
        sent_at=interchange.prepared_at,
        common_access_ref=header.get(2) or None,
        sequence=header.get(3, 0) or None,
        is_last_part=(header.get(3, 1).upper() == "F") if header.get(3, 1) else None,
        group_ref=message.group.reference if message.group else None,
        syntax_level=interchange.syntax_level or None,
        is_test=interchange.is_test,
        segment_count=len(message.segments),
    )
    parsed.findings.extend(interchange.findings)
    parsed.findings.extend(message.findings)
    return parsed


def parse_paxlst(message: Message, interchange: Interchange) -> ParsedMessage:
    """Read one PAXLST message (UNH..UNT) into flights, travellers and findings.

    Follows the WCO/IATA/ICAO PAXLST guide: BGM list type and action, GR2 TDT + GR3 LOC/DTM
    flight legs, GR4 NAD traveller groups with their GR5 DOC documents, CNT+42/41 control counts.
    A message with UNS and PDT segments is the legacy US format and is read by `parse_us_paxlst`.
    """
    parsed = message_header(message, interchange)
    if any(s.tag == "PDT" for s in message.segments):
        return parse_us_paxlst(message, parsed)
    sent = parsed.sent_at.date() if parsed.sent_at else None
    state = _State(parsed, sent)
    for segment in message.segments:
        tag = segment.tag
        handler = _HANDLERS.get(tag)
        if handler is not None:
            handler(state, segment)
        elif tag in _SERVICE_TAGS:
            continue
        elif tag in _IGNORED_TAGS:
            state.note(segment, "info", "segment not used by this parser; ignored")
        else:
            state.note(segment, "warning", f"unexpected segment {tag} in a PAXLST; ignored")
    _finish(state)
    return parsed


# ---------------------------------------------------------------------------------------------
# Header: BGM, RFF+TN, NAD+MS, COM (GR0/GR1)


def _bgm(state: _State, segment: Segment) -> None:
    """BGM 1001 list type (745 passengers, 250 crew ...) and 1004 sub-code (action)."""
    code = segment.get(0)
    sub = segment.get(1).upper()
    message = state.message
    list_type = _LIST_TYPES.get(code)
    if list_type is None:
        state.note(segment, "warning", f"unknown list type {code!r}; read as a passenger list")
        list_type = "passenger"
    message.list_type = list_type
    if not sub:
        message.action = "original"
        return
    action = _ACTIONS.get((code, sub))
    if action is None:
        state.note(segment, "warning", f"unknown document sub-code {sub!r}; read as an original")
        action = "original"
    message.action = action


def _rff(state: _State, segment: Segment) -> None:
    """RFF: TN transaction reference in the header; AVF/ABO/SEA/CR/AEA for a traveller."""
    qualifier = segment.get(0).upper()
    value = segment.get(0, 1) or None
    traveller = state.traveller
    if traveller is None:
        if qualifier == "TN":
            state.message.transaction_ref = value
        else:
            state.note(segment, "info", f"reference qualifier {qualifier!r} outside a traveller")
        return
    if qualifier == "AVF":  # reservation record locator: links API to PNR
        traveller.booking_ref = value
    elif qualifier == "ABO":  # carrier's unique passenger reference
        traveller.passenger_ref = value
    elif qualifier == "SEA":  # assigned seat
        traveller.seat = value
    elif qualifier == "CR":  # customer reference: frequent-flyer number
        traveller.frequent_flyer = value
    elif qualifier == "AEA":  # government agency reference (redress / known traveller)
        traveller.agency_ref = value
    else:
        state.note(segment, "info", f"unknown reference qualifier {qualifier!r}; ignored")


def _com(state: _State, segment: Segment) -> None:
    """COM: up to three `number:TE|FX|EM` composites; '.AT.' often stands for '@'."""
    traveller = state.traveller
    for components in segment.elements:
        number = components[0].strip() if components else ""
        kind = components[1].strip().upper() if len(components) > 1 else ""
        if not number or traveller is None:
            continue
        if kind == "EM" or "@" in number:
            traveller.emails.append(number.replace(".AT.", "@"))
        else:
            traveller.phones.append(number)


def _nad(state: _State, segment: Segment) -> None:
    """NAD+MS reporting party (GR1); NAD+FL/FM/DDU/DDT starts a traveller (GR4)."""
    qualifier = segment.get(0).upper()
    if qualifier == "MS":
        name = " ".join(c.strip() for c in segment.element(3) if c.strip())
        state.message.reporting_party = name or segment.get(1) or None
        return
    _close_flight(state)
    party = _TRAVELLER_PARTIES.get(qualifier)
    if party is None:
        state.note(segment, "warning", f"unknown party qualifier {qualifier!r}; read as passenger")
        party = ("passenger", False)
    role, in_transit = party
    names = [c.strip() for c in segment.element(3)]
    surname = names[0] if names else ""
    given = [n for n in names[1:] if n]
    traveller = Traveller(
        surname=surname or None,
        given_names=" ".join(given) or None,
        first_name=given[0] if given else None,
        middle_names=" ".join(given[1:]) or None,
        role=role,
        is_in_transit=in_transit,
        segment=segment.number,
    )
    if not surname:
        state.note(segment, "warning", "traveller has no surname")
    street = ", ".join(c.strip() for c in segment.element(4) if c.strip())
    region_parts = segment.element(6)
    region = next((c.strip() for c in reversed(region_parts) if c.strip()), "")
    address = Address(
        street=street or None,
        city=segment.get(5) or None,
        region=region or None,
        postcode=segment.get(7) or None,
        country=segment.get(8) or None,
    )
    if any((address.street, address.city, address.region, address.postcode, address.country)):
        traveller.address = address
    list_type = state.message.list_type
    if list_type is not None and list_type != role:
        state.note(segment, "warning", f"a {role} in a {list_type} list")
    state.message.travellers.append(traveller)
    state.starts.append((traveller, segment))
    state.traveller = traveller
    state.document = None


# ---------------------------------------------------------------------------------------------
# Flights: TDT, LOC, DTM (GR2/GR3)


def _tdt(state: _State, segment: Segment) -> None:
    """TDT+20 (main carriage) or +34 (over-flight): el2 flight id, el5 carrier (GR2)."""
    _close_flight(state)
    flight_id = segment.get(1).replace(" ", "").upper()
    carrier = segment.get(4, 0).upper()
    number = flight_id
    if carrier and flight_id.startswith(carrier):
        number = flight_id[len(carrier) :]
    else:
        match = _FLIGHT_ID.match(flight_id)
        if match:
            carrier = carrier or match.group(1)
            number = match.group(2)
    if not flight_id:
        state.note(segment, "warning", "flight has no flight number")
    state.flight = FlightLeg(
        carrier=carrier or None,
        number=number or None,
        transport_stage=segment.get(0) or None,
    )
    state.from_point = None
    state.last_point = None
    state.last_arrival = None
    state.legs_in_flight = 0
    state.tdt = segment


def _add_leg(state: _State, departure: Point, arrival: Point) -> None:
    flight = state.flight
    assert flight is not None  # noqa: S101 - only called inside a TDT group
    leg = FlightLeg(
        carrier=flight.carrier,
        number=flight.number,
        departure=departure,
        arrival=arrival,
        transport_stage=flight.transport_stage,
    )
    state.message.flights.append(leg)
    state.legs_in_flight += 1
    state.last_arrival = arrival


def _flight_loc(state: _State, segment: Segment, qualifier: str, airport: str | None) -> None:
    """GR3 LOC: 125 departure, 87 arrival, 92 next airport (from, then to), 130 final."""
    if airport and not (len(airport) == 3 and airport.isalpha()):
        # codes.md: IATA location identifiers are three letters; ICAO codes are not used here.
        state.note(
            segment,
            "warning",
            f"LOC+{qualifier} airport {airport!r} is not a three-letter IATA code",
        )
    point = Point(airport)
    if qualifier == "125":  # last departure airport before the destination state
        state.from_point = point
    elif qualifier == "87":  # first arrival airport in the destination state
        if state.from_point is not None:
            _add_leg(state, state.from_point, point)
            state.from_point = None
        else:
            state.last_arrival = point
            state.note(segment, "warning", "arrival airport without a departure airport")
    elif qualifier == "92":  # progressive flight: first LOC+92 is from, the next is to
        if state.from_point is None:
            state.from_point = point
        else:
            _add_leg(state, state.from_point, point)
            state.from_point = None
    elif qualifier == "130":  # final destination of a progressive flight
        start = state.from_point or state.last_arrival
        if start is not None:
            _add_leg(state, Point(start.airport), point)
            state.from_point = None
        else:
            state.note(segment, "warning", "final destination without a previous airport")
    else:
        state.note(segment, "warning", f"unknown flight location qualifier {qualifier!r}")
        return
    state.last_point = point


def _close_flight(state: _State) -> None:
    """At the end of a GR2 group: report a flight that gave no complete leg."""
    if state.flight is None:
        return
    tdt = state.tdt
    if state.legs_in_flight == 0 and tdt is not None:
        state.note(tdt, "warning", "flight has no complete leg (departure and arrival airport)")
    if state.from_point is not None and tdt is not None and state.legs_in_flight:
        state.note(tdt, "warning", f"departure {state.from_point.airport} has no arrival airport")
    state.flight = None
    state.from_point = None


def _loc(state: _State, segment: Segment) -> None:
    """LOC in GR3 (flight), GR4 (traveller: 22/174/178/179/180) or GR5 (91 issuing state)."""
    qualifier = segment.get(0)
    code = segment.get(1, 0).upper() or None
    if state.flight is not None and state.traveller is None:
        _flight_loc(state, segment, qualifier, code)
        return
    traveller = state.traveller
    if traveller is None:
        state.note(segment, "warning", "location outside a flight or traveller group; ignored")
        return
    if state.document is not None and qualifier == "91":  # place/state of document issue
        state.document.issuing_state = code
        return
    if qualifier == "22":  # place of clearance
        traveller.clearance = code
    elif qualifier == "174":  # country of residence
        traveller.residence = code
    elif qualifier == "178":  # port of embarkation
        traveller.embarkation = code
    elif qualifier == "179":  # port of debarkation
        traveller.disembarkation = code
    elif qualifier == "180":  # place of birth: code, or a name in component 4
        name = segment.get(1, 3)
        traveller.birth_place = name or code
    elif qualifier == "91":
        state.note(segment, "warning", "issuing state outside a document group; ignored")
    else:
        state.note(segment, "warning", f"unknown traveller location qualifier {qualifier!r}")


def _dtm(state: _State, segment: Segment) -> None:
    """DTM: 189/232 leg times (formats 201/203), 329 birth date, 36 expiry and 182 issue."""
    qualifier = segment.get(0)
    value = segment.get(0, 1)
    if state.traveller is None:
        if qualifier in ("189", "232"):  # scheduled departure / arrival, local time
            moment = parse_datetime(value, reference=state.reference)
            if moment is None:
                state.note(segment, "warning", f"{value!r} is not a valid date and time")
            elif state.last_point is None:
                state.note(segment, "warning", "date and time without a flight location")
            else:
                state.last_point.time = moment
        else:
            state.note(segment, "info", f"date qualifier {qualifier!r} not used; ignored")
        return
    if qualifier == "329":  # date of birth
        birth = parse_date(value, reference=state.reference, pivot="past")
        if birth is None:
            state.note(segment, "warning", f"birth date {value!r} is not a valid YYMMDD date")
        state.traveller.birth_date = birth
        return
    document = state.document
    if qualifier in ("36", "182"):
        if document is None:
            state.note(segment, "warning", "document date outside a document group; ignored")
            return
        when = parse_date(value, reference=state.reference, pivot="future")
        if when is None:
            state.note(segment, "warning", f"{value!r} is not a valid YYMMDD date")
        if qualifier == "36":  # expiry date
            document.expiry = when
        else:  # issue date
            document.issued = when
        return
    state.note(segment, "info", f"date qualifier {qualifier!r} not used; ignored")


# ---------------------------------------------------------------------------------------------
# Traveller details (GR4) and documents (GR5)


def _traveller_or_note(state: _State, segment: Segment) -> Traveller | None:
    if state.traveller is None:
        state.note(segment, "warning", "traveller detail outside a traveller group; ignored")
    return state.traveller


def _att(state: _State, segment: Segment) -> None:
    """ATT+2 gender: element 3 component 1 is M, F, U (unknown) or X (unspecified)."""
    traveller = _traveller_or_note(state, segment)
    if traveller is None:
        return
    if segment.get(0) != "2":
        state.note(segment, "info", f"attribute {segment.get(0)!r} not used; ignored")
        return
    sex = segment.get(2).upper()
    if sex and sex not in _SEXES:
        state.note(segment, "warning", f"unknown gender code {sex!r}")
    traveller.sex = sex or None


def _nat(state: _State, segment: Segment) -> None:
    """NAT+2 current nationality (ISO 3166 alpha-3 / ICAO 9303 code as written)."""
    traveller = _traveller_or_note(state, segment)
    if traveller is not None:
        traveller.nationality = segment.get(1).upper() or None


def _emp(state: _State, segment: Segment) -> None:
    """EMP+1 crew function: CR1 cockpit ... CR5 deadheading pilot."""
    traveller = _traveller_or_note(state, segment)
    if traveller is None:
        return
    function = segment.get(1).upper()
    if function and function not in _CREW_FUNCTIONS:
        state.note(segment, "warning", f"unknown crew function {function!r}")
    traveller.crew_function = function or None


def _mea(state: _State, segment: Segment) -> None:
    """MEA+CT checked bag count, MEA+WT total bag weight (KGM or LBR)."""
    traveller = _traveller_or_note(state, segment)
    if traveller is None:
        return
    bags = traveller.bags or Bags()
    traveller.bags = bags
    qualifier = segment.get(0).upper()
    values = [c.strip() for c in segment.element(2)]
    number = next((v for v in reversed(values) if v), "")
    try:
        amount = float(number.replace(",", ".")) if number else None
    except ValueError:
        state.note(segment, "warning", f"{number!r} is not a number")
        return
    if qualifier == "CT":
        bags.count = int(amount) if amount is not None else None
    elif qualifier == "WT":
        bags.weight = amount
        bags.unit = values[0] if len(values) > 1 and values[0] else None
    else:
        state.note(segment, "info", f"measurement {qualifier!r} not used; ignored")


def _ftx(state: _State, segment: Segment) -> None:
    """FTX+BAG: first bag tag and the number of consecutive tags."""
    if segment.get(0).upper() != "BAG":
        state.note(segment, "info", f"free text {segment.get(0)!r} not used; ignored")
        return
    traveller = _traveller_or_note(state, segment)
    if traveller is None:
        return
    tag = segment.get(3, 0)
    if not tag or tag.upper() == "NULL":
        return
    bags = traveller.bags or Bags()
    traveller.bags = bags
    count_text = segment.get(3, 1)
    count = int(count_text) if count_text.isdigit() else 1
    bags.tags.extend(_consecutive_tags(tag, count))


def _consecutive_tags(first: str, count: int) -> list[str]:
    """Bag tags increment by one from the first tag (the count includes the first)."""
    match = _TRAILING_DIGITS.search(first)
    if count <= 1 or match is None or count > 99:
        return [first]
    digits = match.group(1)
    prefix = first[: match.start()]
    start = int(digits)
    return [f"{prefix}{start + i:0{len(digits)}d}" for i in range(count)]


def _gei(state: _State, segment: Segment) -> None:
    """GEI+4: 173 data verified by the carrier against the document, 174 not verified."""
    traveller = _traveller_or_note(state, segment)
    if traveller is None:
        return
    code = segment.get(1)
    traveller.is_verified = True if code == "173" else False if code == "174" else None


def _doc(state: _State, segment: Segment) -> None:
    """DOC starts a GR5 document group: el1 type (P, V, I, ...), el2 number."""
    traveller = _traveller_or_note(state, segment)
    if traveller is None:
        return
    kind = segment.get(0).upper()
    number = segment.get(1)
    if not kind:
        state.note(segment, "warning", "travel document has no type")
    elif kind not in _DOCUMENT_TYPES:
        state.note(segment, "warning", f"unknown travel document type {kind!r}")
    if not number:
        state.note(segment, "warning", "travel document has no number")
    document = Document(type=kind or None, number=number or None)
    traveller.documents.append(document)
    state.document = document


def _cnt(state: _State, segment: Segment) -> None:
    """CNT+42 total passengers, CNT+41 total crew (control totals)."""
    _close_flight(state)
    state.traveller = None
    state.document = None
    qualifier = segment.get(0)
    # Some senders write CNT+41+8 instead of CNT+41:8.
    value = segment.get(0, 1) or segment.get(1)
    if not value.isdigit():
        state.note(segment, "warning", f"control total {value!r} is not a number")
        return
    if segment.get(0, 1) == "" and segment.get(1):
        state.note(segment, "info", "control total written as a separate element")
    state.counts[qualifier] = (int(value), segment)


def _uns(state: _State, segment: Segment) -> None:
    """UNS section control (legacy US format and some state guides): ends the header part."""
    _close_flight(state)


_HANDLERS = {
    "BGM": _bgm,
    "RFF": _rff,
    "NAD": _nad,
    "COM": _com,
    "TDT": _tdt,
    "LOC": _loc,
    "DTM": _dtm,
    "ATT": _att,
    "NAT": _nat,
    "EMP": _emp,
    "MEA": _mea,
    "FTX": _ftx,
    "GEI": _gei,
    "DOC": _doc,
    "CNT": _cnt,
    "UNS": _uns,
}


def _finish(state: _State) -> None:
    """End-of-message checks: BGM present, control counts, mandatory traveller data."""
    _close_flight(state)
    message = state.message
    if message.list_type is None:
        message.list_type = "passenger"
        message.action = "original"
        message.findings.append(Finding("warning", None, None, "message has no BGM segment"))
    if not message.flights:
        message.findings.append(Finding("warning", None, None, "message has no flight leg"))
    counted = _count_check(state)
    if not counted:
        message.findings.append(Finding("warning", None, None, "message has no CNT control total"))
    for traveller, segment in state.starts:
        _traveller_check(state, traveller, segment)


def _count_check(state: _State) -> bool:
    message = state.message
    if not state.counts:
        return False
    for qualifier, (expected, segment) in state.counts.items():
        if qualifier == "42":
            actual = sum(1 for t in message.travellers if t.role == "passenger")
            what = "passengers"
        elif qualifier == "41":
            actual = sum(1 for t in message.travellers if t.role == "crew")
            what = "crew members"
        else:
            state.note(segment, "info", f"control total qualifier {qualifier!r} not checked")
            continue
        if actual == 0 and message.travellers:
            # A crew total in a passenger list (or the reverse): compare with every traveller.
            state.note(
                segment, "warning", f"control total for {what} in a {message.list_type} list"
            )
            actual = len(message.travellers)
            what = "travellers"
        message.control_count = expected
        if expected != actual:
            # UNH S010 "01:F" is a whole list in one message: only a real part is worth naming.
            is_whole = message.sequence in (None, "", "1", "01") and message.is_last_part
            split = (
                f" (this message is part {message.sequence} of a split list)"
                if message.sequence and not is_whole
                else ""
            )
            state.note(
                segment,
                "warning",
                f"control total says {expected} {what} but the message lists {actual}{split}",
            )
    return True


def _traveller_check(state: _State, traveller: Traveller, segment: Segment) -> None:
    """Mandatory-in-practice data of a traveller: birth date, gender, a travel document."""
    missing = []
    if traveller.birth_date is None:
        missing.append("birth date (DTM+329)")
    if traveller.sex is None:
        missing.append("gender (ATT+2)")
    if not traveller.documents:
        missing.append("travel document (DOC)")
    if missing:
        name = " ".join(n for n in (traveller.surname, traveller.given_names) if n)
        state.note(segment, "warning", f"{name or 'traveller'} has no {', no '.join(missing)}")


# ---------------------------------------------------------------------------------------------
# Legacy US format: UNS + PDT


def parse_us_paxlst(message: Message, parsed: ParsedMessage) -> ParsedMessage:
    """Read the legacy US APIS layout (`PAXLST:001:000`, reference/paxlst.md "Versions seen").

    Header: BGM, CTA, TDT and `LOC+005` (departure) / `LOC+008` (arrival) with DTM times; after
    `UNS+D` one `PDT` per traveller:
    `PDT+P/<doc number>:<expiry YYMMDD>:<issuing country>+SURNAME:GIVEN:MIDDLE:<YYMMDD>:<sex>+
    PAX|CREW+...`. Anything else is kept as a finding.
    """
    sent = parsed.sent_at.date() if parsed.sent_at else None
    state = _State(parsed, sent)
    for segment in message.segments:
        tag = segment.tag
        if tag == "PDT":
            _pdt(state, segment)
        elif tag == "LOC" and state.flight is not None:
            qualifier = segment.get(0)
            code = segment.get(1).upper() or None
            if qualifier == "005":  # legacy: departure airport
                _flight_loc(state, segment, "125", code)
            elif qualifier == "008":  # legacy: arrival airport
                _flight_loc(state, segment, "87", code)
            else:
                _flight_loc(state, segment, qualifier, code)
        elif tag in ("BGM", "TDT", "DTM", "CNT", "UNS", "RFF", "NAD", "COM"):
            _HANDLERS[tag](state, segment)
        elif tag in _SERVICE_TAGS or tag == "CTA":
            continue
        else:
            state.note(segment, "warning", f"unexpected segment {tag} in a US PAXLST; ignored")
    _finish(state)
    return parsed


def _pdt(state: _State, segment: Segment) -> None:
    """PDT: one traveller of the legacy US format (document, name, birth date, sex, role)."""
    _close_flight(state)
    document_part = segment.get(0, 0)
    kind, _, number = document_part.partition("/")
    if not number:
        kind, number = "", kind
    names = segment.element(1)
    surname = names[0].strip() if names else ""
    given = [n.strip() for n in names[1:3] if n.strip()]
    birth_text = names[3].strip() if len(names) > 3 else ""
    sex = names[4].strip().upper() if len(names) > 4 else ""
    role_code = segment.get(2).upper()
    role: ListType = "crew" if role_code in ("CREW", "CRW", "FM") else "passenger"
    birth = parse_date(birth_text, reference=state.reference, pivot="past")
    if birth_text and birth is None:
        state.note(segment, "warning", f"birth date {birth_text!r} is not a valid YYMMDD date")
    expiry_text = segment.get(0, 1)
    expiry = parse_date(expiry_text, reference=state.reference, pivot="future")
    if expiry_text and expiry is None:
        state.note(segment, "warning", f"{expiry_text!r} is not a valid YYMMDD date")
    if sex and sex not in _SEXES:
        state.note(segment, "warning", f"unknown gender code {sex!r}")
    if not surname:
        raise EdifactError(
            segment.number,
            segment.line,
            segment.column,
            "traveller has no name (element 2 must be SURNAME:GIVEN:MIDDLE:YYMMDD:SEX)",
            label="PDT",
        )
    documents = []
    if number:
        documents.append(
            Document(
                type=kind.upper() or None,
                number=number,
                issuing_state=segment.get(0, 2).upper() or None,
                expiry=expiry,
            )
        )
    traveller = Traveller(
        surname=surname,
        given_names=" ".join(given) or None,
        first_name=given[0] if given else None,
        middle_names=" ".join(given[1:]) or None,
        sex=sex or None,
        birth_date=birth,
        role=role,
        documents=documents,
        segment=segment.number,
    )
    state.message.travellers.append(traveller)
    state.starts.append((traveller, segment))
    state.traveller = traveller
    state.document = documents[0] if documents else None
