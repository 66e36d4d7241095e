"""Thin API views: parse, call one selector or service, render. Scoping is in the selectors."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies import selectors as agency_selectors
from agencies import services as agency_services
from aircop.api import serializers
from aircop.api.permissions import IsDataProvider, IsPlatformAdmin
from aircop.api.selectors import personal_tokens_of
from aircop.api.services import create_personal_token, revoke_personal_token
from aircop.audit.filters import AuditEventFilter
from aircop.audit.selectors import audit_events_visible_to


class MeView(APIView):
    @extend_schema(responses=serializers.PersonSerializer, summary="The signed-in person")
    def get(self, request: Request) -> Response:
        return Response(serializers.PersonSerializer(request.user).data)


class PersonalTokenViewSet(
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The signed-in person's own API tokens. DELETE revokes (the row stays for the record)."""

    lookup_field = "prefix"
    serializer_class = serializers.PersonalTokenSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return personal_tokens_of(self.request.user)

    @extend_schema(
        request=serializers.PersonalTokenSerializer,
        responses={201: serializers.NewPersonalTokenSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = serializers.PersonalTokenSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        token, key = create_personal_token(
            person=request.user,
            name=incoming.validated_data["name"],
            expires_at=incoming.validated_data.get("expiry_date"),
        )
        token.key = key  # type: ignore[attr-defined]  # shown once in this response only
        return Response(serializers.NewPersonalTokenSerializer(token).data, status=201)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        revoke_personal_token(person=request.user, token=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


class TaskForceViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.TaskForceSerializer
    filterset_fields = ["status", "country", "code"]

    def get_queryset(self) -> Any:
        return agency_selectors.task_forces_visible_to(self.request.user)


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.AgencySerializer
    filterset_fields = ["kind", "code"]

    def get_queryset(self) -> Any:
        return agency_selectors.agencies_visible_to(self.request.user)


class AirportViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.AirportSerializer
    lookup_field = "iata_code"
    filterset_fields = ["country"]

    def get_queryset(self) -> Any:
        return agency_selectors.airports_visible_to(self.request.user)


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.PersonSerializer
    filterset_fields = ["is_active", "username"]

    def get_queryset(self) -> Any:
        return agency_selectors.people_visible_to(self.request.user)

    @extend_schema(request=serializers.RolesSerializer, responses=serializers.PersonSerializer)
    @action(detail=True, methods=["put"])
    def roles(self, request: Request, pk: str | None = None) -> Response:
        """Set a person's roles (agency admin of their agency, or platform admin)."""
        person = self.get_object()
        incoming = serializers.RolesSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        if not agency_selectors.people_manageable_by(request.user).filter(pk=person.pk).exists():
            # Visible colleague but not theirs to manage: refuse without revealing more.
            return Response(
                {"detail": "You cannot change this person.", "errors": {}},
                status=status.HTTP_403_FORBIDDEN,
            )
        person = agency_services.set_roles(
            actor=request.user, person=person, roles=incoming.validated_data["roles"]
        )
        return Response(serializers.PersonSerializer(person).data)


class DataProviderViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.DataProviderSerializer
    permission_classes = [IsPlatformAdmin]
    filterset_fields = ["kind", "is_active", "code"]

    def get_queryset(self) -> Any:
        return agency_selectors.data_providers_visible_to(self.request.user)


class AuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """The audit trail, read-only: no method here or anywhere changes or deletes an event."""

    serializer_class = serializers.AuditEventSerializer
    filterset_class = AuditEventFilter

    def get_queryset(self) -> Any:
        return audit_events_visible_to(self.request.user)


class ProviderSelfView(APIView):
    """For a data provider: which provider its token belongs to and for which task forces."""

    permission_classes = [IsDataProvider]

    @extend_schema(responses=serializers.DataProviderSerializer, summary="The calling provider")
    def get(self, request: Request) -> Response:
        return Response(serializers.DataProviderSerializer(request.user.provider).data)
