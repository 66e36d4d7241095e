"""Liaison pages: inbox, sent exchanges, channels, composing, the thread and what is done on it.

Views stay thin: an exchange comes from `selectors.exchanges_visible_to` (its handling code
decides; anything else answers 404), and every change is one call to `services`. Only liaison
officers compose (others do not find the page) and act on a thread (others are refused, 403).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Min, Model, OuterRef, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.cases.selectors import cases_visible_to
from agencies.selectors import is_agency_member
from aircop.audit.services import Action, record_event
from aircop.web.shortcuts import add_service_errors, id_or_404, paginate, require
from liaison import selectors, services
from liaison.forms import HANDLING_MEANING, ComposeForm, ExchangeFilterForm, ReplyForm
from liaison.models import Counterpart, Exchange, Handling, Message
from targeting.manifests.selectors import flights_visible_to, travellers_visible_to

SEARCH_RESULTS = 25
RECENT_CASES = 10


def _require_liaison_officer(user: Any) -> None:
    # The services refuse too; checked first so that a refused person hears 403 whatever
    # they posted, not a form error.
    if not selectors.is_liaison_officer(user):
        raise PermissionDenied(_("Only liaison officers send exchanges."))


def exchange_url(exchange: Exchange, anchor: str = "") -> str:
    return reverse("liaison-detail", args=[exchange.pk]) + (f"#{anchor}" if anchor else "")


def delivery(
    state: str | None, attempts: int | None, error: str | None, health: str = ""
) -> tuple[str, str]:
    """(css class, words) for where an outgoing message stands in the outbox."""
    if state == Message.State.QUEUED:
        if error or health == Counterpart.Health.DOWN:
            return "warn", _("waiting: channel down")
        return "", _("waiting to be sent")
    if state == Message.State.DELIVERED:
        return "ok", _("delivered")
    if state == Message.State.FAILED:
        return "error", _("failed")
    if state == Message.State.DRAFT:
        return "", _("draft, not sent")
    if state == Message.State.RECEIVED:
        return "ok", _("received")
    return "", ""


# -- the lists ----------------------------------------------------------------------------------


def _exchange_list(request: HttpRequest, *, direction: str, template: str) -> HttpResponse:
    user: Any = request.user
    exchanges = selectors.exchanges_visible_to(user).filter(direction=direction)
    counterparts = Counterpart.objects.filter(pk__in=exchanges.values("counterpart_id"))
    form = ExchangeFilterForm(request.GET or None, counterparts=counterparts)
    filters = form.filters()
    if filters["kind"]:
        exchanges = exchanges.filter(kind=filters["kind"])
    if filters["state"]:
        exchanges = exchanges.filter(state=filters["state"])
    if filters["counterpart"] is not None:
        exchanges = exchanges.filter(counterpart=filters["counterpart"])
    if direction == Exchange.Direction.OUTBOUND:
        last = Message.objects.filter(exchange=OuterRef("pk")).order_by("-created_at", "-pk")
        exchanges = exchanges.annotate(
            last_state=Subquery(last.values("state")[:1]),
            last_attempts=Subquery(last.values("attempts")[:1]),
            last_error=Subquery(last.values("last_error")[:1]),
        )
    page = paginate(request, exchanges.order_by("-created_at", "-pk"))
    rows = list(page)
    late = (
        set(
            selectors.overdue(Exchange.objects.filter(pk__in=[e.pk for e in rows])).values_list(
                "pk", flat=True
            )
        )
        if rows
        else set()
    )
    for exchange in rows:
        exchange.is_overdue = exchange.pk in late  # type: ignore[attr-defined]  # for the row
        if direction == Exchange.Direction.OUTBOUND:
            exchange.delivery = delivery(  # type: ignore[attr-defined]  # for the row
                exchange.last_state,  # type: ignore[attr-defined]  # annotated above
                exchange.last_attempts,  # type: ignore[attr-defined]
                exchange.last_error,  # type: ignore[attr-defined]
                exchange.counterpart.health,
            )
    query = {k: (v.pk if isinstance(v, Model) else v) for k, v in filters.items() if v}
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": urlencode(query),
            "is_liaison_officer": selectors.is_liaison_officer(user),
        },
    )


@require(is_agency_member)
def inbox(request: HttpRequest) -> HttpResponse:
    """What came in from the counterparts, as far as the handling codes let the person read."""
    return _exchange_list(
        request, direction=Exchange.Direction.INBOUND, template="liaison/inbox.html"
    )


@require(is_agency_member)
def outbox(request: HttpRequest) -> HttpResponse:
    """What the task force sent (and drafts), with where each last message stands."""
    return _exchange_list(
        request, direction=Exchange.Direction.OUTBOUND, template="liaison/outbox.html"
    )


@require(selectors.is_liaison_officer)
def channels(request: HttpRequest) -> HttpResponse:
    """The counterparts, whether their channel is up, and what waits for it in the outbox."""
    counterparts = list(selectors.counterparts_for(request.user).order_by("kind", "name"))
    waiting = {
        row["exchange__counterpart"]: row
        for row in selectors.outbox()
        .filter(exchange__counterpart__in=[c.pk for c in counterparts])
        .order_by()
        .values("exchange__counterpart")
        .annotate(count=Count("pk"), oldest=Min("created_at"))
    }
    rows = [(c, waiting.get(c.pk, {"count": 0, "oldest": None})) for c in counterparts]
    return render(request, "liaison/channels.html", {"rows": rows})


# -- composing ----------------------------------------------------------------------------------


def _preselected[M: Model](queryset: QuerySet[M], values: list[str]) -> list[M]:
    """The objects named in the query string; one the person may not see does not exist."""
    return [get_object_or_404(queryset, pk=id_or_404(v)) for v in values]


def _unique[M: Model](*groups: Iterable[M]) -> list[M]:
    seen: set[int] = set()
    kept: list[M] = []
    for group in groups:
        for obj in group:
            if obj.pk not in seen:
                seen.add(obj.pk)
                kept.append(obj)
    return kept


@require(selectors.is_liaison_officer)
def compose(request: HttpRequest) -> HttpResponse:
    """A new exchange; `?traveller=`, `?flight=`, `?case=` attach what the person came from."""
    user: Any = request.user
    travellers = travellers_visible_to(user).select_related("flight")
    flights = flights_visible_to(user)
    cases = cases_visible_to(user)
    chosen_travellers = _preselected(travellers, request.GET.getlist("traveller"))
    chosen_flights = _preselected(flights, request.GET.getlist("flight"))
    chosen_cases = _preselected(cases, request.GET.getlist("case"))

    search = request.GET.get("q", "").strip()[:80]
    found = []
    if len(search) >= 2:
        found = list(
            travellers.filter(
                Q(surname__icontains=search) | Q(given_names__icontains=search)
            ).order_by("-flight__departure_date", "surname", "given_names", "pk")[:SEARCH_RESULTS]
        )
        record_event(
            action=Action.SEARCH,
            actor=user,
            reason="liaison compose",
            details={"q": search, "results": len(found)},
        )
    today = timezone.localdate()
    todays_flights = flights.filter(
        Q(departure_date=today) | Q(scheduled_arrival__date=today)
    ).order_by("scheduled_departure", "carrier", "number")

    form = ComposeForm(
        request.POST or None,
        counterparts=selectors.counterparts_for(user),
        travellers=travellers,
        flights=flights,
        cases=cases,
        initial={
            "kind": Exchange.Kind.ALERT,
            "travellers": [t.pk for t in chosen_travellers],
            "flights": [f.pk for f in chosen_flights],
            "cases": [c.pk for c in chosen_cases],
        },
    )
    form.offer(
        travellers=_unique(
            chosen_travellers,
            travellers.filter(pk__in=form.posted_ids("travellers")),
            found,
        ),
        flights=_unique(
            chosen_flights, flights.filter(pk__in=form.posted_ids("flights")), todays_flights
        ),
        cases=_unique(
            chosen_cases,
            cases.filter(pk__in=form.posted_ids("cases")),
            cases.order_by("-opened_at", "-pk")[:RECENT_CASES],
        ),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        send = request.POST.get("action") == "send"
        try:
            exchange = services.compose(
                actor=user,
                counterpart=data["counterpart"],
                kind=data["kind"],
                subject=data["subject"],
                body=data["body"],
                handling=data["handling"],
                deadline=data["deadline"],
                travellers=data["travellers"],
                flights=data["flights"],
                cases=data["cases"],
                send=send,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            sent = _("Exchange sent: it waits in the outbox for its channel.")
            messages.success(request, sent if send else _("Draft saved."))
            return redirect(exchange_url(exchange))
    if request.method == "GET":
        for traveller in chosen_travellers:
            record_event(action=Action.VIEW, actor=user, obj=traveller, reason="liaison compose")
    return render(
        request,
        "liaison/compose.html",
        {
            "form": form,
            "search": search,
            "searched": len(search) >= 2,
            "found": found,
            "preselected": {
                "traveller": [t.pk for t in chosen_travellers],
                "flight": [f.pk for f in chosen_flights],
                "case": [c.pk for c in chosen_cases],
            },
        },
        status=400 if request.method == "POST" else 200,
    )


# -- the thread ---------------------------------------------------------------------------------


def visible_exchange(request: HttpRequest, pk: int) -> Exchange:
    return get_object_or_404(
        selectors.exchanges_visible_to(request.user).select_related("created_by", "task_force"),
        pk=pk,
    )


def render_thread(
    request: HttpRequest,
    exchange: Exchange,
    *,
    reply_form: ReplyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user: Any = request.user
    thread = list(exchange.messages.select_related("author"))
    for message in thread:
        message.delivery = delivery(  # type: ignore[attr-defined]  # for the template
            message.state, message.attempts, message.last_error, exchange.counterpart.health
        )
    attached_cases = list(cases_visible_to(user).filter(exchanges=exchange).order_by("number"))
    can_act = selectors.is_liaison_officer(user)
    record_event(action=Action.VIEW, actor=user, obj=exchange, reason="liaison thread")
    return render(
        request,
        "liaison/detail.html",
        {
            "exchange": exchange,
            "thread": thread,
            "handling_meaning": HANDLING_MEANING.get(Handling(exchange.handling), ""),
            "is_overdue": selectors.overdue(Exchange.objects.filter(pk=exchange.pk)).exists(),
            "travellers": list(
                travellers_visible_to(user)
                .filter(exchanges=exchange)
                .select_related("flight")
                .order_by("surname", "pk")
            ),
            "flights": list(flights_visible_to(user).filter(exchanges=exchange)),
            "cases": attached_cases,
            "hidden_cases": exchange.cases.count() - len(attached_cases),
            "can_act": can_act,
            "can_reply": can_act
            and exchange.state not in (Exchange.State.DRAFT, Exchange.State.CLOSED),
            "reply_form": reply_form or ReplyForm(),
        },
        status=status,
    )


@require(is_agency_member)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_thread(request, visible_exchange(request, pk))


@require(is_agency_member)
@require_POST
def send_draft(request: HttpRequest, pk: int) -> HttpResponse:
    exchange = visible_exchange(request, pk)
    _require_liaison_officer(request.user)
    try:
        services.send_draft(actor=request.user, exchange=exchange)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Exchange sent: it waits in the outbox for its channel."))
    return redirect(exchange_url(exchange))


@require(is_agency_member)
@require_POST
def reply(request: HttpRequest, pk: int) -> HttpResponse:
    exchange = visible_exchange(request, pk)
    _require_liaison_officer(request.user)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.reply(actor=request.user, exchange=exchange, body=form.cleaned_data["body"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Reply queued for sending."))
            return redirect(exchange_url(exchange, "thread"))
    messages.error(request, _("Nothing was sent: see the form below."))
    return render_thread(request, exchange, reply_form=form, status=400)


@require(is_agency_member)
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    exchange = visible_exchange(request, pk)
    _require_liaison_officer(request.user)
    try:
        services.close(actor=request.user, exchange=exchange)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Exchange closed."))
    return redirect(exchange_url(exchange))
