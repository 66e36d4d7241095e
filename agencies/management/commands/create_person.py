from __future__ import annotations

import getpass
import os
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from agencies.models import Agency
from agencies.services import create_person, create_platform_admin


def read_password(env_var: str | None) -> str:
    """From the named environment variable, else a prompt, else one line of standard input."""
    if env_var:
        value = os.environ.get(env_var)
        if not value:
            raise CommandError(f"environment variable {env_var} is empty or unset")
        return value
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password again: "):
            raise CommandError("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\n")


class Command(BaseCommand):
    help = (
        "Create an account for a scripted install: a person of an agency with roles, or with "
        "--platform-admin a platform admin. The password comes from --password-env, a prompt, "
        "or standard input."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument("--agency", help="agency code")
        parser.add_argument("--roles", default="", help="comma-separated roles")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--platform-admin", action="store_true")
        parser.add_argument("--password-env", help="name of an environment variable")

    def handle(self, *args: Any, **opts: Any) -> None:
        password = read_password(opts["password_env"])
        try:
            if opts["platform_admin"]:
                person = create_platform_admin(
                    actor=None, username=opts["username"], email=opts["email"], password=password
                )
            else:
                if not opts["agency"]:
                    raise CommandError("give --agency (or --platform-admin)")
                agency = Agency.objects.filter(code=opts["agency"].upper()).first()
                if agency is None:
                    raise CommandError(f"no agency with code {opts['agency']}")
                person = create_person(
                    actor=None,
                    agency=agency,
                    username=opts["username"],
                    email=opts["email"],
                    roles=opts["roles"].split(","),
                    password=password,
                    first_name=opts["first_name"],
                    last_name=opts["last_name"],
                )
        except ValidationError as err:
            raise CommandError("; ".join(err.messages)) from err
        self.stdout.write(f"account {person.username} created")
