from __future__ import annotations

import base64
import json
from datetime import date
from pathlib import Path
from typing import Any, cast

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.cases import services
from agencies.cases.attachments import add_attachment
from agencies.cases.models import Attachment, CaseFile, CaseShare, Review, Seizure
from agencies.models import Role
from aircop.audit.models import AuditEvent
from targeting.triage import services as triage
from targeting.triage.models import Outcome
from tests.agencies.cases.factories import open_case
from tests.agencies.factories import AgencyFactory, PersonFactory
from tests.conftest import client_for
from tests.targeting.factories import FlightFactory, TravellerFactory

# A one-pixel PNG: what the attachment service recognises as an image by its content.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def customs_officer(customs: Any) -> Any:
    return PersonFactory(username="customs-officer", agency=customs, roles=[Role.OFFICER])


@pytest.fixture
def customs_supervisor(customs: Any) -> Any:
    return PersonFactory(username="customs-supervisor", agency=customs, roles=[Role.SUPERVISOR])


@pytest.fixture
def flight(task_force: Any) -> Any:
    return FlightFactory(task_force=task_force)


@pytest.fixture
def case(officer: Any, flight: Any) -> CaseFile:
    traveller: Any = TravellerFactory(flight=flight, surname="KOFFI", given_names="AMA")
    return open_case(
        officer, title="Cocaine in a suitcase", travellers=[traveller], flights=[flight]
    )


def attach(person: Any, case: CaseFile) -> Attachment:
    upload = SimpleUploadedFile("bag.png", PNG, content_type="image/png")
    return add_attachment(actor=person, case=case, upload=upload, description="x-ray")


def case_urls(case: CaseFile, attachment: Attachment) -> list[str]:
    return [
        reverse("case-detail", args=[case.pk]),
        reverse("case-attachment", args=[case.pk, attachment.pk]),
        reverse("case-print", args=[case.pk]),
        reverse("case-export", args=[case.pk]),
    ]


def share_through_pages(officer: Any, supervisor: Any, case: CaseFile, agency: Any) -> None:
    response = client_for(officer).post(
        reverse("case-share", args=[case.pk]),
        {"share-agency": agency.pk, "share-reason": "Customs found the bag"},
    )
    assert response.status_code == 302
    review = Review.objects.get(case=case, kind=Review.Kind.SHARE)
    response = client_for(supervisor).post(reverse("case-review-approve", args=[review.pk]))
    assert response.status_code == 302


def test_officer_of_another_agency_gets_404_on_an_unshared_case(
    officer: Any, case: CaseFile, customs_officer: Any, other_agency: Any
) -> None:
    attachment = attach(officer, case)
    stranger: Any = PersonFactory(agency=other_agency, roles=[Role.OFFICER])
    for person in (customs_officer, stranger):
        client = client_for(person)
        for url in case_urls(case, attachment):
            assert client.get(url).status_code == 404, url
        response = client.post(
            reverse("case-entry-add", args=[case.pk]), {"entry-kind": "note", "entry-text": "hi"}
        )
        assert response.status_code == 404
        assert case.number not in client.get(reverse("case-list")).content.decode()
    assert not AuditEvent.objects.filter(action="export").exists()


def test_owner_sees_the_case_and_each_read_is_audited(
    officer: Any, case: CaseFile, flight: Any
) -> None:
    page = client_for(officer).get(reverse("case-detail", args=[case.pk])).content.decode()
    assert case.number in page
    assert "KOFFI" in page
    assert reverse("flight-detail", args=[flight.pk]) in page
    subject = case.subjects.get()
    assert reverse("traveller-detail", args=[subject.traveller_id]) in page
    assert AuditEvent.objects.filter(
        action="view", object_type="cases.CaseFile", object_id=str(case.pk)
    ).exists()


