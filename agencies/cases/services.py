"""Case files: open, write the timeline, change state, share into joint cases, review.

Each function does the whole change: checks, the write, the timeline entry and the audit
record, in one transaction. Seizures and attachments have their own modules (seizures.py,
attachments.py) with their validation rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.cases import access, selectors
from agencies.cases.models import CaseCounter, CaseEntry, CaseFile, CaseShare, CaseSubject, Review
from agencies.models import Agency
from aircop.audit.services import Action, record_event
from targeting.manifests.models import Flight, Traveller
from targeting.manifests.selectors import flights_visible_to, travellers_visible_to

CASE_ROLES = ("officer", "supervisor", "analyst")
# States a supervisor must approve before the case moves into them.
REVIEWED_STATES = (CaseFile.State.PROSECUTION, CaseFile.State.CLOSED)


def can_open_cases(person: Any) -> bool:
    return bool(getattr(person, "agency_id", None)) and any(
        person.has_role(role) for role in CASE_ROLES
    )


def _next_number(agency: Agency, year: int) -> tuple[int, str]:
    counter, _created = CaseCounter.objects.select_for_update().get_or_create(
        agency=agency, year=year
    )
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last, f"{agency.code}-{year}-{counter.last:04d}"


def _entry(case: CaseFile, actor: Any, kind: str, text: str) -> CaseEntry:
    return CaseEntry.objects.create(
        case=case, kind=kind, text=text[:4000], author=actor, agency_id=actor.agency_id
    )


def subject_from_traveller(case: CaseFile, traveller: Traveller) -> CaseSubject:
    document = traveller.preferred_document()
    return CaseSubject(
        case=case,
        traveller=traveller,
        surname=traveller.surname,
        given_names=traveller.given_names,
        birth_date=traveller.birth_date,
        sex={"F": "F", "M": "M"}.get(traveller.sex, "X" if traveller.sex else ""),
        nationality=traveller.nationality if len(traveller.nationality) == 3 else "",
        document_number=document.number if document else "",
    )


@transaction.atomic
def open_case(
    *,
    actor: Any,
    title: str,
    summary: str = "",
    travellers: Iterable[Traveller] = (),
    flights: Iterable[Flight] = (),
    source_decision: Any = None,
) -> CaseFile:
    """Open a case owned by the actor's agency, numbered per agency and year."""
    if not can_open_cases(actor):
        raise PermissionDenied(_("Only officers, analysts and supervisors open case files."))
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Give the case a short title.")})
    travellers = list(travellers)
    flights = list(flights)
    visible_travellers = set(
        travellers_visible_to(actor)
        .filter(pk__in=[t.pk for t in travellers])
        .values_list("pk", flat=True)
    )
    if any(t.pk not in visible_travellers for t in travellers):
        raise ValidationError({"travellers": _("A traveller is not of your task force.")})
    visible_flights = set(
        flights_visible_to(actor)
        .filter(pk__in=[f.pk for f in flights])
        .values_list("pk", flat=True)
    )
    if any(f.pk not in visible_flights for f in flights):
        raise ValidationError({"flights": _("A flight is not of your task force.")})
    year = timezone.localdate().year
    sequence, number = _next_number(actor.agency, year)
    case = CaseFile(
        agency=actor.agency,
        year=year,
        sequence=sequence,
        number=number,
        title=title[:200],
        summary=summary.strip(),
        opened_by=actor,
        source_decision=source_decision,
    )
    case.full_clean()
    case.save()
    case.flights.set(flights)
    CaseSubject.objects.bulk_create(subject_from_traveller(case, t) for t in travellers)
    access.grant_owner(case)
    _entry(case, actor, CaseEntry.Kind.STATE, _("Case opened."))
    record_event(action=Action.CREATE, actor=actor, obj=case, reason=title)
    return case


def proposed_title(traveller: Traveller, *, positive: bool) -> str:
    """The title a case about this traveller starts with; the officer may change it."""
    flight = traveller.flight
    values = {
        "name": f"{traveller.surname} {traveller.given_names}".strip(),
        "flight": flight.designator,
        "date": f"{flight.departure_date:%Y-%m-%d}",
    }
    if positive:
        return _("Positive control: %(name)s on %(flight)s %(date)s") % values
    return _("Control: %(name)s on %(flight)s %(date)s") % values


@transaction.atomic
def open_case_from_decision(
    *, actor: Any, decision: Any, title: str = "", summary: str | None = None
) -> CaseFile:
    """A positive control becomes a case with its traveller and flight filled in."""
    if decision.outcome != "positive":
        raise ValidationError({"decision": _("Only a positive control opens a case this way.")})
    traveller = decision.disposition.traveller
    return open_case(
        actor=actor,
        title=title or proposed_title(traveller, positive=True),
        summary=decision.reason if summary is None else summary,
        travellers=[traveller],
        flights=[traveller.flight],
        source_decision=decision,
    )


