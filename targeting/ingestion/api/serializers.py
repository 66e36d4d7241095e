from __future__ import annotations

from rest_framework import serializers
from rest_framework.reverse import reverse

from targeting.ingestion.models import Finding, InboundMessage


class FindingSerializer(serializers.ModelSerializer):
    class Meta:
        model = Finding
        fields = ["severity", "segment", "line", "text"]


class MessageStatusSerializer(serializers.ModelSerializer):
    findings = FindingSerializer(many=True, read_only=True)
    status_url = serializers.SerializerMethodField()
    duplicate_of = serializers.PrimaryKeyRelatedField(read_only=True)
    flights = serializers.SerializerMethodField()

    class Meta:
        model = InboundMessage
        fields = [
            "id",
            "state",
            "kind",
            "received_at",
            "file_name",
            "size",
            "sender",
            "interchange_ref",
            "message_refs",
            "duplicate_of",
            "is_late",
            "minutes_before_departure",
            "traveller_count",
            "error",
            "flights",
            "findings",
            "status_url",
        ]

    def get_status_url(self, message: InboundMessage) -> str:
        return reverse("api-message-detail", args=[message.pk], request=self.context.get("request"))

    def get_flights(self, message: InboundMessage) -> list[str]:
        return [str(flight) for flight in message.flights.all()]
