"""Risk rule pages: the task force's rules, the builder, the what-if preview, version history.

Every member of a task force reads its rules; the analysts and supervisors of an agency write
that agency's rules. A rule someone may not edit answers 404 on its edit page.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.selectors import is_agency_member
from aircop.web.shortcuts import add_service_errors, require
from targeting.rules import evaluation, selectors, whatif
from targeting.rules.forms import PreviewForm, RuleForm, window_choices
from targeting.rules.models import Rule
from targeting.rules.rules import save_rule

HITS_WINDOW_DAYS = 30


def _can_write_rules(user: Any) -> bool:
    return is_agency_member(user) and (user.has_role("analyst") or user.has_role("supervisor"))


# -- pages --------------------------------------------------------------------------------------


@require(is_agency_member)
def rule_list(request: HttpRequest) -> HttpResponse:
    """The task force's rules with their current version and recent hits."""
    since = timezone.now() - timedelta(days=HITS_WINDOW_DAYS)
    rules = (
        selectors.rules_visible_to(request.user)
        .annotate(recent_hits=Count("hits", filter=Q(hits__created_at__gte=since)))
        .order_by("agency__code", "name")
    )
    return render(
        request,
        "rules/rule_list.html",
        {
            "rules": rules,
            "can_write": _can_write_rules(request.user),
            "agency_id": getattr(request.user, "agency_id", None),
            "hits_days": HITS_WINDOW_DAYS,
        },
    )


@require(is_agency_member)
def rule_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A rule and every version of it: who changed what, when and why."""
    rule = get_object_or_404(selectors.rules_visible_to(request.user), pk=pk)
    versions = rule.versions.select_related("created_by").order_by("-number")
    return render(
        request,
        "rules/rule_detail.html",
        {
            "rule": rule,
            "versions": [(v, condition_in_words(v.condition)) for v in versions],
            "can_edit": selectors.rules_editable_by(request.user).filter(pk=rule.pk).exists(),
        },
    )


@require(_can_write_rules)
def rule_create(request: HttpRequest) -> HttpResponse:
    return _rule_form(request, rule=None)


@require(_can_write_rules)
def rule_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _rule_form(
        request, rule=get_object_or_404(selectors.rules_editable_by(request.user), pk=pk)
    )


def _rule_form(request: HttpRequest, rule: Rule | None) -> HttpResponse:
    """The builder: a new rule, or a new version of one. "Preview" without JavaScript lands here."""
    taken = set(
        selectors.rules_editable_by(request.user)
        .exclude(pk=rule.pk if rule else 0)
        .values_list("name", flat=True)
    )
    is_preview = request.method == "POST" and "preview" in request.POST
    if is_preview:
        # Show what was typed without judging a rule that is not being saved yet.
        typed = {**request.POST.dict(), "is_active": "is_active" in request.POST}
        form = RuleForm(initial=typed, taken_names=taken)
    else:
        form = RuleForm(request.POST or None, initial=_initial(rule), taken_names=taken)
    preview_form = PreviewForm(request.POST or None)
    preview = _preview(request, preview_form) if is_preview else None
    if request.method == "POST" and not is_preview and form.is_valid():
        data = form.cleaned_data
        try:
            saved = save_rule(
                actor=request.user,
                rule=rule,
                name=data["name"],
                condition=data["condition"],
                weight=data["weight"],
                category=data["category"],
                reason=data["reason"],
                is_active=data["is_active"],
            )
        except ValidationError as err:
            add_service_errors(form, err)
        except PermissionDenied as err:
            raise Http404 from err
        else:
            number = saved.current_version.number if saved.current_version else 0
            messages.success(
                request, _("Saved version %(n)d of %(name)s.") % {"n": number, "name": saved.name}
            )
            return redirect("rule-detail", pk=saved.pk)
    return render(
        request,
        "rules/rule_form.html",
        {
            "form": form,
            "rule": rule,
            "catalogue": evaluation.field_catalogue(),
            "windows": window_choices(),
            "default_window": whatif.DEFAULT_WINDOW,
            "preview_form": preview_form,
            "preview": preview,
        },
    )


@require_POST
@require(_can_write_rules)
def rule_preview(request: HttpRequest) -> HttpResponse:
    """The what-if panel for the builder's unsaved condition (htmx swaps it in)."""
    form = PreviewForm(request.POST)
    return render(
        request,
        "rules/partials/preview.html",
        {"preview": _preview(request, form), "preview_form": form},
    )


def _preview(request: HttpRequest, form: PreviewForm) -> whatif.Preview | None:
    if not form.is_valid():
        return None
    try:
        return whatif.preview_rule(
            actor=request.user,
            condition=form.cleaned_data["condition"],
            days=form.cleaned_data["days"],
        )
    except ValidationError as err:
        add_service_errors(form, err)
        return None


def _initial(rule: Rule | None) -> dict[str, Any]:
    if rule is None or rule.current_version is None:
        return {"is_active": True, "weight": 50}
    version = rule.current_version
    return {
        "name": rule.name,
        "category": version.category,
        "weight": version.weight,
        "is_active": rule.is_active,
        "condition": version.condition,
    }


# -- a condition in words -----------------------------------------------------------------------


def condition_in_words(node: Any) -> str:
    """A condition tree as a sentence: "all of: Nationality is BRA; Hours booked … is under 24".

    Nested groups are put in brackets; a stored tree that no longer validates is shown as is.
    """
    if not isinstance(node, dict):
        return str(node)
    for key, words in (("all", _("all of")), ("any", _("any of"))):
        if key in node and isinstance(node[key], list):
            parts = [_child_in_words(child) for child in node[key]]
            return f"{words}: " + "; ".join(parts)
    if "not" in node:
        child = node["not"]
        if isinstance(child, dict) and isinstance(child.get("any"), list):
            return f"{_('none of')}: " + "; ".join(_child_in_words(c) for c in child["any"])
        return f"{_('not')}: " + _child_in_words(child)
    return _leaf_in_words(node)


def _child_in_words(node: Any) -> str:
    words = condition_in_words(node)
    is_group = isinstance(node, dict) and any(key in node for key in ("all", "any", "not"))
    return f"({words})" if is_group else words


def _leaf_in_words(leaf: dict[str, Any]) -> str:
    spec = evaluation.FIELDS.get(str(leaf.get("field", "")))
    label = spec.label if spec else str(leaf.get("field"))
    try:
        op = evaluation.Op(str(leaf.get("op")))
    except ValueError:
        return f"{label} {leaf.get('op')} {leaf.get('value')}"
    words = f"{label} {evaluation.OP_LABELS[op]}"
    shape = evaluation.OP_VALUE_SHAPE[op]
    value = leaf.get("value")
    choices: dict[Any, str] = dict(spec.choices) if spec else {}
    if shape == "one":
        words += f" {choices.get(value, value)}"
    elif shape == "list" and isinstance(value, list):
        shown = leaf.get("value_label") or ", ".join(str(choices.get(v, v)) for v in value)
        words += f" {shown}"
    elif shape == "range" and isinstance(value, list) and len(value) == 2:
        words += f" {value[0]} {_('and')} {value[1]}"
    if spec and spec.unit and shape in ("one", "range"):
        words += f" {spec.unit}"
    return words
