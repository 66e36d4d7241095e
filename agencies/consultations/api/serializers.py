from __future__ import annotations

from typing import Any

from rest_framework import serializers

from agencies.consultations.models import ConsultationRequest


class ConsultationRequestSerializer(serializers.ModelSerializer):
    airline = serializers.CharField(source="airline.code", read_only=True)
    task_force = serializers.CharField(source="task_force.code", read_only=True)
    message: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )

    class Meta:
        model = ConsultationRequest
        fields = [
            "id",
            "task_force",
            "airline",
            "kind",
            "carrier",
            "flight_number",
            "flight_date",
            "record_locator",
            "question",
            "deadline",
            "state",
            "created_at",
            "answered_at",
            "answer_text",
            "message",
        ]
        read_only_fields = fields


class AnswerSerializer(serializers.Serializer):
    answer_text = serializers.CharField(required=False, allow_blank=True, default="")
    answer_file = serializers.FileField(required=False, allow_null=True, default=None)
