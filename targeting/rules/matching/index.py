"""A blocking index over watchlist entries: a lookup scores only the entries that share a key.

Blocking keys
-------------
Every name part gets a phonetic code (``blocking_code``: metaphone of the consonant skeleton,
so transliterations and Arabic script meet). An entry's name is filed under:

- ``P`` keys: each unordered pair of its parts' codes (also of an article-free reading such as
  HASAN for ALHASAN, and of two adjacent parts joined, so that JEANPIERRE meets JEAN PIERRE).
  Two parts must agree for a candidate, which keeps a common name (MOHAMED) from bringing in
  tens of thousands of entries; a pair is order-free, so swapped names meet.
- ``Q`` keys: a part's code (and its one-letter deletions) with the initial of another part.
  Only a traveller whose name has an initial (J SMITH) looks these up; an initial on the list
  side is its own code (``#J``).
- ``1`` keys: the code of a one-part reading: a mononym, or two parts joined (ABD ALLAH read
  as ABDALLAH); a query looks them up with each of its parts and its joined readings.
- ``D`` keys: each document number as ``document_number_key`` reads it (O/0, I/1...).

Keys are hashed to 64 bits (blake2b, stable across processes) and kept in two sorted numpy
arrays, so 1,000,000 entries cost a few hundred megabytes of keys and a lookup is a binary
search per key. What it cannot find: a name whose every pair of parts changed its phonetic code
(two typos in a two-part name), or a one-part traveller name against a longer listed name.

Lookups
-------
A flight is looked up at once (``lookup`` is a flight of one): the keys of every traveller are
searched together, then each (traveller, entry) pair gets its birth date and nationality points
from arrays, and ``prefilter.NameTable`` bounds the name score of all of a traveller's
candidates with numpy and rapidfuzz. Only pairs whose bound reaches the threshold are checked
again with exact part similarities (``name_score_bound``) and then scored. Every bound is an
upper bound, so a lookup returns what scoring every candidate would; at a million entries a
traveller has a few hundred candidates, of which a handful are scored.

Thresholds
----------
One index can hold several lists: each entry carries a ``list_id`` and each list has its own
threshold (``thresholds``), others take ``default_threshold``. The Django side may equally build
one index per list; both work. The index pickles (numpy arrays and plain dataclasses).
"""

from __future__ import annotations

import hashlib
import re
from array import array
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import numpy as np

from targeting.rules.matching.names import NameToken, NormalisedName, blocking_code
from targeting.rules.matching.prefilter import NameTable
from targeting.rules.matching.records import BirthDate, ListedEntry, TravellerRecord
from targeting.rules.matching.scoring import (
    MatchResult,
    PreparedPerson,
    compare_birth_dates,
    compare_nationalities,
    document_number_key,
    name_score_bound,
    prepare_entry,
    prepare_traveller,
    score_prepared,
    token_similarity,
)

DEFAULT_THRESHOLD = 80.0
_DOUBLES = re.compile(r"(.)\1+")
# Names with more parts than this are filed under their longest parts only, to bound the pairs.
_MAX_PARTS = 5


@dataclass(frozen=True, slots=True)
class Candidate:
    """A watchlist entry that a traveller may be, with the score and the reason."""

    entry_id: int | str
    list_id: str
    score: float
    explanation: str


def _key_hash(key: str) -> int:
    return int.from_bytes(
        hashlib.blake2b(key.encode(), digest_size=8).digest(), "little", signed=True
    )


def _codes(token: NameToken) -> set[str]:
    if token.is_initial:
        return {"#" + token.text}
    return {blocking_code(v, token.is_abjad) for v in token.variants}


def _name_parts(name: NormalisedName) -> list[tuple[set[str], str]]:
    """Codes of each part (longest parts first when there are many) and its initial."""
    tokens = sorted(name.tokens, key=lambda t: -len(t.text))[:_MAX_PARTS]
    return [(_codes(t), t.text[0]) for t in tokens]


@lru_cache(maxsize=500_000)
def _deletions(code: str) -> frozenset[str]:
    """The code and each of its one-letter deletions (KFLSK -> KLSK): one typo apart meet."""
    # A one-letter code would meet half the list once its letter goes.
    if len(code) < 2 or code.startswith("#"):
        return frozenset((code,))
    # Deleting the N of FNF leaves FF, which the skeleton would have written F.
    return frozenset(
        {code} | {_DOUBLES.sub(r"\1", code[:k] + code[k + 1 :]) for k in range(len(code))}
    )


