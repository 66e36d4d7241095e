"""Training pages' forms: they read and type the input; the services decide what is allowed."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from agencies.training.models import Gender, Topic, Training

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TrainingFilterForm(forms.Form):
    """The list's filters and the period of its totals; bad values fall back to none."""

    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)
    topic = forms.ChoiceField(
        label=_("Topic"), choices=[("", _("any")), *Topic.choices], required=False
    )

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {"start": None, "end": None, "topic": ""}
        return {
            "start": self.cleaned_data["start"],
            "end": self.cleaned_data["end"],
            "topic": self.cleaned_data["topic"],
        }


class TrainingForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Training.Kind.choices, initial=Training.Kind.TRAINING
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    start = forms.DateField(label=_("First day"), widget=DATE)
    end = forms.DateField(label=_("Last day"), widget=DATE)
    place = forms.CharField(label=_("Place"), max_length=200)
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=Topic.choices, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start: date | None = cleaned.get("start")
        end: date | None = cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The last day cannot be before the first day."))
        return cleaned


class TrainerForm(forms.Form):
    name = forms.CharField(label=_("Trainer's name"), max_length=200)
    nationality = forms.CharField(
        label=_("Nationality (ISO alpha-3)"),
        max_length=3,
        widget=forms.TextInput(attrs={"size": 4, "autocapitalize": "characters"}),
    )
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)

    # Both forms sit on the training page and share field names; their ids must differ.
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "trainer-%s")
        super().__init__(*args, **kwargs)


class ParticipantForm(forms.Form):
    name = forms.CharField(label=_("Participant's name"), max_length=200)
    agency = forms.ModelChoiceField(
        label=_("Agency"), queryset=Agency.objects.none(), required=False, empty_label=_("other")
    )
    outside_agency = forms.CharField(
        label=_("Other agency (if not listed)"), max_length=200, required=False
    )
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    role = forms.CharField(label=_("Role"), max_length=120, required=False)

    def __init__(self, *args: Any, task_force_id: int, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "participant-%s")
        super().__init__(*args, **kwargs)
        agency_field: Any = self.fields["agency"]
        agency_field.queryset = Agency.objects.filter(task_force_id=task_force_id).order_by("code")


class ParticipantImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "Columns: name, agency (code of an agency of the task force) or other agency, "
            "gender (F, M or X), role."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "import-%s")
        super().__init__(*args, **kwargs)
