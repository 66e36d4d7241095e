from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from aircop.audit.models import AuditEvent
from aircop.audit.services import Action, record_event


class AuditedModelAdmin(admin.ModelAdmin):
    """Every add, change and delete made through the admin also lands in the audit trail."""

    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        record_event(action=Action.CREATE, actor=request.user, obj=obj, details={"via": "admin"})
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        record_event(
            action=Action.CHANGE,
            actor=request.user,
            obj=obj,
            details={"via": "admin", "changes": message if isinstance(message, list) else []},
        )
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        for obj in queryset:
            record_event(
                action=Action.DELETE, actor=request.user, obj=obj, details={"via": "admin"}
            )
        return super().log_deletions(request, queryset)


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: nobody adds, edits or deletes audit events, superusers included."""

    list_display = ["at", "actor_label", "action", "object_type", "object_repr", "ip_address"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_repr", "object_id", "reason"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
