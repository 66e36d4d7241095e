"""The ingest API: data providers push raw API/PNR messages; anyone entitled reads their state."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import BaseParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from aircop.api.authentication import ProviderPrincipal
from aircop.api.permissions import IsDataProvider, IsPerson
from aircop.audit.services import Action, record_event
from targeting.ingestion import services
from targeting.ingestion.api.serializers import MessageStatusSerializer
from targeting.ingestion.selectors import messages_visible_to


class RawBodyParser(BaseParser):
    """The body is the message itself, whatever its declared type (EDIFACT has no MIME type)."""

    media_type = "*/*"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        return None


class IsProviderOrPerson(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return IsDataProvider().has_permission(request, view) or IsPerson().has_permission(
            request, view
        )


def _error(detail: str, http_status: int) -> Response:
    return Response({"detail": detail, "errors": {}}, status=http_status)


class MessageListView(APIView):
    permission_classes = [IsDataProvider]
    parser_classes = [RawBodyParser]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "ingest"

    @extend_schema(
        summary="Push one raw PAXLST or PNRGOV message (the body is the message)",
        request={"application/edifact": OpenApiTypes.BINARY, "text/plain": OpenApiTypes.STR},
        responses={
            202: MessageStatusSerializer,
            403: OpenApiResponse(description="airport not onboarded for this provider"),
            413: OpenApiResponse(description="body larger than INGEST_MAX_BYTES"),
        },
    )
    def post(self, request: Request) -> Response:
        limit = settings.INGEST_MAX_BYTES
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if declared > limit:
            return _error(f"The message is {declared} bytes; the limit is {limit} bytes.", 413)
        body = request.stream.read(limit + 1) if request.stream else b""
        if len(body) > limit:
            return _error(f"The message is over the limit of {limit} bytes.", 413)
        if not body.strip():
            return _error("The body is empty: send the message itself as the body.", 400)
        provider = request.user.provider  # type: ignore[union-attr]  # IsDataProvider holds
        received = services.receive_message(body=body, provider=provider)
        data = MessageStatusSerializer(received.message, context={"request": request}).data
        return Response(data, status=status.HTTP_202_ACCEPTED)


class MessageDetailView(APIView):
    permission_classes = [IsProviderOrPerson]

    @extend_schema(summary="A message's state and findings", responses=MessageStatusSerializer)
    def get(self, request: Request, pk: int) -> Response:
        message = get_object_or_404(
            messages_visible_to(request.user).prefetch_related("findings", "flights"), pk=pk
        )
        is_provider = isinstance(request.user, ProviderPrincipal)
        record_event(
            action=Action.VIEW,
            actor=None if is_provider else request.user,
            actor_label=request.user.get_username(),
            obj=message,
        )
        return Response(MessageStatusSerializer(message, context={"request": request}).data)
