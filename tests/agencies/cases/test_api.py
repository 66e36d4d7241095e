"""The cases API: the need-to-know of the pages (404 outside), joint cases, reviews, seizures."""

from __future__ import annotations

import struct
import zlib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from agencies.cases import services
from agencies.cases.attachments import add_attachment
from agencies.cases.models import Attachment, CaseEntry, CaseFile, CaseShare, Review, Seizure
from agencies.cases.seizures import record_seizure
from agencies.models import Role
from aircop.api.services import create_personal_token
from aircop.audit.models import AuditEvent
from targeting.triage import services as triage
from targeting.triage.models import Outcome
from tests.agencies.cases.factories import open_case
from tests.agencies.factories import PersonFactory
from tests.targeting.factories import FlightFactory, TravellerFactory

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases/"
REVIEWS = "/api/v1/case-reviews/"


def api_for(person: Any) -> APIClient:
    client = APIClient()
    client.force_login(person)
    return client


def case_url(case: Any, rest: str = "") -> str:
    return f"{CASES}{case.pk}/{rest}"


@pytest.fixture
def customs_officer(customs: Any) -> Any:
    return PersonFactory(username="customs-officer", agency=customs, roles=[Role.OFFICER])


@pytest.fixture
def customs_supervisor(customs: Any) -> Any:
    return PersonFactory(username="customs-supervisor", agency=customs, roles=[Role.SUPERVISOR])


@pytest.fixture
def stranger(other_agency: Any) -> Any:
    """An officer of another task force."""
    return PersonFactory(username="stranger", agency=other_agency, roles=[Role.OFFICER])


@pytest.fixture
def flight(task_force: Any) -> Any:
    return FlightFactory(task_force=task_force)


@pytest.fixture
def traveller(flight: Any) -> Any:
    return TravellerFactory(flight=flight, surname="KOFFI", documents=[("TG123", "TGO")])


@pytest.fixture
def case(officer: Any) -> CaseFile:
    return open_case(officer, title="Cocaine in a suitcase")


