"""The invitation mail goes through PostgreSQL, Redis and a real Celery worker process."""

from __future__ import annotations

import re

import pytest

from agencies.models import Agency, Invitation, Person, Role
from agencies.services import invite_person
from agencies.tasks import send_invitation_email
from tests.fixtures.celery_worker import CeleryWorker

pytestmark = pytest.mark.integration


def mails_to(worker: CeleryWorker, address: str) -> list[str]:
    return [m for m in worker.messages() if re.search(rf"^To: {re.escape(address)}$", m, re.M)]


def emailed_at(invitation: Invitation) -> object:
    invitation.refresh_from_db()
    return invitation.emailed_at


def test_worker_mails_invitation_link_and_marks_invitation_emailed(
    transactional_db: None, celery_worker: CeleryWorker, police: Agency, police_admin: Person
) -> None:
    invitation, token = invite_person(
        actor=police_admin, agency=police, email="afi.agbo@police.tg", roles=[Role.OFFICER]
    )

    celery_worker.wait_for(lambda: emailed_at(invitation), what="emailed_at on the invitation")
    mails = celery_worker.wait_for(
        lambda: mails_to(celery_worker, "afi.agbo@police.tg"), what="invitation mail"
    )
    assert len(mails) == 1
    assert f"/invitations/{token}/" in mails[0]
    assert "JAITF Lomé" in mails[0]


def test_worker_mails_an_invitation_once_when_the_task_runs_twice(
    transactional_db: None, celery_worker: CeleryWorker, police: Agency, police_admin: Person
) -> None:
    invitation, token = invite_person(
        actor=police_admin, agency=police, email="yao.koffi@police.tg", roles=[Role.ANALYST]
    )
    # A redelivered message: the same task for the same invitation, queued behind the first.
    repeat = send_invitation_email.delay(invitation.pk, token)

    finished = celery_worker.wait_for(
        lambda: re.search(rf"\[{repeat.id}\] succeeded in \S+: (\w+)", celery_worker.log_text()),
        what="the repeated task to finish",
    )
    assert finished.group(1) == "False"
    first_emailed_at = emailed_at(invitation)
    assert first_emailed_at is not None
    assert len(mails_to(celery_worker, "yao.koffi@police.tg")) == 1
    assert emailed_at(invitation) == first_emailed_at
