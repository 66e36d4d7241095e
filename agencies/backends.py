"""Sign-in backend: Django's, loading a person with what every page reads about them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from agencies.models import Person


class PersonBackend(ModelBackend):
    """Loads the agency, the task force and the roles with the person, in one query and one
    prefetch: the time-zone middleware, the menus and the need-to-know selectors read them on
    every request."""

    def get_user(self, user_id: Any) -> Person | None:
        person = (
            Person._default_manager.select_related("agency__task_force")
            .prefetch_related("role_grants")
            .filter(pk=user_id)
            .first()
        )
        return person if person is not None and self.user_can_authenticate(person) else None
