"""The operation pages' forms: they read and type the input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, TaskForce
from agencies.operations.models import JointOperation


class AgencyChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code}) · {obj.task_force.code}"


class OperationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    code = forms.CharField(
        label=_("Code"), max_length=20, help_text=_("e.g. HIGH-FLYER-2026; capitals and digits.")
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    start_date = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    task_forces = forms.ModelMultipleChoiceField(
        label=_("Participating task forces"),
        queryset=TaskForce.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    agencies = AgencyChoice(
        label=_("Participating agencies"),
        queryset=Agency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: every agency of the participating task forces takes part."),
    )

    def __init__(
        self,
        *args: Any,
        task_forces: QuerySet[TaskForce],
        agencies: QuerySet[Agency],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        task_force_field: Any = self.fields["task_forces"]
        agency_field: Any = self.fields["agencies"]
        task_force_field.queryset = task_forces
        agency_field.queryset = agencies
        if not self.is_bound and len(task_forces) == 1:
            task_force_field.initial = [task_forces[0].pk]


class CaseOperationForm(forms.Form):
    operation = forms.ModelChoiceField(
        label=_("Joint operation"),
        queryset=JointOperation.objects.none(),
        required=False,
        empty_label=_("none"),
    )

    def __init__(self, *args: Any, operations: QuerySet[JointOperation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["operation"]
        field.queryset = operations
