"""The triage API: the queue, a traveller's decisions and links; scoping lives in selectors.

Hits themselves are read at /api/v1/hits/ (targeting.rules.api), with the same need-to-know.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.models import Agency, Person
from agencies.selectors import agencies_visible_to
from aircop.audit.services import Action, record_event
from targeting.manifests.models import Traveller
from targeting.manifests.selectors import travellers_visible_to
from targeting.triage import services
from targeting.triage.api.serializers import (
    DecidedSerializer,
    DecisionConflictSerializer,
    DecisionHistorySerializer,
    DecisionInputSerializer,
    DecisionSerializer,
    LinksSerializer,
    QueueQuerySerializer,
    QueueTravellerSerializer,
    TriageErrorSerializer,
)
from targeting.triage.links import links_for
from targeting.triage.models import Decision
from targeting.triage.selectors import (
    QueueFilters,
    deciders_in,
    decisions_for,
    queue_for,
)

NOT_FOUND = OpenApiResponse(
    TriageErrorSerializer, description="No such traveller in your task force."
)


class QueueView(generics.ListAPIView):
    """The signed-in officer's triage queue, most urgent first, as the queue page shows it."""

    serializer_class = QueueTravellerSerializer
    # The order is the queue's; the filters are the page's, parsed below.
    filter_backends: list[Any] = []

    @extend_schema(
        summary="The triage queue",
        parameters=[QueueQuerySerializer],
        responses={
            200: QueueTravellerSerializer(many=True),
            400: OpenApiResponse(TriageErrorSerializer, description="A filter value is not valid."),
        },
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = self.list(request, *args, **kwargs)
        record_event(
            action=Action.VIEW,
            actor=request.user,
            object_label="triage queue (API)",
            details={"query": request.GET.urlencode()[:300]},
        )
        return response

    def get_queryset(self) -> Sequence[Traveller]:  # type: ignore[override]  # a Queue, paged like a list
        user = self.request.user
        query = QueueQuerySerializer(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        if not getattr(user, "agency_id", None):
            return []  # a platform admin has no queue
        given = query.validated_data
        filters = QueueFilters(
            state=given["state"],
            flight=given.get("flight"),
            category=given.get("category", ""),
            agency=given.get("agency"),
            mine=given["mine"],
            search=given.get("q", ""),
        )
        return queue_for(user, filters)


def _traveller(request: Request, pk: int) -> Traveller:
    """Any traveller of the task force may be decided on (a referral needs no hit)."""
    return get_object_or_404(travellers_visible_to(request.user).select_related("flight"), pk=pk)


def _assignee(actor: Any, person_id: int) -> Person:
    # Someone outside the task force and no one at all get the same answer: ids leak nothing.
    person = deciders_in(actor.agency.task_force_id).filter(pk=person_id).first()
    if person is None:
        raise serializers.ValidationError(
            {"assignee": [_("Choose an officer of your task force.")]}
        )
    return person


def _agency(actor: Any, agency_id: int) -> Agency:
    agency = agencies_visible_to(actor).filter(pk=agency_id).first()
    if agency is None:
        raise serializers.ValidationError({"agency": [_("Choose an agency of your task force.")]})
    return agency


def _decide(actor: Any, traveller: Traveller, given: dict[str, Any]) -> Decision:
    common = {
        "actor": actor,
        "traveller": traveller,
        "version": given["version"],
        "reason": given["reason"],
    }
    if given["kind"] == Decision.Kind.ASSIGN:
        return services.assign_traveller(assignee=_assignee(actor, given["assignee"]), **common)
    if given["kind"] == Decision.Kind.REFER:
        return services.refer_traveller(agency=_agency(actor, given["agency"]), **common)
    return services.record_outcome(outcome=given["outcome"], **common)


class TravellerDecisionsView(APIView):
    """A traveller's triage history, and the way to add to it."""

    @extend_schema(
        summary="A traveller's triage decisions, newest first",
        responses={200: DecisionHistorySerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        traveller = _traveller(request, pk)
        history = {
            "version": services.current_version(traveller),
            "results": decisions_for(traveller),
        }
        record_event(action=Action.VIEW, actor=request.user, obj=traveller, reason="API decisions")
        return Response(DecisionHistorySerializer(history).data)

    @extend_schema(
        summary="Assign, refer, or record the outcome for a traveller",
        request=DecisionInputSerializer,
        responses={
            201: DecidedSerializer,
            400: OpenApiResponse(
                TriageErrorSerializer, description="A field is missing or not valid."
            ),
            403: OpenApiResponse(
                TriageErrorSerializer, description="Only officers and supervisors decide."
            ),
            404: NOT_FOUND,
            409: OpenApiResponse(
                DecisionConflictSerializer,
                description="Someone decided since `version`: review `latest`, decide again.",
            ),
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        traveller = _traveller(request, pk)
        incoming = DecisionInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        try:
            decision = _decide(request.user, traveller, incoming.validated_data)
        except services.DecisionConflict as conflict:
            latest = DecisionSerializer(conflict.latest).data if conflict.latest else None
            body = {
                "detail": str(conflict),
                "errors": {},
                "version": services.current_version(traveller),
                "latest": latest,
            }
            return Response(body, status=status.HTTP_409_CONFLICT)
        version = incoming.validated_data["version"] + 1
        data = DecidedSerializer(decision, context={"version": version}).data
        return Response(data, status=status.HTTP_201_CREATED)


class TravellerLinksView(APIView):
    """Travellers of the task force who share a phone, e-mail, address, card, reservation,
    travel agency or document with this one, on this flight or earlier ones."""

    @extend_schema(
        summary="Travellers linked to a traveller, and what they share",
        responses={200: LinksSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, pk: int) -> Response:
        traveller = _traveller(request, pk)
        links = links_for(request.user, traveller)
        record_event(action=Action.VIEW, actor=request.user, obj=traveller, reason="API links")
        return Response(LinksSerializer(links).data)
