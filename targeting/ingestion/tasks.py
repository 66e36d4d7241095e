from __future__ import annotations

from celery import shared_task

from targeting.ingestion import services


@shared_task(name="ingestion.store_message_content", acks_late=True)
def store_message_content(message_id: int) -> str:
    """Store a received message's content (idempotent); returns the state it ends in."""
    return services.store_message_content(message_id).state
