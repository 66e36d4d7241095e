from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from liaison import signing


class Command(BaseCommand):
    help = (
        "Show this installation's liaison key id and public key (PEM), to give to the platform "
        "admin of a peer task force (who registers it with liaison_peer add)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("show")
        show.add_argument(
            "--public-key-only", action="store_true", help="print the PEM alone (for a file)"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        # The private key is created on first use when neither LIAISON_SIGNING_KEY nor the file
        # under var/ exists; it is never printed.
        pem = signing.public_key_pem()
        if opts["public_key_only"]:
            self.stdout.write(pem, ending="")
            return
        self.stdout.write(f"key id: {signing.key_id()}")
        self.stdout.write(pem, ending="")
