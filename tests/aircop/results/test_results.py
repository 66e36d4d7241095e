"""Results pages: exact figures, downloads that match the page, and who sees what."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pandas as pd
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agencies.training.models import Participant, Trainer, Training
from aircop.audit.models import AuditEvent
from aircop.results import queries
from aircop.results.charts import bar_chart, stacked_bar_chart
from aircop.results.queries import ResultsFilter
from aircop.results.selectors import results_task_forces
from targeting.rules.models import Watchlist
from tests.agencies.factories import PlatformAdminFactory
from tests.aircop.results.dataset import END, QUERY, START, Results, at, build

pytestmark = pytest.mark.django_db


@pytest.fixture
def results() -> Results:
    return build()


def signed_in(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return frame.to_dict("records")


# -- the tables ---------------------------------------------------------------------------------


def test_seizures_are_totalled_per_commodity_in_their_units(results: Results) -> None:
    assert records(queries.seizures_by_commodity(results.filter())) == [
        {"commodity": "cannabis", "unit": "kg", "seizures": 1, "quantity": 3.0},
        {"commodity": "cocaine", "unit": "kg", "seizures": 2, "quantity": 15.0},
        {"commodity": "currency", "unit": "XOF", "seizures": 1, "quantity": 50000.0},
        {"commodity": "pangolin", "unit": "kg", "seizures": 1, "quantity": 40.0},
    ]


def test_seizures_per_month(results: Results) -> None:
    frame = queries.seizures_by_month(results.filter())
    assert list(frame["month"]) == ["2026-02", "2026-03", "2026-03", "2026-03", "2026-04"]
    assert frame.groupby("month")["seizures"].sum().to_dict() == {
        "2026-02": 1,
        "2026-03": 3,
        "2026-04": 1,
    }


def test_route_comes_from_the_seizure_flight_or_the_case_first_flight(results: Results) -> None:
    frame = queries.seizures_by_route(results.filter())
    rows = {(r["origin"], r["destination"], r["commodity"]): r for r in records(frame)}
    # The body-carried cocaine has no flight of its own: its case's flight ABJ→LFW counts.
    assert rows[("ABJ", "LFW", "cocaine")]["seizures"] == 2
    assert rows[("ABJ", "LFW", "cocaine")]["quantity"] == 15.0
    assert rows[("ABJ", "LFW", "cocaine")]["origin_country"] == "CIV"
    assert rows[("LFW", "CDG", "pangolin")]["destination_country"] == "FRA"
    assert rows[("?", "?", "cannabis")]["seizures"] == 1  # neither seizure nor case has a flight


def test_seizures_by_concealment_and_by_agency(results: Results) -> None:
    concealment = queries.seizures_by_concealment(results.filter())
    assert concealment.groupby("concealment")["seizures"].sum().to_dict() == {
        "body": 1,
        "cargo": 1,
        "clothing": 1,
        "luggage": 2,
    }
    agencies = queries.seizures_by_agency(results.filter())
    assert agencies.groupby("agency")["seizures"].sum().to_dict() == {"TG-CUS": 3, "TG-POL": 2}


def test_agency_filter_narrows_to_that_agency(results: Results) -> None:
    frame = queries.seizures_by_commodity(results.filter(agency_ids=[results.police.pk]))
    assert list(frame["commodity"]) == ["cannabis", "currency"]
    persons = queries.persons(results.filter(agency_ids=[results.police.pk]))
    assert list(persons["persons"]) == [1, 1, 1]


def test_persons_with_the_share_of_women(results: Results) -> None:
    assert records(queries.persons(results.filter())) == [
        {"category": "arrests", "persons": 3, "women": 1, "share_women": 0.333},
        {"category": "victims of trafficking", "persons": 2, "women": 2, "share_women": 1.0},
        {"category": "foreign terrorist fighters", "persons": 1, "women": 0, "share_women": 0.0},
    ]


def test_rule_and_watchlist_hits_controls_positives(results: Results) -> None:
    assert records(queries.rule_effectiveness(results.filter())) == [
        {
            "rule": "Cash route",
            "agency": "TG-CUS",
            "hits": 2,
            "controls": 2,
            "positives": 1,
            "hit_rate": 0.5,
        }
    ]
    assert records(queries.watchlist_effectiveness(results.filter(watchlist_ids=[]))) == []
    couriers = list(Watchlist.objects.filter(name="Couriers").values_list("pk", flat=True))
    assert records(queries.watchlist_effectiveness(results.filter(watchlist_ids=couriers))) == [
        {
            "watchlist": "Couriers",
            "agency": "TG-POL",
            "hits": 2,
            "controls": 1,
            "positives": 1,
            "hit_rate": 0.5,
        }
    ]


def test_data_quality_per_airline_and_month(results: Results) -> None:
    assert records(queries.data_quality(results.filter())) == [
        {
            "airline": "AF",
            "month": "2026-03",
            "messages": 1,
            "late": 0,
            "with_errors": 0,
            "incomplete": 0,
            "rejected": 0,
            "share_late": 0.0,
        },
        {
            "airline": "KP",
            "month": "2026-02",
            "messages": 3,  # the re-sent duplicate is not a fourth message
            "late": 1,
            "with_errors": 1,
            "incomplete": 1,
            "rejected": 1,
            "share_late": 0.333,
        },
    ]


def test_manifests_reviewed_before_arrival_or_departure(results: Results) -> None:
    # February: ABJ→LFW had one traveller decided after landing. March: LFW→CDG was decided
    # before it left.
    assert records(queries.manifests_reviewed(results.filter())) == [
        {"month": "2026-02", "flagged_flights": 1, "reviewed_in_time": 0, "share": 0.0},
        {"month": "2026-03", "flagged_flights": 1, "reviewed_in_time": 1, "share": 1.0},
    ]


def test_empty_period_gives_empty_tables(results: Results) -> None:
    empty = results.filter(start=date(2020, 1, 1), end=date(2020, 12, 31))
    for build_table in (
        queries.seizures_by_commodity,
        queries.seizures_by_month,
        queries.seizures_by_route,
        queries.seizures_by_concealment,
        queries.seizures_by_agency,
        queries.rule_effectiveness,
        queries.watchlist_effectiveness,
        queries.data_quality,
        queries.manifests_reviewed,
    ):
        assert build_table(empty).empty, build_table.__name__
    assert list(queries.persons(empty)["persons"]) == [0, 0, 0]


def test_operation_filter_counts_only_its_cases(results: Results) -> None:
    from agencies.cases.models import CaseFile
    from agencies.operations.models import JointOperation

    operation = JointOperation.objects.create(
        name="Action day",
        code="OP-1",
        start_date=date(2026, 3, 1),
        end_date=date(2026, 3, 31),
        created_by=results.analyst,
    )
    CaseFile.objects.filter(number="TG-POL-2026-0002").update(joint_operation=operation)
    frame = queries.seizures_by_commodity(results.filter(operation_id=operation.pk))
    assert list(frame["commodity"]) == ["cannabis", "currency"]


# -- who sees what ------------------------------------------------------------------------------


def test_plain_officer_gets_404(results: Results) -> None:
    client = signed_in(results.officer)
    assert client.get("/results/").status_code == 404
    assert client.get("/results/commodities.csv").status_code == 404


def test_supervisor_never_gets_another_task_forces_figures(results: Results) -> None:
    assert list(results_task_forces(results.supervisor)) == [results.lome]
    client = signed_in(results.supervisor)
    # Asking for Dakar's task force is not an option the form accepts: still Lomé's figures.
    response = client.get("/results/commodities.csv", {**QUERY, "task_force": results.dakar.pk})
    frame = pd.read_csv(io.BytesIO(response.content))
    assert frame["quantity"].sum() == 3.0 + 15.0 + 50000.0 + 40.0
    dakar = signed_in(results.dakar_supervisor).get("/results/commodities.csv", QUERY)
    assert records(pd.read_csv(io.BytesIO(dakar.content))) == [
        {"commodity": "cocaine", "unit": "kg", "seizures": 1, "quantity": 100.0}
    ]


def test_a_list_only_its_agency_sees_stays_out_of_other_agencies_results(
    results: Results,
) -> None:
    customs = signed_in(results.supervisor).get("/results/watchlists.csv", QUERY)
    assert list(pd.read_csv(io.BytesIO(customs.content))["watchlist"]) == ["Couriers"]
    police = signed_in(results.analyst).get("/results/watchlists.csv", QUERY)
    assert list(pd.read_csv(io.BytesIO(police.content))["watchlist"]) == [
        "Couriers",
        "Police sources",
    ]
    assert (
        "Police sources"
        not in signed_in(results.supervisor).get("/results/", QUERY).content.decode()
    )


def test_platform_admin_sees_every_task_force_and_filters_by_one(results: Results) -> None:
    client = signed_in(PlatformAdminFactory())
    everything = pd.read_csv(io.BytesIO(client.get("/results/commodities.csv", QUERY).content))
    assert everything.loc[everything["commodity"] == "cocaine", "quantity"].item() == 115.0
    dakar = client.get("/results/commodities.csv", {**QUERY, "task_force": results.dakar.pk})
    assert pd.read_csv(io.BytesIO(dakar.content))["quantity"].sum() == 100.0


# -- the page and downloads ---------------------------------------------------------------------


def test_page_shows_the_figures_with_charts(results: Results) -> None:
    response = signed_in(results.analyst).get("/results/", QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    # Ten tables; quantities by commodity drawn once per unit (kg, XOF): eleven charts.
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"') == 11
    assert '<td>cocaine</td><td>kg</td><td class="num">2</td><td class="num">15.0</td>' in html
    assert "<td>Cash route</td><td>TG-CUS</td>" in html
    assert 'href="/results/commodities.xlsx?start=2026-01-01&amp;end=2026-06-30"' in html


def test_page_shows_training_totals(results: Results) -> None:
    training = Training.objects.create(
        task_force=results.lome,
        title="API/PNR risk analysis",
        start=date(2026, 5, 4),
        end=date(2026, 5, 8),
        place="Lomé",
        created_by=results.supervisor,
    )
    Trainer.objects.create(training=training, name="Jane Doe", nationality="FRA")
    Participant.objects.create(training=training, name="Ama", agency=results.police, gender="F")
    Participant.objects.create(training=training, name="Kofi", agency=results.police, gender="M")
    html = signed_in(results.supervisor).get("/results/", QUERY).content.decode()
    assert 'data-table="training"' in html
    assert "FRA (1)" in html


@pytest.mark.parametrize("table", ["commodities", "persons", "rules", "data-quality", "reviews"])
def test_downloads_open_with_pandas_and_match_the_page(results: Results, table: str) -> None:
    client = signed_in(results.supervisor)
    expected = {
        "commodities": queries.seizures_by_commodity,
        "persons": queries.persons,
        "rules": queries.rule_effectiveness,
        "data-quality": queries.data_quality,
        "reviews": queries.manifests_reviewed,
    }[table](results.filter())
    csv = client.get(f"/results/{table}.csv", QUERY)
    assert csv["Content-Disposition"].startswith("attachment;")
    xlsx = client.get(f"/results/{table}.xlsx", QUERY)
    from_csv = pd.read_csv(io.BytesIO(csv.content))
    from_xlsx = pd.read_excel(io.BytesIO(xlsx.content))
    pd.testing.assert_frame_equal(from_csv, expected, check_dtype=False)
    pd.testing.assert_frame_equal(from_xlsx, expected, check_dtype=False)
    page = client.get("/results/", QUERY).content.decode()
    first = expected.iloc[0]
    assert f"<td>{first.iloc[0]}</td>" in page


def test_each_download_is_audited(results: Results) -> None:
    client = signed_in(results.supervisor)
    client.get("/results/routes.csv", QUERY)
    client.get("/results/routes.xlsx", {**QUERY, "agency": results.police.pk})
    events = list(AuditEvent.objects.filter(action="export").order_by("pk"))
    assert [e.object_repr for e in events] == ["results: routes.csv", "results: routes.xlsx"]
    assert events[0].actor == results.supervisor
    assert events[1].details["agencies"] == [results.police.pk]
    assert events[1].details["start"] == "2026-01-01"


def test_unknown_table_is_404(results: Results) -> None:
    client = signed_in(results.supervisor)
    assert client.get("/results/nothing.csv").status_code == 404
    assert client.get("/results/commodities.pdf").status_code == 404


def test_default_period_is_the_last_twelve_months(results: Results) -> None:
    response = signed_in(results.supervisor).get("/results/")
    assert response.context["filter"].end == date.today()
    assert response.context["filter"].start.day == 1


def test_page_query_count_does_not_grow_with_data(results: Results) -> None:
    client = signed_in(results.supervisor)
    with CaptureQueriesContext(connection) as before:
        client.get("/results/", QUERY)
    build_more(results)
    with CaptureQueriesContext(connection) as after:
        client.get("/results/", QUERY)
    assert len(after) == len(before)


def build_more(results: Results) -> None:
    from agencies.cases.models import CaseFile, Seizure

    case = CaseFile.objects.get(number="TG-POL-2026-0002")
    for n in range(20):
        Seizure.objects.create(
            case=case,
            commodity="heroin",
            quantity=n + 1,
            unit="g",
            seized_on=date(2026, 5, 1 + n),
            recorded_by=results.analyst,
            agency=results.police,
        )


# -- charts -------------------------------------------------------------------------------------


def test_bar_chart_is_an_accessible_svg_with_tooltips_and_labels() -> None:
    svg = bar_chart("Seizures <per> commodity", [("cocaine", 2), ("cannabis", 1.5)])
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"')
    assert 'aria-label="Seizures &lt;per&gt; commodity"' in svg
    assert "<title>cocaine: 2</title>" in svg
    assert ">cannabis</text>" in svg and ">1.5</text>" in svg
    assert "style=" not in svg and "<script" not in svg


def test_stacked_bar_chart_has_a_segment_per_series_and_a_legend() -> None:
    svg = stacked_bar_chart("x", ["2026-01", "2026-02"], [("a", [1, 0]), ("b", [2, 3])])
    assert svg.count("<rect") == 3 + 2  # three non-zero segments, two legend keys
    assert "<title>2026-02: b 3</title>" in svg
    assert ">3</text>" in svg  # row total of 2026-01


def test_empty_chart_still_renders() -> None:
    assert 'role="img"' in bar_chart("nothing", [])


def test_filter_dates_are_inclusive() -> None:
    flt = ResultsFilter(start=START, end=END, task_force_ids=[])
    assert (flt.start, flt.end) == (date(2026, 1, 1), date(2026, 6, 30))
    assert at("2026-01-01").tzinfo is not None
