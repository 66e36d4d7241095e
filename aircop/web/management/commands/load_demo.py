from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import timezone

from agencies.cases.demo import load_cases_demo
from agencies.demo import DEMO_PASSWORD, load_agencies_demo
from agencies.models import TaskForce
from agencies.operations.demo import load_operations_demo
from agencies.training.demo import load_training_demo
from liaison.demo import load_liaison_demo
from targeting.ingestion.demo import load_day
from targeting.rules.demo import load_screening_demo
from targeting.triage.demo import load_triage_demo


class Command(BaseCommand):
    help = (
        "Load the demo task forces, agencies, people, data providers and today's flights at "
        "Lomé from synthetic API and PNR traffic (idempotent)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = load_agencies_demo()
        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD})")
        for username, agency, roles in summary.accounts:
            self.stdout.write(f"  {username:<22} {agency:<8} {roles}")
        lome = TaskForce.objects.get(code="TG-LFW")
        today = timezone.localdate(timezone=ZoneInfo(lome.time_zone))
        count = load_day(task_force=lome, airport="LFW", day=today)
        if count:
            self.stdout.write(f"Received {count} synthetic API/PNR messages for {today} at LFW")
        hits = load_screening_demo(day=today)
        self.stdout.write(f"Screened today's flights at LFW: {hits} hits")
        decided = load_triage_demo(day=today)
        if decided:
            self.stdout.write(
                f"Recorded {decided} demo triage decisions (assigned, referred, cleared)"
            )
        case = load_cases_demo(day=today)
        if case is not None:
            self.stdout.write(
                f"Opened demo case {case.number} from a positive control, "
                "sharing with TG-CUS awaits the supervisor"
            )
        alert = load_liaison_demo(day=today)
        if alert is not None:
            self.stdout.write(f"Filed a liaison alert from JAITF Dakar: {alert.subject}")
        operation = load_operations_demo(day=today)
        if operation is not None:
            self.stdout.write(f"Joint operation {operation.code}: {operation.name}")
        training = load_training_demo(day=today)
        if training is not None:
            self.stdout.write(f"Recorded a demo training: {training.title}")
        call_command("load_network", stdout=self.stdout)
        if summary.provider_token:
            self.stdout.write(
                f"Data provider KP (ASKY Airlines) token, shown once: {summary.provider_token}"
            )
