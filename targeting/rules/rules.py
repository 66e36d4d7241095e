"""Keeping risk rules: each change is a new version saying who changed what and why."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from aircop.audit.services import Action, record_event
from targeting.rules import evaluation
from targeting.rules.models import Category, Rule, RuleVersion


def _can_write_rules(actor: Any) -> bool:
    return bool(actor.agency_id and (actor.has_role("analyst") or actor.has_role("supervisor")))


def check_condition(condition: Any) -> None:
    errors = evaluation.validate_condition(condition)
    if errors:
        raise ValidationError({"condition": errors})


@transaction.atomic
def save_rule(
    *,
    actor: Any,
    rule: Rule | None,
    name: str,
    condition: Any,
    weight: int,
    category: str,
    reason: str,
    is_active: bool = True,
) -> Rule:
    """Create a rule or give it a new version; the old versions stay for the hits they made."""
    if not _can_write_rules(actor):
        raise PermissionDenied(_("Only analysts and supervisors write risk rules."))
    if rule is not None and rule.agency_id != actor.agency_id:
        raise PermissionDenied(_("You change the rules of your own agency only."))
    check_condition(condition)
    if category not in Category.values:
        raise ValidationError({"category": _("Unknown category '%(c)s'.") % {"c": category}})
    if not 1 <= int(weight) <= 100:
        raise ValidationError({"weight": _("The weight is from 1 to 100.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why (it is kept with the version).")})
    if rule is None:
        rule = Rule(agency=actor.agency, name=name.strip())
        rule.full_clean(exclude=["current_version"])
        rule.save()
    else:
        rule.name = name.strip()
    number = (rule.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = RuleVersion.objects.create(
        rule=rule,
        number=number,
        condition=condition,
        weight=int(weight),
        category=category,
        created_by=actor,
        reason=reason.strip()[:300],
    )
    rule.current_version = version
    rule.is_active = is_active
    rule.save()
    record_event(
        action=Action.CREATE if number == 1 else Action.CHANGE,
        actor=actor,
        obj=rule,
        reason=reason[:500],
        details={"version": number, "weight": int(weight)},
    )
    from targeting.rules.tasks import rescreen_upcoming_flights

    rescreen_upcoming_flights.delay_on_commit(rule_id=rule.pk)
    return rule
