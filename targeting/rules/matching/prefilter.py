"""A vectorised first look at a traveller's candidates: drop those whose name cannot score.

The index finds, for a traveller, every entry sharing a blocking key: at a million entries a
few hundred, of which one or two pass the threshold. Scoring each in Python costs tens of
microseconds; this module bounds the name score of all of them at once with numpy and
rapidfuzz, and only the candidates whose bound reaches the threshold go on to be scored.

The bound is an upper bound, never under the score (``scoring.name_score_bound`` is the same
rule over exact part similarities, written for one pair of names):

- a part's similarity (``_token_similarity``) is at most ``f(r)``, where ``r`` is the best
  Indel ratio between any reading of the two parts (the spelling, the article-free variant,
  their ``phonetic_spelling``), raised to ``75 + r/4`` (``62 + r/4``) when ``r >= 60`` and
  both (one) of the metaphone and NYSIIS codes of some pair of readings agree: the phonetic
  credit cannot exceed that; with an Arabic- or Hebrew-script part it is also at
  most 93% of the ratio of the consonant skeletons; an initial is not bounded (100);
- the name score is bounded from the parts as in ``name_score_bound``; the joined reading
  (JEANPIERRE = JEAN PIERRE) is bounded by the letters the two names share, since an Indel
  ratio is at most ``2 * common letters / (len a + len b)`` whatever their order;
- birth date and nationality points are exact (the index computes them over its arrays and
  passes the name score each candidate needs).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from jellyfish import metaphone, nysiis
from rapidfuzz.distance import Indel
from rapidfuzz.process import cdist

from targeting.rules.matching.names import NameToken, NormalisedName, consonant_skeleton
from targeting.rules.matching.names import phonetic_spelling as _phonetic
from targeting.rules.matching.scoring import PreparedPerson

# Names with more parts than this are not bounded, only scored (rare).
MAX_PARTS = 6
# The score is rounded to one decimal before it meets the threshold.
_ROUNDING = 0.1 + 1e-6
_LETTERS = 36  # A-Z and 0-9, what a normalised token is made of


def _forms(token: NameToken) -> list[str]:
    return list(dict.fromkeys([*token.variants, *(_phonetic(v) for v in token.variants)]))


def _skeletons(token: NameToken) -> list[str]:
    return list(dict.fromkeys(consonant_skeleton(v, token.is_abjad) for v in token.variants))


def _letter_codes(text: str) -> np.ndarray:
    codes = np.frombuffer(text.encode("ascii", "replace"), dtype=np.uint8).astype(np.int64)
    return np.where(codes >= 65, codes - 65, codes - 48 + 26).clip(0, _LETTERS - 1)


def _bags(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Letter counts of each text (rows) and its length."""
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    codes = _letter_codes("".join(texts))
    owner = np.repeat(np.arange(len(texts)), lengths)
    counts = np.bincount(owner * _LETTERS + codes, minlength=len(texts) * _LETTERS)
    return counts.reshape(len(texts), _LETTERS).astype(np.uint8), lengths.astype(np.int16)


def _joined(name: NormalisedName, skeleton: bool) -> str:
    return "".join(
        consonant_skeleton(t.text, t.is_abjad) if skeleton else t.text for t in name.tokens
    )


def _repeats(name: NormalisedName) -> bool:
    texts = [t.text for t in name.tokens]
    skeletons = [consonant_skeleton(t.text, t.is_abjad) for t in name.tokens]
    return len(set(texts)) < len(texts) or len(set(skeletons)) < len(skeletons)


