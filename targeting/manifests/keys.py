"""Keys that let the same person or document be recognised across messages. Pure functions."""

from __future__ import annotations

import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^A-Z0-9 ]+")
_SPACES = re.compile(r"\s+")
_DOCUMENT_NOISE = re.compile(r"[^A-Z0-9]")


def fold(text: str | None) -> str:
    """Upper case, accents removed, punctuation turned to spaces, spaces collapsed (MRZ style)."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", _NOT_ALNUM.sub(" ", stripped.upper())).strip()


def name_key(surname: str | None, given_names: str | None) -> str:
    """Surname and first given name, letters and digits only.

    API often carries all given names, PNR only the first; reservation systems drop the
    apostrophes, hyphens and spaces of compound surnames (N'DIAYE, NDIAYE).
    """
    first_given = fold(given_names).split(" ", 1)[0]
    return f"{fold(surname).replace(' ', '')}/{first_given}"


def document_key(number: str | None) -> str:
    """A document number as machines compare it: upper case, no spaces, dashes or fillers."""
    return _DOCUMENT_NOISE.sub("", (number or "").upper())


def phone_key(number: str) -> str:
    """Digits only, without the international prefix 00, so +228 90 and 00228-90 compare equal."""
    digits = re.sub(r"\D", "", number)
    return digits[2:] if digits.startswith("00") else digits


def email_key(address: str) -> str:
    return address.strip().lower()


def flight_number_key(number: str | None) -> str:
    """A flight number without leading zeros (codes.md: compare after stripping them)."""
    value = (number or "").strip().upper()
    digits = value.rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    suffix = value[len(digits) :]
    return (digits.lstrip("0") or "0") + suffix if digits else value
