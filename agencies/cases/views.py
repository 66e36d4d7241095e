"""Case pages: the list, opening a case, the case itself with its actions, print, export, reviews.

Views stay thin: a case comes from `selectors.cases_visible_to` (anything else answers 404),
each POST calls one service, and what the service refuses is shown next to the form's fields
(ValidationError) or answers 403 (PermissionDenied).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.cases import attachments, exports, seizures, selectors, services
from agencies.cases.forms import (
    AttachmentForm,
    CaseFilterForm,
    CaseForm,
    EntryForm,
    ReviewForm,
    SeizureForm,
    ShareForm,
    StateForm,
    SubjectForm,
    SubjectUpdateForm,
    UnshareForm,
)
from agencies.cases.models import CaseFile, CaseShare, CaseSubject, Review
from agencies.models import Agency
from aircop.audit.services import Action, record_event
from aircop.web.shortcuts import add_service_errors, paginate, require
from targeting.manifests.models import Traveller
from targeting.manifests.selectors import travellers_visible_to
from targeting.triage.models import Decision, Outcome

# Shown in the browser; every other type is downloaded, never rendered by it.
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})


def _is_member(user: Any) -> bool:
    """Platform admins hold no agency and see no case."""
    return bool(getattr(user, "agency_id", None))


def _is_supervisor(user: Any) -> bool:
    return _is_member(user) and user.has_role("supervisor")


def _visible_case(request: HttpRequest, pk: int) -> CaseFile:
    return get_object_or_404(
        selectors.cases_visible_to(request.user).select_related(
            "agency", "opened_by", "source_decision__disposition"
        ),
        pk=pk,
    )


def _case_url(case: CaseFile, anchor: str = "") -> str:
    return reverse("case-detail", args=[case.pk]) + (f"#{anchor}" if anchor else "")


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


# -- the list -----------------------------------------------------------------------------------


def _matching(cases: QuerySet[CaseFile], filters: dict[str, str], user: Any) -> QuerySet[CaseFile]:
    if filters["state"]:
        cases = cases.filter(state=filters["state"])
    # Narrowing what the selector allows, by whose case it is.
    if filters["mine"] == "ours":
        cases = cases.filter(agency_id=user.agency_id)
    elif filters["mine"] == "shared":
        cases = cases.exclude(agency_id=user.agency_id)
    if filters["q"]:
        text = filters["q"]
        by_subject = CaseSubject.objects.filter(case=OuterRef("pk"), surname__icontains=text)
        cases = cases.filter(
            Q(number__icontains=text) | Q(title__icontains=text) | Q(Exists(by_subject))
        )
    return cases


@require(_is_member)
def case_list(request: HttpRequest) -> HttpResponse:
    """Cases of the person's agency and those shared with it, newest first."""
    form = CaseFilterForm(request.GET or None)
    filters = form.filters()
    cases = _matching(selectors.cases_visible_to(request.user), filters, request.user)
    cases = cases.prefetch_related(
        Prefetch(
            "shares",
            queryset=CaseShare.objects.filter(state=CaseShare.State.ACTIVE).select_related(
                "agency"
            ),
            to_attr="active_shares",
        )
    )
    page = paginate(request, cases)
    return render(
        request,
        "cases/case_list.html",
        {
            "form": form,
            "page": page,
            "query": urlencode({k: v for k, v in filters.items() if v}),
            "can_open": services.can_open_cases(request.user),
        },
    )


# -- opening a case -----------------------------------------------------------------------------


def _id(value: str) -> int:
    if not value.isdigit():
        raise Http404
    return int(value)


def _positive_decision(user: Any, value: str) -> Decision:
    """A positive control of a traveller the person may see; any other id does not exist."""
    return get_object_or_404(
        Decision.objects.select_related("disposition__traveller__flight").filter(
            outcome=Outcome.POSITIVE,
            disposition__traveller__in=travellers_visible_to(user),
        ),
        pk=_id(value),
    )


