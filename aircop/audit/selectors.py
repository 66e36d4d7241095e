from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from agencies.models import Role
from agencies.selectors import is_platform_admin
from aircop.audit.models import AuditEvent


def audit_events_visible_to(user: Any) -> QuerySet[AuditEvent]:
    """The platform admin reads the whole trail; a supervisor, what their agency's people did."""
    qs = AuditEvent.objects.select_related("actor", "agency")
    if is_platform_admin(user):
        return qs
    if (
        getattr(user, "is_authenticated", False)
        and user.agency_id
        and user.has_role(Role.SUPERVISOR)
    ):
        return qs.filter(agency_id=user.agency_id)
    return qs.none()
