"""Triage decisions: assign, refer, record the outcome. Each one is a Decision, audited.

Every decision names the disposition version it was made on. If someone else decided in
between, the decision is refused with `DecisionConflict`, which says what changed: the second
officer reviews and decides again, and nothing either of them decided is lost.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Agency, Person
from aircop.audit.services import Action, record_event
from targeting.manifests.models import Traveller
from targeting.rules.selectors import hits_visible_to
from targeting.triage.models import Decision, Disposition, Outcome, State

DECIDING_ROLES = ("officer", "supervisor")
REASON_MAX = 300


class DecisionConflict(Exception):
    """Someone decided on this traveller after the version the decision was made on."""

    def __init__(self, latest: Decision | None, version: int) -> None:
        self.latest = latest
        self.version = version
        if latest is None:
            message = _("Someone else changed this traveller's triage meanwhile.")
        else:
            message = _(
                "%(who)s (%(agency)s) already decided meanwhile: %(what)s. Your decision was "
                "not saved; review it and decide again."
            ) % {
                "who": latest.decided_by.get_full_name() or latest.decided_by.get_username(),
                "agency": latest.agency.code,
                "what": describe(latest),
            }
        super().__init__(message)


def describe(decision: Decision) -> str:
    """One line for a decision, as the history and the conflict message show it."""
    return decision.summary


def can_decide(person: Any) -> bool:
    return bool(getattr(person, "agency_id", None)) and any(
        person.has_role(role) for role in DECIDING_ROLES
    )


def _check(actor: Person, traveller: Traveller, reason: str, *, reason_required: bool) -> str:
    if not can_decide(actor):
        raise PermissionDenied(_("Only officers and supervisors record triage decisions."))
    if traveller.flight.task_force_id != actor.agency.task_force_id:
        raise PermissionDenied(_("This traveller is not on a flight of your task force."))
    reason = (reason or "").strip()
    if reason_required and not reason:
        raise ValidationError({"reason": _("Say in a few words why.")})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("Keep the reason under %(n)d characters.") % {"n": REASON_MAX}}
        )
    return reason


def _disposition(traveller: Traveller) -> Disposition:
    try:
        with transaction.atomic():
            disposition, _created = Disposition.objects.get_or_create(traveller=traveller)
    except IntegrityError:  # created by a concurrent decision between our get and create
        disposition = Disposition.objects.get(traveller=traveller)
    return disposition


def _decide(
    *,
    actor: Person,
    traveller: Traveller,
    version: int,
    kind: str,
    reason: str,
    changes: dict[str, Any],
    decision_fields: dict[str, Any],
) -> Decision:
    disposition = _disposition(traveller)
    # update() skips auto_now: set updated_at by hand, or open queues never see the change.
    moved = Disposition.objects.filter(pk=disposition.pk, version=version).update(
        version=F("version") + 1, updated_at=timezone.now(), **changes
    )
    if not moved:
        latest = disposition.decisions.select_related("decided_by", "agency").last()
        raise DecisionConflict(latest, version)
    decision = Decision.objects.create(
        disposition=disposition,
        kind=kind,
        reason=reason,
        decided_by=actor,
        agency_id=actor.agency_id,
        **decision_fields,
    )
    if kind == Decision.Kind.OUTCOME:
        decision.settled_hits.set(hits_visible_to(actor).filter(traveller=traveller))
    record_event(
        action=Action.DECIDE,
        actor=actor,
        obj=traveller,
        reason=reason,
        details={
            "decision": decision.pk,
            "kind": kind,
            "outcome": decision.outcome,
            "assignee": decision.assignee_id,
            "referred_to": decision.referred_to_id,
            "version": version + 1,
        },
    )
    return decision


@transaction.atomic
def assign_traveller(
    *, actor: Person, traveller: Traveller, assignee: Person, version: int, reason: str = ""
) -> Decision:
    """Give the traveller to an officer of the task force (oneself or a colleague)."""
    reason = _check(actor, traveller, reason, reason_required=False)
    if (
        not assignee.is_active
        or assignee.agency_id is None
        or assignee.agency.task_force_id != actor.agency.task_force_id
        or not can_decide(assignee)
    ):
        raise ValidationError({"assignee": _("Choose an officer of your task force.")})
    return _decide(
        actor=actor,
        traveller=traveller,
        version=version,
        kind=Decision.Kind.ASSIGN,
        reason=reason,
        changes={"state": State.ASSIGNED, "assigned_to": assignee, "outcome": ""},
        decision_fields={"assignee": assignee},
    )


@transaction.atomic
def refer_traveller(
    *, actor: Person, traveller: Traveller, agency: Agency, version: int, reason: str
) -> Decision:
    """Hand the traveller to another agency of the task force; its officers see them queued."""
    reason = _check(actor, traveller, reason, reason_required=True)
    if agency.task_force_id != actor.agency.task_force_id:
        raise ValidationError({"agency": _("Choose an agency of your task force.")})
    if agency.pk == actor.agency_id:
        raise ValidationError({"agency": _("Refer to another agency than your own.")})
    return _decide(
        actor=actor,
        traveller=traveller,
        version=version,
        kind=Decision.Kind.REFER,
        reason=reason,
        changes={
            "state": State.REFERRED,
            "referred_to": agency,
            "assigned_to": None,
            "outcome": "",
        },
        decision_fields={"referred_to": agency},
    )


@transaction.atomic
def record_outcome(
    *, actor: Person, traveller: Traveller, outcome: str, version: int, reason: str
) -> Decision:
    """Close the traveller for the hits the actor can see: cleared, controlled, not found."""
    reason = _check(actor, traveller, reason, reason_required=True)
    if outcome not in Outcome.values:
        raise ValidationError(
            {"outcome": _("Choose one of: %(choices)s.") % {"choices": ", ".join(Outcome.values)}}
        )
    return _decide(
        actor=actor,
        traveller=traveller,
        version=version,
        kind=Decision.Kind.OUTCOME,
        reason=reason,
        changes={"state": State.DECIDED, "outcome": outcome},
        decision_fields={"outcome": outcome},
    )


def current_version(traveller: Traveller) -> int:
    """The version a decision on this traveller must name (0 before any decision)."""
    return (
        Disposition.objects.filter(traveller=traveller).values_list("version", flat=True).first()
        or 0
    )
