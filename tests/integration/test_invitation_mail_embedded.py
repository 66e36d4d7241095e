"""In the embedded mode (no broker) the invitation mail is sent in-process, after commit only."""

from __future__ import annotations

import pytest
from django.core.mail import EmailMessage
from django.db import transaction

from agencies.models import Agency, Invitation, Person, Role
from agencies.services import invite_person


class Abandoned(Exception):
    """Raised to roll the surrounding transaction back."""


def test_invitation_is_mailed_in_process_only_once_the_transaction_commits(
    transactional_db: None,
    embedded_celery: None,
    mailoutbox: list[EmailMessage],
    police: Agency,
    police_admin: Person,
) -> None:
    with transaction.atomic():
        invitation, token = invite_person(
            actor=police_admin, agency=police, email="esi.dogbe@police.tg", roles=[Role.OFFICER]
        )
        assert mailoutbox == []

    assert [m.to for m in mailoutbox] == [["esi.dogbe@police.tg"]]
    assert f"/invitations/{token}/" in mailoutbox[0].body
    invitation.refresh_from_db()
    assert invitation.emailed_at is not None


def test_no_invitation_mail_when_the_transaction_rolls_back(
    transactional_db: None,
    embedded_celery: None,
    mailoutbox: list[EmailMessage],
    police: Agency,
    police_admin: Person,
) -> None:
    with pytest.raises(Abandoned), transaction.atomic():
        invite_person(
            actor=police_admin, agency=police, email="esi.dogbe@police.tg", roles=[Role.OFFICER]
        )
        raise Abandoned

    assert mailoutbox == []
    assert not Invitation.objects.exists()
