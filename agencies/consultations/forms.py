from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from agencies.consultations.models import ConsultationRequest
from agencies.models import DataProvider


class RequestForm(forms.Form):
    airline = forms.ModelChoiceField(queryset=DataProvider.objects.none(), label=_("Airline"))
    kind = forms.ChoiceField(choices=ConsultationRequest.Kind.choices, label=_("Kind"))
    carrier = forms.CharField(max_length=3, required=False, label=_("Carrier"))
    flight_number = forms.CharField(max_length=5, required=False, label=_("Flight number"))
    flight_date = forms.DateField(
        required=False, label=_("Flight date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    record_locator = forms.CharField(max_length=12, required=False, label=_("Record locator"))
    question = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label=_("Question"))
    deadline = forms.DateTimeField(
        label=_("Deadline"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def __init__(self, *args: Any, airlines: QuerySet[DataProvider], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["airline"].queryset = airlines  # type: ignore[attr-defined]  # ModelChoiceField


class AnswerForm(forms.Form):
    answer_text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), required=False, label=_("Answer")
    )
    answer_file = forms.FileField(
        required=False,
        label=_("File (PAXLST, PNRGOV, CSV or XLSX manifest)"),
    )


class RequestFilterForm(forms.Form):
    state = forms.ChoiceField(
        choices=[("", _("any state")), *ConsultationRequest.State.choices], required=False
    )
    airline = forms.CharField(max_length=3, required=False, label=_("Airline code"))
