"""Store-and-forward channels: INTERPOL I-24/7, WCO CENcomm and national databases.

None of them can be reached from the installation. The national gateway carries files instead:
we write each outgoing message as one JSON file (the `aircop-gateway/1` envelope around an
`aircop-exchange/1` message) into the counterpart's outgoing folder, and read the gateway's
answers, in the same envelope, from its incoming folder. docs/liaison-store-and-forward.md is
the format the gateway's operators build against; keep the two in step.

A real connector replaces one of these adapters by registering under the same name
(`i247_file`, `cencomm_file`, `national_file`); `fetch_all` then uses its `fetch_replies`.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.db.models import QuerySet

from liaison import services, wire
from liaison.adapters import ChannelDown, MessageRefused, adapter_for, register
from liaison.models import Counterpart

log = logging.getLogger(__name__)

ENVELOPE = "aircop-gateway/1"
ENVELOPE_KEYS = ("envelope", "channel", "counterpart", "written_at", "routing", "message")
PROCESSED = "processed"
REJECTED = "rejected"


def routing_for(channel: str, counterpart_code: str, kind: str) -> dict[str, str]:
    """What the gateway needs to pass the message on, per channel (documented in the docs)."""
    if channel == Counterpart.Kind.I247:
        return {"ncb": counterpart_code, "priority": "urgent" if kind == "alert" else "routine"}
    if channel == Counterpart.Kind.CENCOMM:
        return {"community": counterpart_code, "notice_type": kind}
    return {"service": counterpart_code, "request_type": kind}


def file_name_for(payload: dict[str, Any]) -> str:
    """`<sent_at in UTC, yyyymmddThhmmssZ>-<message_id>.json`: the same for every retry."""
    sent_at = datetime.fromisoformat(payload["sent_at"])
    if sent_at.tzinfo is None:
        sent_at = sent_at.replace(tzinfo=UTC)
    return f"{sent_at.astimezone(UTC):%Y%m%dT%H%M%SZ}-{payload['message_id']}.json"


def envelope_for(channel: str, counterpart_code: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "envelope": ENVELOPE,
        "channel": channel,
        "counterpart": counterpart_code,
        "written_at": datetime.now(UTC).isoformat(),
        "routing": routing_for(channel, counterpart_code, payload["kind"]),
        "message": payload,
    }


def open_envelope(text: str, *, channel: str, counterpart_code: str) -> dict[str, Any]:
    """Check one file from the gateway; return its message normalised, or raise WireError."""
    try:
        document = json.loads(text)
    except ValueError as error:
        raise wire.WireError("file", f"is not JSON ({error})") from error
    if not isinstance(document, dict):
        raise wire.WireError("file", "must hold a JSON object")
    if document.get("envelope") != ENVELOPE:
        raise wire.WireError("envelope", f"must be {ENVELOPE}")
    if document.get("channel") != channel:
        raise wire.WireError("channel", f"must be {channel} for this folder")
    if document.get("counterpart") != counterpart_code:
        raise wire.WireError("counterpart", f"must be {counterpart_code} for this folder")
    try:
        datetime.fromisoformat(str(document.get("written_at")))
    except ValueError as error:
        raise wire.WireError("written_at", "is not an ISO 8601 date and time") from error
    try:
        return wire.validate(document.get("message"))
    except wire.WireError as error:
        raise wire.WireError(f"message.{error.field}", str(error).split(": ", 1)[-1]) from error


def _folder_problem(path_text: str, what: str, *, write: bool) -> str:
    """Why a folder cannot be used, or "" when it can."""
    if not path_text:
        return f"no {what} folder is set"
    path = Path(path_text)
    if not path.is_dir():
        return f"the {what} folder {path} does not exist"
    if not os.access(path, os.R_OK | os.X_OK | (os.W_OK if write else 0)):
        return f"the {what} folder {path} is not {'writable' if write else 'readable'}"
    return ""


def _write_atomically(path: Path, text: str) -> None:
    """The gateway never sees a half-written file: it takes `*.json`, we write `*.json.tmp`."""
    partial = path.with_name(path.name + ".tmp")
    with open(partial, "w", encoding="utf-8") as file:
        file.write(text)
        file.flush()
        os.fsync(file.fileno())
    os.replace(partial, path)


def _file_away(path: Path, folder: str, *, error: wire.WireError | None = None) -> Path:
    target_dir = path.parent / folder
    target_dir.mkdir(exist_ok=True)
    target = target_dir / path.name
    if error is not None:
        _write_atomically(target_dir / f"{path.name}.error.txt", f"{error.field}\n{error}\n")
    os.replace(path, target)
    return target


@dataclass(frozen=True)
class StoreAndForward:
    """One adapter class for the three channels; `channel` is a Counterpart.Kind value."""

    channel: str

    def send(self, counterpart: Counterpart, payload: dict[str, Any]) -> None:
        problem = _folder_problem(counterpart.outbox_dir, "outgoing", write=True)
        if problem:
            raise ChannelDown(problem)
        try:
            wire.validate(payload)
        except wire.WireError as error:
            raise MessageRefused(f"not an {wire.FORMAT} message: {error}") from error
        outbox = Path(counterpart.outbox_dir)
        if any(outbox.glob(f"*-{payload['message_id']}.json")):
            return  # written by an earlier attempt: the gateway has it once
        text = json.dumps(
            envelope_for(self.channel, counterpart.code, payload), ensure_ascii=False, indent=2
        )
        try:
            _write_atomically(outbox / file_name_for(payload), text + "\n")
        except OSError as error:
            raise ChannelDown(f"cannot write to {outbox}: {error.strerror or error}") from error

    def waiting_files(self, counterpart: Counterpart) -> list[Path]:
        """The gateway's files not yet taken, oldest name first."""
        problem = _folder_problem(counterpart.inbox_dir, "incoming", write=True)
        if problem:
            raise ChannelDown(problem)
        return sorted(p for p in Path(counterpart.inbox_dir).glob("*.json") if p.is_file())

    def read(self, counterpart: Counterpart, path: Path) -> dict[str, Any]:
        """The message of one file; WireError naming the field when it is malformed."""
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            raise wire.WireError("file", "is not UTF-8 text") from error
        return open_envelope(text, channel=self.channel, counterpart_code=counterpart.code)

    def fetch_replies(self, counterpart: Counterpart) -> list[dict[str, Any]]:
        """Every valid waiting message; files move to processed/ or rejected/ as they are read.

        `fetch_all` does not use this: it moves a file only once its message is stored.
        """
        replies = []
        for path in self.waiting_files(counterpart):
            try:
                replies.append(self.read(counterpart, path))
            except wire.WireError as error:
                _file_away(path, REJECTED, error=error)
                continue
            _file_away(path, PROCESSED)
        return replies

    def health(self, counterpart: Counterpart) -> tuple[bool, str]:
        problems = [
            _folder_problem(counterpart.outbox_dir, "outgoing", write=True),
            _folder_problem(counterpart.inbox_dir, "incoming", write=True),
        ]
        why = "; ".join(p for p in problems if p)
        return not why, why