def _require_change(actor: Any, case: CaseFile) -> None:
    if not selectors.can_change(actor, case):
        raise PermissionDenied(_("Only the owning agency's case workers change this case."))


@transaction.atomic
def add_entry(
    *, actor: Any, case: CaseFile, text: str, kind: str = CaseEntry.Kind.NOTE
) -> CaseEntry:
    if not selectors.can_contribute(actor, case):
        raise PermissionDenied(_("You may not write in this case."))
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write something.")})
    if len(text) > 4000:
        raise ValidationError({"text": _("Keep an entry under 4,000 characters.")})
    if kind not in (CaseEntry.Kind.NOTE, CaseEntry.Kind.ACTION):
        raise ValidationError({"kind": _("An entry is a note or an action.")})
    entry = _entry(case, actor, kind, text)
    record_event(
        action=Action.CHANGE, actor=actor, obj=case, reason="entry", details={"entry": entry.pk}
    )
    return entry


@transaction.atomic
def add_subject(
    *, actor: Any, case: CaseFile, traveller: Traveller | None = None, **fields: Any
) -> CaseSubject:
    """Add a traveller of our data, or a person entered by hand (surname at least)."""
    _require_change(actor, case)
    if traveller is not None:
        if not travellers_visible_to(actor).filter(pk=traveller.pk).exists():
            raise ValidationError({"traveller": _("This traveller is not of your task force.")})
        subject = subject_from_traveller(case, traveller)
        for name, value in fields.items():
            setattr(subject, name, value)
    else:
        subject = CaseSubject(case=case, **fields)
    subject.full_clean()
    subject.save()
    _entry(case, actor, CaseEntry.Kind.ACTION, _("Subject added: %(name)s") % {"name": subject})
    record_event(
        action=Action.CHANGE,
        actor=actor,
        obj=case,
        reason="subject",
        details={"subject": subject.pk},
    )
    return subject


@transaction.atomic
def update_subject(*, actor: Any, subject: CaseSubject, **fields: Any) -> CaseSubject:
    """Record what happened to a person: arrested, victim identified, fighter intercepted, role."""
    _require_change(actor, subject.case)
    allowed = {
        "role",
        "sex",
        "is_arrested",
        "is_trafficking_victim",
        "is_foreign_terrorist_fighter",
    }
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError({name: _("This cannot be changed here.") for name in unknown})
    for name, value in fields.items():
        setattr(subject, name, value)
    subject.full_clean()
    subject.save()
    record_event(
        action=Action.CHANGE,
        actor=actor,
        obj=subject.case,
        reason="subject",
        details={"subject": subject.pk, **fields},
    )
    return subject


def _apply_state(actor: Any, case: CaseFile, state: str, outcome: str) -> None:
    case.state = state
    if outcome:
        case.outcome = outcome[:300]
    case.closed_at = timezone.now() if state == CaseFile.State.CLOSED else None
    case.save(update_fields=["state", "outcome", "closed_at", "updated_at"])
    text = _("State: %(state)s.") % {"state": case.get_state_display()}
    if outcome:
        text += " " + _("Outcome: %(outcome)s") % {"outcome": outcome}
    _entry(case, actor, CaseEntry.Kind.STATE, text)


@transaction.atomic
def change_state(*, actor: Any, case: CaseFile, state: str, outcome: str = "") -> Review | None:
    """Move the case. Prosecution and closing wait for a supervisor (returns the Review)."""
    _require_change(actor, case)
    if state not in CaseFile.State.values:
        raise ValidationError({"state": _("Unknown state.")})
    if state == case.state:
        raise ValidationError({"state": _("The case is already in this state.")})
    outcome = (outcome or "").strip()
    if state == CaseFile.State.CLOSED and not outcome and not case.outcome:
        raise ValidationError({"outcome": _("Say how the case ended before closing it.")})
    if state in REVIEWED_STATES and not selectors.is_reviewer(actor, case):
        if case.reviews.filter(kind=Review.Kind.STATE, state=Review.State.PENDING).exists():
            raise ValidationError({"state": _("A change of state already awaits approval.")})
        review = Review.objects.create(
            case=case,
            kind=Review.Kind.STATE,
            proposed_state=state,
            proposed_outcome=outcome,
            requested_by=actor,
        )
        _entry(
            case,
            actor,
            CaseEntry.Kind.REVIEW,
            _("Proposed: %(state)s. Awaits a supervisor.") % {"state": CaseFile.State(state).label},
        )
        record_event(
            action=Action.CHANGE,
            actor=actor,
            obj=case,
            reason="state proposed",
            details={"state": state},
        )
        return review
    _apply_state(actor, case, state, outcome)
    record_event(
        action=Action.CHANGE, actor=actor, obj=case, reason="state", details={"state": state}
    )
    return None


