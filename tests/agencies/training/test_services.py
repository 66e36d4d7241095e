"""Recording trainings: who may, what is refused, and the audit trail."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agencies.models import Role
from agencies.training import services
from agencies.training.models import Participant, Trainer, Training
from agencies.training.selectors import trainings_visible_to
from aircop.audit.models import AuditEvent
from tests.agencies.factories import PersonFactory
from tests.agencies.training.factories import TrainingFactory

pytestmark = pytest.mark.django_db

COURSE = {
    "kind": "training",
    "title": "API/PNR risk analysis, level 1",
    "start": date(2026, 3, 2),
    "end": date(2026, 3, 6),
    "place": "Lomé, Gnassingbé Eyadéma airport",
    "topics": ["api_pnr", "profiling"],
}


def test_supervisor_records_a_training_of_their_task_force(supervisor: Any) -> None:
    training = services.create_training(actor=supervisor, **COURSE)

    assert training.task_force_id == supervisor.agency.task_force_id
    assert training.topic_codes == ["api_pnr", "profiling"]
    assert training.created_by == supervisor
    event = AuditEvent.objects.get(object_type="training.Training")
    assert (event.action, event.actor, event.object_id) == ("create", supervisor, str(training.pk))


def test_agency_admin_records_trainings_too(customs_admin: Any) -> None:
    assert services.create_training(actor=customs_admin, **COURSE).pk


def test_officer_and_platform_admin_do_not_record(officer: Any, platform_admin: Any) -> None:
    for person in (officer, platform_admin):
        with pytest.raises(PermissionDenied):
            services.create_training(actor=person, **COURSE)
    assert not Training.objects.exists()


def test_supervisor_of_another_task_force_cannot_change_it(
    task_force: Any, other_agency: Any
) -> None:
    training = TrainingFactory(task_force=task_force)
    stranger = PersonFactory(agency=other_agency, roles=[Role.SUPERVISOR])

    with pytest.raises(PermissionDenied):
        services.add_trainer(actor=stranger, training=training, name="X", nationality="SEN")
    assert not training.trainers.exists()


def test_last_day_before_first_day_is_refused(supervisor: Any) -> None:
    with pytest.raises(ValidationError) as error:
        services.create_training(actor=supervisor, **{**COURSE, "end": date(2026, 3, 1)})

    assert "end" in error.value.message_dict
    assert not Training.objects.exists()


def test_a_training_needs_a_known_topic(supervisor: Any) -> None:
    for topics in ([], ["astrology"]):
        with pytest.raises(ValidationError) as error:
            services.create_training(actor=supervisor, **{**COURSE, "topics": topics})
        assert "topics" in error.value.message_dict


@pytest.mark.parametrize("code", ["XXX", "FR", "FRANCE", "123", ""])
def test_trainer_nationality_must_be_iso_alpha_3(supervisor: Any, code: str) -> None:
    training = services.create_training(actor=supervisor, **COURSE)

    with pytest.raises(ValidationError) as error:
        services.add_trainer(actor=supervisor, training=training, name="Jean", nationality=code)

    assert "nationality" in error.value.message_dict
    assert not Trainer.objects.exists()


def test_trainer_nationality_is_read_in_capitals(supervisor: Any) -> None:
    training = services.create_training(actor=supervisor, **COURSE)

    trainer = services.add_trainer(
        actor=supervisor, training=training, name="Awa Ndiaye", nationality="sen "
    )

    assert trainer.nationality == "SEN"


@pytest.mark.parametrize("gender", ["", "W", "female"])
def test_participant_gender_is_f_m_or_x(supervisor: Any, police: Any, gender: str) -> None:
    training = services.create_training(actor=supervisor, **COURSE)

    with pytest.raises(ValidationError) as error:
        services.add_participant(
            actor=supervisor, training=training, name="Ama", agency=police, gender=gender
        )

    assert "gender" in error.value.message_dict


def test_participant_agency_is_of_the_task_force_or_named(
    supervisor: Any, other_agency: Any
) -> None:
    training = services.create_training(actor=supervisor, **COURSE)

    for kwargs in ({"agency": other_agency}, {"agency": None, "outside_agency": "  "}):
        with pytest.raises(ValidationError) as error:
            services.add_participant(
                actor=supervisor, training=training, name="Ama", gender="F", **kwargs
            )
        assert "agency" in error.value.message_dict

    outsider = services.add_participant(
        actor=supervisor,
        training=training,
        name="Efua",
        gender="F",
        outside_agency="Ghana Immigration Service",
    )
    assert outsider.agency_label == "Ghana Immigration Service"


def test_removing_a_participant_is_audited(supervisor: Any, police: Any) -> None:
    training = services.create_training(actor=supervisor, **COURSE)
    participant = services.add_participant(
        actor=supervisor, training=training, name="Ama", agency=police, gender="F"
    )

    participant_id = participant.pk
    services.remove_participant(actor=supervisor, participant=participant)

    assert not Participant.objects.exists()
    assert AuditEvent.objects.filter(
        object_id=str(training.pk), details__participant_removed=participant_id
    ).exists()


def test_every_member_reads_their_task_force_trainings_and_platform_admins_all(
    task_force: Any, officer: Any, other_agency: Any, platform_admin: Any
) -> None:
    ours = TrainingFactory(task_force=task_force)
    theirs = TrainingFactory(task_force=other_agency.task_force)

    assert list(trainings_visible_to(officer)) == [ours]
    assert set(trainings_visible_to(platform_admin)) == {ours, theirs}
