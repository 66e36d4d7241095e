from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from agencies.network.services import COLUMNS, load_network

SHIPPED = Path(__file__).resolve().parents[3] / "data" / "network.csv"


class Command(BaseCommand):
    help = (
        "Create or update the network's task forces from a CSV ("
        + ",".join(COLUMNS)
        + "); lines starting with # are comments. One bad line stores nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "path", nargs="?", default=str(SHIPPED), help="defaults to the shipped demo list"
        )

    def handle(self, *args: Any, path: str, **options: Any) -> None:
        try:
            with open(path, newline="", encoding="utf-8") as handle:
                kept = [(n, line) for n, line in enumerate(handle, 1) if not line.startswith("#")]
            # Errors name the line in the file, comments included.
            numbers = [n for n, _ in kept]
            reader = csv.DictReader(line for _, line in kept)
            missing = [c for c in COLUMNS[:4] if c not in (reader.fieldnames or [])]
            if missing:
                raise CommandError(f"{path}: nothing stored; missing columns: {', '.join(missing)}")
            created, updated = load_network(
                rows=((numbers[reader.line_num - 1], row) for row in reader)
            )
        except (OSError, UnicodeDecodeError) as err:
            raise CommandError(f"{path}: {err}") from err
        except ValidationError as err:
            raise CommandError(f"{path}: nothing stored; " + " | ".join(err.messages)) from err
        self.stdout.write(f"network task forces: {created} created, {updated} updated")
