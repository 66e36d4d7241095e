"""Consultation requests over the API, scoped by `selectors.requests_visible_to`.

These are the only endpoints an airline's staff reach (`open_to_airline_staff`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.consultations import selectors, services
from agencies.consultations.api.serializers import AnswerSerializer, ConsultationRequestSerializer
from agencies.consultations.models import ConsultationRequest


class _Scoped:
    open_to_airline_staff = True
    request: Any

    def get_queryset(self) -> Any:
        return selectors.requests_visible_to(self.request.user)


class RequestListView(_Scoped, generics.ListAPIView):  # type: ignore[type-arg]  # DRF generics
    serializer_class = ConsultationRequestSerializer
    filterset_fields = ["state", "kind"]


class RequestDetailView(_Scoped, generics.RetrieveAPIView):  # type: ignore[type-arg]  # DRF
    serializer_class = ConsultationRequestSerializer

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        consultation = self.get_object()
        services.record_view(actor=request.user, request=consultation)
        return Response(ConsultationRequestSerializer(consultation).data)


class RequestAnswerView(_Scoped, APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=AnswerSerializer, responses=ConsultationRequestSerializer)
    def post(self, request: Request, pk: int) -> Response:
        consultation: ConsultationRequest = get_object_or_404(self.get_queryset(), pk=pk)
        answer = AnswerSerializer(data=request.data)
        answer.is_valid(raise_exception=True)
        uploaded = answer.validated_data["answer_file"]
        try:
            answered = services.answer_request(
                actor=request.user,
                request=consultation,
                text=answer.validated_data["answer_text"],
                body=uploaded.read() if uploaded else None,
                file_name=(uploaded.name or "") if uploaded else "",
            )
        except DjangoValidationError as err:
            raise serializers.ValidationError(
                err.message_dict if hasattr(err, "error_dict") else {"detail": err.messages}
            ) from err
        return Response(ConsultationRequestSerializer(answered).data)
