"""Case pages: the list, opening a case, the case itself, its files, print and export.

Views stay thin: a case comes from `selectors.cases_visible_to` (anything else answers 404).
What is done on a case lives in `actions`, the supervisors' reviews in `reviews`; what the
three share is in `pages`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from agencies.cases import attachments, exports, selectors, services
from agencies.cases.forms import CaseFilterForm, CaseForm
from agencies.cases.models import CaseFile, CaseShare, CaseSubject
from agencies.cases.pages import case_contents, case_url, render_case, visible_case
from agencies.selectors import is_agency_member
from aircop.audit.services import Action, record_event
from aircop.web.shortcuts import add_service_errors, id_or_404, paginate, require
from targeting.manifests.models import Traveller
from targeting.manifests.selectors import travellers_visible_to
from targeting.triage.models import Decision, Outcome

# Shown in the browser; every other type is downloaded, never rendered by it.
INLINE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"})


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


@require(is_agency_member)
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


def _positive_decision(user: Any, value: str) -> Decision:
    """A positive control of a traveller the person may see; any other id does not exist."""
    return get_object_or_404(
        Decision.objects.select_related("disposition__traveller__flight").filter(
            outcome=Outcome.POSITIVE,
            disposition__traveller__in=travellers_visible_to(user),
        ),
        pk=id_or_404(value),
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
            travellers_visible_to(user).select_related("flight"),
            pk=id_or_404(request.GET["traveller"]),
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
            return redirect(case_url(case))
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


@require(is_agency_member)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_case(request, visible_case(request, pk))


# -- files, print, export -----------------------------------------------------------------------


@require(is_agency_member)
def attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """The stored file, to those who see the case; the service audits the read."""
    case = visible_case(request, pk)
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


@require(is_agency_member)
def case_print(request: HttpRequest, pk: int) -> HttpResponse:
    case = visible_case(request, pk)
    context = case_contents(case)
    exports.record_export(actor=request.user, case=case, kind="print")
    response = render(request, "cases/case_print.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@require(is_agency_member)
def case_export(request: HttpRequest, pk: int) -> JsonResponse:
    case = visible_case(request, pk)
    document = exports.case_document(case)
    exports.record_export(actor=request.user, case=case, kind="json")
    response = JsonResponse(document, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="{case.number}.json"'
    response["Cache-Control"] = "private, no-store"
    return response