@require(services.can_open_cases)
def case_create(request: HttpRequest) -> HttpResponse:
    """A case by hand, or from a positive control (`?decision=`) or a traveller (`?traveller=`)."""
    user: Any = request.user
    decision: Decision | None = None
    traveller: Traveller | None = None
    initial: dict[str, str] = {}
    if "decision" in request.GET:
        decision = _positive_decision(user, request.GET["decision"])
        traveller = decision.disposition.traveller
        initial = {
            "title": services.proposed_title(traveller, positive=True),
            "summary": decision.reason,
        }
    elif "traveller" in request.GET:
        traveller = get_object_or_404(
            travellers_visible_to(user).select_related("flight"), pk=_id(request.GET["traveller"])
        )
        initial = {"title": services.proposed_title(traveller, positive=False)}
    form = CaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if decision is not None:
                case = services.open_case_from_decision(
                    actor=user,
                    decision=decision,
                    title=form.cleaned_data["title"],
                    summary=form.cleaned_data["summary"],
                )
            else:
                case = services.open_case(
                    actor=user,
                    title=form.cleaned_data["title"],
                    summary=form.cleaned_data["summary"],
                    travellers=[traveller] if traveller else [],
                    flights=[traveller.flight] if traveller else [],
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Case %(number)s opened.") % {"number": case.number})
            return redirect(_case_url(case))
    if traveller is not None and request.method == "GET":
        record_event(action=Action.VIEW, actor=user, obj=traveller, reason="case form")
    return render(
        request,
        "cases/case_form.html",
        {
            "form": form,
            "traveller": traveller,
            "flight": traveller.flight if traveller else None,
            "decision": decision,
        },
    )


# -- the case -----------------------------------------------------------------------------------


def _share_agencies(case: CaseFile) -> list[Agency]:
    """The other agencies of the owner's task force: a case is shared inside it only."""
    return list(
        Agency.objects.filter(task_force_id=case.agency.task_force_id)
        .exclude(pk=case.agency_id)
        .order_by("name")
    )


def _contents(case: CaseFile) -> dict[str, Any]:
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


def _render_case(
    request: HttpRequest,
    case: CaseFile,
    bound: dict[str, forms.BaseForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The case page, with a refused form (`bound`) showing its errors in place."""
    bound = bound or {}
    user: Any = request.user
    context = _contents(case)
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
            prefix="share", agencies=_share_agencies(case)
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


@require(_is_member)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_case(request, _visible_case(request, pk))


def _act(
    request: HttpRequest,
    case: CaseFile,
    key: str,
    form: forms.BaseForm,
    action: Callable[[dict[str, Any]], str],
    anchor: str,
) -> HttpResponse:
    """Run one service with the form's data; a refusal shows the case again with the errors."""
    if form.is_valid():
        try:
            message = action(form.cleaned_data)
        except ValidationError as error:
            add_service_errors(cast(forms.Form, form), error)  # a ModelForm has the same API
        else:
            messages.success(request, message)
            return redirect(_case_url(case, anchor))
    messages.error(request, _("Nothing was saved: see the form below."))
    return _render_case(request, case, bound={key: form}, status=400)


@require(_is_member)
@require_POST
def add_entry(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)

    def action(data: dict[str, Any]) -> str:
        services.add_entry(actor=request.user, case=case, text=data["text"], kind=data["kind"])
        return _("Entry added.")

    return _act(request, case, "entry", EntryForm(request.POST, prefix="entry"), action, "timeline")


@require(_is_member)
@require_POST
def add_subject(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)

    def action(data: dict[str, Any]) -> str:
        subject = services.add_subject(actor=request.user, case=case, **data)
        return _("%(name)s added to the case.") % {"name": subject}

    form = SubjectForm(request.POST, prefix="subject")
    return _act(request, case, "subject", form, action, "subjects")


@require(_is_member)
@require_POST
def update_subject(request: HttpRequest, pk: int, subject_pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    subject = get_object_or_404(case.subjects, pk=subject_pk)
    key = f"subject-{subject.pk}"
    # The form is given a copy: a refused change must not show as made on the page.
    form = SubjectUpdateForm(request.POST, instance=CaseSubject(pk=subject.pk), prefix=key)

    def action(data: dict[str, Any]) -> str:
        services.update_subject(actor=request.user, subject=subject, **data)
        return _("%(name)s updated.") % {"name": subject}

    return _act(request, case, key, form, action, f"subject-{subject.pk}")


@require(_is_member)
@require_POST
def add_seizure(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    form = SeizureForm(request.POST, prefix="seizure", flights=list(case.flights.all()))

    def action(data: dict[str, Any]) -> str:
        seizure = seizures.record_seizure(actor=request.user, case=case, **data)
        return _("Seizure recorded: %(what)s.") % {"what": seizures.quantity_label(seizure)}

    return _act(request, case, "seizure", form, action, "seizures")


@require(_is_member)
@require_POST
def add_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    form = AttachmentForm(request.POST, request.FILES, prefix="attachment")

    def action(data: dict[str, Any]) -> str:
        attachment = attachments.add_attachment(
            actor=request.user, case=case, upload=data["upload"], description=data["description"]
        )
        return _("%(name)s attached.") % {"name": attachment.name}

    return _act(request, case, "attachment", form, action, "attachments")


@require(_is_member)
@require_POST
def request_share(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    form = ShareForm(request.POST, prefix="share", agencies=_share_agencies(case))

    def action(data: dict[str, Any]) -> str:
        share = services.request_share(
            actor=request.user, case=case, agency=data["agency"], reason=data["reason"]
        )
        if share.state == CaseShare.State.ACTIVE:
            return _("Shared with %(agency)s.") % {"agency": share.agency.name}
        return _("Sharing with %(agency)s awaits a supervisor of your agency.") % {
            "agency": share.agency.name
        }

    return _act(request, case, "share", form, action, "sharing")


@require(_is_member)
@require_POST
def unshare(request: HttpRequest, pk: int, share_pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    share = get_object_or_404(case.shares.select_related("agency", "case"), pk=share_pk)
    key = f"unshare-{share.pk}"

    def action(data: dict[str, Any]) -> str:
        services.unshare(actor=request.user, share=share, reason=data["reason"])
        return _("%(agency)s no longer sees the case.") % {"agency": share.agency.name}

    return _act(request, case, key, UnshareForm(request.POST, prefix=key), action, "sharing")


@require(_is_member)
@require_POST
def change_state(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    form = StateForm(request.POST, prefix="state", case=case)

    def action(data: dict[str, Any]) -> str:
        review = services.change_state(
            actor=request.user, case=case, state=data["state"], outcome=data["outcome"]
        )
        label = CaseFile.State(data["state"]).label
        if review is not None:
            return _("“%(state)s” awaits a supervisor of your agency.") % {"state": label}
        return _("The case is now %(state)s.") % {"state": label}

    return _act(request, case, "state", form, action, "state")


# -- files, print, export -----------------------------------------------------------------------


@require(_is_member)
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """The stored file, to those who see the case; the service audits the read."""
    case = _visible_case(request, pk)
    item = get_object_or_404(case.attachments, pk=attachment_pk)
    stored = attachments.read_attachment(actor=request.user, attachment=item)
    response = FileResponse(
        stored,
        content_type=item.content_type,
        as_attachment=item.content_type not in INLINE_TYPES,
        filename=item.name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Whatever the file holds, the browser runs nothing of it.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require(_is_member)
def case_print(request: HttpRequest, pk: int) -> HttpResponse:
    case = _visible_case(request, pk)
    context = _contents(case)
    exports.record_export(actor=request.user, case=case, kind="print")
    response = render(request, "cases/case_print.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@require(_is_member)
def case_export(request: HttpRequest, pk: int) -> JsonResponse:
    case = _visible_case(request, pk)
    document = exports.case_document(case)
    exports.record_export(actor=request.user, case=case, kind="json")
    response = JsonResponse(document, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="{case.number}.json"'
    response["Cache-Control"] = "private, no-store"
    return response


# -- supervisors' reviews -----------------------------------------------------------------------


@require(_is_supervisor)
def review_list(request: HttpRequest) -> HttpResponse:
    """What of the agency's cases waits for a supervisor: shares and changes of state."""
    reviews = selectors.reviews_awaiting(request.user).select_related("case__agency")
    return render(request, "cases/review_list.html", {"reviews": reviews})


def _review(request: HttpRequest, review_pk: int) -> Review:
    """A review of a case the person sees; approving it is the service's to allow (403)."""
    return get_object_or_404(
        Review.objects.filter(case__in=selectors.cases_visible_to(request.user)).select_related(
            "case", "share__agency"
        ),
        pk=review_pk,
    )


def _decide_review(
    request: HttpRequest, review_pk: int, decide: Callable[..., Review], done: str
) -> HttpResponse:
    review = _review(request, review_pk)
    form = ReviewForm(request.POST, prefix=f"review-{review.pk}")
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        decide(actor=request.user, review=review, comment=comment)
    except ValidationError as error:
        messages.error(
            request,
            _("%(number)s: %(reason)s")
            % {"number": review.case.number, "reason": " ".join(error.messages)},
        )
    else:
        messages.success(request, done % {"number": review.case.number})
    return redirect(_next_url(request, reverse("case-reviews")))


@require(_is_member)
@require_POST
def approve_review(request: HttpRequest, review_pk: int) -> HttpResponse:
    return _decide_review(request, review_pk, services.approve, _("%(number)s: approved."))


@require(_is_member)
@require_POST
def send_back_review(request: HttpRequest, review_pk: int) -> HttpResponse:
    return _decide_review(request, review_pk, services.send_back, _("%(number)s: sent back."))
