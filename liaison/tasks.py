from __future__ import annotations

from celery import shared_task

from liaison import peers, services
from liaison.adapters import ChannelDown
from liaison.adapters.store_forward import fetch_all
from liaison.selectors import outbox


@shared_task(
    name="liaison.deliver_message",
    autoretry_for=(ChannelDown,),
    retry_backoff=5,
    retry_backoff_max=600,
    max_retries=None,
    acks_late=True,
)
def deliver_message(message_id: int) -> str:
    """Hand one outbox message to its channel; retried with backoff while the channel is down."""
    return services.deliver(message_id)


@shared_task(name="liaison.drain_outbox")
def drain_outbox() -> int:
    """Every minute (beat): check the channels, forget old nonces, queue what still waits."""
    services.check_channels()
    peers.purge_received_nonces()
    waiting = list(outbox().values_list("pk", flat=True))
    for message_id in waiting:
        deliver_message.delay(message_id)
    fetch_all()  # store-and-forward channels are polled: read what the gateway dropped
    return len(waiting)
