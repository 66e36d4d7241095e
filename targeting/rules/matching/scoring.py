"""Scoring a traveller against a watchlist entry: 0 to 100, with a reason an officer can act on.

How the score is made
---------------------
1. **Name parts.** Every identifying token of the traveller's name is paired with one of the
   listed name (greedily, best pair first, order ignored so that swapped surname and given
   names still pair). A pair's similarity is the best of:

   - rapidfuzz's normalised Indel ratio of the two spellings, and of the two spellings after
     ``phonetic_spelling`` (KH = H, DZH = J, OU = U);
   - a phonetic agreement (jellyfish), when the ratio is at least 60: metaphone *and* NYSIIS
     codes equal gives ``75 + ratio/4`` (MOHAMED ~ MUHAMMAD 91), one of the two
     ``62 + ratio/4``;
   - for a token from Arabic or Hebrew script, 93% of the ratio of the consonant skeletons,
     since the script wrote no short vowels (محمد = MHMD ~ MOHAMED);
   - an initial against a name it begins (J ~ JOHN) counts 85.

   A part contained in the other, two letters or more shorter, loses 12 (PETERS is not
   PETERSON).
   Parts of three letters or less get no phonetic credit and lose 15 (LI is not LIU). The name
   score is 60% the mean of the pairs' similarities weighted by token length (longer parts say
   more) and 40% the weakest pair (one disagreeing part sinks a name), less 4 points per extra
   part in the middle of one side (a missing middle name) and 10 for one at either end;
   when only one part can be compared against several, the score counts 80%. A second
   reading, for names with a different number of parts, joins the parts into one string
   (JEANPIERRE = JEAN PIERRE) and scores 4 less than its ratio; the better reading wins.
   Several names (aliases) on either side: the best pair of names is taken.
2. **Birth date** adjusts the name score: equal +10, day and month swapped +5, partial and
   consistent (the list gives YYYY or YYYY-MM) +5, missing on either side 0, one digit off -6,
   only the day differs -12, year off by one -12, otherwise -30.
3. **Nationality** is weak: equal +2, different -3 (people hold several), missing 0.
4. **Documents** stand on their own (the stolen/lost travel documents pattern): number and
   issuing state equal 100, equal apart from O/0, I/1, S/5, B/8, Z/2 confusion 96, issuing state
   missing on a side 92 (88 with confusion), issuing state different 50.

The final score is the larger of the person score (name + birth date + nationality, within
0..100) and the document score.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from rapidfuzz.distance import Indel

from targeting.rules.matching.names import (
    NameToken,
    NormalisedName,
    consonant_skeleton,
    normalise_name,
    phonetic_spelling,
)
from targeting.rules.matching.records import (
    BirthDate,
    ListedEntry,
    TravelDocument,
    TravellerRecord,
    parse_birth_date,
)

# Pairs below this similarity are different name parts, not variants of one.
_PAIR_FLOOR = 60.0
_CONFUSABLE = str.maketrans("OQDILSBZ", "00011582")
_SCRIPT_WORDS = {"CYRILLIC": "Cyrillic", "ARABIC": "Arabic", "GREEK": "Greek", "HEBREW": "Hebrew"}


def _ratio(a: str, b: str) -> float:
    return Indel.normalized_similarity(a, b) * 100.0


@lru_cache(maxsize=500_000)
def _token_similarity(a: str, b: str, abjad_a: bool, abjad_b: bool) -> tuple[float, str]:
    """Similarity 0..100 of two single name parts and the kind of agreement behind it."""
    if a == b:
        return 100.0, "equal"
    if len(a) == 1 or len(b) == 1:
        short, long_ = (a, b) if len(a) <= len(b) else (b, a)
        return (85.0, "initial") if long_.startswith(short) else (0.0, "")
    pa, pb = phonetic_spelling(a), phonetic_spelling(b)
    if pa == pb:
        return 97.0, "spelling"
    ratio = max(_ratio(a, b), _ratio(pa, pb))
    short, long_ = sorted((a, b), key=len)
    if short in long_ and len(long_) - len(short) >= 2:
        # SCHMIDT/SCHMIDTKE, PETERS/PETERSON, KILIC/DIZKILIC: a name inside a longer one is
        # another family name, not a misspelling.
        ratio -= 12.0
    best, how = ratio, "fuzzy"
    agreeing = (jellyfish.metaphone(pa) == jellyfish.metaphone(pb)) + (
        jellyfish.nysiis(pa) == jellyfish.nysiis(pb)
    )
    # Phonetic codes agree by chance for unrelated names (JANE and JOHN, HASAN and HUSSEIN):
    # they count only where the spellings already share much.
    phonetic = (75.0 if agreeing == 2 else 62.0) + ratio / 4 if agreeing and ratio >= 60 else 0.0
    if min(len(a), len(b)) <= 3:
        # LI and LIU, LEI and WEI are different names: in parts this short one letter is a lot,
        # and phonetic codes of two or three letters agree by chance.
        phonetic, ratio = 0.0, ratio - 15.0
        best = ratio
    if phonetic > best:
        best, how = phonetic, "phonetic"
    if abjad_a or abjad_b:
        skeleton = 0.93 * _ratio(consonant_skeleton(a, abjad_a), consonant_skeleton(b, abjad_b))
        if skeleton > best:
            best, how = skeleton, "consonants"
    return best, how


def token_similarity(a: NameToken, b: NameToken) -> tuple[float, str]:
    """Similarity 0..100 of two name parts, best over their readings (ALHASAN or HASAN).

    Rule: see the module docstring, step 1. The second value names the agreement: "equal",
    "spelling" (a transliteration convention), "phonetic", "consonants", "initial", "fuzzy".
    """
    best: tuple[float, str] = (0.0, "")
    for va in a.variants:
        for vb in b.variants:
            found = _token_similarity(va, vb, a.is_abjad, b.is_abjad)
            if found[0] > best[0]:
                best = found
    return best


@dataclass(frozen=True, slots=True)
class TokenPair:
    """A traveller's name part paired with a listed one."""

    traveller: NameToken
    listed: NameToken
    similarity: float
    how: str


