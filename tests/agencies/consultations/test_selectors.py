"""Behind the middleware, every need-to-know selector gives an airline's staff nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from agencies import selectors as agency_selectors
from agencies.cases import selectors as case_selectors
from agencies.models import Role
from agencies.operations import selectors as operation_selectors
from agencies.training import selectors as training_selectors
from aircop.audit import selectors as audit_selectors
from aircop.results.selectors import can_see_results
from liaison import selectors as liaison_selectors
from targeting.ingestion import selectors as ingestion_selectors
from targeting.manifests import selectors as manifest_selectors
from targeting.rules import selectors as rule_selectors
from tests.agencies.consultations.factories import AirlineStaffFactory
from tests.agencies.factories import PersonFactory

pytestmark = pytest.mark.django_db

SELECTORS: list[Callable[[Any], Any]] = [
    agency_selectors.task_forces_visible_to,
    agency_selectors.agencies_visible_to,
    agency_selectors.airports_visible_to,
    agency_selectors.people_visible_to,
    agency_selectors.invitations_visible_to,
    agency_selectors.data_providers_visible_to,
    case_selectors.cases_visible_to,
    case_selectors.reviews_visible_to,
    training_selectors.trainings_visible_to,
    operation_selectors.operations_visible_to,
    audit_selectors.audit_events_visible_to,
    rule_selectors.watchlists_visible_to,
    rule_selectors.entries_visible_to,
    rule_selectors.rules_visible_to,
    rule_selectors.hits_visible_to,
    ingestion_selectors.messages_visible_to,
    manifest_selectors.flights_visible_to,
    manifest_selectors.travellers_visible_to,
    manifest_selectors.reservations_visible_to,
    liaison_selectors.exchanges_visible_to,
]


@pytest.mark.parametrize("selector", SELECTORS, ids=lambda s: s.__name__)
def test_selector_gives_airline_staff_nothing(selector: Callable[[Any], Any]) -> None:
    PersonFactory(roles=[Role.SUPERVISOR, Role.AGENCY_ADMIN])  # a task force with data
    staff = AirlineStaffFactory()
    assert not selector(staff).exists()


def test_airline_staff_are_no_platform_admin_and_see_no_results() -> None:
    staff = AirlineStaffFactory()
    assert not agency_selectors.is_platform_admin(staff)
    assert not staff.is_platform_admin
    assert not can_see_results(staff)
