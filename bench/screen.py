"""Benchmark: screening a flight against a large watchlist, and the matcher's quality.

Run ``python bench/screen.py`` from the repository root (``--entries 100000`` for a quick run).

(a) Speed. Builds, deterministically, a synthetic watchlist of ``--entries`` people (names from
    a dozen languages, about a fifth of them written in Cyrillic, Arabic, Greek or Han script;
    aliases, partial birth dates, documents, document-only entries) with a few known people mixed
    in, and a 400-traveller flight on which some of them travel under variant spellings. Times
    the index build (and the memory it took), then the 400 lookups on one core (best of
    ``--repeats``, CPU time), then the naive approach — rapidfuzz ``process.extract`` with
    ``token_sort_ratio`` over every listed name — for ``--naive`` travellers, extrapolated to
    the flight, and prints the ratio.
(b) Quality. Reads the labelled pairs of ``bench/data/name_pairs.csv`` (transliterations, typos,
    swapped parts, missing middle names, initials, particles, birth dates, look-alike
    non-matches), files every listed name in an index and looks each traveller up at the default
    threshold: precision and recall, and the rows it got wrong.
"""

# Synthetic names are written in Cyrillic and Greek on purpose, and drawn from a seeded
# (non-cryptographic) generator so that every run builds the same list.
# ruff: noqa: RUF001, S311

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from anyascii import anyascii
from rapidfuzz import fuzz, process

from targeting.rules.matching import (
    DEFAULT_THRESHOLD,
    ListedEntry,
    TravelDocument,
    TravellerRecord,
    WatchlistIndex,
)

FLIGHT_SIZE = 400
PAIRS = Path(__file__).resolve().parent / "data" / "name_pairs.csv"

