"""Need-to-know for case files: what django-guardian grants the person's agency, nothing else."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from guardian.shortcuts import get_objects_for_user

from agencies.cases.models import CaseFile, CaseShare, Review
from agencies.selectors import is_agency_member


def cases_visible_to(user: Any) -> QuerySet[CaseFile]:
    """Cases of the person's agency and cases shared with it. Platform admins see none."""
    if not is_agency_member(user):
        return CaseFile.objects.none()
    return get_objects_for_user(
        user,
        "cases.view_casefile",
        klass=CaseFile,
        use_groups=True,
        with_superuser=False,
        accept_global_perms=False,
    ).select_related("agency")


def can_change(user: Any, case: CaseFile) -> bool:
    """Subjects, seizures, state: the owning agency's case workers."""
    return (
        is_agency_member(user)
        and user.agency_id == case.agency_id
        and user.has_perm("cases.change_casefile", case)
        and any(user.has_role(r) for r in ("officer", "supervisor", "analyst"))
    )


def can_contribute(user: Any, case: CaseFile) -> bool:
    """Entries and attachments: the owning agency and the partners of a joint case."""
    return is_agency_member(user) and user.has_perm("cases.contribute_casefile", case)


def is_reviewer(user: Any, case: CaseFile) -> bool:
    """A supervisor of the owning agency approves its shares and changes of state."""
    return (
        is_agency_member(user) and user.agency_id == case.agency_id and user.has_role("supervisor")
    )


def reviews_visible_to(user: Any) -> QuerySet[Review]:
    """Reviews of the cases of the person's own agency, the ones its supervisors decide.

    Partners of a joint case and other agencies see none (404). A member of the agency who is
    not a supervisor sees them, so that deciding one is refused by the service (403), not hidden.
    """
    if not is_agency_member(user):
        return Review.objects.none()
    own_cases = cases_visible_to(user).filter(agency_id=user.agency_id)
    return Review.objects.filter(case__in=own_cases)


def reviews_awaiting(user: Any) -> QuerySet[Review]:
    """The supervisor's queue: pending reviews of their agency's cases."""
    if not is_agency_member(user) or not user.has_role("supervisor"):
        return Review.objects.none()
    return (
        reviews_visible_to(user)
        .filter(state=Review.State.PENDING)
        .select_related("case", "share__agency", "requested_by")
        .order_by("requested_at", "pk")
    )


def live_shares(case: CaseFile) -> QuerySet[CaseShare]:
    return case.shares.filter(
        state__in=[CaseShare.State.PENDING, CaseShare.State.ACTIVE]
    ).select_related("agency", "requested_by")
