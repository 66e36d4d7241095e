"""The case pages' forms: they read and type the input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from agencies.cases import attachments
from agencies.cases.models import CaseEntry, CaseFile, CaseSubject, Commodity, Concealment, Unit
from agencies.models import Agency
from targeting.manifests.models import Flight

MINE_CHOICES = [
    ("", _("all I may see")),
    ("ours", _("my agency's")),
    ("shared", _("shared with my agency")),
]


class CaseFilterForm(forms.Form):
    """The list's filters, read from the query string; bad values fall back to none."""

    q = forms.CharField(label=_("Number, title or surname"), required=False, max_length=80)
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("any")), *CaseFile.State.choices], required=False
    )
    mine = forms.ChoiceField(label=_("Owner"), choices=MINE_CHOICES, required=False)

    def filters(self) -> dict[str, str]:
        if not self.is_valid():
            return {"q": "", "state": "", "mine": ""}
        return {
            "q": self.cleaned_data["q"].strip(),
            "state": self.cleaned_data["state"],
            "mine": self.cleaned_data["mine"],
        }


class CaseForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class EntryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(CaseEntry.Kind.NOTE, _("note")), (CaseEntry.Kind.ACTION, _("action"))],
        initial=CaseEntry.Kind.NOTE,
    )
    text = forms.CharField(
        label=_("Entry"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SubjectForm(forms.ModelForm):
    """A person entered by hand; the service checks the fields again and stores them."""

    class Meta:
        model = CaseSubject
        fields = [
            "surname",
            "given_names",
            "birth_date",
            "sex",
            "nationality",
            "document_number",
            "role",
            "is_arrested",
            "is_trafficking_victim",
            "is_foreign_terrorist_fighter",
        ]
        widgets = {"birth_date": forms.DateInput(attrs={"type": "date"})}


class SubjectUpdateForm(forms.ModelForm):
    """What happened to a person of the case; one per subject, named by a prefix."""

    class Meta:
        model = CaseSubject
        fields = [
            "role",
            "sex",
            "is_arrested",
            "is_trafficking_victim",
            "is_foreign_terrorist_fighter",
        ]


class SeizureForm(forms.Form):
    """Types only: the rules of a seizure (positive quantity, currency code…) are the service's."""

    commodity = forms.ChoiceField(label=_("Commodity"), choices=Commodity.choices)
    quantity = forms.DecimalField(label=_("Quantity"), max_digits=14, decimal_places=3)
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)
    currency = forms.CharField(
        label=_("Currency"),
        required=False,
        max_length=3,
        help_text=_("ISO 4217 code (USD, EUR, XOF) for an amount of money."),
    )
    concealment = forms.ChoiceField(
        label=_("Concealment"), choices=[("", "—"), *Concealment.choices], required=False
    )
    description = forms.CharField(label=_("Description"), required=False, max_length=300)
    seized_on = forms.DateField(
        label=_("Seized on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    flight = forms.ModelChoiceField(
        label=_("Flight"), queryset=Flight.objects.none(), required=False, empty_label="—"
    )

    def __init__(self, *args: Any, flights: list[Flight], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["flight"]
        field.queryset = Flight.objects.filter(pk__in=[f.pk for f in flights])
        field.label_from_instance = lambda f: f"{f.designator} {f.departure_date:%Y-%m-%d}"


class AttachmentForm(forms.Form):
    upload = forms.FileField(label=_("File"))
    description = forms.CharField(label=_("Description"), required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["upload"]
        # A hint for the file picker; the service reads the content to decide.
        field.widget.attrs["accept"] = ",".join(attachments.ALLOWED_TYPES)
        field.help_text = _("%(types)s; up to %(size)s.") % {
            "types": ", ".join(attachments.ALLOWED_TYPES.values()),
            "size": attachments.size_label(settings.CASE_ATTACHMENT_MAX_BYTES),
        }


class ShareForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())
    reason = forms.CharField(label=_("Why"), max_length=300)

    def __init__(self, *args: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["agency"]
        field.queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies]).order_by("name")


class UnshareForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=300)


class StateForm(forms.Form):
    state = forms.ChoiceField(label=_("New state"), choices=CaseFile.State.choices)
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        max_length=300,
        help_text=_("Needed to close the case: what came of it."),
    )

    def __init__(self, *args: Any, case: CaseFile, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["state"]
        field.choices = [(v, label) for v, label in CaseFile.State.choices if v != case.state]
        self.initial.setdefault("outcome", case.outcome)


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, max_length=300)
