"""Token authentication for people (personal tokens) and data providers (provider tokens).

Both send `Authorization: Token <key>`; the key's prefix tells which table holds its hash.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from agencies.models import DataProvider, ProviderToken
from aircop.api.models import PersonalToken
from aircop.audit.services import Action, record_event

KEYWORD = "Token"


@dataclass(frozen=True)
class ProviderPrincipal:
    """Who a request authenticated with a provider token is: a data provider, not a person."""

    provider: DataProvider

    is_authenticated = True
    is_active = True
    is_staff = False
    is_superuser = False
    agency_id = None
    agency = None

    @property
    def pk(self) -> str:
        # Throttling keys callers by pk; keep providers apart from people.
        return f"provider-{self.provider.pk}"

    def get_username(self) -> str:
        return f"provider:{self.provider.code}"

    def has_role(self, role: str) -> bool:
        return False

    def __str__(self) -> str:
        return self.get_username()


def _key_from_header(request: Request) -> str | None:
    parts = authentication.get_authorization_header(request).split()
    if not parts or parts[0].lower() != KEYWORD.lower().encode():
        return None
    if len(parts) != 2:
        raise exceptions.AuthenticationFailed(_("Invalid token header: give 'Token <key>'."))
    try:
        return parts[1].decode()
    except UnicodeError as err:
        raise exceptions.AuthenticationFailed(_("Invalid token header.")) from err


def _usable(model: type[PersonalToken] | type[ProviderToken], key: str) -> Any:
    try:
        token = model.objects.get_from_key(key)
    except model.DoesNotExist:
        return None
    return None if token.has_expired else token


def _touch(
    token: PersonalToken | ProviderToken, subject: Model, actor: Any, label: str, request: Request
) -> None:
    type(token).objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    record_event(
        action=Action.TOKEN_USE,
        actor=actor,
        actor_label=label,
        obj=subject,
        details={"token": token.prefix, "method": request.method, "path": request.path[:200]},
    )


class PersonalTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        key = _key_from_header(request)
        if key is None:
            return None
        token = _usable(PersonalToken, key)
        if token is None:
            return None  # may be a provider token; ProviderTokenAuthentication decides
        person = token.person
        if not person.is_active:
            raise exceptions.AuthenticationFailed(_("This account is deactivated."))
        _touch(token, person, person, person.get_username(), request)
        return person, token

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD


class ProviderTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        key = _key_from_header(request)
        if key is None:
            return None
        token = _usable(ProviderToken, key)
        if token is None or not token.provider.is_active:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        principal = ProviderPrincipal(token.provider)
        _touch(token, token.provider, None, principal.get_username(), request)
        return principal, token

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD
