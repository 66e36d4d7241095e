"""The tables of the results page: their titles, columns' headings, and the chart of each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from aircop.results import queries
from aircop.results.charts import bar_chart, stacked_bar_chart


def _labels(frame: pd.DataFrame, *columns: str, joiner: str = " ") -> list[str]:
    return [joiner.join(str(v) for v in row) for row in frame[list(columns)].itertuples(False)]


def _stacked(frame: pd.DataFrame, title: str, row: str, series: str, value: str) -> SafeString:
    pivot = frame.pivot_table(index=row, columns=series, values=value, aggfunc="sum", fill_value=0)
    return stacked_bar_chart(
        title,
        [str(v) for v in pivot.index],
        [(str(name), list(pivot[name])) for name in pivot.columns],
    )


def _commodities(frame: pd.DataFrame) -> SafeString:
    """One chart per unit: kilograms, tablets and an amount of money share no scale."""
    charts = []
    for unit, rows in frame.groupby("unit", sort=True):
        bars = zip((str(c) for c in rows["commodity"]), rows["quantity"], strict=True)
        title = _("Quantity seized per commodity, in %(unit)s") % {"unit": unit}
        charts.append(bar_chart(str(title), list(bars)))
    return SafeString("".join(charts))


def _months(frame: pd.DataFrame) -> SafeString:
    return _stacked(frame, str(_("Seizures per month")), "month", "commodity", "seizures")


def _routes(frame: pd.DataFrame) -> SafeString:
    routes = frame.assign(route=_labels(frame, "origin", "destination", joiner=" → "))
    return _stacked(routes, str(_("Seizures per route")), "route", "commodity", "seizures")


def _concealment(frame: pd.DataFrame) -> SafeString:
    return _stacked(
        frame, str(_("Seizures per concealment")), "concealment", "commodity", "seizures"
    )


def _agencies(frame: pd.DataFrame) -> SafeString:
    return _stacked(frame, str(_("Seizures per agency")), "agency", "commodity", "seizures")


def _persons(frame: pd.DataFrame) -> SafeString:
    return stacked_bar_chart(
        str(_("Persons intercepted")),
        list(frame["category"]),
        [
            (str(_("women")), list(frame["women"])),
            (str(_("men and others")), list(frame["persons"] - frame["women"])),
        ],
    )


def _effectiveness(title: str | Promise, key: str) -> Callable[[pd.DataFrame], SafeString]:
    def chart(frame: pd.DataFrame) -> SafeString:
        return stacked_bar_chart(
            str(title),
            list(frame[key]),
            [
                (str(_("positive")), list(frame["positives"])),
                (str(_("negative")), list(frame["controls"] - frame["positives"])),
                (str(_("not controlled")), list(frame["hits"] - frame["controls"])),
            ],
        )

    return chart


def _quality(frame: pd.DataFrame) -> SafeString:
    per_airline = frame.groupby("airline", as_index=False)[["messages", "late"]].sum()
    return stacked_bar_chart(
        str(_("Messages per airline")),
        list(per_airline["airline"]),
        [
            (str(_("in time")), list(per_airline["messages"] - per_airline["late"])),
            (str(_("late")), list(per_airline["late"])),
        ],
    )


def _reviews(frame: pd.DataFrame) -> SafeString:
    return stacked_bar_chart(
        str(_("Flights with flagged travellers, per month")),
        list(frame["month"]),
        [
            (str(_("all decided in time")), list(frame["reviewed_in_time"])),
            (
                str(_("not all decided in time")),
                list(frame["flagged_flights"] - frame["reviewed_in_time"]),
            ),
        ],
    )


@dataclass(frozen=True)
class Table:
    name: str
    title: str | Promise
    build: Callable[[queries.ResultsFilter], pd.DataFrame]
    chart: Callable[[pd.DataFrame], SafeString]


TABLES: dict[str, Table] = {
    table.name: table
    for table in (
        Table(
            "commodities", _("Seizures by commodity"), queries.seizures_by_commodity, _commodities
        ),
        Table("months", _("Seizures by month"), queries.seizures_by_month, _months),
        Table("routes", _("Seizures by route"), queries.seizures_by_route, _routes),
        Table(
            "concealment",
            _("Seizures by concealment"),
            queries.seizures_by_concealment,
            _concealment,
        ),
        Table("agencies", _("Seizures by agency"), queries.seizures_by_agency, _agencies),
        Table("persons", _("Persons intercepted"), queries.persons, _persons),
        Table(
            "rules",
            _("Risk rules"),
            queries.rule_effectiveness,
            _effectiveness(_("Travellers flagged per rule"), "rule"),
        ),
        Table(
            "watchlists",
            _("Watchlists"),
            queries.watchlist_effectiveness,
            _effectiveness(_("Travellers flagged per watchlist"), "watchlist"),
        ),
        Table("data-quality", _("Data quality per airline"), queries.data_quality, _quality),
        Table(
            "reviews",
            _("Manifests reviewed before arrival or departure"),
            queries.manifests_reviewed,
            _reviews,
        ),
    )
}

HEADINGS = {
    "commodity": _("commodity"),
    "unit": _("unit"),
    "seizures": _("seizures"),
    "quantity": _("quantity"),
    "month": _("month"),
    "origin": _("from"),
    "origin_country": _("country"),
    "destination": _("to"),
    "destination_country": _("country"),
    "concealment": _("concealment"),
    "agency": _("agency"),
    "category": _("persons"),
    "persons": _("number"),
    "women": _("women"),
    "share_women": _("share of women"),
    "rule": _("rule"),
    "watchlist": _("watchlist"),
    "hits": _("travellers flagged"),
    "controls": _("controlled"),
    "positives": _("positive"),
    "hit_rate": _("hit rate"),
    "airline": _("airline"),
    "messages": _("messages"),
    "late": _("late"),
    "with_errors": _("with errors"),
    "incomplete": _("incomplete"),
    "rejected": _("rejected"),
    "share_late": _("share late"),
    "flagged_flights": _("flights with flagged travellers"),
    "reviewed_in_time": _("all decided in time"),
    "share": _("share"),
}
