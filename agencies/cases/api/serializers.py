"""JSON for the cases API: what is sent (…InputSerializer) and what comes back.

A case's detail is `exports.case_document` with three fields added; `CaseDetailSerializer`
only describes that shape for the schema, so the export and the API cannot drift apart.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from agencies.cases.models import (
    CaseEntry,
    CaseFile,
    CaseShare,
    CaseSubject,
    Commodity,
    Concealment,
    Review,
    Seizure,
    Sex,
    Unit,
)
from agencies.cases.seizures import quantity_label


def _name(person: Any) -> str:
    return person.get_full_name() or person.get_username()


class CasePersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.SerializerMethodField()

    def get_name(self, person: Any) -> str:
        return _name(person)


class CaseAgencySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class CaseErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = serializers.DictField(  # type: ignore[assignment]  # a field, not .errors
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages by field name.",
    )


# --- Cases ----------------------------------------------------------------------------------


class CaseQuerySerializer(serializers.Serializer):
    """The list's filters; a bad value is refused by name."""

    state = serializers.ChoiceField(choices=CaseFile.State.choices, required=False)
    mine = serializers.BooleanField(
        default=False, help_text="Only my agency's own cases, not those shared with it."
    )
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=80,
        help_text="Part of a number, a title or a subject's surname.",
    )


class CaseRowSerializer(serializers.Serializer):
    """One case in the list; the detail has everything else."""

    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    agency = serializers.CharField(source="agency.code", read_only=True)
    # A plain string, as in the detail: one enum for CaseFile.State in the schema, the request's.
    state = serializers.CharField(
        read_only=True, help_text="open, investigation, prosecution or closed."
    )
    outcome = serializers.CharField(read_only=True)
    opened_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    is_own = serializers.SerializerMethodField(
        help_text="Whether the case is my agency's, not one shared with it."
    )

    def get_is_own(self, case: CaseFile) -> bool:
        return bool(case.agency_id == self.context["request"].user.agency_id)


class CaseOpenInputSerializer(serializers.Serializer):
    """Open a case by hand, or from a positive control (`decision`): traveller and flight in."""

    title = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=200,
        help_text="Required unless opened from a decision, which names the case itself.",
    )
    summary = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)
    travellers = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        help_text="Traveller ids of the task force; each becomes a subject.",
    )
    flights = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        default=list,
        help_text="Flight ids of the task force.",
    )
    decision = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="A triage decision 'controlled — positive'; title, summary, traveller and "
        "flight then come from it and the other fields are ignored.",
    )


class CasePersonDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CaseFlightDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    designator = serializers.CharField()
    departure_airport = serializers.CharField()
    arrival_airport = serializers.CharField()
    departure_date = serializers.DateField()


class CaseSubjectDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    traveller = serializers.IntegerField(allow_null=True)
    surname = serializers.CharField()
    given_names = serializers.CharField()
    birth_date = serializers.DateField(allow_null=True)
    sex = serializers.CharField(help_text="F, M, X or empty.")
    nationality = serializers.CharField()
    document_number = serializers.CharField()
    role = serializers.CharField()
    is_arrested = serializers.BooleanField()
    is_trafficking_victim = serializers.BooleanField()
    is_foreign_terrorist_fighter = serializers.BooleanField()


class CaseSeizureDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    commodity = serializers.CharField()
    quantity = serializers.CharField(help_text="A decimal, as a string.")
    unit = serializers.CharField()
    currency = serializers.CharField()
    concealment = serializers.CharField()
    description = serializers.CharField()
    seized_on = serializers.DateField()
    flight = serializers.IntegerField(allow_null=True)
    agency = serializers.CharField()


class CaseEntryDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    text = serializers.CharField()
    author = CasePersonDocumentSerializer()
    agency = serializers.CharField()
    created_at = serializers.DateTimeField()


class CaseAttachmentDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    agency = serializers.CharField()
    uploaded_at = serializers.DateTimeField()


class CaseSharedWithSerializer(serializers.Serializer):
    agency = serializers.CharField()
    state = serializers.CharField()