def test_attachment_is_served_with_its_type_and_not_cached(officer: Any, case: CaseFile) -> None:
    attachment = attach(officer, case)
    response = client_for(officer).get(reverse("case-attachment", args=[case.pk, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(cast(Any, response).streaming_content) == PNG
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert "inline" in response["Content-Disposition"]
    # Another case's address does not reach it.
    other = open_case(officer)
    url = reverse("case-attachment", args=[other.pk, attachment.pk])
    assert client_for(officer).get(url).status_code == 404


def test_partner_sees_a_shared_case_writes_in_it_and_loses_it_when_unshared(
    officer: Any,
    supervisor: Any,
    case: CaseFile,
    customs: Any,
    customs_officer: Any,
) -> None:
    attachment = attach(officer, case)
    partner = client_for(customs_officer)
    detail = reverse("case-detail", args=[case.pk])
    client_for(officer).post(
        reverse("case-share", args=[case.pk]),
        {"share-agency": customs.pk, "share-reason": "Customs found the bag"},
    )
    # Requested, not yet approved: still invisible.
    assert partner.get(detail).status_code == 404
    review = Review.objects.get(case=case)
    reviews_page = client_for(supervisor).get(reverse("case-reviews")).content.decode()
    assert case.number in reviews_page and "Customs" in reviews_page
    client_for(supervisor).post(reverse("case-review-approve", args=[review.pk]))

    page = partner.get(detail).content.decode()
    assert "joint case" in page
    assert 'id="entry-form"' in page  # partners write entries…
    assert 'id="seizure-form"' not in page  # …but do not change the case
    response = partner.post(
        reverse("case-entry-add", args=[case.pk]),
        {"entry-kind": "note", "entry-text": "Second bag x-rayed at the belt"},
    )
    assert response.status_code == 302
    entry = case.entries.get(text="Second bag x-rayed at the belt")
    assert entry.agency == customs
    page = partner.get(detail).content.decode()
    marked = page[page.index(f'id="entry-{entry.pk}"') :]
    assert marked.index("TG-CUS") < marked.index("Second bag x-rayed")
    assert case.number in partner.get(reverse("case-list")).content.decode()

    share = CaseShare.objects.get(case=case, agency=customs)
    response = client_for(supervisor).post(
        reverse("case-unshare", args=[case.pk, share.pk]), {f"unshare-{share.pk}-reason": "done"}
    )
    assert response.status_code == 302
    for url in case_urls(case, attachment):
        assert partner.get(url).status_code == 404, url


def test_officer_without_supervisor_role_cannot_approve_or_see_reviews(
    officer: Any, supervisor: Any, case: CaseFile, customs: Any, customs_supervisor: Any
) -> None:
    services.request_share(actor=officer, case=case, agency=customs, reason="joint")
    review = Review.objects.get(case=case)
    client = client_for(officer)
    assert client.get(reverse("case-reviews")).status_code == 404
    assert reverse("case-reviews") not in client.get(reverse("case-list")).content.decode()
    assert client.post(reverse("case-review-approve", args=[review.pk])).status_code == 403
    # The partner's supervisor does not see the case at all.
    other = client_for(customs_supervisor)
    assert other.post(reverse("case-review-approve", args=[review.pk])).status_code == 404
    assert Review.objects.get(pk=review.pk).state == Review.State.PENDING
    nav = client_for(supervisor).get(reverse("case-list")).content.decode()
    assert reverse("case-reviews") in nav


def test_partner_of_a_joint_case_gets_404_on_its_reviews(
    officer: Any, supervisor: Any, case: CaseFile, customs: Any, customs_supervisor: Any
) -> None:
    share_through_pages(officer, supervisor, case, customs)
    services.change_state(actor=officer, case=case, state="closed", outcome="2 kg, one arrest")
    review = Review.objects.get(case=case, kind=Review.Kind.STATE)
    partner = client_for(customs_supervisor)
    assert partner.get(reverse("case-detail", args=[case.pk])).status_code == 200
    for name in ("case-review-approve", "case-review-send-back"):
        assert partner.post(reverse(name, args=[review.pk])).status_code == 404, name
    assert Review.objects.get(pk=review.pk).state == Review.State.PENDING


def test_sending_back_needs_a_comment(
    officer: Any, supervisor: Any, case: CaseFile, customs: Any
) -> None:
    services.request_share(actor=officer, case=case, agency=customs, reason="joint")
    review = Review.objects.get(case=case)
    client = client_for(supervisor)
    url = reverse("case-review-send-back", args=[review.pk])
    page = client.post(url, follow=True).content.decode()
    assert "Say why it goes back." in page
    assert Review.objects.get(pk=review.pk).state == Review.State.PENDING
    client.post(url, {f"review-{review.pk}-comment": "Which bag?"})
    assert Review.objects.get(pk=review.pk).state == Review.State.SENT_BACK


def test_closing_from_the_page_waits_for_a_supervisor(
    officer: Any, supervisor: Any, case: CaseFile
) -> None:
    url = reverse("case-state", args=[case.pk])
    page = client_for(officer).get(reverse("case-detail", args=[case.pk])).content.decode()
    assert 'id="state-review-note"' in page
    response = client_for(officer).post(
        url, {"state-state": "closed", "state-outcome": "2 kg, one arrest"}, follow=True
    )
    assert "awaits a supervisor" in response.content.decode()
    assert CaseFile.objects.get(pk=case.pk).state == CaseFile.State.OPEN
    review = Review.objects.get(case=case, kind=Review.Kind.STATE)
    client_for(supervisor).post(
        reverse("case-review-approve", args=[review.pk]),
        {"next": reverse("case-detail", args=[case.pk])},
    )
    case.refresh_from_db()
    assert (case.state, case.outcome) == (CaseFile.State.CLOSED, "2 kg, one arrest")


def test_export_and_print_write_audit_records(officer: Any, case: CaseFile) -> None:
    client = client_for(officer)
    response = client.get(reverse("case-export", args=[case.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="{case.number}.json"'
    document = json.loads(response.content)
    assert (document["number"], document["subjects"][0]["surname"]) == (case.number, "KOFFI")
    page = client.get(reverse("case-print", args=[case.pk])).content.decode()
    assert "KOFFI" in page and case.number in page
    kinds = sorted(
        e.details["kind"]
        for e in AuditEvent.objects.filter(action="export", object_id=str(case.pk))
    )
    assert kinds == ["json", "print"]


def test_positive_decision_opens_a_case_with_traveller_and_flight(
    officer: Any, task_force: Any, flight: Any
) -> None:
    traveller: Any = TravellerFactory(flight=flight, surname="MENSAH", given_names="KOJO")
    decision = triage.record_outcome(
        actor=officer, traveller=traveller, outcome=Outcome.POSITIVE, version=0, reason="2 kg"
    )
    client = client_for(officer)
    create = f"{reverse('case-create')}?decision={decision.pk}"
    triage_page = client.get(reverse("traveller-detail", args=[traveller.pk])).content.decode()
    assert create in triage_page.replace("&amp;", "&")
    form = client.get(create).content.decode()
    assert "MENSAH" in form and flight.designator in form
    response = client.post(create, {"title": "Cocaine, MENSAH", "summary": "2 kg in the lining"})
    case = CaseFile.objects.get()
    assert response["Location"] == reverse("case-detail", args=[case.pk])
    assert case.title == "Cocaine, MENSAH" and case.source_decision == decision
    assert list(case.flights.all()) == [flight]
    assert case.subjects.get().traveller == traveller


def test_case_form_refuses_decisions_and_travellers_outside_the_task_force(
    officer: Any, flight: Any
) -> None:
    stranger: Any = TravellerFactory(flight=FlightFactory(), surname="SOW")
    outsider: Any = PersonFactory(agency=AgencyFactory(task_force=stranger.flight.task_force))
    foreign = triage.record_outcome(
        actor=outsider, traveller=stranger, outcome=Outcome.POSITIVE, version=0, reason="x"
    )
    ours: Any = TravellerFactory(flight=flight)
    negative = triage.record_outcome(
        actor=officer, traveller=ours, outcome=Outcome.NEGATIVE, version=0, reason="nothing"
    )
    client = client_for(officer)
    for query in (
        f"decision={foreign.pk}",
        f"decision={negative.pk}",
        f"traveller={stranger.pk}",
        "traveller=abc",
    ):
        assert client.get(f"{reverse('case-create')}?{query}").status_code == 404, query
    assert not CaseFile.objects.exists()


def test_case_from_a_traveller_names_the_traveller_and_flight(officer: Any, flight: Any) -> None:
    traveller: Any = TravellerFactory(flight=flight, surname="DIALLO")
    url = f"{reverse('case-create')}?traveller={traveller.pk}"
    client_for(officer).post(url, {"title": "Walk-in", "summary": ""})
    case = CaseFile.objects.get()
    assert (case.subjects.get().traveller, list(case.flights.all())) == (traveller, [flight])


def test_bad_seizure_shows_the_field_error_and_stores_nothing(officer: Any, case: CaseFile) -> None:
    url = reverse("case-seizure-add", args=[case.pk])
    fields = {
        "seizure-commodity": "currency",
        "seizure-quantity": "12000",
        "seizure-unit": "amount",
        "seizure-currency": "",
        "seizure-seized_on": date.today().isoformat(),
    }
    response = client_for(officer).post(url, fields)
    assert response.status_code == 400
    page = response.content.decode()
    currency_row = page[page.index('id="id_seizure-currency"') :]
    # Next to its field: before the next field's row.
    assert currency_row.index("ISO 4217 code, e.g. USD") < currency_row.index('class="form-row"')
    response = client_for(officer).post(url, {**fields, "seizure-quantity": "-2"})
    assert "The quantity must be more than zero." in response.content.decode()
    assert not Seizure.objects.exists()

    client_for(officer).post(url, {**fields, "seizure-currency": "USD"})
    page = client_for(officer).get(reverse("case-detail", args=[case.pk])).content.decode()
    assert Seizure.objects.get().currency == "USD"
    assert "USD" in page[page.index('id="seizures"') :]


def test_partner_cannot_record_a_seizure(
    officer: Any, supervisor: Any, case: CaseFile, customs: Any, customs_officer: Any
) -> None:
    share_through_pages(officer, supervisor, case, customs)
    response = client_for(customs_officer).post(
        reverse("case-seizure-add", args=[case.pk]),
        {
            "seizure-commodity": "cocaine",
            "seizure-quantity": "2",
            "seizure-unit": "kg",
            "seizure-seized_on": date.today().isoformat(),
        },
    )
    assert response.status_code == 403
    assert not Seizure.objects.exists()


def test_wrong_attachment_type_shows_the_message_and_stores_nothing(
    officer: Any, case: CaseFile, media_root: Path
) -> None:
    archive = SimpleUploadedFile(
        "evidence.pdf", b"PK\x03\x04" + b"\x00" * 64, content_type="application/pdf"
    )
    response = client_for(officer).post(
        reverse("case-attachment-add", args=[case.pk]),
        {"attachment-upload": archive, "attachment-description": "scan"},
    )
    assert response.status_code == 400
    assert "This file is a ZIP archive" in response.content.decode()
    assert not Attachment.objects.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]


def test_subjects_are_added_by_hand_and_updated_from_the_page(officer: Any, case: CaseFile) -> None:
    client = client_for(officer)
    response = client.post(
        reverse("case-subject-add", args=[case.pk]),
        {"subject-surname": "ADJO", "subject-nationality": "tgo", "subject-role": "courier"},
    )
    assert response.status_code == 400  # an ISO code is upper case
    assert not case.subjects.filter(surname="ADJO").exists()
    client.post(
        reverse("case-subject-add", args=[case.pk]),
        {"subject-surname": "ADJO", "subject-nationality": "TGO", "subject-role": "courier"},
    )
    subject = case.subjects.get(surname="ADJO")
    key = f"subject-{subject.pk}"
    client.post(
        reverse("case-subject-update", args=[case.pk, subject.pk]),
        {f"{key}-role": "courier", f"{key}-is_arrested": "on"},
    )
    subject.refresh_from_db()
    assert subject.is_arrested
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "arrested" in page[page.index(f'id="subject-{subject.pk}"') :]


def test_list_filters_by_state_owner_and_subject_surname(
    officer: Any, case: CaseFile, customs: Any, customs_officer: Any
) -> None:
    theirs = open_case(customs_officer, title="Pangolin scales")
    services.request_share(actor=customs_officer, case=theirs, agency=officer.agency, reason="x")
    services.approve(
        actor=PersonFactory(agency=customs, roles=[Role.SUPERVISOR]), review=theirs.reviews.get()
    )
    client = client_for(officer)

    def numbers(**query: str) -> list[str]:
        page = client.get(reverse("case-list"), query).content.decode()
        return [c.number for c in (case, theirs) if c.number in page]

    assert numbers() == [case.number, theirs.number]
    assert numbers(mine="ours") == [case.number]
    assert numbers(mine="shared") == [theirs.number]
    assert numbers(q="koffi") == [case.number]
    assert numbers(q="pangolin") == [theirs.number]
    assert numbers(state="closed") == []


def test_list_page_queries_do_not_grow_with_cases(
    officer: Any, customs: Any, customs_officer: Any, django_assert_max_num_queries: Any
) -> None:
    customs_supervisor = PersonFactory(agency=customs, roles=[Role.SUPERVISOR])

    def make(count: int) -> None:
        for n in range(count):
            theirs = open_case(customs_officer, title=f"Shared {n}")
            services.request_share(
                actor=customs_supervisor, case=theirs, agency=officer.agency, reason="x"
            )
            open_case(officer, title=f"Ours {n}")

    make(1)
    client = client_for(officer)
    client.get(reverse("case-list"))  # warm the session and content types
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("case-list"))
    make(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("case-list")).content.decode()
    assert page.count("data-case=") == 18
