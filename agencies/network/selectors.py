"""What the network page shows: every task force, here and elsewhere, with aggregate figures.

Every signed-in person sees the same page: it carries names, statuses and counts only, never a
case, a seizure or a person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pycountry
from django.db.models import Count, Prefetch

from agencies.cases.models import CaseFile, Seizure
from agencies.models import Agency, TaskForce
from agencies.network.atlas import project
from agencies.network.models import NetworkTaskForce
from agencies.reference import airport_position

# Order of the legend and of the list: from working task forces to plans.
STATUS_ORDER = [choice.value for choice in TaskForce.Status]


@dataclass
class NetworkEntry:
    anchor: str
    name: str
    country: str
    airports: list[str]
    status: str
    status_label: str
    agencies: list[str]
    is_local: bool
    notes: str = ""
    cases_this_year: int | None = None
    seizures_this_year: int | None = None
    position: tuple[float, float] | None = field(default=None)

    @property
    def country_name(self) -> str:
        country = pycountry.countries.get(alpha_3=self.country)
        return country.name if country else self.country


def _position(latitude: object, longitude: object) -> tuple[float, float] | None:
    if latitude is None or longitude is None:
        return None
    return project(float(latitude), float(longitude))  # type: ignore[arg-type]  # Decimal


def network_entries(*, year: int) -> list[NetworkEntry]:
    """This installation's task forces with their figures for `year`, then the rest of the
    network, leaving out a network row for an airport that one of ours already covers."""
    local = list(
        TaskForce.objects.prefetch_related(
            "airports", Prefetch("agencies", queryset=Agency.objects.order_by("name"))
        ).order_by("name")
    )
    cases = dict(
        CaseFile.objects.filter(year=year)
        .values_list("agency__task_force")
        .annotate(n=Count("id"))
        .values_list("agency__task_force", "n")
    )
    seizures = dict(
        Seizure.objects.filter(seized_on__gte=date(year, 1, 1), seized_on__lte=date(year, 12, 31))
        .values_list("agency__task_force")
        .annotate(n=Count("id"))
        .values_list("agency__task_force", "n")
    )
    entries: list[NetworkEntry] = []
    covered: set[str] = set()
    for task_force in local:
        airports = sorted(task_force.airports.all(), key=lambda a: a.iata_code)
        covered.update(a.iata_code for a in airports)
        placed = next((a for a in airports if a.latitude is not None), None)
        entries.append(
            NetworkEntry(
                anchor=f"tf-{task_force.code.lower()}",
                name=task_force.name,
                country=task_force.country,
                airports=[a.iata_code for a in airports],
                status=task_force.status,
                status_label=task_force.get_status_display(),
                agencies=[agency.name for agency in task_force.agencies.all()],
                is_local=True,
                cases_this_year=cases.get(task_force.pk, 0),
                seizures_this_year=seizures.get(task_force.pk, 0),
                position=_position(placed.latitude, placed.longitude) if placed else None,
            )
        )
    for row in NetworkTaskForce.objects.exclude(airport__in=covered).order_by("name"):
        position = airport_position(row.airport)
        entries.append(
            NetworkEntry(
                anchor=f"net-{row.airport.lower()}",
                name=row.name,
                country=row.country,
                airports=[row.airport],
                status=row.status,
                status_label=row.get_status_display(),
                agencies=[a.strip() for a in row.agencies.split(";") if a.strip()],
                is_local=False,
                notes=row.notes,
                position=project(*position) if position else None,
            )
        )
    return entries
