"""What the task forces achieved, as pandas tables: seizures, persons, rules, data quality.

Each function takes a `ResultsFilter` (already limited by `selectors.results_scope` to what
the person may see) and returns a DataFrame built from a fixed number of `.values()`
aggregations, whatever the size of the data: the database groups and counts, pandas only
reshapes, joins the few reference rows and computes shares.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pandas as pd
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth

from agencies.cases.models import CaseFile, CaseSubject, Seizure, Sex
from agencies.models import Airport, TaskForce
from targeting.ingestion.models import Finding, InboundMessage
from targeting.manifests.models import Traveller
from targeting.rules.models import Hit
from targeting.triage.models import Decision, Outcome

# A finding that says a field or segment the standard expects was not sent (paxlst.py,
# pnrgov.py, edifact.py word them "no DTM+329 …", "message has no CNT …", "… is empty").
INCOMPLETE_FINDING = r"(^no |has no |missing|is empty|names no )"
CONTROLLED = (Outcome.NEGATIVE, Outcome.POSITIVE)
NO_FLIGHT = "?"


@dataclass(frozen=True)
class ResultsFilter:
    """The period (both days included), the task forces and optionally the agencies counted."""

    start: date
    end: date
    task_force_ids: list[int]
    agency_ids: list[int] | None = None
    # A joint operation (agencies.operations) narrows cases and seizures to those attached.
    operation_id: int | None = None
    # The watchlists whose figures may be shown (None: all of them). A hit is shown only to
    # those who may see its list, and so are a list's name and counts.
    watchlist_ids: list[int] | None = None


def _frame(rows: Any, columns: list[str], rename: dict[str, str] | None = None) -> pd.DataFrame:
    """The rows of a `.values()` query as a frame with these columns, in this order."""
    frame = pd.DataFrame.from_records(list(rows))
    return frame.rename(columns=rename or {}).reindex(columns=columns)


def _share(part: pd.Series, whole: pd.Series) -> pd.Series:
    """part / whole rounded to 3 places; 0 where there is nothing to divide."""
    whole = whole.astype(float)
    return (part.astype(float) / whole.where(whole > 0)).fillna(0.0).round(3)


# -- seizures -----------------------------------------------------------------------------------


def seizures_in(flt: ResultsFilter) -> QuerySet[Seizure]:
    seizures = Seizure.objects.filter(
        seized_on__range=(flt.start, flt.end), agency__task_force_id__in=flt.task_force_ids
    )
    if flt.agency_ids is not None:
        seizures = seizures.filter(agency_id__in=flt.agency_ids)
    if flt.operation_id is not None:
        seizures = seizures.filter(case__joint_operation_id=flt.operation_id)
    return seizures.order_by()


def _quantities(frame: pd.DataFrame) -> pd.DataFrame:
    """Decimal sums to floats, money shown in its currency as its unit ("XOF", not "amount")."""
    frame["quantity"] = frame["quantity"].astype(float).round(3)
    if "currency" in frame:
        money = frame["unit"].eq("amount") & frame["currency"].ne("")
        frame.loc[money, "unit"] = frame.loc[money, "currency"]
        frame = frame.drop(columns=["currency"])
    return frame


def seizures_by_commodity(flt: ResultsFilter) -> pd.DataFrame:
    """commodity, unit, seizures, quantity: the totals, in each commodity's own units."""
    rows = (
        seizures_in(flt)
        .values("commodity", "unit", "currency")
        .annotate(seizures=Count("id"), quantity=Sum("quantity"))
        .order_by("commodity", "unit", "currency")
    )
    frame = _frame(rows, ["commodity", "unit", "currency", "seizures", "quantity"])
    frame = _quantities(frame)
    return frame.groupby(["commodity", "unit"], as_index=False, sort=True)[
        ["seizures", "quantity"]
    ].sum()


def seizures_by_month(flt: ResultsFilter) -> pd.DataFrame:
    """month (YYYY-MM), commodity, unit, seizures, quantity."""
    rows = (
        seizures_in(flt)
        .annotate(month=TruncMonth("seized_on"))
        .values("month", "commodity", "unit", "currency")
        .annotate(seizures=Count("id"), quantity=Sum("quantity"))
        .order_by("month", "commodity")
    )
    frame = _frame(rows, ["month", "commodity", "unit", "currency", "seizures", "quantity"])
    frame = _quantities(frame)
    frame["month"] = [_month(value) for value in frame["month"]]
    return frame.groupby(["month", "commodity", "unit"], as_index=False, sort=True)[
        ["seizures", "quantity"]
    ].sum()


