"""The `aircop-exchange/1` message: what goes over every channel, as JSON. Pure Python.

One message of a thread. Travellers are described by the fields that identify them (name,
birth date, nationality, one document, the flight) and nothing more: no contacts, payment or
PNR details leave the installation (the data-minimisation rule of the liaison issue).

    {"format": "aircop-exchange/1",
     "message_id": uuid, "exchange_id": uuid, "in_reply_to": uuid | null,
     "sent_at": ISO 8601 UTC,
     "sender": {"installation": str, "task_force": str, "agency": str, "name": str},
     "recipient": {"code": str, "agency": str (optional: the agency it is for)},
     "kind": "alert" | "request" | "answer" | "seizure",
     "handling": "red" | "amber_strict" | "amber" | "green" | "clear",
     "deadline": ISO 8601 | null,
     "subject": str, "body": str,
     "travellers": [{"surname", "given_names", "birth_date", "nationality", "sex",
                     "document": {"type", "number", "issuing_state"} | null,
                     "flight": {"carrier", "number", "departure_airport",
                                "arrival_airport", "departure_date"} | null}],
     "flights": [{"carrier", "number", "departure_airport", "arrival_airport",
                  "departure_date"}],
     "cases": [{"number": str}]}
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

FORMAT = "aircop-exchange/1"
KINDS = ("alert", "request", "answer", "seizure")
HANDLING = ("red", "amber_strict", "amber", "green", "clear")
MAX_TEXT = 8000


class WireError(ValueError):
    """A message that does not follow aircop-exchange/1; `field` names where."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(f"{field}: {message}")


def _text(payload: dict[str, Any], field: str, *, required: bool = True, limit: int = 200) -> str:
    value = payload.get(field)
    if value is None or value == "":
        if required:
            raise WireError(field, "is missing")
        return ""
    if not isinstance(value, str):
        raise WireError(field, "must be text")
    if len(value) > limit:
        raise WireError(field, f"is longer than {limit} characters")
    return value


def _uuid(payload: dict[str, Any], field: str, *, required: bool = True) -> str | None:
    value = payload.get(field)
    if value is None and not required:
        return None
    try:
        return str(uuid.UUID(str(value)))
    except ValueError as error:
        raise WireError(field, "is not a UUID") from error


def _moment(payload: dict[str, Any], field: str, *, required: bool) -> str | None:
    value = payload.get(field)
    if value is None and not required:
        return None
    try:
        datetime.fromisoformat(str(value))
    except ValueError as error:
        raise WireError(field, "is not an ISO 8601 date and time") from error
    return str(value)


def _flight(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise WireError(where, "must be an object")
    flight = {k: _text(value, k, limit=8) for k in ("carrier", "number")}
    for k in ("departure_airport", "arrival_airport"):
        flight[k] = _text(value, k, required=False, limit=5)
    day = _text(value, "departure_date", limit=10)
    try:
        date.fromisoformat(day)
    except ValueError as error:
        raise WireError(f"{where}.departure_date", "is not a YYYY-MM-DD date") from error
    flight["departure_date"] = day
    return flight


def _traveller(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise WireError(where, "must be an object")
    traveller: dict[str, Any] = {"surname": _text(value, "surname", limit=120)}
    for k, limit in (("given_names", 160), ("nationality", 3), ("sex", 2), ("birth_date", 10)):
        traveller[k] = _text(value, k, required=False, limit=limit)
    if traveller["birth_date"]:
        try:
            date.fromisoformat(traveller["birth_date"])
        except ValueError as error:
            raise WireError(f"{where}.birth_date", "is not a YYYY-MM-DD date") from error
    document = value.get("document")
    if document is not None:
        if not isinstance(document, dict):
            raise WireError(f"{where}.document", "must be an object")
        traveller["document"] = {
            "type": _text(document, "type", required=False, limit=3),
            "number": _text(document, "number", limit=40),
            "issuing_state": _text(document, "issuing_state", required=False, limit=3),
        }
    else:
        traveller["document"] = None
    flight = value.get("flight")
    traveller["flight"] = _flight(flight, f"{where}.flight") if flight is not None else None
    return traveller


def validate(payload: Any) -> dict[str, Any]:
    """Check a received message and return it normalised; raise WireError naming the field."""
    if not isinstance(payload, dict):
        raise WireError("message", "must be a JSON object")
    if payload.get("format") != FORMAT:
        raise WireError("format", f"must be {FORMAT}")
    kind = _text(payload, "kind", limit=10)
    if kind not in KINDS:
        raise WireError("kind", f"must be one of {', '.join(KINDS)}")
    handling = _text(payload, "handling", limit=12)
    if handling not in HANDLING:
        raise WireError("handling", f"must be one of {', '.join(HANDLING)}")
    sender = payload.get("sender")
    if not isinstance(sender, dict):
        raise WireError("sender", "must be an object")
    recipient = payload.get("recipient")
    if not isinstance(recipient, dict):
        raise WireError("recipient", "must be an object")
    lists = {}
    for name in ("travellers", "flights", "cases"):
        value = payload.get(name, [])
        if not isinstance(value, list) or len(value) > 50:
            raise WireError(name, "must be a list of at most 50")
        lists[name] = value
    return {
        "format": FORMAT,
        "message_id": _uuid(payload, "message_id"),
        "exchange_id": _uuid(payload, "exchange_id"),
        "in_reply_to": _uuid(payload, "in_reply_to", required=False),
        "sent_at": _moment(payload, "sent_at", required=True),
        "sender": {
            "installation": _text(sender, "installation", limit=40),
            "task_force": _text(sender, "task_force", required=False, limit=20),
            "agency": _text(sender, "agency", required=False, limit=20),
            "name": _text(sender, "name", required=False, limit=200),
        },
        "recipient": {
            "code": _text(recipient, "code", required=False, limit=40),
            "agency": _text(recipient, "agency", required=False, limit=20),
        },
        "kind": kind,
        "handling": handling,
        "deadline": _moment(payload, "deadline", required=False),
        "subject": _text(payload, "subject", limit=200),
        "body": _text(payload, "body", limit=MAX_TEXT),
        "travellers": [
            _traveller(t, f"travellers[{i}]") for i, t in enumerate(lists["travellers"])
        ],
        "flights": [_flight(f, f"flights[{i}]") for i, f in enumerate(lists["flights"])],
        "cases": [
            {"number": _text(c, "number", limit=40) if isinstance(c, dict) else ""}
            for c in lists["cases"]
        ],
    }
