"""The officer's pages: the queue (home page), decisions, and the way from a hit to its traveller.

Views stay thin: filters come from a form, rows from `selectors.queue_for`, changes from the
services. The queue page asks every few seconds whether anything changed and is re-drawn only
when it did (an unchanged queue answers 204, which htmx leaves alone).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.cases.selectors import cases_visible_to
from agencies.models import Agency
from aircop.web import views as web_views
from aircop.web.shortcuts import paginate, posted_next_url
from targeting.manifests.models import Traveller
from targeting.manifests.selectors import travellers_visible_to
from targeting.rules.selectors import hits_visible_to
from targeting.triage import selectors, services
from targeting.triage.forms import DecisionForm, QueueFilterForm
from targeting.triage.models import Decision, Outcome


def _agencies(user: Any) -> list[Agency]:
    return list(Agency.objects.filter(task_force_id=user.agency.task_force_id).order_by("name"))


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Officers land on their queue; a platform admin, who sees no passenger data, on theirs."""
    if not getattr(request.user, "agency_id", None):
        return web_views.home(request)
    return queue(request)


def queue(request: HttpRequest) -> HttpResponse:
    user = request.user
    agencies = _agencies(user)
    form = QueueFilterForm(
        request.GET or None, flights=list(selectors.queue_flights(user)), agencies=agencies
    )
    filters = form.filters()
    if request.headers.get("HX-Request") and request.GET.get("stamp") == selectors.queue_stamp(
        user, filters
    ):
        return HttpResponse(status=204)  # nothing changed: htmx keeps the page as it is
    travellers = selectors.queue_for(user, filters)
    stamp = travellers.stamp
    page = paginate(request, travellers, per_page=settings.TRIAGE_PAGE_SIZE)
    query = {k: v for k, v in request.GET.items() if k != "stamp"}
    context = {
        "form": form,
        "page_obj": page,
        "stamp": stamp,
        "poll_url": f"{reverse('home')}?{urlencode({**query, 'stamp': stamp})}",
        "poll_seconds": settings.TRIAGE_POLL_SECONDS,
        "query": urlencode({k: v for k, v in query.items() if k != "page"}),
        "can_decide": services.can_decide(user),
        "refer_agencies": [a for a in agencies if a.pk != user.agency_id],
        "outcomes": Outcome.choices,
        "now": timezone.now(),
    }
    if request.headers.get("HX-Request"):
        return render(request, "triage/_queue.html", context)
    return render(request, "triage/queue.html", context)


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("Accept", "").startswith("application/json")


def _decide(request: HttpRequest, traveller: Traveller, form: DecisionForm) -> Decision:
    """Call the service the form names; raises what the service raises."""
    data = form.cleaned_data
    user = request.user
    common = {"actor": user, "traveller": traveller, "version": data["version"]}
    if data["kind"] == "assign":
        assignee_id = user.pk if data["assignee"] in ("", "me") else data["assignee"]
        assignee = (
            selectors.deciders_in(user.agency.task_force_id)
            .filter(pk=int(assignee_id) if str(assignee_id).isdigit() else 0)
            .first()
        )
        if assignee is None:
            raise ValidationError({"assignee": _("Choose an officer of your task force.")})
        return services.assign_traveller(assignee=assignee, reason=data["reason"], **common)
    if data["kind"] == "refer":
        agency = Agency.objects.filter(
            pk=data["agency"] or 0, task_force_id=user.agency.task_force_id
        ).first()
        if agency is None:
            raise ValidationError({"agency": _("Choose an agency of your task force.")})
        return services.refer_traveller(agency=agency, reason=data["reason"], **common)
    return services.record_outcome(outcome=data["outcome"], reason=data["reason"], **common)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Record one decision from the traveller page (form) or the queue (JSON)."""
    traveller = get_object_or_404(
        travellers_visible_to(request.user).select_related("flight"), pk=pk
    )
    form = DecisionForm(request.POST, agencies=_agencies(request.user))
    status, message, decision = 200, "", None
    if not services.can_decide(request.user):
        status, message = 403, _("Only officers and supervisors record triage decisions.")
    elif not form.is_valid():
        status, message = 400, _describe_form_errors(form.errors.get_json_data())
    else:
        try:
            decision = _decide(request, traveller, form)
            message = _("%(name)s: %(what)s.") % {
                "name": traveller.surname,
                "what": services.describe(decision),
            }
        except services.DecisionConflict as conflict:
            status, message = 409, str(conflict)
        except ValidationError as error:
            status, message = 400, " ".join(error.messages)
        except PermissionDenied as denied:
            status, message = 403, str(denied) or _("You may not decide on this traveller.")
    version = services.current_version(traveller)
    if _wants_json(request):
        return JsonResponse(
            {"ok": decision is not None, "message": message, "version": version},
            status=status if decision is None else 200,
        )
    if decision is None:
        messages.error(request, message)
    elif decision.outcome == Outcome.POSITIVE:
        messages.success(request, message + " " + _("Open a case file for this control."))
    else:
        messages.success(request, message)
    return redirect(posted_next_url(request, reverse("traveller-detail", args=[traveller.pk])))


def _describe_form_errors(errors: dict[str, list[dict[str, str]]]) -> str:
    return " ".join(f"{field}: {e['message']}" for field, items in errors.items() for e in items)


@login_required
def hit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A hit's address: its traveller's triage view, for those who may see the hit; else 404."""
    if not getattr(request.user, "agency_id", None):
        raise Http404
    hit = get_object_or_404(hits_visible_to(request.user), pk=pk)
    return redirect(f"{reverse('traveller-detail', args=[hit.traveller_id])}#hit-{hit.pk}")


def triage_context(user: Any, traveller: Traveller) -> dict[str, Any]:
    """What the traveller page shows for triage: state, history, and the decision forms."""
    disposition = getattr(traveller, "disposition", None)
    decisions = list(selectors.decisions_for(traveller))
    positive = next((d for d in decisions if d.outcome == Outcome.POSITIVE), None)
    # The case opened from that control, if the person may see it; otherwise the offer stands
    # (another agency's case is not revealed, and this agency may open its own).
    opened = cases_visible_to(user).filter(source_decision=positive).first() if positive else None
    return {
        "positive_decision": positive,
        "opened_case": opened,
        "disposition": disposition,
        "version": disposition.version if disposition else 0,
        "decisions": decisions,
        "can_decide": services.can_decide(user),
        "deciders": list(selectors.deciders_in(user.agency.task_force_id)),
        "refer_agencies": [a for a in _agencies(user) if a.pk != user.agency_id],
        "outcomes": Outcome.choices,
    }
