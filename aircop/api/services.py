from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.models import Person
from aircop.api.models import PersonalToken
from aircop.audit.services import Action, record_event


@transaction.atomic
def create_personal_token(
    *, person: Person, name: str, expires_at: datetime | None = None
) -> tuple[PersonalToken, str]:
    """A new token for the person; the raw key is returned once, only its hash is kept."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, e.g. the script that uses it.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expiry_date": _("The expiry date must be in the future.")})
    token, key = PersonalToken.objects.create_key(
        person=person, name=name[:50], expiry_date=expires_at
    )
    record_event(
        action=Action.TOKEN_ISSUED, actor=person, obj=person, details={"token": token.prefix}
    )
    return token, key


@transaction.atomic
def revoke_personal_token(*, person: Person, token: PersonalToken) -> PersonalToken:
    if token.person_id != person.pk:
        raise PermissionDenied(_("This is not your token."))
    if not token.revoked:
        token.revoked = True
        token.save(update_fields=["revoked"])
        record_event(
            action=Action.TOKEN_REVOKED, actor=person, obj=person, details={"token": token.prefix}
        )
    return token