def _month(value: date | datetime | str) -> str:
    if isinstance(value, str):  # SQLite answers TruncMonth on a date with text
        return value[:7]
    return f"{value:%Y-%m}"


def seizures_by_route(flt: ResultsFilter) -> pd.DataFrame:
    """origin, origin_country, destination, destination_country, commodity, unit, seizures,
    quantity — the route of the seizure's flight, or of its case's first flight."""
    seizures = seizures_in(flt)
    rows = seizures.values(
        "id",
        "case_id",
        "commodity",
        "unit",
        "currency",
        "quantity",
        "flight__departure_airport",
        "flight__arrival_airport",
    )
    frame = _frame(
        rows,
        ["id", "case_id", "commodity", "unit", "currency", "quantity", "origin", "destination"],
        {"flight__departure_airport": "origin", "flight__arrival_airport": "destination"},
    )
    case_flights = _frame(
        CaseFile.flights.through.objects.filter(
            casefile_id__in=seizures.filter(flight__isnull=True).values("case_id")
        )
        .order_by("casefile_id", "flight__scheduled_departure", "flight_id")
        .values("casefile_id", "flight__departure_airport", "flight__arrival_airport"),
        ["case_id", "case_origin", "case_destination"],
        {
            "casefile_id": "case_id",
            "flight__departure_airport": "case_origin",
            "flight__arrival_airport": "case_destination",
        },
    ).drop_duplicates("case_id", keep="first")
    frame = frame.merge(case_flights, on="case_id", how="left")
    for column in ("origin", "destination", "case_origin", "case_destination"):
        frame[column] = frame[column].astype(object)
    frame["origin"] = frame["origin"].fillna(frame["case_origin"]).fillna(NO_FLIGHT)
    frame["destination"] = frame["destination"].fillna(frame["case_destination"]).fillna(NO_FLIGHT)
    countries = dict(Airport.objects.values_list("iata_code", "country"))
    frame["origin_country"] = frame["origin"].map(countries).fillna(NO_FLIGHT)
    frame["destination_country"] = frame["destination"].map(countries).fillna(NO_FLIGHT)
    frame["seizures"] = 1
    frame = _quantities(frame)
    keys = ["origin", "origin_country", "destination", "destination_country", "commodity", "unit"]
    return frame.groupby(keys, as_index=False, sort=True)[["seizures", "quantity"]].sum()


def seizures_by_concealment(flt: ResultsFilter) -> pd.DataFrame:
    """concealment, commodity, unit, seizures, quantity ("not stated" for an empty method)."""
    rows = (
        seizures_in(flt)
        .values("concealment", "commodity", "unit", "currency")
        .annotate(seizures=Count("id"), quantity=Sum("quantity"))
        .order_by("concealment", "commodity")
    )
    frame = _frame(rows, ["concealment", "commodity", "unit", "currency", "seizures", "quantity"])
    frame = _quantities(frame)
    frame["concealment"] = frame["concealment"].replace("", "not stated")
    return frame.groupby(["concealment", "commodity", "unit"], as_index=False, sort=True)[
        ["seizures", "quantity"]
    ].sum()


def seizures_by_agency(flt: ResultsFilter) -> pd.DataFrame:
    """agency (code), commodity, unit, seizures, quantity: who seized what."""
    rows = (
        seizures_in(flt)
        .values("agency__code", "commodity", "unit", "currency")
        .annotate(seizures=Count("id"), quantity=Sum("quantity"))
        .order_by("agency__code", "commodity")
    )
    frame = _frame(
        rows,
        ["agency", "commodity", "unit", "currency", "seizures", "quantity"],
        {"agency__code": "agency"},
    )
    frame = _quantities(frame)
    return frame.groupby(["agency", "commodity", "unit"], as_index=False, sort=True)[
        ["seizures", "quantity"]
    ].sum()


