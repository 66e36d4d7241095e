"""The data-quality feedback an airline receives: late, missing fields, format errors, per month,
with examples that carry no personal data.

A finding's text may quote what the airline sent — a name, a birth date, a document number
("NAD+FL: DOE JOHN has no birth date (DTM+329)", "DTM+329: birth date '571331' is not …").
No part of that text reaches the report: each finding is reduced to its structured parts
(segment number, line, the segment tag when it is a known EDIFACT tag) plus a problem kind and
field names taken from fixed vocabularies below, and the example sentence is ours.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from agencies.airlines.models import Airline
from targeting.ingestion.models import Finding, InboundMessage

# Segment tags of PAXLST and PNRGOV (and the envelope) that may name where a problem is.
KNOWN_TAGS = frozenset(
    [
        "UNA",
        "UNB",
        "UNG",
        "UNH",
        "BGM",
        "RFF",
        "DTM",
        "NAD",
        "ATT",
        "GEI",
        "FTX",
        "LOC",
        "COM",
        "EMP",
        "NAT",
        "DOC",
        "CNT",
        "UNT",
        "UNE",
        "UNZ",
        "TDT",
        "MEA",
        "CTA",
        "SRC",
        "RCI",
        "SSR",
        "TIF",
        "TVL",
        "ORG",
        "EQN",
        "MSG",
        "ABI",
        "DAT",
        "IFT",
        "TKT",
        "MON",
        "PTK",
        "TXD",
        "FOP",
        "FAR",
        "APD",
        "SEQ",
        "TRI",
        "SSD",
        "TBD",
        "PTS",
        "RPI",
        "EBD",
        "ERC",
        "ADD",
        "CPY",
    ]
)
# The qualifier is the segment's first element: for these tags a code, never a traveller's data
# (TIF's first element, for one, is the surname).
QUALIFIED_TAGS = frozenset(["DTM", "LOC", "NAD", "ATT", "CNT", "BGM", "RFF", "MEA", "FTX", "GEI"])
_LABEL = re.compile(r"^([A-Z]{3})(?:\+([^:]*))?:")
_QUALIFIER = re.compile(r"^[A-Z0-9]{1,3}$")
_ROW = re.compile(r"^row (\d+)\b")

# Problem kinds, tried in order: (code, pattern on the finding's text).
KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("missing", re.compile(r"(^no |has no |missing|is empty|names no |without a )", re.I)),
    ("invalid_date", re.compile(r"not a valid (YYMMDD )?date", re.I)),
    ("not_a_number", re.compile(r"is not a number", re.I)),
    ("control_total", re.compile(r"control total|count", re.I)),
    ("unknown_code", re.compile(r"unknown ", re.I)),
    ("out_of_place", re.compile(r"unexpected segment|outside (any|a) ", re.I)),
    ("ignored", re.compile(r"not used|ignored", re.I)),
]
# Fields a finding may say are missing: (pattern on the text, the field as we name it).
MISSING_FIELDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"birth date", re.I), "birth date (DTM+329)"),
    (re.compile(r"gender", re.I), "gender (ATT+2)"),
    (re.compile(r"travel document \(DOC\)", re.I), "travel document (DOC)"),
    (re.compile(r"document has no type", re.I), "document type (DOC)"),
    (re.compile(r"document has no number", re.I), "document number (DOC)"),
    (re.compile(r"no surname", re.I), "surname (NAD)"),
    (re.compile(r"no flight number", re.I), "flight number (TDT)"),
    (re.compile(r"no flight leg|no complete leg|no arrival airport", re.I), "flight leg (LOC)"),
    (re.compile(r"without a departure airport|without a previous", re.I), "departure (LOC)"),
    (re.compile(r"no CNT", re.I), "control total (CNT)"),
    (re.compile(r"no BGM", re.I), "message type (BGM)"),
    (re.compile(r"no UNT", re.I), "message trailer (UNT)"),
    (re.compile(r"no UNZ", re.I), "interchange trailer (UNZ)"),
    (re.compile(r"no PNR|no SRC", re.I), "reservation (SRC)"),
]


def kind_labels() -> dict[str, str]:
    return {
        "missing": _("a required field is missing"),
        "invalid_date": _("a date is not a valid date"),
        "not_a_number": _("a number is not a number"),
        "control_total": _("the control total does not match"),
        "unknown_code": _("a code is not a known code"),
        "out_of_place": _("a segment is out of place"),
        "ignored": _("data was sent that is not used"),
        "other": _("the data could not be read as the standard expects"),
    }


@dataclass(frozen=True)
class Problem:
    """What is left of a finding once its words are gone: no value the airline sent."""

    severity: str
    segment: int | None
    line: int | None
    tag: str
    kind: str
    fields: tuple[str, ...]

    def sentence(self) -> str:
        where = []
        if self.segment:
            where.append(_("segment %(n)d") % {"n": self.segment})
        if self.tag:
            where.append(self.tag)
        if self.line:
            where.append(_("line %(n)d") % {"n": self.line})
        text = kind_labels()[self.kind]
        if self.fields:
            text += ": " + ", ".join(self.fields)
        place = ", ".join(where) or _("the message")
        return f"{place}: {text}."


def problem_of(*, severity: str, segment: int | None, line: int | None, text: str) -> Problem:
    """Reduce a finding to its structured parts; the text only chooses among fixed words."""
    tag = ""
    label = _LABEL.match(text)
    if label and label.group(1) in KNOWN_TAGS:
        tag = label.group(1)
        qualifier = label.group(2)
        if qualifier and tag in QUALIFIED_TAGS and _QUALIFIER.match(qualifier):
            tag = f"{tag}+{qualifier}"
    row = _ROW.match(text)
    if row and line is None:
        line = int(row.group(1))
    kind = next((code for code, pattern in KINDS if pattern.search(text)), "other")
    fields: tuple[str, ...] = ()
    if kind == "missing":
        fields = tuple(name for pattern, name in MISSING_FIELDS if pattern.search(text))
    return Problem(severity, segment, line, tag, kind, fields)


@dataclass
class MonthFigures:
    month: str
    messages: int = 0
    late: int = 0
    rejected: int = 0
    with_findings: int = 0


@dataclass
class FeedbackReport:
    airline: Airline
    start: date
    end: date
    messages: int = 0
    late: int = 0
    rejected: int = 0
    with_findings: int = 0
    # How late: (band label, messages).
    lateness: list[tuple[str, int]] = field(default_factory=list)
    months: list[MonthFigures] = field(default_factory=list)
    missing_fields: list[tuple[str, int]] = field(default_factory=list)
    # (segment tag, problem, count)
    format_errors: list[tuple[str, str, int]] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)


EXAMPLES_PER_KIND = 5
# Late messages by minutes between receipt and departure (negative: after it).
LATENESS_BANDS: list[tuple[int | None, int | None, str]] = [
    (None, 0, "after departure"),
    (0, 60, "less than 1 hour before departure"),
    (60, 6 * 60, "1 to 6 hours before departure"),
    (6 * 60, 24 * 60, "6 to 24 hours before departure"),
    (24 * 60, None, "24 hours or more before departure"),
]


def messages_of(airline: Airline, *, start: date, end: date) -> QuerySet[InboundMessage]:
    """The airline's messages for its task force in the period (both days), duplicates aside."""
    code = airline.sender_code
    return (
        InboundMessage.objects.filter(
            task_force_id=airline.task_force_id, received_at__date__range=(start, end)
        )
        .filter(Q(provider__code=code) | Q(provider__isnull=True, sender=code))
        .exclude(state=InboundMessage.State.DUPLICATE)
    )


