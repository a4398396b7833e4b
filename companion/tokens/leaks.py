"""Leak reports from GitHub's secret scanning partner program: verify, then revoke and tell the owner.

GitHub POSTs a JSON list of matches, ``[{"token": ..., "type": ..., "url": ..., "source": ...}]``,
with two headers: ``Github-Public-Key-Identifier`` names one of its public keys, and
``Github-Public-Key-Signature`` is the base64 DER ECDSA (P-256, SHA-256) signature of the raw body.
The keys come from the file ``secret_scanning.keys_file`` names, in the format of GitHub's
``https://api.github.com/meta/public_keys/secret_scanning``::

    {"public_keys": [{"key_identifier": "90a4…", "key": "-----BEGIN PUBLIC KEY-----\\n…", "is_current": true}]}

It is read again whenever it changes, so keys rotate without a restart. Every key listed verifies
(a report signed just before a rotation still arrives). A report that fails any check is refused
whole (:class:`ReportRefused`, a 400) before anything changes. Each match of a valid report is
answered in GitHub's feedback format, the token hashed (SHA-256), never echoed:
``{"token_hash": ..., "token_type": ..., "label": "true_positive" | "false_positive"}``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pyramid.exceptions import ConfigurationError

from companion.email import send_email
from companion.tokens import services

log = logging.getLogger(__name__)

KEYS_FILE = "secret_scanning.keys_file"
MAX_BODY = 1_000_000  # bytes; GitHub batches matches, but a megabyte is thousands of them
MAX_HEADER = 512
MAX_URL = 2000  # of a reported URL, kept in the event and the email
ACTOR = "github:secret-scanning"
KEY_ID_HEADER = "Github-Public-Key-Identifier"
SIGNATURE_HEADER = "Github-Public-Key-Signature"


class ReportRefused(Exception):
    """Why a report is not believed: ``too_large``, ``unsigned``, ``unknown_key``, ``bad_signature``,
    ``malformed``."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# --- the keys -------------------------------------------------------------------------------------------------


def parse_keys(text: str | bytes, where: str = "the keys file") -> dict[str, ec.EllipticCurvePublicKey]:
    """``{key_identifier: key}`` from GitHub's format; ValueError saying what is wrong."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ValueError(f"{where}: not JSON: {exc}") from None
    entries = data.get("public_keys") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ValueError(f'{where}: expected {{"public_keys": [...]}}')
    keys = {}
    for number, entry in enumerate(entries, 1):
        identifier = entry.get("key_identifier") if isinstance(entry, dict) else None
        pem = entry.get("key") if isinstance(entry, dict) else None
        if not isinstance(identifier, str) or not identifier or not isinstance(pem, str):
            raise ValueError(f"{where}: key {number}: needs a key_identifier and a PEM key")
        try:
            key = serialization.load_pem_public_key(pem.encode("utf-8"))
        except ValueError:
            raise ValueError(f"{where}: key {identifier}: not a PEM public key") from None
        if not isinstance(key, ec.EllipticCurvePublicKey) or not isinstance(key.curve, ec.SECP256R1):
            raise ValueError(f"{where}: key {identifier}: not an ECDSA P-256 key")
        keys[identifier] = key
    return keys


class KeyFile:
    """The keys of a file, read again when its size or modification time changes. A file that
    became invalid keeps the keys last read (and logs why); one invalid at startup is an error."""

    def __init__(self, path):
        self.path = Path(path)
        self._seen, self._keys = None, {}
        self.keys()  # fail at startup, not at GitHub's first report

    def keys(self) -> dict[str, ec.EllipticCurvePublicKey]:
        try:
            stat = os.stat(self.path)
            seen = (stat.st_mtime_ns, stat.st_size)
            if seen == self._seen:
                return self._keys
            keys = parse_keys(self.path.read_bytes(), str(self.path))
        except (OSError, ValueError) as exc:
            if self._seen is None:
                raise
            log.error("secret scanning: keeping the previous keys: %s", exc)
            return self._keys
        self._seen, self._keys = seen, keys
        return self._keys


def check_signature(keys, key_id: str | None, signature: str | None, body: bytes) -> None:
    """Nothing when ``signature`` is ``key_id``'s over ``body``; else ReportRefused."""
    if not key_id or not signature or len(key_id) > MAX_HEADER or len(signature) > MAX_HEADER:
        raise ReportRefused("unsigned")
    key = keys.get(key_id)
    if key is None:
        raise ReportRefused("unknown_key")
    try:
        key.verify(base64.b64decode(signature, validate=True), body, ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, binascii.Error, ValueError):
        raise ReportRefused("bad_signature") from None


# --- the report -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    token: str
    type: str
    url: str = ""
    source: str = ""


def parse_report(body: bytes) -> list[Match]:
    """The matches of a report body; ReportRefused("malformed") unless it is GitHub's format."""
    try:
        data = json.loads(body)
    except ValueError:  # UnicodeDecodeError included
        raise ReportRefused("malformed") from None
    if not isinstance(data, list):
        raise ReportRefused("malformed")
    matches = []
    for item in data:
        if not isinstance(item, dict):
            raise ReportRefused("malformed")
        token, kind = item.get("token"), item.get("type")
        url, source = item.get("url") or "", item.get("source") or ""
        if not (isinstance(token, str) and token and isinstance(kind, str)
                and isinstance(url, str) and isinstance(source, str)):
            raise ReportRefused("malformed")
        matches.append(Match(token, kind, url[:MAX_URL], source[:50]))
    return matches


def answer(match: Match, ours: bool) -> dict:
    return {"token_hash": hashlib.sha256(match.token.encode("utf-8")).hexdigest(), "token_type": match.type,
            "label": "true_positive" if ours else "false_positive"}


def handle_report(request, matches: list[Match]) -> list[dict]:
    """Revoke each of our tokens reported (reason ``leak``), record it and email its owner; the
    answers in GitHub's feedback format. Strings that are not our tokens change nothing."""
    answers = []
    for match in matches:
        token = services.identify(request.db, match.token)
        answers.append(answer(match, token is not None))
        if token is None:
            continue
        request.db.refresh(token, with_for_update=True)  # two reports at once: only one revokes and emails
        revoked_now = services.revoke(token, "leak")
        request.db.flush()
        owner = token.user
        found = {"token_id": token.id, "description": token.description, "url": match.url, "source": match.source,
                 "already_revoked": not revoked_now}
        request.record_event("account:api_token:leaked", owner, found, actor=ACTOR)
        log.warning("secret scanning: token %s of user %s found at %s%s", token.id, owner.id, match.url or "(no url)",
                    "" if revoked_now else " (already revoked)")
        if revoked_now:
            request.record_event("account:api_token:removed", owner,
                                 {**services.event_details(token), "reason": "leak"}, actor=ACTOR)
            send_email(request, "token-leaked", owner, description=token.description, url=match.url)
    return answers


def keys_from(registry) -> KeyFile | None:
    return registry.get(KEYS_FILE)


def includeme(config) -> None:
    path = config.get_settings().get(KEYS_FILE)
    if path:
        try:
            config.registry[KEYS_FILE] = KeyFile(path)
        except (OSError, ValueError) as exc:
            raise ConfigurationError(f"{KEYS_FILE}: {exc}") from None
