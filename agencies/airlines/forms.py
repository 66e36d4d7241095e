from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agencies.airlines.models import Airline, AirlineContact
from agencies.models import DataProvider


class AirlineForm(forms.ModelForm):  # type: ignore[type-arg]  # django-stubs generic
    channels = forms.MultipleChoiceField(
        label=_("channels"),
        choices=Airline.Channel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Airline
        fields = [
            "code",
            "name",
            "provider",
            "state",
            "inbound",
            "outbound",
            "sends_api",
            "sends_pnr",
            "channels",
            "api_hours_before",
            "pnr_hours_before",
            "notes",
        ]

    def __init__(self, *args: Any, task_force_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = DataProvider.objects.filter(  # type: ignore[attr-defined]  # ModelChoiceField
            task_forces=task_force_id
        )


class ContactForm(forms.ModelForm):  # type: ignore[type-arg]  # django-stubs generic
    class Meta:
        model = AirlineContact
        fields = ["name", "role", "email", "phone"]


class DocumentForm(forms.Form):
    upload = forms.FileField(label=_("agreement (PDF)"))


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("from"), required=False)
    end = forms.DateField(label=_("to"), required=False)

    def period(self) -> tuple[date, date]:
        today = timezone.localdate()
        data = self.cleaned_data if self.is_valid() else {}
        end = data.get("end") or today
        start = data.get("start") or end - timedelta(days=90)
        return (start, end) if start <= end else (end, start)
