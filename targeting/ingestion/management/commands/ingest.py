from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from agencies.models import DataProvider
from targeting.ingestion import services


class Command(BaseCommand):
    help = (
        "Store message files as the ingest API would, on behalf of a data provider: "
        "each file is received, routed to the provider's task force and stored."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH")
        parser.add_argument("--provider", required=True, help="data provider code, e.g. KP")

    def handle(self, *args: Any, paths: list[str], provider: str, **options: Any) -> None:
        sender = DataProvider.objects.filter(code=provider.upper(), is_active=True).first()
        if sender is None:
            raise CommandError(f"no active data provider with code {provider}")
        failed = 0
        for name in paths:
            path = Path(name)
            try:
                body = path.read_bytes()
            except OSError as err:
                self.stderr.write(f"{name}: {err.strerror or err}")
                failed += 1
                continue
            if len(body) > settings.INGEST_MAX_BYTES:
                self.stderr.write(f"{name}: {len(body)} bytes, over INGEST_MAX_BYTES")
                failed += 1
                continue
            try:
                received = services.receive_message(body=body, provider=sender, file_name=path.name)
            except PermissionDenied as err:
                self.stderr.write(f"{name}: refused: {err}")
                failed += 1
                continue
            message = services.store_message_content(received.message.pk)
            self.stdout.write(
                f"{name}: message #{message.pk} {message.state}"
                + (f" ({message.error})" if message.error else "")
                + f", {message.traveller_count} travellers, {message.findings.count()} findings"
            )
            failed += message.state == message.State.REJECTED
        if failed:
            raise CommandError(f"{failed} of {len(paths)} files were not stored")
