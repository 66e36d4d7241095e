"""Changes to airlines: each validates, writes, audits, and queues its follow-up in one go."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date
from typing import Any

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from agencies.airlines import selectors
from agencies.airlines.models import (
    AgreementDocument,
    Airline,
    AirlineContact,
    FeedbackSending,
)
from agencies.cases.attachments import (
    HEAD_BYTES,
    REFUSED_TYPES,
    _too_large,
    _type_error,
    clean_name,
)
from aircop.audit.services import Action, record_event

AIRLINE_FIELDS = (
    "provider",
    "code",
    "name",
    "state",
    "inbound",
    "outbound",
    "sends_api",
    "sends_pnr",
    "channels",
    "api_hours_before",
    "pnr_hours_before",
    "notes",
)


def _check_editor(actor: Any) -> None:
    if not selectors.can_edit_airlines(actor):
        raise PermissionDenied(_("You may not change airlines."))


def _validate(airline: Airline) -> None:
    unknown = set(airline.channels) - set(Airline.Channel.values)
    if unknown:
        raise ValidationError({"channels": _("Unknown channel.")})
    if not (airline.inbound or airline.outbound):
        raise ValidationError({"inbound": _("An airline flies inbound, outbound or both.")})
    airline.full_clean()


@transaction.atomic
def save_airline(*, actor: Any, airline: Airline | None = None, **values: Any) -> Airline:
    """Create the airline in the actor's task force, or change it; audit what changed."""
    _check_editor(actor)
    creating = airline is None
    if airline is None:
        airline = Airline(task_force_id=actor.task_force_id)
    before = {f: getattr(airline, f) for f in AIRLINE_FIELDS}
    for name, value in values.items():
        if name not in AIRLINE_FIELDS:
            raise ValueError(name)
        setattr(airline, name, value)
    _validate(airline)
    airline.save()
    changed = sorted(f for f in AIRLINE_FIELDS if getattr(airline, f) != before[f])
    record_event(
        action=Action.CREATE if creating else Action.CHANGE,
        actor=actor,
        obj=airline,
        reason="airline",
        details={"changed": changed, "state": airline.state},
    )
    return airline


@transaction.atomic
def add_contact(*, actor: Any, airline: Airline, **values: Any) -> AirlineContact:
    _check_editor(actor)
    contact = AirlineContact(airline=airline, **values)
    contact.full_clean()
    contact.save()
    record_event(
        action=Action.CHANGE,
        actor=actor,
        obj=airline,
        reason="contact added",
        details={"contact": contact.pk},
    )
    return contact


@transaction.atomic
def remove_contact(*, actor: Any, contact: AirlineContact) -> None:
    _check_editor(actor)
    airline = contact.airline
    pk = contact.pk
    contact.delete()
    record_event(
        action=Action.CHANGE,
        actor=actor,
        obj=airline,
        reason="contact removed",
        details={"contact": pk},
    )


@transaction.atomic
def add_document(*, actor: Any, airline: Airline, upload: UploadedFile) -> AgreementDocument:
    """Store a PDF of the agreement, or refuse it and store nothing.

    The checks are the case attachments' (agencies.cases.attachments): type from the content,
    our own stored name, the uploader's name only a cleaned label.
    """
    _check_editor(actor)
    limit: int = settings.CASE_ATTACHMENT_MAX_BYTES
    if not upload.size:
        raise ValidationError({"upload": _("This file is empty.")})
    if upload.size > limit:
        raise _too_large(upload.size, limit)
    digest = hashlib.sha256()
    head = b""
    size = 0
    for chunk in upload.chunks():
        if len(head) < HEAD_BYTES:
            head += chunk[: HEAD_BYTES - len(head)]
        digest.update(chunk)
        size += len(chunk)
        if size > limit:
            raise _too_large(size, limit)
    kind = filetype.guess(head)
    name = clean_name(upload.name or "")
    if kind is None or kind.mime != "application/pdf":
        what = (
            REFUSED_TYPES.get(kind.mime)
            or _("a %(extension)s file") % {"extension": kind.extension.upper()}
            if kind
            else _("of a type that cannot be recognised")
        )
        raise ValidationError(
            {"upload": _("This file is %(what)s; attach a PDF.") % {"what": what}}
        )
    problem = _type_error(name, kind.mime, kind.extension)
    if problem is not None:
        raise ValidationError({"upload": problem})
    if not name.lower().endswith(".pdf"):
        name = (name or _("agreement"))[:190] + ".pdf"
    document = AgreementDocument(
        airline=airline,
        token=secrets.token_hex(16),
        name=name,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by=actor,
    )
    planned = document.file.field.generate_filename(document, name)
    try:
        document.file.save(name, upload, save=False)
        document.save()
        record_event(
            action=Action.CHANGE,
            actor=actor,
            obj=airline,
            reason="agreement document",
            details={"document": document.pk, "sha256": document.sha256},
        )
    except BaseException:
        document.file.storage.delete(document.file.name or planned)
        raise
    return document


def read_document(*, actor: Any, document: AgreementDocument) -> File:
    """Open a stored agreement for a member of the airline's task force, and audit it."""
    if not selectors.documents_visible_to(actor).filter(pk=document.pk).exists():
        raise PermissionDenied(_("You may not see this document."))
    stored = document.file.storage.open(document.file.name or "", "rb")
    record_event(
        action=Action.VIEW,
        actor=actor,
        obj=document.airline,
        reason="agreement document",
        details={"document": document.pk},
    )
    return stored


def record_feedback_download(
    *, actor: Any, airline: Airline, start: date, end: date, form: str
) -> None:
    record_event(
        action=Action.EXPORT,
        actor=actor,
        obj=airline,
        reason=f"data-quality feedback ({form})",
        details={"start": start.isoformat(), "end": end.isoformat(), "form": form},
    )


@transaction.atomic
def send_feedback(
    *, actor: Any, airline: Airline, contact: AirlineContact, start: date, end: date
) -> FeedbackSending:
    """Queue the report for the airline's contact; the mail leaves after commit."""
    from agencies.airlines.tasks import send_feedback_email

    if not selectors.airlines_visible_to(actor).filter(pk=airline.pk).exists():
        raise PermissionDenied(_("You may not see this airline."))
    if contact.airline_id != airline.pk:
        raise ValidationError({"contact": _("This is not a contact of this airline.")})
    if not contact.email:
        raise ValidationError({"contact": _("This contact has no e-mail address.")})
    if start > end:
        raise ValidationError({"start": _("The period starts after it ends.")})
    sending = FeedbackSending.objects.create(
        airline=airline, contact=contact, start=start, end=end, requested_by=actor
    )
    record_event(
        action=Action.EXPORT,
        actor=actor,
        obj=airline,
        reason="data-quality feedback (e-mail)",
        details={"start": start.isoformat(), "end": end.isoformat(), "contact": contact.pk},
    )
    send_feedback_email.delay_on_commit(sending.pk)
    return sending
