"""Benchmark: our EDIFACT tokenizer + parsers against pydifact's tokenizer on the same bytes.

Run `python bench/parse.py` from the repository root. It builds, in memory and
deterministically, a 1,000-traveller PAXLST and a 500-reservation PNRGOV push, times our
`read_messages` (decode, clean, tokenize, parse) and, on the same bytes, pydifact's `Tokenizer`
alone, and prints travellers (or reservations) per second for both and the ratio, then a
summary table. The best of several runs (`--repeats`, CPU time of this process) is kept to damp
machine noise, and the load average is printed so that a reader can judge the figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from targeting.ingestion.edifact import read_interchanges
from targeting.ingestion.reader import read_messages

REPEATS = 7
SURNAMES = ["NDIAYE", "O?'NEIL", "DIALLO", "MULLER", "GARCIA LOPEZ", "SILVA", "TRAORE", "KONE"]
GIVEN = ["AWA", "JOHN", "MAMADOU", "HANS", "MARIA", "JOAO", "FATOU", "YAO"]
COUNTRIES = ["SEN", "IRL", "GIN", "DEU", "ESP", "BRA", "MLI", "CIV"]


def build_paxlst(travellers: int) -> bytes:
    """A D05B passenger list for one flight with `travellers` complete GR4/GR5 groups."""
    segments = [
        "UNH+1+PAXLST:D:05B:UN:IATA+XQ0731/250301/0915+01:F",
        "BGM+745",
        "RFF+TN:XQ0731250301A",
        "NAD+MS+++API DESK:OPS",
        "COM+41 22 555 0101:TE+API.DESK.AT.AIRLINEX.COM:EM",
        "TDT+20+XQ0731+++XQ",
        "LOC+125+DKR",
        "DTM+189:2503010915:201",
        "LOC+87+CMN",
        "DTM+232:2503011240:201",
    ]
    for i in range(travellers):
        k = i % len(SURNAMES)
        country = COUNTRIES[k]
        segments += [
            f"NAD+FL+++{SURNAMES[k]}{i}:{GIVEN[k]}:{GIVEN[(k + 3) % len(GIVEN)]}",
            f"ATT+2++{'MF'[i % 2]}",
            f"DTM+329:{(i % 60) + 40:02d}{(i % 12) + 1:02d}{(i % 28) + 1:02d}",
            "MEA+CT++:1",
            f"FTX+BAG+++XQ{100000 + i}:1",
            "LOC+22+CMN",
            f"LOC+174+{country}",
            "LOC+178+DKR",
            "LOC+179+CMN",
            f"NAT+2+{country}",
            f"RFF+AVF:K{i:05d}",
            f"RFF+SEA:{(i % 40) + 1}{'ABCDEF'[i % 6]}",
            f"DOC+P:110:111+A{i:08d}",
            f"DTM+36:{30 + i % 5}0630",
            f"LOC+91+{country}",
        ]
    segments.append(f"CNT+42:{travellers}")
    segments.append(f"UNT+{len(segments) + 1}+1")
    head = ["UNB+UNOA:4+XQAIR:ZZ+GOVAPI:ZZ+250301:0530+000417++APIS"]
    text = "UNA:+.? '" + "\n".join(s + "'" for s in [*head, *segments, "UNZ+1+000417"]) + "\n"
    return text.encode("ascii")


def build_pnrgov_push(reservations: int) -> bytes:
    """A full PNRGOV 13.1 push for flight XQ731 DKR-CMN with `reservations` PNRs.

    Each PNR has one to three travellers (DOCS, FQTV, CTCE/CTCM, ticket, card payment), the
    pushed leg and an onward codeshare leg (TRA), seats, and check-in with seats and bags, so that
    every GR of the message (reference/pnrgov.md) is exercised. Deterministic: no randomness.
    """
    segments = [
        "UNH+1+PNRGOV:13:1:IA+XQ0731/010325/0915+01:F",
        "MSG+:22",
        "ORG+XQ:DKR",
        "TVL+010325:0915:010325:1240+DKR+CMN+XQ+731",
        f"EQN+{reservations}",
    ]
    for r in range(reservations):
        locator = f"K{r:05d}"
        party = 1 + r % 3
        segments += [
            "SRC",
            f"RCI+XQ:{locator}::{(r % 28) + 1:02d}0225:{r % 24:02d}{r % 60:02d}",
            "DAT+700:280225:1010+710:160225:0900",
            f"ORG+1A:DKR+{12345675 + r}:DKRXX{r:04d}+DKR++T+SN:XOF:FR",
            f"ADD++700:{r} RUE BLANCHOT:DAKAR:::SN:10000:CTC M 22177{r:07d}",
        ]
        for p in range(1, party + 1):
            k = (r + p) % len(SURNAMES)
            surname, given, country = f"{SURNAMES[k]}{r}", GIVEN[k], COUNTRIES[k]
            segments += [
                f"TIF+{surname}+{given}MR:A:{p}",
                f"FTI+XQ:{900000000 + r * 3 + p}:::GOLD",
                f"SSR+DOCS:HK:1:XQ:::::/P/{country}/A{r:05d}{p:03d}/{country}/"
                f"{(p * 7) % 28 + 1:02d}MAR{60 + r % 40}/{'MF'[p % 2]}/30JUN29/"
                f"{surname}/{given}+::{p}",
                f"SSR+CTCE:HK:1:XQ:::::/{given}..{r}//EXAMPLE.SN+::{p}",
                f"TKT+{5550000000000 + r * 3 + p}:T:1",
                "MON+T:712.50:EUR",
                "DAT+710:160225:0900",
                f"FOP+CC::712.50:VI:XXXXXXXXXXXX{(r * 7 + p) % 10000:04d}:0428",
                f"IFT+4:43+{given} {surname}",
            ]
        seats = "+".join(f"{(r % 30) + 1}{'ABCDEF'[p % 6]}::{p}" for p in range(1, party + 1))
        segments += [
            "TVL+010325:0915:010325:1240+DKR+CMN+XQ+731:Y",
            f"RPI+{party}+HK",
            "APD+73H",
            f"SSR+SEAT:HK:{party}:XQ:::DKR:CMN+{seats}",
            "DAT+2:010325:0700",
        ]
        for p in range(1, party + 1):
            k = (r + p) % len(SURNAMES)
            segments += [
                f"TRI++{r * 3 + p}:::{p}",
                f"TIF+{SURNAMES[k]}{r}+{GIVEN[k]}MR:A:{p}",
                f"SSD+{(r % 30) + 1}{'ABCDEF'[p % 6]}++++Y",
                f"TBD++{p}:{12 * p}:700+++XQ:{100000 + r * 3 + p:010d}:{p}:CMN",
            ]
        segments += [
            "TVL+050325:1830:050325:2100+CMN+CDG+AT:XQ+9812:Y",
            "TRA+XQ+812:Y",
            f"RPI+{party}+HK",
        ]
    segments.append(f"UNT+{len(segments) + 1}+1")
    head = ["UNB+IATA:1+XQ+SNPIU+250301:0545+000981"]
    text = "UNA:+.? '" + "\n".join(s + "'" for s in [*head, *segments, "UNZ+1+000981"]) + "\n"
    return text.encode("ascii")


def best_time(run: Callable[[], object], repeats: int) -> float:
    """Seconds of CPU time of the fastest of `repeats` runs.

    CPU time of this process rather than wall-clock time, so that other processes on a busy
    machine count as little as possible; the best run is the one least disturbed by them.
    """
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def pydifact_tokens(data: bytes) -> Callable[[], object]:
    """pydifact's tokenizer over the same bytes (decoded, UNA stripped: its tokenizer takes the
    separators as an argument and the UNA is read by its parser, not its tokenizer)."""
    from pydifact.tokenizer import Tokenizer

    text = data.decode("ascii")
    body = text[9:] if text.startswith("UNA") else text

    def run() -> object:
        return list(Tokenizer().get_tokens(body))

    return run


@dataclass(frozen=True)
class Result:
    label: str
    unit_name: str
    units: int
    ours: float
    ours_tokens: float
    theirs: float | None


def _line(label: str, seconds: float, units: int, unit_name: str) -> None:
    print(f"  {label:<36}{seconds * 1000:8.1f} ms  {units / seconds:12,.0f} {unit_name}/s")


def compare(label: str, data: bytes, units: int, unit_name: str, repeats: int) -> Result:
    ours = best_time(lambda: read_messages(data), repeats)
    ours_tokens = best_time(lambda: read_interchanges(data), repeats)
    print(f"{label}: {len(data):,} bytes, {units:,} {unit_name}")
    _line("ours (decode+clean+tokenize+parse):", ours, units, unit_name)
    _line("ours (tokenizer only):", ours_tokens, units, unit_name)
    try:
        theirs: float | None = best_time(pydifact_tokens(data), repeats)
    except ImportError:
        print("  pydifact not installed: pip install pydifact (it is in the [dev] extras)")
        theirs = None
    if theirs is not None:
        _line("pydifact tokenizer only:", theirs, units, unit_name)
        print(f"  ratio, our full parse vs pydifact's tokenizer: {theirs / ours:5.1f}x")
        print(f"  ratio, tokenizer vs tokenizer:                 {theirs / ours_tokens:5.1f}x")
    return Result(label, unit_name, units, ours, ours_tokens, theirs)


def _load() -> str:
    try:
        one, five, _ = os.getloadavg()
    except OSError:  # not available on this platform
        return "unknown"
    return f"{one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPU(s)"


def summary(results: list[Result], repeats: int, load_before: str) -> None:
    """The figures to quote: full parse against pydifact's tokenizer, per message kind."""
    print()
    print(f"Summary (best of {repeats} runs, CPU time; ratio = pydifact time / our time)")
    print(f"  load average before: {load_before}; after: {_load()}")
    head = f"  {'message':<8}{'unit':<14}{'ours, full parse':>22}{'pydifact tokenizer':>22}"
    print(head + f"{'ratio':>8}")
    for r in results:
        ours = f"{r.ours * 1000:.1f} ms {r.units / r.ours:>9,.0f}/s"
        if r.theirs is None:
            theirs, ratio = "not installed", "-"
        else:
            theirs = f"{r.theirs * 1000:.1f} ms {r.units / r.theirs:>9,.0f}/s"
            ratio = f"{r.theirs / r.ours:.1f}x"
        print(f"  {r.label:<8}{r.unit_name:<14}{ours:>22}{theirs:>22}{ratio:>8}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--repeats", type=int, default=REPEATS, help=f"runs per timing (default {REPEATS})"
    )
    repeats = parser.parse_args().repeats
    load_before = _load()
    print(f"Load average: {load_before}; timings are the best of {repeats} runs.")
    paxlst = build_paxlst(1000)
    (message,) = read_messages(paxlst)
    if len(message.travellers) != 1000:
        raise SystemExit("the benchmark list did not parse completely")
    results = [compare("PAXLST", paxlst, 1000, "travellers", repeats)]
    push = build_pnrgov_push(500)
    (pnr_message,) = read_messages(push)
    if len(pnr_message.reservations) != 500:
        raise SystemExit("the benchmark push did not parse completely")
    results.append(compare("PNRGOV", push, 500, "reservations", repeats))
    summary(results, repeats, load_before)


if __name__ == "__main__":
    main()
