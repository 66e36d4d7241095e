"""Need-to-know for exchanges: the task force's, then narrowed by the handling code.

Liaison officers read every exchange of their task force. Others read TLP:AMBER, GREEN and
CLEAR ones; TLP:AMBER+STRICT only when the exchange concerns their own agency; TLP:RED never.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from agencies.selectors import is_agency_member
from liaison.models import Counterpart, Exchange, Handling, Message

LIAISON_ROLE = "liaison_officer"


def is_liaison_officer(user: Any) -> bool:
    return is_agency_member(user) and user.has_role(LIAISON_ROLE)


def exchanges_visible_to(user: Any) -> QuerySet[Exchange]:
    if not is_agency_member(user):
        return Exchange.objects.none()
    exchanges = Exchange.objects.filter(task_force_id=user.agency.task_force_id).select_related(
        "counterpart", "agency"
    )
    if is_liaison_officer(user):
        return exchanges
    return exchanges.filter(
        Q(handling__in=[Handling.AMBER, Handling.GREEN, Handling.CLEAR])
        | Q(handling=Handling.AMBER_STRICT, agency_id=user.agency_id)
    )


def counterparts_for(user: Any) -> QuerySet[Counterpart]:
    """The counterparts a liaison officer may write to: their task force's active ones."""
    if not is_liaison_officer(user):
        return Counterpart.objects.none()
    return Counterpart.objects.filter(task_force_id=user.agency.task_force_id, is_active=True)


def overdue(exchanges: QuerySet[Exchange]) -> QuerySet[Exchange]:
    """Waiting for an answer past their deadline."""
    return exchanges.filter(
        deadline__lt=timezone.now(),
        state__in=[Exchange.State.SENT, Exchange.State.DELIVERED],
    )


def outbox(counterpart: Counterpart | None = None) -> QuerySet[Message]:
    """Messages not yet taken by their channel, oldest first."""
    messages = Message.objects.filter(
        direction=Exchange.Direction.OUTBOUND, state=Message.State.QUEUED
    ).select_related("exchange__counterpart")
    if counterpart is not None:
        messages = messages.filter(exchange__counterpart=counterpart)
    return messages.order_by("created_at", "pk")