class NameTable:
    """The entries' names as arrays: part ids per name, letter counts, flags."""

    def __init__(self, prepared: Sequence[PreparedPerson]) -> None:
        vocabulary: dict[tuple[str, bool], int] = {}
        forms: list[str] = []
        form_count: list[int] = []
        skeletons: list[str] = []
        skeleton_count: list[int] = []
        part_flags: list[int] = []  # 1 initial, 2 abjad
        sounds: list[list[list[int]]] = []
        self._sound_codes: dict[str, int] = {}
        names: list[NormalisedName] = []
        first_name = np.zeros(len(prepared) + 1, dtype=np.int64)
        for row, person in enumerate(prepared):
            names.extend(person.names)
            first_name[row + 1] = len(names)
        parts = np.full((len(names), MAX_PARTS), -1, dtype=np.int32)
        for n, name in enumerate(names):
            for k, token in enumerate(name.tokens[:MAX_PARTS]):
                key = (token.text, token.is_abjad)
                part = vocabulary.get(key)
                if part is None:
                    part = vocabulary[key] = len(vocabulary)
                    found = _forms(token)
                    forms.extend(found)
                    form_count.append(len(found))
                    found = _skeletons(token)
                    skeletons.extend(found)
                    skeleton_count.append(len(found))
                    part_flags.append(token.is_initial | token.is_abjad << 1)
                    sounds.append(self._sounds_of(token, missing=-1))
                parts[n, k] = part
        self.first_name = first_name
        self.parts = parts
        self.part_count = np.fromiter((len(n.tokens) for n in names), np.int16, len(names))
        self.sounds = np.array(sounds, dtype=np.int32).reshape(-1, 2, 2)
        flags = np.array(part_flags, dtype=np.int8)
        self.part_initial = (flags & 1).astype(bool)
        self.part_abjad = (flags & 2).astype(bool)
        self.forms = forms
        self.form_start = np.concatenate(([0], np.cumsum(form_count))).astype(np.int64)
        self.skeletons = skeletons
        self.skeleton_start = np.concatenate(([0], np.cumsum(skeleton_count))).astype(np.int64)
        valid = parts >= 0
        safe = np.where(valid, parts, 0)
        self.name_initial = (
            (self.part_initial[safe] & valid).any(axis=1) if len(names) else valid[:, 0]
        )
        self.name_abjad = (self.part_abjad[safe] & valid).any(axis=1) if len(names) else valid[:, 0]
        # A structured name with a part twice reads shorter when joined: not bounded.
        self.name_repeats = np.fromiter((_repeats(n) for n in names), bool, len(names))
        self.raw_bag, self.raw_length = _bags([_joined(n, False) for n in names])
        self.skeleton_bag, self.skeleton_length = _bags([_joined(n, True) for n in names])

    def _sounds_of(self, token: NameToken, *, missing: int) -> list[list[int]]:
        """Metaphone and NYSIIS codes (as numbers) of the part's first two readings.

        Entries add their codes to the table; a traveller's unknown code reads as ``missing``,
        which no entry has (nor the padding, -1 for entries, -2 for travellers).
        """
        codes = self._sound_codes
        found = [[missing, missing], [missing, missing]]
        for k, variant in enumerate(token.variants[:2]):
            spelt = _phonetic(variant)
            for j, code in enumerate(("M" + metaphone(spelt), "N" + nysiis(spelt))):
                if missing == -1:
                    found[k][j] = codes.setdefault(code, len(codes))
                else:
                    found[k][j] = codes.get(code, -3)
        return found

    def _part_bounds(self, tokens: Sequence[NameToken], ids: np.ndarray) -> np.ndarray:
        """Upper bounds of the similarity of each traveller part (rows) to each part ``ids``."""
        bounds = self._ratios(tokens, ids, self.forms, self.form_start, _forms)
        # Phonetic credit needs metaphone or NYSIIS codes to agree for some pair of readings.
        mine = np.array([self._sounds_of(t, missing=-2) for t in tokens], dtype=np.int32)
        theirs = self.sounds[ids]
        agree = (mine[:, None, :, None, :] == theirs[None, :, None, :, :]).sum(axis=4)
        agree = agree.max(axis=(2, 3))
        credit = np.where(agree == 2, 75.0, 62.0) + bounds / 4.0
        bounds = np.where((bounds >= 60.0) & (agree > 0), np.maximum(bounds, credit), bounds)
        abjad = np.array([t.is_abjad for t in tokens])[:, None] | self.part_abjad[ids][None, :]
        if abjad.any():
            skeleton = 0.93 * self._ratios(
                tokens, ids, self.skeletons, self.skeleton_start, _skeletons
            )
            bounds = np.where(abjad, np.maximum(bounds, skeleton), bounds)
        initial = (
            np.array([t.is_initial for t in tokens])[:, None] | self.part_initial[ids][None, :]
        )
        return np.where(initial, 100.0, bounds)

    @staticmethod
    def _ratios(
        tokens: Sequence[NameToken],
        ids: np.ndarray,
        strings: list[str],
        start: np.ndarray,
        readings: Callable[[NameToken], list[str]],
    ) -> np.ndarray:
        """Best Indel ratio (0..100) between any reading of each traveller part and each part."""
        counts = start[ids + 1] - start[ids]
        offsets = np.repeat(start[ids] - np.cumsum(counts) + counts, counts)
        picked = offsets + np.arange(counts.sum())
        choices = [strings[i] for i in picked.tolist()]
        queries: list[str] = []
        owners: list[int] = []
        for k, token in enumerate(tokens):
            found = readings(token)
            queries.extend(found)
            owners.extend([k] * len(found))
        ratios = cdist(queries, choices, scorer=Indel.normalized_similarity, dtype=np.float64)
        by_part = np.maximum.reduceat(ratios, np.cumsum(counts) - counts, axis=1)
        best = np.full((len(tokens), len(ids)), -np.inf)
        np.maximum.at(best, np.array(owners), by_part)
        return best * 100.0

    def name_bounds(self, name: NormalisedName, names: np.ndarray) -> np.ndarray:
        """Upper bounds of ``compare_names(name, listed).score`` for each listed name index."""
        tokens = name.tokens
        if not tokens or not len(names):
            return np.full(len(names), -np.inf)
        if len(tokens) > MAX_PARTS:
            return np.full(len(names), np.inf)
        parts = self.parts[names]
        valid = parts >= 0
        ids, position = np.unique(np.where(valid, parts, parts.max()), return_inverse=True)
        position = position.reshape(parts.shape)
        similar = self._part_bounds(tokens, ids)[:, position]  # (traveller part, name, part)
        similar = np.where(valid[None], similar, -np.inf)
        n_t = len(tokens)
        n_e = self.part_count[names].astype(np.int64)
        # Every traveller part paired (as many listed parts or more).
        best_t = similar.max(axis=2)
        weights = np.array([min(max(len(t.text), 3), 8) for t in tokens], dtype=np.float64)
        weighted = (weights[:, None] * best_t).sum(axis=0) / weights.sum()
        initial = self.name_initial[names] | any(t.is_initial for t in tokens)
        mean_t = np.where(initial, best_t.max(axis=0), weighted)
        bound_t = 0.6 * mean_t + 0.4 * best_t.min(axis=0)
        # Every listed part paired (fewer listed parts).
        best_e = similar.max(axis=0)
        low_e = np.where(valid, best_e, np.inf).min(axis=1)
        bound_e = 0.6 * best_e.max(axis=1) + 0.4 * low_e
        bound = np.where(n_e >= n_t, bound_t, bound_e)
        shorter, longer = np.minimum(n_e, n_t), np.maximum(n_e, n_t)
        bound = np.where(
            (shorter == 1) & (longer > 1), 0.8 * bound, bound - 4.0 * (longer - shorter)
        )
        # The joined reading, where the numbers of parts differ: bounded by common letters.
        differ = np.flatnonzero(n_e != n_t)
        if len(differ) and _repeats(name):
            bound[differ] = np.inf
        elif len(differ):
            picked = names[differ]
            joined = _bag_ratio(_joined(name, False), self.raw_bag[picked], self.raw_length[picked])
            abjad = self.name_abjad[picked] | any(t.is_abjad for t in tokens)
            if abjad.any():
                skeleton = _bag_ratio(
                    _joined(name, True), self.skeleton_bag[picked], self.skeleton_length[picked]
                )
                joined = np.where(abjad, 0.93 * skeleton, joined)
            joined = np.where(self.name_repeats[picked], np.inf, joined - 4.0)
            bound[differ] = np.maximum(bound[differ], joined)
        return np.where(n_e > MAX_PARTS, np.inf, bound)

    def keep(
        self, traveller: PreparedPerson, rows: np.ndarray, limits: np.ndarray | float
    ) -> np.ndarray:
        """The rows whose name score may reach its limit (``limits``: one, or one per row)."""
        if not len(rows) or not traveller.names:
            return rows
        start, stop = self.first_name[rows], self.first_name[rows + 1]
        counts = stop - start
        named = counts > 0
        rows, start, counts = rows[named], start[named], counts[named]
        if isinstance(limits, np.ndarray):
            limits = limits[named]
        names = np.repeat(start - np.cumsum(counts) + counts, counts) + np.arange(counts.sum())
        bound = np.full(len(names), -np.inf)
        for name in traveller.names:
            bound = np.maximum(bound, self.name_bounds(name, names))
        best = np.maximum.reduceat(bound, np.cumsum(counts) - counts)
        return rows[best + _ROUNDING >= limits]


def _bag_ratio(text: str, bags: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """An upper bound (0..100) of the Indel ratio of ``text`` and each text counted in ``bags``."""
    mine, length = _bags([text])
    common = np.minimum(bags, mine).sum(axis=1, dtype=np.int64)
    total = lengths.astype(np.int64) + int(length[0])
    return np.where(total > 0, 200.0 * common / np.maximum(total, 1), 100.0)
