"""A few demo decisions at Lomé, so the queue shows every state an officer will meet."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from agencies.models import Agency, Person
from targeting.manifests.models import Traveller
from targeting.triage import services
from targeting.triage.models import Decision, Outcome


@transaction.atomic
def load_triage_demo(*, day: date) -> int:
    """Assign, refer and clear one flagged traveller each, once; returns decisions made."""
    if Decision.objects.filter(agency__task_force__code="TG-LFW").exists():
        return 0
    officer = Person.objects.get(username="officer")
    supervisor = Person.objects.get(username="supervisor")
    customs = Agency.objects.get(code="TG-CUS")
    flagged = list(
        Traveller.objects.filter(
            flight__task_force__code="TG-LFW",
            flight__departure_date=day,
            hits__source="rule",
            cancelled_at__isnull=True,
        )
        .select_related("flight")
        .distinct()
        .order_by("flight__scheduled_departure", "-risk_score", "pk")[:3]
    )
    made = 0
    if len(flagged) > 0:
        services.assign_traveller(
            actor=officer, traveller=flagged[0], assignee=officer, version=0, reason="I take it"
        )
        made += 1
    if len(flagged) > 1:
        services.refer_traveller(
            actor=officer,
            traveller=flagged[1],
            agency=customs,
            version=0,
            reason="Heavy checked bags on a cash one-way ticket: customs control",
        )
        made += 1
    if len(flagged) > 2:
        services.record_outcome(
            actor=supervisor,
            traveller=flagged[2],
            outcome=Outcome.CLEARED,
            version=0,
            reason="Known frequent business traveller, documents in order",
        )
        made += 1
    return made
