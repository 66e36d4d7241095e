from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from agencies.models import Agency
from targeting.rules.models import Visibility, Watchlist
from targeting.rules.watchlists import create_watchlist, import_watchlist


class Command(BaseCommand):
    help = (
        "Import a CSV/XLSX file into an agency's watchlist (created if needed). Columns: name "
        "(or surname and given_names), aliases (;-separated), birth_date (YYYY, YYYY-MM or "
        "YYYY-MM-DD), nationality, document_type, document_number, issuing_state, category, "
        "reason; others are kept as notes. A bad row is reported by number and nothing is stored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path")
        parser.add_argument("--agency", required=True, help="agency code")
        parser.add_argument("--name", required=True, help="list name")
        parser.add_argument("--kind", choices=Watchlist.Kind.values, default="persons")
        parser.add_argument("--visibility", choices=Visibility.values, default="agency")

    def handle(self, *args: Any, path: str, **opts: Any) -> None:
        agency = Agency.objects.filter(code=opts["agency"].upper()).first()
        if agency is None:
            raise CommandError(f"no agency with code {opts['agency']}")
        try:
            data = Path(path).read_bytes()
        except OSError as err:
            raise CommandError(f"{path}: {err.strerror or err}") from err
        watchlist = Watchlist.objects.filter(agency=agency, name=opts["name"]).first()
        try:
            if watchlist is None:
                watchlist = create_watchlist(
                    actor=None,
                    agency=agency,
                    name=opts["name"],
                    kind=opts["kind"],
                    visibility=opts["visibility"],
                )
            count = import_watchlist(
                actor=None, watchlist=watchlist, data=data, file_name=Path(path).name
            )
        except ValidationError as err:
            raise CommandError(f"{path}: nothing stored.\n  " + "\n  ".join(err.messages)) from err
        self.stdout.write(f"{count} entries imported into {watchlist}")
