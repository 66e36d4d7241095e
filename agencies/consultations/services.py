"""Sending, answering and closing consultation requests: validation, write and audit together.

An answer's file goes through the ingestion service for the request's task force, which stores
its flights and travellers and screens them (Celery, after commit).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agencies.consultations import selectors
from agencies.consultations.models import ConsultationRequest
from agencies.models import DataProvider
from aircop.audit.services import Action, record_event
from targeting.ingestion import manifest_files
from targeting.ingestion import services as ingestion
from targeting.ingestion.models import InboundMessage

REMIND_WITHIN = timedelta(hours=24)


def send_request(
    *,
    actor: Any,
    airline: DataProvider,
    kind: str,
    question: str,
    deadline: datetime,
    carrier: str = "",
    flight_number: str = "",
    flight_date: date | None = None,
    record_locator: str = "",
) -> ConsultationRequest:
    if not selectors.can_send_requests(actor):
        raise PermissionDenied
    if not selectors.airlines_for_new_request(actor).filter(pk=airline.pk).exists():
        raise ValidationError({"airline": _("Choose an active airline.")})
    errors: dict[str, str] = {}
    has_flight = bool(carrier and flight_number and flight_date)
    if kind == ConsultationRequest.Kind.FLIGHT_MANIFEST and not has_flight:
        errors["flight_number"] = _("A manifest request names the carrier, number and date.")
    if kind == ConsultationRequest.Kind.RESERVATION_DETAILS and not record_locator:
        errors["record_locator"] = _("A reservation request names the record locator.")
    if not question.strip():
        errors["question"] = _("Say what you need.")
    if deadline <= timezone.now():
        errors["deadline"] = _("The deadline must be in the future.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        request = ConsultationRequest.objects.create(
            task_force_id=actor.agency.task_force_id,
            airline=airline,
            kind=kind,
            carrier=carrier.upper(),
            flight_number=flight_number,
            flight_date=flight_date,
            record_locator=record_locator.upper(),
            question=question.strip(),
            deadline=deadline,
            requested_by=actor,
        )
        record_event(action=Action.CREATE, actor=actor, obj=request, reason=kind)
        from agencies.consultations.tasks import mail_new_request

        mail_new_request.delay_on_commit(request.pk)
    return request


def mail_airline_staff(*, request_id: int) -> int:
    """Tell the airline's staff a request is waiting for them; returns how many were mailed."""
    request = ConsultationRequest.objects.select_related("airline", "task_force").get(pk=request_id)
    recipients = list(selectors.airline_staff(request.airline_id).values_list("email", flat=True))
    if recipients:
        _mail(request, recipients, _("Request #%(pk)d from %(task_force)s"))
    return len(recipients)


def _mail(request: ConsultationRequest, recipients: list[str], subject: str) -> None:
    link = settings.SITE_URL.rstrip("/") + reverse("consultation-detail", args=[request.pk])
    body = render_to_string("consultations/request_email.txt", {"request": request, "link": link})
    send_mail(
        subject % {"pk": request.pk, "task_force": request.task_force.code},
        body,
        None,
        recipients,
    )


def record_view(*, actor: Any, request: ConsultationRequest) -> None:
    record_event(action=Action.VIEW, actor=actor, obj=request)


def answer_request(
    *,
    actor: Any,
    request: ConsultationRequest,
    text: str = "",
    body: bytes | None = None,
    file_name: str = "",
) -> ConsultationRequest:
    """The airline answers once, in words and/or with a file that is ingested as a message."""
    if not selectors.can_answer(actor, request):
        raise PermissionDenied
    if not text.strip() and not body:
        raise ValidationError({"answer_text": _("Write an answer or attach a file.")})
    if body is not None and not body.strip():
        raise ValidationError({"answer_file": _("%(name)s is empty.") % {"name": file_name}})
    if body and len(body) > settings.INGEST_MAX_BYTES:
        raise ValidationError(
            {
                "answer_file": _("The file is larger than %(limit)d bytes.")
                % {"limit": settings.INGEST_MAX_BYTES}
            }
        )
    with transaction.atomic():
        locked = ConsultationRequest.objects.select_for_update().get(pk=request.pk)
        if not locked.is_open:
            raise ValidationError(_("This request is no longer open."))
        message = _ingest(locked, actor, body, file_name) if body else None
        locked.state = ConsultationRequest.State.ANSWERED
        locked.answered_by = actor
        locked.answered_at = timezone.now()
        locked.answer_text = text.strip()
        locked.message = message
        locked.save()
        record_event(
            action=Action.CHANGE,
            actor=actor,
            actor_label=f"airline:{locked.airline.code}:{actor.get_username()}",
            obj=locked,
            reason="answered",
            details={"message": message.pk if message else None},
        )
    return locked


