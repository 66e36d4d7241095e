from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from agencies.services import load_airports

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "airports.csv"


class Command(BaseCommand):
    help = "Create or update airports from a CSV (iata_code,icao_code,name,city,country,time_zone)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", nargs="?", default=str(SHIPPED), help="defaults to the shipped list"
        )

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        try:
            with open(path, newline="", encoding="utf-8") as handle:
                created, updated = load_airports(rows=csv.DictReader(handle))
        except (OSError, UnicodeDecodeError) as err:
            raise CommandError(f"{path}: {err}") from err
        except ValidationError as err:
            raise CommandError(f"{path}: nothing stored; " + " | ".join(err.messages)) from err
        self.stdout.write(f"airports: {created} created, {updated} updated")
