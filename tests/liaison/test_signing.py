"""Signed requests between installations: what verifies and what is refused, and why."""

from __future__ import annotations

import hashlib
import os
import stat
import time
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.test import override_settings

from liaison import signing

PATH = "/liaison/inbound/"
BODY = b'{"format": "aircop-exchange/1"}'


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def public_pem(key: Ed25519PrivateKey) -> str:
    return signing.public_key_pem(key)


def refusal(headers: dict[str, str], public_pem: str, body: bytes = BODY, **kw: Any) -> str:
    with pytest.raises(signing.SignatureRefused) as refused:
        signing.verify(kw.get("method", "POST"), kw.get("path", PATH), headers, body, public_pem)
    return refused.value.reason


def test_a_signed_request_verifies_and_gives_its_nonce(key: Any, public_pem: str) -> None:
    headers = signing.sign("POST", PATH, BODY, key=key)
    assert set(headers) == set(signing.HEADERS)
    assert len(headers[signing.NONCE]) == 32
    assert signing.verify("POST", PATH, headers, BODY, public_pem) == headers[signing.NONCE]


def test_header_names_are_read_whatever_their_case(key: Any, public_pem: str) -> None:
    headers = {k.lower(): v for k, v in signing.sign("POST", PATH, BODY, key=key).items()}
    assert signing.verify("POST", PATH, headers, BODY, public_pem)


def test_every_signature_has_a_new_nonce(key: Any) -> None:
    first = signing.sign("POST", PATH, BODY, key=key)
    second = signing.sign("POST", PATH, BODY, key=key)
    assert first[signing.NONCE] != second[signing.NONCE]


def test_a_tampered_body_is_refused(key: Any, public_pem: str) -> None:
    headers = signing.sign("POST", PATH, BODY, key=key)
    reason = refusal(headers, public_pem, body=BODY.replace(b"1", b"2"))
    assert reason == "the signature does not match the request"


def test_another_path_or_method_is_refused(key: Any, public_pem: str) -> None:
    headers = signing.sign("POST", PATH, BODY, key=key)
    assert "does not match" in refusal(headers, public_pem, path="/liaison/inbound/x")
    assert "does not match" in refusal(headers, public_pem, method="PUT")


def test_a_tampered_nonce_or_timestamp_is_refused(key: Any, public_pem: str) -> None:
    headers = signing.sign("POST", PATH, BODY, key=key)
    nonce = headers[signing.NONCE]
    changed = {**headers, signing.NONCE: ("0" if nonce[0] != "0" else "1") + nonce[1:]}
    assert "does not match" in refusal(changed, public_pem)
    later = {**headers, signing.TIMESTAMP: str(int(headers[signing.TIMESTAMP]) + 1)}
    assert "does not match" in refusal(later, public_pem)


def test_a_request_signed_with_another_key_is_refused(public_pem: str) -> None:
    headers = signing.sign("POST", PATH, BODY, key=Ed25519PrivateKey.generate())
    assert "is not the id of the registered key" in refusal(headers, public_pem)
    # Even claiming the registered key's id, the signature gives it away.
    claimed = {**headers, signing.KEY_ID: signing.key_id_of(signing.load_public_key(public_pem))}
    assert refusal(claimed, public_pem) == "the signature does not match the request"


def test_an_old_timestamp_is_refused_even_when_signed(
    key: Any, public_pem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_time = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - 301)
    headers = signing.sign("POST", PATH, BODY, key=key)
    monkeypatch.setattr(signing.time, "time", real_time)
    assert "away from our clock (at most 300 s)" in refusal(headers, public_pem)


@override_settings(LIAISON_MAX_SKEW_SECONDS=1000)
def test_the_allowed_clock_skew_is_a_setting(
    key: Any, public_pem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_time = time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - 900)
    headers = signing.sign("POST", PATH, BODY, key=key)
    monkeypatch.setattr(signing.time, "time", real_time)
    assert signing.verify("POST", PATH, headers, BODY, public_pem)


@pytest.mark.parametrize("missing", signing.HEADERS)
def test_a_missing_header_is_named(key: Any, public_pem: str, missing: str) -> None:
    headers = signing.sign("POST", PATH, BODY, key=key)
    del headers[missing]
    assert refusal(headers, public_pem) == f"the {missing} header is missing"


def test_a_signature_that_is_not_base64_is_refused(key: Any, public_pem: str) -> None:
    headers = {**signing.sign("POST", PATH, BODY, key=key), signing.SIGNATURE: "not base64!"}
    assert refusal(headers, public_pem) == "X-Aircop-Signature is not base64"


def test_key_id_is_sha256_of_the_raw_public_key(key: Ed25519PrivateKey) -> None:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert signing.key_id_of(key.public_key()) == hashlib.sha256(raw).hexdigest()[:16]


def test_the_key_comes_from_the_setting(tmp_path: Path) -> None:
    pem = signing.generate_private_key_pem()
    with override_settings(LIAISON_SIGNING_KEY=pem, VAR_DIR=tmp_path):
        assert signing.public_key_pem() == signing.public_key_pem(signing._load_private_key(pem))
    assert not (tmp_path / "liaison-ed25519.pem").exists()


def test_without_the_setting_a_key_file_is_made_once_readable_by_us_only(tmp_path: Path) -> None:
    with override_settings(LIAISON_SIGNING_KEY=None, VAR_DIR=tmp_path):
        first = signing.key_id()
        path = tmp_path / "liaison-ed25519.pem"
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert signing.key_id() == first
        assert path.read_text().startswith("-----BEGIN PRIVATE KEY-----")
