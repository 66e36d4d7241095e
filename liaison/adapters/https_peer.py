"""`jaitf_https`: another installation of this application, reached over HTTPS with signed posts.

The peer pushes its messages to us the same way, so there is nothing to fetch. A message the
peer already took answers 200 "duplicate": that is a success, which is what makes a retry after
a lost answer safe (the outbox may send twice; the peer files once).
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import requests

from liaison import signing
from liaison.adapters import ChannelDown, MessageRefused

TIMEOUT_SECONDS = 10
INBOUND_PATH = "/liaison/inbound/"


def _inbound_url(counterpart: Any, suffix: str = "") -> str:
    if not counterpart.endpoint:
        raise MessageRefused(f"{counterpart.code} has no address")
    return counterpart.endpoint.rstrip("/") + INBOUND_PATH + suffix


def _detail(response: requests.Response) -> str:
    try:
        answer = response.json()
    except ValueError:
        return response.text[:200]
    if isinstance(answer, dict) and "detail" in answer:
        return str(answer["detail"])
    return str(answer)[:200]


class HttpsPeerAdapter:
    def send(self, counterpart: Any, payload: dict[str, Any]) -> None:
        url = _inbound_url(counterpart)
        body = json.dumps(payload, separators=(",", ":")).encode()
        # Signed afresh on every try: a new nonce, so a retry is never taken for a replay.
        headers = signing.sign("POST", urlsplit(url).path, body)
        headers["Content-Type"] = "application/json"
        try:
            response = requests.post(url, data=body, headers=headers, timeout=TIMEOUT_SECONDS)
        except requests.RequestException as error:
            raise ChannelDown(f"{counterpart.code} cannot be reached: {error}") from error
        if response.ok:
            return
        detail = _detail(response)
        if response.status_code >= 500 or response.status_code in (408, 409, 429):
            # 409 means our nonce was seen: harmless to sign again and retry.
            raise ChannelDown(f"{counterpart.code} answered {response.status_code}: {detail}")
        raise MessageRefused(f"{counterpart.code} refused it ({response.status_code}): {detail}")

    def fetch_replies(self, counterpart: Any) -> list[dict[str, Any]]:
        return []

    def health(self, counterpart: Any) -> tuple[bool, str]:
        try:
            response = requests.get(_inbound_url(counterpart, "health"), timeout=TIMEOUT_SECONDS)
        except requests.RequestException as error:
            return False, f"cannot be reached: {type(error).__name__}"
        except MessageRefused as refused:
            return False, str(refused)
        if response.status_code != 200:
            return False, f"health check answered {response.status_code}"
        return True, ""