def png() -> bytes:
    """A real 1x1 PNG: signature, IHDR, IDAT, IEND."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


def stored_files(media_root: Path) -> list[Path]:
    return [path for path in media_root.rglob("*") if path.is_file()]


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def share_with(case: CaseFile, agency: Any, supervisor: Any) -> CaseShare:
    """An approved share, as a supervisor of the owning agency makes it."""
    return services.request_share(actor=supervisor, case=case, agency=agency, reason="joint")


# --- Opening and reading --------------------------------------------------------------------


def test_officer_opens_a_case_with_its_traveller_and_flight(
    officer: Any, flight: Any, traveller: Any
) -> None:
    body = {
        "title": "Suitcase with a false bottom",
        "summary": "Seen at the x-ray.",
        "travellers": [traveller.pk],
        "flights": [flight.pk],
    }
    response = api_for(officer).post(CASES, body, format="json")
    assert response.status_code == 201, response.content
    detail = response.json()
    case = CaseFile.objects.get()
    assert (detail["id"], detail["number"], detail["agency"]) == (case.pk, case.number, "TG-POL")
    assert (detail["title"], detail["summary"], detail["state"]) == (
        "Suitcase with a false bottom",
        "Seen at the x-ray.",
        "open",
    )
    assert [f["id"] for f in detail["flights"]] == [flight.pk]
    (subject,) = detail["subjects"]
    assert (subject["traveller"], subject["surname"], subject["document_number"]) == (
        traveller.pk,
        "KOFFI",
        "TG123",
    )
    assert (detail["can_change"], detail["can_contribute"]) == (True, True)
    assert detail["opened_by"] == {"id": officer.pk, "name": officer.get_full_name()}
    assert api_for(officer).get(case_url(case)).json() == detail


def test_the_detail_has_the_shape_the_schema_describes(officer: Any, case: CaseFile) -> None:
    schema = yaml.safe_load(api_for(officer).get("/api/v1/schema/").content)
    described = schema["components"]["schemas"]["CaseDetail"]["properties"]
    detail = api_for(officer).get(case_url(case)).json()
    assert set(detail) == set(described)
    entry = detail["entries"][0]
    assert set(entry) == set(schema["components"]["schemas"]["CaseEntryDocument"]["properties"])


def test_a_positive_control_opens_a_case_filled_in(
    officer: Any, flight: Any, traveller: Any
) -> None:
    decision = triage.record_outcome(
        actor=officer, traveller=traveller, outcome=Outcome.POSITIVE, version=0, reason="2 kg"
    )
    response = api_for(officer).post(CASES, {"decision": decision.pk}, format="json")
    assert response.status_code == 201, response.content
    detail = response.json()
    assert "KOFFI" in detail["title"] and detail["summary"] == "2 kg"
    assert [s["traveller"] for s in detail["subjects"]] == [traveller.pk]
    assert [f["id"] for f in detail["flights"]] == [flight.pk]
    assert CaseFile.objects.get().source_decision == decision


def test_only_a_positive_control_of_the_task_force_opens_a_case(
    officer: Any, stranger: Any, traveller: Any
) -> None:
    cleared = triage.record_outcome(
        actor=officer, traveller=traveller, outcome=Outcome.CLEARED, version=0, reason="known"
    )
    elsewhere: Any = TravellerFactory(flight=FlightFactory(task_force=stranger.agency.task_force))
    positive_elsewhere = triage.record_outcome(
        actor=stranger, traveller=elsewhere, outcome=Outcome.POSITIVE, version=0, reason="1 kg"
    )
    for decision in (cleared, positive_elsewhere):
        response = api_for(officer).post(CASES, {"decision": decision.pk}, format="json")
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["decision"]
    assert not CaseFile.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": " "}, "title"),
        ({"title": "x", "travellers": "KOFFI"}, "travellers"),
        ({"title": "x", "state": "closed", "flights": [0]}, "flights"),
    ],
)
def test_a_bad_case_is_refused_naming_the_field(
    officer: Any, body: dict[str, Any], field: str
) -> None:
    response = api_for(officer).post(CASES, body, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]
    assert response.json()["detail"]
    assert not CaseFile.objects.exists()


def test_another_task_forces_traveller_or_flight_is_refused_like_a_missing_one(
    officer: Any, stranger: Any
) -> None:
    their_flight: Any = FlightFactory(task_force=stranger.agency.task_force)
    theirs: Any = TravellerFactory(flight=their_flight)
    client = api_for(officer)
    outside = client.post(CASES, {"title": "x", "travellers": [theirs.pk]}, format="json")
    missing = client.post(CASES, {"title": "x", "travellers": [999_999]}, format="json")
    assert outside.status_code == missing.status_code == 400
    assert outside.json() == missing.json()
    flights = client.post(CASES, {"title": "x", "flights": [their_flight.pk]}, format="json")
    assert list(flights.json()["errors"]) == ["flights"]
    assert not CaseFile.objects.exists()


def test_a_person_without_a_case_role_may_not_open_a_case(police: Any) -> None:
    admin = PersonFactory(agency=police, roles=[Role.AGENCY_ADMIN])
    response = api_for(admin).post(CASES, {"title": "x"}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"]
    assert not CaseFile.objects.exists()


def test_case_list_filters_by_state_own_agency_and_text(
    officer: Any, supervisor: Any, customs: Any, customs_officer: Any, customs_supervisor: Any
) -> None:
    ours = open_case(officer, title="Cocaine in a suitcase")
    closing = open_case(officer, title="Pangolin scales")
    services.change_state(actor=supervisor, case=closing, state="closed", outcome="burnt")
    theirs = open_case(customs_officer, title="Cash in shoes")
    share_with(theirs, ours.agency, customs_supervisor)
    open_case(customs_officer, title="Not shared")

    def ids(**params: Any) -> list[int]:
        response = api_for(officer).get(CASES, params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids() == [theirs.pk, closing.pk, ours.pk]
    assert ids(mine="true") == [closing.pk, ours.pk]
    assert ids(state="closed") == [closing.pk]
    assert ids(q="SUITCASE") == [ours.pk]
    assert ids(q=theirs.number) == [theirs.pk]
    services.add_subject(actor=officer, case=closing, surname="AMEWU")
    assert ids(q="amewu") == [closing.pk]
    row = api_for(officer).get(CASES, {"q": "cash"}).json()["results"][0]
    assert row == {
        "id": theirs.pk,
        "number": theirs.number,
        "title": "Cash in shoes",
        "agency": "TG-CUS",
        "state": "open",
        "outcome": "",
        "opened_at": row["opened_at"],
        "updated_at": row["updated_at"],
        "is_own": False,
    }
    refused = api_for(officer).get(CASES, {"state": "lost"})
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["state"]


def queries_for(client: APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(captured)


def test_case_list_and_reviews_need_a_constant_number_of_queries(
    django_assert_max_num_queries: Any,
    officer: Any,
    supervisor: Any,
    customs: Any,
    customs_officer: Any,
    customs_supervisor: Any,
) -> None:
    def add(n: int) -> None:
        for _ in range(n):
            case = open_case(officer)
            services.request_share(actor=officer, case=case, agency=customs, reason="joint")
            theirs = open_case(customs_officer)
            share_with(theirs, officer.agency, customs_supervisor)

    mine, boss = api_for(officer), api_for(supervisor)
    add(2)
    cases, reviews = queries_for(mine, CASES), queries_for(boss, REVIEWS)
    add(13)
    with django_assert_max_num_queries(cases):
        assert mine.get(CASES).json()["count"] == 30
    with django_assert_max_num_queries(reviews):
        assert boss.get(REVIEWS).json()["count"] == 15


def test_a_cases_lists_need_a_constant_number_of_queries(
    django_assert_max_num_queries: Any,
    officer: Any,
    supervisor: Any,
    customs: Any,
    customs_officer: Any,
    flight: Any,
    media_root: Path,
    case: CaseFile,
) -> None:
    share_with(case, customs, supervisor)
    lists = ["entries/", "seizures/", "subjects/", "shares/", "attachments/"]

    def add(n: int) -> None:
        for i in range(n):
            author = officer if i % 2 else customs_officer
            services.add_entry(actor=author, case=case, text=f"Note {i}")
            record_seizure(
                actor=officer,
                case=case,
                commodity="cocaine",
                quantity="1.5",
                unit="kg",
                seized_on=date.today(),
                flight=flight,
            )
            services.add_subject(actor=officer, case=case, surname=f"PERSON{i}")
            add_attachment(actor=author, case=case, upload=upload(f"bag{i}.png", png()))

    client = api_for(officer)
    add(2)
    few = {rest: queries_for(client, case_url(case, rest)) for rest in lists}
    add(20)
    for rest in lists:
        with django_assert_max_num_queries(few[rest]):
            assert client.get(case_url(case, rest)).status_code == 200
    assert client.get(case_url(case, "seizures/")).json()["count"] == 22


# --- Need-to-know ---------------------------------------------------------------------------


def every_url_of(case: CaseFile) -> list[tuple[str, str]]:
    subject = case.subjects.first()
    share = case.shares.first()
    urls = [
        ("get", case_url(case)),
        ("get", case_url(case, "entries/")),
        ("post", case_url(case, "entries/")),
        ("get", case_url(case, "seizures/")),
        ("post", case_url(case, "seizures/")),
        ("get", case_url(case, "subjects/")),
        ("post", case_url(case, "subjects/")),
        ("get", case_url(case, "attachments/")),
        ("post", case_url(case, "attachments/")),
        ("get", case_url(case, "shares/")),
        ("post", case_url(case, "shares/")),
        ("post", case_url(case, "state/")),
        ("get", case_url(case, "export/")),
    ]
    if subject is not None:
        urls.append(("patch", case_url(case, f"subjects/{subject.pk}/")))
    if share is not None:
        urls.append(("delete", case_url(case, f"shares/{share.pk}/")))
    return urls


def assert_404_everywhere(person: Any, case: CaseFile) -> None:
    client = api_for(person)
    for method, url in every_url_of(case):
        response = getattr(client, method)(url, {"text": "x"}, format="json")
        assert response.status_code == 404, f"{method.upper()} {url}"
        assert response.json() == {"detail": response.json()["detail"], "errors": {}}


def test_another_agencys_officer_gets_404_on_an_unshared_case(
    officer: Any, customs_officer: Any, stranger: Any, platform_admin: Any, case: CaseFile
) -> None:
    services.add_subject(actor=officer, case=case, surname="KOFFI")
    entries = case.entries.count()
    for person in (customs_officer, stranger, platform_admin):
        assert_404_everywhere(person, case)
        assert api_for(person).get(CASES).json()["results"] == []
    assert case.entries.count() == entries
    assert not AuditEvent.objects.filter(action="export").exists()


def test_share_approved_by_a_supervisor_lets_the_partner_in_until_unshared(
    officer: Any,
    supervisor: Any,
    customs: Any,
    customs_officer: Any,
    customs_supervisor: Any,
    case: CaseFile,
) -> None:
    requested = api_for(officer).post(
        case_url(case, "shares/"), {"agency": customs.pk, "reason": "joint control"}, format="json"
    )
    assert requested.status_code == 201, requested.content
    share = requested.json()
    assert share["state"] == "pending"
    assert share["agency"] == {"id": customs.pk, "code": "TG-CUS", "name": "Customs"}
    assert api_for(customs_officer).get(case_url(case)).status_code == 404

    (review,) = api_for(supervisor).get(REVIEWS).json()["results"]
    assert (review["kind"], review["case"]["id"], review["share"]["id"]) == (
        "share",
        case.pk,
        share["id"],
    )
    approved = api_for(supervisor).post(
        f"{REVIEWS}{review['id']}/approve/", {"comment": "ok"}, format="json"
    )
    assert approved.status_code == 200, approved.content
    assert (approved.json()["state"], approved.json()["comment"]) == ("approved", "ok")
    assert approved.json()["decided_by"]["id"] == supervisor.pk

    partner = api_for(customs_officer)
    detail = partner.get(case_url(case))
    assert detail.status_code == 200
    assert (detail.json()["can_change"], detail.json()["can_contribute"]) == (False, True)
    assert {"agency": "TG-CUS", "state": "active"} in detail.json()["shared_with"]
    assert [row["is_own"] for row in partner.get(CASES).json()["results"]] == [False]
    written = partner.post(
        case_url(case, "entries/"), {"text": "Bag x-rayed", "kind": "action"}, format="json"
    )
    assert written.status_code == 201, written.content
    assert (written.json()["agency"], written.json()["kind"]) == ("TG-CUS", "action")
    # A partner writes in the case but does not change it.
    changed = partner.post(case_url(case, "state/"), {"state": "investigation"}, format="json")
    assert changed.status_code == 403
    assert partner.get(case_url(case, "export/")).status_code == 200

    # Only a supervisor of the owning agency unshares.
    share_url = case_url(case, f"shares/{share['id']}/")
    assert api_for(officer).delete(share_url, {"reason": "done"}, format="json").status_code == 403
    unshared = api_for(supervisor).delete(share_url, {"reason": "done"}, format="json")
    assert unshared.status_code == 200, unshared.content
    assert unshared.json()["state"] == "revoked"
    assert_404_everywhere(customs_officer, case)
    assert partner.get(CASES).json()["results"] == []
    assert CaseEntry.objects.filter(case=case, agency=customs).count() == 1


def test_an_officer_without_the_supervisor_role_cannot_approve_or_send_back(
    officer: Any, supervisor: Any, customs: Any, customs_supervisor: Any, case: CaseFile
) -> None:
    share = services.request_share(actor=officer, case=case, agency=customs, reason="joint")
    review = share.review
    client = api_for(officer)
    for action in ("approve", "send-back"):
        response = client.post(f"{REVIEWS}{review.pk}/{action}/", {"comment": "x"}, format="json")
        assert response.status_code == 403, action
        assert response.json()["detail"]
    assert client.get(REVIEWS).json()["results"] == []
    # The partner agency's supervisor does not see the review at all.
    other = api_for(customs_supervisor)
    assert other.post(f"{REVIEWS}{review.pk}/approve/", format="json").status_code == 404
    assert other.get(REVIEWS).json()["results"] == []
    assert Review.objects.get(pk=review.pk).state == Review.State.PENDING
    assert CaseShare.objects.get(pk=share.pk).state == CaseShare.State.PENDING


def test_a_change_of_state_waits_for_a_supervisor_who_may_send_it_back(
    officer: Any, supervisor: Any, case: CaseFile
) -> None:
    client = api_for(officer)
    moved = client.post(case_url(case, "state/"), {"state": "investigation"}, format="json")
    assert moved.status_code == 200, moved.content
    assert moved.json()["state"] == "investigation"

    unsaid = client.post(case_url(case, "state/"), {"state": "closed"}, format="json")
    assert unsaid.status_code == 400
    assert list(unsaid.json()["errors"]) == ["outcome"]

    proposed = client.post(
        case_url(case, "state/"), {"state": "closed", "outcome": "2 kg, arrest"}, format="json"
    )
    assert proposed.status_code == 202, proposed.content
    review = proposed.json()
    assert (review["kind"], review["proposed_state"], review["state"]) == (
        "state",
        "closed",
        "pending",
    )
    assert client.get(case_url(case)).json()["state"] == "investigation"

    boss = api_for(supervisor)
    silent = boss.post(f"{REVIEWS}{review['id']}/send-back/", {}, format="json")
    assert silent.status_code == 400
    assert list(silent.json()["errors"]) == ["comment"]
    sent_back = boss.post(
        f"{REVIEWS}{review['id']}/send-back/", {"comment": "lab report missing"}, format="json"
    )
    assert sent_back.status_code == 200
    assert sent_back.json()["state"] == "sent_back"
    again = boss.post(f"{REVIEWS}{review['id']}/approve/", format="json")
    assert again.status_code == 400
    assert list(again.json()["errors"]) == ["review"]

    # A supervisor's own change needs no review.
    closed = boss.post(case_url(case, "state/"), {"state": "closed", "outcome": "x"}, format="json")
    assert closed.status_code == 200
    assert (closed.json()["state"], closed.json()["closed_at"] is not None) == ("closed", True)


# --- Entries, seizures, subjects ------------------------------------------------------------


def test_entries_are_the_timeline_with_each_authors_agency(officer: Any, case: CaseFile) -> None:
    client = api_for(officer)
    written = client.post(case_url(case, "entries/"), {"text": "Bag opened"}, format="json")
    assert written.status_code == 201
    entry = written.json()
    assert entry == {
        "id": entry["id"],
        "kind": "note",
        "text": "Bag opened",
        "author": {"id": officer.pk, "name": officer.get_full_name()},
        "agency": "TG-POL",
        "created_at": entry["created_at"],
    }
    timeline = client.get(case_url(case, "entries/")).json()["results"]
    assert [e["kind"] for e in timeline] == ["state", "note"]
    for body, field in (({"text": " "}, "text"), ({"text": "x", "kind": "decision"}, "kind")):
        refused = client.post(case_url(case, "entries/"), body, format="json")
        assert refused.status_code == 400
        assert list(refused.json()["errors"]) == [field]
    assert case.entries.count() == 2


def test_a_seizure_is_recorded_and_listed(officer: Any, flight: Any, case: CaseFile) -> None:
    body = {
        "commodity": "cocaine",
        "quantity": "2.5",
        "unit": "kg",
        "seized_on": date.today().isoformat(),
        "concealment": "luggage",
        "description": "False bottom",
        "flight": flight.pk,
    }
    response = api_for(officer).post(case_url(case, "seizures/"), body, format="json")
    assert response.status_code == 201, response.content
    seizure = response.json()
    assert (seizure["commodity"], seizure["quantity"], seizure["unit"]) == (
        "cocaine",
        "2.500",
        "kg",
    )
    assert (seizure["label"], seizure["flight"], seizure["agency"]) == (
        "2.5 kg",
        flight.pk,
        "TG-POL",
    )
    money = dict(body, commodity="currency", quantity=12000, unit="amount", currency="eur")
    response = api_for(officer).post(case_url(case, "seizures/"), money, format="json")
    assert response.status_code == 201, response.content
    assert (response.json()["currency"], response.json()["label"]) == ("EUR", "12,000 EUR")
    listed = api_for(officer).get(case_url(case, "seizures/")).json()["results"]
    assert [s["id"] for s in listed] == [seizure["id"], response.json()["id"]]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": "-2"}, "quantity"),
        ({"quantity": "two"}, "quantity"),
        ({"unit": "amount", "commodity": "currency"}, "currency"),
        ({"commodity": "gold"}, "commodity"),
        ({"seized_on": "2099-01-01"}, "seized_on"),
    ],
)
def test_a_bad_seizure_is_refused_naming_the_field(
    officer: Any, case: CaseFile, change: dict[str, Any], field: str
) -> None:
    body = {"commodity": "cocaine", "quantity": "2", "unit": "kg", "seized_on": str(date.today())}
    response = api_for(officer).post(case_url(case, "seizures/"), {**body, **change}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field], response.json()
    assert response.json()["errors"][field][0]
    assert not Seizure.objects.exists()


def test_a_seizure_names_a_flight_of_the_task_force_only(
    officer: Any, stranger: Any, case: CaseFile
) -> None:
    theirs: Any = FlightFactory(task_force=stranger.agency.task_force)
    body = {
        "commodity": "cocaine",
        "quantity": "2",
        "unit": "kg",
        "seized_on": str(date.today()),
        "flight": theirs.pk,
    }
    response = api_for(officer).post(case_url(case, "seizures/"), body, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["flight"]
    assert not Seizure.objects.exists()


def test_subjects_are_added_by_hand_or_from_a_traveller_and_their_fate_recorded(
    officer: Any, customs: Any, customs_officer: Any, supervisor: Any, traveller: Any, case: Any
) -> None:
    client = api_for(officer)
    by_hand = client.post(
        case_url(case, "subjects/"),
        {"surname": "ADJO", "nationality": "GHA", "role": "courier"},
        format="json",
    )
    assert by_hand.status_code == 201, by_hand.content
    assert (by_hand.json()["surname"], by_hand.json()["role"]) == ("ADJO", "courier")
    known = client.post(case_url(case, "subjects/"), {"traveller": traveller.pk}, format="json")
    assert known.status_code == 201, known.content
    assert (known.json()["traveller"], known.json()["surname"]) == (traveller.pk, "KOFFI")

    subject_url = case_url(case, f"subjects/{known.json()['id']}/")
    changed = client.patch(
        subject_url, {"is_arrested": True, "is_trafficking_victim": True}, format="json"
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["is_arrested"], changed.json()["is_trafficking_victim"]) == (True, True)
    renamed = client.patch(subject_url, {"surname": "OTHER"}, format="json")
    assert renamed.status_code == 400
    assert list(renamed.json()["errors"]) == ["surname"]
    nameless = client.post(case_url(case, "subjects/"), {"role": "victim"}, format="json")
    assert nameless.status_code == 400
    assert list(nameless.json()["errors"]) == ["surname"]

    listed = client.get(case_url(case, "subjects/")).json()["results"]
    assert [s["surname"] for s in listed] == ["ADJO", "KOFFI"]
    assert listed[1]["is_arrested"] is True

    share_with(case, customs, supervisor)
    partner = api_for(customs_officer)
    assert partner.patch(subject_url, {"is_arrested": False}, format="json").status_code == 403
    assert partner.post(case_url(case, "subjects/"), {"surname": "X"}).status_code == 403


# --- Attachments ----------------------------------------------------------------------------


def test_an_attachment_is_stored_listed_and_served_to_those_who_see_the_case(
    officer: Any,
    supervisor: Any,
    customs: Any,
    customs_officer: Any,
    media_root: Path,
    case: CaseFile,
) -> None:
    client = api_for(officer)
    sent = client.post(
        case_url(case, "attachments/"),
        {"file": upload("bag.png", png()), "description": "The suitcase, opened"},
        format="multipart",
    )
    assert sent.status_code == 201, sent.content
    attachment = sent.json()
    content_url = case_url(case, f"attachments/{attachment['id']}/content/")
    assert attachment == {
        "id": attachment["id"],
        "name": "bag.png",
        "description": "The suitcase, opened",
        "content_type": "image/png",
        "size": len(png()),
        "sha256": attachment["sha256"],
        "agency": "TG-POL",
        "uploaded_by": {"id": officer.pk, "name": officer.get_full_name()},
        "uploaded_at": attachment["uploaded_at"],
        "content_url": content_url,
    }
    assert client.get(case_url(case, "attachments/")).json()["results"] == [attachment]

    served: Any = client.get(content_url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == png()
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Cache-Control"] == "private, no-store"
    assert "sandbox" in served["Content-Security-Policy"]
    assert served["Content-Disposition"] == 'attachment; filename="bag.png"'
    assert AuditEvent.objects.filter(action="view", reason="attachment").count() == 1

    partner = api_for(customs_officer)
    assert partner.get(content_url).status_code == 404
    assert partner.get(case_url(case, "attachments/")).status_code == 404
    share_with(case, customs, supervisor)
    assert partner.get(content_url).status_code == 200
    theirs = partner.post(
        case_url(case, "attachments/"), {"file": upload("scan.png", png())}, format="multipart"
    )
    assert theirs.status_code == 201
    assert theirs.json()["agency"] == "TG-CUS"
    # An attachment is reached through its own case only.
    other = open_case(officer)
    assert client.get(case_url(other, f"attachments/{attachment['id']}/content/")).status_code == (
        404
    )


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("photo.png", b"PK\x03\x04" + b"\x00" * 60, "attach JPEG, PNG, WebP, TIFF or PDF"),
        ("notes.txt", b"just some words", "cannot be recognised"),
        ("photo.jpg", png(), "is named .jpg but is a PNG file"),
    ],
)
def test_an_attachment_of_the_wrong_type_is_refused_and_nothing_stored(
    officer: Any, media_root: Path, case: CaseFile, name: str, content: bytes, says: str
) -> None:
    response = api_for(officer).post(
        case_url(case, "attachments/"), {"file": upload(name, content)}, format="multipart"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["file"]
    assert says in errors["file"][0]
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []
    assert not case.entries.filter(kind=CaseEntry.Kind.ATTACHMENT).exists()


def test_an_attachment_over_the_limit_or_missing_is_refused(
    officer: Any, settings: Any, media_root: Path, case: CaseFile
) -> None:
    settings.CASE_ATTACHMENT_MAX_BYTES = 40
    client = api_for(officer)
    large = client.post(
        case_url(case, "attachments/"), {"file": upload("bag.png", png())}, format="multipart"
    )
    assert large.status_code == 400
    assert "attach files of up to" in large.json()["errors"]["file"][0]
    missing = client.post(case_url(case, "attachments/"), {"description": "x"}, format="multipart")
    assert missing.status_code == 400
    assert list(missing.json()["errors"]) == ["file"]
    assert not Attachment.objects.exists()
    assert stored_files(media_root) == []


def test_the_export_is_the_case_document_and_is_audited(officer: Any, case: CaseFile) -> None:
    response = api_for(officer).get(case_url(case, "export/"))
    assert response.status_code == 200
    document = response.json()
    assert (document["format"], document["number"]) == ("aircop-case/1", case.number)
    assert "id" not in document and "can_change" not in document
    assert response["Content-Disposition"] == f'attachment; filename="{case.number}.json"'
    event = AuditEvent.objects.get(action="export")
    assert (event.object_id, event.details) == (str(case.pk), {"kind": "json"})


def test_reads_of_a_case_are_audited(officer: Any, case: CaseFile) -> None:
    client = api_for(officer)
    for rest in ("", "subjects/", "entries/"):
        client.get(case_url(case, rest))
    reasons = AuditEvent.objects.filter(action="view", object_id=str(case.pk))
    assert sorted(reasons.values_list("reason", flat=True)) == [
        "API case",
        "API entries",
        "API subjects",
    ]


# --- Authentication -------------------------------------------------------------------------


def test_a_personal_token_reads_and_writes_without_csrf(officer: Any, case: CaseFile) -> None:
    _token, key = create_personal_token(person=officer, name="script")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert [row["id"] for row in client.get(CASES).json()["results"]] == [case.pk]
    response = client.post(case_url(case, "entries/"), {"text": "From a script"}, format="json")
    assert response.status_code == 201
    assert APIClient().get(case_url(case)).status_code in (401, 403)


def test_a_session_writes_only_with_its_csrf_token(officer: Any, case: CaseFile) -> None:
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(officer)
    url = case_url(case, "entries/")
    assert client.post(url, {"text": "x"}, format="json").status_code == 403
    secret = "s" * 32
    client.cookies["csrftoken"] = secret
    assert (
        client.post(url, {"text": "x"}, format="json", HTTP_X_CSRFTOKEN=secret).status_code == 201
    )
