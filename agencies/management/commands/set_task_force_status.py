from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from agencies.models import TaskForce
from agencies.services import set_task_force_status


class Command(BaseCommand):
    help = "Change a task force's status (operational needs at least two agencies)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code")
        parser.add_argument("status", choices=TaskForce.Status.values)

    def handle(self, *args: Any, code: str, status: str, **opts: Any) -> None:
        task_force = TaskForce.objects.filter(code=code.upper()).first()
        if task_force is None:
            raise CommandError(f"no task force with code {code}")
        try:
            set_task_force_status(actor=None, task_force=task_force, status=status)
        except ValidationError as err:
            raise CommandError("; ".join(err.messages)) from err
        self.stdout.write(f"{task_force.code} is now {status}")