@dataclass(frozen=True, slots=True)
class NameComparison:
    """The outcome of comparing two names: score and the pairs that made it."""

    score: float
    pairs: tuple[TokenPair, ...]
    extra_traveller: tuple[str, ...]
    extra_listed: tuple[str, ...]
    joined: bool  # the joined reading won (JEANPIERRE = JEAN PIERRE)


def _joined_readings(name: NormalisedName, skeleton: bool) -> set[str]:
    """The name's parts run together: as written, sorted, and given names first."""
    parts = [(consonant_skeleton(t.text, t.is_abjad) if skeleton else t.text) for t in name.tokens]
    readings = {"".join(parts), "".join(sorted(parts))}
    if name.is_structured:
        given = [p for p, t in zip(parts, name.tokens, strict=True) if t.role != "surname"]
        readings.add("".join(given + [p for p in parts if p not in given]))
    return readings


def _joined_score(traveller: NormalisedName, listed: NormalisedName, abjad: bool) -> float:
    """Best ratio of the joined readings (JEANPIERRE = JEAN PIERRE, ABDULLAH = عبد الله)."""
    ra, rb = _joined_readings(traveller, abjad), _joined_readings(listed, abjad)
    best = max(_ratio(a, b) for a in ra for b in rb)
    return best * (0.93 if abjad else 1.0) - 4.0


