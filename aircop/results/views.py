"""The results pages: one page of tables and charts, and each table as CSV or XLSX.

Which task forces a person's results cover comes from `selectors.results_task_forces`; the
filter form may only narrow it.
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from agencies.operations.selectors import operations_visible_to
from agencies.training.selectors import TrainingTotals, training_totals
from aircop.results import selectors, services
from aircop.results.forms import ResultsForm, last_twelve_months
from aircop.results.queries import ResultsFilter
from aircop.results.tables import HEADINGS, TABLES

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filter(request: HttpRequest) -> tuple[ResultsForm, ResultsFilter]:
    user: Any = request.user
    if not selectors.can_see_results(user):
        raise Http404
    task_forces = selectors.results_task_forces(user)
    form = ResultsForm(
        request.GET or None,
        task_forces=task_forces,
        agencies=selectors.results_agencies(user),
        operations=operations_visible_to(user),
    )
    data = form.cleaned_data if form.is_valid() else {}
    start, end = last_twelve_months(timezone.localdate())
    task_force = data.get("task_force")
    agency = data.get("agency")
    operation = data.get("operation")
    task_force_ids = (
        [task_force.pk] if task_force else list(task_forces.values_list("pk", flat=True))
    )
    return form, ResultsFilter(
        start=data.get("start") or start,
        end=data.get("end") or end,
        task_force_ids=task_force_ids,
        agency_ids=[agency.pk] if agency else None,
        operation_id=operation.pk if operation else None,
        watchlist_ids=selectors.results_watchlist_ids(user),
    )


def results(request: HttpRequest) -> HttpResponse:
    form, flt = _filter(request)
    # The downloads cover what the page shows: the same filters, and nothing else.
    query = urlencode(
        [
            (name, str(request.GET[name]))
            for name in ResultsForm.base_fields
            if request.GET.get(name)
        ]
    )
    sections = []
    for table in TABLES.values():
        frame = table.build(flt)
        sections.append(
            {
                "name": table.name,
                "title": table.title,
                "chart": table.chart(frame),
                "headings": [HEADINGS.get(column, column) for column in frame.columns],
                "rows": _cells(frame),
                "query": query,
            }
        )
    training = _training(flt)
    return render(
        request,
        "results/results.html",
        {"form": form, "filter": flt, "sections": sections, "training": training},
    )


def _cells(frame: pd.DataFrame) -> list[list[tuple[Any, bool]]]:
    """Each row's values with whether it is a number (drawn right-aligned)."""
    numeric = [pd.api.types.is_numeric_dtype(frame[column]) for column in frame.columns]
    return [
        list(zip(row, numeric, strict=True)) for row in frame.itertuples(index=False, name=None)
    ]


def _training(flt: ResultsFilter) -> TrainingTotals:
    return training_totals(task_force_ids=flt.task_force_ids, start=flt.start, end=flt.end)


def download(request: HttpRequest, table: str, file_format: str) -> HttpResponse:
    if table not in TABLES or file_format not in ("csv", "xlsx"):
        raise Http404
    _form, flt = _filter(request)
    frame = TABLES[table].build(flt)
    services.record_download(actor=request.user, table=table, file_format=file_format, flt=flt)
    name = f"aircop-{table}-{flt.start:%Y%m%d}-{flt.end:%Y%m%d}.{file_format}"
    if file_format == "csv":
        response = HttpResponse(frame.to_csv(index=False), content_type="text/csv; charset=utf-8")
    else:
        buffer = io.BytesIO()
        frame.to_excel(buffer, index=False, sheet_name=table[:31], engine="openpyxl")
        response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