class CaseDocumentSerializer(serializers.Serializer):
    """The structured export of a case (format `aircop-case/1`)."""

    format = serializers.CharField()
    number = serializers.CharField()
    title = serializers.CharField()
    summary = serializers.CharField()
    agency = serializers.CharField(help_text="The owning agency's code.")
    state = serializers.CharField()
    outcome = serializers.CharField()
    opened_by = CasePersonDocumentSerializer()
    opened_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    flights = CaseFlightDocumentSerializer(many=True)
    subjects = CaseSubjectDocumentSerializer(many=True)
    seizures = CaseSeizureDocumentSerializer(many=True)
    entries = CaseEntryDocumentSerializer(many=True)
    attachments = CaseAttachmentDocumentSerializer(many=True)
    shared_with = CaseSharedWithSerializer(many=True)


class CaseDetailSerializer(CaseDocumentSerializer):
    id = serializers.IntegerField()
    can_change = serializers.BooleanField(
        help_text="Whether I may change subjects, seizures and state (the owning agency)."
    )
    can_contribute = serializers.BooleanField(
        help_text="Whether I may add entries and attachments (owning and partner agencies)."
    )


class CaseStateInputSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=CaseFile.State.choices)
    outcome = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=300,
        help_text="How the case ended; required to close it unless already given.",
    )


# --- Timeline -------------------------------------------------------------------------------


class CaseEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=CaseEntry.Kind.choices, read_only=True)
    text = serializers.CharField(read_only=True)
    author = CasePersonSerializer(read_only=True)
    agency = serializers.CharField(source="agency.code", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class CaseEntryInputSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, help_text="Up to 4,000 characters.")
    kind = serializers.ChoiceField(
        choices=[CaseEntry.Kind.NOTE, CaseEntry.Kind.ACTION], default=CaseEntry.Kind.NOTE
    )


# --- Seizures -------------------------------------------------------------------------------


class SeizureSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    commodity = serializers.ChoiceField(choices=Commodity.choices, read_only=True)
    quantity = serializers.DecimalField(max_digits=14, decimal_places=3, read_only=True)
    unit = serializers.ChoiceField(choices=Unit.choices, read_only=True)
    currency = serializers.CharField(read_only=True, help_text="ISO 4217, for an amount.")
    label = serializers.SerializerMethodField(  # type: ignore[assignment]  # not Field.label
        help_text="The quantity as people read it: '2.5 kg', '12,000 USD', '300 tablets'."
    )
    concealment = serializers.CharField(read_only=True, help_text="Empty when not known.")
    description = serializers.CharField(read_only=True)
    seized_on = serializers.DateField(read_only=True)
    flight = serializers.IntegerField(source="flight_id", read_only=True, allow_null=True)
    agency = serializers.CharField(source="agency.code", read_only=True)
    recorded_by = CasePersonSerializer(read_only=True)
    recorded_at = serializers.DateTimeField(read_only=True)

    def get_label(self, seizure: Seizure) -> str:
        return quantity_label(seizure)


class SeizureInputSerializer(serializers.Serializer):
    """A seizure as sent; its rules (quantity more than zero, a unit that suits the commodity,
    an ISO 4217 currency for money, a plausible date) are the service's to check and name."""

    commodity = serializers.ChoiceField(choices=Commodity.choices)
    # A string or a number: the service says what is wrong with it (negative, too precise…).
    quantity = serializers.CharField(help_text="More than zero, at most 3 decimals: 2.5")
    unit = serializers.ChoiceField(choices=Unit.choices)
    seized_on = serializers.DateField()
    currency = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="ISO 4217 code, for an amount."
    )
    concealment = serializers.ChoiceField(
        choices=Concealment.choices, required=False, allow_blank=True, default=""
    )
    description = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=300
    )
    flight = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, help_text="A flight id."
    )


# --- Subjects -------------------------------------------------------------------------------


class CaseSubjectSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    traveller = serializers.IntegerField(source="traveller_id", read_only=True, allow_null=True)
    surname = serializers.CharField(read_only=True)
    given_names = serializers.CharField(read_only=True)
    birth_date = serializers.DateField(read_only=True, allow_null=True)
    sex = serializers.CharField(read_only=True, help_text="F, M, X or empty.")
    nationality = serializers.CharField(read_only=True)
    document_number = serializers.CharField(read_only=True)
    role = serializers.ChoiceField(choices=CaseSubject.Role.choices, read_only=True)
    is_arrested = serializers.BooleanField(read_only=True)
    is_trafficking_victim = serializers.BooleanField(read_only=True)
    is_foreign_terrorist_fighter = serializers.BooleanField(read_only=True)
    added_at = serializers.DateTimeField(read_only=True)


class SubjectChangeInputSerializer(serializers.Serializer):
    """What happened to a person; anything else of a subject is not changed here."""

    role = serializers.ChoiceField(choices=CaseSubject.Role.choices, required=False)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, allow_blank=True)
    is_arrested = serializers.BooleanField(required=False)
    is_trafficking_victim = serializers.BooleanField(required=False)
    is_foreign_terrorist_fighter = serializers.BooleanField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        # Refused by name rather than dropped: a client must not believe a name was changed.
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {name: [_("This cannot be changed here.")] for name in unknown}
            )
        return attrs


class SubjectInputSerializer(SubjectChangeInputSerializer):
    """A traveller of the task force (`traveller`), or a person entered by hand (`surname`)."""

    traveller = serializers.IntegerField(
        required=False, min_value=1, help_text="A traveller id; their details are copied."
    )
    surname = serializers.CharField(required=False, max_length=120)
    given_names = serializers.CharField(required=False, allow_blank=True, max_length=160)
    birth_date = serializers.DateField(required=False, allow_null=True)
    nationality = serializers.CharField(
        required=False, allow_blank=True, max_length=3, help_text="ISO 3166 alpha-3 (TGO)."
    )
    document_number = serializers.CharField(required=False, allow_blank=True, max_length=40)


# --- Attachments ----------------------------------------------------------------------------


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    content_type = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True, help_text="In bytes.")
    sha256 = serializers.CharField(read_only=True)
    agency = serializers.CharField(source="agency.code", read_only=True)
    uploaded_by = CasePersonSerializer(read_only=True)
    uploaded_at = serializers.DateTimeField(read_only=True)
    content_url = serializers.SerializerMethodField()

    def get_content_url(self, attachment: Any) -> str:
        return f"/api/v1/cases/{attachment.case_id}/attachments/{attachment.pk}/content/"


class AttachmentInputSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True, help_text="A photo or scanned document (multipart)."
    )
    description = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=300
    )


# --- Shares and reviews ---------------------------------------------------------------------


class CaseShareSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    agency = CaseAgencySerializer(read_only=True)
    state = serializers.ChoiceField(choices=CaseShare.State.choices, read_only=True)
    reason = serializers.CharField(read_only=True)
    requested_by = CasePersonSerializer(read_only=True)
    requested_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)


class CaseShareInputSerializer(serializers.Serializer):
    agency = serializers.IntegerField(min_value=1, help_text="An agency id of the task force.")
    reason = serializers.CharField(allow_blank=True, max_length=300)


class UnshareInputSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=300)


class ReviewCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)


class ReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = serializers.ChoiceField(choices=Review.Kind.choices, read_only=True)
    case = ReviewCaseSerializer(read_only=True)
    share = CaseShareSerializer(read_only=True, allow_null=True, help_text="Kind share.")
    proposed_state = serializers.CharField(read_only=True, help_text="Kind state.")
    proposed_outcome = serializers.CharField(read_only=True)
    state = serializers.ChoiceField(choices=Review.State.choices, read_only=True)
    requested_by = CasePersonSerializer(read_only=True)
    requested_at = serializers.DateTimeField(read_only=True)
    decided_by = CasePersonSerializer(read_only=True, allow_null=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    comment = serializers.CharField(read_only=True)


class ReviewDecisionInputSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=300,
        help_text="Required to send back.",
    )