def compare_names(traveller: NormalisedName, listed: NormalisedName) -> NameComparison:
    """Compare two normalised names, order of parts ignored; rule in the module docstring."""
    ta, tb = traveller.tokens, listed.tokens
    if not ta or not tb:
        return NameComparison(0.0, (), (), (), False)
    candidates = sorted(
        ((*token_similarity(a, b), i, j) for i, a in enumerate(ta) for j, b in enumerate(tb)),
        key=lambda c: -c[0],
    )
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[tuple[int, TokenPair]] = []
    for sim, how, i, j in candidates:
        if i in used_a or j in used_b:
            continue
        used_a.add(i)
        used_b.add(j)
        pairs.append((i, TokenPair(ta[i], tb[j], sim, how)))
    pairs.sort(key=lambda p: p[0])
    weight = total = 0.0
    for _, pair in pairs:
        w = 2.0 if pair.how == "initial" else float(min(max(len(pair.traveller.text), 3), 8))
        weight += w
        total += w * pair.similarity
    # One part that does not agree sinks a name more than a mean says (TRAORE vs TOURE with
    # the same given name): blend in the weakest pair.
    score = 0.6 * (total / weight) + 0.4 * min(p.similarity for _, p in pairs)
    shorter, longer = min(len(ta), len(tb)), max(len(ta), len(tb))
    if shorter == 1 and longer > 1:
        score *= 0.8
    else:
        # A missing middle name costs little; a missing first or last part (probably a surname
        # or the first given name) costs more.
        for extra, side in ((set(range(len(ta))) - used_a, ta), (set(range(len(tb))) - used_b, tb)):
            for k in extra:
                score -= 10.0 if k in (0, len(side) - 1) else 4.0
    # Joining only helps where parts were split differently or read poorly; skip it otherwise.
    joined_score = 0.0
    if score < 92.0 and len(ta) != len(tb):
        joined_score = _joined_score(traveller, listed, any(t.is_abjad for t in (*ta, *tb)))
    joined = joined_score > score
    extra_a = tuple(t.text for k, t in enumerate(ta) if k not in used_a)
    extra_b = tuple(t.text for k, t in enumerate(tb) if k not in used_b)
    return NameComparison(
        max(score, joined_score, 0.0), tuple(p for _, p in pairs), extra_a, extra_b, joined
    )


def name_score_bound(
    traveller: NormalisedName,
    listed: NormalisedName,
    similarity: Callable[[NameToken, NameToken], float],
    needed: float = 100.0,
) -> float:
    """An upper bound of ``compare_names(traveller, listed).score`` from its parts alone.

    Rule: every pair ``compare_names`` makes scores at most the best similarity its traveller
    part (or its listed part) has with any part of the other name, so the weighted mean and the
    weakest pair are bounded by those bests; extra parts cost at least 4 each (or the score
    counts 80% against a one-part name). The joined reading (JEANPIERRE) is computed exactly,
    and only when the bound so far stays under ``needed``, so the result is either at least the
    true score or at least ``needed``. ``similarity(a, b)`` is ``token_similarity(a, b)[0]``,
    usually memoised by the caller. The index uses this to skip scoring most candidates.
    """
    ta, tb = traveller.tokens, listed.tokens
    if not ta or not tb:
        return 0.0
    sims = [[similarity(a, b) for b in tb] for a in ta]
    if len(ta) <= len(tb):  # every traveller part is paired
        best = [max(row) for row in sims]
        if any(len(t.text) == 1 for t in (*ta, *tb)):
            mean = max(best)  # an initial pair weighs 2, not its length
        else:
            weights = [float(min(max(len(t.text), 3), 8)) for t in ta]
            mean = sum(w * b for w, b in zip(weights, best, strict=True)) / sum(weights)
    else:  # every listed part is paired, with traveller parts unknown
        best = [max(column) for column in zip(*sims, strict=True)]
        mean = max(best)
    bound = 0.6 * mean + 0.4 * min(best)
    shorter, longer = sorted((len(ta), len(tb)))
    if shorter == 1 and longer > 1:
        bound *= 0.8
    else:
        bound -= 4.0 * (longer - shorter)
    if bound < needed and shorter != longer:
        bound = max(bound, _joined_score(traveller, listed, any(t.is_abjad for t in (*ta, *tb))))
    return bound


