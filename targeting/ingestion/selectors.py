"""Need-to-know for received messages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Coalesce, TruncMonth

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


def data_quality_by_airline(user: Any, since: datetime, until: datetime) -> list[dict[str, Any]]:
    """Per airline and month: messages received, rejected, late, duplicates and findings.

    The airline is the data provider that pushed the message, else the interchange sender.
    """
    rows = (
        messages_visible_to(user)
        .filter(received_at__gte=since, received_at__lt=until)
        .annotate(
            airline=Coalesce("provider__code", "sender", Value("?")),
            month=TruncMonth("received_at"),
        )
        .values("airline", "month")
        .annotate(
            messages=Count("id", distinct=True),
            rejected=Count("id", filter=Q(state=InboundMessage.State.REJECTED), distinct=True),
            duplicates=Count("id", filter=Q(state=InboundMessage.State.DUPLICATE), distinct=True),
            late=Count("id", filter=Q(is_late=True), distinct=True),
            errors=Count("findings", filter=Q(findings__severity="error")),
            warnings=Count("findings", filter=Q(findings__severity="warning")),
        )
        .order_by("airline", "-month")
    )
    return list(rows)
