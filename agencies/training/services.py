"""Recording trainings: each function checks who acts, validates, writes and audits at once."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.models import Agency
from agencies.training import selectors
from agencies.training.models import Participant, Topic, Trainer, Training, TrainingTopic
from aircop.audit.services import Action, record_event


def require_recorder(actor: Any, training: Training | None = None) -> None:
    allowed = (
        selectors.can_change_training(actor, training)
        if training is not None
        else selectors.can_record_trainings(actor)
    )
    if not allowed:
        raise PermissionDenied(_("Only supervisors and agency admins record trainings."))


def _clean_topics(topics: Iterable[str]) -> list[str]:
    chosen = sorted(set(topics))
    unknown = [t for t in chosen if t not in Topic.values]
    if unknown:
        raise ValidationError({"topics": _("Unknown topic: %s.") % ", ".join(unknown)})
    if not chosen:
        raise ValidationError({"topics": _("Choose at least one topic.")})
    return chosen


def _check_dates(start: date, end: date) -> None:
    if start and end and end < start:
        raise ValidationError({"end": _("The last day cannot be before the first day.")})


@transaction.atomic
def create_training(
    *,
    actor: Any,
    kind: str,
    title: str,
    start: date,
    end: date,
    place: str,
    topics: Iterable[str],
    description: str = "",
) -> Training:
    """A training or mentoring activity of the actor's task force."""
    require_recorder(actor)
    training = Training(
        task_force_id=actor.agency.task_force_id,
        kind=kind,
        title=(title or "").strip(),
        start=start,
        end=end,
        place=(place or "").strip(),
        description=(description or "").strip(),
        created_by=actor,
    )
    _check_dates(start, end)
    chosen = _clean_topics(topics)
    training.full_clean()
    training.save()
    TrainingTopic.objects.bulk_create(TrainingTopic(training=training, topic=t) for t in chosen)
    record_event(
        action=Action.CREATE,
        actor=actor,
        obj=training,
        details={"kind": kind, "topics": chosen, "start": start.isoformat()},
    )
    return training


@transaction.atomic
def update_training(
    *,
    actor: Any,
    training: Training,
    kind: str,
    title: str,
    start: date,
    end: date,
    place: str,
    topics: Iterable[str],
    description: str = "",
) -> Training:
    require_recorder(actor, training)
    training.kind = kind
    training.title = (title or "").strip()
    training.start = start
    training.end = end
    training.place = (place or "").strip()
    training.description = (description or "").strip()
    _check_dates(start, end)
    chosen = _clean_topics(topics)
    training.full_clean()
    training.save()
    training.topics.exclude(topic__in=chosen).delete()
    existing = set(training.topics.values_list("topic", flat=True))
    TrainingTopic.objects.bulk_create(
        TrainingTopic(training=training, topic=t) for t in chosen if t not in existing
    )
    record_event(action=Action.CHANGE, actor=actor, obj=training, details={"topics": chosen})
    return training


@transaction.atomic
def add_trainer(
    *, actor: Any, training: Training, name: str, nationality: str, organisation: str = ""
) -> Trainer:
    require_recorder(actor, training)
    trainer = Trainer(
        training=training,
        name=(name or "").strip(),
        nationality=(nationality or "").strip().upper(),
        organisation=(organisation or "").strip(),
    )
    trainer.full_clean()
    trainer.save()
    record_event(
        action=Action.CHANGE,
        actor=actor,
        obj=training,
        details={"trainer_added": trainer.pk, "nationality": trainer.nationality},
    )
    return trainer


@transaction.atomic
def remove_trainer(*, actor: Any, trainer: Trainer) -> None:
    training = trainer.training
    require_recorder(actor, training)
    trainer_id = trainer.pk
    trainer.delete()
    record_event(
        action=Action.CHANGE, actor=actor, obj=training, details={"trainer_removed": trainer_id}
    )


def build_participant(
    *,
    training: Training,
    name: str,
    agency: Agency | None,
    outside_agency: str,
    gender: str,
    role: str,
) -> Participant:
    """A validated, unsaved participant; the agency must be one of the training's task force."""
    outside_agency = (outside_agency or "").strip()
    if agency is not None and agency.task_force_id != training.task_force_id:
        raise ValidationError({"agency": _("Choose an agency of this task force.")})
    if agency is None and not outside_agency:
        raise ValidationError(
            {"agency": _("Choose the participant's agency, or name the agency they come from.")}
        )
    participant = Participant(
        training=training,
        name=(name or "").strip(),
        agency=agency,
        outside_agency="" if agency is not None else outside_agency,
        gender=(gender or "").strip().upper(),
        role=(role or "").strip(),
    )
    participant.full_clean()
    return participant


@transaction.atomic
def add_participant(
    *,
    actor: Any,
    training: Training,
    name: str,
    gender: str,
    agency: Agency | None = None,
    outside_agency: str = "",
    role: str = "",
) -> Participant:
    require_recorder(actor, training)
    participant = build_participant(
        training=training,
        name=name,
        agency=agency,
        outside_agency=outside_agency,
        gender=gender,
        role=role,
    )
    participant.save()
    record_event(
        action=Action.CHANGE,
        actor=actor,
        obj=training,
        details={"participant_added": participant.pk},
    )
    return participant


@transaction.atomic
def remove_participant(*, actor: Any, participant: Participant) -> None:
    training = participant.training
    require_recorder(actor, training)
    participant_id = participant.pk
    participant.delete()
    record_event(
        action=Action.CHANGE,
        actor=actor,
        obj=training,
        details={"participant_removed": participant_id},
    )