def _ingest(
    request: ConsultationRequest, actor: Any, body: bytes, file_name: str
) -> InboundMessage:
    if manifest_files.is_manifest_file(body, file_name):
        received = manifest_files.receive_manifest(
            body=body,
            file_name=file_name,
            uploaded_by=actor,
            provider=request.airline,
            task_force=request.task_force,
        )
        message = received.message
        if not received.is_duplicate:
            try:
                manifest_files.check_manifest(message)
            except ValidationError as err:
                raise ValidationError({"answer_file": err.messages}) from err
            # Stored at once when the airline's layout is known; otherwise an officer maps it.
            manifest_files.store_with_remembered_mapping(message)
        return message
    try:
        received = ingestion.receive_message(
            body=body,
            provider=request.airline,
            uploaded_by=actor,
            file_name=file_name,
            task_force=request.task_force,
        )
    except PermissionDenied as err:
        raise ValidationError({"answer_file": str(err)}) from err
    if received.message.state == InboundMessage.State.REJECTED:
        raise ValidationError({"answer_file": received.message.error})
    return received.message


def close_request(*, actor: Any, request: ConsultationRequest) -> ConsultationRequest:
    if not selectors.can_close(actor, request):
        raise PermissionDenied
    with transaction.atomic():
        request.state = ConsultationRequest.State.CLOSED
        request.closed_at = timezone.now()
        request.save(update_fields=["state", "closed_at"])
        record_event(action=Action.CHANGE, actor=actor, obj=request, reason="closed")
    return request


def mark_overdue(*, now: datetime | None = None) -> int:
    """Requests past their deadline without an answer become overdue (audited, once)."""
    now = now or timezone.now()
    count = 0
    with transaction.atomic():
        due = ConsultationRequest.objects.select_for_update().filter(
            state=ConsultationRequest.State.SENT, deadline__lt=now
        )
        for request in due:
            request.state = ConsultationRequest.State.OVERDUE
            request.save(update_fields=["state"])
            record_event(action=Action.CHANGE, obj=request, reason="overdue", actor_label="system")
            count += 1
    return count


def remind_airline(*, request_id: int, now: datetime | None = None) -> bool:
    """Mail the airline's staff about an unanswered request due soon; once per request."""
    now = now or timezone.now()
    with transaction.atomic():
        request = (
            ConsultationRequest.objects.select_for_update(of=("self",))
            .select_related("airline", "task_force")
            .filter(
                pk=request_id,
                state__in=[ConsultationRequest.State.SENT, ConsultationRequest.State.OVERDUE],
                reminder_sent_at__isnull=True,
                deadline__lte=now + REMIND_WITHIN,
            )
            .first()
        )
        if request is None:
            return False
        recipients = list(
            selectors.airline_staff(request.airline_id).values_list("email", flat=True)
        )
        request.reminder_sent_at = now
        request.save(update_fields=["reminder_sent_at"])
        record_event(
            action=Action.CHANGE,
            obj=request,
            reason="reminder sent",
            actor_label="system",
            details={"recipients": len(recipients)},
        )
        if recipients:
            _mail(request, recipients, _("Reminder: request #%(pk)d from %(task_force)s is due"))
    return True


def requests_due_for_reminder(*, now: datetime | None = None) -> list[int]:
    now = now or timezone.now()
    return list(
        ConsultationRequest.objects.filter(
            state__in=[ConsultationRequest.State.SENT, ConsultationRequest.State.OVERDUE],
            reminder_sent_at__isnull=True,
            deadline__lte=now + REMIND_WITHIN,
        ).values_list("pk", flat=True)
    )