# name pools per culture: (given names, surname syllables, surname endings, nationality)
CULTURES: dict[str, tuple[list[str], list[str], list[str], str]] = {
    "arabic": (
        [
            "MOHAMED",
            "MUHAMMAD",
            "AHMED",
            "AHMAD",
            "ALI",
            "HASSAN",
            "HUSSEIN",
            "OMAR",
            "YOUSSEF",
            "KHALID",
            "IBRAHIM",
            "MAHMOUD",
            "MUSTAFA",
            "ABDULLAH",
            "SAID",
            "KARIM",
            "TAREK",
            "SAMIR",
            "NABIL",
            "WALID",
            "FATIMA",
            "AISHA",
            "MARYAM",
            "ZAINAB",
            "KHADIJA",
            "LAYLA",
            "NOUR",
            "HIND",
            "SALMA",
            "YASMIN",
        ],
        [
            "KHAL",
            "SAL",
            "MAN",
            "HAD",
            "NAS",
            "RAH",
            "ZAH",
            "SHAM",
            "MAS",
            "QAS",
            "JAB",
            "HAM",
            "FAR",
            "BAK",
            "DAR",
        ],
        ["I", "AWI", "AN", "OUR", "IDI", "ANI", "ARI", ""],
        "EGY",
    ),
    "russian": (
        [
            "ALEKSANDR",
            "ALEKSEY",
            "SERGEY",
            "DMITRIY",
            "ANDREY",
            "IVAN",
            "NIKOLAY",
            "MIKHAIL",
            "VLADIMIR",
            "PAVEL",
            "OLGA",
            "NATALIYA",
            "ELENA",
            "TATYANA",
            "IRINA",
            "SVETLANA",
            "ANNA",
            "MARIYA",
            "YURIY",
            "RUSLAN",
        ],
        [
            "IVAN",
            "PETR",
            "SMIRN",
            "KUZNETS",
            "POP",
            "SOKOL",
            "LEB",
            "KOZL",
            "NOVIK",
            "MOROZ",
            "VOLK",
            "ZAITS",
            "PAVL",
            "SEMEN",
            "GOLUB",
        ],
        ["OV", "EV", "IN", "ENKO", "SKIY", "OVICH"],
        "RUS",
    ),
    "greek": (
        [
            "GEORGIOS",
            "DIMITRIOS",
            "KONSTANTINOS",
            "IOANNIS",
            "NIKOLAOS",
            "MARIA",
            "ELENI",
            "AIKATERINI",
            "SOFIA",
        ],
        ["PAPA", "DOPOU", "NIKO", "LAOU", "KARA", "MANLI", "GEORGI", "ADIS", "ANTO", "NIOU"],
        ["LOS", "S", "OU", "IS", "AKIS"],
        "GRC",
    ),
    "chinese": (
        [
            "WEI",
            "FANG",
            "NA",
            "XIU",
            "YING",
            "MIN",
            "JING",
            "LI",
            "QIANG",
            "LEI",
            "JUN",
            "YANG",
            "YONG",
            "JIE",
            "TAO",
            "MING",
            "CHAO",
        ],
        [
            "WANG",
            "LI",
            "ZHANG",
            "LIU",
            "CHEN",
            "YANG",
            "HUANG",
            "ZHAO",
            "WU",
            "ZHOU",
            "XU",
            "SUN",
            "MA",
            "ZHU",
            "HU",
            "GUO",
            "HE",
            "LIN",
        ],
        [""],
        "CHN",
    ),
    "spanish": (
        [
            "JOSE",
            "JUAN",
            "LUIS",
            "CARLOS",
            "JORGE",
            "PEDRO",
            "MIGUEL",
            "ANTONIO",
            "MARIA",
            "CARMEN",
            "ANA",
            "LUCIA",
            "ISABEL",
        ],
        [
            "GAR",
            "HERN",
            "ROD",
            "MART",
            "LOP",
            "GONZ",
            "PER",
            "SANCH",
            "RAM",
            "TORR",
            "FLOR",
            "RIV",
            "GOM",
            "DIA",
        ],
        ["CIA", "ANDEZ", "RIGUEZ", "INEZ", "EZ", "ALEZ", "ERA", "OS"],
        "ESP",
    ),
    "french": (
        [
            "JEAN",
            "PIERRE",
            "MICHEL",
            "PHILIPPE",
            "ALAIN",
            "NICOLAS",
            "MARIE",
            "NATHALIE",
            "ISABELLE",
            "SYLVIE",
        ],
        ["DU", "BOIS", "MOR", "LEF", "BON", "FOUR", "GIR", "ROUSS", "BLANC", "GAR", "CHEV", "LAMB"],
        ["AND", "EAU", "ET", "IER", "EL", "IN", "ON"],
        "FRA",
    ),
    "english": (
        [
            "JOHN",
            "JAMES",
            "ROBERT",
            "MICHAEL",
            "WILLIAM",
            "DAVID",
            "RICHARD",
            "MARY",
            "PATRICIA",
            "JENNIFER",
            "LINDA",
        ],
        [
            "SMITH",
            "JOHN",
            "WILL",
            "BROWN",
            "JON",
            "MILL",
            "DAVI",
            "WIL",
            "TAYL",
            "AND",
            "THOM",
            "JACK",
            "WHITE",
            "HARR",
        ],
        ["", "SON", "S", "ER", "ES", "TON", "LEY"],
        "GBR",
    ),
    "west_african": (
        [
            "MAMADOU",
            "MOUSSA",
            "IBRAHIMA",
            "AMADOU",
            "OUSMANE",
            "FATOU",
            "AMINATA",
            "AWA",
            "KOFI",
            "KWAME",
            "YAO",
            "AKOSUA",
            "CHINEDU",
            "EMEKA",
            "NGOZI",
            "OLUWASEUN",
            "TUNDE",
        ],
        [
            "DIAL",
            "TRAO",
            "KON",
            "COUL",
            "OKON",
            "OKAF",
            "MENS",
            "ASAN",
            "OWU",
            "BAL",
            "KAM",
            "SOW",
            "DIOP",
            "NDIAY",
        ],
        ["LO", "RE", "E", "IBALY", "KWO", "OR", "AH", "TE", "ARA", ""],
        "SEN",
    ),
    "turkish": (
        [
            "MEHMET",
            "MUSTAFA",
            "AHMET",
            "ALI",
            "HUSEYIN",
            "HASAN",
            "IBRAHIM",
            "FATMA",
            "AYSE",
            "EMINE",
            "HATICE",
        ],
        [
            "YIL",
            "DIZ",
            "KAYA",
            "DEMIR",
            "SAHIN",
            "CELIK",
            "OZ",
            "TURK",
            "AYDIN",
            "ARSLAN",
            "DOGAN",
            "KILIC",
        ],
        ["", "OGLU", "CI", "LI", "ER"],
        "TUR",
    ),
    "indian": (
        [
            "RAHUL",
            "AMIT",
            "RAJESH",
            "SURESH",
            "PRIYA",
            "ANITA",
            "SUNITA",
            "DEEPAK",
            "VIJAY",
            "ARJUN",
            "KAVITA",
        ],
        ["SHAR", "SING", "KUM", "PATE", "GUP", "REDD", "NAIR", "IYER", "JOSH", "MEHT", "CHOW"],
        ["MA", "H", "AR", "L", "TA", "Y", "I", "URI"],
        "IND",
    ),
}
# Written in their own script for part of the list: transliteration has to bring them back.
CYRILLIC = str.maketrans({"A": "а", "B": "б", "V": "в", "G": "г", "D": "д", "E": "е", "Z": "з",
                          "I": "и", "K": "к", "L": "л", "M": "м", "N": "н", "O": "о", "P": "п",
                          "R": "р", "S": "с", "T": "т", "U": "у", "F": "ф", "Y": "й", "H": "х",
                          "C": "ц", "J": "дж", "X": "кс", "W": "в", "Q": "к"})  # fmt: skip
