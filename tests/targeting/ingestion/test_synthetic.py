"""The synthetic traffic generator: its messages read back with read_messages as it says they do."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from functools import cache
from io import StringIO
from itertools import pairwise
from pathlib import Path

import pytest
from django.core.management import call_command

from targeting.ingestion.edifact import EdifactError
from targeting.ingestion.reader import read_messages
from targeting.ingestion.records import ParsedMessage
from targeting.ingestion.synthetic import (
    FlightPlan,
    GeneratedMessage,
    generate_day,
    luhn_digit,
    mrz_name,
    plan_day,
)

DAY = date(2026, 11, 25)
SEED = 3  # this day holds N'GUESSAN, O'BRIEN, D'ALMEIDA, ALEKSANDR and YASIR

# What read_messages reports for each readable fault, by message type (a finding's text).
EXPECTED_FINDINGS = {
    ("PAXLST", "wrong_count"): "control total says",
    ("PNRGOV", "wrong_count"): "EQN counts",
    ("PAXLST", "wrong_segment_count"): "message counts",
    ("PNRGOV", "wrong_segment_count"): "message counts",
    ("PAXLST", "missing_birth_date"): "has no birth date (DTM+329)",
    ("PAXLST", "unknown_document_type"): "unknown travel document type 'ZZ'",
}


@cache
def clean_day() -> tuple[GeneratedMessage, ...]:
    return tuple(generate_day("LFW", DAY, 12, SEED, 0.0))


@cache
def parsed(name: str) -> ParsedMessage:
    message = next(m for m in clean_day() if m.name == name)
    (result,) = read_messages(message.body)
    return result


@cache
def plans() -> dict[str, FlightPlan]:
    return {plan.key: plan for plan in plan_day("LFW", DAY, 12, SEED)}


def test_every_clean_message_reads_without_error_or_warning() -> None:
    for message in clean_day():
        assert message.kind in ("PAXLST", "PNRGOV")
        result = parsed(message.name)
        assert result.type == message.kind
        serious = [f.text for f in result.findings if f.severity != "info"]
        assert serious == [], message.name


def test_each_message_holds_the_travellers_and_reservations_it_announces() -> None:
    for message in clean_day():
        result = parsed(message.name)
        if message.kind == "PAXLST":
            assert len(result.travellers) == message.travellers, message.name
        else:
            active = [r for r in result.reservations if not r.is_cancelled]
            assert len(result.reservations) == message.reservations, message.name
            assert sum(len(r.travellers) for r in active) == message.travellers, message.name


def test_api_lists_of_a_flight_leave_exactly_its_boarded_passengers() -> None:
    lists: dict[str, dict[str, ParsedMessage]] = defaultdict(dict)
    for message in clean_day():
        if message.kind == "PAXLST":
            lists[message.flight][message.label] = parsed(message.name)
    assert set(lists) == set(plans())
    for key, plan in plans().items():
        by_label = lists[key]
        original = by_label["API_PAX"]
        assert original.action == "original" and original.list_type == "passenger"
        documents = {t.documents[0].number for t in original.travellers}
        if "API_PAX_XR" in by_label:
            assert by_label["API_PAX_XR"].action == "cancel"
            documents -= {t.documents[0].number for t in by_label["API_PAX_XR"].travellers}
        assert documents == {p.passport.number for p in plan.passengers()}
        crew = by_label["API_CREW"]
        assert crew.list_type == "crew"
        assert len(crew.travellers) == len(plan.crew)
        assert {t.crew_function for t in crew.travellers} >= {"CR1", "CR2"}
        if "API_PAX_CP" in by_label:
            assert by_label["API_PAX_CP"].action == "change"


def test_a_progressive_flight_is_listed_leg_by_leg() -> None:
    through = next(
        m for m in clean_day() if m.label == "API_PAX" and m.flight.split("/")[-1].count("-") == 2
    )
    legs = parsed(through.name).flights
    route = through.flight.split("/")[-1].split("-")
    assert [(leg.departure.airport, leg.arrival.airport) for leg in legs] == list(pairwise(route))
    assert all(leg.departure.time and leg.arrival.time for leg in legs)


def test_pnr_pushes_come_at_t72_t24_and_t0_of_the_same_flight() -> None:
    pushes: dict[str, list[GeneratedMessage]] = defaultdict(list)
    for message in clean_day():
        if message.kind == "PNRGOV":
            pushes[message.flight].append(message)
    for key, messages in pushes.items():
        labels = [m.label for m in messages]
        assert labels[0] == "PNR_T-72" and labels[-1] == "PNR_T-0", key
        departure = plans()[key].departure_utc
        assert round((departure - messages[0].sent_at).total_seconds() / 3600) == 72
        assert messages == sorted(messages, key=lambda m: m.sent_at)


def test_the_same_seed_gives_the_same_bytes_and_another_seed_others() -> None:
    again = generate_day("LFW", DAY, 12, SEED, 0.0)
    assert [(m.name, m.body) for m in again] == [(m.name, m.body) for m in clean_day()]
    other = generate_day("LFW", DAY, 12, SEED + 1, 0.0)
    assert [m.body for m in other] != [m.body for m in clean_day()]


def test_names_keep_their_apostrophe_through_the_release_character() -> None:
    apostrophes = set()
    for message in clean_day():
        result = parsed(message.name)
        surnames = [t.surname for t in result.travellers] + [
            t.surname for r in result.reservations for t in r.travellers
        ]
        for surname in surnames:
            if surname and "'" in surname:
                apostrophes.add(surname)
    assert {"N'GUESSAN", "O'BRIEN", "D'ALMEIDA"} <= apostrophes
    released = b"".join(m.body for m in clean_day())
    assert re.search(rb"[?!]'(GUESSAN|BRIEN|ALMEIDA)", released)


def test_names_from_many_scripts_are_written_as_the_mrz_writes_them() -> None:
    assert mrz_name("Юлия") == "IULIIA"
    assert mrz_name("Дмитрий Соколов") == "DMITRII SOKOLOV"
    assert mrz_name("Ó Súilleabháin") == "O SUILLEABHAIN"
    assert mrz_name("Çağr\u0131 Öztürk") == "CAGRI OZTURK"  # Turkish dotless i
    assert mrz_name("Tèmítọ́pẹ́ Ọyèláràn") == "TEMITOPE OYELARAN"
    assert mrz_name("Jean-Pierre") == "JEAN PIERRE"
    assert mrz_name("N'Diaye", keep_apostrophe=False) == "NDIAYE"
    surnames = {
        t.surname for m in clean_day() for t in parsed(m.name).travellers if m.kind == "PAXLST"
    }
    assert all(s and re.fullmatch(r"[A-Z' ]+", s) for s in surnames)


def test_pnrs_keep_native_script_names_in_free_text() -> None:
    native = []
    for message in clean_day():
        if b"UNB+UNOW" in message.body[:40]:
            for reservation in parsed(message.name).reservations:
                native += [t for t in reservation.free_text if not t.isascii()]
    assert native
    scripts = "".join(native)
    assert re.search(
        r"[\u0600-\u06ff\u0400-\u04ff\u4e00-\u9fff\u0900-\u097f\u1200-\u137f]", scripts
    )


def test_api_and_pnr_of_a_traveller_share_document_number_and_locator() -> None:
    by_flight: dict[str, dict[str, ParsedMessage]] = defaultdict(dict)
    for message in clean_day():
        if message.label in ("API_PAX", "PNR_T-0"):
            by_flight[message.flight][message.label] = parsed(message.name)
    for key, pair in by_flight.items():
        api_locators = {t.documents[0].number: t.booking_ref for t in pair["API_PAX"].travellers}
        pnr_locators = {
            d.number: (r.record_locator, t.birth_date)
            for r in pair["PNR_T-0"].reservations
            for t in r.travellers
            for d in t.documents
        }
        births = {t.documents[0].number: t.birth_date for t in pair["API_PAX"].travellers}
        assert set(api_locators) <= set(pnr_locators), key
        for number, locator in api_locators.items():
            assert pnr_locators[number] == (locator, births[number]), key


def test_payments_carry_luhn_valid_cards_cash_and_third_party_payers() -> None:
    assert luhn_digit("411111111111111") == "1"
    kinds = set()
    payers = []
    for message in clean_day():
        for reservation in parsed(message.name).reservations:
            for payment in reservation.payments:
                kinds.add(payment.type)
                payers += [payment.payer] if payment.payer else []
    assert {"CC", "CA"} <= kinds
    assert payers
    cards = re.findall(
        rb"FOP\+CC::[^:]*:[A-Z]{2}:(\d{13,19}):", b"".join(m.body for m in clean_day())
    )
    assert cards
    for card in cards:
        assert luhn_digit(card[:-1].decode()) == card[-1:].decode()


@pytest.mark.parametrize("seed", [11, 12])
def test_injected_faults_come_out_as_findings_or_errors(seed: int) -> None:
    messages = generate_day("LFW", DAY, 10, seed, 0.5)
    faulty = [m for m in messages if m.faults]
    assert len({c for m in faulty for c in m.fault_codes}) >= 5
    for message in faulty:
        (code,) = message.fault_codes
        if not message.is_readable:
            with pytest.raises(EdifactError, match=r"truncated|not passenger data"):
                read_messages(message.body)
            continue
        (result,) = read_messages(message.body)
        texts = [f.text for f in result.findings if f.severity == "warning"]
        if code == "unknown_airport":
            # The parser has no airport list: the ICAO code is passed on as written, for the
            # storing side to report as an airport it does not know.
            airports = {p.airport for leg in result.flights for p in (leg.departure, leg.arrival)}
            assert any(a and len(a) == 4 for a in airports), message.name
            continue
        expected = EXPECTED_FINDINGS[(message.kind, code)]
        assert any(expected in text for text in texts), (message.name, texts)


def test_a_truncated_message_is_sent_again_whole() -> None:
    messages = generate_day("LFW", DAY, 10, 12, 0.5)
    for message in messages:
        if "truncated" in message.fault_codes:
            resent = next(
                m
                for m in messages
                if m.flight == message.flight and m.label == f"{message.label}_RESENT"
            )
            assert resent.sent_at > message.sent_at and not resent.faults
            assert read_messages(resent.body)


def test_docs_given_names_ending_like_a_title_survive() -> None:
    given = set()
    for message in clean_day():
        for reservation in parsed(message.name).reservations:
            for traveller in reservation.travellers:
                given |= {d.given_names for d in traveller.documents}
    assert "YASIR" in given and "ALEKSANDR" in given


def test_make_messages_writes_files_that_sort_in_arrival_order(tmp_path: Path) -> None:
    out = StringIO()
    call_command(
        "make_messages",
        "--airport=LFW",
        "--date=2026-11-25",
        "--flights=3",
        "--seed=4",
        "--faults=0",
        f"--out={tmp_path}",
        stdout=out,
    )
    expected = generate_day("LFW", DAY, 3, 4, 0.0)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == [m.name for m in expected]
    assert [(tmp_path / m.name).read_bytes() for m in expected] == [m.body for m in expected]
    assert re.match(r"20261\d{3}T\d{4}_[A-Z0-9]{2}\d{3}_[A-Z]{3}-[A-Z]{3}", files[0])
    summary = out.getvalue()
    assert f"{len(expected)} messages for 3 flights at LFW on 2026-11-25" in summary
    assert "faults injected: none" in summary
