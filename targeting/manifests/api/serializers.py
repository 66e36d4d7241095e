from __future__ import annotations

from rest_framework import serializers

from targeting.manifests.models import Flight, TravelDocument, Traveller


class FlightSerializer(serializers.ModelSerializer):
    class Meta:
        model = Flight
        fields = [
            "id",
            "carrier",
            "number",
            "departure_airport",
            "arrival_airport",
            "departure_date",
            "scheduled_departure",
            "scheduled_arrival",
        ]


class TravelDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = TravelDocument
        fields = ["type", "number", "issuing_state", "expiry", "source"]


class TravellerSerializer(serializers.ModelSerializer):
    documents = TravelDocumentSerializer(many=True, read_only=True)
    record_locator = serializers.CharField(source="booking_ref", read_only=True)

    class Meta:
        model = Traveller
        fields = [
            "id",
            "flight",
            "kind",
            "surname",
            "given_names",
            "sex",
            "birth_date",
            "nationality",
            "residence",
            "birth_place",
            "embarkation",
            "disembarkation",
            "is_transit",
            "seat",
            "record_locator",
            "has_api",
            "has_pnr",
            "cancelled_at",
            "documents",
        ]
