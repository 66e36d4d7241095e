"""The PAXLST parser on the corpus and on messages of our own (targeting.ingestion.paxlst)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from targeting.ingestion.reader import read_messages
from targeting.ingestion.records import ParsedMessage, to_json
from tests.targeting.ingestion.conftest import DATA, PAXLST_FILES, corpus_bytes


def one(data: bytes) -> ParsedMessage:
    (message,) = read_messages(data)
    return message


def errors(message: ParsedMessage) -> list[str]:
    return [f.text for f in message.findings if f.severity == "error"]


@pytest.mark.parametrize("name", PAXLST_FILES)
def test_every_corpus_paxlst_parses_without_error(name: str) -> None:
    messages = read_messages(corpus_bytes(name))
    assert messages
    for message in messages:
        assert message.type == "PAXLST"
        assert errors(message) == []
        assert message.flights, "every corpus list names its flight"
        assert message.travellers


def test_flight1_passenger_list_d02b_without_una() -> None:
    message = one(corpus_bytes("gtas/flight1.txt"))
    assert (message.version, message.list_type, message.action) == ("D02B", "passenger", "original")
    assert (message.sender, message.recipient) == ("LUFTHANSA", "HDQCH2X")
    assert message.sent_at == datetime(2020, 1, 30, 3, 0)
    (leg,) = message.flights
    assert (leg.carrier, leg.number) == ("LA", "532")
    assert (leg.departure.airport, leg.departure.time) == ("SCL", datetime(2020, 1, 19, 23, 0))
    assert (leg.arrival.airport, leg.arrival.time) == ("JFK", datetime(2020, 1, 20, 7, 40))
    assert len(message.travellers) == 10
    jiang, capone = message.travellers[:2]
    assert (jiang.surname, jiang.given_names, jiang.sex) == ("JIANG", "HSIUYUAN", "F")
    assert jiang.birth_date == date(1967, 6, 3)
    assert (jiang.nationality, jiang.residence) == ("CHN", "CHN")
    assert (jiang.embarkation, jiang.disembarkation) == ("SVO", "IAD")
    assert (jiang.seat, jiang.booking_ref) == ("056F", "7F5F21")
    assert [(d.type, d.number, d.issuing_state, d.expiry) for d in jiang.documents] == [
        (None, "433419360", "CHN", date(2023, 9, 20)),
        ("V", "57131424", "USA", date(2021, 7, 29)),
    ]
    assert jiang.bags is not None and (jiang.bags.count, jiang.bags.weight) == (1, 13.0)
    assert (capone.given_names, capone.first_name, capone.middle_names) == (
        "LISA ALVINA",
        "LISA",
        "ALVINA",
    )
    assert [d.number for d in capone.documents] == ["907316631"]
    # DOC++433419360: the missing type is a finding, not an error.
    assert any("travel document has no type" in f.text for f in message.findings)


def test_flight2_another_flight_and_other_travellers() -> None:
    message = one(corpus_bytes("gtas/flight2.txt"))
    (leg,) = message.flights
    assert (leg.carrier, leg.number, leg.departure.airport, leg.arrival.airport) == (
        "FI",
        "615",
        "KEF",
        "JFK",
    )
    first = message.travellers[0]
    assert (first.surname, first.given_names, first.birth_date) == (
        "WATERFIELD",
        "RHYS THOMAS",
        date(1953, 12, 24),
    )
    assert [(d.type, d.number) for d in first.documents] == [
        (None, "482606407"),
        ("K", "48302004"),
    ]


def test_crew_list_test1() -> None:
    message = one(corpus_bytes("gtas/Test1.txt"))
    assert (message.list_type, message.action) == ("crew", "original")  # BGM+250+C
    assert message.reporting_party == "CREW SCHEDULING"
    (leg,) = message.flights
    assert (leg.carrier, leg.number, leg.departure.airport, leg.arrival.airport) == (
        "UA",
        "0989",
        "FRA",
        "IAD",
    )
    assert leg.departure.time == datetime(2017, 1, 27, 17, 25)
    assert [t.surname for t in message.travellers] == [
        "Steur",
        "Adomat",
        "Nalek",
        "Meissener",
        "Pelzing",
        "Merfort",
        "Sautter",
        "Zschieschak",
    ]
    steur = message.travellers[0]
    assert steur.role == "crew"
    assert (steur.given_names, steur.sex, steur.birth_date) == ("Andrea Pat", "F", date(1978, 7, 6))
    assert (steur.birth_place, steur.clearance) == ("Hartford USA", "IAD")
    (passport,) = steur.documents
    assert (passport.type, passport.number, passport.issuing_state) == ("P", "123456789", "GBR")
    # CNT+41+8 (count as its own element) equals the 8 crew members: no mismatch.
    assert message.control_count == 8
    assert not any("control total says" in f.text for f in message.findings)


def test_crew_list_ediclean_f_with_pilot_licence_and_address() -> None:
    message = one(corpus_bytes("ediclean/F.txt"))
    assert message.list_type == "crew"
    (keti,) = message.travellers
    assert (keti.surname, keti.given_names, keti.sex) == ("KETI", "OZCAN", "M")
    assert keti.birth_place == "BAKIRKOY"
    assert keti.address is not None
    assert keti.address.street == "ADNAN KAHVECI MAH ULUDAG CAD ALT"
    assert keti.address.country == "ABC"
    assert [(d.type, d.number, d.expiry) for d in keti.documents] == [
        ("P", "S20624269", date(2024, 10, 15)),
        ("L", "6713", date(2036, 1, 1)),
    ]
    assert any("7 crew members but the message lists 1" in f.text for f in message.findings)


def test_change_list_test3_one_line_47kb() -> None:
    message = one(corpus_bytes("gtas/Test3.txt"))
    assert (message.list_type, message.action) == ("passenger", "change")  # BGM+745+C
    assert (message.sequence, message.is_last_part) == ("01", False)  # UNH ...+01:C
    assert len(message.travellers) == 260
    assert (message.travellers[0].surname, message.travellers[-1].surname) == (
        "Kuchel",
        "Pfaffelhuber",
    )
    assert message.travellers[0].documents[0].number == "12345678"


def test_two_legs_with_loc_92_pairs() -> None:
    message = one(corpus_bytes("gtas/apisMessage.txt"))
    assert [
        (f.carrier, f.number, f.departure.airport, f.arrival.airport) for f in message.flights
    ] == [("AA", "123", "ATL", "ORD"), ("AA", "124", "ORD", "JFK")]
    assert message.flights[1].arrival.time == datetime(2007, 2, 19, 19, 55)
    assert message.transaction_ref == "AJYTR1070219"
    michael = message.travellers[0]
    assert (michael.booking_ref, michael.passenger_ref) == ("TYR123", "ABC123")
    assert (michael.agency_ref, michael.frequent_flyer) == ("1234567890ABC", "20060907NY123")


@pytest.mark.parametrize(
    ("name", "flight", "route", "surname", "document"),
    [
        ("ediclean/A.txt", "A92707", ("VIE", "VIE"), "DJEMFISJER", "3DEJ2ED3E"),
        ("ediclean/B.txt", "B2740", ("VIE", "FRA"), "AERWDEDE", "FER342423"),
        ("ediclean/D.txt", "FZ708", ("VIE", "FRA"), "ERFADFEFW", "345234643"),
    ],
)
def test_ediclean_messages_read_through_their_transport_envelope(
    name: str, flight: str, route: tuple[str, str], surname: str, document: str
) -> None:
    message = one(corpus_bytes(name))
    (leg,) = message.flights
    assert (
        (leg.carrier or "") + (leg.number or ""),
        leg.departure.airport,
        leg.arrival.airport,
    ) == (
        flight,
        *route,
    )
    (traveller,) = message.travellers
    assert traveller.surname == surname
    assert traveller.documents[0].number == document
    assert any("transport envelope" in f.text for f in message.findings)


def test_ediclean_d_bag_tag_and_count() -> None:
    traveller = one(corpus_bytes("ediclean/D.txt")).travellers[0]
    assert traveller.bags is not None
    assert (traveller.bags.count, traveller.bags.tags) == (1, ["FDERWEG345"])
    assert (traveller.booking_ref, traveller.seat) == ("8YVRAR", "12D")


def test_cancel_message_names_the_travellers_it_removes() -> None:
    message = one((DATA / "cancel.edi").read_bytes())
    assert (message.list_type, message.action) == ("passenger", "cancel")  # BGM+745+XR
    (traveller,) = message.travellers
    assert (traveller.surname, traveller.given_names) == ("N'DIAYE", "AWA MARIE")
    assert traveller.documents[0].expiry == date(2029, 6, 30)
    assert message.findings == []


def test_crew_change_and_split_messages_in_two_groups() -> None:
    first, second, crew = read_messages((DATA / "two-groups.edi").read_bytes())
    assert (first.version, first.sequence, first.is_last_part) == ("D12B", "01", False)
    assert (second.sequence, second.is_last_part) == ("02", True)
    assert (first.group_ref, crew.group_ref) == ("G1", "G2")
    assert (crew.list_type, crew.action) == ("crew", "change")  # BGM+250+CC
    assert crew.travellers[0].crew_function == "CR1"
    assert second.travellers[0].birth_date == date(2001, 1, 1)


def test_us_legacy_pdt_format() -> None:
    message = one((DATA / "us-legacy.edi").read_bytes())
    assert message.version == "001.000"
    (leg,) = message.flights
    assert (leg.carrier, leg.number, leg.departure.airport, leg.arrival.airport) == (
        "XQ",
        "731",
        "DKR",
        "JFK",
    )
    ndiaye, smith = message.travellers
    assert (ndiaye.surname, ndiaye.given_names, ndiaye.sex) == ("NDIAYE", "AWA MARIE", "F")
    assert ndiaye.birth_date == date(1988, 2, 14)
    assert [(d.type, d.number, d.issuing_state, d.expiry) for d in ndiaye.documents] == [
        ("P", "A01234567", "SEN", date(2010, 6, 30))
    ]
    assert (smith.middle_names, smith.birth_date) == ("PAUL", date(1970, 1, 1))
    assert message.findings == []


def test_wrong_values_are_findings_not_errors() -> None:
    message = one((DATA / "findings.edi").read_bytes())
    texts = [f.text for f in message.findings]
    assert "CNT+42: control total says 3 passengers but the message lists 1" in texts
    assert "DTM+329: birth date '571331' is not a valid YYMMDD date" in texts
    assert "ATT+2: unknown gender code 'Q'" in texts
    assert "DOC+ZZ: unknown travel document type 'ZZ'" in texts
    assert any("has no birth date" in t for t in texts)
    (finding,) = [f for f in message.findings if f.text.startswith("DTM+329")]
    assert (finding.segment, finding.line) == (11, 12)  # UNA is not a segment
    (traveller,) = message.travellers
    assert traveller.birth_date is None
    assert traveller.documents[0].number == "D3333333"


def test_to_json_keeps_the_schema_keys_and_formats() -> None:
    document = to_json(one(corpus_bytes("gtas/flight1.txt")))
    assert document["sent_at"] == "2020-01-30T03:00:00"
    assert document["flights"][0]["departure"] == {"airport": "SCL", "time": "2020-01-19T23:00:00"}
    traveller = document["travellers"][0]
    assert traveller["birth_date"] == "1967-06-03"
    assert traveller["documents"][0] == {
        "type": None,
        "number": "433419360",
        "issuing_state": "CHN",
        "expiry": "2023-09-20",
    }


def test_icao_airport_code_is_a_finding_and_whole_list_count_says_no_split() -> None:
    from targeting.ingestion.reader import read_messages

    body = (
        b"UNA:+.? 'UNB+UNOA:4+KP+TG+261125:0600+9'UNH+1+PAXLST:D:05B:UN:IATA+X+01:F'BGM+745'"
        b"TDT+20+KP051+++KP'LOC+125+GMMN'DTM+189:2611251030:201'LOC+87+LFW'"
        b"DTM+232:2611251145:201'NAD+FL+++DOE:JOHN'CNT+42:2'UNT+9+1'UNZ+1+9'"
    )
    message = read_messages(body)[0]
    texts = [f.text for f in message.findings]
    assert any("'GMMN' is not a three-letter IATA code" in t for t in texts)
    count = next(t for t in texts if "control total" in t)
    assert "split list" not in count
