from __future__ import annotations

from typing import Any

from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from agencies.selectors import is_airline_user, is_platform_admin
from aircop.api.authentication import ProviderPrincipal


class IsPerson(BasePermission):
    """Signed in as a person (session or personal token). Data providers only reach ingest."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if is_airline_user(user) and not getattr(view, "open_to_airline_staff", False):
            raise NotFound  # an airline's staff reach only their consultation requests
        return bool(
            user
            and user.is_authenticated
            and user.is_active
            and not isinstance(user, ProviderPrincipal)
        )


class IsPlatformAdmin(IsPerson):
    def has_permission(self, request: Request, view: Any) -> bool:
        return super().has_permission(request, view) and is_platform_admin(request.user)


class IsDataProvider(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.user, ProviderPrincipal)
