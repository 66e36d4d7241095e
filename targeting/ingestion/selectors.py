"""Need-to-know for received messages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from aircop.api.authentication import ProviderPrincipal
from targeting.ingestion.models import InboundMessage


def messages_visible_to(user: Any) -> QuerySet[InboundMessage]:
    """A provider sees what it sent; a person, the messages received for their task force."""
    qs = InboundMessage.objects.select_related("provider", "task_force").defer("body")
    if isinstance(user, ProviderPrincipal):
        return qs.filter(provider=user.provider)
    if getattr(user, "is_authenticated", False) and getattr(user, "agency_id", None):
        return qs.filter(task_force_id=user.agency.task_force_id)
    return qs.none()
