from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from agencies.models import DataProvider
from agencies.services import create_data_provider, issue_provider_token


class Command(BaseCommand):
    help = "Onboard a data provider (airline or router) and print its first token, once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--code", required=True, help="IATA designator")
        parser.add_argument("--name", required=True)
        parser.add_argument(
            "--kind", default=DataProvider.Kind.AIRLINE, choices=DataProvider.Kind.values
        )
        parser.add_argument("--task-force", action="append", default=[], help="code; repeat")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            provider = create_data_provider(
                actor=None,
                code=opts["code"],
                name=opts["name"],
                kind=opts["kind"],
                task_force_codes=opts["task_force"],
            )
            _token, key = issue_provider_token(actor=None, provider=provider)
        except ValidationError as err:
            raise CommandError("; ".join(err.messages)) from err
        self.stdout.write(f"provider {provider.code} created; token (shown once): {key}")
