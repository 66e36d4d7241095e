"""Need-to-know for onboarding data, through the pages and through the API alike."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from agencies.models import Role
from tests.agencies.factories import PersonFactory
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_agency_admin_cannot_open_person_of_other_agency(customs_admin: Any, officer: Any) -> None:
    response = client_for(customs_admin).get(reverse("person-detail", args=[officer.pk]))
    assert response.status_code == 404


def test_agency_admin_cannot_change_roles_of_other_agency(customs_admin: Any, officer: Any) -> None:
    response = client_for(customs_admin).post(
        reverse("person-detail", args=[officer.pk]), {"roles": ["agency_admin"]}
    )
    assert response.status_code == 404
    officer.refresh_from_db()
    assert officer.role_codes == {Role.OFFICER}


def test_agency_admin_cannot_deactivate_person_of_other_agency(
    customs_admin: Any, officer: Any
) -> None:
    response = client_for(customs_admin).post(
        reverse("person-detail", args=[officer.pk]), {"is_active": "0"}
    )
    assert response.status_code == 404
    officer.refresh_from_db()
    assert officer.is_active


def test_agency_admin_lists_only_their_own_agency(
    customs_admin: Any, officer: Any, customs: Any
) -> None:
    colleague = PersonFactory(username="customs-colleague", agency=customs)
    response = client_for(customs_admin).get(reverse("people-list"))
    assert response.status_code == 200
    people = list(response.context["page"])
    assert colleague in people and customs_admin in people
    assert officer not in people


def test_agency_admin_changes_roles_in_own_agency(customs_admin: Any, customs: Any) -> None:
    colleague = PersonFactory(agency=customs, roles=[Role.OFFICER])
    response = client_for(customs_admin).post(
        reverse("person-detail", args=[colleague.pk]), {"roles": ["officer", "analyst"]}
    )
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert colleague.role_codes == {Role.OFFICER, Role.ANALYST}


def test_agency_admin_cannot_invite_into_other_agency(customs_admin: Any, police: Any) -> None:
    response = client_for(customs_admin).post(
        reverse("people-list"),
        {"agency": police.pk, "email": "x@example.org", "roles": ["officer"]},
    )
    assert response.status_code == 200
    assert "agency" in response.context["form"].errors
    assert not police.invitations.exists()


def test_officer_cannot_reach_people_management(officer: Any) -> None:
    assert client_for(officer).get(reverse("people-list")).status_code == 404


def test_member_sees_only_own_task_force(officer: Any, other_agency: Any, task_force: Any) -> None:
    client = client_for(officer)
    listed = list(client.get(reverse("task-force-list")).context["task_forces"])
    assert listed == [task_force]
    response = client.get(reverse("task-force-detail", args=[other_agency.task_force.pk]))
    assert response.status_code == 404


def test_member_cannot_post_to_own_task_force_page(officer: Any, task_force: Any) -> None:
    response = client_for(officer).post(
        reverse("task-force-detail", args=[task_force.pk]),
        {"agency-name": "Fake", "agency-code": "FAKE", "agency-kind": "police"},
    )
    assert response.status_code == 404
    assert not task_force.agencies.filter(code="FAKE").exists()


@pytest.mark.parametrize("name", ["provider-list", "task-force-create", "airport-list"])
def test_platform_pages_are_hidden_from_members(police_admin: Any, name: str) -> None:
    assert client_for(police_admin).get(reverse(name)).status_code == 404


def test_anonymous_is_sent_to_sign_in(db: Any) -> None:
    response = client_for_anonymous().get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def client_for_anonymous() -> Any:
    from django.test import Client

    return Client()


# --- The same rules through the API ---------------------------------------------------------


def test_api_agency_admin_gets_404_for_person_of_other_agency(
    customs_admin: Any, officer: Any
) -> None:
    client = client_for(customs_admin)
    assert client.get(f"/api/v1/people/{officer.pk}/").status_code == 404
    response = client.put(
        f"/api/v1/people/{officer.pk}/roles/",
        {"roles": ["agency_admin"]},
        content_type="application/json",
    )
    assert response.status_code == 404
    officer.refresh_from_db()
    assert officer.role_codes == {Role.OFFICER}


def test_api_people_list_is_scoped_to_own_agency(customs_admin: Any, officer: Any) -> None:
    response = client_for(customs_admin).get("/api/v1/people/")
    usernames = {p["username"] for p in response.json()["results"]}
    assert usernames == {customs_admin.username}


def test_api_agency_admin_sets_roles_in_own_agency(customs_admin: Any, customs: Any) -> None:
    colleague = PersonFactory(agency=customs)
    response = client_for(customs_admin).put(
        f"/api/v1/people/{colleague.pk}/roles/",
        {"roles": ["analyst"]},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["roles"] == ["analyst"]


def test_api_unknown_role_is_named_in_error(customs_admin: Any, customs: Any) -> None:
    colleague = PersonFactory(agency=customs)
    response = client_for(customs_admin).put(
        f"/api/v1/people/{colleague.pk}/roles/",
        {"roles": ["emperor"]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "roles" in response.json()["errors"]


def test_api_task_forces_and_agencies_scoped(officer: Any, other_agency: Any) -> None:
    client = client_for(officer)
    codes = {tf["code"] for tf in client.get("/api/v1/task-forces/").json()["results"]}
    assert codes == {officer.agency.task_force.code}
    assert client.get(f"/api/v1/task-forces/{other_agency.task_force.pk}/").status_code == 404
    agency_codes = {a["code"] for a in client.get("/api/v1/agencies/").json()["results"]}
    assert other_agency.code not in agency_codes
    assert officer.agency.code in agency_codes
    assert client.get(f"/api/v1/agencies/{other_agency.pk}/").status_code == 404


def test_api_providers_only_for_platform_admin(officer: Any, platform_admin: Any) -> None:
    assert client_for(officer).get("/api/v1/providers/").status_code == 403
    assert client_for(platform_admin).get("/api/v1/providers/").status_code == 200


def test_people_list_query_count_is_constant(
    customs_admin: Any, customs: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(30):
        PersonFactory(agency=customs, roles=[Role.OFFICER, Role.ANALYST])
    client = client_for(customs_admin)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("people-list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/api/v1/people/").status_code == 200
