"""Where peer installations post their messages: `POST /liaison/inbound/`, signed (signing.py).

Answers, always JSON:
    202 {"status": "accepted", "message_id"}   filed
    200 {"status": "duplicate", "message_id"}  this message id was taken before: nothing changes
    400 {"detail", "field"}                    not aircop-exchange/1; `field` says where
    401 {"detail"}                             unknown key, or the signature does not hold
    409 {"detail": "replayed"}                 this signed request (its nonce) came before
    413 {"detail"}                             larger than LIAISON_MAX_BYTES
`GET /liaison/inbound/health` answers 200 for the peers' channel checks (unsigned).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from liaison import peers, signing, wire
from liaison.models import Counterpart


def _answer(code: int, **fields: Any) -> JsonResponse:
    return JsonResponse(fields, status=code)


def _recipient_code(payload: Any) -> str:
    recipient = payload.get("recipient") if isinstance(payload, dict) else None
    code = recipient.get("code") if isinstance(recipient, dict) else None
    return code.upper() if isinstance(code, str) else ""


def _addressed(candidates: list[Counterpart], payload: Any) -> Counterpart | None:
    """The peer's counterpart in the task force the message is for (an installation may host
    several task forces that each registered the same peer)."""
    if len(candidates) == 1:
        return candidates[0]
    code = _recipient_code(payload)
    return next((c for c in candidates if c.task_force.code == code), None)


@csrf_exempt
@never_cache
@require_POST
def receive_message(request: HttpRequest) -> JsonResponse:
    limit = settings.LIAISON_MAX_BYTES
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return _answer(413, detail=f"messages are at most {limit} bytes")
    body = request.body
    if len(body) > limit:
        return _answer(413, detail=f"messages are at most {limit} bytes")

    key_id = request.headers.get(signing.KEY_ID, "").strip().lower()
    if not key_id:
        return _answer(401, detail=f"the {signing.KEY_ID} header is missing")
    candidates = peers.peers_with_key(key_id)
    if not candidates:
        return _answer(401, detail=f"key {key_id} is not registered here")
    try:
        nonce = signing.verify(
            request.method or "POST", request.path, request.headers, body, candidates[0].public_key
        )
    except signing.SignatureRefused as refused:
        return _answer(401, detail=refused.reason)

    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _answer(400, detail="the body is not JSON", field="message")
    counterpart = _addressed(candidates, payload)
    if counterpart is None:
        return _answer(400, detail="no task force here takes this recipient", field="recipient")
    try:
        message, created = peers.take_signed_message(
            counterpart=counterpart, nonce=nonce, payload=payload
        )
    except peers.Replayed:
        return _answer(409, detail="replayed")
    except wire.WireError as error:
        return _answer(400, detail=str(error), field=error.field)
    if created:
        return _answer(202, status="accepted", message_id=str(message.uid))
    return _answer(200, status="duplicate", message_id=str(message.uid))


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    return _answer(200, status="up", installation=settings.LIAISON_INSTALLATION)
