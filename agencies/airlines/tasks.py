from __future__ import annotations

from celery import shared_task
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from agencies.airlines.feedback import build_report, report_csv
from agencies.airlines.models import FeedbackSending


@shared_task(name="airlines.send_feedback_email")
def send_feedback_email(sending_id: int) -> bool:
    """Mail the data-quality report once; later runs do nothing."""
    with transaction.atomic():
        sending = (
            FeedbackSending.objects.select_for_update(of=("self",))
            .select_related("airline__task_force", "airline__provider", "contact")
            .filter(pk=sending_id, sent_at__isnull=True)
            .first()
        )
        if sending is None:
            return False
        report = build_report(sending.airline, start=sending.start, end=sending.end)
        body = render_to_string("airlines/feedback_email.txt", {"report": report})
        mail = EmailMessage(
            subject=f"AIRCOP Targeting — data quality {sending.airline.code} "
            f"{sending.start:%Y-%m-%d}..{sending.end:%Y-%m-%d}",
            body=body,
            to=[sending.contact.email],
        )
        mail.attach(
            f"data-quality-{sending.airline.code}-{sending.start:%Y%m%d}-{sending.end:%Y%m%d}.csv",
            report_csv(report),
            "text/csv",
        )
        mail.send()
        sending.sent_at = timezone.now()
        sending.save(update_fields=["sent_at"])
    return True
