from __future__ import annotations

from celery import shared_task

from agencies.consultations import services


@shared_task(name="consultations.remind_airlines_of_due_requests")
def remind_airlines_of_due_requests() -> int:
    """Beat: mark requests overdue, and mail each airline once about requests due within 24 h."""
    services.mark_overdue()
    return sum(
        services.remind_airline(request_id=pk) for pk in services.requests_due_for_reminder()
    )


@shared_task(name="consultations.mail_new_request")
def mail_new_request(request_id: int) -> int:
    """Tell the airline's staff a new request waits for them (sent once, after commit)."""
    return services.mail_airline_staff(request_id=request_id)
