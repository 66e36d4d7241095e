from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from agencies.demo import DEMO_PASSWORD, load_agencies_demo


class Command(BaseCommand):
    help = "Load the demo task forces, agencies, people and data provider (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = load_agencies_demo()
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD})")
        for username, agency, roles in summary.accounts:
            self.stdout.write(f"  {username:<22} {agency:<8} {roles}")
        if summary.provider_token:
            self.stdout.write(
                f"Data provider KP (ASKY Airlines) token, shown once: {summary.provider_token}"
            )