def build_report(airline: Airline, *, start: date, end: date) -> FeedbackReport:
    report = FeedbackReport(airline=airline, start=start, end=end)
    messages = messages_of(airline, start=start, end=end)
    rows = list(
        messages.order_by("received_at").values(
            "id", "received_at", "is_late", "state", "minutes_before_departure"
        )
    )
    findings = list(
        Finding.objects.filter(message__in=messages)
        .order_by("message__received_at", "id")
        .values("message_id", "severity", "segment", "line", "text")
    )
    with_findings = {f["message_id"] for f in findings if f["severity"] != "info"}
    months: dict[str, MonthFigures] = {}
    bands: Counter[str] = Counter()
    for row in rows:
        key = row["received_at"].strftime("%Y-%m")
        figures = months.setdefault(key, MonthFigures(key))
        figures.messages += 1
        late = bool(row["is_late"])
        rejected = row["state"] == InboundMessage.State.REJECTED
        flagged = row["id"] in with_findings
        figures.late += late
        figures.rejected += rejected
        figures.with_findings += flagged
        if late and row["minutes_before_departure"] is not None:
            minutes = row["minutes_before_departure"]
            for low, high, label in LATENESS_BANDS:
                if (low is None or minutes >= low) and (high is None or minutes < high):
                    bands[label] += 1
                    break
    report.months = [months[k] for k in sorted(months)]
    report.messages = len(rows)
    report.late = sum(m.late for m in report.months)
    report.rejected = sum(m.rejected for m in report.months)
    report.with_findings = sum(m.with_findings for m in report.months)
    report.lateness = [(_(label), bands[label]) for _l, _h, label in LATENESS_BANDS]

    missing: Counter[str] = Counter()
    errors: Counter[tuple[str, str]] = Counter()
    shown: Counter[str] = Counter()
    labels = kind_labels()
    for f in findings:
        if f["severity"] == "info":
            continue
        problem = problem_of(
            severity=f["severity"], segment=f["segment"], line=f["line"], text=f["text"]
        )
        if problem.kind == "missing":
            for name in problem.fields or (_("unnamed field"),):
                missing[name] += 1
        else:
            errors[(problem.tag or "—", labels[problem.kind])] += 1
        if shown[problem.kind] < EXAMPLES_PER_KIND:
            shown[problem.kind] += 1
            report.examples.append(problem.sentence())
    report.missing_fields = sorted(missing.items(), key=lambda item: (-item[1], item[0]))
    report.format_errors = sorted(
        ((tag, kind, n) for (tag, kind), n in errors.items()), key=lambda r: (-r[2], r[0], r[1])
    )
    return report


def report_csv(report: FeedbackReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "item", "detail", "count"])
    code = report.airline.code
    period = f"{report.start.isoformat()}..{report.end.isoformat()}"
    writer.writerow(["airline", code, period, ""])
    writer.writerow(["summary", "messages", "", report.messages])
    writer.writerow(["summary", "late", "", report.late])
    writer.writerow(["summary", "rejected", "", report.rejected])
    writer.writerow(["summary", "with findings", "", report.with_findings])
    for label, n in report.lateness:
        writer.writerow(["lateness", label, "", n])
    for m in report.months:
        writer.writerow(["month", m.month, "messages", m.messages])
        writer.writerow(["month", m.month, "late", m.late])
        writer.writerow(["month", m.month, "rejected", m.rejected])
        writer.writerow(["month", m.month, "with findings", m.with_findings])
    for name, n in report.missing_fields:
        writer.writerow(["missing field", name, "", n])
    for tag, kind, n in report.format_errors:
        writer.writerow(["format error", tag, kind, n])
    for sentence in report.examples:
        writer.writerow(["example", sentence, "", ""])
    return out.getvalue()
