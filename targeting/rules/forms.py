"""Forms of the rule pages: the rule with its condition tree, and the what-if window."""

from __future__ import annotations

import json
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from targeting.rules import evaluation, whatif
from targeting.rules.models import Category

EMPTY_CONDITION: dict[str, Any] = {"all": []}


class ConditionField(forms.CharField):
    """A condition tree as JSON text: the builder writes it, a person without JavaScript types it.

    Cleans to the parsed tree; each validation error names the path of the part at fault
    ("all[1].value: 'XX' is not an airport code") so the page can show it next to the builder.
    """

    widget = forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "class": "code"})

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as err:
            raise ValidationError(
                _("The condition is not valid JSON (line %(line)d, column %(column)d: %(msg)s).")
                % {"line": err.lineno, "column": err.colno, "msg": err.msg}
            ) from err

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False)
        return value

    def validate(self, value: Any) -> None:
        if value is None:
            raise ValidationError(_("Add at least one condition."))
        if isinstance(value, dict) and value.get("all") == [] and len(value) == 1:
            raise ValidationError(_("Add at least one condition."))
        errors = evaluation.validate_condition(value)
        if errors:
            raise ValidationError(errors)


class RuleForm(forms.Form):
    """A rule's settings and condition; every save is a new version with its reason."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=120)
    category = forms.ChoiceField(label=gettext_lazy("Category"), choices=Category.choices)
    weight = forms.IntegerField(
        label=gettext_lazy("Weight"),
        min_value=1,
        max_value=100,
        initial=50,
        help_text=gettext_lazy("The score a match adds to the traveller's priority, 1 to 100."),
    )
    is_active = forms.BooleanField(
        label=gettext_lazy("Active (used in screening)"), required=False, initial=True
    )
    condition = ConditionField(
        label=gettext_lazy("Condition (JSON)"),
        help_text=gettext_lazy(
            "The builder writes this. Without JavaScript, write the tree here, e.g. "
            '{"all": [{"field": "nationality", "op": "eq", "value": "BRA"}]}.'
        ),
    )
    reason = forms.CharField(
        label=gettext_lazy("Why this change"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Kept with the version, for whoever reads its hits later."),
    )

    def __init__(self, *args: Any, taken_names: set[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.taken_names = {n.casefold() for n in taken_names or set()}

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        if name.casefold() in self.taken_names:
            raise ValidationError(
                _("Your agency already has a rule named '%(name)s'.") % {"name": name}
            )
        return name

    def condition_errors(self) -> list[tuple[str, str]]:
        """The condition's errors as (path, message), for the builder to place them."""
        return condition_errors(self)


def condition_errors(form: forms.Form) -> list[tuple[str, str]]:
    """A form's condition errors split into the path they name and the message."""
    pairs = []
    for error in form.errors.get("condition", []):
        path, sep, message = str(error).partition(": ")
        pairs.append((path, message) if sep and " " not in path else ("", str(error)))
    return pairs


class PreviewForm(forms.Form):
    """The unsaved condition and the window of past flights to try it on."""

    condition = ConditionField(label=gettext_lazy("Condition (JSON)"))
    days = forms.TypedChoiceField(
        label=gettext_lazy("Past flights of the last"),
        coerce=int,
        initial=whatif.DEFAULT_WINDOW,
        required=False,
        empty_value=None,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["days"]).choices = window_choices()

    def clean_days(self) -> int:
        days = self.cleaned_data.get("days")
        return days if isinstance(days, int) else whatif.DEFAULT_WINDOW

    def condition_errors(self) -> list[tuple[str, str]]:
        """The condition's errors as (path, message), for the builder to place them."""
        return condition_errors(self)


def window_choices() -> list[tuple[int, str]]:
    """The what-if windows as the page offers them, in the person's language."""
    return [(days, _("%(days)d days") % {"days": days}) for days in whatif.WINDOWS]
