from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, TaskForce
from agencies.operations.models import JointOperation


def last_twelve_months(today: date) -> tuple[date, date]:
    """From the first day of the month eleven months back to today: twelve monthly bars."""
    months = today.year * 12 + today.month - 1 - 11
    return date(months // 12, months % 12 + 1, 1), today


class ResultsForm(forms.Form):
    start = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput({"type": "date"}))
    task_force = forms.ModelChoiceField(
        label=_("Task force"), queryset=TaskForce.objects.none(), required=False
    )
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.none(), required=False
    )
    operation = forms.ModelChoiceField(
        label=_("Joint operation"), queryset=JointOperation.objects.none(), required=False
    )

    def __init__(
        self,
        *args: Any,
        task_forces: Any,
        agencies: Any,
        operations: Any,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["task_force"].queryset = task_forces
        fields["agency"].queryset = agencies
        fields["operation"].queryset = operations
        if task_forces.count() < 2:
            del self.fields["task_force"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end of the period comes before its start."))
        return data
