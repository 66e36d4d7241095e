"""The liaison pages' forms: they read and type the input; the services decide what is allowed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from liaison.models import Counterpart, Exchange, Handling

# What each handling code means inside the application (liaison/selectors.py enforces it) and
# for the receiver, in the words an officer reads before choosing one.
HANDLING_MEANING = {
    Handling.RED: _(
        "Only the liaison officers read it here; the receiver keeps it to the people named."
    ),
    Handling.AMBER_STRICT: _(
        "Liaison officers and the agency it concerns read it; the receiver keeps it inside "
        "their own organisation."
    ),
    Handling.AMBER: _(
        "The whole task force may read it; the receiver shares it with their organisation and "
        "its partners on a need-to-know basis."
    ),
    Handling.GREEN: _(
        "The whole task force may read it; the receiver may share it within the community, "
        "not publicly."
    ),
    Handling.CLEAR: _("No restriction on who reads or receives it."),
}

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class ExchangeFilterForm(forms.Form):
    """The lists' filters, read from the query string; bad values fall back to none."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=[("", _("any")), *Exchange.Kind.choices], required=False
    )
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("any")), *Exchange.State.choices], required=False
    )
    counterpart = forms.ModelChoiceField(
        label=_("Counterpart"),
        queryset=Counterpart.objects.none(),
        required=False,
        empty_label=_("any"),
    )

    def __init__(self, *args: Any, counterparts: QuerySet[Counterpart], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["counterpart"].queryset = counterparts

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {"kind": "", "state": "", "counterpart": None}
        return dict(self.cleaned_data)


class HandlingSelect(forms.RadioSelect):
    """Radio buttons that carry what each code means (`radio.data.meaning` in a template)."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        option["meaning"] = HANDLING_MEANING.get(option["value"], "")
        return option


def _labelled(objects: Iterable[Model], label: Any) -> list[tuple[int, str]]:
    return [(obj.pk, label(obj)) for obj in objects]


class ComposeForm(forms.Form):
    """A new exchange. The pickers validate against everything the person may attach, and show
    only the candidates the page offers (preselected, today's flights, search results)."""

    counterpart = forms.ModelChoiceField(
        label=_("To"), queryset=Counterpart.objects.none(), empty_label=None
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Exchange.Kind.choices)
    handling = forms.ChoiceField(
        label=_("Handling code"),
        choices=Handling.choices,
        initial=Handling.AMBER,
        widget=HandlingSelect,
    )
    deadline = forms.DateTimeField(
        label=_("Answer by"),
        required=False,
        input_formats=[DATETIME_LOCAL],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
        help_text=_("Optional. Past it, the exchange shows as overdue until answered."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(
        label=_("Message"), max_length=8000, widget=forms.Textarea(attrs={"rows": 8})
    )
    travellers: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Travellers"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    flights: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Flights"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cases: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(
        label=_("Case files"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(
        self,
        *args: Any,
        counterparts: QuerySet[Counterpart],
        travellers: QuerySet[Any],
        flights: QuerySet[Any],
        cases: QuerySet[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = self.fields
        fields["counterpart"].queryset = counterparts
        fields["travellers"].queryset = travellers
        fields["flights"].queryset = flights
        fields["cases"].queryset = cases

    def offer(
        self, *, travellers: Iterable[Any], flights: Iterable[Any], cases: Iterable[Any]
    ) -> None:
        """The checkboxes the page shows; what is posted is still checked against the querysets."""
        fields: dict[str, Any] = self.fields
        fields["travellers"].widget.choices = _labelled(
            travellers,
            lambda t: (
                f"{t.surname}, {t.given_names} · {t.flight.designator} "
                f"{t.flight.departure_date:%Y-%m-%d}"
            ),
        )
        fields["flights"].widget.choices = _labelled(
            flights,
            lambda f: (
                f"{f.designator} {f.departure_airport} → {f.arrival_airport} "
                f"{f.departure_date:%Y-%m-%d}"
            ),
        )
        fields["cases"].widget.choices = _labelled(cases, lambda c: f"{c.number} · {c.title}")

    def posted_ids(self, name: str) -> list[int]:
        """Ids the person checked, to keep them on the page when it is shown again."""
        if not self.is_bound:
            return []
        data: Any = self.data  # a QueryDict when bound from a request
        return [int(v) for v in data.getlist(name) if str(v).isdigit()]


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Reply"), max_length=8000, widget=forms.Textarea(attrs={"rows": 5})
    )
