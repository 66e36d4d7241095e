"""Channels: one adapter per way of reaching a counterpart, behind one small interface.

An adapter sends one `aircop-exchange/1` payload, fetches what came back (for channels that
are polled), and says whether the channel is up. A real connector (an NCB's I-24/7 gateway, a
CENcomm client) replaces a store-and-forward adapter by registering under the same name:
nothing else in the application changes.
"""

from __future__ import annotations

from typing import Any, Protocol


class ChannelDown(Exception):
    """The channel cannot take the message now: keep it in the outbox and try again later."""


class MessageRefused(Exception):
    """The other side refused the message for good (malformed, unknown recipient)."""


class Adapter(Protocol):
    def send(self, counterpart: Any, payload: dict[str, Any]) -> None:
        """Hand the message to the channel; return once it has taken it, or raise."""

    def fetch_replies(self, counterpart: Any) -> list[dict[str, Any]]:
        """Messages waiting on the channel for us (empty for channels that push to us)."""

    def health(self, counterpart: Any) -> tuple[bool, str]:
        """(is up, why not) — cheap enough to call every minute."""


ADAPTERS: dict[str, Adapter] = {}


def register(name: str, adapter: Adapter) -> None:
    ADAPTERS[name] = adapter


def adapter_for(counterpart: Any) -> Adapter:
    try:
        return ADAPTERS[counterpart.channel]
    except KeyError as error:
        raise MessageRefused(f"no adapter for channel {counterpart.channel!r}") from error
