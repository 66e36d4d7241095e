"""manage.py make_messages: write a day of synthetic PAXLST and PNRGOV traffic, store nothing."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from targeting.ingestion.synthetic import AIRPORTS, generate_day


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--date {value!r} is not a YYYY-MM-DD date") from error


class Command(BaseCommand):
    help = (
        "Write one file per synthetic API/PNR message for a day of flights at an airport"
        " (names sort in arrival order) and print a summary; nothing is stored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--airport", default="LFW", help="IATA code of the airport (LFW)")
        parser.add_argument("--date", default=None, help="local day YYYY-MM-DD (default today)")
        parser.add_argument("--flights", type=int, default=12, help="flights of the day (12)")
        parser.add_argument("--seed", type=int, default=1, help="same seed, same bytes (1)")
        parser.add_argument(
            "--faults", type=float, default=0.05, help="share of messages with a fault (0.05)"
        )
        parser.add_argument("--out", required=True, help="directory to write the files to")

    def handle(self, *args: Any, **options: Any) -> None:
        airport = options["airport"].upper()
        if airport not in AIRPORTS:
            raise CommandError(
                f"no data for airport {airport}; known: {', '.join(sorted(AIRPORTS))}"
            )
        day = _day(options["date"]) if options["date"] else timezone.localdate()
        if not 0 <= options["faults"] <= 1:
            raise CommandError("--faults must be between 0 and 1")
        if options["flights"] < 0:
            raise CommandError("--flights cannot be negative")
        messages = generate_day(
            airport=airport,
            day=day,
            flights=options["flights"],
            seed=options["seed"],
            fault_ratio=options["faults"],
        )
        out = Path(options["out"])
        try:
            out.mkdir(parents=True, exist_ok=True)
            for message in messages:
                (out / message.name).write_bytes(message.body)
        except OSError as error:
            raise CommandError(f"{out}: {error}") from error
        kinds = Counter(m.kind for m in messages)
        faults = Counter(code for m in messages for code in m.fault_codes)
        flights = len({m.flight for m in messages})
        travellers = sum(m.travellers for m in messages if m.label == "API_PAX")
        self.stdout.write(
            f"{len(messages)} messages for {flights} flights at {airport} on {day:%Y-%m-%d}"
            f" written to {out}: {kinds['PAXLST']} PAXLST, {kinds['PNRGOV']} PNRGOV,"
            f" {kinds['OTHER']} other; {travellers} passengers on the API lists"
        )
        if faults:
            listed = ", ".join(f"{code} {count}" for code, count in sorted(faults.items()))
            self.stdout.write(f"faults injected: {listed}")
        else:
            self.stdout.write("faults injected: none")
