"""Sending a request, the airline's answer ingested and screened, reminders sent once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agencies.consultations.models import ConsultationRequest
from agencies.consultations.tasks import remind_airlines_of_due_requests
from agencies.models import Role
from aircop.audit.models import AuditEvent
from targeting.manifests.models import Flight, Traveller
from tests.agencies.consultations.factories import AirlineStaffFactory, ConsultationRequestFactory
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


def _lome_request() -> tuple[ConsultationRequest, Any]:
    AirportFactory(iata_code="ABJ", time_zone="Africa/Abidjan")
    lome = TaskForceFactory(
        code="TG-LFW", airports=[AirportFactory(iata_code="LFW", time_zone="Africa/Lome")]
    )
    asky = DataProviderFactory(code="KP")  # not onboarded: it pushes no data to Lomé
    officer = PersonFactory(agency=AgencyFactory(task_force=lome), roles=[Role.OFFICER])
    request = ConsultationRequestFactory(task_force=lome, airline=asky, requested_by=officer)
    return request, AirlineStaffFactory(airline=asky)


def test_officer_sends_a_request_the_airline_is_mailed_and_it_is_audited(
    embedded_celery: None, django_capture_on_commit_callbacks: Any
) -> None:
    officer = PersonFactory(roles=[Role.OFFICER])
    airline = DataProviderFactory(code="KP")
    staff = AirlineStaffFactory(airline=airline)
    AirlineStaffFactory()  # another airline's staff hear nothing
    deadline = (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(officer).post(
            "/requests/new/",
            {
                "airline": airline.pk,
                "kind": "flight_manifest",
                "carrier": "kp",
                "flight_number": "051",
                "flight_date": "2026-11-25",
                "question": "Manifest please",
                "deadline": deadline,
            },
        )
    request = ConsultationRequest.objects.get()
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[staff.email]]
    assert f"/requests/{request.pk}/" in mail.outbox[0].body
    assert request.task_force == officer.agency.task_force and request.carrier == "KP"
    assert AuditEvent.objects.filter(object_id=str(request.pk), action="create").exists()


def test_a_manifest_request_without_its_flight_is_refused_next_to_the_field() -> None:
    officer = PersonFactory(roles=[Role.OFFICER])
    response = client_for(officer).post(
        "/requests/new/",
        {
            "airline": DataProviderFactory().pk,
            "kind": "flight_manifest",
            "question": "Manifest please",
            "deadline": (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 200
    assert "names the carrier, number and date" in response.content.decode()
    assert not ConsultationRequest.objects.exists()


def test_analysts_cannot_send_requests() -> None:
    analyst = PersonFactory(roles=[Role.ANALYST])
    assert client_for(analyst).get("/requests/new/").status_code == 404


def test_answered_paxlst_is_ingested_and_screened(
    embedded_celery: None, django_capture_on_commit_callbacks: Any
) -> None:
    request, staff = _lome_request()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff).post(
            f"/requests/{request.pk}/answer/",
            {
                "answer_text": "Here is the list.",
                "answer_file": SimpleUploadedFile("kp051.edi", API),
            },
        )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.state == "answered" and request.answered_by == staff
    message = request.message
    assert message is not None and message.task_force == request.task_force
    assert message.provider == request.airline
    message.refresh_from_db()
    assert message.state == "screened"
    flight = Flight.objects.get()
    assert flight.task_force == request.task_force
    assert Traveller.objects.filter(flight=flight).exists()
    assert flight.screening_state == "screened"
    assert AuditEvent.objects.filter(
        object_id=str(request.pk), action="change", reason="answered"
    ).exists()


def test_answer_through_the_api(
    embedded_celery: None, django_capture_on_commit_callbacks: Any
) -> None:
    from aircop.api.models import PersonalToken

    request, staff = _lome_request()
    _token, key = PersonalToken.objects.create_key(name="t", person=staff)
    from django.test import Client

    with django_capture_on_commit_callbacks(execute=True):
        response = Client(HTTP_AUTHORIZATION=f"Token {key}").post(
            f"/api/v1/requests/{request.pk}/answer/",
            {"answer_file": SimpleUploadedFile("kp051.edi", API)},
        )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "answered" and response.json()["message"]
    assert Flight.objects.get().screening_state == "screened"


def test_an_unreadable_file_is_refused_and_the_request_stays_open() -> None:
    request, staff = _lome_request()
    response = client_for(staff).post(
        f"/requests/{request.pk}/answer/",
        {"answer_file": SimpleUploadedFile("x.edi", b"UNA:+.? 'garbage")},
    )
    assert response.status_code == 400
    request.refresh_from_db()
    assert request.state == "sent" and request.message is None


def test_an_answered_request_cannot_be_answered_again() -> None:
    request, staff = _lome_request()
    browser = client_for(staff)
    browser.post(f"/requests/{request.pk}/answer/", {"answer_text": "No such flight."})
    browser.post(f"/requests/{request.pk}/answer/", {"answer_text": "Changed my mind."})
    request.refresh_from_db()
    assert request.answer_text == "No such flight."


def test_reminders_go_once_to_the_airlines_staff_for_requests_due_within_a_day() -> None:
    staff = AirlineStaffFactory()
    due = ConsultationRequestFactory(
        airline=staff.airline, deadline=timezone.now() + timedelta(hours=5)
    )
    ConsultationRequestFactory(airline=staff.airline, deadline=timezone.now() + timedelta(days=3))
    ConsultationRequestFactory(
        airline=staff.airline,
        deadline=timezone.now() + timedelta(hours=5),
        state=ConsultationRequest.State.ANSWERED,
    )
    assert remind_airlines_of_due_requests() == 1
    assert remind_airlines_of_due_requests() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [staff.email] and f"#{due.pk}" in mail.outbox[0].subject
    due.refresh_from_db()
    assert due.reminder_sent_at is not None


def test_requests_past_their_deadline_become_overdue_and_show_so() -> None:
    officer = PersonFactory(roles=[Role.OFFICER])
    late = ConsultationRequestFactory(
        task_force=officer.agency.task_force, deadline=timezone.now() - timedelta(hours=1)
    )
    remind_airlines_of_due_requests()
    late.refresh_from_db()
    assert late.state == "overdue"
    page = client_for(officer).get("/requests/?state=overdue").content.decode()
    assert f'data-request="{late.pk}" class="overdue"' in page
