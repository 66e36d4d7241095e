"""An airline's staff see only their airline's requests and nothing else of the application."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError
from django.test import Client

from agencies.models import Person, Role
from aircop.api.models import PersonalToken
from tests.agencies.consultations.factories import AirlineStaffFactory, ConsultationRequestFactory
from tests.agencies.factories import (
    AgencyFactory,
    DataProviderFactory,
    PersonFactory,
    PlatformAdminFactory,
)
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def _token_client(person: object) -> Client:
    _token, key = PersonalToken.objects.create_key(name="test", person=person)
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def test_airline_staff_see_only_their_airlines_requests_on_pages_and_api() -> None:
    staff = AirlineStaffFactory()
    ours = ConsultationRequestFactory(airline=staff.airline)
    theirs = ConsultationRequestFactory(airline=DataProviderFactory())
    browser = client_for(staff)

    listing = browser.get("/requests/").content.decode()
    assert f'data-request="{ours.pk}"' in listing
    assert f'data-request="{theirs.pk}"' not in listing
    assert browser.get(f"/requests/{ours.pk}/").status_code == 200
    assert browser.get(f"/requests/{theirs.pk}/").status_code == 404
    assert browser.post(f"/requests/{theirs.pk}/answer/", {"answer_text": "x"}).status_code == 404

    api = _token_client(staff)
    assert [r["id"] for r in api.get("/api/v1/requests/").json()["results"]] == [ours.pk]
    assert api.get(f"/api/v1/requests/{ours.pk}/").status_code == 200
    assert api.get(f"/api/v1/requests/{theirs.pk}/").status_code == 404
    assert (
        api.post(f"/api/v1/requests/{theirs.pk}/answer/", {"answer_text": "x"}).status_code == 404
    )


@pytest.mark.parametrize(
    "path",
    [
        "/flights/",
        "/cases/",
        "/operations/",
        "/upload/",
        "/messages/",
        "/watchlists/",
        "/network/",
        "/audit/",
        "/results/",
        "/liaison/",
        "/training/",
        "/people/",
        "/admin/",
        "/api/v1/docs/",
    ],
)
def test_airline_staff_get_404_on_other_pages(path: str) -> None:
    assert client_for(AirlineStaffFactory()).get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/me/",
        "/api/v1/me/tokens/",
        "/api/v1/flights/",
        "/api/v1/travellers/",
        "/api/v1/hits/",
        "/api/v1/queue/",
        "/api/v1/cases/",
        "/api/v1/messages/",
        "/api/v1/providers/",
        "/api/v1/audit-events/",
    ],
)
def test_airline_staff_tokens_get_404_on_other_api_endpoints(path: str) -> None:
    assert _token_client(AirlineStaffFactory()).get(path).status_code == 404


def test_airline_staff_reach_their_profile_and_password_pages() -> None:
    browser = client_for(AirlineStaffFactory())
    assert browser.get("/profile/").status_code == 200
    assert browser.get("/accounts/password/").status_code == 200
    page = browser.get("/requests/").content.decode()
    assert 'href="/requests/"' in page and 'href="/flights/"' not in page


def test_home_sends_airline_staff_to_their_requests() -> None:
    response = client_for(AirlineStaffFactory()).get("/")
    assert response.status_code == 302 and response["Location"] == "/requests/"


def test_officers_see_their_task_forces_requests_only() -> None:
    officer = PersonFactory(roles=[Role.OFFICER])
    ours = ConsultationRequestFactory(task_force=officer.agency.task_force)
    other = ConsultationRequestFactory()
    browser = client_for(officer)
    assert browser.get(f"/requests/{ours.pk}/").status_code == 200
    assert browser.get(f"/requests/{other.pk}/").status_code == 404
    ids = [r["id"] for r in client_for(officer).get("/api/v1/requests/").json()["results"]]
    assert ids == [ours.pk]


def test_officers_cannot_answer_for_the_airline() -> None:
    officer = PersonFactory(roles=[Role.OFFICER])
    request = ConsultationRequestFactory(task_force=officer.agency.task_force)
    client_for(officer).post(f"/requests/{request.pk}/answer/", {"answer_text": "x"})
    request.refresh_from_db()
    assert request.state == "sent"


def test_airline_staff_are_never_platform_admins_nor_in_an_agency() -> None:
    staff: Person = AirlineStaffFactory()
    staff.is_staff = True
    with pytest.raises(IntegrityError):
        staff.save()


def test_airline_staff_cannot_belong_to_an_agency() -> None:
    staff: Person = AirlineStaffFactory()
    staff.agency = AgencyFactory()
    with pytest.raises(IntegrityError):
        staff.save()


def test_list_query_count(django_assert_max_num_queries: object) -> None:
    staff = AirlineStaffFactory()
    ConsultationRequestFactory.create_batch(5, airline=staff.airline)
    browser = client_for(staff)
    with django_assert_max_num_queries(12):  # type: ignore[operator]  # pytest-django fixture
        assert browser.get("/requests/").status_code == 200


def test_api_list_query_count(django_assert_max_num_queries: Any) -> None:
    staff = AirlineStaffFactory()
    ConsultationRequestFactory.create_batch(5, airline=staff.airline)
    api = _token_client(staff)
    with django_assert_max_num_queries(12):
        assert api.get("/api/v1/requests/").json()["count"] == 5


def test_platform_admin_sees_and_sets_the_airline_of_an_account_in_the_admin_site() -> None:
    admin = client_for(PlatformAdminFactory())
    staff = AirlineStaffFactory()
    change = admin.get(f"/admin/agencies/person/{staff.pk}/change/").content.decode()
    assert 'name="airline"' in change
    listing = admin.get(f"/admin/agencies/person/?airline__id__exact={staff.airline.pk}")
    assert staff.username in listing.content.decode()
