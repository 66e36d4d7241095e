"""The network page: a map of task forces by status and the list it links to."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from agencies.models import TaskForce
from agencies.network import atlas, selectors

MARKER_SIZE = 6.0


@dataclass(frozen=True)
class StatusMark:
    """How a status is drawn: a shape as well as a colour, so colour is never the only cue."""

    shape: str
    fill: str
    stroke: str


STATUS_MARKS = {
    TaskForce.Status.OPERATIONAL: StatusMark("circle", "#1b7f3b", "#0b3d1c"),
    TaskForce.Status.ESTABLISHED: StatusMark("square", "#1f5fa8", "#0d2c4f"),
    TaskForce.Status.UNDER_ESTABLISHMENT: StatusMark("triangle", "#d98c00", "#6b4500"),
    TaskForce.Status.ASSOCIATE: StatusMark("diamond", "#7b3fa0", "#3b1d4d"),
    TaskForce.Status.POTENTIAL: StatusMark("ring", "#ffffff", "#555555"),
}


def marker_path(shape: str, x: float, y: float, size: float = MARKER_SIZE) -> str:
    """An SVG path for a marker centred on (x, y)."""
    s = size
    if shape == "square":
        s *= 0.85
        return f"M{x - s:g} {y - s:g}h{2 * s:g}v{2 * s:g}h{-2 * s:g}Z"
    if shape == "triangle":
        return f"M{x:g} {y - s * 1.15:g}L{x + s:g} {y + s * 0.85:g}L{x - s:g} {y + s * 0.85:g}Z"
    if shape == "diamond":
        s *= 1.2
        return f"M{x:g} {y - s:g}L{x + s:g} {y:g}L{x:g} {y + s:g}L{x - s:g} {y:g}Z"
    # circle and ring: two arcs
    return f"M{x - s:g} {y:g}a{s:g} {s:g} 0 1 0 {2 * s:g} 0a{s:g} {s:g} 0 1 0 {-2 * s:g} 0Z"


@login_required
def network(request: HttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    entries = selectors.network_entries(year=year)
    hosts = {entry.country for entry in entries}
    markers = [
        {
            "entry": entry,
            "mark": STATUS_MARKS[TaskForce.Status(entry.status)],
            "path": marker_path(
                STATUS_MARKS[TaskForce.Status(entry.status)].shape, *entry.position
            ),
        }
        for entry in entries
        if entry.position is not None
    ]
    legend = [
        {
            "status": status,
            "label": status.label,
            "mark": STATUS_MARKS[status],
            "path": marker_path(STATUS_MARKS[status].shape, 10, 10),
            "count": sum(1 for entry in entries if entry.status == status),
        }
        for status in TaskForce.Status
    ]
    return render(
        request,
        "network/network.html",
        {
            "year": year,
            "entries": entries,
            "markers": markers,
            "legend": legend,
            "countries": [
                {"shape": shape, "is_host": shape.alpha_3 in hosts}
                for shape in atlas.country_shapes()
            ],
            "width": atlas.WIDTH,
            "height": atlas.HEIGHT,
        },
    )
