"""Reading training records: who sees which, and the totals the results pages show."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet

from agencies.selectors import member_task_force_id
from agencies.training.models import Gender, Participant, Trainer, Training, TrainingTopic

RECORDING_ROLES = ("supervisor", "agency_admin")


def _is_platform_admin(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_platform_admin)


def trainings_visible_to(user: Any) -> QuerySet[Training]:
    """Every member of a task force reads its trainings; platform admins read all."""
    if _is_platform_admin(user):
        return Training.objects.all()
    task_force_id = member_task_force_id(user)
    if task_force_id is None:
        return Training.objects.none()
    return Training.objects.filter(task_force_id=task_force_id)


def can_read_trainings(user: Any) -> bool:
    return _is_platform_admin(user) or member_task_force_id(user) is not None


def can_record_trainings(user: Any) -> bool:
    """Supervisors and agency admins record their own task force's trainings."""
    return member_task_force_id(user) is not None and any(
        user.has_role(role) for role in RECORDING_ROLES
    )


def can_change_training(user: Any, training: Training) -> bool:
    return can_record_trainings(user) and member_task_force_id(user) == training.task_force_id


@dataclass(frozen=True)
class TrainingTotals:
    """What a task force (or several) achieved in training over a period."""

    trainings: int
    mentoring: int
    # Distinct people: the same name in the same agency at two trainings counts once.
    personnel_trained: int
    women: int
    share_of_women: float | None
    trainer_nationalities: dict[str, int] = field(default_factory=dict)
    by_topic: dict[str, int] = field(default_factory=dict)


def _person_key(name: str, agency_id: int | None, outside_agency: str) -> tuple[str, str]:
    agency = f"#{agency_id}" if agency_id else " ".join(outside_agency.casefold().split())
    return " ".join(name.casefold().split()), agency


def training_totals(*, task_force_ids: list[int], start: date, end: date) -> TrainingTotals:
    """Totals of the activities that began between `start` and `end`, both days included.

    Trainer nationalities count distinct trainers (name and nationality) per ISO alpha-3 code;
    `by_topic` counts activities per topic code (an activity with two topics counts in both).
    """
    activities = Training.objects.filter(
        task_force_id__in=task_force_ids, start__gte=start, start__lte=end
    )
    kinds = Counter(activities.values_list("kind", flat=True))

    people: dict[tuple[str, str], bool] = {}
    for name, agency_id, outside, gender in Participant.objects.filter(
        training__in=activities
    ).values_list("name", "agency_id", "outside_agency", "gender"):
        key = _person_key(name, agency_id, outside)
        people[key] = people.get(key, False) or gender == Gender.FEMALE
    women = sum(people.values())

    trainers = {
        (" ".join(name.casefold().split()), nationality)
        for name, nationality in Trainer.objects.filter(training__in=activities).values_list(
            "name", "nationality"
        )
    }
    nationalities = Counter(nationality for _name, nationality in trainers)
    topics = Counter(
        TrainingTopic.objects.filter(training__in=activities).values_list("topic", flat=True)
    )
    return TrainingTotals(
        trainings=kinds.get(Training.Kind.TRAINING, 0),
        mentoring=kinds.get(Training.Kind.MENTORING, 0),
        personnel_trained=len(people),
        women=women,
        share_of_women=(women / len(people)) if people else None,
        trainer_nationalities=dict(sorted(nationalities.items(), key=lambda kv: (-kv[1], kv[0]))),
        by_topic=dict(sorted(topics.items(), key=lambda kv: (-kv[1], kv[0]))),
    )