@lru_cache(maxsize=500_000)
def _code_pair_keys(ca: str, cb: str) -> tuple[str, ...]:
    """``P`` keys of two parts' codes, each side widened by its deletions in turn."""
    keys = {"P" + "|".join(sorted((ca, cb)))}
    keys.update("P" + "|".join(sorted((da, cb))) for da in _deletions(ca))
    keys.update("P" + "|".join(sorted((ca, db))) for db in _deletions(cb))
    return tuple(keys)


def _pair_keys(parts: list[set[str]]) -> Iterator[str]:
    # Each side of a pair is widened by one-letter deletions in turn (never both), so a pair
    # still meets when one of its two parts carries a typo that changed its code. Codes repeat
    # across a list (given names), so the keys of a pair of codes are computed once.
    for a, b in combinations(parts, 2):
        for ca in a:
            for cb in b:
                yield from _code_pair_keys(ca, cb)


def _joined_parts(name: NormalisedName) -> list[list[set[str]]]:
    """Part lists where two adjacent parts are read as one (JEAN PIERRE -> JEANPIERRE)."""
    tokens = name.tokens
    out = []
    for i in range(len(tokens) - 1):
        a, b = tokens[i], tokens[i + 1]
        if a.is_initial or b.is_initial:
            continue
        joined = {blocking_code(a.text + b.text, a.is_abjad or b.is_abjad)}
        rest = [_codes(t) for k, t in enumerate(tokens) if k not in (i, i + 1)]
        out.append([joined, *rest])
    return out


def _initial_keys(codes: set[str], initial: str) -> set[str]:
    """``Q`` keys of a part's codes with another part's initial, widened by the deletions of
    the code on both sides (so OKAFORA, A still meets AHMED OKAFOROV)."""
    return {f"Q{d}|#{initial}" for c in codes if not c.startswith("#") for d in _deletions(c)}


def entry_keys(name: NormalisedName) -> set[str]:
    """Blocking keys an entry's name is filed under (see the module docstring)."""
    parts = _name_parts(name)
    if len(name.tokens) == 1:
        return {"1" + c for c in parts[0][0]}
    keys = set(_pair_keys([codes for codes, _ in parts]))
    for joined in _joined_parts(name):
        keys.update(_pair_keys(joined) if len(joined) > 1 else ("1" + c for c in joined[0]))
    for (codes, _), (_, initial) in ((x, y) for x in parts for y in parts if x is not y):
        keys.update(_initial_keys(codes, initial))
    return keys


def query_keys(name: NormalisedName) -> set[str]:
    """Blocking keys a traveller's name looks up (see the module docstring)."""
    parts = _name_parts(name)
    has_initial = any(t.is_initial for t in name.tokens)
    # A full part may meet an initial on the list (JOHN ~ J.): offer its initial as a code too.
    widened = [codes | {"#" + initial} for codes, initial in parts]
    keys = set(_pair_keys(widened)) if len(parts) > 1 else set()
    for codes, _ in parts:
        keys.update("1" + c for c in codes)
    for joined in _joined_parts(name):
        keys.update(_pair_keys(joined) if len(joined) > 1 else ("1" + c for c in joined[0]))
    if has_initial:
        for codes, _ in parts:
            for other, initial in parts:
                if other is not codes:
                    keys.update(_initial_keys(codes, initial))
    return keys


def _person_keys(person: PreparedPerson, *, is_query: bool) -> set[str]:
    keys: set[str] = set()
    for name in person.names:
        keys |= query_keys(name) if is_query else entry_keys(name)
    keys.update("D" + document_number_key(d.number) for d in person.documents if d.number)
    return keys


