"""`manage.py screen_name NAME`: what the matcher finds on the watchlists for one name."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agencies.models import Agency
from targeting.rules.search import ListedMatch, screen_name


class Command(BaseCommand):
    help = (
        "Search the watchlists for a name as screening would: with --agency, the lists that "
        "agency's people may see; otherwise every active list. Prints the candidates above the "
        "threshold, best first; with --json a list of {entry_id, name, list, score, "
        "explanation} ([] when nothing passes)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="the name in any script, e.g. 'MUHAMMAD ALHASAN'")
        parser.add_argument("--birth-date", default="", help="YYYY, YYYY-MM or YYYY-MM-DD")
        parser.add_argument("--agency", help="agency code: search the lists its people may see")
        parser.add_argument(
            "--threshold", type=float, help="score to reach, instead of each list's own (0-100)"
        )
        parser.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, name: str, **opts: Any) -> None:
        agency = None
        if opts["agency"]:
            agency = Agency.objects.filter(code=opts["agency"].upper()).first()
            if agency is None:
                raise CommandError(f"no agency with code {opts['agency']}")
        threshold = opts["threshold"]
        if threshold is not None and not 0 <= threshold <= 100:
            raise CommandError(f"--threshold {threshold:g} is not between 0 and 100")
        try:
            matches = screen_name(
                name=name, agency=agency, birth_date=opts["birth_date"], threshold=threshold
            )
        except ValueError as err:
            raise CommandError(f"--birth-date: {err}") from err
        if opts["json"]:
            self.stdout.write(json.dumps([m.as_json() for m in matches], ensure_ascii=False))
            return
        self.stdout.write(_table(matches) if matches else f"no listed entry matches {name!r}")


def _table(matches: list[ListedMatch]) -> str:
    """Score, list, entry, name, then the reason on its own indented line (it is long)."""
    rows = [("score", "list", "entry", "name")] + [
        (f"{m.score:.1f}", m.watchlist.name, str(m.entry.pk), str(m.entry)) for m in matches
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(rows[0], widths, strict=True)).rstrip()]
    for match, row in zip(matches, rows[1:], strict=True):
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        lines.append(f"    {match.explanation}")
    return "\n".join(lines)
