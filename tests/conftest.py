"""Shared fixtures. Service-needing fixtures live in tests/fixtures/ and are loaded here."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from agencies.models import Role
from tests.agencies.factories import (
    AgencyFactory,
    PersonFactory,
    PlatformAdminFactory,
    TaskForceFactory,
)

pytest_plugins = [
    "tests.fixtures.services",
    "tests.fixtures.browser",
    "tests.fixtures.celery_worker",
]


@pytest.fixture
def task_force(db: Any) -> Any:
    return TaskForceFactory(code="TG-LFW", name="JAITF Lomé")


@pytest.fixture
def police(task_force: Any) -> Any:
    return AgencyFactory(task_force=task_force, code="TG-POL", name="Police", kind="police")


@pytest.fixture
def customs(task_force: Any) -> Any:
    return AgencyFactory(task_force=task_force, code="TG-CUS", name="Customs", kind="customs")


@pytest.fixture
def other_task_force(db: Any) -> Any:
    return TaskForceFactory(code="SN-DSS", name="JAITF Dakar")


@pytest.fixture
def other_agency(other_task_force: Any) -> Any:
    return AgencyFactory(task_force=other_task_force, code="SN-POL", kind="police")


@pytest.fixture
def platform_admin(db: Any) -> Any:
    return PlatformAdminFactory(username="platform")


@pytest.fixture
def officer(police: Any) -> Any:
    return PersonFactory(username="officer", agency=police, roles=[Role.OFFICER])


@pytest.fixture
def police_admin(police: Any) -> Any:
    return PersonFactory(username="police-admin", agency=police, roles=[Role.AGENCY_ADMIN])


@pytest.fixture
def customs_admin(customs: Any) -> Any:
    return PersonFactory(username="customs-admin", agency=customs, roles=[Role.AGENCY_ADMIN])


@pytest.fixture
def supervisor(police: Any) -> Any:
    return PersonFactory(username="supervisor", agency=police, roles=[Role.SUPERVISOR])


def client_for(person: Any) -> Client:
    client = Client()
    client.force_login(person)
    return client


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Argon2 is deliberately slow; tests only need passwords to round-trip."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def plain_static_files(settings: Any) -> None:
    """Pages link static files by their plain names, served from the source folders.

    The production storage links hashed names that exist only after collectstatic; the tests
    must not depend on a collected var/static.
    """
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def embedded_celery() -> Iterator[None]:
    """Tasks run in-process as without a broker, whichever mode the suite runs in."""
    from aircop.celery import app

    was_eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = was_eager


@pytest.fixture(autouse=True)
def fresh_watchlist_indexes() -> Iterator[None]:
    """Each test builds its own lists; ids and revisions repeat after a rollback."""
    from targeting.rules.screening import forget_indexes

    forget_indexes()
    yield
    forget_indexes()
