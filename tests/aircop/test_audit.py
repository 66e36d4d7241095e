"""The audit trail records sign-ins and changes, and nobody can alter it."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from agencies.models import Agency, Role
from aircop.audit.models import AppendOnlyError, AuditEvent
from aircop.audit.services import Action, record_event
from tests.agencies.factories import PASSWORD, PersonFactory
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_sign_in_is_recorded_with_address(officer: Any) -> None:
    client = Client(REMOTE_ADDR="10.9.8.7")
    response = client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=Action.SIGN_IN)
    assert event.actor == officer
    assert event.agency == officer.agency
    assert event.task_force_id == officer.agency.task_force_id
    assert event.ip_address == "10.9.8.7"


def test_failed_sign_in_is_recorded_without_password(officer: Any) -> None:
    Client().post(reverse("login"), {"username": "officer", "password": "wrong-password-1"})
    event = AuditEvent.objects.get(action=Action.SIGN_IN_FAILED)
    assert event.actor is None
    assert event.actor_label == "officer"
    assert "wrong-password-1" not in str(event.details)


def test_sign_out_is_recorded(officer: Any) -> None:
    client = client_for(officer)
    client.post(reverse("logout"))
    assert AuditEvent.objects.filter(action=Action.SIGN_OUT, actor=officer).exists()


def test_admin_change_is_recorded(platform_admin: Any, police: Any) -> None:
    client = client_for(platform_admin)
    url = reverse("admin:agencies_agency_change", args=[police.pk])
    response = client.post(
        url,
        {
            "task_force": police.task_force_id,
            "name": "Renamed",
            "code": police.code,
            "kind": "police",
        },
    )
    assert response.status_code == 302, response.content
    event = AuditEvent.objects.get(action=Action.CHANGE, object_type="agencies.Agency")
    assert event.actor == platform_admin
    assert event.object_id == str(police.pk)
    assert event.details["via"] == "admin"


def test_admin_addition_and_deletion_are_recorded(platform_admin: Any, task_force: Any) -> None:
    client = client_for(platform_admin)
    client.post(
        reverse("admin:agencies_agency_add"),
        {"task_force": task_force.pk, "name": "K9", "code": "TG-K9", "kind": "k9"},
    )
    agency = Agency.objects.get(code="TG-K9")
    client.post(reverse("admin:agencies_agency_delete", args=[agency.pk]), {"post": "yes"})
    actions = set(
        AuditEvent.objects.filter(
            object_type="agencies.Agency", object_id=str(agency.pk)
        ).values_list("action", flat=True)
    )
    assert actions == {Action.CREATE, Action.DELETE}


def test_admin_offers_no_way_to_change_or_delete_events(platform_admin: Any) -> None:
    event = record_event(action=Action.VIEW, actor=platform_admin, object_label="x")
    client = client_for(platform_admin)
    change = client.post(
        reverse("admin:audit_auditevent_change", args=[event.pk]), {"reason": "edited"}
    )
    delete = client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"})
    add = client.get(reverse("admin:audit_auditevent_add"))
    assert change.status_code == 403
    assert delete.status_code == 403
    assert add.status_code == 403
    event.refresh_from_db()
    assert event.reason == ""


def test_orm_refuses_to_change_or_delete_events(officer: Any) -> None:
    event = record_event(action=Action.VIEW, actor=officer)
    event.reason = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_database_refuses_raw_update(officer: Any) -> None:
    event = record_event(action=Action.VIEW, actor=officer)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [event.pk])
    event.refresh_from_db()
    assert event.reason == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row DELETE trigger is PostgreSQL's")
def test_database_refuses_raw_delete(officer: Any) -> None:
    event = record_event(action=Action.VIEW, actor=officer)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_api_has_no_write_methods_on_events(platform_admin: Any) -> None:
    event = record_event(action=Action.VIEW, actor=platform_admin)
    client = client_for(platform_admin)
    url = f"/api/v1/audit-events/{event.pk}/"
    assert client.get(url).status_code == 200
    assert client.patch(url, {"reason": "x"}, content_type="application/json").status_code == 405
    assert client.put(url, {"reason": "x"}, content_type="application/json").status_code == 405
    assert client.delete(url).status_code == 405
    assert client.post("/api/v1/audit-events/", {}).status_code == 405
    event.refresh_from_db()
    assert event.reason == ""


def test_supervisor_sees_only_own_agency_events(supervisor: Any, customs_admin: Any) -> None:
    mine = record_event(action=Action.VIEW, actor=supervisor, object_label="mine")
    theirs = record_event(action=Action.VIEW, actor=customs_admin, object_label="theirs")
    client = client_for(supervisor)
    listed = list(client.get(reverse("audit-list")).context["page"])
    assert mine in listed and theirs not in listed
    api_ids = {e["id"] for e in client.get("/api/v1/audit-events/").json()["results"]}
    assert mine.pk in api_ids and theirs.pk not in api_ids
    assert client.get(f"/api/v1/audit-events/{theirs.pk}/").status_code == 404


def test_officer_cannot_read_the_trail(officer: Any) -> None:
    client = client_for(officer)
    assert client.get(reverse("audit-list")).status_code == 404
    assert client.get("/api/v1/audit-events/").json()["results"] == []


def test_platform_admin_filters_the_trail(platform_admin: Any, officer: Any) -> None:
    record_event(action=Action.EXPORT, actor=officer, object_label="manifest KP123")
    record_event(action=Action.VIEW, actor=officer, object_label="traveller")
    client = client_for(platform_admin)
    page = client.get(reverse("audit-list"), {"action": "export"}).context["page"]
    assert [e.object_repr for e in page] == ["manifest KP123"]
    api = client.get("/api/v1/audit-events/", {"q": "KP123"}).json()["results"]
    assert [e["object_repr"] for e in api] == ["manifest KP123"]


def test_onboarding_change_writes_audit_row(customs_admin: Any, customs: Any) -> None:
    colleague = PersonFactory(agency=customs, roles=[Role.OFFICER])
    client_for(customs_admin).post(
        reverse("person-detail", args=[colleague.pk]), {"roles": ["analyst"]}
    )
    event = AuditEvent.objects.get(action=Action.CHANGE, object_id=str(colleague.pk))
    assert event.actor == customs_admin
    assert event.details["roles"] == [["officer"], ["analyst"]]
