"""Onboarding: every change to task forces, agencies, people and providers goes through here.

Each function validates, writes, audits and queues follow-up work inside one transaction.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import (
    Agency,
    Airport,
    DataProvider,
    Invitation,
    Person,
    PersonRole,
    ProviderToken,
    Role,
    TaskForce,
)
from agencies.reference import airport_position
from agencies.selectors import agencies_manageable_by, is_platform_admin, people_manageable_by
from aircop.audit.services import Action, record_event

INVITATION_VALIDITY = timedelta(days=7)


def _require_platform_admin(actor: Any) -> None:
    if actor is not None and not is_platform_admin(actor):
        raise PermissionDenied(_("Only a platform admin can do this."))


def _clean_roles(roles: Iterable[str]) -> list[str]:
    valid = set(Role.values)
    cleaned = sorted({r.strip() for r in roles if r.strip()})
    unknown = [r for r in cleaned if r not in valid]
    if unknown:
        raise ValidationError(
            {
                "roles": _("Unknown role(s): %(roles)s. Choose from: %(valid)s.")
                % {"roles": ", ".join(unknown), "valid": ", ".join(sorted(valid))}
            }
        )
    if not cleaned:
        raise ValidationError({"roles": _("Give at least one role.")})
    return cleaned


def _full_clean_and_save(obj: Any) -> None:
    obj.full_clean()
    obj.save()


# --- Airports and task forces ---------------------------------------------------------------


@transaction.atomic
def create_airport(
    *,
    actor: Any,
    iata_code: str,
    name: str,
    country: str,
    time_zone: str,
    icao_code: str | None = None,
    city: str = "",
) -> Airport:
    _require_platform_admin(actor)
    airport = Airport(
        iata_code=iata_code.upper(),
        icao_code=(icao_code or "").upper() or None,
        name=name,
        city=city,
        country=country.upper(),
        time_zone=time_zone,
    )
    _full_clean_and_save(airport)
    record_event(action=Action.CREATE, actor=actor, obj=airport)
    return airport


def _airports_by_code(codes: Iterable[str]) -> list[Airport]:
    wanted = sorted({c.strip().upper() for c in codes if c.strip()})
    if not wanted:
        raise ValidationError({"airports": _("A task force needs at least one home airport.")})
    found = {a.iata_code: a for a in Airport.objects.filter(iata_code__in=wanted)}
    missing = [c for c in wanted if c not in found]
    if missing:
        raise ValidationError(
            {"airports": _("Unknown airport code(s): %(codes)s.") % {"codes": ", ".join(missing)}}
        )
    return [found[c] for c in wanted]


@transaction.atomic
def create_task_force(
    *,
    actor: Any,
    name: str,
    code: str,
    country: str,
    airport_codes: Iterable[str],
    status: str = TaskForce.Status.UNDER_ESTABLISHMENT,
) -> TaskForce:
    _require_platform_admin(actor)
    airports = _airports_by_code(airport_codes)
    if status == TaskForce.Status.OPERATIONAL:
        raise ValidationError(
            {"status": _("A new task force has no agencies yet; declare it operational later.")}
        )
    task_force = TaskForce(name=name, code=code.upper(), country=country.upper(), status=status)
    _full_clean_and_save(task_force)
    task_force.airports.set(airports)
    record_event(
        action=Action.CREATE,
        actor=actor,
        obj=task_force,
        details={"airports": [a.iata_code for a in airports], "status": status},
    )
    return task_force


@transaction.atomic
def set_task_force_status(*, actor: Any, task_force: TaskForce, status: str) -> TaskForce:
    _require_platform_admin(actor)
    if status not in TaskForce.Status.values:
        raise ValidationError({"status": _("Unknown status '%(s)s'.") % {"s": status}})
    task_force = TaskForce.objects.select_for_update().get(pk=task_force.pk)
    if status == TaskForce.Status.OPERATIONAL:
        count = task_force.agencies.count()
        if count < TaskForce.MIN_AGENCIES_TO_OPERATE:
            raise ValidationError(
                {
                    "status": _(
                        "A task force is operational only with at least %(min)d agencies; "
                        "%(code)s has %(count)d."
                    )
                    % {
                        "min": TaskForce.MIN_AGENCIES_TO_OPERATE,
                        "code": task_force.code,
                        "count": count,
                    }
                }
            )
    previous = task_force.status
    task_force.status = status
    task_force.save(update_fields=["status"])
    record_event(
        action=Action.CHANGE,
        actor=actor,
        obj=task_force,
        details={"status": [previous, status]},
    )
    return task_force


@transaction.atomic
def create_agency(*, actor: Any, task_force: TaskForce, name: str, code: str, kind: str) -> Agency:
    _require_platform_admin(actor)
    agency = Agency(task_force=task_force, name=name, code=code.upper(), kind=kind)
    _full_clean_and_save(agency)
    record_event(action=Action.CREATE, actor=actor, obj=agency)
    return agency


# --- People ---------------------------------------------------------------------------------


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _require_can_manage_agency(actor: Any, agency: Agency) -> None:
    if actor is not None and not agencies_manageable_by(actor).filter(pk=agency.pk).exists():
        raise PermissionDenied(_("You cannot onboard people of this agency."))


@transaction.atomic
def invite_person(
    *, actor: Any, agency: Agency, email: str, roles: Iterable[str]
) -> tuple[Invitation, str]:
    """Create a one-time invitation; returns it with the raw token (never stored)."""
    _require_can_manage_agency(actor, agency)
    cleaned_roles = _clean_roles(roles)
    raw = secrets.token_urlsafe(32)
    invitation = Invitation(
        agency=agency,
        email=email.strip().lower(),
        roles=cleaned_roles,
        token_hash=_token_hash(raw),
        invited_by=actor,
        expires_at=timezone.now() + INVITATION_VALIDITY,
    )
    _full_clean_and_save(invitation)
    record_event(
        action=Action.INVITE,
        actor=actor,
        obj=invitation,
        details={"agency": agency.code, "roles": cleaned_roles},
    )
    from agencies.tasks import send_invitation_email

    send_invitation_email.delay_on_commit(invitation.pk, raw)
    return invitation, raw


def invitation_for_token(raw: str) -> Invitation | None:
    """The open invitation behind a link, or None if unknown, used, revoked or expired."""
    invitation = (
        Invitation.objects.select_related("agency__task_force")
        .filter(token_hash=_token_hash(raw), accepted_at__isnull=True, revoked_at__isnull=True)
        .first()
    )
    if invitation is None or invitation.expires_at <= timezone.now():
        return None
    return invitation


@transaction.atomic
def accept_invitation(
    *, token: str, username: str, password: str, first_name: str, last_name: str
) -> Person:
    invitation = invitation_for_token(token)
    if invitation is None:
        raise ValidationError({"token": _("This invitation is unknown, used, revoked or expired.")})
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError({"token": _("This invitation has already been used.")})
    person = Person(
        username=username,
        email=invitation.email,
        first_name=first_name,
        last_name=last_name,
        agency=invitation.agency,
    )
    validate_password(password, person)
    person.set_password(password)
    person.full_clean()
    person.save()
    PersonRole.objects.bulk_create(PersonRole(person=person, role=r) for r in invitation.roles)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = person
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record_event(
        action=Action.CREATE,
        actor=person,
        obj=person,
        details={"via": "invitation", "invitation": invitation.pk, "roles": invitation.roles},
    )
    return person


@transaction.atomic
def revoke_invitation(*, actor: Any, invitation: Invitation) -> Invitation:
    _require_can_manage_agency(actor, invitation.agency)
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        record_event(action=Action.CHANGE, actor=actor, obj=invitation, details={"revoked": True})
    return invitation


@transaction.atomic
def create_person(
    *,
    actor: Any,
    agency: Agency,
    username: str,
    email: str,
    roles: Iterable[str],
    password: str,
    first_name: str = "",
    last_name: str = "",
) -> Person:
    """For scripted installs and demo data; people onboarded in the browser use invitations."""
    _require_can_manage_agency(actor, agency)
    cleaned_roles = _clean_roles(roles)
    person = Person(
        username=username, email=email, first_name=first_name, last_name=last_name, agency=agency
    )
    validate_password(password, person)
    person.set_password(password)
    person.full_clean()
    person.save()
    PersonRole.objects.bulk_create(PersonRole(person=person, role=r) for r in cleaned_roles)
    record_event(action=Action.CREATE, actor=actor, obj=person, details={"roles": cleaned_roles})
    return person


@transaction.atomic
def create_platform_admin(*, actor: Any, username: str, email: str, password: str) -> Person:
    _require_platform_admin(actor)
    person = Person(username=username, email=email, is_staff=True, is_superuser=True)
    validate_password(password, person)
    person.set_password(password)
    person.full_clean()
    person.save()
    record_event(action=Action.CREATE, actor=actor, obj=person, details={"platform_admin": True})
    return person


@transaction.atomic
def set_roles(*, actor: Any, person: Person, roles: Iterable[str]) -> Person:
    if not people_manageable_by(actor).filter(pk=person.pk).exists():
        raise PermissionDenied(_("You cannot change this person."))
    cleaned = _clean_roles(roles)
    if (
        person.pk == actor.pk
        and Role.AGENCY_ADMIN in person.role_codes
        and (Role.AGENCY_ADMIN not in cleaned)
    ):
        raise ValidationError({"roles": _("You cannot remove your own agency admin role.")})
    before = sorted(PersonRole.objects.filter(person=person).values_list("role", flat=True))
    PersonRole.objects.filter(person=person).exclude(role__in=cleaned).delete()
    PersonRole.objects.bulk_create(
        [PersonRole(person=person, role=r) for r in cleaned if r not in before]
    )
    record_event(
        action=Action.CHANGE, actor=actor, obj=person, details={"roles": [before, cleaned]}
    )
    return Person.objects.get(pk=person.pk)  # fresh: no stale role cache or prefetch


@transaction.atomic
def set_person_active(*, actor: Any, person: Person, is_active: bool) -> Person:
    if not people_manageable_by(actor).filter(pk=person.pk).exists():
        raise PermissionDenied(_("You cannot change this person."))
    if person.pk == actor.pk and not is_active:
        raise ValidationError({"is_active": _("You cannot deactivate your own account.")})
    person.is_active = is_active
    person.save(update_fields=["is_active"])
    record_event(action=Action.CHANGE, actor=actor, obj=person, details={"is_active": is_active})
    return person


# --- Data providers -------------------------------------------------------------------------


@transaction.atomic
def create_data_provider(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str = DataProvider.Kind.AIRLINE,
    task_force_codes: Iterable[str] = (),
) -> DataProvider:
    _require_platform_admin(actor)
    provider = DataProvider(code=code.upper(), name=name, kind=kind)
    _full_clean_and_save(provider)
    wanted = sorted({c.strip().upper() for c in task_force_codes if c.strip()})
    task_forces = list(TaskForce.objects.filter(code__in=wanted))
    missing = sorted(set(wanted) - {tf.code for tf in task_forces})
    if missing:
        raise ValidationError(
            {"task_forces": _("Unknown task force code(s): %(c)s.") % {"c": ", ".join(missing)}}
        )
    provider.task_forces.set(task_forces)
    record_event(action=Action.CREATE, actor=actor, obj=provider, details={"task_forces": wanted})
    return provider


@transaction.atomic
def issue_provider_token(
    *, actor: Any, provider: DataProvider, name: str = ""
) -> tuple[ProviderToken, str]:
    """A new token for a provider; the raw key is returned once and only its hash is kept."""
    _require_platform_admin(actor)
    token, key = ProviderToken.objects.create_key(
        provider=provider, name=(name or f"{provider.code} {timezone.now():%Y-%m-%d}")[:50]
    )
    record_event(
        action=Action.TOKEN_ISSUED, actor=actor, obj=provider, details={"token": token.prefix}
    )
    return token, key


@transaction.atomic
def revoke_provider_token(*, actor: Any, token: ProviderToken) -> ProviderToken:
    _require_platform_admin(actor)
    if not token.revoked:
        token.revoked = True
        token.save(update_fields=["revoked"])
        record_event(
            action=Action.TOKEN_REVOKED,
            actor=actor,
            obj=token.provider,
            details={"token": token.prefix},
        )
    return token


@transaction.atomic
def rotate_provider_token(*, actor: Any, provider: DataProvider) -> tuple[ProviderToken, str]:
    """Revoke every live token of the provider and issue a fresh one."""
    _require_platform_admin(actor)
    for token in ProviderToken.objects.filter(provider=provider, revoked=False):
        revoke_provider_token(actor=actor, token=token)
    return issue_provider_token(actor=actor, provider=provider, name=f"{provider.code} rotated")


@transaction.atomic
def load_airports(*, rows: Iterable[dict[str, str]]) -> tuple[int, int]:
    """Create or update airports from reference rows; returns (created, updated).

    Every row is validated before anything is written: one bad row stores nothing. Rows may
    carry `latitude` and `longitude`; where they do not, the coordinates come from the
    airportsdata package, so the shipped list stays a list of airports and not of numbers.
    """
    prepared: list[Airport] = []
    errors: list[str] = []
    for number, row in enumerate(rows, start=2):  # line 1 is the header
        airport = Airport(
            iata_code=(row.get("iata_code") or "").strip().upper(),
            icao_code=(row.get("icao_code") or "").strip().upper() or None,
            name=(row.get("name") or "").strip(),
            city=(row.get("city") or "").strip(),
            country=(row.get("country") or "").strip().upper(),
            time_zone=(row.get("time_zone") or "").strip(),
        )
        problems: dict[str, list[str]] = {}
        try:
            airport.latitude, airport.longitude = _coordinates(row, airport.iata_code)
        except ValueError as err:
            problems["latitude"] = [str(err)]
        try:
            airport.full_clean(validate_unique=False)
        except ValidationError as err:
            problems.update(err.message_dict)
        if problems:
            errors.append(
                _("line %(n)d: %(e)s")
                % {
                    "n": number,
                    "e": "; ".join(
                        f"{field}: {' '.join(msgs)}" for field, msgs in problems.items()
                    ),
                }
            )
        prepared.append(airport)
    if errors:
        raise ValidationError(errors)
    existing = {a.iata_code: a for a in Airport.objects.all()}
    created = updated = 0
    for airport in prepared:
        current = existing.get(airport.iata_code)
        if current is None:
            airport.save()
            created += 1
            continue
        fields = ["icao_code", "name", "city", "country", "time_zone", "latitude", "longitude"]
        if any(getattr(current, f) != getattr(airport, f) for f in fields):
            for f in fields:
                setattr(current, f, getattr(airport, f))
            current.save(update_fields=fields)
            updated += 1
    if created or updated:
        record_event(
            action=Action.CHANGE,
            object_label="airports",
            details={"created": created, "updated": updated},
        )
    return created, updated


COORDINATE_PLACES = Decimal("0.00001")


def _coordinates(row: dict[str, str], iata_code: str) -> tuple[Decimal | None, Decimal | None]:
    """The row's latitude and longitude, else the reference position of the IATA airport."""
    latitude = (row.get("latitude") or "").strip()
    longitude = (row.get("longitude") or "").strip()
    if latitude or longitude:
        try:
            lat, lon = Decimal(latitude), Decimal(longitude)
        except InvalidOperation as err:
            raise ValueError(_("latitude and longitude must both be decimal degrees.")) from err
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(_("latitude must be within ±90 and longitude within ±180."))
        return lat.quantize(COORDINATE_PLACES), lon.quantize(COORDINATE_PLACES)
    position = airport_position(iata_code)
    if position is None:
        return None, None
    return (
        Decimal(str(position[0])).quantize(COORDINATE_PLACES),
        Decimal(str(position[1])).quantize(COORDINATE_PLACES),
    )
