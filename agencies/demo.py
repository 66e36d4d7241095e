"""Demo task forces, agencies, people and a data provider. Safe to run again: what exists stays."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from agencies import services
from agencies.models import Agency, DataProvider, Person, Role, TaskForce

# Printed by ./scripts/demo: a demo install only, never a real one.
DEMO_PASSWORD = "aircop-demo-2026"  # noqa: S105

AIRPORTS_CSV = Path(__file__).resolve().parent / "data" / "airports.csv"

# (task force code, name, country, airport, [(agency code, name, kind)])
TASK_FORCES = [
    (
        "TG-LFW",
        "JAITF Lomé",
        "TGO",
        "LFW",
        [
            ("TG-POL", "Police nationale — Lomé airport", Agency.Kind.POLICE),
            ("TG-CUS", "Douanes togolaises — Lomé airport", Agency.Kind.CUSTOMS),
            (
                "TG-IMM",
                "Direction générale de la documentation nationale — immigration",
                Agency.Kind.IMMIGRATION,
            ),
        ],
    ),
    (
        "SN-DSS",
        "JAITF Dakar",
        "SEN",
        "DSS",
        [
            ("SN-POL", "Police de l'air et des frontières — Dakar", Agency.Kind.POLICE),
            ("SN-CUS", "Douanes sénégalaises — Dakar", Agency.Kind.CUSTOMS),
        ],
    ),
]

# (username, agency, roles, first name, last name)
PEOPLE = [
    ("officer", "TG-POL", [Role.OFFICER], "Kossi", "Agbeko"),
    ("analyst", "TG-CUS", [Role.ANALYST], "Ama", "Mensah"),
    ("supervisor", "TG-POL", [Role.SUPERVISOR], "Yawo", "Lawson"),
    ("liaison", "TG-POL", [Role.LIAISON_OFFICER], "Afi", "Johnson"),
    ("customs-officer", "TG-CUS", [Role.OFFICER], "Komi", "Adjovi"),
    ("immigration-officer", "TG-IMM", [Role.OFFICER], "Essi", "Amouzou"),
    ("agency-admin", "TG-CUS", [Role.AGENCY_ADMIN], "Dzifa", "Kpodar"),
    ("dakar-officer", "SN-POL", [Role.OFFICER], "Moussa", "Diop"),
]


@dataclass
class DemoSummary:
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # username, agency, roles
    provider_token: str | None = None


@transaction.atomic
def load_agencies_demo() -> DemoSummary:
    summary = DemoSummary()
    with AIRPORTS_CSV.open(newline="", encoding="utf-8") as handle:
        services.load_airports(rows=csv.DictReader(handle))

    if not Person.objects.filter(username="admin").exists():
        services.create_platform_admin(
            actor=None, username="admin", email="admin@example.org", password=DEMO_PASSWORD
        )
    summary.accounts.append(("admin", "—", "platform admin"))

    for code, name, country, airport, agencies in TASK_FORCES:
        task_force = TaskForce.objects.filter(code=code).first() or services.create_task_force(
            actor=None,
            name=name,
            code=code,
            country=country,
            airport_codes=[airport],
            status=TaskForce.Status.ESTABLISHED,
        )
        for agency_code, agency_name, kind in agencies:
            if not Agency.objects.filter(code=agency_code).exists():
                services.create_agency(
                    actor=None, task_force=task_force, name=agency_name, code=agency_code, kind=kind
                )
        if task_force.status != TaskForce.Status.OPERATIONAL:
            services.set_task_force_status(
                actor=None, task_force=task_force, status=TaskForce.Status.OPERATIONAL
            )

    for username, agency_code, roles, first, last in PEOPLE:
        if not Person.objects.filter(username=username).exists():
            services.create_person(
                actor=None,
                agency=Agency.objects.get(code=agency_code),
                username=username,
                email=f"{username}@example.org",
                roles=roles,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
            )
        summary.accounts.append((username, agency_code, ", ".join(str(r.label) for r in roles)))

    if not DataProvider.objects.filter(code="KP").exists():
        provider = services.create_data_provider(
            actor=None, code="KP", name="ASKY Airlines", task_force_codes=["TG-LFW"]
        )
        _token, summary.provider_token = services.issue_provider_token(
            actor=None, provider=provider, name="demo"
        )
    return summary
