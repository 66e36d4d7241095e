"""What the case pages share: who may use them, the case the person sees, and the case page.

`views`, `actions` and `reviews` all build on these; a refused action renders the case page
again through `render_case`, with its form showing the errors in place.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from agencies.cases import seizures, selectors
from agencies.cases.forms import (
    AttachmentForm,
    EntryForm,
    SeizureForm,
    ShareForm,
    StateForm,
    SubjectForm,
    SubjectUpdateForm,
    UnshareForm,
)
from agencies.cases.models import CaseFile, CaseShare, Review
from agencies.models import Agency
from agencies.selectors import is_agency_member
from aircop.audit.services import Action, record_event


def is_supervisor(user: Any) -> bool:
    return is_agency_member(user) and user.has_role("supervisor")


def visible_case(request: HttpRequest, pk: int) -> CaseFile:
    return get_object_or_404(
        selectors.cases_visible_to(request.user).select_related(
            "agency", "opened_by", "source_decision__disposition"
        ),
        pk=pk,
    )


def case_url(case: CaseFile, anchor: str = "") -> str:
    return reverse("case-detail", args=[case.pk]) + (f"#{anchor}" if anchor else "")


def share_agencies(case: CaseFile) -> list[Agency]:
    """The other agencies of the owner's task force: a case is shared inside it only."""
    return list(
        Agency.objects.filter(task_force_id=case.agency.task_force_id)
        .exclude(pk=case.agency_id)
        .order_by("name")
    )


def case_contents(case: CaseFile) -> dict[str, Any]:
    """Everything the case holds, as the case page and the printable page show it."""
    shares = list(case.shares.select_related("agency", "requested_by").order_by("-requested_at"))
    return {
        "case": case,
        "flights": list(case.flights.order_by("departure_date", "pk")),
        "subjects": list(case.subjects.all()),
        "seizures": [
            (s, seizures.quantity_label(s))
            for s in case.seizures.select_related("flight", "agency")
        ],
        "entries": list(case.entries.select_related("author", "agency")),
        "attachments": list(case.attachments.select_related("agency", "uploaded_by")),
        "shares": shares,
        "partners": [s.agency for s in shares if s.state == CaseShare.State.ACTIVE],
        "pending_reviews": list(
            case.reviews.filter(state=Review.State.PENDING).select_related(
                "share__agency", "requested_by"
            )
        ),
    }


def render_case(
    request: HttpRequest,
    case: CaseFile,
    bound: dict[str, forms.BaseForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The case page, with a refused form (`bound`) showing its errors in place."""
    bound = bound or {}
    user: Any = request.user
    context = case_contents(case)
    can_change = selectors.can_change(user, case)
    can_contribute = selectors.can_contribute(user, case)
    is_reviewer = selectors.is_reviewer(user, case)
    context.update(
        {
            "can_change": can_change,
            "can_contribute": can_contribute,
            "is_reviewer": is_reviewer,
            "is_owner": user.agency_id == case.agency_id,
        }
    )
    if can_contribute:
        context["entry_form"] = bound.get("entry") or EntryForm(prefix="entry")
        context["attachment_form"] = bound.get("attachment") or AttachmentForm(prefix="attachment")
    if can_change:
        context["subject_form"] = bound.get("subject") or SubjectForm(prefix="subject")
        context["seizure_form"] = bound.get("seizure") or SeizureForm(
            prefix="seizure", flights=context["flights"]
        )
        context["share_form"] = bound.get("share") or ShareForm(
            prefix="share", agencies=share_agencies(case)
        )
        context["state_form"] = bound.get("state") or StateForm(prefix="state", case=case)
    # Each subject with its form, each share with its unshare form, for those who may use them.
    context["subject_rows"] = [
        (
            s,
            (
                bound.get(f"subject-{s.pk}")
                or SubjectUpdateForm(instance=s, prefix=f"subject-{s.pk}")
            )
            if can_change
            else None,
        )
        for s in context["subjects"]
    ]
    context["share_rows"] = [
        (
            s,
            (bound.get(f"unshare-{s.pk}") or UnshareForm(prefix=f"unshare-{s.pk}"))
            if is_reviewer and s.state == CaseShare.State.ACTIVE
            else None,
        )
        for s in context["shares"]
    ]
    record_event(action=Action.VIEW, actor=user, obj=case, reason="case page")
    return render(request, "cases/case_detail.html", context, status=status)
