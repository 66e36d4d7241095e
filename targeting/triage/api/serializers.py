"""JSON for the triage API: the queue, a traveller's decisions, and their links."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from targeting.rules.models import Category
from targeting.triage.models import Decision, Disposition, Outcome, State
from targeting.triage.selectors import QUEUE_STATES
from targeting.triage.services import describe


def _name(person: Any) -> str:
    return person.get_full_name() or person.get_username()


class TriagePersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.SerializerMethodField()

    def get_name(self, person: Any) -> str:
        return _name(person)


class TriageAgencySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


# --- The queue ------------------------------------------------------------------------------


class QueueQuerySerializer(serializers.Serializer):
    """The queue's filters, as the page offers them; a bad value is refused by name."""

    state = serializers.ChoiceField(choices=QUEUE_STATES, default="open")
    flight = serializers.IntegerField(required=False, min_value=1)
    category = serializers.ChoiceField(choices=Category.choices, required=False)
    agency = serializers.IntegerField(
        required=False, min_value=1, help_text="The agency whose list or rule produced a hit."
    )
    mine = serializers.BooleanField(default=False, help_text="Only travellers assigned to me.")
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=80, help_text="A name or document number."
    )


class QueueFlightSerializer(serializers.Serializer):
    """The traveller's flight, with the time that matters at the task force's airport."""

    id = serializers.IntegerField(source="flight.id", read_only=True)
    designator = serializers.CharField(source="flight.designator", read_only=True)
    departure_airport = serializers.CharField(source="flight.departure_airport", read_only=True)
    arrival_airport = serializers.CharField(source="flight.arrival_airport", read_only=True)
    scheduled_departure = serializers.DateTimeField(
        source="flight.scheduled_departure", read_only=True, allow_null=True
    )
    scheduled_arrival = serializers.DateTimeField(
        source="flight.scheduled_arrival", read_only=True, allow_null=True
    )
    direction = serializers.SerializerMethodField()
    relevant_time = serializers.DateTimeField(read_only=True, allow_null=True)

    @extend_schema_field(serializers.ChoiceField(choices=["arrival", "departure"]))
    def get_direction(self, traveller: Any) -> str:
        return "arrival" if traveller.is_arrival else "departure"


class QueueHitSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    source = serializers.CharField(read_only=True)  # type: ignore[assignment]  # a field
    handling = serializers.CharField(read_only=True)
    score = serializers.IntegerField(read_only=True)
    category = serializers.CharField(read_only=True)
    agency = serializers.CharField(source="agency.code", read_only=True)
    explanation = serializers.CharField(read_only=True)
    settled = serializers.BooleanField(source="is_settled", read_only=True)


class DispositionSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=State.choices, read_only=True)
    outcome = serializers.CharField(read_only=True, help_text="Empty until decided.")
    assigned_to = TriagePersonSerializer(read_only=True, allow_null=True)
    referred_to = TriageAgencySerializer(read_only=True, allow_null=True)
    version = serializers.IntegerField(read_only=True)


class QueueTravellerSerializer(serializers.Serializer):
    """One queue row: who, on which flight, why (the hits this person may see), where it stands."""

    traveller = serializers.IntegerField(source="pk", read_only=True)
    surname = serializers.CharField(read_only=True)
    given_names = serializers.CharField(read_only=True)
    birth_date = serializers.DateField(read_only=True, allow_null=True)
    nationality = serializers.CharField(read_only=True)
    seat = serializers.CharField(read_only=True)
    flight = QueueFlightSerializer(source="*", read_only=True)
    priority = serializers.IntegerField(read_only=True)
    hits = QueueHitSerializer(source="visible_hits", many=True, read_only=True)
    disposition = serializers.SerializerMethodField()

    @extend_schema_field(DispositionSerializer)
    def get_disposition(self, traveller: Any) -> dict[str, Any]:
        try:
            disposition = traveller.disposition
        except Disposition.DoesNotExist:
            disposition = Disposition()  # not triaged yet: new, version 0
        return DispositionSerializer(disposition).data


