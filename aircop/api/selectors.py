from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from aircop.api.models import PersonalToken


def personal_tokens_of(person: Any) -> QuerySet[PersonalToken]:
    """A person sees only their own tokens."""
    if not getattr(person, "is_authenticated", False) or not hasattr(person, "api_tokens"):
        return PersonalToken.objects.none()
    return PersonalToken.objects.filter(person=person).order_by("-created")
