"""UN/EDIFACT tokenizer (ISO 9735 syntax versions 1-4) with a transport-envelope cleaner.

`read_interchanges(data)` turns the bytes of a file (or an HTTP body) into `Interchange` objects:
the UNB/UNZ envelope, its UNG/UNE groups and its UNH/UNT messages, each message a list of
`Segment`s. Every segment knows its number in the interchange (UNB is segment 1; the UNA service
string advice is not a segment) and its line and column in the source, so that an error or a
finding can name them.

The cleaner tolerates what airlines and routers really send (see reference/edifact-syntax.md §9
and corpus/SOURCES.md): Type-B teletype headers and control characters before the UNA/UNB, lines
hard-wrapped at 64 columns even inside a tag, newlines and spaces between segments, e-mail footers
after UNZ, a missing UNA, mislabelled character sets. Each repair becomes a warning `Finding`; only
what cannot be read raises `EdifactError`.

Speed: the text is split with `str.split` and each piece with `str.split` again; the release
character and line breaks inside a segment take a slower path only for the pieces that contain
them. Offsets, lines and columns are worked out only when an error or a finding needs them
(the sum of the piece lengths, then a newline index).

No Django import here: this module is part of the pure core.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import gc
import itertools
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from targeting.ingestion.records import Finding, Severity


@contextlib.contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Hold back Python's cyclic garbage collector while a file is read.

    Reading a file allocates a list per segment and per element, and the collector runs a pass
    every few hundred allocations; those passes cost a fifth of the parse and can free nothing,
    as segments and parsed records hold no reference cycles (reference counting frees them).
    The collector is enabled again when the last reader in the process is done, unless it was
    already off before the first: readers in several threads (runserver, threaded workers)
    overlap, and a plain save-and-restore would leave the collector off for good.
    """
    global _readers, _collector_was_enabled
    with _collector_lock:
        if _readers == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _readers += 1
    try:
        yield
    finally:
        with _collector_lock:
            _readers -= 1
            if _readers == 0 and _collector_was_enabled:
                gc.enable()


_collector_lock = threading.Lock()
_readers = 0
_collector_was_enabled = True


class EdifactError(ValueError):
    """The one error the ingestion parsers raise for input that cannot be read.

    It names where the problem is (segment number in the interchange, line and column in the
    source) and says in a sentence what is wrong, e.g.
    "DTM+329 in segment 14 (line 15): birth date '571331' is not a valid YYMMDD date".
    """

    def __init__(
        self,
        segment: int | None,
        line: int | None,
        column: int | None,
        text: str,
        *,
        label: str | None = None,
    ) -> None:
        self.segment = segment
        self.line = line
        self.column = column
        self.text = text
        self.label = label
        super().__init__(self._sentence())

    def _sentence(self) -> str:
        place = ""
        if self.line is not None:
            place = f"line {self.line}"
            if self.column is not None and self.column > 1:
                place += f", column {self.column}"
        if self.segment is not None:
            head = (
                f"{self.label} in segment {self.segment}"
                if self.label
                else (f"segment {self.segment}")
            )
            return f"{head} ({place}): {self.text}" if place else f"{head}: {self.text}"
        if place:
            return f"{place}: {self.text}"
        return self.text

    def __str__(self) -> str:
        return self._sentence()


@dataclass(slots=True, frozen=True)
class Separators:
    """The service characters of an interchange (UNA positions 1-6, ISO 9735 §7)."""

    component: str = ":"
    element: str = "+"
    decimal: str = "."
    release: str | None = "?"
    # UNA pos 5: repetition separator in syntax v4; a space (= none) in v1-3.
    repetition: str | None = None
    terminator: str = "'"


# Level A defaults (UNOA, and IATA:1 per the IATA deviation) when there is no UNA.
DEFAULT_SEPARATORS = Separators()
# UNOB and higher levels without UNA: information separators IS1 (component), IS3 (element),
# IS4 (terminator), no release character (ISO 9735 §7.1 non-printing set).
INFORMATION_SEPARATORS = Separators(
    component="\x1f", element="\x1d", decimal=".", release=None, repetition=None, terminator="\x1c"
)

