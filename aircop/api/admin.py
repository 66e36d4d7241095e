from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from aircop.api.models import PersonalToken
from aircop.audit.admin import AuditedModelAdmin


@admin.register(PersonalToken)
class PersonalTokenAdmin(AuditedModelAdmin):
    """Personal tokens are created by their owner; an admin may only see and revoke them."""

    list_display = ["prefix", "name", "person", "created", "expiry_date", "revoked", "last_used_at"]
    list_filter = ["revoked"]
    readonly_fields = ["prefix", "person", "created", "last_used_at", "name", "expiry_date"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
