"""The totals the results pages show, for a data set whose answer is known."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from agencies.training.selectors import training_totals
from tests.agencies.training.factories import ParticipantFactory, TrainerFactory, TrainingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(task_force: Any, police: Any, customs: Any, other_task_force: Any) -> dict[str, Any]:
    """Three activities in Lomé in 2026, one in 2025, one in Dakar.

    People: Ama (police, F) attends twice and counts once; "ama  mensah" at customs is another
    person; Kofi (police, M); Efua (outside agency, F). Four people, three women.
    """
    api = TrainingFactory(
        task_force=task_force,
        start=date(2026, 2, 9),
        end=date(2026, 2, 13),
        topics=["api_pnr", "profiling"],
    )
    tip = TrainingFactory(
        task_force=task_force, start=date(2026, 5, 4), topics=["trafficking", "smuggling"]
    )
    mentoring = TrainingFactory(
        task_force=task_force, kind="mentoring", start=date(2026, 9, 1), topics=["api_pnr"]
    )
    old = TrainingFactory(task_force=task_force, start=date(2025, 11, 3), topics=["wildlife"])
    dakar = TrainingFactory(task_force=other_task_force, start=date(2026, 3, 3))

    ParticipantFactory(training=api, name="Ama Mensah", agency=police, gender="F")
    ParticipantFactory(training=tip, name="AMA MENSAH ", agency=police, gender="F")
    ParticipantFactory(training=tip, name="ama  mensah", agency=customs, gender="F")
    ParticipantFactory(training=api, name="Kofi Agbeko", agency=police, gender="M")
    ParticipantFactory(
        training=mentoring, name="Efua Owusu", outside_agency="Ghana Immigration", gender="F"
    )
    ParticipantFactory(training=old, name="Old Timer", agency=police, gender="M")
    ParticipantFactory(training=dakar, name="Moussa Diop", outside_agency="DGD", gender="M")

    # Jean teaches twice and counts once; two French, one Senegalese, one American.
    TrainerFactory(training=api, name="Jean Dupont", nationality="FRA")
    TrainerFactory(training=tip, name="Jean Dupont", nationality="FRA")
    TrainerFactory(training=tip, name="Claire Martin", nationality="FRA")
    TrainerFactory(training=mentoring, name="Awa Ndiaye", nationality="SEN")
    TrainerFactory(training=api, name="John Smith", nationality="USA")
    TrainerFactory(training=old, name="Old Trainer", nationality="BEL")
    TrainerFactory(training=dakar, name="Dakar Trainer", nationality="ESP")
    return {"lome": task_force, "dakar": other_task_force}


def test_totals_of_a_task_force_for_a_year(records: dict[str, Any]) -> None:
    totals = training_totals(
        task_force_ids=[records["lome"].pk], start=date(2026, 1, 1), end=date(2026, 12, 31)
    )

    assert totals.trainings == 2
    assert totals.mentoring == 1
    assert totals.personnel_trained == 4
    assert totals.women == 3
    assert totals.share_of_women == 0.75
    assert totals.trainer_nationalities == {"FRA": 2, "SEN": 1, "USA": 1}
    assert totals.by_topic == {
        "api_pnr": 2,
        "profiling": 1,
        "smuggling": 1,
        "trafficking": 1,
    }


def test_period_bounds_are_inclusive_and_count_by_first_day(records: dict[str, Any]) -> None:
    totals = training_totals(
        task_force_ids=[records["lome"].pk], start=date(2025, 11, 3), end=date(2026, 2, 9)
    )

    assert (totals.trainings, totals.mentoring) == (2, 0)
    assert totals.personnel_trained == 3  # Old Timer, Ama, Kofi
    assert totals.women == 1
    assert totals.share_of_women == pytest.approx(1 / 3)
    assert totals.trainer_nationalities == {"BEL": 1, "FRA": 1, "USA": 1}


def test_several_task_forces_add_up(records: dict[str, Any]) -> None:
    totals = training_totals(
        task_force_ids=[records["lome"].pk, records["dakar"].pk],
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
    )

    assert totals.trainings == 3
    assert totals.personnel_trained == 5
    assert totals.share_of_women == 0.6
    assert totals.trainer_nationalities == {"FRA": 2, "ESP": 1, "SEN": 1, "USA": 1}
    assert totals.by_topic["api_pnr"] == 3


def test_a_period_without_participants_has_no_share_of_women(records: dict[str, Any]) -> None:
    totals = training_totals(
        task_force_ids=[records["lome"].pk], start=date(2024, 1, 1), end=date(2024, 12, 31)
    )

    assert totals.trainings == totals.mentoring == totals.personnel_trained == 0
    assert totals.share_of_women is None
    assert totals.trainer_nationalities == {}
    assert totals.by_topic == {}
