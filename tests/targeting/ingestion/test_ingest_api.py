"""POST /api/v1/messages/ and GET /api/v1/messages/{id}/: the ingest API's contract."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from agencies import services as agency_services
from agencies.models import DataProvider, TaskForce
from aircop.audit.models import AuditEvent
from targeting.ingestion.models import InboundMessage
from targeting.manifests.models import Traveller
from tests.agencies.factories import (
    AgencyFactory,
    AirportFactory,
    DataProviderFactory,
    PersonFactory,
    TaskForceFactory,
)
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

API = (Path(__file__).resolve().parents[2] / "data" / "merge" / "api-kp051.edi").read_bytes()


@pytest.fixture
def lome() -> TaskForce:
    AirportFactory(iata_code="ABJ", time_zone="Africa/Abidjan")
    return TaskForceFactory(code="TG-LFW", airports=[AirportFactory(iata_code="LFW")])


@pytest.fixture
def provider(lome: TaskForce) -> tuple[DataProvider, str]:
    asky = DataProviderFactory(code="KP")
    asky.task_forces.add(lome)
    _token, key = agency_services.issue_provider_token(actor=None, provider=asky)
    return asky, key


def push(key: str, body: bytes, **extra: Any) -> Any:
    return Client().post(
        "/api/v1/messages/",
        data=body,
        content_type="application/edifact",
        HTTP_AUTHORIZATION=f"Token {key}",
        **extra,
    )


def test_push_answers_202_with_id_and_status_url(
    provider: tuple[DataProvider, str],
    django_capture_on_commit_callbacks: Any,
    embedded_celery: None,
) -> None:
    _asky, key = provider
    with django_capture_on_commit_callbacks(execute=True):
        response = push(key, API)
    assert response.status_code == 202
    body = response.json()
    assert body["id"] and body["status_url"].endswith(f"/api/v1/messages/{body['id']}/")
    status = Client().get(body["status_url"], HTTP_AUTHORIZATION=f"Token {key}")
    assert status.status_code == 200
    assert status.json()["state"] == "screened"
    assert Traveller.objects.count() == 2


def test_oversized_body_gets_413_and_nothing_stored(
    provider: tuple[DataProvider, str], settings: Any
) -> None:
    settings.INGEST_MAX_BYTES = 100
    response = push(provider[1], API)
    assert response.status_code == 413
    assert "limit" in response.json()["detail"]
    assert InboundMessage.objects.count() == 0


def test_airport_not_onboarded_gets_403(lome: TaskForce) -> None:
    stranger = DataProviderFactory(code="AF")
    stranger.task_forces.add(TaskForceFactory(airports=[AirportFactory(iata_code="DSS")]))
    _token, key = agency_services.issue_provider_token(actor=None, provider=stranger)
    response = push(key, API)
    assert response.status_code == 403
    assert "not onboarded" in response.json()["detail"]
    assert InboundMessage.objects.count() == 0
    assert AuditEvent.objects.filter(reason__contains="airport not onboarded").exists()


def test_unreadable_message_is_accepted_then_rejected_with_error(
    provider: tuple[DataProvider, str],
) -> None:
    response = push(provider[1], b"UNA:+.? 'UNB+UNOA:4+KP+TG+261125:0600+1'UNH+1+PAXLST:D:05B:UN")
    assert response.status_code == 202
    assert response.json()["state"] == "rejected"
    assert response.json()["findings"][0]["severity"] == "error"


def test_empty_body_is_a_clear_400(provider: tuple[DataProvider, str]) -> None:
    response = push(provider[1], b"  ")
    assert response.status_code == 400
    assert "empty" in response.json()["detail"]


def test_people_cannot_push(officer: Any) -> None:
    response = client_for(officer).post(
        "/api/v1/messages/", data=API, content_type="application/edifact"
    )
    assert response.status_code == 403


def test_revoked_provider_token_cannot_push(provider: tuple[DataProvider, str]) -> None:
    asky, key = provider
    for token in asky.tokens.all():
        agency_services.revoke_provider_token(actor=None, token=token)
    assert push(key, API).status_code == 401


def test_status_is_scoped(
    provider: tuple[DataProvider, str], lome: TaskForce, embedded_celery: None
) -> None:
    _asky, key = provider
    message_id = push(key, API).json()["id"]
    other = DataProviderFactory(code="HF")
    other.task_forces.add(lome)
    _t, other_key = agency_services.issue_provider_token(actor=None, provider=other)
    url = f"/api/v1/messages/{message_id}/"
    assert Client().get(url, HTTP_AUTHORIZATION=f"Token {other_key}").status_code == 404
    member = PersonFactory(agency=AgencyFactory(task_force=lome))
    outsider = PersonFactory(agency=AgencyFactory(task_force=TaskForceFactory()))
    assert client_for(member).get(url).status_code == 200
    assert client_for(outsider).get(url).status_code == 404


def test_every_call_is_audited(provider: tuple[DataProvider, str]) -> None:
    _asky, key = provider
    message_id = push(key, API).json()["id"]
    Client().get(f"/api/v1/messages/{message_id}/", HTTP_AUTHORIZATION=f"Token {key}")
    labels = list(
        AuditEvent.objects.filter(object_type="ingestion.InboundMessage").values_list(
            "action", "actor_label"
        )
    )
    assert ("create", "provider:KP") in labels and ("view", "provider:KP") in labels


def test_pushes_are_throttled_per_provider(
    provider: tuple[DataProvider, str], settings: Any
) -> None:
    cache.clear()
    rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], ingest="2/minute")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    from rest_framework.throttling import ScopedRateThrottle

    ScopedRateThrottle.THROTTLE_RATES = rates
    try:
        codes = [push(provider[1], API + str(i).encode()).status_code for i in range(3)]
    finally:
        from rest_framework.settings import api_settings

        ScopedRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        cache.clear()
    assert codes[:2] == [202, 202] and codes[2] == 429
