"""POST /liaison/inbound/: a peer's signed message is filed once; anything else is refused."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.test import Client
from django.utils import timezone

from liaison import signing
from liaison.models import Counterpart, Exchange, Message, ReceivedNonce
from liaison.peers import purge_received_nonces, register_peer

URL = "/liaison/inbound/"


@pytest.fixture
def peer_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def peer(task_force: Any, police: Any, peer_key: Ed25519PrivateKey) -> Counterpart:
    counterpart, _created = register_peer(
        actor=None,
        task_force=task_force,
        code="SN-DSS",
        name="JAITF Dakar",
        endpoint="https://dakar.example.org",
        remote_task_force="SN-DSS",
        key_id=signing.key_id_of(peer_key.public_key()),
        public_key=signing.public_key_pem(peer_key),
    )
    return counterpart


def alert(**changes: Any) -> dict[str, Any]:
    payload = {
        "format": "aircop-exchange/1",
        "message_id": str(uuid.uuid4()),
        "exchange_id": str(uuid.uuid4()),
        "in_reply_to": None,
        "sent_at": timezone.now().isoformat(),
        "sender": {"installation": "aircop-dakar", "task_force": "SN-DSS", "agency": "SN-POL"},
        "recipient": {"code": "TG-LFW"},
        "kind": "alert",
        "handling": "amber",
        "deadline": None,
        "subject": "Courier on HF 520",
        "body": "Travels with two checked bags bought in cash.",
        "travellers": [],
        "flights": [],
        "cases": [],
    }
    payload.update(changes)
    return payload


def post(body: bytes, key: Ed25519PrivateKey, *, headers: dict[str, str] | None = None) -> Any:
    headers = headers or signing.sign("POST", URL, body, key=key)
    extra = {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
    return Client().post(URL, data=body, content_type="application/json", **extra)


def encoded(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload).encode()


def test_a_signed_alert_is_accepted_and_filed(peer: Counterpart, peer_key: Any) -> None:
    payload = alert()
    response = post(encoded(payload), peer_key)
    assert response.status_code == 202
    assert response.json() == {"status": "accepted", "message_id": payload["message_id"]}
    message = Message.objects.get(uid=payload["message_id"])
    assert message.exchange.counterpart == peer
    assert message.exchange.direction == Exchange.Direction.INBOUND
    assert message.body == payload["body"]


def test_the_same_message_twice_is_filed_once(peer: Counterpart, peer_key: Any) -> None:
    body = encoded(alert())
    assert post(body, peer_key).status_code == 202
    again = post(body, peer_key)  # signed afresh: a new nonce, as a retry would be
    assert again.status_code == 200
    assert again.json()["status"] == "duplicate"
    assert Message.objects.count() == 1


def test_a_replayed_request_is_refused(peer: Counterpart, peer_key: Any) -> None:
    body = encoded(alert())
    headers = signing.sign("POST", URL, body, key=peer_key)
    assert post(body, peer_key, headers=headers).status_code == 202
    replay = post(body, peer_key, headers=headers)
    assert replay.status_code == 409
    assert replay.json() == {"detail": "replayed"}


def test_a_tampered_body_is_refused(peer: Counterpart, peer_key: Any) -> None:
    body = encoded(alert())
    headers = signing.sign("POST", URL, body, key=peer_key)
    response = post(body.replace(b"two checked bags", b"one bag"), peer_key, headers=headers)
    assert response.status_code == 401
    assert response.json()["detail"] == "the signature does not match the request"
    assert not Message.objects.exists()
    assert not ReceivedNonce.objects.exists()


def test_an_unknown_key_is_refused(peer: Counterpart) -> None:
    stranger = Ed25519PrivateKey.generate()
    response = post(encoded(alert()), stranger)
    assert response.status_code == 401
    assert "is not registered here" in response.json()["detail"]
    assert not Message.objects.exists()


def test_an_inactive_peer_is_refused(peer: Counterpart, peer_key: Any) -> None:
    Counterpart.objects.filter(pk=peer.pk).update(is_active=False)
    assert post(encoded(alert()), peer_key).status_code == 401


def test_a_malformed_message_is_refused_naming_the_field(peer: Counterpart, peer_key: Any) -> None:
    response = post(encoded(alert(handling="secret")), peer_key)
    assert response.status_code == 400
    assert response.json()["field"] == "handling"
    assert "handling" in response.json()["detail"]
    not_json = post(b"{not json", peer_key)
    assert not_json.status_code == 400
    assert not_json.json()["field"] == "message"
    assert not Message.objects.exists()


def test_a_body_over_the_limit_is_refused(peer: Counterpart, peer_key: Any, settings: Any) -> None:
    settings.LIAISON_MAX_BYTES = 1000
    response = post(encoded(alert(body="x" * 2000)), peer_key)
    assert response.status_code == 413


def test_health_answers_without_signature(db: Any) -> None:
    response = Client().get(URL + "health")
    assert response.status_code == 200
    assert response.json()["status"] == "up"


def test_old_nonces_are_forgotten(peer: Counterpart, peer_key: Any) -> None:
    post(encoded(alert()), peer_key)
    ReceivedNonce.objects.update(received_at=timezone.now() - timezone.timedelta(days=2))
    post(encoded(alert()), peer_key)
    assert purge_received_nonces() == 1
    assert ReceivedNonce.objects.count() == 1
