from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Airport, DataProvider, Role, TaskForce


class AirportForm(forms.ModelForm):
    class Meta:
        model = Airport
        fields = ["iata_code", "icao_code", "name", "city", "country", "time_zone"]


class TaskForceForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("For example TG-LFW."))
    country = forms.CharField(label=_("Country (ISO alpha-3)"), max_length=3)
    airports = forms.ModelMultipleChoiceField(
        label=_("Home airports"), queryset=Airport.objects.all(), to_field_name="iata_code"
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[c for c in TaskForce.Status.choices if c[0] != TaskForce.Status.OPERATIONAL],
        initial=TaskForce.Status.UNDER_ESTABLISHMENT,
    )


class TaskForceStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TaskForce.Status.choices)


class AgencyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    code = forms.CharField(label=_("Code"), max_length=20, help_text=_("For example LFW-CUS."))
    kind = forms.ChoiceField(label=_("Kind"), choices=Agency.Kind.choices)


class InvitationForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    email = forms.EmailField(label=_("Email"))
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, agencies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["agency"].queryset = agencies
            if agencies.count() == 1:
                self.fields["agency"].initial = agencies.first()


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple
    )


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, strip=False)
    password_again = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput, strip=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") != data.get("password_again"):
            self.add_error("password_again", _("The two passwords differ."))
        return data


class DataProviderForm(forms.Form):
    code = forms.CharField(label=_("IATA code"), max_length=3)
    name = forms.CharField(label=_("Name"), max_length=160)
    kind = forms.ChoiceField(label=_("Kind"), choices=DataProvider.Kind.choices)
    task_forces = forms.ModelMultipleChoiceField(
        label=_("Sends data for"),
        queryset=TaskForce.objects.all(),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class PersonalTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=50, help_text=_("What uses it, e.g. a script.")
    )
    expiry_date = forms.DateTimeField(
        label=_("Expires"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
