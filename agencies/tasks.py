from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from agencies.models import Invitation


@shared_task(name="agencies.send_invitation_email")
def send_invitation_email(invitation_id: int, token: str) -> bool:
    """Mail the sign-up link. Idempotent: an invitation is mailed once; later runs do nothing."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update()
            .select_related("agency__task_force")
            .filter(pk=invitation_id, emailed_at__isnull=True, accepted_at__isnull=True)
            .first()
        )
        if invitation is None:
            return False
        link = settings.SITE_URL.rstrip("/") + reverse("accept-invitation", args=[token])
        body = render_to_string(
            "agencies/invitation_email.txt", {"invitation": invitation, "link": link}
        )
        send_mail(
            subject=f"AIRCOP Targeting — {invitation.agency.task_force.name}",
            message=body,
            from_email=None,
            recipient_list=[invitation.email],
        )
        invitation.emailed_at = timezone.now()
        invitation.save(update_fields=["emailed_at"])
    return True