# Syntax level (UNB S001/0001) -> Python codec. UNOA/UNOB are 7-bit; IATA:1 is level A.
# UNOG..UNOK map to further ISO 8859 parts; UNOK as part 9 is from memory of the code list.
_CODECS = {
    "UNOA": "ascii",
    "UNOB": "ascii",
    "IATA": "ascii",
    "UNOC": "latin-1",
    "UNOD": "iso8859-2",
    "UNOE": "iso8859-5",
    "UNOF": "iso8859-7",
    "UNOG": "iso8859-3",
    "UNOH": "iso8859-4",
    "UNOI": "iso8859-6",
    "UNOJ": "iso8859-8",
    "UNOK": "iso8859-9",
    "UNOW": "utf-8",
    "UNOY": "utf-8",
    "UNOX": "utf-8",
}

# Where an interchange may start: a UNA followed (after optional whitespace) by UNB, or a UNB
# followed by a separator and a syntax identifier. Requiring the UNB is what keeps a traveller
# called "UNAL..." or a code "UNA" inside a value from being taken for a service string advice.
_UNA_START = re.compile(r"UNA(.{6})[\s\x00-\x1f]*UNB", re.DOTALL)
_UNB_START = re.compile(r"UNB[^A-Za-z0-9\s](?:UNO[A-Z]|IATA)")
_UNB_SYNTAX = re.compile(rb"UNB[^A-Za-z0-9\s](UNO[A-Z]|IATA)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile(r"\r?\n|\r")
# Characters skipped between segments (after a terminator, before the next tag).
_BETWEEN = " \t\r\n\f\v\ufeff\x7f" + "".join(
    chr(c) for c in range(0x20) if c not in (0x1C, 0x1D, 0x1E, 0x1F)
)
# Type-B gateways wrap lines at 64 (some at 69) columns; a shorter line that breaks inside a
# segment is a soft break in free text and becomes a space.
_HARD_WRAP_MIN = 60


class Source:
    """The decoded text of a file with a lazily built newline index (for line/column numbers)."""

    __slots__ = ("_newlines", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._newlines: list[int] | None = None

    def position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based (line, column) of a character offset in the text."""
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_left(self._newlines, offset)
        start = self._newlines[line - 1] + 1 if line else 0
        return line + 1, offset - start + 1


class _Pieces:
    """An interchange's text split at its segment terminators.

    Segments point into this list by index rather than carrying their offset: the offsets are
    only needed to name a line and column, so they are summed up on the first such request.
    """

    __slots__ = ("_starts", "pieces", "separators", "source", "start", "step")

    def __init__(
        self, source: Source, start: int, pieces: list[str], separators: Separators
    ) -> None:
        self.source = source
        self.start = start
        self.pieces = pieces
        self.separators = separators
        self.step = len(separators.terminator)
        self._starts: list[int] | None = None

    def piece_start(self, index: int) -> int:
        """Offset in the source of piece `index` (blanks before the tag included)."""
        if self._starts is None:
            # Running total of the piece lengths, summed in C; the terminators are added below.
            self._starts = list(itertools.accumulate(map(len, self.pieces), initial=0))
        return self.start + self._starts[index] + index * self.step

    def offset(self, index: int) -> int:
        """Offset in the source of the tag of the segment in piece `index`."""
        piece = self.pieces[index]
        return self.piece_start(index) + len(piece) - len(piece.lstrip(_BETWEEN))

    def end(self, index: int) -> int:
        """Offset just after the terminator of piece `index` (which is not the last piece)."""
        # Counted back from the end of the text: what follows a UNZ is short.
        after = self.separators.terminator.join(self.pieces[index + 1 :])
        return len(self.source.text) - len(after)


class Segment:
    """One segment: tag, data elements (each a list of components), position in the source.

    `elements[0]` is the first data element after the tag. Missing and empty elements or
    components read the same (ISO 9735: trailing empties may be omitted), through `get`.

    A segment points into the split text of its interchange instead of carrying its offset:
    the line and column are worked out only when an error or a finding asks for them.
    """

    __slots__ = ("_index", "_pieces", "elements", "number", "repeats", "tag")

    def __init__(
        self,
        tag: str,
        number: int,
        pieces: _Pieces,
        index: int,
        elements: list[list[str]],
        repeats: dict[int, list[list[str]]] | None = None,
    ) -> None:
        self.tag = tag
        self.number = number
        self._pieces = pieces
        self._index = index
        self.elements = elements
        # Only when the repetition separator was used: element index -> all its repetitions.
        self.repeats = repeats

    def __repr__(self) -> str:
        return f"Segment({self.tag!r}, number={self.number}, elements={self.elements!r})"

    @property
    def source(self) -> Source:
        return self._pieces.source

    @property
    def offset(self) -> int:
        """Character offset of the segment's tag in the source."""
        return self._pieces.offset(self._index)

    @property
    def line(self) -> int:
        return self.source.position(self.offset)[0]

    @property
    def column(self) -> int:
        return self.source.position(self.offset)[1]

    @property
    def label(self) -> str:
        """Tag and qualifier as people write them: `DTM+329`, `LOC+125`, `UNH`."""
        qualifier = self.get(0)
        return f"{self.tag}+{qualifier}" if qualifier else self.tag

    def get(self, element: int, component: int = 0) -> str:
        """Return a component's value with surrounding spaces trimmed; '' when absent or empty."""
        elements = self.elements
        if element >= len(elements):
            return ""
        components = elements[element]
        if component >= len(components):
            return ""
        return components[component].strip()

    def element(self, element: int) -> list[str]:
        """Return the components of a data element ([] when absent)."""
        elements = self.elements
        return elements[element] if element < len(elements) else []

    def repetitions(self, element: int) -> list[list[str]]:
        """Return every repetition of a data element (syntax v4 repetition separator)."""
        if self.repeats and element in self.repeats:
            return self.repeats[element]
        return [self.element(element)] if element < len(self.elements) else []

    def error(self, text: str) -> EdifactError:
        """Build the error for this segment, naming its label, number, line and column."""
        line, column = self.source.position(self.offset)
        return EdifactError(self.number, line, column, text, label=self.label)

    def finding(self, severity: Severity, text: str) -> Finding:
        """Build a data-quality finding located at this segment."""
        return Finding(severity, self.number, self.line, f"{self.label}: {text}")


@dataclass(slots=True, eq=False)
class Message:
    """A UNH..UNT message (both included in `segments`) and its envelope findings."""

    header: Segment
    segments: list[Segment]
    trailer: Segment | None = None
    group: Group | None = None
    findings: list[Finding] = field(default_factory=list)

    @property
    def type(self) -> str:
        """UNH S009/0065 message type, e.g. PAXLST, PNRGOV."""
        return self.header.get(1, 0).upper()

    @property
    def version(self) -> str:
        """UNH S009/0052 version number (`D`, `11`, `001`)."""
        return self.header.get(1, 1)

    @property
    def release(self) -> str:
        """UNH S009/0054 release number (`05B`, `1`, `000`)."""
        return self.header.get(1, 2)

    @property
    def reference(self) -> str:
        """UNH 0062 message reference number (repeated in UNT)."""
        return self.header.get(0)


@dataclass(slots=True, eq=False)
class Group:
    """A UNG..UNE functional group."""

    header: Segment
    trailer: Segment | None = None
    messages: list[Message] = field(default_factory=list)

    @property
    def reference(self) -> str:
        """UNG 0048 group reference number (repeated in UNE)."""
        return self.header.get(4)


@dataclass(slots=True, eq=False)
class Interchange:
    """A UNB..UNZ interchange with its messages, separators and the repairs made to read it."""

    separators: Separators
    syntax_level: str
    header: Segment
    trailer: Segment | None
    source: Source
    groups: list[Group] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def syntax_version(self) -> str:
        """UNB S001/0002 syntax version number (1-4)."""
        return self.header.get(0, 1)

    @property
    def sender(self) -> str:
        """UNB S002 interchange sender identification."""
        return self.header.get(1, 0)

    @property
    def recipient(self) -> str:
        """UNB S003 interchange recipient identification."""
        return self.header.get(2, 0)

    @property
    def control_ref(self) -> str:
        """UNB 0020 interchange control reference (repeated in UNZ)."""
        return self.header.get(4)

    @property
    def prepared_at(self) -> datetime | None:
        """UNB S004 date (YYMMDD, or CCYYMMDD in v4) and time (HHMM) of preparation."""
        return parse_datetime(self.header.get(3, 0) + self.header.get(3, 1))

    @property
    def is_test(self) -> bool:
        """UNB 0035 test indicator `1`."""
        return self.header.get(10) == "1"


# ---------------------------------------------------------------------------------------------
# Dates


def expand_year(yy: int, reference: date | None, pivot: Literal["past", "future"]) -> int:
    """Give a 2-digit year its century (reference/edifact-syntax.md §9).

    Birth dates pivot to the past (the latest year not after the reference year); expiry and
    travel dates to a window of 50 years before to 49 after the reference year.
    """
    ref_year = (reference or date.today()).year
    if pivot == "past":
        year = ref_year - (ref_year - yy) % 100
        return year
    low = ref_year - 50
    return low + (yy - low) % 100


def parse_date(
    value: str, *, reference: date | None = None, pivot: Literal["past", "future"] = "future"
) -> date | None:
    """Read `YYMMDD` (format 101) or `CCYYMMDD` (format 102); None when it is not a date."""
    value = value.strip()
    if not value.isdigit():
        return None
    try:
        if len(value) == 6:
            year = expand_year(int(value[:2]), reference, pivot)
            return date(year, int(value[2:4]), int(value[4:6]))
        if len(value) == 8:
            return date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        return None
    return None


def parse_datetime(value: str, *, reference: date | None = None) -> datetime | None:
    """Read `YYMMDDHHMM` (format 201) or `CCYYMMDDHHMM` (format 203); None when invalid.

    A date without a time (6 or 8 digits) gives midnight.
    """
    value = value.strip()
    if not value.isdigit():
        return None
    try:
        if len(value) in (6, 10):
            year = expand_year(int(value[:2]), reference, "future")
            rest = value[2:]
        elif len(value) in (8, 12):
            year = int(value[:4])
            rest = value[4:]
        else:
            return None
        hour = int(rest[4:6]) if len(rest) > 4 else 0
        minute = int(rest[6:8]) if len(rest) > 4 else 0
        return datetime(year, int(rest[:2]), int(rest[2:4]), hour, minute)
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# Decoding and envelope


def decode(data: bytes) -> tuple[str, str, list[Finding]]:
    """Decode bytes by the syntax level declared in UNB S001 (edifact-syntax.md §8).

    The syntax identifier is plain ISO 646, so it can be read from the bytes. Senders mislabel
    charsets, so an undecodable level-A/B file is retried as UTF-8 then Latin-1, and an ISO 8859
    file that is in fact valid multi-byte UTF-8 is read as UTF-8; both with a warning.
    Returns (text, syntax level, findings).
    """
    findings: list[Finding] = []
    match = _UNB_SYNTAX.search(data)
    level = match.group(1).decode("ascii") if match else ""
    codec = _CODECS.get(level)
    if codec is None:
        codec = "utf-8"
        if level:
            findings.append(Finding("warning", None, None, f"unknown syntax level {level!r}"))
    if data.isascii():
        return data.decode("ascii"), level, findings
    if codec == "utf-8" or codec == "ascii":
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
            codec_used = "Latin-1"
        else:
            codec_used = "UTF-8"
        if codec == "ascii":
            findings.append(
                Finding(
                    "warning",
                    None,
                    None,
                    f"syntax level {level} allows 7-bit characters only but the file has others;"
                    f" read as {codec_used}",
                )
            )
        elif codec_used != "UTF-8":
            findings.append(
                Finding("warning", None, None, f"{level} file is not valid UTF-8; read as Latin-1")
            )
        return text, level, findings
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode(codec, errors="replace"), level, findings
    findings.append(
        Finding("warning", None, None, f"{level} declared but the file is UTF-8; read as UTF-8")
    )
    return text, level, findings


def _find_start(text: str, pos: int) -> tuple[int, int, Separators | None, Finding | None] | None:
    """Find the next interchange start at or after `pos`.

    Returns (start offset, offset of the UNB, separators from UNA or None, repair finding).
    """
    una = _UNA_START.search(text, pos)
    unb = _UNB_START.search(text, pos)
    if una and (unb is None or una.start() < unb.start()):
        chars = una.group(1)
        separators = Separators(
            component=chars[0],
            element=chars[1],
            decimal=chars[2],
            release=None if chars[3] == " " else chars[3],
            repetition=None if chars[4] == " " else chars[4],
            terminator=chars[5],
        )
        unb_at = una.end() - 3
        repair = None
        if separators.terminator not in text[unb_at : unb_at + 4096] and "'" in text[unb_at:]:
            # Hand-edited samples advertise a typographic quote but end segments with "'".
            repair = Finding(
                "warning",
                None,
                1 + text.count("\n", 0, una.start()),
                f"UNA declares segment terminator {separators.terminator!r} but the segments"
                ' end with "\'"; read with "\'"',
            )
            separators = Separators(
                separators.component,
                separators.element,
                separators.decimal,
                separators.release,
                separators.repetition,
                "'",
            )
        return una.start(), unb_at, separators, repair
    if unb:
        return unb.start(), unb.start(), None, None
    return None


def _default_separators(text: str, unb: int) -> Separators:
    """Separators without UNA: the character after UNB tells printable from IS-char defaults."""
    marker = text[unb + 3 : unb + 4]
    if marker == "\x1d":
        return INFORMATION_SEPARATORS
    if marker and marker != "+":
        # Some senders change only the element separator and omit the UNA; honour it.
        return Separators(element=marker)
    return DEFAULT_SEPARATORS


def _describe_nothing_found(text: str) -> str:
    stripped = text.strip()
    if not stripped:
        return "the file is empty: no EDIFACT interchange in it"
    if re.match(r"UNA.{0,6}\s*$", stripped, re.DOTALL) or (
        stripped.startswith("UNA") and "UNB" not in stripped
    ):
        return (
            "the file has a service string advice (UNA) but no interchange header (UNB) after it:"
            " it holds no message"
        )
    printable = sum(1 for ch in stripped[:512] if ch.isprintable() or ch in "\r\n\t")
    if printable < 0.9 * min(len(stripped), 512):
        return "the file is not EDIFACT (binary or unreadable bytes, no UNA/UNB interchange header)"
    return "no EDIFACT interchange found: the file has no UNA/UNB interchange header"


def _split_released(text: str, sep: str, release: str) -> list[str]:
    """Split on `sep` except where it is preceded by an odd number of release characters."""
    parts = text.split(sep)
    if release + sep not in text:
        return parts
    # Only a part ending with the release character can be followed by a released separator;
    # those are few, so find them first and join them, from the last, with the part after.
    ends_released = [i for i, part in enumerate(parts) if part.endswith(release)]
    for i in reversed(ends_released):
        part = parts[i]
        run = len(part) - len(part.rstrip(release))
        if run % 2 and i + 1 < len(parts):
            parts[i] = part + sep + parts[i + 1]
            del parts[i + 1]
    return parts


def _unescape(value: str, release: str) -> str:
    if release not in value:
        return value
    chars: list[str] = []
    i = 0
    n = len(value)
    while i < n:
        ch = value[i]
        if ch == release and i + 1 < n:
            chars.append(value[i + 1])
            i += 2
            continue
        if ch != release:
            chars.append(ch)
        i += 1
    return "".join(chars)


def _join_wrapped(raw: str, source: Source, offset: int) -> str:
    """Rejoin a segment broken over several lines by a transport (Type-B 64-column wrapping).

    A break after a full-width line is a hard wrap and is removed (it may fall inside a tag:
    `U` / `NH`). A break after a short line between two letters is a soft line break in free
    text (`45 HIGH` / `STREET`) and becomes a space; between digits it is removed (`CNT+42:4` /
    `7'`), as a space there would make the number unreadable.
    """
    pieces: list[str] = []
    last = 0
    for match in _LINE_BREAK.finditer(raw):
        piece = raw[last : match.start()]
        line_start = source.text.rfind("\n", 0, offset + match.start()) + 1
        width = offset + match.start() - line_start
        after = raw[match.end() : match.end() + 1]
        soft = width < _HARD_WRAP_MIN and piece[-1:].isalpha() and after.isalpha()
        pieces.append(piece + " " if soft else piece)
        last = match.end()
    pieces.append(raw[last:])
    joined = "".join(pieces)
    return _CONTROL.sub("", joined)


def _split_segment(
    raw: str,
    pieces: _Pieces,
    index: int,
    has_release: bool,
    has_control: bool,
) -> tuple[str, list[list[str]], dict[int, list[list[str]]] | None, bool]:
    """Split one segment's text (terminator excluded, leading blanks removed) the careful way:
    honouring the release character and the repetition separator, and rejoining a segment
    that a transport broke over several lines.

    Returns the tag, the elements, the repetitions (or None) and whether it was rejoined.
    """
    separators = pieces.separators
    elem = separators.element
    comp = separators.component
    rel = separators.release
    rep = separators.repetition
    rejoined = False
    if "\n" in raw or "\r" in raw or (has_control and _CONTROL.search(raw)):
        raw = _join_wrapped(raw.rstrip(" \t\r\n"), pieces.source, pieces.offset(index))
        rejoined = True
    repeats: dict[int, list[list[str]]] | None = None
    elements: list[list[str]]
    if rel and has_release and rel in raw:
        # Separators may be released (escaped), so split honouring the release character.
        parts = _split_released(raw, elem, rel)
        tag = _unescape(parts[0], rel)
        elements = []
        for i, part in enumerate(parts[1:]):
            if rep and rep in part:
                occurrences = [
                    [_unescape(c, rel) for c in _split_released(r, comp, rel)]
                    for r in _split_released(part, rep, rel)
                ]
                if len(occurrences) > 1:
                    repeats = repeats or {}
                    repeats[i] = occurrences
                elements.append(occurrences[0])
            else:
                elements.append([_unescape(c, rel) for c in _split_released(part, comp, rel)])
    else:
        parts = raw.split(elem)
        tag = parts[0]
        if rep and rep in raw:
            elements = []
            for i, part in enumerate(parts[1:]):
                occurrences = [r.split(comp) for r in part.split(rep)]
                if len(occurrences) > 1:
                    repeats = repeats or {}
                    repeats[i] = occurrences
                elements.append(occurrences[0])
        else:
            elements = [part.split(comp) for part in parts[1:]]
    if not (len(tag) == 3 and tag.isupper()):
        tag = tag.strip().upper()
    return tag, elements, repeats, rejoined


@functools.cache
def _inner_break(terminator: str) -> re.Pattern[str]:
    """A line break whose last non-blank character before it is not a segment terminator."""
    return re.compile(r"[^\s" + re.escape(terminator) + r"][ \t]*[\r\n]")


def _has_inner_break(text: str, terminator: str) -> bool:
    """Whether a line break falls inside a segment (transport line wrapping)."""
    if "\r" not in text and text.count("\n") == text.count(terminator + "\n"):
        # Every line ends right after a terminator: the usual layout, checked in two passes
        # in C instead of running the regular expression over the whole text.
        return False
    return _inner_break(terminator).search(text) is not None


class _SegmentReader:
    """The segments of an interchange, read from its UNB on (ISO 9735 §4-§7).

    Iterating yields `Segment`s in order. The text is split at the terminators once; a piece
    with no release character, no line break and no repetition separator is split with one
    `str.split` per level, the others take the careful path in `_split_segment`. A last piece
    without a terminator is not yielded: its index is left in `unterminated` for the caller to
    judge (a truncated file, or a UNZ that only lacks its terminator). Segments rejoined from
    several lines are listed in `rejoined`.
    """

    def __init__(self, source: Source, start: int, separators: Separators) -> None:
        body = source.text[start:]
        term = separators.terminator
        rel = separators.release
        rep = separators.repetition
        self.has_release = rel is not None and rel in body
        if rel is not None and rel + term in body:
            pieces = _split_released(body, term, rel)
        else:
            # No terminator can be released: a plain split finds every segment end.
            pieces = body.split(term)
        self.pieces = _Pieces(source, start, pieces, separators)
        self.has_control = _CONTROL.search(body) is not None
        self.is_plain = (
            not self.has_control
            and (rep is None or rep not in body)
            and not _has_inner_break(body, term)
        )
        self.unterminated: int | None = None
        self.rejoined: list[Segment] = []
        # The number the next segment would get, once iteration has ended.
        self.next_number = 1

    def end_of(self, segment: Segment) -> int:
        """Offset just after the segment's terminator."""
        return self.pieces.end(segment._index)

    def __iter__(self) -> Iterator[Segment]:
        pieces = self.pieces
        texts = pieces.pieces
        last = len(texts) - 1
        elem = pieces.separators.element
        comp = pieces.separators.component
        rel = pieces.separators.release
        has_release = self.has_release
        has_control = self.has_control
        is_plain = self.is_plain
        number = 1
        for index, piece in enumerate(texts):
            text = piece.lstrip(_BETWEEN)
            if not text:
                continue
            if index == last:
                self.unterminated = index
                break
            tag = text[:3]
            if (
                is_plain
                and text[3:4] == elem
                and tag.isupper()
                and (not has_release or rel not in text)
            ):
                # The common case: one split per level, nothing to unescape or rejoin.
                elements = [part.split(comp) for part in text[4:].split(elem)]
                yield Segment(tag, number, pieces, index, elements)
                number += 1
                continue
            tag, elements, repeats, rejoined = _split_segment(
                text, pieces, index, has_release, has_control
            )
            segment = Segment(tag, number, pieces, index, elements, repeats)
            if rejoined:
                self.rejoined.append(segment)
            yield segment
            number += 1
        self.next_number = number


def _bad_tag(segment: Segment) -> EdifactError:
    tag = segment.tag
    shown = tag if len(tag) <= 20 else tag[:20] + "..."
    return EdifactError(
        segment.number,
        segment.line,
        segment.column,
        f"{shown!r} is not a segment tag (a segment starts with three letters such as"
        " UNH, NAD or DTM); the separators or the file are damaged",
    )


def _count(value: str) -> int | None:
    return int(value) if value.isdigit() else None


def _read_interchange(
    source: Source, start: int, unb: int, separators: Separators | None, level: str
) -> tuple[Interchange, int]:
    """Tokenize one interchange from its UNA/UNB and assemble groups and messages.

    Returns the interchange and the offset just after its UNZ (or the end of the text).
    """
    if separators is None:
        separators = _default_separators(source.text, unb)
    findings: list[Finding] = []
    header: Segment | None = None
    trailer: Segment | None = None
    groups: list[Group] = []
    messages: list[Message] = []
    group: Group | None = None
    message: Message | None = None
    end = len(source.text)
    reader = _SegmentReader(source, unb, separators)
    for segment in reader:
        tag = segment.tag
        if len(tag) != 3 or not tag.isalnum():
            raise _bad_tag(segment)
        if header is None:
            if tag != "UNB":
                raise segment.error("an interchange must start with UNB")
            header = segment
            continue
        if tag == "UNH":
            if message is not None:
                message.findings.append(
                    message.header.finding("warning", "message has no UNT trailer")
                )
            message = Message(segment, [segment], group=group)
            messages.append(message)
            if group is not None:
                group.messages.append(message)
            continue
        if message is not None:
            message.segments.append(segment)
            if tag == "UNT":
                message.trailer = segment
                _check_trailer(message, segment)
                message = None
            continue
        if tag == "UNG":
            group = Group(segment)
            groups.append(group)
        elif tag == "UNE":
            if group is None:
                findings.append(segment.finding("warning", "UNE without a UNG group header"))
            else:
                group.trailer = segment
                expected = _count(segment.get(0))
                if expected is not None and expected != len(group.messages):
                    findings.append(
                        segment.finding(
                            "warning",
                            f"group counts {expected} messages but holds {len(group.messages)}",
                        )
                    )
                group = None
        elif tag == "UNZ":
            trailer = segment
            end = reader.end_of(segment)
            _check_interchange_trailer(header, trailer, groups, messages, findings)
            break
        else:
            findings.append(
                segment.finding("warning", "segment outside any UNH..UNT message ignored")
            )
    else:
        if reader.unterminated is not None:
            trailer, end = _read_unterminated(reader, header, message, groups, messages, findings)
    if header is None:
        raise EdifactError(None, *source.position(start), "no interchange header (UNB) found")
    if message is not None:
        message.findings.append(message.header.finding("warning", "message has no UNT trailer"))
    if trailer is None:
        findings.append(header.finding("warning", "interchange has no UNZ trailer"))
    rejoined = reader.rejoined
    if rejoined:
        first = rejoined[0]
        findings.append(
            Finding(
                "warning",
                first.number,
                first.line,
                f"{len(rejoined)} segment(s) were broken over several lines (transport line"
                f" wrapping) and were joined again; the first is {first.tag} in segment"
                f" {first.number}",
            )
        )
    interchange = Interchange(
        separators, level, header, trailer, source, groups, messages, findings
    )
    return interchange, end


def _read_unterminated(
    reader: _SegmentReader,
    header: Segment | None,
    message: Message | None,
    groups: list[Group],
    messages: list[Message],
    findings: list[Finding],
) -> tuple[Segment, int]:
    """Judge a last piece of text that has no segment terminator.

    A UNZ that lacks only its terminator (seen in IATA guide samples) is read up to the end
    of its line, the rest counting as a footer; returns it and the offset where it ends.
    Anything else means the file was cut short, which raises `EdifactError`.
    """
    pieces = reader.pieces
    source = pieces.source
    index = reader.unterminated
    assert index is not None  # noqa: S101 - only called for an unterminated piece
    seg_end = pieces.offset(index)
    number = reader.next_number
    tail = source.text[seg_end:]
    if tail[:3].upper() == "UNZ" and header is not None and message is None:
        line_end = _LINE_BREAK.search(tail)
        raw = tail[: line_end.start()] if line_end else tail
        tag, elements, repeats, _ = _split_segment(raw.rstrip(), pieces, index, False, False)
        segment = Segment(tag, number, pieces, index, elements, repeats)
        findings.append(segment.finding("warning", "UNZ has no segment terminator"))
        _check_interchange_trailer(header, segment, groups, messages, findings)
        return segment, seg_end + len(raw)
    line, column = source.position(seg_end)
    shown = source.text[seg_end : seg_end + 30].strip()
    raise EdifactError(
        number,
        line,
        column,
        f"the file ends inside a segment ({shown!r}) without a segment terminator"
        f" {pieces.separators.terminator!r}"
        + ("" if message is None else ", before the message's UNT")
        + ", and without UNZ: the file is truncated",
    )


def _check_trailer(message: Message, trailer: Segment) -> None:
    """UNT 0074 counts the message's segments, UNH and UNT included; 0062 repeats UNH's ref."""
    expected = _count(trailer.get(0))
    actual = len(message.segments)
    if expected is None:
        message.findings.append(trailer.finding("warning", "segment count is missing"))
    elif expected != actual:
        message.findings.append(
            trailer.finding(
                "warning", f"message counts {expected} segments but holds {actual} (UNH to UNT)"
            )
        )
    if trailer.get(1) != message.reference:
        message.findings.append(
            trailer.finding(
                "warning",
                f"message reference {trailer.get(1)!r} differs from UNH's {message.reference!r}",
            )
        )


def _check_interchange_trailer(
    header: Segment,
    trailer: Segment,
    groups: list[Group],
    messages: list[Message],
    findings: list[Finding],
) -> None:
    """UNZ 0036 counts messages, or groups when UNG is used; 0020 repeats UNB's reference."""
    expected = _count(trailer.get(0))
    if expected is not None and expected not in (len(groups) or len(messages), len(messages)):
        what = "groups" if groups else "messages"
        findings.append(
            trailer.finding(
                "warning",
                f"interchange counts {expected} {what} but holds {len(groups) or len(messages)}",
            )
        )
    if trailer.get(1) != header.get(4):
        findings.append(
            trailer.finding(
                "warning",
                f"control reference {trailer.get(1)!r} differs from UNB's {header.get(4)!r}",
            )
        )


def _describe_skipped(text: str) -> str:
    lines = [line.strip() for line in _LINE_BREAK.split(text) if line.strip()]
    cleaned = [_CONTROL.sub("", line) for line in lines]
    cleaned = [line for line in cleaned if line]
    sample = ", ".join(repr(line[:30]) for line in cleaned[:2])
    return f"{len(lines)} line(s)" + (f" ({sample})" if sample else "")


def read_interchanges(data: bytes) -> list[Interchange]:
    """Read every UNB..UNZ interchange in a file, after taking it out of its transport envelope.

    Follows ISO 9735: UNA service string advice (fixed 6 characters), defaults of the declared
    syntax level when UNA is absent, release character, repetition separator (v4), UNG groups.
    Lines before the interchange (Type-B header, SOH/STX), text after UNZ (e-mail footers, ETX,
    form feeds) and segments wrapped over lines are repaired and reported as warning findings
    on the interchange. Raises `EdifactError` when no interchange can be read.
    """
    with without_cycle_collection():
        return _read_interchanges(data)


def _read_interchanges(data: bytes) -> list[Interchange]:
    text, level, decode_findings = decode(data)
    source = Source(text)
    interchanges: list[Interchange] = []
    pos = 0
    while True:
        found = _find_start(text, pos)
        if found is None:
            break
        start, unb, separators, repair = found
        before = text[pos:start]
        interchange, end = _read_interchange(source, start, unb, separators, level)
        if repair is not None:
            interchange.findings.insert(0, repair)
        if before.strip(_BETWEEN + "\x00"):
            line = source.position(pos)[0]
            where = "after the previous interchange" if interchanges else "before the interchange"
            interchange.findings.insert(
                0,
                Finding(
                    "warning",
                    None,
                    line,
                    f"{_describe_skipped(before)} of transport envelope {where} were ignored",
                ),
            )
        interchange.findings[:0] = decode_findings
        interchanges.append(interchange)
        pos = end
    if not interchanges:
        line = None
        raise EdifactError(None, line, None, _describe_nothing_found(text))
    rest = text[pos:]
    if rest.strip(_BETWEEN):
        interchanges[-1].findings.append(
            Finding(
                "warning",
                None,
                source.position(pos)[0],
                f"{_describe_skipped(rest)} after UNZ (e-mail footer or transport trailer)"
                " were ignored",
            )
        )
    return interchanges
