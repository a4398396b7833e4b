"""The demo user's security key: a P-256 key pair derived from a fixed, public number.

Demo data only, like the demo TOTP key: anyone can compute the private key, so a site seeded
with it must never be public. Import :func:`private_key_pkcs8` into a virtual authenticator
(Selenium's ``add_credential``, or Chrome DevTools' WebAuthn panel) for the RP ID ``localhost``
with :data:`CREDENTIAL_ID`, and the second step accepts it.
"""

from __future__ import annotations

import hashlib

import cbor2
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

LABEL = "Demo security key"
CREDENTIAL_ID = b"companion-demo-security-key"
RP_ID = "localhost"
_SEED = b"companion demo security key: public demo data"


def private_key() -> ec.EllipticCurvePrivateKey:
    return ec.derive_private_key(int.from_bytes(hashlib.sha256(_SEED).digest(), "big"), ec.SECP256R1())


def private_key_pkcs8() -> bytes:
    return private_key().private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption())


def public_key_cose() -> bytes:
    """The public key as WebAuthn stores it: a COSE_Key (EC2, ES256, P-256)."""
    numbers = private_key().public_key().public_numbers()
    return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})
