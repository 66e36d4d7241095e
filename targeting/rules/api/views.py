from __future__ import annotations

from typing import Any

from rest_framework import serializers, viewsets

from targeting.rules.models import Hit
from targeting.rules.selectors import hits_visible_to


class HitSerializer(serializers.ModelSerializer):
    flight = serializers.IntegerField(source="traveller.flight_id", read_only=True)
    agency = serializers.SlugRelatedField(read_only=True, slug_field="code")
    watchlist = serializers.StringRelatedField(read_only=True)
    rule = serializers.StringRelatedField(read_only=True)

    class Meta:
        model = Hit
        fields = [
            "id",
            "traveller",
            "flight",
            "source",
            "agency",
            "watchlist",
            "entry",
            "rule",
            "rule_version",
            "handling",
            "score",
            "category",
            "explanation",
            "created_at",
            "updated_at",
        ]


class HitViewSet(viewsets.ReadOnlyModelViewSet):
    """Hits on the task force's travellers, from lists and rules the person may see."""

    serializer_class = HitSerializer
    filterset_fields = ["traveller", "source", "category", "traveller__flight"]

    def get_queryset(self) -> Any:
        return (
            hits_visible_to(self.request.user)
            .select_related("traveller", "agency", "watchlist__agency", "rule__agency")
            .order_by("-score", "id")
        )
