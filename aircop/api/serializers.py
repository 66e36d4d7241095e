from __future__ import annotations

from rest_framework import serializers

from agencies.models import Agency, Airport, DataProvider, Person, Role, TaskForce
from aircop.api.models import PersonalToken
from aircop.audit.models import AuditEvent


class AirportSerializer(serializers.ModelSerializer):
    class Meta:
        model = Airport
        fields = ["iata_code", "icao_code", "name", "city", "country", "time_zone"]


class TaskForceSerializer(serializers.ModelSerializer):
    airports = serializers.SlugRelatedField(many=True, read_only=True, slug_field="iata_code")
    time_zone = serializers.CharField(read_only=True)

    class Meta:
        model = TaskForce
        fields = ["id", "code", "name", "country", "status", "airports", "time_zone"]


class AgencySerializer(serializers.ModelSerializer):
    task_force = serializers.SlugRelatedField(read_only=True, slug_field="code")

    class Meta:
        model = Agency
        fields = ["id", "code", "name", "kind", "task_force"]


class PersonSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(read_only=True, slug_field="code")
    roles = serializers.SerializerMethodField()
    is_platform_admin = serializers.BooleanField(read_only=True)

    class Meta:
        model = Person
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "email",
            "agency",
            "roles",
            "is_active",
            "is_platform_admin",
        ]

    def get_roles(self, person: Person) -> list[str]:
        return sorted(person.role_codes)


class RolesSerializer(serializers.Serializer):
    roles = serializers.ListField(child=serializers.ChoiceField(choices=Role.choices))


class PersonalTokenSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonalToken
        fields = ["prefix", "name", "created", "expiry_date", "revoked", "last_used_at"]
        read_only_fields = ["prefix", "created", "revoked", "last_used_at"]


class NewPersonalTokenSerializer(PersonalTokenSerializer):
    key = serializers.CharField(read_only=True, help_text="Shown once: only its hash is kept.")

    class Meta(PersonalTokenSerializer.Meta):
        fields = [*PersonalTokenSerializer.Meta.fields, "key"]


class DataProviderSerializer(serializers.ModelSerializer):
    task_forces = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = DataProvider
        fields = ["id", "code", "name", "kind", "task_forces", "is_active"]


class AuditEventSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(read_only=True, slug_field="code")

    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "at",
            "actor_label",
            "agency",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "ip_address",
            "reason",
            "details",
        ]
