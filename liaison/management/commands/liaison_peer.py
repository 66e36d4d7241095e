from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from agencies.models import TaskForce
from liaison.models import Counterpart
from liaison.peers import CHANNEL, register_peer


class Command(BaseCommand):
    help = "Register a peer installation (another task force reached over HTTPS) or list them."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        add = sub.add_parser("add", help="create or update a peer of one of our task forces")
        add.add_argument("--task-force", required=True, help="our task force code")
        add.add_argument("--code", required=True, help="the peer's code here, e.g. SN-DSS")
        add.add_argument("--name", required=True)
        add.add_argument("--url", required=True, help="the peer installation's base address")
        add.add_argument(
            "--remote-task-force", default="", help="their task force code there (default --code)"
        )
        add.add_argument("--key-id", required=True, help="as their liaison_key show prints it")
        add.add_argument("--public-key-file", required=True, type=Path, help="their PEM")
        sub.add_parser("list")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "list":
            self._list()
            return
        task_force = TaskForce.objects.filter(code=opts["task_force"].upper()).first()
        if task_force is None:
            raise CommandError(f"no task force with code {opts['task_force']}")
        try:
            public_key = opts["public_key_file"].read_text()
        except OSError as error:
            raise CommandError(f"cannot read {opts['public_key_file']}: {error}") from error
        try:
            counterpart, created = register_peer(
                actor=None,
                task_force=task_force,
                code=opts["code"],
                name=opts["name"],
                endpoint=opts["url"],
                remote_task_force=opts["remote_task_force"],
                key_id=opts["key_id"],
                public_key=public_key,
            )
        except ValidationError as error:
            raise CommandError(
                "; ".join(f"{field}: {' '.join(m)}" for field, m in error.message_dict.items())
            ) from error
        verb = "registered" if created else "updated"
        self.stdout.write(
            f"peer {counterpart.code} {verb} for {task_force.code}: {counterpart.endpoint} "
            f"(key {counterpart.key_id})"
        )

    def _list(self) -> None:
        peers = Counterpart.objects.filter(channel=CHANNEL).select_related("task_force")
        for peer in peers.order_by("task_force__code", "code"):
            state = "active" if peer.is_active else "inactive"
            self.stdout.write(
                f"{peer.task_force.code}\t{peer.code}\t{peer.name}\t{peer.endpoint}\t"
                f"key {peer.key_id}\t{state}, channel {peer.health}"
            )
