from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from targeting.rules.models import Category
from targeting.triage.models import Outcome
from targeting.triage.selectors import QueueFilters

STATE_CHOICES = [
    ("open", _("to decide")),
    ("new", _("new")),
    ("assigned", _("assigned")),
    ("referred", _("referred")),
    ("decided", _("decided")),
    ("all", _("all")),
]


class QueueFilterForm(forms.Form):
    """The queue's filters, read from the query string; bad values fall back to none."""

    q = forms.CharField(label=_("Name or document"), required=False, max_length=80)
    state = forms.ChoiceField(label=_("State"), choices=STATE_CHOICES, required=False)
    flight = forms.TypedChoiceField(label=_("Flight"), coerce=int, required=False)
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("any")), *Category.choices], required=False
    )
    agency = forms.TypedChoiceField(label=_("List or rule of"), coerce=int, required=False)
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)

    def __init__(self, *args: Any, flights: list[Any], agencies: list[Agency], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["flight"].choices = [("", _("all upcoming"))] + [
            (f.pk, f"{f.designator} {f.departure_airport}→{f.arrival_airport}") for f in flights
        ]
        self.fields["agency"].choices = [("", _("any agency"))] + [(a.pk, a.name) for a in agencies]

    def filters(self) -> QueueFilters:
        if not self.is_valid():
            return QueueFilters()
        data = self.cleaned_data
        return QueueFilters(
            state=data["state"] or "open",
            flight=data["flight"] or None,
            category=data["category"],
            agency=data["agency"] or None,
            mine=data["mine"],
            search=data["q"].strip(),
        )


class DecisionForm(forms.Form):
    """One decision, as the traveller page and the queue's dialogs send it."""

    kind = forms.ChoiceField(
        choices=[("assign", _("assign")), ("refer", _("refer")), ("outcome", _("outcome"))]
    )
    version = forms.IntegerField(min_value=0)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)
    assignee = forms.CharField(label=_("Assign to"), required=False)
    agency = forms.TypedChoiceField(label=_("Refer to"), coerce=int, required=False)
    outcome = forms.ChoiceField(
        label=_("Outcome"), choices=[("", "—"), *Outcome.choices], required=False
    )

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "—")] + [(a.pk, a.name) for a in agencies]
