from __future__ import annotations

from celery import Task, shared_task

from liaison import peers, services
from liaison.adapters import ChannelDown
from liaison.adapters.store_forward import fetch_all
from liaison.selectors import outbox


@shared_task(bind=True, name="liaison.deliver_message", max_retries=None, acks_late=True)
def deliver_message(self: Task, message_id: int) -> str:
    """Hand one outbox message to its channel; retried with backoff while the channel is down.

    Run in-process (the embedded mode), a down channel leaves the message queued for the
    beat's drain instead: retrying there would raise into the request that sent it.
    """
    try:
        return services.deliver(message_id)
    except ChannelDown as down:
        if self.request.is_eager:
            return "waiting: channel down"
        countdown = min(600, 5 * 2 ** min(self.request.retries, 7))
        raise self.retry(exc=down, countdown=countdown) from down


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
