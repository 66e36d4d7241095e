from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from agencies.models import TaskForce
from agencies.services import create_task_force


class Command(BaseCommand):
    help = "Create a task force (JAITF) at one or more home airports."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--code", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--country", required=True, help="ISO 3166 alpha-3")
        parser.add_argument("--airport", action="append", required=True, help="IATA code; repeat")
        parser.add_argument(
            "--status",
            default=TaskForce.Status.UNDER_ESTABLISHMENT,
            choices=[s for s in TaskForce.Status.values if s != TaskForce.Status.OPERATIONAL],
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            tf = create_task_force(
                actor=None,
                name=opts["name"],
                code=opts["code"],
                country=opts["country"],
                airport_codes=opts["airport"],
                status=opts["status"],
            )
        except ValidationError as err:
            raise CommandError("; ".join(err.messages)) from err
        self.stdout.write(f"task force {tf.code} created (id {tf.pk})")
