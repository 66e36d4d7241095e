"""The plain records the matcher takes: a listed entry, a traveller, a document, a birth date.

The Django side maps its models to these; nothing here knows of a database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

_DATE = re.compile(r"^\s*(\d{4})(?:-?(\d{2}))?(?:-?(\d{2}))?\s*$")


@dataclass(frozen=True, slots=True)
class BirthDate:
    """A birth date that may be known only to the year or the month (list side often is).

    ``month`` and ``day`` are None when unknown; ICAO 9303 writes an unknown part as 00 (or XX
    in the MRZ), which reads as unknown here too.
    """

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def is_full(self) -> bool:
        """Year, month and day are all known."""
        return self.month is not None and self.day is not None

    def __str__(self) -> str:
        parts = [f"{self.year:04d}"]
        if self.month is not None:
            parts.append(f"{self.month:02d}")
            if self.day is not None:
                parts.append(f"{self.day:02d}")
        return "-".join(parts)


def parse_birth_date(value: str | date | BirthDate | None) -> BirthDate | None:
    """Read YYYY, YYYY-MM, YYYY-MM-DD (or without dashes) or a ``date``; None if absent.

    Rule: ISO 8601 calendar dates, reduced precision allowed (issue 4's import columns); a month
    or day of 00 means unknown. Raises ValueError naming the value when it is not a date.
    """
    if value is None or isinstance(value, BirthDate):
        return value
    if isinstance(value, date):
        return BirthDate(value.year, value.month, value.day)
    if not value.strip():
        return None
    match = _DATE.match(value)
    if not match:
        raise ValueError(f"birth date {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g and int(g) else None for g in match.groups())
    if year is None or (month is not None and not 1 <= month <= 12):
        raise ValueError(f"birth date {value!r} has no valid year or month")
    if day is not None and (month is None or not 1 <= day <= 31):
        raise ValueError(f"birth date {value!r} has no valid day")
    return BirthDate(year, month, day)


@dataclass(frozen=True, slots=True)
class TravelDocument:
    """A travel document: number as written, ICAO 9303 issuing state (alpha-3), type code."""

    number: str
    issuing_state: str | None = None
    kind: str | None = None  # P passport, I identity card, ... (PAXLST DOC 1001)


@dataclass(frozen=True, slots=True)
class ListedEntry:
    """One watchlist entry: a person (names and aliases in any script) and/or documents.

    ``names`` hold the full name and each alias; write ``SURNAME, GIVEN`` or an MRZ
    ``SURNAME<<GIVEN`` when the list says which part is the surname. A document-only entry
    (stolen/lost travel documents) has no names. ``list_id`` says whose threshold applies.
    """

    entry_id: int | str
    names: tuple[str, ...] = ()
    birth_date: str | date | BirthDate | None = None
    nationality: str | None = None
    documents: tuple[TravelDocument, ...] = ()
    list_id: str = ""


@dataclass(frozen=True, slots=True)
class TravellerRecord:
    """A traveller as API/PNR data give them: surname and given names, or one full name."""

    surname: str = ""
    given_names: str = ""
    name: str = ""  # a full name when the source does not split it (PNR, a walk-in search)
    birth_date: str | date | BirthDate | None = None
    nationality: str | None = None
    documents: tuple[TravelDocument, ...] = field(default_factory=tuple)
