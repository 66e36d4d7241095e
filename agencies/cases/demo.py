"""A demo case at Lomé: a positive control, its seizure and an arrest, and a share to approve."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction

from agencies.cases import seizures, services
from agencies.cases.models import CaseEntry, CaseFile, Commodity, Concealment, Unit
from agencies.models import Agency, Person
from targeting.manifests.models import Traveller
from targeting.rules.models import Hit
from targeting.rules.selectors import hits_visible_to
from targeting.triage import services as triage
from targeting.triage.models import Outcome

# The demo case is the one opened from the decision with this reason.
REASON = "Body scan at the arrival control: pellets swallowed, traveller taken to hospital"


def _flagged_traveller(officer: Person, day: date) -> Traveller | None:
    """A traveller of today's flights the officer sees a hit on, nothing decided on yet."""
    for source in (Hit.Source.WATCHLIST, Hit.Source.RULE):
        hits = hits_visible_to(officer).filter(
            source=source,
            traveller__flight__task_force__code="TG-LFW",
            traveller__flight__departure_date=day,
            traveller__cancelled_at__isnull=True,
            traveller__disposition__isnull=True,
        )
        traveller = (
            Traveller.objects.filter(pk__in=hits.values("traveller"))
            .select_related("flight")
            .order_by("flight__scheduled_departure", "-risk_score", "pk")
            .first()
        )
        if traveller is not None:
            return traveller
    return None


@transaction.atomic
def load_cases_demo(*, day: date) -> CaseFile | None:
    """Open the demo case once, through the services; None when it exists or no one is flagged."""
    if CaseFile.objects.filter(agency__code="TG-POL", source_decision__reason=REASON).exists():
        return None
    officer = Person.objects.get(username="officer")
    customs = Agency.objects.get(code="TG-CUS")
    traveller = _flagged_traveller(officer, day)
    if traveller is None:
        return None
    decision = triage.record_outcome(
        actor=officer,
        traveller=traveller,
        outcome=Outcome.POSITIVE,
        version=triage.current_version(traveller),
        reason=REASON,
    )
    case = services.open_case_from_decision(actor=officer, decision=decision)
    seizures.record_seizure(
        actor=officer,
        case=case,
        commodity=Commodity.COCAINE,
        quantity=Decimal("2.1"),
        unit=Unit.KG,
        concealment=Concealment.INGESTED,
        seized_on=day,
        flight=traveller.flight,
        description="87 pellets, recovered under medical supervision",
    )
    subject = case.subjects.get(traveller=traveller)
    services.update_subject(actor=officer, subject=subject, is_arrested=True)
    services.add_entry(
        actor=officer,
        case=case,
        kind=CaseEntry.Kind.NOTE,
        text="Prosecutor on duty informed; the traveller stays under guard at the hospital.",
    )
    services.request_share(
        actor=officer,
        case=case,
        agency=customs,
        reason="Customs to trace the checked bags and the ticket payment",
    )
    return case
