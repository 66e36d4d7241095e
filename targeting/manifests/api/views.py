from __future__ import annotations

from typing import Any

from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from aircop.audit.services import Action, record_event
from targeting.manifests import selectors
from targeting.manifests.api.serializers import FlightSerializer, TravellerSerializer


class FlightViewSet(viewsets.ReadOnlyModelViewSet):
    """The task force's flights."""

    serializer_class = FlightSerializer
    filterset_fields = ["carrier", "departure_airport", "arrival_airport", "departure_date"]

    def get_queryset(self) -> Any:
        return selectors.flights_visible_to(self.request.user).order_by("-departure_date", "id")


class TravellerViewSet(viewsets.ReadOnlyModelViewSet):
    """The task force's travellers; every read of personal data is audited."""

    serializer_class = TravellerSerializer
    filterset_fields = ["flight", "kind", "nationality", "booking_ref"]

    def get_queryset(self) -> Any:
        return (
            selectors.travellers_visible_to(self.request.user)
            .prefetch_related("documents")
            .order_by("flight_id", "surname", "id")
        )

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().list(request, *args, **kwargs)
        record_event(
            action=Action.VIEW,
            actor=request.user,
            object_label="travellers (API list)",
            details={"query": request.GET.urlencode()[:300]},
        )
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        traveller = self.get_object()
        record_event(action=Action.VIEW, actor=request.user, obj=traveller, reason="API")
        return Response(self.get_serializer(traveller).data)