def compare_birth_dates(traveller: BirthDate | None, listed: BirthDate | None) -> tuple[float, str]:
    """Points added to the name score for the birth dates, and the reason; rule in step 2."""
    if traveller is None or listed is None:
        return 0.0, "no birth date to compare"
    t, s = traveller, listed
    if t.is_full and s.is_full:
        if (t.year, t.month, t.day) == (s.year, s.month, s.day):
            return 10.0, f"birth date equal ({t})"
        if t.year == s.year and (t.month, t.day) == (s.day, s.month):
            return 5.0, f"birth date equal with day and month swapped ({t} / {s})"
        digits = sum(x != y for x, y in zip(f"{t}", f"{s}", strict=True))
        if digits == 1:
            return -6.0, f"birth date differs by one digit ({t} / {s}), a typing error?"
        if (t.year, t.month) == (s.year, s.month):
            return -12.0, f"birth day differs ({t} / {s})"
    elif t.year == s.year:
        if t.month is None or s.month is None or t.month == s.month:
            return 5.0, f"birth date consistent ({t} / listed {s})"
        if t.day == s.month or s.day == t.month:
            return 2.0, f"birth month consistent with day and month swapped ({t} / {s})"
    if abs(t.year - s.year) == 1:
        return -12.0, f"birth year differs by one ({t} / {s})"
    return -30.0, f"birth date differs ({t} / listed {s})"


def compare_nationalities(traveller: str | None, listed: str | None) -> tuple[float, str]:
    """Points for nationality (ISO 3166 alpha-3): a weak signal; rule in step 3."""
    if not traveller or not listed:
        return 0.0, ""
    if traveller.strip().upper() == listed.strip().upper():
        return 2.0, f"nationality equal ({listed.upper()})"
    return -3.0, f"nationality differs ({traveller.upper()} / {listed.upper()})"


def document_number_key(number: str) -> str:
    """A document number as compared: alphanumerics only, look-alike letters read as digits.

    Rule: MRZ and OCR confuse O/0 (and Q, D), I/1 (and L), S/5, B/8 and Z/2; spaces, dashes and
    dots are layout (ICAO 9303 numbers are alphanumeric only).
    """
    return "".join(ch for ch in number.upper() if ch.isalnum()).translate(_CONFUSABLE)


def _plain_number(number: str) -> str:
    return "".join(ch for ch in number.upper() if ch.isalnum())


def compare_documents(
    traveller: tuple[TravelDocument, ...], listed: tuple[TravelDocument, ...]
) -> tuple[float, str]:
    """Score of the best agreeing pair of documents and its reason; rule in step 4."""
    best: tuple[float, str] = (0.0, "")
    for td in traveller:
        for ld in listed:
            if document_number_key(td.number) != document_number_key(ld.number):
                continue
            exact = _plain_number(td.number) == _plain_number(ld.number)
            what = "equal" if exact else "equal apart from look-alike characters (O/0, I/1...)"
            ts, ls = (td.issuing_state or "").upper(), (ld.issuing_state or "").upper()
            if ts and ls and ts != ls:
                found = (50.0, f"document number {ld.number} {what}, issued by {ts} not {ls}")
            elif ts and ls:
                found = (
                    100.0 if exact else 96.0,
                    f"document {ls} {ld.number} {what}, issuing state equal",
                )
            else:
                found = (92.0 if exact else 88.0, f"document number {ld.number} {what}")
            best = max(best, found)
    return best


@dataclass(frozen=True, slots=True)
class PreparedPerson:
    """A traveller or an entry with names normalised and dates parsed, ready to score."""

    names: tuple[NormalisedName, ...]
    birth_date: BirthDate | None
    nationality: str | None
    documents: tuple[TravelDocument, ...]


def prepare_entry(entry: ListedEntry) -> PreparedPerson:
    """Normalise an entry's names and aliases and parse its birth date once."""
    names = tuple(n for n in (normalise_name(raw) for raw in entry.names) if n.tokens)
    return PreparedPerson(
        names, parse_birth_date(entry.birth_date), entry.nationality, tuple(entry.documents)
    )


def prepare_traveller(traveller: TravellerRecord) -> PreparedPerson:
    """Normalise a traveller's name (structured when surname/given names are given)."""
    names: list[NormalisedName] = []
    if traveller.surname or traveller.given_names:
        names.append(
            normalise_name("", surname=traveller.surname, given_names=traveller.given_names)
        )
    if traveller.name:
        names.append(normalise_name(traveller.name))
    return PreparedPerson(
        tuple(n for n in names if n.tokens),
        parse_birth_date(traveller.birth_date),
        traveller.nationality,
        tuple(traveller.documents),
    )


