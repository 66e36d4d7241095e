"""The API shell: schema, authentication everywhere, tokens, JSON errors."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from django.test import Client
from django.urls import reverse
from openapi_spec_validator import validate

from agencies import services
from aircop.api.models import PersonalToken
from aircop.audit.models import AuditEvent
from tests.agencies.factories import DataProviderFactory
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def schema_for(person: Any) -> dict[str, Any]:
    response = client_for(person).get("/api/v1/schema/")
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def test_schema_is_valid_openapi(officer: Any) -> None:
    schema = schema_for(officer)
    validate(schema)
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/people/" in schema["paths"]


def test_every_operation_in_schema_needs_authentication(officer: Any) -> None:
    schema = schema_for(officer)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            security = operation.get("security", schema.get("security", []))
            assert security, f"{method.upper()} {path} declares no authentication"
            assert {} not in security, f"{method.upper()} {path} allows anonymous access"


def test_every_endpoint_refuses_anonymous_callers(officer: Any) -> None:
    schema = schema_for(officer)
    anonymous = Client()
    for path, operations in schema["paths"].items():
        url = path.replace("{prefix}", "abc").replace("{iata_code}", "LFW")
        url = re.sub(r"\{\w+\}", "1", url)  # {id}, {subject_id}, …: any id will do
        for method in operations:
            response = getattr(anonymous, method)(url, content_type="application/json")
            assert response.status_code in (401, 403), f"{method.upper()} {url}"


def test_schema_and_docs_need_sign_in(db: Any) -> None:
    assert Client().get("/api/v1/schema/").status_code in (401, 403)
    assert Client().get("/api/v1/docs/").status_code in (401, 403)


def test_docs_are_served_without_outside_hosts(officer: Any) -> None:
    html = client_for(officer).get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in html
    assert "cdn." not in html and "https://" not in html.split("</head>")[0]


def test_personal_token_shown_once_and_stored_hashed(officer: Any) -> None:
    client = client_for(officer)
    created = client.post(
        "/api/v1/me/tokens/", {"name": "laptop script"}, content_type="application/json"
    )
    assert created.status_code == 201
    key = created.json()["key"]
    token = PersonalToken.objects.get(prefix=created.json()["prefix"])
    assert key not in token.hashed_key and key not in token.id
    listed = client.get("/api/v1/me/tokens/").json()["results"]
    assert all("key" not in t for t in listed)
    me = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert me.status_code == 200
    assert me.json()["username"] == officer.username


def test_revoked_personal_token_is_refused(officer: Any) -> None:
    client = client_for(officer)
    created = client.post("/api/v1/me/tokens/", {"name": "x"}, content_type="application/json")
    key, prefix = created.json()["key"], created.json()["prefix"]
    assert client.delete(f"/api/v1/me/tokens/{prefix}/").status_code == 204
    response = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401


def test_person_cannot_see_or_revoke_anothers_token(officer: Any, supervisor: Any) -> None:
    created = client_for(supervisor).post(
        "/api/v1/me/tokens/", {"name": "theirs"}, content_type="application/json"
    )
    prefix = created.json()["prefix"]
    assert client_for(officer).delete(f"/api/v1/me/tokens/{prefix}/").status_code == 404
    assert not PersonalToken.objects.get(prefix=prefix).revoked


def test_token_of_deactivated_person_is_refused(officer: Any) -> None:
    created = client_for(officer).post(
        "/api/v1/me/tokens/", {"name": "x"}, content_type="application/json"
    )
    officer.is_active = False
    officer.save()
    response = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {created.json()['key']}")
    assert response.status_code == 401


def test_token_use_is_audited(officer: Any) -> None:
    created = client_for(officer).post(
        "/api/v1/me/tokens/", {"name": "x"}, content_type="application/json"
    )
    Client().get("/api/v1/people/", HTTP_AUTHORIZATION=f"Token {created.json()['key']}")
    event = AuditEvent.objects.get(action="token_use")
    assert event.actor == officer
    assert event.details["path"] == "/api/v1/people/"
    assert PersonalToken.objects.get(prefix=created.json()["prefix"]).last_used_at is not None


def test_provider_token_identifies_provider(task_force: Any) -> None:
    provider = DataProviderFactory(code="KP", name="ASKY")
    provider.task_forces.add(task_force)
    _token, key = services.issue_provider_token(actor=None, provider=provider)
    response = Client().get("/api/v1/provider/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200
    assert response.json()["code"] == "KP"
    assert response.json()["task_forces"] == [task_force.code]


def test_revoked_provider_token_is_refused(db: Any) -> None:
    provider = DataProviderFactory(code="KP")
    token, key = services.issue_provider_token(actor=None, provider=provider)
    services.revoke_provider_token(actor=None, token=token)
    response = Client().get("/api/v1/provider/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_rotation_revokes_old_provider_tokens(db: Any) -> None:
    provider = DataProviderFactory(code="KP")
    _old, old_key = services.issue_provider_token(actor=None, provider=provider)
    _new, new_key = services.rotate_provider_token(actor=None, provider=provider)
    auth = "HTTP_AUTHORIZATION"
    assert Client().get("/api/v1/provider/", **{auth: f"Token {old_key}"}).status_code == 401
    assert Client().get("/api/v1/provider/", **{auth: f"Token {new_key}"}).status_code == 200


def test_provider_token_of_inactive_provider_is_refused(db: Any) -> None:
    provider = DataProviderFactory(code="KP")
    _token, key = services.issue_provider_token(actor=None, provider=provider)
    provider.is_active = False
    provider.save()
    response = Client().get("/api/v1/provider/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 401


def test_provider_token_reaches_no_personal_data(db: Any, officer: Any) -> None:
    provider = DataProviderFactory(code="KP")
    _token, key = services.issue_provider_token(actor=None, provider=provider)
    for url in ["/api/v1/people/", "/api/v1/task-forces/", "/api/v1/audit-events/", "/api/v1/me/"]:
        response = Client().get(url, HTTP_AUTHORIZATION=f"Token {key}")
        assert response.status_code == 403, url


def test_garbage_token_is_refused(db: Any) -> None:
    response = Client().get("/api/v1/me/", HTTP_AUTHORIZATION="Token not-a.real-token")
    assert response.status_code == 401
    response = Client().get("/api/v1/me/", HTTP_AUTHORIZATION="Token a b")
    assert response.status_code == 401


def test_validation_errors_name_the_field(officer: Any) -> None:
    response = client_for(officer).post(
        "/api/v1/me/tokens/", {"name": ""}, content_type="application/json"
    )
    assert response.status_code == 400
    assert "name" in response.json()["errors"]


def test_profile_page_creates_token_shown_once(officer: Any) -> None:
    client = client_for(officer)
    response = client.post(reverse("profile"), {"action": "create", "name": "cli"})
    key = response.context["new_key"]
    assert key and key in response.content.decode()
    again = client.get(reverse("profile")).content.decode()
    assert key not in again


def test_list_endpoints_are_paginated(officer: Any) -> None:
    body = client_for(officer).get("/api/v1/people/").json()
    assert {"count", "next", "previous", "results"} <= body.keys()