ARABIC_NAMES = {
    "MOHAMED": "محمد", "MUHAMMAD": "محمد", "AHMED": "أحمد", "AHMAD": "أحمد", "ALI": "علي",
    "HASSAN": "حسن", "HUSSEIN": "حسين", "OMAR": "عمر", "YOUSSEF": "يوسف", "KHALID": "خالد",
    "IBRAHIM": "إبراهيم", "MAHMOUD": "محمود", "ABDULLAH": "عبد الله", "FATIMA": "فاطمة",
}  # fmt: skip
ARABIC_SURNAMES = [
    "الحسن",
    "المصري",
    "الشامي",
    "العلي",
    "حداد",
    "منصور",
    "سليمان",
    "الخطيب",
    "ناصر",
    "قاسم",
    "الزهراني",
]
GREEK = str.maketrans({"A": "α", "B": "β", "G": "γ", "D": "δ", "E": "ε", "Z": "ζ", "I": "ι",
                       "K": "κ", "L": "λ", "M": "μ", "N": "ν", "O": "ο", "P": "π", "R": "ρ",
                       "S": "σ", "T": "τ", "U": "υ", "F": "φ", "H": "η", "X": "ξ"})  # fmt: skip

# People mixed into the list, and how they travel on the flight.
LISTED = [
    (("Мухаммад Аль-Хасан",), "1980-05-17", ("ALHASAN", "MUHAMMAD", "1980-05-17")),
    (("محمد الحسن", "MOHAMED HASSAN"), "1979", ("EL HASSAN", "MOHAMMED", "1979-02-11")),
    (("Алексей Иванов",), "1972-03", ("IVANOV", "ALEXEI", "1972-03-14")),
    (("Γεώργιος Παπαδόπουλος",), "1970-04-03", ("PAPADOPOULOS", "GEORGIOS", "1970-03-04")),
    (("OKONKWO, CHINEDU",), "1984-07-21", ("CHINEDU", "OKONKWO", "1984-07-21")),
    (("JEAN PIERRE N'DIAYE",), "1977-07-17", ("NDIAYE", "JEAN-PIERRE", "1977-07-17")),
    (("MARIA JOSE GARCIA LOPEZ",), None, ("GARCIA", "MARIA", "1991-07-07")),
    (("OSAMA BIN LADIN",), "1957", ("BINLADEN", "OSAMA", "1957-03-10")),
]
LISTED_DOCUMENT = TravelDocument("P0I234567", "NGA")  # stolen passport, used as PO1234567


_VOWEL_SET = frozenset("AEIOUY")


def _syllable(rng: random.Random, culture: str) -> str:
    """A syllable of the culture with its vowels and first consonant redrawn from the
    culture's own letters: surnames as varied as a real list's, not a few stems recombined."""
    syllables = CULTURES[culture][1]
    letters = "".join(syllables)
    vowels = [c for c in letters if c in _VOWEL_SET] or ["A"]
    consonants = [c for c in letters if c not in _VOWEL_SET]
    syllable = rng.choice(syllables)
    out = [rng.choice(vowels) if c in _VOWEL_SET else c for c in syllable]
    if out and out[0] not in _VOWEL_SET:
        out[0] = rng.choice(consonants)
    return "".join(out)


def _surname(rng: random.Random, culture: str) -> str:
    _, _, endings, _ = CULTURES[culture]
    parts = [_syllable(rng, culture) for _ in range(rng.choice((1, 2, 2, 3)))]
    return "".join(parts) + rng.choice(endings)