# -- persons ------------------------------------------------------------------------------------


PERSON_FLAGS = (
    ("arrests", "is_arrested"),
    ("victims of trafficking", "is_trafficking_victim"),
    ("foreign terrorist fighters", "is_foreign_terrorist_fighter"),
)


def persons(flt: ResultsFilter) -> pd.DataFrame:
    """category, persons, women, share_women: subjects of cases opened in the period."""
    subjects = CaseSubject.objects.filter(
        case__opened_at__date__range=(flt.start, flt.end),
        case__agency__task_force_id__in=flt.task_force_ids,
    )
    if flt.agency_ids is not None:
        subjects = subjects.filter(case__agency_id__in=flt.agency_ids)
    if flt.operation_id is not None:
        subjects = subjects.filter(case__joint_operation_id=flt.operation_id)
    counts: dict[str, Any] = {}
    for _name, flag in PERSON_FLAGS:
        counts[f"n_{flag}"] = Count("id", filter=Q(**{flag: True}))
        counts[f"n_{flag}_f"] = Count("id", filter=Q(**{flag: True}, sex=Sex.FEMALE))
    totals = subjects.aggregate(**counts)
    frame = pd.DataFrame(
        [
            {
                "category": name,
                "persons": totals[f"n_{flag}"] or 0,
                "women": totals[f"n_{flag}_f"] or 0,
            }
            for name, flag in PERSON_FLAGS
        ]
    )
    frame["share_women"] = _share(frame["women"], frame["persons"])
    return frame


# -- rules and watchlists -----------------------------------------------------------------------


def _hits_in(flt: ResultsFilter, source: str) -> QuerySet[Hit]:
    hits = Hit.objects.filter(
        source=source,
        traveller__flight__departure_date__range=(flt.start, flt.end),
        traveller__flight__task_force_id__in=flt.task_force_ids,
        traveller__cancelled_at__isnull=True,
    )
    if flt.agency_ids is not None:
        hits = hits.filter(agency_id__in=flt.agency_ids)
    return hits.order_by()


def _effectiveness(hits: QuerySet[Hit], keys: dict[str, str]) -> pd.DataFrame:
    # A traveller counts once per rule or list, with the outcome of their disposition.
    traveller = "traveller_id"
    rows = hits.values(*keys.values()).annotate(
        hits=Count(traveller, distinct=True),
        controls=Count(
            traveller, distinct=True, filter=Q(traveller__disposition__outcome__in=CONTROLLED)
        ),
        positives=Count(
            traveller, distinct=True, filter=Q(traveller__disposition__outcome=Outcome.POSITIVE)
        ),
    )
    frame = _frame(
        rows.order_by(*keys.values()),
        [*keys, "hits", "controls", "positives"],
        {field: name for name, field in keys.items()},
    )
    frame["hit_rate"] = _share(frame["positives"], frame["hits"])
    return frame.drop(columns=["id"])


def rule_effectiveness(flt: ResultsFilter) -> pd.DataFrame:
    """rule, agency, hits, controls, positives, hit_rate (travellers, positives / hits)."""
    keys = {"id": "rule_id", "rule": "rule__name", "agency": "rule__agency__code"}
    return _effectiveness(_hits_in(flt, Hit.Source.RULE), keys)


def watchlist_effectiveness(flt: ResultsFilter) -> pd.DataFrame:
    """watchlist, agency, hits, controls, positives, hit_rate."""
    keys = {
        "id": "watchlist_id",
        "watchlist": "watchlist__name",
        "agency": "watchlist__agency__code",
    }
    hits = _hits_in(flt, Hit.Source.WATCHLIST)
    if flt.watchlist_ids is not None:
        hits = hits.filter(watchlist_id__in=flt.watchlist_ids)
    return _effectiveness(hits, keys)


# -- data quality -------------------------------------------------------------------------------


