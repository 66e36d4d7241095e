"""Creating joint operations and attaching cases to them: validation, write and audit together."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.cases.models import CaseEntry, CaseFile
from agencies.cases.selectors import can_change
from agencies.cases.services import _entry
from agencies.models import Agency, TaskForce, entity_code
from agencies.operations.models import JointOperation
from agencies.operations.selectors import (
    can_create_operations,
    operations_visible_to,
    task_forces_for_new_operation,
)
from agencies.selectors import is_platform_admin
from aircop.audit.services import Action, record_event


def create_operation(
    *,
    actor: Any,
    name: str,
    code: str,
    start_date: date,
    end_date: date,
    task_forces: Iterable[TaskForce],
    agencies: Iterable[Agency] = (),
    description: str = "",
) -> JointOperation:
    """A joint operation of the given task forces.

    Platform admins choose any task forces of the installation; a supervisor only their own.
    When no agency is named, every agency of the participating task forces takes part.
    """
    if not can_create_operations(actor):
        raise PermissionDenied(_("Only platform admins and supervisors create joint operations."))
    task_forces = list(task_forces)
    agencies = list(agencies)
    name = (name or "").strip()
    code = (code or "").strip().upper()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Give the operation a name.")
    try:
        entity_code(code)
    except ValidationError as error:
        errors["code"] = error.messages[0]
    else:
        if JointOperation.objects.filter(code=code).exists():
            errors["code"] = _("Another operation has the code %(code)s.") % {"code": code}
    if start_date and end_date and end_date < start_date:
        errors["end_date"] = _("The last day cannot come before the first.")
    if not task_forces:
        errors["task_forces"] = _("Choose at least one participating task force.")
    elif not is_platform_admin(actor):
        allowed = set(task_forces_for_new_operation(actor).values_list("pk", flat=True))
        if any(tf.pk not in allowed for tf in task_forces):
            errors["task_forces"] = _("A supervisor creates operations for their own task force.")
    participating = {tf.pk for tf in task_forces}
    strangers = [a for a in agencies if a.task_force_id not in participating]
    if strangers:
        errors["agencies"] = _("%(codes)s not of a participating task force.") % {
            "codes": ", ".join(a.code for a in strangers)
        }
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        operation = JointOperation.objects.create(
            name=name,
            code=code,
            description=description.strip(),
            start_date=start_date,
            end_date=end_date,
            created_by=actor,
        )
        operation.task_forces.set(task_forces)
        operation.agencies.set(agencies or Agency.objects.filter(task_force__in=task_forces))
        record_event(action=Action.CREATE, actor=actor, obj=operation, reason=name)
    return operation


def attach_case(*, actor: Any, case: CaseFile, operation: JointOperation | None) -> CaseFile:
    """Count the case (its seizures and persons) for an operation its agency takes part in.

    `operation=None` takes the case out of the operation it was in.
    """
    if not can_change(actor, case):
        raise PermissionDenied(_("Only the owning agency's case workers attach a case."))
    if operation is not None:
        if not operations_visible_to(actor).filter(pk=operation.pk).exists():
            raise ValidationError({"operation": _("Choose an operation from the list.")})
        if not operation.agencies.filter(pk=case.agency_id).exists():
            raise ValidationError(
                {
                    "operation": _("%(agency)s does not take part in %(operation)s.")
                    % {"agency": case.agency.code, "operation": operation.name}
                }
            )
    if case.joint_operation_id == (operation.pk if operation else None):
        return case
    with transaction.atomic():
        case.joint_operation = operation
        case.save(update_fields=["joint_operation", "updated_at"])
        if operation is not None:
            text = _("Attached to the joint operation %(name)s.") % {"name": operation.name}
        else:
            text = _("Taken out of its joint operation.")
        _entry(case, actor, CaseEntry.Kind.ACTION, text)
        record_event(
            action=Action.CHANGE,
            actor=actor,
            obj=case,
            reason="joint operation",
            details={"joint_operation": operation.pk if operation else None},
        )
    return case
