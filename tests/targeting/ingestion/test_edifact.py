"""The EDIFACT tokenizer and the transport-envelope cleaner (targeting.ingestion.edifact)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from targeting.ingestion.edifact import (
    EdifactError,
    Interchange,
    Message,
    Segment,
    Separators,
    expand_year,
    parse_date,
    read_interchanges,
)
from tests.targeting.ingestion.conftest import DATA, corpus_bytes


def only_message(data: bytes) -> tuple[Interchange, Message]:
    (interchange,) = read_interchanges(data)
    (message,) = interchange.messages
    return interchange, message


def segment(message: Message, tag: str, index: int = 0) -> Segment:
    return [s for s in message.segments if s.tag == tag][index]


# --- separators, release, repetition -----------------------------------------------------------


def test_una_with_hash_terminator_and_star_element_separator() -> None:
    data = (
        b"UNA:*.? #UNB*UNOA:4*SDT:ZZ*GOV:ZZ*210827:0031*77#"
        b"UNH*1*PAXLST:D:05B:UN:IATA#BGM*745#NAD*FL***DOE:JOHN+PAUL#UNT*4*1#UNZ*1*77#"
    )
    interchange, message = only_message(data)
    assert interchange.separators.element == "*"
    assert interchange.separators.terminator == "#"
    nad = segment(message, "NAD")
    # '+' is an ordinary character when '*' separates elements.
    assert nad.element(3) == ["DOE", "JOHN+PAUL"]
    assert message.findings == []


def test_release_character_makes_separators_literal() -> None:
    data = (
        b"UNA:+.? 'UNB+UNOA:4+S+R+250301:0530+1'UNH+1+PAXLST:D:05B:UN:IATA'"
        b"NAD+FL+++O?'NEIL:MARY?:ANN?+JO+1??2'UNT+3+1'UNZ+1+1'"
    )
    _, message = only_message(data)
    nad = segment(message, "NAD")
    assert nad.element(3) == ["O'NEIL", "MARY:ANN+JO"]
    assert nad.get(4) == "1?2"


def test_backslash_release_as_declared_in_una() -> None:
    data = (
        b"UNA:+.\\*'UNB+IATA:1+S+R+250301:0530+1'UNH+1+PNRGOV:11:1:IA'"
        b"IFT+4:28+CALL 555\\+1 OR\\: ASK\\'S DESK'UNT+3+1'UNZ+1+1'"
    )
    _, message = only_message(data)
    assert segment(message, "IFT").get(1) == "CALL 555+1 OR: ASK'S DESK"


def test_repetition_separator_splits_repeated_elements() -> None:
    data = (
        b"UNA:+.?*'UNB+UNOA:4+S+R+250301:0530+1'UNH+1+PAXLST:D:12B:UN:IATA'"
        b"COM+111:TE*222:FX+333?*4:EM'UNT+3+1'UNZ+1+1'"
    )
    _, message = only_message(data)
    com = segment(message, "COM")
    assert com.repetitions(0) == [["111", "TE"], ["222", "FX"]]
    assert com.element(0) == ["111", "TE"]
    # A released repetition separator stays in the value.
    assert com.element(1) == ["333*4", "EM"]


def test_no_una_means_level_a_defaults_and_no_repetition() -> None:
    interchange, message = only_message(corpus_bytes("gtas/Test1.txt"))
    assert interchange.separators == Separators()
    # UNB+UNOA:4+APIS*C3K: without UNA, '*' is data, not a repetition separator.
    assert interchange.sender == "APIS*C3K"
    assert message.type == "PAXLST"


# --- envelope ----------------------------------------------------------------------------------


def test_several_groups_and_several_messages_in_one_interchange() -> None:
    (interchange,) = read_interchanges((DATA / "two-groups.edi").read_bytes())
    assert [g.reference for g in interchange.groups] == ["G1", "G2"]
    assert [[m.reference for m in g.messages] for g in interchange.groups] == [
        ["M1", "M2"],
        ["M3"],
    ]
    assert [m.reference for m in interchange.messages] == ["M1", "M2", "M3"]
    assert interchange.findings == []
    assert all(m.findings == [] for m in interchange.messages)


def test_two_interchanges_concatenated_in_one_file() -> None:
    one = b"UNB+UNOA:4+S+R+250301:0530+1'UNH+1+PAXLST:D:05B:UN:IATA'BGM+745'UNT+3+1'UNZ+1+1'\n"
    two = one.replace(b"+1'", b"+2'")
    interchanges = read_interchanges(one + two)
    assert [i.control_ref for i in interchanges] == ["1", "2"]


def test_unt_count_mismatch_is_a_finding_on_the_message() -> None:
    _, message = only_message(corpus_bytes("gtas/flight1.txt"))
    (finding,) = [f for f in message.findings if f.text.startswith("UNT")]
    assert finding.severity == "warning"
    assert "counts 23 segments but holds 181" in finding.text
    assert finding.line == 182


# --- character sets ----------------------------------------------------------------------------


def _named(level: bytes, name: bytes) -> bytes:
    return (
        b"UNA:+.? 'UNB+" + level + b":4+S+R+250301:0530+1'UNH+1+PAXLST:D:05B:UN:IATA'"
        b"NAD+FL+++" + name + b":HANS'UNT+3+1'UNZ+1+1'"
    )


def test_unoc_is_decoded_as_latin_1() -> None:
    interchange, message = only_message(_named(b"UNOC", "MÜLLER".encode("latin-1")))
    assert segment(message, "NAD").get(3) == "MÜLLER"
    assert interchange.findings == []


def test_unoy_is_decoded_as_utf_8() -> None:
    interchange, message = only_message(_named(b"UNOY", "ΠΑΠΑΔΟΠΟΥΛΟΣ".encode()))
    assert segment(message, "NAD").get(3) == "ΠΑΠΑΔΟΠΟΥΛΟΣ"
    assert interchange.findings == []


def test_utf_8_mislabelled_as_unoc_is_read_as_utf_8_with_a_warning() -> None:
    interchange, message = only_message(_named(b"UNOC", "MÜLLER".encode()))
    assert segment(message, "NAD").get(3) == "MÜLLER"
    assert any("UTF-8" in f.text for f in interchange.findings)


# --- positions and errors ----------------------------------------------------------------------


def test_segments_know_their_number_line_and_column() -> None:
    _, message = only_message(corpus_bytes("gtas/Test1.txt"))
    bgm = segment(message, "BGM")
    # One line: UNB is segment 1, UNG 2, UNH 3, BGM 4.
    assert (bgm.number, bgm.line) == (4, 1)
    text = corpus_bytes("gtas/Test1.txt").decode()
    assert text[bgm.column - 1 :].startswith("BGM+250+C'")
    _, flight = only_message(corpus_bytes("gtas/flight1.txt"))
    dtm = segment(flight, "DTM", 2)  # the first DTM+329
    assert (dtm.label, dtm.number, dtm.line, dtm.column) == ("DTM+329", 13, 13, 1)


def test_released_terminators_end_no_segment_and_keep_later_positions() -> None:
    data = (
        b"UNA:+.? 'UNB+UNOA:4+S+R+250301:0530+1'\r\nUNH+1+PAXLST:D:05B:UN:IATA'\r\n"
        b"FTX+AAI+++IT?'S:A??'\r\nFTX+AAI+++O?'?'K'\r\nBGM+745'\r\nUNT+5+1'\r\nUNZ+1+1'\r\n"
    )
    _, message = only_message(data)
    first, second = (s for s in message.segments if s.tag == "FTX")
    # "?'" is a literal quote; "??" a literal "?" whose following "'" ends the segment.
    assert first.element(3) == ["IT'S", "A?"]
    assert second.element(3) == ["O''K"]
    bgm = segment(message, "BGM")
    assert (bgm.number, bgm.line, bgm.column) == (5, 5, 1)
    assert message.findings == []


def test_error_names_segment_line_and_column() -> None:
    data = b"UNB+UNOA:4+S+R+250301:0530+1'\nUNH+1+PAXLST:D:05B:UN:IATA'\n  B#GM+745'\n"
    with pytest.raises(EdifactError) as caught:
        read_interchanges(data)
    error = caught.value
    assert (error.segment, error.line, error.column) == (3, 3, 3)
    assert str(error).startswith("segment 3 (line 3, column 3): 'B#GM' is not a segment tag")


def test_truncated_file_is_refused_naming_segment_and_line() -> None:
    with pytest.raises(EdifactError) as caught:
        read_interchanges(corpus_bytes("bad/truncated.edi"))
    assert (caught.value.segment, caught.value.line) == (11, 12)
    assert "truncated" in str(caught.value)
    assert "DTM+329:9012" in str(caught.value)


# --- tolerance of real-world files -------------------------------------------------------------


def test_ediclean_a_type_b_header_wrapped_lines_and_footer_become_findings() -> None:
    interchange, message = only_message(corpus_bytes("ediclean/A.txt"))
    texts = [f.text for f in interchange.findings]
    assert any("'CICA'" in t and "before the interchange were ignored" in t for t in texts)
    assert any("broken over several lines" in t for t in texts)
    assert any("Email secured by UN Antivirus" in t and "after UNZ" in t for t in texts)
    assert all(f.severity == "warning" for f in interchange.findings)
    # The tag was wrapped between 'U' and 'NH'; the count '4' / '7' over two lines.
    assert message.header.tag == "UNH"
    assert message.reference == "PAX001"
    assert segment(message, "CNT").get(0, 1) == "47"
    assert segment(message, "DTM", 1).get(0, 1) == "2107131200"


def test_ediclean_d_control_characters_and_disclaimer_are_skipped() -> None:
    interchange, message = only_message(corpus_bytes("ediclean/D.txt"))
    assert interchange.separators.element == "-"
    assert segment(message, "COM").element(2) == ["IT.SERVICEDESK@AUSYTUAF.COM", "EM"]
    assert any("Confidentiality Notice" in f.text for f in interchange.findings)


def test_ediclean_b_hash_terminator_and_form_feed() -> None:
    interchange, message = only_message(corpus_bytes("ediclean/B.txt"))
    assert interchange.separators.terminator == "#"
    assert segment(message, "NAD", 1).element(3) == ["AERWDEDE", "FERDE", "H"]
    assert segment(message, "LOC", 4).get(1) == "AUT"  # 'AU' / 'T' wrapped at 64 columns


def test_leading_spaces_on_lines_are_tolerated() -> None:
    interchange, message = only_message(corpus_bytes("gtas/apisMessage.txt"))
    assert interchange.separators.repetition == "*"
    assert [s.tag for s in message.segments[:3]] == ["UNH", "BGM", "RFF"]
    assert message.findings == []


def test_una_text_inside_a_name_is_not_taken_for_a_service_string_advice() -> None:
    data = corpus_bytes("gtas/pnrWithBags.txt")
    assert data.count(b"UNA") >= 1  # the trap is really there
    (interchange,) = read_interchanges(data)
    assert interchange.separators == Separators()
    assert len(interchange.messages) == 1
    assert len(interchange.messages[0].segments) > 8000


def test_typographic_terminator_advertised_in_una_is_repaired() -> None:
    (interchange,) = read_interchanges(corpus_bytes("gtas/infant.edi"))
    assert interchange.separators.release == "\\"
    assert interchange.separators.terminator == "'"
    assert any("\u2019" in f.text for f in interchange.findings)
    assert interchange.messages[0].type == "PNRGOV"


def test_unz_without_terminator_is_accepted_with_a_finding() -> None:
    (interchange,) = read_interchanges(corpus_bytes("gtas/pnrMessagePg76.txt"))
    assert interchange.trailer is not None
    assert any("UNZ has no segment terminator" in f.text for f in interchange.findings)


# --- dates -------------------------------------------------------------------------------------


def test_two_digit_years_pivot_birth_dates_to_the_past_and_expiry_to_the_future() -> None:
    sent = date(2025, 3, 1)
    assert parse_date("880214", reference=sent, pivot="past") == date(1988, 2, 14)
    assert parse_date("240101", reference=sent, pivot="past") == date(2024, 1, 1)
    assert parse_date("260101", reference=sent, pivot="past") == date(1926, 1, 1)
    assert parse_date("610218", reference=sent, pivot="future") == date(2061, 2, 18)
    assert parse_date("571331", reference=sent, pivot="past") is None
    assert expand_year(74, date(2025, 1, 1), "future") == 2074
    assert expand_year(76, date(2025, 1, 1), "future") == 1976


# --- property: serialise then tokenize gives the values back -----------------------------------

_PUNCTUATION = list(":+.?*'#-!|/\\~^@$%&;<>=\"")


@st.composite
def separator_sets(draw: st.DrawFn) -> Separators:
    chars = draw(st.lists(st.sampled_from(_PUNCTUATION), min_size=6, max_size=6, unique=True))
    return Separators(
        component=chars[0],
        element=chars[1],
        decimal=chars[2],
        release=chars[3],
        repetition=chars[4],
        terminator=chars[5],
    )


# Printable text; line breaks and control characters are transport noise the cleaner repairs.
_values = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufeff"),
    max_size=12,
)
_elements = st.lists(st.lists(_values, min_size=1, max_size=4), max_size=5)
_tags = st.text(st.sampled_from("ABCDEFGHIJKLMNOPQRSTVWXYZ"), min_size=3, max_size=3)


def serialise(segments: list[tuple[str, list[list[str]]]], separators: Separators) -> bytes:
    """Write an interchange around `segments`, escaping every service character in values."""
    s = separators
    specials = {s.component, s.element, s.release, s.repetition, s.terminator}

    def escape(value: str) -> str:
        return "".join(f"{s.release}{ch}" if ch in specials else ch for ch in value)

    def write(tag: str, elements: list[list[str]]) -> str:
        parts = [tag] + [s.component.join(escape(c) for c in element) for element in elements]
        return s.element.join(parts) + s.terminator

    una = f"UNA{s.component}{s.element}{s.decimal}{s.release}{s.repetition}{s.terminator}"
    body = [write("UNB", [["UNOY", "4"], ["S"], ["R"], ["250301", "0530"], ["1"]])]
    body.append(write("UNH", [["1"], ["PAXLST", "D", "05B", "UN", "IATA"]]))
    body += [write(tag, elements) for tag, elements in segments]
    body.append(write("UNT", [[str(len(segments) + 2)], ["1"]]))
    body.append(write("UNZ", [["1"], ["1"]]))
    return (una + "\n".join(body)).encode()


@settings(max_examples=200, deadline=None)
@given(
    separators=separator_sets(),
    segments=st.lists(st.tuples(_tags.filter(lambda t: not t.startswith("UN")), _elements)),
)
def test_serialised_segments_tokenize_back_to_the_same_values(
    separators: Separators, segments: list[tuple[str, list[list[str]]]]
) -> None:
    (interchange,) = read_interchanges(serialise(segments, separators))
    (message,) = interchange.messages
    body = message.segments[1:-1]
    assert [(s.tag, s.elements) for s in body] == segments
    assert message.findings == []


def test_overlapping_readers_leave_the_collector_on() -> None:
    import gc
    import threading

    from targeting.ingestion.edifact import without_cycle_collection

    assert gc.isenabled()
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:
        with without_cycle_collection():
            first_in.set()
            second_in.wait(5)
        first_out.set()

    def second() -> None:
        first_in.wait(5)
        with without_cycle_collection():
            second_in.set()
            first_out.wait(5)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert gc.isenabled()
