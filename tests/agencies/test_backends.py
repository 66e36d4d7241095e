from __future__ import annotations

from typing import Any

from agencies.backends import PersonBackend


def test_the_signed_in_person_comes_with_agency_task_force_and_roles(
    officer: Any, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(2):  # the person with agency and task force; the roles
        person = PersonBackend().get_user(officer.pk)
    with django_assert_num_queries(0):
        assert person is not None
        assert person.agency.task_force.code == "TG-LFW"
        assert person.has_role("officer")


def test_an_inactive_person_is_not_signed_in(officer: Any) -> None:
    officer.is_active = False
    officer.save()
    assert PersonBackend().get_user(officer.pk) is None
