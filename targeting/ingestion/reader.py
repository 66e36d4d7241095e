"""Read a file or an HTTP body into parsed API/PNR messages.

`read_messages` cleans the transport envelope, tokenizes every interchange and hands each
UNH..UNT message to the parser registered for its type (UNH S009/0065). Only PAXLST and PNRGOV
are passenger data; any other message type is refused.

No Django import here: this module is part of the pure core.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from targeting.ingestion.edifact import (
    EdifactError,
    Interchange,
    Message,
    read_interchanges,
    without_cycle_collection,
)
from targeting.ingestion.paxlst import parse_paxlst
from targeting.ingestion.pnrgov import parse_pnrgov
from targeting.ingestion.records import ParsedMessage


@dataclass(slots=True, frozen=True)
class ReadOptions:
    """What a parser may need besides the message (e.g. the key for hashing card numbers)."""

    card_key: bytes = b""


Parser = Callable[[Message, Interchange, ReadOptions], ParsedMessage]


def _paxlst(message: Message, interchange: Interchange, options: ReadOptions) -> ParsedMessage:
    return parse_paxlst(message, interchange)


def _pnrgov(message: Message, interchange: Interchange, options: ReadOptions) -> ParsedMessage:
    return parse_pnrgov(message, interchange, card_hash_key=options.card_key)


# Message type (UNH S009/0065) -> parser. The PNRGOV parser registers itself here.
PARSERS: dict[str, Parser] = {"PAXLST": _paxlst, "PNRGOV": _pnrgov}

# Passenger-data message types we know of, for a precise error when one has no parser yet.
_PASSENGER_TYPES = frozenset({"PAXLST", "PNRGOV"})


def read_messages(data: bytes, *, options: ReadOptions | None = None) -> list[ParsedMessage]:
    """Read every PAXLST and PNRGOV message in `data`, in file order.

    Raises `EdifactError` (naming segment and line) when the file is not EDIFACT, is truncated,
    or holds a message that is neither PAXLST nor PNRGOV: a file is accepted or refused whole,
    so that it is never half stored.
    """
    with without_cycle_collection():
        return _read_messages(data, options or ReadOptions())


def _read_messages(data: bytes, options: ReadOptions) -> list[ParsedMessage]:
    parsed: list[ParsedMessage] = []
    interchanges = read_interchanges(data)
    for interchange in interchanges:
        if not interchange.messages:
            header = interchange.header
            raise EdifactError(
                header.number,
                header.line,
                header.column,
                "the interchange holds no message (no UNH segment)",
                label=header.tag,
            )
        for message in interchange.messages:
            parser = PARSERS.get(message.type)
            if parser is None:
                header = message.header
                if message.type in _PASSENGER_TYPES:
                    text = f"{message.type} parser not available"
                else:
                    shown = message.type or "(none)"
                    text = (
                        f"message type {shown} is not passenger data: only PAXLST (API) and"
                        " PNRGOV (PNR) messages are accepted"
                    )
                raise EdifactError(
                    header.number, header.line, header.column, text, label=header.tag
                )
            parsed.append(parser(message, interchange, options))
    return parsed
