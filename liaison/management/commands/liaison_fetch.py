from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from liaison.adapters.store_forward import fetch_all, store_and_forward_counterparts


class Command(BaseCommand):
    help = (
        "Read the incoming folders of the store-and-forward channels (I-24/7, CENcomm, "
        "national databases) once and file what the gateway dropped there."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--counterpart", help="only this counterpart's code")

    def handle(self, *args: Any, **opts: Any) -> None:
        counterparts = store_and_forward_counterparts()
        if opts["counterpart"]:
            counterparts = counterparts.filter(code=opts["counterpart"])
            if not counterparts.exists():
                raise CommandError(
                    f"no active store-and-forward counterpart with code {opts['counterpart']}"
                )
        for name, fetched in fetch_all(counterparts).items():
            if fetched.down:
                self.stderr.write(f"{name}: not read, {fetched.down}")
                continue
            self.stdout.write(
                f"{name}: {fetched.received} received, {fetched.already_had} already had, "
                f"{len(fetched.rejected)} rejected"
            )
            for reason in fetched.rejected:
                self.stderr.write(f"  rejected {reason}")
