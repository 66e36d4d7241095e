"""Sign-in, lockout after repeated failures, password rules, session shell."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from aircop.audit.models import AuditEvent
from tests.agencies.factories import PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client: Client, username: str, password: str) -> Any:
    return client.post(reverse("login"), {"username": username, "password": password})


def test_right_password_signs_in_and_shows_task_force(officer: Any) -> None:
    client = Client()
    response = sign_in(client, "officer", PASSWORD)
    assert response.status_code == 302
    home = client.get(reverse("home"))
    assert officer.agency.task_force.name in home.content.decode()


def test_wrong_password_is_refused_with_a_message(officer: Any) -> None:
    response = sign_in(Client(), "officer", "not-the-password")
    assert response.status_code == 200
    assert response.context["form"].errors
    assert "_auth_user_id" not in Client().session


def test_account_is_locked_after_repeated_failures(officer: Any) -> None:
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit):
        sign_in(Client(REMOTE_ADDR="10.0.0.1"), "officer", "wrong-guess")
    # Locked for the account, from any address, even with the right password.
    client = Client(REMOTE_ADDR="10.0.0.2")
    response = sign_in(client, "officer", PASSWORD)
    assert response.status_code == 429
    assert "locked" in response.content.decode().lower()
    assert client.get(reverse("home")).status_code == 302  # still not signed in
    assert AuditEvent.objects.filter(action="locked_out").exists()
    assert AuditEvent.objects.filter(action="sign_in_failed").count() >= limit


def test_other_accounts_are_not_locked(officer: Any, supervisor: Any) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(Client(), "officer", "wrong-guess")
    assert sign_in(Client(), "supervisor", PASSWORD).status_code == 302


def test_fewer_failures_than_the_limit_do_not_lock(officer: Any) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(Client(), "officer", "wrong-guess")
    assert sign_in(Client(), "officer", PASSWORD).status_code == 302


def test_deactivated_person_cannot_sign_in(officer: Any) -> None:
    officer.is_active = False
    officer.save()
    assert sign_in(Client(), "officer", PASSWORD).status_code == 200


def test_password_rules_refuse_short_and_common(officer: Any) -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ["short", "password1234", "123456789012"]:
        with pytest.raises(ValidationError):
            validate_password(weak, officer)
    validate_password("a-long-unusual-passphrase", officer)


def test_pages_use_the_task_force_time_zone(officer: Any) -> None:
    client = Client()
    sign_in(client, "officer", PASSWORD)
    zone = officer.agency.task_force.time_zone
    assert f"Times in {zone}" in client.get(reverse("home")).content.decode()


def test_healthz_answers_without_sign_in(db: Any) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
