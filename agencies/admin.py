from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from agencies.models import (
    Agency,
    Airport,
    DataProvider,
    Invitation,
    Person,
    PersonRole,
    ProviderToken,
    TaskForce,
)
from aircop.audit.admin import AuditedModelAdmin


@admin.register(Airport)
class AirportAdmin(AuditedModelAdmin):
    list_display = ["iata_code", "icao_code", "name", "country", "time_zone"]
    search_fields = ["iata_code", "icao_code", "name", "city"]
    list_filter = ["country"]


class AgencyInline(admin.TabularInline):
    model = Agency
    extra = 0
    fields = ["code", "name", "kind"]


@admin.register(TaskForce)
class TaskForceAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "country", "status"]
    list_filter = ["status", "country"]
    search_fields = ["code", "name"]
    filter_horizontal = ["airports"]
    inlines = [AgencyInline]


@admin.register(Agency)
class AgencyAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "kind", "task_force"]
    list_filter = ["kind", "task_force"]
    search_fields = ["code", "name"]


class PersonRoleInline(admin.TabularInline):
    model = PersonRole
    extra = 0


@admin.register(Person)
class PersonAdmin(AuditedModelAdmin, UserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "agency",
        "airline",
        "is_active",
        "is_staff",
    ]
    list_filter = ["agency__task_force", "agency", "airline", "is_active", "is_staff"]
    list_select_related = ["agency", "airline"]
    # An airline's staff: an airline, no agency, the role "airline" (consultation requests).
    fieldsets = (*UserAdmin.fieldsets, ("AIRCOP", {"fields": ["agency", "airline"]}))  # type: ignore[misc]  # stubs type fieldsets loosely
    inlines = [PersonRoleInline]


@admin.register(Invitation)
class InvitationAdmin(AuditedModelAdmin):
    list_display = ["email", "agency", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["agency"]
    readonly_fields = ["token_hash", "emailed_at", "accepted_at", "accepted_by"]


@admin.register(DataProvider)
class DataProviderAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    filter_horizontal = ["task_forces"]


@admin.register(ProviderToken)
class ProviderTokenAdmin(AuditedModelAdmin):
    """Tokens are issued on the providers page, where the key is shown once; here only revoked."""

    list_display = ["prefix", "name", "provider", "created", "revoked", "last_used_at"]
    list_filter = ["revoked"]
    readonly_fields = ["prefix", "provider", "created", "last_used_at", "name", "expiry_date"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
