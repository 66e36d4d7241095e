from __future__ import annotations

from typing import Any

from django.db import models

from aircop.audit.context import current_origin
from aircop.audit.models import AuditEvent

Action = AuditEvent.Action


def record_event(
    *,
    action: str,
    actor: Any = None,
    obj: models.Model | None = None,
    object_label: str = "",
    reason: str = "",
    details: dict[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """Write one audit row. Call it inside the service's transaction so both land or neither."""
    origin = current_origin.get()
    person = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    agency = getattr(person, "agency", None)
    return AuditEvent.objects.create(
        actor=person,
        actor_label=(actor_label or (person.get_username() if person else ""))[:200],
        agency=agency,
        task_force_id=agency.task_force_id if agency else None,
        action=action,
        object_type=obj._meta.label if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=(object_label or (str(obj) if obj is not None else ""))[:200],
        ip_address=origin.ip_address if origin else None,
        user_agent=origin.user_agent if origin else "",
        reason=reason[:500],
        details=details or {},
    )
