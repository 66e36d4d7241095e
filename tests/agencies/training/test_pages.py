"""Training pages: figures on the list, need-to-know, and the forms."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Role
from agencies.training.models import Training
from tests.agencies.factories import PersonFactory
from tests.agencies.training.factories import (
    ParticipantFactory,
    TrainerFactory,
    TrainingFactory,
)
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _total(html: str, name: str) -> str:
    """The text of one figure in the totals panel."""
    start = html.index(f'data-total="{name}">') + len(f'data-total="{name}">')
    return html[start : html.index("</dd>", start)]


def test_list_shows_the_totals_of_the_period(
    task_force: Any, police: Any, customs: Any, officer: Any
) -> None:
    course = TrainingFactory(
        task_force=task_force, title="Wildlife at the airport", topics=["wildlife"]
    )
    TrainingFactory(task_force=task_force, kind="mentoring", topics=["api_pnr"])
    TrainingFactory(task_force=task_force, start=date(2025, 6, 1), title="Last year")
    for name, agency, gender in [
        ("Ama", police, "F"),
        ("Kofi", police, "M"),
        ("Efua", customs, "F"),
        ("Yao", customs, "M"),
        ("Akosua", customs, "F"),
    ]:
        ParticipantFactory(training=course, name=name, agency=agency, gender=gender)
    TrainerFactory(training=course, nationality="KEN")
    TrainerFactory(training=course, nationality="KEN")
    TrainerFactory(training=course, nationality="GBR")

    response = client_for(officer).get(
        reverse("training-list"), {"start": "2026-01-01", "end": "2026-12-31"}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert _total(html, "trainings") == "1"
    assert _total(html, "mentoring") == "1"
    assert _total(html, "personnel") == "5"
    assert _total(html, "women").strip() == "3 (60 %)"
    assert "KEN: 2" in _total(html, "nationalities")
    assert "GBR: 1" in _total(html, "nationalities")
    assert "wildlife: 1" in _total(html, "topics")
    assert "Wildlife at the airport" in html
    assert "Last year" not in html


def test_list_filters_by_topic(task_force: Any, officer: Any) -> None:
    TrainingFactory(task_force=task_force, title="Ivory and pangolins", topics=["wildlife"])
    TrainingFactory(task_force=task_force, title="Foreign fighters", topics=["terrorism"])

    html = client_for(officer).get(reverse("training-list"), {"topic": "terrorism"}).content
    assert b"Foreign fighters" in html
    assert b"Ivory and pangolins" not in html


def test_officer_of_other_task_force_gets_404(task_force: Any, other_agency: Any) -> None:
    training = TrainingFactory(task_force=task_force, title="Lomé only")
    stranger = client_for(PersonFactory(agency=other_agency, roles=[Role.SUPERVISOR]))

    assert stranger.get(reverse("training-detail", args=[training.pk])).status_code == 404
    assert b"Lom\xc3\xa9 only" not in stranger.get(reverse("training-list")).content
    response = stranger.post(
        reverse("training-participant-add", args=[training.pk]),
        {"name": "Intruder", "outside_agency": "X", "gender": "M"},
    )
    assert response.status_code == 404
    assert not training.participants.exists()


def test_platform_admin_reads_every_task_force(
    task_force: Any, other_agency: Any, platform_admin: Any
) -> None:
    ours = TrainingFactory(task_force=task_force)
    theirs = TrainingFactory(task_force=other_agency.task_force)
    client = client_for(platform_admin)

    for training in (ours, theirs):
        assert client.get(reverse("training-detail", args=[training.pk])).status_code == 200
    assert client.get(reverse("training-create")).status_code == 404


def test_officer_reads_but_does_not_record(task_force: Any, officer: Any) -> None:
    training = TrainingFactory(task_force=task_force)
    client = client_for(officer)

    assert client.get(reverse("training-create")).status_code == 404
    detail = client.get(reverse("training-detail", args=[training.pk]))
    assert detail.status_code == 200
    assert b"participant-form" not in detail.content
    response = client.post(
        reverse("training-trainer-add", args=[training.pk]), {"name": "X", "nationality": "FRA"}
    )
    assert response.status_code == 404
    assert not training.trainers.exists()


def test_supervisor_records_a_training_with_trainer_and_participant(
    supervisor: Any, customs: Any
) -> None:
    client = client_for(supervisor)

    response = client.post(
        reverse("training-create"),
        {
            "kind": "training",
            "title": "Trafficking in persons at the airport",
            "start": "2026-04-14",
            "end": "2026-04-16",
            "place": "Lomé",
            "topics": ["trafficking", "smuggling"],
        },
    )
    training = Training.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("training-detail", args=[training.pk])

    client.post(
        reverse("training-trainer-add", args=[training.pk]),
        {"name": "Awa Ndiaye", "nationality": "SEN", "organisation": "IOM"},
    )
    client.post(
        reverse("training-participant-add", args=[training.pk]),
        {"name": "Efua Owusu", "agency": customs.pk, "gender": "F", "role": "inspector"},
    )

    page = client.get(reverse("training-detail", args=[training.pk])).content.decode()
    assert "Awa Ndiaye" in page and "SEN" in page
    assert "Efua Owusu" in page and "TG-CUS" in page
    assert "1 woman" in page


def test_form_errors_show_next_to_the_fields(supervisor: Any, task_force: Any) -> None:
    client = client_for(supervisor)
    response = client.post(
        reverse("training-create"),
        {
            "kind": "training",
            "title": "Backwards",
            "start": "2026-04-16",
            "end": "2026-04-14",
            "place": "Lomé",
            "topics": ["drugs"],
        },
    )
    assert response.status_code == 200
    assert "The last day cannot be before the first day." in response.content.decode()
    assert not Training.objects.exists()

    training = TrainingFactory(task_force=task_force)
    response = client.post(
        reverse("training-trainer-add", args=[training.pk]),
        {"name": "Nobody", "nationality": "ZZZ"},
    )
    assert response.status_code == 400
    assert "is not an ISO 3166 alpha-3 country code" in response.content.decode()


def test_list_query_count_does_not_grow_with_trainings(
    task_force: Any, police: Any, officer: Any, django_assert_max_num_queries: Any
) -> None:
    client = client_for(officer)
    TrainingFactory(task_force=task_force)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("training-list"))
    for _ in range(10):
        training = TrainingFactory(task_force=task_force, topics=["drugs", "currency"])
        ParticipantFactory(training=training, agency=police)
        TrainerFactory(training=training)

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("training-list"))
