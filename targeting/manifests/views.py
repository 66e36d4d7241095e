from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from aircop.audit.services import Action, record_event
from targeting.ingestion.models import InboundMessage
from targeting.manifests import selectors
from targeting.manifests.models import Traveller
from targeting.rules.selectors import hits_visible_to
from targeting.triage.links import links_for
from targeting.triage.models import Decision
from targeting.triage.views import triage_context


def _task_force(request: HttpRequest) -> object:
    agency = getattr(request.user, "agency", None)
    if agency is None:
        raise Http404  # platform admins see no passenger data
    return agency.task_force


@login_required
def flight_list(request: HttpRequest) -> HttpResponse:
    """The day's flights of the task force's airport, in local time."""
    task_force = _task_force(request)
    zone = task_force.time_zone  # type: ignore[attr-defined]
    today = timezone.localdate(timezone=ZoneInfo(zone))
    try:
        day = date.fromisoformat(request.GET.get("date", "")) if request.GET.get("date") else today
    except ValueError:
        day = today
    flights = list(selectors.flights_of_day(request.user, day, zone))
    # Flagged travellers per flight, counting only hits this person may see.
    flagged = dict(
        hits_visible_to(request.user)
        .filter(traveller__flight__in=flights, traveller__cancelled_at__isnull=True)
        .values_list("traveller__flight")
        .annotate(n=Count("traveller", distinct=True))
    )
    for flight in flights:
        flight.flagged_count = flagged.get(flight.pk, 0)  # type: ignore[attr-defined]
    return render(
        request,
        "manifests/flight_list.html",
        {
            "flights": flights,
            "day": day,
            "previous_day": day.fromordinal(day.toordinal() - 1),
            "next_day": day.fromordinal(day.toordinal() + 1),
            "today": today,
        },
    )


@login_required
def flight_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _task_force(request)
    flight = get_object_or_404(selectors.flights_visible_to(request.user), pk=pk)
    travellers = (
        flight.travellers.select_related("reservation")
        .prefetch_related(
            "documents",
            Prefetch(
                "hits",
                queryset=hits_visible_to(request.user).order_by("-score"),
                to_attr="visible_hits",
            ),
        )
        .order_by("cancelled_at", "kind", "surname", "given_names")
    )
    messages = (
        InboundMessage.objects.filter(flights=flight)
        .defer("body")
        .prefetch_related("findings")
        .order_by("-received_at")
    )
    record_event(
        action=Action.VIEW,
        actor=request.user,
        obj=flight,
        reason="flight manifest",
        details={"travellers": travellers.count()},
    )
    return render(
        request,
        "manifests/flight_detail.html",
        {
            "flight": flight,
            "travellers": travellers,
            "messages": messages,
        },
    )


@login_required
def traveller_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _task_force(request)
    traveller = get_object_or_404(
        selectors.travellers_visible_to(request.user)
        .select_related("flight", "reservation", "disposition")
        .prefetch_related(
            "documents",
            "reservation__contacts",
            "reservation__payments",
            Prefetch(
                "reservation__travellers",
                queryset=Traveller.objects.select_related("flight").order_by("surname"),
            ),
        ),
        pk=pk,
    )
    hits = (
        hits_visible_to(request.user)
        .filter(traveller=traveller)
        .select_related(
            "watchlist", "entry", "rule", "rule_version", "agency", "exchange__counterpart"
        )
        .annotate(
            is_settled=Exists(Decision.settled_hits.through.objects.filter(hit=OuterRef("pk")))
        )
    )
    co_travellers = (
        [t for t in traveller.reservation.travellers.all() if t.pk != traveller.pk]
        if traveller.reservation
        else []
    )
    record_event(action=Action.VIEW, actor=request.user, obj=traveller, reason="traveller page")
    return render(
        request,
        "manifests/traveller_detail.html",
        {
            "traveller": traveller,
            "flight": traveller.flight,
            "reservation": traveller.reservation,
            "co_travellers": co_travellers,
            "hits": hits,
            "triage": triage_context(request.user, traveller),
            "links": links_for(request.user, traveller),
        },
    )
