"""The case page's joint-operation panel, kept here so the shared case template stays small."""

from __future__ import annotations

from typing import Any

from django import template

from agencies.cases.models import CaseFile
from agencies.cases.selectors import can_change
from agencies.operations import selectors
from agencies.operations.forms import CaseOperationForm

register = template.Library()


@register.inclusion_tag("operations/_case_operation.html", takes_context=True)
def case_operation_panel(context: dict[str, Any], case: CaseFile) -> dict[str, Any]:
    user = context["request"].user
    operation = None
    if case.joint_operation_id:
        # Only named to those who may see the operation; the others see that it is in one.
        operation = selectors.operations_visible_to(user).filter(pk=case.joint_operation_id).first()
    form = None
    if can_change(user, case):
        form = CaseOperationForm(
            operations=selectors.operations_for_case(user, case),
            initial={"operation": case.joint_operation_id},
        )
    return {
        "case": case,
        "operation": operation,
        "in_operation": bool(case.joint_operation_id),
        "form": form,
        "csrf_token": context.get("csrf_token"),
    }