CHANNELS = {
    "i247_file": StoreAndForward(Counterpart.Kind.I247),
    "cencomm_file": StoreAndForward(Counterpart.Kind.CENCOMM),
    "national_file": StoreAndForward(Counterpart.Kind.NATIONAL),
}


def register_channels() -> None:
    for name, adapter in CHANNELS.items():
        register(name, adapter)


@dataclass
class Fetched:
    """What one counterpart's incoming folder gave."""

    received: int = 0
    already_had: int = 0
    rejected: list[str] = field(default_factory=list)
    down: str = ""


def _take(counterpart: Counterpart, payload: dict[str, Any], fetched: Fetched) -> None:
    _, is_new = services.receive(counterpart=counterpart, payload=payload)
    if is_new:
        fetched.received += 1
    else:
        fetched.already_had += 1


def fetch_counterpart(counterpart: Counterpart) -> Fetched:
    """Read one counterpart's answers once. Safe to run twice: receive is idempotent.

    A file moves to processed/ only after its message is stored, so a crash in between reads
    it again next time (and receive knows it); a malformed one moves to rejected/.
    """
    fetched = Fetched()
    adapter = adapter_for(counterpart)
    if not isinstance(adapter, StoreAndForward):  # a real connector took the name
        try:
            for payload in adapter.fetch_replies(counterpart):
                _take(counterpart, payload, fetched)
        except ChannelDown as down:
            fetched.down = str(down)
        return fetched
    try:
        paths = adapter.waiting_files(counterpart)
    except ChannelDown as down:
        fetched.down = str(down)
        return fetched
    for path in paths:
        try:
            _take(counterpart, adapter.read(counterpart, path), fetched)
        except wire.WireError as error:
            log.warning("liaison: %s rejected from %s: %s", path.name, counterpart.code, error)
            _file_away(path, REJECTED, error=error)
            fetched.rejected.append(f"{path.name}: {error}")
            continue
        _file_away(path, PROCESSED)
    return fetched


def store_and_forward_counterparts() -> QuerySet[Counterpart]:
    return Counterpart.objects.filter(is_active=True, channel__in=list(CHANNELS)).order_by("pk")


def fetch_all(counterparts: QuerySet[Counterpart] | None = None) -> dict[str, Fetched]:
    """Read the incoming folder of every active store-and-forward counterpart once."""
    if counterparts is None:
        counterparts = store_and_forward_counterparts()
    return {
        f"{counterpart.task_force.code}/{counterpart.code}": fetch_counterpart(counterpart)
        for counterpart in counterparts.select_related("task_force")
    }
