"""A software security key for tests without a browser: a P-256 key answering WebAuthn options as
a CTAP2 authenticator with "none" attestation does, signed with ``cryptography``.

It models the device, not our code: options come from the app's pages, answers go back to them
as companion/static/webauthn.js would post them. The browser tests use Chromium's own authenticator.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import struct
from base64 import urlsafe_b64decode, urlsafe_b64encode

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

UP, UV, AT = 0x01, 0x04, 0x40


def b64url(data: bytes) -> str:
    return urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return urlsafe_b64decode(text + "=" * (-len(text) % 4))


class SoftKey:
    def __init__(self, origin: str, rp_id: str = "localhost", private_key=None, credential_id: bytes | None = None,
                 sign_count: int = 0, step: int = 1, verifies_user: bool = False):
        self.origin, self.rp_id = origin, rp_id
        self.private_key = private_key or ec.generate_private_key(ec.SECP256R1())
        self.credential_id = credential_id or secrets.token_bytes(32)
        self.sign_count, self.step, self.verifies_user = sign_count, step, verifies_user

    def _public_cose(self) -> bytes:
        numbers = self.private_key.public_key().public_numbers()
        return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})

    def _auth_data(self, flags: int, attested: bytes = b"") -> bytes:
        flags |= UV if self.verifies_user else 0
        return hashlib.sha256(self.rp_id.encode()).digest() + bytes([flags]) + struct.pack(">I", self.sign_count) + attested

    def _client_data(self, kind: str, challenge: str, origin: str | None) -> bytes:
        return json.dumps({"type": kind, "challenge": challenge, "origin": origin or self.origin,
                           "crossOrigin": False}).encode()

    def create(self, options_json: str, origin: str | None = None) -> str:
        """The answer to ``navigator.credentials.create`` with these options, as JSON."""
        options = json.loads(options_json)
        attested = bytes(16) + struct.pack(">H", len(self.credential_id)) + self.credential_id + self._public_cose()
        auth_data = self._auth_data(UP | AT, attested)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data("webauthn.create", options["challenge"], origin)
        return json.dumps({"id": b64url(self.credential_id), "rawId": b64url(self.credential_id), "type": "public-key",
                           "response": {"clientDataJSON": b64url(client_data),
                                        "attestationObject": b64url(attestation), "transports": ["usb"]},
                           "clientExtensionResults": {}})

    def get(self, options_json: str, origin: str | None = None) -> str:
        """The answer to ``navigator.credentials.get``; the counter goes up by ``step`` first."""
        options = json.loads(options_json)
        allowed = [unb64url(each["id"]) for each in options.get("allowCredentials", [])]
        assert self.credential_id in allowed, "the page does not allow this key"
        self.sign_count += self.step
        auth_data = self._auth_data(UP)
        client_data = self._client_data("webauthn.get", options["challenge"], origin)
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = self.private_key.sign(signed, ec.ECDSA(hashes.SHA256()))
        return json.dumps({"id": b64url(self.credential_id), "rawId": b64url(self.credential_id), "type": "public-key",
                           "response": {"clientDataJSON": b64url(client_data), "authenticatorData": b64url(auth_data),
                                        "signature": b64url(signature), "userHandle": None},
                           "clientExtensionResults": {}})