def data_quality(flt: ResultsFilter) -> pd.DataFrame:
    """airline, month, messages, late, with_errors, incomplete, rejected — per sending airline
    (the provider's code, else the sender named in the message) and month of receipt."""
    messages = (
        InboundMessage.objects.filter(
            task_force_id__in=flt.task_force_ids,
            received_at__date__range=(flt.start, flt.end),
        )
        .exclude(state=InboundMessage.State.DUPLICATE)
        .order_by()
    )
    errors = Finding.objects.filter(message=OuterRef("pk"), severity=Finding.Severity.ERROR)
    missing = Finding.objects.filter(message=OuterRef("pk"), text__iregex=INCOMPLETE_FINDING)
    rows = (
        messages.annotate(
            airline=Coalesce("provider__code", "sender"),
            month=TruncMonth("received_at"),
            has_error=Exists(errors),
            is_incomplete=Exists(missing),
        )
        .values("airline", "month")
        .annotate(
            messages=Count("id"),
            late=Count("id", filter=Q(is_late=True)),
            with_errors=Count("id", filter=Q(has_error=True)),
            incomplete=Count("id", filter=Q(is_incomplete=True)),
            rejected=Count("id", filter=Q(state=InboundMessage.State.REJECTED)),
        )
        .order_by("airline", "month")
    )
    columns = ["airline", "month", "messages", "late", "with_errors", "incomplete", "rejected"]
    frame = _frame(rows, columns)
    frame["airline"] = frame["airline"].replace("", "upload")
    frame["month"] = [_month(value) for value in frame["month"]]
    frame = frame.groupby(["airline", "month"], as_index=False, sort=True).sum()
    frame["share_late"] = _share(frame["late"], frame["messages"])
    return frame


# -- manifests reviewed in time -----------------------------------------------------------------


def manifests_reviewed(flt: ResultsFilter) -> pd.DataFrame:
    """month, flagged_flights, reviewed_in_time, share: flights of the period with a flagged
    traveller, and those whose every flagged traveller was decided (an outcome) before the
    flight arrived at one of the task force's airports, or else before it left."""
    hits = Hit.objects.filter(traveller=OuterRef("pk"))
    if flt.agency_ids is not None:
        hits = hits.filter(agency_id__in=flt.agency_ids)
    rows = (
        Traveller.objects.filter(
            flight__departure_date__range=(flt.start, flt.end),
            flight__task_force_id__in=flt.task_force_ids,
            cancelled_at__isnull=True,
        )
        .filter(Exists(hits))
        .annotate(
            decided_at=Min(
                "disposition__decisions__decided_at",
                filter=Q(disposition__decisions__kind=Decision.Kind.OUTCOME),
            )
        )
        .order_by()
        .values(
            "flight_id",
            "flight__task_force_id",
            "flight__departure_date",
            "flight__arrival_airport",
            "flight__scheduled_departure",
            "flight__scheduled_arrival",
            "decided_at",
        )
    )
    frame = _frame(
        rows,
        ["flight", "task_force", "day", "arrival_airport", "departs", "arrives", "decided_at"],
        {
            "flight_id": "flight",
            "flight__task_force_id": "task_force",
            "flight__departure_date": "day",
            "flight__arrival_airport": "arrival_airport",
            "flight__scheduled_departure": "departs",
            "flight__scheduled_arrival": "arrives",
        },
    )
    home = set(
        TaskForce.airports.through.objects.filter(taskforce_id__in=flt.task_force_ids).values_list(
            "taskforce_id", "airport__iata_code"
        )
    )
    columns = ["month", "flagged_flights", "reviewed_in_time", "share"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    arriving = pd.Series(
        [
            (tf, airport) in home
            for tf, airport in zip(frame["task_force"], frame["arrival_airport"], strict=True)
        ],
        index=frame.index,
    )
    deadline = pd.to_datetime(frame["arrives"].where(arriving, frame["departs"]), utc=True)
    decided = pd.to_datetime(frame["decided_at"], utc=True)
    frame["in_time"] = decided.notna() & deadline.notna() & (decided <= deadline)
    flights = frame.groupby("flight", as_index=False).agg(
        day=("day", "first"), in_time=("in_time", "all")
    )
    flights["month"] = [_month(value) for value in flights["day"]]
    months = flights.groupby("month", as_index=False, sort=True).agg(
        flagged_flights=("flight", "count"), reviewed_in_time=("in_time", "sum")
    )
    months["reviewed_in_time"] = months["reviewed_in_time"].astype(int)
    months["share"] = _share(months["reviewed_in_time"], months["flagged_flights"])
    return months[columns]
