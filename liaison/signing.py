"""Signed requests between two installations (the `jaitf_https` channel): Ed25519 over HTTPS.

Each installation has one Ed25519 key pair. The platform admin gives the public key and its id
(`manage.py liaison_key show`) to the peer's admin, who registers it (`manage.py liaison_peer
add`). Every request carries four headers:

    X-Aircop-Key-Id     the sender's key id: the first 16 hex digits of sha256(raw public key)
    X-Aircop-Timestamp  unix seconds when signed
    X-Aircop-Nonce      32 random hex digits, never used twice by the sender
    X-Aircop-Signature  base64 of the Ed25519 signature of the five lines
                        METHOD \\n PATH \\n TIMESTAMP \\n NONCE \\n sha256_hex(BODY)

The receiver refuses a request whose signature does not verify with the registered key, whose
timestamp is more than LIAISON_MAX_SKEW_SECONDS away from its clock, or whose nonce it has
taken before (liaison/inbound.py keeps the nonces).
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import secrets
import time
from collections.abc import Mapping
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings

KEY_ID = "X-Aircop-Key-Id"
TIMESTAMP = "X-Aircop-Timestamp"
NONCE = "X-Aircop-Nonce"
SIGNATURE = "X-Aircop-Signature"
HEADERS = (KEY_ID, TIMESTAMP, NONCE, SIGNATURE)

_NONCE_FORMAT = re.compile(r"[0-9a-f]{16,64}")
_KEY_ID_FORMAT = re.compile(r"[0-9a-f]{16}")


class SignatureRefused(Exception):
    """A request that is not signed as it should be; the message says why, for the sender."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def _load_private_key(pem: str) -> Ed25519PrivateKey:
    # An environment variable may carry the PEM with its newlines written as \n.
    key = serialization.load_pem_private_key(pem.replace("\\n", "\n").encode(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the liaison signing key must be an Ed25519 key")
    return key


def generate_private_key_pem() -> str:
    return (
        Ed25519PrivateKey.generate()
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )


def _key_file() -> Path:
    return Path(settings.VAR_DIR) / "liaison-ed25519.pem"


def private_key() -> Ed25519PrivateKey:
    """This installation's key: LIAISON_SIGNING_KEY, else a file under var/ made on first use."""
    if settings.LIAISON_SIGNING_KEY:
        return _load_private_key(settings.LIAISON_SIGNING_KEY)
    path = _key_file()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Created 0600 from the start: the key is never readable by others, not even briefly.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as file:
            file.write(generate_private_key_pem())
    return _load_private_key(path.read_text())


def _raw(public: Ed25519PublicKey) -> bytes:
    return public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id_of(public: Ed25519PublicKey) -> str:
    return hashlib.sha256(_raw(public)).hexdigest()[:16]


def load_public_key(pem: str) -> Ed25519PublicKey:
    """Read a peer's public key; ValueError when it is not an Ed25519 public key in PEM."""
    key = serialization.load_pem_public_key(pem.strip().encode())
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def key_id() -> str:
    return key_id_of(private_key().public_key())


def public_key_pem(key: Ed25519PrivateKey | None = None) -> str:
    public = (key or private_key()).public_key()
    return public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def _signed_text(method: str, path: str, timestamp: str, nonce: str, body: bytes) -> bytes:
    digest = hashlib.sha256(body).hexdigest()
    return "\n".join([method.upper(), path, timestamp, nonce, digest]).encode()


def sign(
    method: str, path: str, body: bytes, *, key: Ed25519PrivateKey | None = None
) -> dict[str, str]:
    """The four headers for one request; a new nonce every call, so a retry is a new request."""
    key = key or private_key()
    timestamp = str(int(time.time()))
    nonce = secrets.token_hex(16)
    signature = key.sign(_signed_text(method, path, timestamp, nonce, body))
    return {
        KEY_ID: key_id_of(key.public_key()),
        TIMESTAMP: timestamp,
        NONCE: nonce,
        SIGNATURE: base64.b64encode(signature).decode(),
    }


def _header(headers: Mapping[str, str], name: str) -> str:
    lowered = {k.lower(): v for k, v in headers.items()}
    value = lowered.get(name.lower(), "")
    if not value:
        raise SignatureRefused(f"the {name} header is missing")
    return value.strip()


def verify(
    method: str, path: str, headers: Mapping[str, str], body: bytes, public_key_pem: str
) -> str:
    """Check a request signed with `sign`; return its nonce, or raise SignatureRefused."""
    key_id_value = _header(headers, KEY_ID)
    timestamp = _header(headers, TIMESTAMP)
    nonce = _header(headers, NONCE)
    signature_text = _header(headers, SIGNATURE)
    if not _KEY_ID_FORMAT.fullmatch(key_id_value):
        raise SignatureRefused(f"{KEY_ID} must be 16 hex digits")
    if not _NONCE_FORMAT.fullmatch(nonce):
        raise SignatureRefused(f"{NONCE} must be 16 to 64 lowercase hex digits")
    if not timestamp.isdigit():
        raise SignatureRefused(f"{TIMESTAMP} must be unix seconds")
    skew = abs(time.time() - int(timestamp))
    if skew > settings.LIAISON_MAX_SKEW_SECONDS:
        raise SignatureRefused(
            f"{TIMESTAMP} is {int(skew)} s away from our clock "
            f"(at most {settings.LIAISON_MAX_SKEW_SECONDS} s)"
        )
    try:
        signature = base64.b64decode(signature_text, validate=True)
    except ValueError as error:
        raise SignatureRefused(f"{SIGNATURE} is not base64") from error
    try:
        public = load_public_key(public_key_pem)
    except ValueError as error:
        raise SignatureRefused("the registered public key cannot be read") from error
    if key_id_of(public) != key_id_value:
        raise SignatureRefused(f"{KEY_ID} is not the id of the registered key")
    try:
        public.verify(signature, _signed_text(method, path, timestamp, nonce, body))
    except InvalidSignature as error:
        raise SignatureRefused("the signature does not match the request") from error
    return nonce
