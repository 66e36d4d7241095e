from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from agencies.models import Agency, TaskForce
from agencies.services import create_agency


class Command(BaseCommand):
    help = "Add an agency to a task force."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--task-force", required=True, help="task force code")
        parser.add_argument("--code", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--kind", required=True, choices=Agency.Kind.values)

    def handle(self, *args: Any, **opts: Any) -> None:
        task_force = TaskForce.objects.filter(code=opts["task_force"].upper()).first()
        if task_force is None:
            raise CommandError(f"no task force with code {opts['task_force']}")
        try:
            agency = create_agency(
                actor=None,
                task_force=task_force,
                name=opts["name"],
                code=opts["code"],
                kind=opts["kind"],
            )
        except ValidationError as err:
            raise CommandError("; ".join(err.messages)) from err
        self.stdout.write(f"agency {agency.code} created in {task_force.code}")