def _birth_date(rng: random.Random) -> str:
    return f"{rng.randint(1940, 2005)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _written_name(rng: random.Random, culture: str, given: str, surname: str) -> str:
    """The name as the list holds it: often Latin, sometimes in the culture's own script."""
    if culture == "russian" and rng.random() < 0.5:
        return f"{given.translate(CYRILLIC).title()} {surname.translate(CYRILLIC).title()}"
    if culture == "arabic" and rng.random() < 0.4 and given in ARABIC_NAMES:
        return f"{ARABIC_NAMES[given]} {rng.choice(ARABIC_SURNAMES)}"
    if culture == "greek" and rng.random() < 0.5:
        return f"{given.translate(GREEK).title()} {surname.translate(GREEK).title()}"
    if rng.random() < 0.3:
        return f"{surname}, {given}"
    return f"{given} {surname}"


def build_watchlist(size: int, seed: int = 4) -> list[ListedEntry]:
    """``size`` synthetic entries, the LISTED people among them at fixed places."""
    rng = random.Random(seed)
    cultures = list(CULTURES)
    entries: list[ListedEntry] = []
    for n in range(size):
        culture = rng.choice(cultures)
        given_pool, *_, nationality = CULTURES[culture]
        if rng.random() < 0.04:  # stolen/lost travel document, no person
            number = f"{rng.choice('ABCPKN')}{rng.randint(0, 99_999_999):08d}"
            entries.append(ListedEntry(n, (), documents=(TravelDocument(number, nationality),)))
            continue
        given = rng.choice(given_pool)
        if rng.random() < 0.3:
            given += " " + rng.choice(given_pool)
        names = [_written_name(rng, culture, given, _surname(rng, culture))]
        if rng.random() < 0.25:
            names.append(f"{rng.choice(given_pool)} {_surname(rng, culture)}")
        draw = rng.random()
        dob = _birth_date(rng)
        birth = dob if draw < 0.6 else dob[:4] if draw < 0.8 else dob[:7] if draw < 0.9 else None
        documents = ()
        if rng.random() < 0.2:
            documents = (TravelDocument(f"{rng.randint(10**7, 10**8 - 1)}", nationality),)
        entries.append(ListedEntry(n, tuple(names), birth, nationality, documents))
    step = max(1, size // (len(LISTED) + 2))
    for k, (names, birth, _) in enumerate(LISTED):
        entries[(k + 1) * step] = ListedEntry(f"listed-{k}", names, birth)
    entries[-1] = ListedEntry("listed-document", (), documents=(LISTED_DOCUMENT,))
    return entries


def build_flight(seed: int = 7) -> tuple[list[TravellerRecord], set[str]]:
    """400 travellers; the LISTED people and the stolen passport's bearer among them."""
    rng = random.Random(seed)
    travellers = []
    for _ in range(FLIGHT_SIZE - len(LISTED) - 1):
        culture = rng.choice(list(CULTURES))
        given_pool, *_, nationality = CULTURES[culture]
        document = TravelDocument(f"{rng.choice('ABCPK')}{rng.randint(10**7, 10**8 - 1)}")
        travellers.append(
            TravellerRecord(
                _surname(rng, culture),
                rng.choice(given_pool),
                birth_date=_birth_date(rng),
                nationality=nationality,
                documents=(document,),
            )
        )
    expected = set()
    for k, (_, _, (surname, given, birth)) in enumerate(LISTED):
        travellers.insert(
            rng.randrange(len(travellers)), TravellerRecord(surname, given, birth_date=birth)
        )
        expected.add(f"listed-{k}")
    bearer = TravellerRecord("SMITH", "PAUL", documents=(TravelDocument("PO1234567", "NGA"),))
    travellers.insert(rng.randrange(len(travellers)), bearer)
    expected.add("listed-document")
    return travellers, expected


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def bench_speed(size: int, repeats: int, naive_count: int) -> list[str]:
    """Part (a): build, flight lookups, naive scan, ratio."""
    print(f"== (a) speed: {FLIGHT_SIZE}-traveller flight against {size:,} entries ==")
    entries = build_watchlist(size)
    travellers, expected = build_flight()
    rss_before = _rss_mb()
    started, build_cpu = time.perf_counter(), time.process_time()
    index = WatchlistIndex(entries)
    build_s, build_cpu = time.perf_counter() - started, time.process_time() - build_cpu
    memory = _rss_mb() - rss_before
    print(f"index build: {build_cpu:.1f} s CPU ({build_s:.1f} s wall), "
          f"memory +{memory:,.0f} MB RSS "
          f"(process {_rss_mb():,.0f} MB, entries included)")  # fmt: skip
    best = float("inf")
    results: list[list] = []
    for _ in range(repeats):
        cpu = time.process_time()
        results = index.lookup_many(travellers)
        best = min(best, time.process_time() - cpu)
    found = {c.entry_id for hits in results for c in hits}
    flagged = sum(1 for hits in results if hits)
    print(f"indexed: {best * 1000:.0f} ms per flight (CPU, best of {repeats}), "
          f"{FLIGHT_SIZE / best:,.0f} travellers/s")  # fmt: skip
    print(f"listed travellers found: {len(expected & found)}/{len(expected)}; "
          f"travellers flagged: {flagged} (the rest: synthetic namesakes)")  # fmt: skip

    # The naive way: every listed name, transliterated, scored against the traveller's name.
    choices = [anyascii(name).upper() for entry in entries for name in entry.names]
    sample = travellers[:naive_count]
    cpu = time.process_time()
    for t in sample:
        process.extract(
            anyascii(f"{t.given_names} {t.surname}").upper(),
            choices,
            scorer=fuzz.token_sort_ratio,
            limit=20,
            score_cutoff=DEFAULT_THRESHOLD,
        )
    naive_each = (time.process_time() - cpu) / len(sample)
    naive_flight = naive_each * FLIGHT_SIZE
    print(f"naive (rapidfuzz process.extract, token_sort_ratio, {len(choices):,} names): "
          f"{naive_each * 1000:.0f} ms per traveller over {len(sample)} travellers; "
          f"EXTRAPOLATED to the flight: {naive_flight:.1f} s")  # fmt: skip
    print(f"ratio naive / indexed: {naive_flight / best:,.0f}x")
    return [
        f"entries {size:,}; index build {build_cpu:.0f} s CPU, +{memory:,.0f} MB RSS",
        f"flight of {FLIGHT_SIZE}: {best * 1000:.0f} ms CPU, "
        f"{FLIGHT_SIZE / best:,.0f} travellers/s",
        f"naive (extrapolated): {naive_flight:.1f} s; ratio {naive_flight / best:,.0f}x",
    ]


def bench_quality() -> str:
    """Part (b): precision and recall on the labelled pairs at the default threshold."""
    print(f"== (b) quality on {PAIRS.name} at the default threshold {DEFAULT_THRESHOLD:.0f} ==")
    with PAIRS.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    entries = [
        ListedEntry(n, (row["listed_name"],), row["listed_birth_date"] or None)
        for n, row in enumerate(rows)
    ]
    index = WatchlistIndex(entries)
    tp = fp = fn = 0
    wrong: list[str] = []
    for n, row in enumerate(rows):
        traveller = TravellerRecord(
            row["traveller_surname"],
            row["traveller_given"],
            birth_date=row["traveller_birth_date"] or None,
        )
        hits = {c.entry_id: c for c in index.lookup(traveller)}
        is_match, predicted = row["is_match"] == "1", n in hits
        tp += is_match and predicted
        fp += predicted and not is_match
        fn += is_match and not predicted
        if is_match != predicted:
            score = index.scan(traveller, threshold=0)
            got = next((c for c in score if c.entry_id == n), None)
            wrong.append(f"  {'missed' if is_match else 'false hit'} [{row['kind']}] "
                         f"{row['traveller_surname']}, {row['traveller_given']} vs "
                         f"{row['listed_name']}: {got.score if got else 0} "
                         f"({got.explanation if got else 'not scored'})")  # fmt: skip
    matches = sum(r["is_match"] == "1" for r in rows)
    print(f"{len(rows)} pairs ({matches} matches, {len(rows) - matches} look-alike non-matches)")
    quality = (
        f"precision {tp / max(tp + fp, 1):.3f}, recall {tp / max(tp + fn, 1):.3f} "
        f"(tp {tp}, fp {fp}, fn {fn})"
    )
    print(quality)
    print("\n".join(wrong))
    return f"quality at threshold {DEFAULT_THRESHOLD:.0f}: {quality}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000, help="watchlist size")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of the flight")
    parser.add_argument("--naive", type=int, default=10, help="travellers scanned naively")
    parser.add_argument("--quality-only", action="store_true", help="skip part (a)")
    args = parser.parse_args()
    print(f"load average: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    summary = [bench_quality()]
    if not args.quality_only:
        summary += bench_speed(args.entries, args.repeats, args.naive)
    print("== summary ==")
    print("\n".join(summary))


if __name__ == "__main__":
    main()