@dataclass(frozen=True, slots=True)
class MatchResult:
    """A score from 0 to 100 and the reasons behind it, in the order an officer checks them."""

    score: float
    reasons: tuple[str, ...]

    @property
    def explanation(self) -> str:
        """The reasons as one sentence, separated by semicolons."""
        return "; ".join(r for r in self.reasons if r)


def _role_word(token: NameToken) -> str:
    return {"surname": "surname", "given": "given name"}.get(token.role, "name")


def describe_names(comparison: NameComparison, listed: NormalisedName) -> list[str]:
    """Plain-language reasons for a name comparison, one per pair of parts."""
    scripts = sorted(_SCRIPT_WORDS.get(s, s.title()) for s in listed.scripts)
    after = f" after transliteration from {', '.join(scripts)}" if scripts else ""
    reasons = [
        f"listed as {listed.original.strip()!r}" + (f" ({listed.display()})" if after else "")
    ]
    if comparison.joined:
        reasons.append(f"name parts equal when joined ({comparison.score:.0f})")
    for pair in comparison.pairs:
        role, a, b = _role_word(pair.traveller), pair.traveller.text, pair.listed.text
        if pair.similarity < _PAIR_FLOOR:
            reasons.append(f"{role} {a} differs from {b}")
        elif pair.how == "equal":
            reasons.append(f"{role} {a} equal{after}")
        elif pair.how == "initial":
            reasons.append(f"{role} {a} ~ {b}: initial")
        else:
            note = {
                "spelling": "transliteration variant",
                "phonetic": "sounds alike",
                "consonants": "same consonants",
            }.get(pair.how, "similar spelling")
            reasons.append(f"{role} {a} ~ {b} {pair.similarity:.0f} ({note}){after}")
    if comparison.extra_traveller:
        reasons.append(f"traveller's {' '.join(comparison.extra_traveller)} not on the list")
    if comparison.extra_listed:
        reasons.append(f"listed {' '.join(comparison.extra_listed)} not in traveller's name")
    roles = {(p.traveller.role, p.listed.role) for p in comparison.pairs if p.similarity >= 60}
    if ("surname", "given") in roles or ("given", "surname") in roles:
        reasons.append("surname and given names in swapped order")
    return reasons


def score_prepared(
    traveller: PreparedPerson, listed: PreparedPerson, *, explain: bool = True
) -> MatchResult:
    """Score a prepared traveller against a prepared entry; rule in the module docstring.

    With ``explain=False`` the reasons are left out: the index scores many candidates that fall
    under the threshold and explains only those that pass.
    """
    best: tuple[NameComparison, NormalisedName] | None = None
    for tn in traveller.names:
        for ln in listed.names:
            comparison = compare_names(tn, ln)
            if best is None or comparison.score > best[0].score:
                best = (comparison, ln)
    reasons: list[str] = []
    person = 0.0
    if best is not None:
        comparison, listed_name = best
        dob_points, dob_reason = compare_birth_dates(traveller.birth_date, listed.birth_date)
        nat_points, nat_reason = compare_nationalities(traveller.nationality, listed.nationality)
        person = min(100.0, max(0.0, comparison.score + dob_points + nat_points))
        if explain:
            reasons = [f"name {comparison.score:.0f}", *describe_names(comparison, listed_name)]
            reasons += [dob_reason, nat_reason]
    doc_score, doc_reason = compare_documents(traveller.documents, listed.documents)
    if doc_reason:
        reasons.insert(0, doc_reason) if doc_score >= person else reasons.append(doc_reason)
    return MatchResult(round(max(person, doc_score), 1), tuple(r for r in reasons if r))


def score_match(traveller: TravellerRecord, entry: ListedEntry) -> MatchResult:
    """Score one traveller against one watchlist entry (0..100) with the reason.

    Rule: the module docstring. For many travellers or entries use ``WatchlistIndex``, which
    prepares each entry once and compares only the candidates its blocking keys find.
    """
    return score_prepared(prepare_traveller(traveller), prepare_entry(entry))
