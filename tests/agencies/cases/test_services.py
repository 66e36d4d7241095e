from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agencies.cases import selectors, services
from agencies.cases.models import CaseEntry, CaseFile, CaseShare, Review
from agencies.models import Role
from aircop.audit.models import AuditEvent
from targeting.triage import services as triage
from targeting.triage.models import Outcome
from tests.agencies.cases.factories import open_case
from tests.agencies.factories import PersonFactory
from tests.targeting.factories import FlightFactory, TravellerFactory


@pytest.fixture
def customs_officer(customs: Any) -> Any:
    return PersonFactory(username="customs-officer", agency=customs, roles=[Role.OFFICER])


@pytest.fixture
def customs_supervisor(customs: Any) -> Any:
    return PersonFactory(username="customs-supervisor", agency=customs, roles=[Role.SUPERVISOR])


def visible(person: Any) -> list[int]:
    return list(selectors.cases_visible_to(person).values_list("pk", flat=True))


def test_cases_are_numbered_per_agency_and_year(
    officer: Any, customs_officer: Any, supervisor: Any
) -> None:
    first = open_case(officer)
    second = open_case(supervisor)
    other = open_case(customs_officer)
    year = first.year
    assert [first.number, second.number, other.number] == [
        f"TG-POL-{year}-0001",
        f"TG-POL-{year}-0002",
        f"TG-CUS-{year}-0001",
    ]
    assert first.entries.get().kind == CaseEntry.Kind.STATE
    assert AuditEvent.objects.filter(action="create", object_id=str(first.pk)).exists()


def test_a_case_is_its_agencys_alone_until_shared(
    officer: Any, customs_officer: Any, other_agency: Any, platform_admin: Any
) -> None:
    case = open_case(officer)
    assert visible(officer) == [case.pk]
    assert visible(customs_officer) == []
    assert visible(PersonFactory(agency=other_agency, roles=[Role.OFFICER])) == []
    assert visible(platform_admin) == []  # superusers see no case either


def test_share_needs_a_supervisor_then_partner_sees_and_writes_until_unshared(
    officer: Any, supervisor: Any, customs: Any, customs_officer: Any, customs_supervisor: Any
) -> None:
    case = open_case(officer)
    share = services.request_share(actor=officer, case=case, agency=customs, reason="joint control")
    assert share.state == CaseShare.State.PENDING
    assert visible(customs_officer) == []
    review = share.review
    # Neither the requesting officer nor the partner's supervisor may approve.
    for person in (officer, customs_supervisor):
        with pytest.raises(PermissionDenied):
            services.approve(actor=person, review=review)
    assert list(selectors.reviews_awaiting(supervisor)) == [review]
    assert list(selectors.reviews_awaiting(customs_supervisor)) == []
    services.approve(actor=supervisor, review=review, comment="ok")
    assert visible(customs_officer) == [case.pk]
    entry = services.add_entry(actor=customs_officer, case=case, text="Bag x-rayed")
    assert entry.agency == customs
    # A partner writes entries but does not change the case itself.
    assert not selectors.can_change(customs_officer, case)
    with pytest.raises(PermissionDenied):
        services.change_state(actor=customs_officer, case=case, state="investigation")

    services.unshare(actor=supervisor, share=CaseShare.objects.get(pk=share.pk), reason="done")
    assert visible(customs_officer) == []
    with pytest.raises(PermissionDenied):
        services.add_entry(actor=customs_officer, case=case, text="late")


def test_a_person_who_changes_agency_changes_what_they_see(officer: Any, customs: Any) -> None:
    case = open_case(officer)
    officer.agency = customs
    officer.save()
    assert case.pk not in visible(officer)


def test_supervisors_request_is_approved_at_once(
    supervisor: Any, customs: Any, customs_officer: Any
) -> None:
    case = open_case(supervisor)
    share = services.request_share(actor=supervisor, case=case, agency=customs, reason="joint")
    assert share.state == CaseShare.State.ACTIVE
    assert visible(customs_officer) == [case.pk]


def test_closing_waits_for_a_supervisor_and_can_be_sent_back(officer: Any, supervisor: Any) -> None:
    case = open_case(officer)
    services.change_state(actor=officer, case=case, state="investigation")
    case.refresh_from_db()
    assert case.state == CaseFile.State.INVESTIGATION
    with pytest.raises(ValidationError) as error:
        services.change_state(actor=officer, case=case, state="closed")
    assert "outcome" in error.value.message_dict
    review = services.change_state(actor=officer, case=case, state="closed", outcome="2 kg, arrest")
    case.refresh_from_db()
    assert review is not None and case.state == CaseFile.State.INVESTIGATION
    with pytest.raises(ValidationError):
        services.send_back(actor=supervisor, review=review, comment="")
    services.send_back(actor=supervisor, review=review, comment="lab report missing")
    assert Review.objects.get(pk=review.pk).state == Review.State.SENT_BACK
    review = services.change_state(actor=officer, case=case, state="closed", outcome="2 kg, arrest")
    services.approve(actor=supervisor, review=review)
    case.refresh_from_db()
    assert (case.state, case.outcome) == (CaseFile.State.CLOSED, "2 kg, arrest")
    assert case.closed_at is not None


def test_positive_control_opens_a_case_with_traveller_and_flight(
    officer: Any, task_force: Any
) -> None:
    flight = FlightFactory(task_force=task_force)
    traveller = TravellerFactory(flight=flight, surname="KOFFI", documents=[("TG123", "TGO")])
    decision = triage.record_outcome(
        actor=officer, traveller=traveller, outcome=Outcome.POSITIVE, version=0, reason="2 kg"
    )
    case = services.open_case_from_decision(actor=officer, decision=decision)
    assert list(case.flights.all()) == [flight]
    subject = case.subjects.get()
    assert (subject.traveller, subject.surname, subject.document_number) == (
        traveller,
        "KOFFI",
        "TG123",
    )
    assert "KOFFI" in case.title and case.source_decision == decision


def test_cases_cannot_name_another_task_forces_traveller(officer: Any) -> None:
    stranger = TravellerFactory(flight=FlightFactory())
    with pytest.raises(ValidationError):
        open_case(officer, travellers=[stranger])
    assert not CaseFile.objects.exists()


def test_share_stays_inside_the_task_force(officer: Any, other_agency: Any, police: Any) -> None:
    case = open_case(officer)
    for agency in (other_agency, police):
        with pytest.raises(ValidationError):
            services.request_share(actor=officer, case=case, agency=agency, reason="x")


def test_only_a_positive_control_opens_a_case_from_a_decision(
    officer: Any, task_force: Any
) -> None:
    traveller = TravellerFactory(flight=FlightFactory(task_force=task_force))
    decision = triage.record_outcome(
        actor=officer, traveller=traveller, outcome=Outcome.CLEARED, version=0, reason="ok"
    )
    with pytest.raises(ValidationError) as error:
        services.open_case_from_decision(actor=officer, decision=decision)
    assert "decision" in error.value.message_dict
    assert not CaseFile.objects.exists()
