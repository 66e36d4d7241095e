"""manage.py parse PATH...: print the normalised content of message files as JSON, store nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from targeting.ingestion.edifact import EdifactError
from targeting.ingestion.reader import read_messages
from targeting.ingestion.records import to_json


class Command(BaseCommand):
    help = (
        "Print each PAXLST/PNRGOV file as one JSON object {file, messages} without storing it;"
        " exit 1 if any file cannot be read."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help="message files to read")
        parser.add_argument("--indent", type=int, default=None, help="pretty-print the JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        failed = 0
        for name in options["paths"]:
            path = Path(name)
            try:
                data = path.read_bytes()
                messages = read_messages(data)
            except (OSError, EdifactError) as error:
                # Keep going: one unreadable file must not hide the others' results.
                failed += 1
                self.stderr.write(f"{name}: {error}")
                continue
            document = {"file": name, "messages": [to_json(m) for m in messages]}
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=options["indent"]))
        if failed:
            raise CommandError(f"{failed} of {len(options['paths'])} file(s) could not be read")
