"""The PNRGOV parser on the corpus and on messages of our own (targeting.ingestion.pnrgov)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from targeting.ingestion.pnrgov import card_hash, mask_card_numbers
from targeting.ingestion.reader import ReadOptions, read_messages
from targeting.ingestion.records import ParsedMessage, Reservation

REPO = Path(__file__).resolve().parents[3]
# The shared corpus sits next to the repository: <repo>/../shared/corpus.
CORPUS = (REPO / ".." / "shared" / "corpus").resolve()
OWN = REPO / "tests" / "data" / "pnrgov"
KEY = b"test key for card hashes"

PNRGOV_FILES = [
    "2_pnrs_basic.edi",
    "3_pnrs.edi",
    "adult_and_infant.edi",
    "bigMessagePnr.txt",
    "bigbigPnr.txt",
    "infant.edi",
    "modifyPnr77ForCodeShare.txt",
    "multiple_flight_leg_pnr.txt",
    "no_pnr_history.edi",
    "pnr1.txt",
    "pnr2.txt",
    "pnr3.txt",
    "pnr4.txt",
    "pnrAddressPhoneCTCM.txt",
    "pnrBadFormat.txt",
    "pnrEdge.txt",
    "pnrMessage.txt",
    "pnrMessageExample.txt",
    "pnrMessagePg75.txt",
    "pnrMessagePg76.txt",
    "pnrMessagePg77.txt",
    "pnrNoOrgMsg.txt",
    "pnrPhoneCTCM.txt",
    "pnrPhoneCTC_M.txt",
    "pnrSeatFormats.txt",
    "pnrWithBags.txt",
    "pnrWithPrefixesAndBookingDetailBags.txt",
]


def gtas(name: str) -> Path:
    """A corpus file; skipped when the corpus is absent, a failure in CI (CI=true)."""
    if not CORPUS.is_dir():
        reason = f"sample corpus not found at {CORPUS} (expected <repo>/../shared/corpus)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return CORPUS / "gtas" / name


def push(path: Path, key: bytes = KEY) -> ParsedMessage:
    (message,) = read_messages(path.read_bytes(), options=ReadOptions(card_key=key))
    assert message.type == "PNRGOV"
    return message


def by_locator(message: ParsedMessage) -> dict[str | None, Reservation]:
    return {r.record_locator: r for r in message.reservations}


def names(reservation: Reservation) -> list[tuple[str | None, str | None]]:
    return [(t.surname, t.given_names) for t in reservation.travellers]


def texts(message: ParsedMessage) -> str:
    return "\n".join(f.text for f in message.findings)


# ---------------------------------------------------------------------------------------------
# Every corpus file


def test_the_list_covers_every_pnrgov_file_of_the_corpus() -> None:
    folder = gtas("2_pnrs_basic.edi").parent
    found = sorted(p.name for p in folder.iterdir() if b"PNRGOV" in p.read_bytes())
    assert found == sorted(PNRGOV_FILES)


@pytest.mark.parametrize("name", PNRGOV_FILES)
def test_every_corpus_pnrgov_file_parses_into_reservations(name: str) -> None:
    message = push(gtas(name))
    assert message.version in ("10.1", "11.1", "13.1")
    assert [f for f in message.findings if f.severity == "error"] == []
    assert message.flights and message.flights[0].carrier and message.flights[0].number
    assert message.reservations
    for reservation in message.reservations:
        assert reservation.record_locator
        assert reservation.travellers


@pytest.mark.parametrize(
    ("name", "count"),
    [("2_pnrs_basic.edi", 2), ("3_pnrs.edi", 3), ("bigbigPnr.txt", 47), ("pnrWithBags.txt", 127)],
)
def test_every_pnr_of_a_push_is_read(name: str, count: int) -> None:
    message = push(gtas(name))
    assert len(message.reservations) == count
    assert len({r.record_locator for r in message.reservations}) == count


def test_manage_py_parse_prints_the_schema_for_every_corpus_pnrgov_file() -> None:
    paths = [str(gtas(name)) for name in PNRGOV_FILES]
    done = subprocess.run(
        [sys.executable, "manage.py", "parse", *paths],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    documents = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    assert [d["file"] for d in documents] == paths
    reservation_keys = {
        "record_locator",
        "booked_at",
        "ticketed_at",
        "agency",
        "travellers",
        "itinerary",
        "contacts",
        "payments",
        "bags",
        "seats",
        "frequent_flyer",
    }
    for document in documents:
        (message,) = document["messages"]
        assert message["type"] == "PNRGOV"
        assert set(message) == {
            "type",
            "version",
            "sender",
            "recipient",
            "interchange_ref",
            "message_ref",
            "sent_at",
            "findings",
            "flights",
            "reservations",
        }
        for reservation in message["reservations"]:
            assert set(reservation) == reservation_keys
            assert set(reservation["contacts"]) == {"phones", "emails", "addresses"}
            for traveller in reservation["travellers"]:
                assert set(traveller) == {
                    "surname",
                    "given_names",
                    "birth_date",
                    "sex",
                    "documents",
                }
            for leg in reservation["itinerary"]:
                assert set(leg) == {"carrier", "number", "from", "to", "departure", "arrival"}
            for payment in reservation["payments"]:
                assert set(payment) == {"type", "card_last4"}


# ---------------------------------------------------------------------------------------------
# Values read from the corpus files


def test_two_pnrs_basic_reads_names_legs_contacts_seats_and_cards() -> None:
    message = push(gtas("2_pnrs_basic.edi"))
    assert message.message_function == "22"
    (flight,) = message.flights
    assert (flight.carrier, flight.number, flight.departure.airport) == ("DL", "324", "LHR")
    assert flight.departure.time == datetime(2010, 12, 12, 9, 15)
    first, second = message.reservations
    assert first.record_locator == "MFN4TI"
    assert (first.agency, first.office) == ("52519950", "LON")
    assert first.ticketed_at == datetime(2010, 12, 6, 12, 0)
    # Titles glued to given names (JOHNMR) are removed.
    assert names(first) == [("SMITHJR", "JOHN"), ("JONES", "WILLIAM")]
    smith = first.travellers[0]
    assert (smith.birth_date, smith.sex) == (date(1964, 7, 12), "M")
    (passport,) = smith.documents
    assert (passport.type, passport.number, passport.issuing_state) == ("P", "123456789", "GBR")
    assert passport.expiry == date(2019, 8, 23)
    # The DOCS surname was wrapped over two lines (SMITHJ / R).
    assert passport.surname == "SMITHJR"
    assert [
        (leg.carrier, leg.number, leg.from_airport, leg.to_airport) for leg in first.itinerary
    ] == [
        ("DL", "324", "LHR", "JFK"),
        ("DL", "330", "JFK", "YVR"),
    ]
    assert first.itinerary[0].arrival == datetime(2010, 12, 12, 12, 30)
    assert "00441753637285" in first.contacts.phones
    assert first.contacts.addresses[0].city == "SLOUGH"
    assert [(s.number, s.traveller_ref, s.from_airport) for s in first.seats] == [
        ("15A", "1", "LHR"),
        ("15B", "2", "LHR"),
        ("15E", "1", "JFK"),
        ("15F", "2", "JFK"),
    ]
    assert [(f.carrier, f.number, f.tier) for f in first.frequent_flyer] == [
        ("DL", "1234567890", "ELITE"),
        ("AF", "0093789865", "ELITE"),
    ]
    assert [p.card_last4 for p in first.payments] == ["1186", "1186"]
    assert [p.card_last4 for p in second.payments] == ["1186", "3578"]
    assert second.record_locator == "23456"
    # The seat given at check-in (SSD 15A) replaces the one requested (SSR SEAT 17B).
    cooper_seat = next(s for s in second.seats if s.traveller_ref == "2" and s.to_airport == "JFK")
    assert cooper_seat.number == "15A"


def test_single_line_message_reads_like_the_same_message_on_many_lines() -> None:
    one_line = push(gtas("pnrMessage.txt")).reservations[0]
    many_lines = push(gtas("2_pnrs_basic.edi")).reservations[0]
    assert names(one_line) == names(many_lines)
    assert one_line.contacts.phones == many_lines.contacts.phones
    assert [s.number for s in one_line.seats] == [s.number for s in many_lines.seats]


def test_three_pnrs_reads_infant_address_and_group() -> None:
    message = push(gtas("3_pnrs.edi"))
    pnrs = by_locator(message)
    assert set(pnrs) == {"W9TEND", "D1RGHI", "GBFKSK"}
    kevin = pnrs["W9TEND"]
    assert kevin.booked_at == datetime(2013, 5, 23, 18, 13, 48, tzinfo=UTC)
    assert set(kevin.contacts.phones) == {"5555555555", "15555555555"}
    family = pnrs["D1RGHI"]
    assert names(family) == [("DYE", "DOLAN"), ("DYE", "KAYLA"), ("DYE", "ARCHER")]
    archer = family.travellers[2]
    assert archer.is_infant and archer.birth_date == date(2012, 4, 15) and archer.sex == "M"
    assert family.travellers[1].given_names == "KAYLA"  # KAYLAMS: title MS removed
    assert any(a.city == "BROADBEACH" and a.purpose == "D" for a in family.contacts.addresses)
    assert [(leg.carrier, leg.number) for leg in family.itinerary] == [
        ("BA", "0011"),
        ("TZ", "0006"),
        ("TZ", "0005"),
        ("BA", "0012"),
    ]
    assert {(s.number, s.traveller_ref) for s in family.seats} == {
        ("54A", "43577"),
        ("54B", "43578"),
    }
    group = pnrs["GBFKSK"]
    # TIF+ACME TEAM PARTY:G names the group, not a traveller.
    assert len(group.travellers) == 9
    assert "ACME TEAM PARTY" not in {t.surname for t in group.travellers}


def test_infant_edi_backslash_release_and_curly_terminator() -> None:
    message = push(gtas("infant.edi"))
    (pnr,) = message.reservations
    assert pnr.record_locator == "3PGZOV"
    assert pnr.booked_at == datetime(2013, 3, 19, 13, 54, tzinfo=UTC)
    mother, infant = pnr.travellers
    assert (mother.surname, mother.given_names, mother.birth_date) == (
        "BELT",
        "ISABELLE",
        date(1978, 7, 1),
    )
    assert (infant.given_names, infant.is_infant, infant.birth_date) == (
        "SOPHY",
        True,
        date(2012, 9, 20),
    )
    assert [d.number for d in infant.documents] == ["512731999"]
    assert [d.number for d in mother.documents] == ["509229987"]
    assert [(f.carrier, f.number) for f in pnr.frequent_flyer] == [("SQ", "8794285757")]
    (bags,) = pnr.bags
    assert (bags.count, bags.weight, bags.unit, bags.traveller_ref) == (3, 33.0, "KG", "2")
    assert bags.tags[0] == "0123456789"
    assert {s.number for s in pnr.seats} == {"11D"}
    # The released colon of "14\:30" survives as text.
    assert any("14:30" in text for text in pnr.free_text)


def test_adult_and_infant_gives_the_infant_its_own_documents() -> None:
    (pnr,) = push(gtas("adult_and_infant.edi")).reservations
    adult, infant = pnr.travellers
    assert (adult.surname, adult.given_names, adult.sex) == ("TESTSURNAMEONE", "TESTNAMEONE", "F")
    assert [d.number for d in adult.documents] == ["52263000"]
    assert (infant.surname, infant.is_infant, infant.birth_date) == (
        "TESTSURNAMETWO",
        True,
        date(2011, 8, 10),
    )
    assert [d.number for d in infant.documents] == ["AO234000"]
    assert len(pnr.itinerary) == 3


def test_codeshare_marketing_and_operating_carriers() -> None:
    message = push(gtas("modifyPnr77ForCodeShare.txt"))
    legs = message.reservations[0].itinerary
    sq = next(leg for leg in legs if leg.number == "5678")
    # TVL el4 SQ:SK, then TRA+SK+1524 gives the operating flight (newer versions).
    assert (sq.marketing_carrier, sq.operating_carrier, sq.operating_number) == ("SQ", "SK", "1524")
    dl = next(leg for leg in legs if leg.number == "8976")
    # TVL el4 DL:KL, then TVL+++++972 gives the operating flight number (older versions).
    assert (dl.marketing_carrier, dl.operating_carrier, dl.operating_number) == ("DL", "KL", "972")
    own = next(leg for leg in legs if leg.number == "0006")
    assert (own.operating_carrier, own.operating_number) == ("TZ", "0006")
    # TVL+310513:0900:310513:4321: the arrival time is read as missing, with a finding.
    assert next(leg for leg in legs if leg.number == "0002").arrival is None
    assert "arrival time '4321' is not a valid HHMM time" in texts(message)


def test_multiple_legs_bags_emails_and_codeshare() -> None:
    (pnr,) = push(gtas("multiple_flight_leg_pnr.txt")).reservations
    assert pnr.record_locator == "80F4E3"
    # RCI+UA:80F4E3:110318:2220 leaves out the control type; the date is still found.
    assert pnr.booked_at == datetime(2018, 3, 11, 22, 20, tzinfo=UTC)
    assert [(leg.from_airport, leg.to_airport) for leg in pnr.itinerary] == [
        ("IAD", "FRA"),
        ("FRA", "KWI"),
        ("KWI", "FRA"),
        ("FRA", "IAD"),
    ]
    fra_kwi = pnr.itinerary[1]
    assert (fra_kwi.carrier, fra_kwi.operating_carrier, fra_kwi.operating_number) == (
        "UA",
        "LH",
        "624",
    )
    assert pnr.contacts.emails == ["stacy_chennapragada@gmail.com", "peter.nuttall@yahoo.com"]
    first_bag = pnr.bags[0]
    assert (first_bag.count, first_bag.weight, first_bag.unit) == (1, 37.0, "LB")
    assert (first_bag.tags, first_bag.traveller_ref, first_bag.destination) == (
        ["0683"],
        "1",
        "KWI",
    )
    assert {(s.number, s.traveller_ref) for s in pnr.seats} == {("26K", "1"), ("43E", "2")}


def test_booking_detail_bags_and_name_prefixes() -> None:
    (pnr,) = push(gtas("pnrWithPrefixesAndBookingDetailBags.txt")).reservations
    assert names(pnr) == [("ADONAY", "YORDA"), ("PETROS", "FNAN")]
    assert [(b.traveller_ref, b.count, b.weight) for b in pnr.bags] == [
        ("1", 1, 40.0),
        ("2", 1, 33.0),
        ("1", 1, 40.0),
        ("2", 1, 33.0),
    ]
    assert [p.card_last4 for p in pnr.payments] == ["6126", "9338"]
    assert {(s.number, s.traveller_ref) for s in pnr.seats} == {("8A", "1"), ("6C", "2")}


def test_bags_of_a_big_push() -> None:
    message = push(gtas("pnrWithBags.txt"))
    bags = [b for r in message.reservations for b in r.bags]
    assert len(bags) > 127
    assert all(b.unit == "LB" for b in bags)


@pytest.mark.parametrize(
    ("name", "phone"),
    [
        ("pnrPhoneCTCM.txt", "123456789"),
        ("pnrPhoneCTC_M.txt", "123456789"),
        ("pnrAddressPhoneCTCM.txt", "5432109876"),
    ],
)
def test_phones_in_osi_text_and_in_address_free_text(name: str, phone: str) -> None:
    (pnr,) = push(gtas(name)).reservations
    assert phone in pnr.contacts.phones
    assert "8675309" in pnr.contacts.phones
    assert pnr.contacts.addresses[0].street is not None
    # CTCE MOLLY..LOxx?+50BB//GMAIL.COM: released +, `..` is _, `//` is @.
    assert pnr.contacts.emails[0].startswith("molly_lo") and pnr.contacts.emails[0].endswith(
        "+50bb@gmail.com"
    )


def test_seat_formats() -> None:
    (pnr,) = push(gtas("pnrSeatFormats.txt")).reservations
    assert {(s.number, s.from_airport, s.to_airport) for s in pnr.seats} == {
        ("36K", "FRA", "IAD"),
        ("74E", "SFO", "IAD"),
    }


def test_missing_org_is_a_finding_not_a_rejection() -> None:
    message = push(gtas("pnrNoOrgMsg.txt"))
    assert "no ORG segment at message level" in texts(message)
    assert "no MSG segment" in texts(message)
    assert message.reservations[0].agency == "70379193"


def test_empty_booking_org_is_a_finding() -> None:
    message = push(gtas("bigbigPnr.txt"))
    without_agency = [r for r in message.reservations if r.agency is None]
    assert len(without_agency) == 46
    assert "ORG is empty, the booking agency is not stated" in texts(message)


def test_bad_formatting_at_the_end_still_parses() -> None:
    message = push(gtas("pnrBadFormat.txt"))
    (pnr,) = message.reservations
    assert pnr.record_locator == "35K2IO"
    assert names(pnr) == [("DORON", "NINA"), ("LENDROT", "CHARLOTTE")]
    assert (pnr.travellers[0].birth_date, pnr.travellers[0].sex) == (date(1953, 2, 5), "F")


def test_pnr_without_history_and_other_systems_locators() -> None:
    message = push(gtas("no_pnr_history.edi"))
    pnrs = by_locator(message)
    assert set(pnrs) == {"3MZVP2", "33O6DK", "35K2IO"}
    jacks = pnrs["3MZVP2"]
    leg = jacks.itinerary[0]
    assert (leg.carrier, leg.number, leg.operating_carrier, leg.operating_number) == (
        "AC",
        "9099",
        "LH",
        "474",
    )
    assert [(r.carrier, r.text) for r in jacks.service_requests if r.code == "RCI"] == [
        ("AC", "P46KA5")
    ]


def test_masked_american_express_keeps_its_last_four() -> None:
    message = push(gtas("pnrMessageExample.txt"))
    assert [p.card_last4 for p in message.reservations[0].payments] == [
        "9581",
        "2826",
        "4649",
        None,
        "8193",
    ]


# ---------------------------------------------------------------------------------------------
# Our own messages: cards, SSRs the corpus lacks, update pushes, other separators


def test_no_card_number_survives_anywhere_in_the_parsed_result() -> None:
    message = push(OWN / "cards-and-ssrs.edi")
    dumped = json.dumps(asdict(message), default=str)
    for number in ("4111111111111111", "4111 1111 1111 1111", "5555555555554444"):
        assert number not in dumped
    assert "411111" not in dumped.replace(" ", "")
    assert [p.card_last4 for r in message.reservations for p in r.payments] == [
        "1111",
        "1111",
        "4444",
    ]
    first = message.reservations[0]
    assert "PAX SAYS CARD XXXXXXXXXXXX1111 ON FILE" in first.free_text


def test_same_card_links_two_reservations_and_a_new_key_changes_the_hash() -> None:
    message = push(OWN / "cards-and-ssrs.edi")
    awa, moussa, fatou = (r.payments[0].card_hash for r in message.reservations)
    assert awa is not None and len(awa) == 64
    assert awa == moussa  # same card, written with and without spaces
    assert awa != fatou
    other = push(OWN / "cards-and-ssrs.edi", key=b"another key")
    assert other.reservations[0].payments[0].card_hash not in (awa, None)


def test_masked_cards_link_only_when_vendor_and_expiry_agree() -> None:
    first, second = push(gtas("2_pnrs_basic.edi")).reservations
    assert (
        first.payments[0].card_hash == first.payments[1].card_hash == second.payments[0].card_hash
    )
    assert second.payments[1].card_hash != first.payments[0].card_hash
    masked = card_hash("XXXXXXXX1186", KEY, vendor="VI", expiry="0211")
    assert masked != card_hash("XXXXXXXX1186", KEY, vendor="VI", expiry="0312")


def test_without_a_key_no_hash_is_made() -> None:
    message = push(OWN / "cards-and-ssrs.edi", key=b"")
    assert all(p.card_hash is None for r in message.reservations for p in r.payments)
    assert "no card hash key given" in texts(message)


def test_mask_card_numbers_leaves_phones_and_tickets_alone() -> None:
    assert mask_card_numbers("CC 4111-1111-1111-1111 EXP") == "CC XXXXXXXXXXXX1111 EXP"
    assert mask_card_numbers("CTCH 00441753637285") == "CTCH 00441753637285"
    # Not a valid Luhn number: not a card.
    assert mask_card_numbers("TKT 0062120234533") == "TKT 0062120234533"


def test_ssr_docs_doco_doca_fqtv_and_contacts_of_our_own_message() -> None:
    message = push(OWN / "cards-and-ssrs.edi")
    assert message.version == "15.1"
    awa_pnr, moussa_pnr, _ = message.reservations
    (awa,) = awa_pnr.travellers
    assert (awa.surname, awa.given_names, awa.birth_date, awa.sex, awa.nationality) == (
        "NDIAYE",
        "AWA",
        date(1988, 2, 14),
        "F",
        "SEN",
    )
    passport, visa = awa.documents
    assert (passport.given_names, passport.expiry) == ("AWA MARIE", date(2029, 6, 30))
    assert (visa.type, visa.number, visa.issuing_state, visa.issued) == (
        "V",
        "VX998877",
        "MAR",
        date(2025, 1, 1),
    )
    assert [(a.purpose, a.city, a.country) for a in awa.addresses] == [("D", "CASABLANCA", "MAR")]
    assert awa.emails == ["awa_ndiaye@example.sn"] and awa.phones == ["221771234567"]
    # ADD in the guide's 6-component layout: country 5th, postcode 6th.
    address = awa_pnr.contacts.addresses[0]
    assert (address.city, address.country, address.postcode) == ("DAKAR", "SN", "10000")
    assert (awa_pnr.agency, awa_pnr.office) == ("12345675", "DKRXX0123")
    assert [t.number for t in awa_pnr.tickets] == ["1234567890123"]
    assert awa_pnr.tickets[0].issued_at == datetime(2025, 2, 16, 9, 0)
    assert awa_pnr.payments[0].payer == "AWA NDIAYE"
    onward = awa_pnr.itinerary[1]
    assert (onward.carrier, onward.number, onward.operating_carrier, onward.operating_number) == (
        "AT",
        "9812",
        "XQ",
        "812",
    )
    (moussa,) = moussa_pnr.travellers
    assert [(d.type, d.number, d.issuing_state) for d in moussa.documents] == [
        ("P", "B7654321", "SEN")
    ]
    assert "DOCS fields are shifted by 1 place(s)" in texts(message)
    assert [(f.carrier, f.number, f.traveller_ref) for f in moussa_pnr.frequent_flyer] == [
        ("AF", "1234567890", "1")
    ]
    assert moussa_pnr.contacts.emails == ["moussa.diop@example.com"]
    assert "XYZ+1: segment not part of a PNRGOV reservation; ignored" in texts(message)
    assert "date 700 '310225' is not a valid DDMMYY date" in texts(message)


def test_update_push_with_other_separators_cancels_a_pnr() -> None:
    message = push(OWN / "update-other-separators.edi")
    assert message.message_function == "141"
    cancelled, changed = message.reservations
    assert cancelled.record_locator == "K7PQ2Z" and cancelled.is_cancelled
    assert not changed.is_cancelled
    assert names(changed) == [("O'NEIL", "MARY")]
    # Released element separator: 5!*STAR is the text 5*STAR.
    assert any("5*STAR HOTEL" in text for text in changed.free_text)
    assert changed.contacts.phones == ["33142685300"]