class _PartSimilarity:
    """``token_similarity(a, b)[0]`` memoised by the parts' text and script for one flight."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, str, str, str], float] = {}

    def __call__(self, a: NameToken, b: NameToken) -> float:
        key = (a.text, a.script, b.text, b.script)
        found = self._known.get(key)
        if found is None:
            found = self._known[key] = token_similarity(a, b)[0]
        return found


class WatchlistIndex:
    """Entries of one or more watchlists, prepared once and filed under blocking keys.

    Build it once per list revision (``WatchlistIndex(entries, thresholds=...)``), keep it per
    worker, and call ``lookup``/``lookup_many`` per traveller or flight.
    """

    def __init__(
        self,
        entries: Iterable[ListedEntry],
        *,
        thresholds: Mapping[str, float] | None = None,
        default_threshold: float = DEFAULT_THRESHOLD,
    ) -> None:
        self.entries: list[ListedEntry] = []
        self._prepared: list[PreparedPerson] = []
        self.thresholds: dict[str, float] = dict(thresholds or {})
        self.default_threshold = default_threshold
        hashes = array("q")
        rows = array("i")
        cache: dict[str, int] = {}
        for row, entry in enumerate(entries):
            prepared = prepare_entry(entry)
            self.entries.append(entry)
            self._prepared.append(prepared)
            for key in _person_keys(prepared, is_query=False):
                h = cache.get(key)
                if h is None:
                    h = cache[key] = _key_hash(key)
                hashes.append(h)
                rows.append(row)
        # Birth dates as arrays (0 = unknown) so that candidates whose date rules them out can
        # be dropped in one vectorised step before scoring.
        born = [p.birth_date for p in self._prepared]
        self._year = np.fromiter((b.year if b else 0 for b in born), np.int16, len(born))
        self._month = np.fromiter((b.month or 0 if b else 0 for b in born), np.int8, len(born))
        self._day = np.fromiter((b.day or 0 if b else 0 for b in born), np.int8, len(born))
        self._names = NameTable(self._prepared)
        self._nationality_codes: dict[str, int] = {}
        self._nationality = np.fromiter(
            (
                self._nationality_codes.setdefault(n, len(self._nationality_codes))
                if (n := (p.nationality or "").strip().upper())
                else -1
                for p in self._prepared
            ),
            dtype=np.int32,
            count=len(self._prepared),
        )
        list_codes: dict[str, int] = {}
        self._list_codes = np.fromiter(
            (list_codes.setdefault(e.list_id, len(list_codes)) for e in self.entries),
            dtype=np.int32,
            count=len(self.entries),
        )
        self._list_ids = list(list_codes)
        key_array = np.frombuffer(hashes, dtype=np.int64)
        order = np.argsort(key_array, kind="stable")
        self._keys = key_array[order].copy()
        self._rows = np.frombuffer(rows, dtype=np.int32)[order].copy()

    def __len__(self) -> int:
        return len(self.entries)

    def threshold_for(self, list_id: str) -> float:
        """The threshold of a list: its own setting or the index default."""
        return self.thresholds.get(list_id, self.default_threshold)

    def _rows_for(self, keys: set[str]) -> np.ndarray:
        if not keys or not len(self._keys):
            return np.empty(0, dtype=np.int32)
        wanted = np.fromiter((_key_hash(k) for k in keys), dtype=np.int64, count=len(keys))
        lo = np.searchsorted(self._keys, wanted, side="left")
        hi = np.searchsorted(self._keys, wanted, side="right")
        slices = [self._rows[a:b] for a, b in zip(lo, hi, strict=True) if b > a]
        if not slices:
            return np.empty(0, dtype=np.int32)
        return np.unique(np.concatenate(slices))

    def _could_pass(self, rows: np.ndarray, born: BirthDate | None) -> np.ndarray:
        """Drop rows whose birth date contradicts the traveller's enough to cost 30 points.

        Rule: ``compare_birth_dates`` gives -30 unless a date is missing, the years are at most
        one apart, or (for full dates) month and day agree (a one-digit slip in the year) or are
        swapped; with -30 a person scores at most 72, under any threshold above that, so those
        rows need not be scored. Nothing is dropped when a threshold of 72 or less is in force.
        """
        if born is None or not len(rows):
            return rows
        year = self._year[rows].astype(np.int32)
        keep = (year == 0) | (np.abs(year - born.year) <= 1)
        if born.is_full:
            month, day = self._month[rows], self._day[rows]
            keep |= (month == born.month) & (day == born.day)
            keep |= (month == born.day) & (day == born.month)
        return rows[keep]

    def candidate_rows(
        self, traveller: TravellerRecord | PreparedPerson, *, threshold: float | None = None
    ) -> np.ndarray:
        """Rows of the entries sharing a blocking key with the traveller that could pass.

        Rule: name and document keys (module docstring); rows found only through names are
        then dropped when their birth date alone keeps them under the threshold.
        """
        prepared = (
            traveller if isinstance(traveller, PreparedPerson) else prepare_traveller(traveller)
        )
        return np.union1d(*self._name_and_document_rows(prepared, threshold))

    def _name_and_document_rows(
        self, prepared: PreparedPerson, threshold: float | None
    ) -> tuple[np.ndarray, np.ndarray]:
        name_keys = _person_keys(prepared, is_query=True)
        doc_keys = {k for k in name_keys if k.startswith("D")}
        rows = self._rows_for(name_keys - doc_keys)
        lowest = threshold if threshold is not None else self._lowest_threshold()
        if lowest > 72.0:
            rows = self._could_pass(rows, prepared.birth_date)
        return rows, self._rows_for(doc_keys)

    def _date_and_nationality_points(
        self, traveller: PreparedPerson, rows: np.ndarray
    ) -> np.ndarray:
        """``compare_birth_dates`` and ``compare_nationalities`` points of each row, at once."""
        return self._flight_points([traveller], np.zeros(len(rows), dtype=np.int64), rows)

    def _flight_points(
        self, travellers: Sequence[PreparedPerson], owner: np.ndarray, rows: np.ndarray
    ) -> np.ndarray:
        """Birth date and nationality points of each (traveller ``owner``, entry ``rows``).

        Rule: the same steps as ``compare_birth_dates`` and ``compare_nationalities``, over
        the index's arrays and the travellers' (0 = unknown).
        """
        codes = self._nationality_codes
        mine = [(p.nationality or "").strip().upper() for p in travellers]
        t_nat = np.array([codes.get(n, -2) if n else -4 for n in mine], dtype=np.int64)[owner]
        listed = self._nationality[rows]
        points = np.where(
            t_nat == -4, 0.0, np.where(listed == t_nat, 2.0, np.where(listed < 0, 0.0, -3.0))
        )
        born = [p.birth_date for p in travellers]
        t_year, t_month, t_day = (
            np.array([getattr(b, part) or 0 if b else 0 for b in born], dtype=np.int64)[owner]
            for part in ("year", "month", "day")
        )
        year = self._year[rows].astype(np.int64)
        month = self._month[rows].astype(np.int64)
        day = self._day[rows].astype(np.int64)
        apart = np.abs(year - t_year)
        fallback = np.where(apart == 1, -12.0, -30.0)
        # Both dates full: equal, swapped, one digit off, the day only, or the fallback.
        digits = sum(
            (year // 10**k % 10 != t_year // 10**k % 10).astype(np.int64) for k in range(4)
        )
        for value, theirs in ((month, t_month), (day, t_day)):
            digits += (value // 10 != theirs // 10).astype(np.int64)
            digits += (value % 10 != theirs % 10).astype(np.int64)
        both = np.where(
            digits == 0,
            10.0,
            np.where(
                (apart == 0) & (month == t_day) & (day == t_month),
                5.0,
                np.where(
                    digits == 1,
                    -6.0,
                    np.where((apart == 0) & (month == t_month), -12.0, fallback),
                ),
            ),
        )
        # Otherwise: same year and consistent month, or the month read as the day.
        consistent = (t_month == 0) | (month == 0) | (month == t_month)
        swapped = ((t_day > 0) & (t_day == month)) | ((day > 0) & (day == t_month))
        partial = np.where(
            apart == 0, np.where(consistent, 5.0, np.where(swapped, 2.0, fallback)), fallback
        )
        full = (month > 0) & (day > 0) & (t_month > 0) & (t_day > 0)
        known = (year > 0) & (t_year > 0)
        return points + np.where(known, np.where(full, both, partial), 0.0)

    def _limits(self, rows: np.ndarray, threshold: float | None) -> np.ndarray:
        if threshold is not None or not self.thresholds:
            limit = threshold if threshold is not None else self.default_threshold
            return np.full(len(rows), limit, dtype=np.float64)
        by_list = [self.threshold_for(list_id) for list_id in self._list_ids]
        return np.asarray(by_list, dtype=np.float64)[self._list_codes[rows]]

    def _lowest_threshold(self) -> float:
        return min([self.default_threshold, *self.thresholds.values()])

    def _may_reach(
        self,
        traveller: PreparedPerson,
        listed: PreparedPerson,
        limit: float,
        similarity: _PartSimilarity,
        traveller_documents: frozenset[str],
    ) -> bool:
        """Whether the entry may score ``limit`` or more: cheap checks before full scoring.

        Rule: a document number that agrees (``document_number_key``) always goes to scoring;
        otherwise birth date and nationality points are exact and the name score is bounded
        from above (``name_score_bound``), with 0.1 of slack for the score's rounding. Nothing
        that ``score_prepared`` would put at or above ``limit`` is skipped.
        """
        if limit <= 0.0 or any(
            document_number_key(d.number) in traveller_documents for d in listed.documents
        ):
            return True
        dob, _ = compare_birth_dates(traveller.birth_date, listed.birth_date)
        nationality, _ = compare_nationalities(traveller.nationality, listed.nationality)
        needed = limit - 0.1 - dob - nationality
        return any(
            name_score_bound(tn, ln, similarity, needed) >= needed
            for tn in traveller.names
            for ln in listed.names
        )

    def _candidates(
        self,
        prepared: PreparedPerson,
        rows: Iterable[int],
        threshold: float | None,
        similarity: _PartSimilarity | None = None,
    ) -> list[Candidate]:
        similarity = similarity if similarity is not None else _PartSimilarity()
        documents = frozenset(document_number_key(d.number) for d in prepared.documents)
        found: list[Candidate] = []
        for row in rows:
            entry = self.entries[row]
            listed = self._prepared[row]
            limit = self.threshold_for(entry.list_id) if threshold is None else threshold
            if not self._may_reach(prepared, listed, limit, similarity, documents):
                continue
            result: MatchResult = score_prepared(prepared, listed, explain=False)
            if result.score >= limit:
                result = score_prepared(prepared, listed)
                found.append(
                    Candidate(entry.entry_id, entry.list_id, result.score, result.explanation)
                )
        found.sort(key=lambda c: (-c.score, str(c.entry_id)))
        return found

    def lookup(
        self, traveller: TravellerRecord, *, threshold: float | None = None
    ) -> list[Candidate]:
        """Entries the traveller may be, best first, each at or above its list's threshold.

        Rule: only entries sharing a blocking key are scored (module docstring); ``threshold``
        overrides every list's own for this call (an analyst tuning thresholds).
        """
        return self._lookup_flight([traveller], threshold)[0]

    def _lookup_flight(
        self, travellers: Sequence[TravellerRecord], threshold: float | None
    ) -> list[list[Candidate]]:
        """Candidates of each traveller, the cheap steps done for the whole flight at once.

        Rule: blocking keys of every traveller are looked up together; birth date and
        nationality points and the thresholds of all (traveller, entry) pairs are computed in
        one go; the name bound (``NameTable.keep``) then leaves the few to score.
        """
        prepared = [prepare_traveller(t) for t in travellers]
        hashes: list[int] = []
        owners: list[int] = []
        is_document: list[bool] = []
        for k, person in enumerate(prepared):
            for key in _person_keys(person, is_query=True):
                hashes.append(_key_hash(key))
                owners.append(k)
                is_document.append(key.startswith("D"))
        wanted = np.array(hashes, dtype=np.int64)
        lo = np.searchsorted(self._keys, wanted, side="left")
        hi = np.searchsorted(self._keys, wanted, side="right")
        counts = hi - lo
        picked = np.repeat(lo - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        size = max(len(self.entries), 1)
        pairs = np.repeat(np.array(owners, dtype=np.int64), counts) * size + self._rows[picked]
        document = np.repeat(np.array(is_document, dtype=bool), counts)
        name_pairs, document_pairs = np.unique(pairs[~document]), np.unique(pairs[document])
        owner, rows = name_pairs // size, (name_pairs % size).astype(np.int32)
        lowest = threshold if threshold is not None else self._lowest_threshold()
        if lowest > 0.0:
            needed = self._limits(rows, threshold) - self._flight_points(prepared, owner, rows)
            # A name scores 100 at most: a birth date that costs more than that is the end.
            possible = needed <= 100.0
            owner, rows, needed = owner[possible], rows[possible], needed[possible]
        else:
            needed = np.full(len(rows), -np.inf)
        bounds = np.searchsorted(owner, np.arange(len(prepared) + 1))
        document_bounds = np.searchsorted(document_pairs // size, np.arange(len(prepared) + 1))
        similarity = _PartSimilarity()  # name parts recur across a flight (MOHAMED, WANG)
        found = []
        for k, person in enumerate(prepared):
            mine = rows[bounds[k] : bounds[k + 1]]
            if lowest > 0.0:
                mine = self._names.keep(person, mine, needed[bounds[k] : bounds[k + 1]])
            documents = document_pairs[document_bounds[k] : document_bounds[k + 1]] % size
            mine = np.union1d(mine, documents)
            found.append(self._candidates(person, mine.tolist(), threshold, similarity))
        return found

    def lookup_many(
        self, travellers: Sequence[TravellerRecord], *, threshold: float | None = None
    ) -> list[list[Candidate]]:
        """``lookup`` for each traveller of a flight, in the same order."""
        return self._lookup_flight(travellers, threshold)

    def scan(
        self, traveller: TravellerRecord, *, threshold: float | None = None
    ) -> list[Candidate]:
        """Score the traveller against every entry, without blocking: the reference for tests.

        Rule: same scores and thresholds as ``lookup``; its cost grows with the whole list.
        """
        prepared = prepare_traveller(traveller)
        return self._candidates(prepared, range(len(self.entries)), threshold)