# --- Decisions ------------------------------------------------------------------------------


class DecisionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    # A plain string here: one enum for Decision.Kind in the schema, the request's, spares an
    # ENUM_NAME_OVERRIDES entry for the name `kind` that agencies and travellers also use.
    kind = serializers.CharField(read_only=True, help_text="assign, refer or outcome.")
    outcome = serializers.CharField(read_only=True, help_text="Empty unless kind is outcome.")
    assignee = TriagePersonSerializer(read_only=True, allow_null=True)
    referred_to = TriageAgencySerializer(read_only=True, allow_null=True)
    reason = serializers.CharField(read_only=True)
    decided_by = TriagePersonSerializer(read_only=True)
    agency = serializers.CharField(source="agency.code", read_only=True)
    decided_at = serializers.DateTimeField(read_only=True)
    summary = serializers.SerializerMethodField()

    def get_summary(self, decision: Decision) -> str:
        return describe(decision)


class DecisionHistorySerializer(serializers.Serializer):
    version = serializers.IntegerField(
        read_only=True, help_text="The version the next decision must name."
    )
    results = DecisionSerializer(many=True, read_only=True, help_text="Newest first.")


class DecisionInputSerializer(serializers.Serializer):
    """A decision as sent. Whether the person may make it is the service's to say."""

    kind = serializers.ChoiceField(choices=Decision.Kind.choices)
    version = serializers.IntegerField(
        min_value=0, help_text="The disposition version the decision was made on."
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required to refer and to record an outcome.",
    )
    assignee = serializers.IntegerField(
        required=False, min_value=1, help_text="A person's id (kind assign)."
    )
    agency = serializers.IntegerField(
        required=False, min_value=1, help_text="An agency's id (kind refer)."
    )
    outcome = serializers.ChoiceField(
        choices=Outcome.choices, required=False, help_text="Kind outcome."
    )

    # What each kind of decision cannot do without.
    NEEDS = {
        Decision.Kind.ASSIGN: ("assignee", _("Choose the officer to assign.")),
        Decision.Kind.REFER: ("agency", _("Choose the agency to refer to.")),
        Decision.Kind.OUTCOME: ("outcome", _("Choose the outcome.")),
    }

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        field, message = self.NEEDS[attrs["kind"]]
        if attrs.get(field) is None:
            raise serializers.ValidationError({field: [str(message)]})
        return attrs


class DecidedSerializer(DecisionSerializer):
    version = serializers.SerializerMethodField()

    def get_version(self, decision: Decision) -> int:
        """The version the next decision must name."""
        return int(self.context["version"])


class DecisionConflictSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="Who decided meanwhile, and what.")
    errors = serializers.DictField(  # type: ignore[assignment]  # a field, not .errors
        child=serializers.ListField(child=serializers.CharField())
    )
    version = serializers.IntegerField(help_text="The version now current: decide again on it.")
    latest = DecisionSerializer(allow_null=True)


class TriageErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(  # type: ignore[assignment]  # a field, not .errors
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages by field name.",
    )


# --- Links ----------------------------------------------------------------------------------


class LinkedFlightSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    designator = serializers.CharField(read_only=True)
    departure_date = serializers.DateField(read_only=True)


class SharedItemSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]  # not Field.label


class LinkedTravellerSerializer(serializers.Serializer):
    traveller = serializers.IntegerField(source="traveller.pk", read_only=True)
    surname = serializers.CharField(source="traveller.surname", read_only=True)
    given_names = serializers.CharField(source="traveller.given_names", read_only=True)
    flight = LinkedFlightSerializer(source="traveller.flight", read_only=True)
    same_flight = serializers.BooleanField(read_only=True)
    shared = SharedItemSerializer(many=True, read_only=True)


class LinksSerializer(serializers.Serializer):
    linked = LinkedTravellerSerializer(many=True, read_only=True)
    truncated = serializers.DictField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text="Kinds with more travellers than listed: how many share that kind in all.",
    )
