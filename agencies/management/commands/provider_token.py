from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agencies.models import DataProvider, ProviderToken
from agencies.services import revoke_provider_token, rotate_provider_token


class Command(BaseCommand):
    help = "Rotate a provider's token (revoke all, issue one) or revoke one token by its prefix."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rotate = sub.add_parser("rotate")
        rotate.add_argument("code", help="provider code")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("prefix", help="the token's prefix, as listed on the provider's page")

    def handle(self, *args: Any, **opts: Any) -> None:
        if opts["action"] == "rotate":
            provider = DataProvider.objects.filter(code=opts["code"].upper()).first()
            if provider is None:
                raise CommandError(f"no data provider with code {opts['code']}")
            _token, key = rotate_provider_token(actor=None, provider=provider)
            self.stdout.write(f"old tokens revoked; new token (shown once): {key}")
            return
        token = ProviderToken.objects.filter(prefix=opts["prefix"]).first()
        if token is None:
            raise CommandError(f"no provider token with prefix {opts['prefix']}")
        revoke_provider_token(actor=None, token=token)
        self.stdout.write(f"token {token.prefix} of {token.provider.code} revoked")
