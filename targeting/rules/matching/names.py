"""Normalising personal names across scripts and spellings.

A name as an airline, a passport's MRZ or a watchlist writes it ("Мухаммад Аль-Хасан",
"AL-HASAN<<MUHAMMAD", "Dr. Jean-Pierre N'Diaye") becomes a ``NormalisedName``: upper-case
Latin tokens, each knowing the script it came from and, where the source said so, whether it
is a surname or a given name. Particles and titles are set apart, so that what is left is what
identifies the person.

Transliteration is anyascii's (ISC licence). On top of it sits a thin layer for conventions of
names that no general transliterator knows: the Arabic article written as a prefix, the Russian
rendering of Arabic ``h`` as ``kh``, and the vowels that Arabic and Hebrew script leave out.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import jellyfish
from anyascii import anyascii

Role = Literal["surname", "given", ""]

# Courtesy and academic titles carry no identity; airlines append them to given names in PNR
# ("JOHN MR") and lists copy them from source documents.
TITLES = frozenset(
    [
        "MR",
        "MRS",
        "MS",
        "MISS",
        "MSTR",
        "MASTER",
        "DR",
        "PROF",
        "SIR",
        "DAME",
        "MME",
        "MLLE",
        "HERR",
        "FRAU",
        "SHEIKH",
        "SHAIKH",
        "HAJI",
        "HADJI",
        "HAJJ",
        "ENG",
        "ING",
        "REV",
        "FR",
        "SR",
        "SRA",
        "SRTA",
    ]
)

# Particles that are part of a surname's spelling but not of its identity: AL-HASAN, EL HASSAN
# and HASAN name the same family. ``BN``, ``BNT`` and ``BW`` are what anyascii makes of the
# Arabic-script ibn, bint and abu, whose vowels the script does not write.
PARTICLES = frozenset(
    [
        "AL",
        "EL",
        "UL",
        "BIN",
        "BEN",
        "IBN",
        "BINT",
        "BNT",
        "BN",
        "ABU",
        "ABOU",
        "BW",
        "VAN",
        "VON",
        "DER",
        "DEN",
        "TER",
        "TEN",
        "DE",
        "DA",
        "DI",
        "DU",
        "DOS",
        "DAS",
        "DO",
        "DEL",
        "DELA",
        "DELLA",
        "DELLE",
        "DEI",
        "LE",
        "LA",
        "LES",
        "LO",
        "Y",
        "ABD",
        "ABDUL",
        "ABDEL",
        "ABDOUL",
        "ABDAL",
    ]
)
# The Arabic article assimilates to "sun letters" (AR-RASHID, ASH-SHAMI, AD-DIN); these short
# forms are particles only when a hyphen ties them to the next word, since AS or AN alone can be
# a name.
SUN_LETTER_ARTICLES = frozenset(["AD", "AR", "AS", "ASH", "AT", "AZ", "AN", "ATH", "ADH"])
# Particles that are also common given names (Ben, Abu, Da, La): kept as a name when they open
# the given names, e.g. "SMITH, BEN".
AMBIGUOUS_PARTICLES = frozenset(["BEN", "ABU", "DA", "LA", "LE", "DI", "DO"])

_ABD_FORMS = frozenset(("ABD", "ABDUL", "ABDEL", "ABDOUL", "ABDAL", "ABDU"))
_ALLAH_FORMS = frozenset(("ALLAH", "ULLAH", "LLAH", "LAH", "ALLA", "ULLA"))

# Scripts whose spelling omits short vowels: a token from them is compared by its consonants.
ABJAD_SCRIPTS = frozenset({"ARABIC", "HEBREW", "SYRIAC", "THAANA"})

_ARABIC_ARTICLE = re.compile(r"(?<![^\s\-])\u0627\u0644(?=\S{2})")
_APOSTROPHES = re.compile(r"['`\u2018\u2019\u02bc\u02bb\u02b9\u00b4]")
_SEPARATORS = re.compile(r"[^A-Z0-9]+")
_VOWELS = re.compile(r"[AEIOUY]")
_DOUBLES = re.compile(r"(.)\1+")
# A particle written together with the name (ALHASAN, VANDERBERG, DELACRUZ, BINLADEN) and the
# Arabic ABD- compounds (ABDELRAHMAN = ABD AL-RAHMAN): the rest must still be a name of 4+.
_GLUED_PARTICLE = re.compile(
    r"^(?:VANDER|VANDEN|VAN|VON|DELLA|DELA|DEL|DOS|DAS|DE|DA|DI|DU|LA|LE|BINT|BIN|BEN|IBN|ABU"
    r"|AL|EL|UL|ABD(?:UL|EL|AL|OUL|U|E)?(?!U?LL?AH$))(?=[A-Z]{4,}$)"
)


@dataclass(frozen=True, slots=True)
class NameToken:
    """One identifying part of a name in upper-case Latin, with where it came from."""

    text: str
    script: str  # Unicode script of the source word: "LATIN", "CYRILLIC", "ARABIC", ...
    role: Role
    variants: tuple[str, ...]  # ``text`` plus other readings, e.g. without a glued AL-

    @property
    def is_initial(self) -> bool:
        """A single letter stands for a given name (J. for JOHN)."""
        return len(self.text) == 1

    @property
    def is_abjad(self) -> bool:
        """The source script wrote no short vowels, so only consonants can be compared."""
        return self.script in ABJAD_SCRIPTS


@dataclass(frozen=True, slots=True)
class NormalisedName:
    """A name reduced to its identifying tokens, in the order the source wrote them."""

    original: str
    tokens: tuple[NameToken, ...]
    particles: tuple[str, ...]

    @property
    def is_structured(self) -> bool:
        """The source said which part is the surname (MRZ ``<<``, ``SURNAME, GIVEN``)."""
        return any(t.role for t in self.tokens)

    @property
    def scripts(self) -> frozenset[str]:
        """Scripts of the source words other than Latin, for the explanation."""
        return frozenset(t.script for t in self.tokens if t.script not in ("LATIN", ""))

    def display(self) -> str:
        """The tokens as an officer reads them: SURNAME, GIVEN when known."""
        surname = [t.text for t in self.tokens if t.role == "surname"]
        given = [t.text for t in self.tokens if t.role != "surname"]
        if surname:
            return " ".join(surname) + (", " + " ".join(given) if given else "")
        return " ".join(given)


def script_of(word: str) -> str:
    """The Unicode script of the first letter of ``word`` ("LATIN", "CYRILLIC", "ARABIC"...).

    Read from the Unicode character name, whose first word names the script for letters.
    """
    for ch in word:
        if ch.isalpha():
            return unicodedata.name(ch, "UNKNOWN").split(" ", 1)[0]
    return ""


def _is_cjk(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith(("CJK UNIFIED", "HANGUL SYLLABLE"))


@lru_cache(maxsize=200_000)
def transliterate_word(word: str) -> tuple[str, str]:
    """Transliterate one written word to upper-case ASCII; return it with its script.

    Rule: NFKC first (so ligatures and full-width forms read as letters), then anyascii. Han and
    Hangul are transliterated one syllable at a time with spaces, because anyascii would glue a
    whole name (王伟 -> WANGWEI) where passports write WANG WEI. Apostrophes vanish (N'DIAYE =
    NDIAYE, the Cyrillic soft sign), other punctuation separates tokens.
    """
    word = unicodedata.normalize("NFKC", word)
    script = script_of(word)
    if any(_is_cjk(ch) for ch in word):
        word = " ".join(anyascii(ch) if _is_cjk(ch) else ch for ch in word)
    latin = anyascii(_ARABIC_ARTICLE.sub("al-", word))
    latin = _APOSTROPHES.sub("", latin).upper()
    return latin, script


@lru_cache(maxsize=200_000)
def phonetic_spelling(token: str) -> str:
    """Rewrite spellings that transliteration conventions disagree on, before phonetic codes.

    Rule: Russian renders Arabic and Persian h as KH (Мухаммад = MUKHAMMAD), j as DZH (Джамал)
    and French and English write it DJ; OU and U, EE and I are the same sounds across French and
    English renderings of Arabic names. Only these conventions are rewritten; the rest is left to
    the phonetic algorithms.
    """
    out = token.replace("DZH", "J").replace("DJ", "J").replace("KH", "H")
    return out.replace("OU", "U").replace("EE", "I")


@lru_cache(maxsize=200_000)
def consonant_skeleton(token: str, abjad: bool = False) -> str:
    """The consonants of a token, doubles collapsed: MOHAMMED -> MHMD, HUSSEIN -> HSN.

    Rule: Arabic and Hebrew script write consonants and long vowels only, so a Latin spelling
    and an abjad one meet on their consonants. A Y after the first letter is a vowel in Latin
    spellings (HUSAYN) and a long vowel in anyascii's Arabic (hsyn); a W after the first letter
    of an abjad word is most often the long vowel u (ywsf = YUSUF), so it goes there too.
    """
    spelt = phonetic_spelling(token)
    head, tail = spelt[:1], _VOWELS.sub("", spelt[1:])
    if head in "AEIOU":
        head = ""
    if abjad:
        tail = tail.replace("W", "")
    return _DOUBLES.sub(r"\1", head + tail) or spelt[:1]


@lru_cache(maxsize=200_000)
def blocking_code(token: str, abjad: bool = False) -> str:
    """A coarse phonetic code of a token for the index: metaphone of its consonant skeleton.

    Rule: Metaphone (jellyfish) merges consonants that sound alike (C/K/Q, PH/F, TH); applied to
    the skeleton it also ignores vowels, so MOHAMED, MUHAMMAD, Мухаммад and محمد share MHMT.
    """
    skeleton = consonant_skeleton(token, abjad)
    return jellyfish.metaphone(skeleton) or skeleton


def _variants(token: str) -> tuple[str, ...]:
    # ALHASAN written as one word is AL HASAN; keep both readings and let comparison choose.
    bare = _GLUED_PARTICLE.sub("", token)
    return (token, bare) if bare != token else (token,)


def _split_structure(raw: str) -> list[tuple[str, Role]]:
    """Split a raw name into parts with the role the source gave them, if any."""
    if "<<" in raw:  # ICAO 9303 MRZ: SURNAME<<GIVEN<NAMES, filler < between words
        surname, _, given = raw.partition("<<")
        return [(surname.replace("<", " "), "surname"), (given.replace("<", " "), "given")]
    if "," in raw:
        surname, _, given = raw.partition(",")
        return [(surname, "surname"), (given, "given")]
    return [(raw, "")]


def _tokens_of_part(text: str, role: Role) -> tuple[list[NameToken], list[str]]:
    words: list[tuple[str, str, bool]] = []  # (latin token, script, tied to next by hyphen)
    for word in text.split():
        latin, script = transliterate_word(word)
        pieces = [p for p in re.split(r"(-)|[^A-Z0-9\-]+", latin) if p]
        for i, piece in enumerate(pieces):
            if piece == "-":
                continue
            tied = i + 1 < len(pieces) and pieces[i + 1] == "-"
            for sub in _SEPARATORS.split(piece):
                if sub:
                    words.append((sub, script, tied))
    tokens: list[NameToken] = []
    particles: list[str] = []
    prefix = ""  # a word that joins the next one: MAC DONALD, ABD ALLAH
    for i, (tok, script, tied) in enumerate(words):
        has_next = i + 1 < len(words)
        # Titles are Latin-script words; عمر transliterates to MR and is a name.
        if tok in TITLES and len(words) > 1 and script in ("LATIN", ""):
            continue
        if tok in _ABD_FORMS and has_next and words[i + 1][0] in _ALLAH_FORMS:
            prefix = "ABDUL"  # ABD ALLAH = ABDUL LAH = ABDULLAH: one name, not a particle
            continue
        if prefix == "ABDUL":
            tok = "LAH"
        is_particle = tok in PARTICLES or (tied and tok in SUN_LETTER_ARTICLES)
        if is_particle and tok in AMBIGUOUS_PARTICLES and role == "given" and i == 0:
            is_particle = False
        if is_particle and has_next and not prefix:
            particles.append(tok)
            continue
        if tok in ("MAC", "MC") and has_next:
            prefix = "MAC"  # MAC DONALD = MACDONALD = MCDONALD
            continue
        if tok.startswith("MC") and len(tok) > 3:
            tok = "MAC" + tok[2:]
        tok = sys.intern(prefix + tok)
        prefix = ""
        tokens.append(NameToken(tok, script, role, tuple(sys.intern(v) for v in _variants(tok))))
    return tokens, particles


def normalise_name(
    raw: str, *, surname: str | None = None, given_names: str | None = None
) -> NormalisedName:
    """Normalise a personal name written in any script and any common layout.

    Rule: the name's structure comes from the source when it says so (``surname``/``given_names``
    arguments, an MRZ ``SURNAME<<GIVEN``, or ``SURNAME, GIVEN``); otherwise the order of the
    tokens is unknown and comparison ignores it. Each word is transliterated (anyascii), cut at
    hyphens and punctuation, titles (MR, DR...) are dropped, particles (AL, BIN, VAN, DE...) are
    set apart, MAC/MC join the following word, and an article glued to a word (ALHASAN) gives
    a second reading without it.
    """
    if surname is not None or given_names is not None:
        parts: list[tuple[str, Role]] = [(surname or "", "surname"), (given_names or "", "given")]
        raw = raw or f"{surname or ''}, {given_names or ''}"
    else:
        parts = _split_structure(raw)
    tokens: list[NameToken] = []
    particles: list[str] = []
    for text, role in parts:
        part_tokens, part_particles = _tokens_of_part(text, role)
        tokens.extend(part_tokens)
        particles.extend(part_particles)
    return NormalisedName(raw, tuple(tokens), tuple(particles))
