from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from agencies.models import Agency
from agencies.services import invite_person


class Command(BaseCommand):
    help = "Invite someone into an agency with roles; prints the one-time sign-up link."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agency", required=True, help="agency code")
        parser.add_argument("--email", required=True)
        parser.add_argument("--roles", required=True, help="comma-separated, e.g. agency_admin")

    def handle(self, *args: Any, **opts: Any) -> None:
        agency = Agency.objects.filter(code=opts["agency"].upper()).first()
        if agency is None:
            raise CommandError(f"no agency with code {opts['agency']}")
        try:
            _invitation, token = invite_person(
                actor=None, agency=agency, email=opts["email"], roles=opts["roles"].split(",")
            )
        except ValidationError as err:
            raise CommandError("; ".join(err.messages)) from err
        link = settings.SITE_URL.rstrip("/") + reverse("accept-invitation", args=[token])
        self.stdout.write(f"invitation for {opts['email']}: {link}")