@transaction.atomic
def request_share(*, actor: Any, case: CaseFile, agency: Agency, reason: str) -> CaseShare:
    """Ask to share the case with another agency; a supervisor's own request is approved at once."""
    _require_change(actor, case)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why this agency should see the case.")})
    if agency.task_force_id != case.agency.task_force_id:
        raise ValidationError({"agency": _("Choose an agency of your task force.")})
    if agency.pk == case.agency_id:
        raise ValidationError({"agency": _("The case is already your agency's.")})
    if selectors.live_shares(case).filter(agency=agency).exists():
        raise ValidationError(
            {"agency": _("The case is already shared with this agency, or awaits approval.")}
        )
    share = CaseShare.objects.create(
        case=case, agency=agency, reason=reason[:300], requested_by=actor
    )
    review = Review.objects.create(
        case=case, kind=Review.Kind.SHARE, share=share, requested_by=actor
    )
    _entry(
        case,
        actor,
        CaseEntry.Kind.SHARING,
        _("Share with %(agency)s requested: %(reason)s")
        % {"agency": agency.name, "reason": reason},
    )
    record_event(
        action=Action.CHANGE,
        actor=actor,
        obj=case,
        reason="share requested",
        details={"agency": agency.code},
    )
    if selectors.is_reviewer(actor, case):
        approve(actor=actor, review=review, comment="")
        share.refresh_from_db()
    return share


def _require_reviewer(actor: Any, review: Review) -> None:
    if not selectors.is_reviewer(actor, review.case):
        raise PermissionDenied(_("Only a supervisor of the owning agency approves this."))
    if review.state != Review.State.PENDING:
        raise ValidationError({"review": _("This was already decided.")})


@transaction.atomic
def approve(*, actor: Any, review: Review, comment: str = "") -> Review:
    review = (
        Review.objects.select_for_update(of=("self",))
        .select_related("case", "share__agency")
        .get(pk=review.pk)
    )
    _require_reviewer(actor, review)
    case = review.case
    if review.kind == Review.Kind.SHARE and review.share is not None:
        review.share.state = CaseShare.State.ACTIVE
        review.share.save(update_fields=["state", "updated_at"])
        access.grant_partner(case, review.share.agency)
        _entry(
            case,
            actor,
            CaseEntry.Kind.SHARING,
            _("Shared with %(agency)s.") % {"agency": review.share.agency.name},
        )
    else:
        _apply_state(actor, case, review.proposed_state, review.proposed_outcome)
    review.state = Review.State.APPROVED
    review.decided_by = actor
    review.decided_at = timezone.now()
    review.comment = (comment or "").strip()[:300]
    review.save()
    record_event(
        action=Action.CHANGE,
        actor=actor,
        obj=case,
        reason="approved",
        details={"review": review.pk, "kind": review.kind},
    )
    return review


@transaction.atomic
def send_back(*, actor: Any, review: Review, comment: str) -> Review:
    review = (
        Review.objects.select_for_update(of=("self",))
        .select_related("case", "share__agency")
        .get(pk=review.pk)
    )
    _require_reviewer(actor, review)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say why it goes back.")})
    if review.share is not None:
        review.share.state = CaseShare.State.SENT_BACK
        review.share.save(update_fields=["state", "updated_at"])
    review.state = Review.State.SENT_BACK
    review.decided_by = actor
    review.decided_at = timezone.now()
    review.comment = comment[:300]
    review.save()
    _entry(
        review.case,
        actor,
        CaseEntry.Kind.REVIEW,
        _("Sent back: %(comment)s") % {"comment": comment},
    )
    record_event(
        action=Action.CHANGE,
        actor=actor,
        obj=review.case,
        reason="sent back",
        details={"review": review.pk},
    )
    return review


@transaction.atomic
def unshare(*, actor: Any, share: CaseShare, reason: str) -> CaseShare:
    """Take a partner agency's access away from now on; what it saw stays in the audit trail."""
    if not selectors.is_reviewer(actor, share.case):
        raise PermissionDenied(_("Only a supervisor of the owning agency unshares a case."))
    if share.state != CaseShare.State.ACTIVE:
        raise ValidationError({"share": _("The case is not shared with this agency.")})
    share.state = CaseShare.State.REVOKED
    share.save(update_fields=["state", "updated_at"])
    access.revoke_partner(share.case, share.agency)
    _entry(
        share.case,
        actor,
        CaseEntry.Kind.SHARING,
        _("Unshared from %(agency)s: %(reason)s") % {"agency": share.agency.name, "reason": reason},
    )
    record_event(
        action=Action.CHANGE,
        actor=actor,
        obj=share.case,
        reason="unshared",
        details={"agency": share.agency.code},
    )
    return share
