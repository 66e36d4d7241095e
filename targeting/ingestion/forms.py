from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from targeting.ingestion import tabular
from targeting.ingestion.manifest_files import FlightInput

IGNORE = ""


class ColumnMappingForm(forms.Form):
    """One select per column of the file, plus the flight when the file does not carry it."""

    airline = forms.ModelChoiceField(
        label=_("Airline (its column layout is remembered)"), queryset=None, required=False
    )
    carrier = forms.CharField(label=_("Carrier"), max_length=3, required=False)
    number = forms.CharField(label=_("Flight number"), max_length=5, required=False)
    departure_airport = forms.CharField(label=_("From (IATA)"), max_length=3, required=False)
    arrival_airport = forms.CharField(label=_("To (IATA)"), max_length=3, required=False)
    departure = forms.DateTimeField(
        label=_("Scheduled departure (local time)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    arrival = forms.DateTimeField(
        label=_("Scheduled arrival (local time)"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )

    def __init__(
        self,
        *args: Any,
        headers: tuple[str, ...] | list[str],
        airlines: Any,
        initial_mapping: dict[str, str | None],
        provider: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.headers = list(headers)
        self.fields["airline"].queryset = airlines
        self.fields["airline"].initial = provider
        choices = [(IGNORE, _("— ignore this column —")), *tabular.FIELDS.items()]
        for index, header in enumerate(self.headers):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=initial_mapping.get(header) or IGNORE,
            )

    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"column_{i}"] for i in range(len(self.headers))]

    def flight_fields(self) -> list[forms.BoundField]:
        names = [
            "carrier",
            "number",
            "departure_airport",
            "arrival_airport",
            "departure",
            "arrival",
        ]
        return [self[name] for name in names]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [data.get(f"column_{i}") for i in range(len(self.headers))]
        used = [c for c in chosen if c]
        doubles = sorted({c for c in used if used.count(c) > 1})
        if doubles:
            raise forms.ValidationError(
                _("Each field can come from one column only: %(fields)s chosen twice.")
                % {"fields": ", ".join(tabular.FIELDS[d] for d in doubles)}
            )
        if not set(used) & set(tabular.NAME_FIELDS):
            raise forms.ValidationError(_("Choose the column that holds the surname or full name."))
        return data

    def mapping(self) -> dict[str, str | None]:
        return {
            header: self.cleaned_data.get(f"column_{i}") or None
            for i, header in enumerate(self.headers)
        }

    def flight(self) -> FlightInput:
        data = self.cleaned_data
        return FlightInput(
            carrier=data.get("carrier") or "",
            number=data.get("number") or "",
            departure_airport=data.get("departure_airport") or "",
            arrival_airport=data.get("arrival_airport") or "",
            departure=data["departure"].replace(tzinfo=None) if data.get("departure") else None,
            arrival=data["arrival"].replace(tzinfo=None) if data.get("arrival") else None,
        )
