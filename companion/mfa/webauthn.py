"""WebAuthn security keys and passkeys over py_webauthn, independent of how credentials are stored.

The caller keeps a user's :class:`StoredCredential` list; this module makes the ceremony options,
verifies the browser's answers against the settings' origin and RP ID, enforces the sign-count
rule and keeps challenges single-use in a session-like mapping. Every refusal is a
:class:`WebAuthnError` whose ``code`` names the reason (for events and localized messages);
no message here contains a challenge or key material.

Settings (an .ini file or :func:`companion.main`'s keywords)::

    webauthn.rp_id              default "localhost"
    webauthn.rp_name            default "Companion"
    webauthn.origin             default "http://localhost:6543"
    webauthn.user_verification  "discouraged" (default) or "required"
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field

from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    base64url_to_bytes,
    bytes_to_base64url,
    parse_attestation_object,
    parse_authentication_credential_json,
    parse_authenticator_data,
    parse_client_data_json,
    parse_registration_credential_json,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AttestationConveyancePreference,
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

RP_ID = "webauthn.rp_id"
RP_NAME = "webauthn.rp_name"
ORIGIN = "webauthn.origin"
USER_VERIFICATION = "webauthn.user_verification"

DEFAULTS = {RP_ID: "localhost", RP_NAME: "Companion", ORIGIN: "http://localhost:6543",
            USER_VERIFICATION: "discouraged"}
USER_VERIFICATION_CHOICES = ("discouraged", "required")

LABEL_MAX_LENGTH = 64
TIMEOUT_MS = 120_000
#: A challenge older than this is refused even if the session still holds it.
CHALLENGE_MAX_AGE = 300
CHALLENGE_KEY = "webauthn.challenge"
REGISTER = "register"
AUTHENTICATE = "authenticate"


class WebAuthnError(Exception):
    """A refused ceremony. ``code``: label_required, label_too_long, label_taken, no_challenge,
    no_answer (the form came without the key's answer: no JavaScript), invalid, wrong_origin,
    user_verification, duplicate, unknown_key or cloned_key.

    ``credential``: the stored key concerned, once it is known (for the event's label).
    """

    def __init__(self, code: str, credential: StoredCredential | None = None):
        super().__init__(code)
        self.code = code
        self.credential = credential


@dataclass(frozen=True)
class WebAuthnSettings:
    rp_id: str
    rp_name: str
    origin: str
    user_verification: str

    @property
    def requires_user_verification(self) -> bool:
        return self.user_verification == "required"


@dataclass
class StoredCredential:
    """One registered key, as the caller stores it."""

    credential_id: bytes
    public_key: bytes
    sign_count: int
    label: str
    transports: list[str] = field(default_factory=list)
    user_handle: bytes | None = None


def parse_settings(settings: Mapping[str, object] | WebAuthnSettings) -> WebAuthnSettings:
    """The WebAuthn settings with defaults filled in; ValueError on an unusable value."""
    if isinstance(settings, WebAuthnSettings):
        return settings
    values = {key: str(settings.get(key) or default).strip() for key, default in DEFAULTS.items()}
    if values[USER_VERIFICATION] not in USER_VERIFICATION_CHOICES:
        raise ValueError(f"{USER_VERIFICATION} must be one of {', '.join(USER_VERIFICATION_CHOICES)}, "
                         f"not {values[USER_VERIFICATION]!r}")
    origin = values[ORIGIN].rstrip("/")
    if not origin.startswith(("https://", "http://")):
        raise ValueError(f"{ORIGIN} must be an http:// or https:// origin, not {origin!r}")
    return WebAuthnSettings(values[RP_ID], values[RP_NAME], origin, values[USER_VERIFICATION])


def sign_count_accepted(stored: int, new: int) -> bool:
    """The counter must strictly increase; both 0 means a key (passkey) that keeps no counter."""
    return new > stored or stored == new == 0


def check_label(label: str | None, existing: Sequence[StoredCredential]) -> str:
    """The label, trimmed: required, at most LABEL_MAX_LENGTH characters, unique (ignoring case)."""
    label = " ".join((label or "").split())
    if not label:
        raise WebAuthnError("label_required")
    if len(label) > LABEL_MAX_LENGTH:
        raise WebAuthnError("label_too_long")
    if any(credential.label.casefold() == label.casefold() for credential in existing):
        raise WebAuthnError("label_taken")
    return label


# Challenges


def remember_challenge(session: MutableMapping, purpose: str, challenge: bytes, now: float | None = None) -> None:
    """Keep ``challenge`` in ``session`` for one verification of ``purpose`` (replacing any earlier one)."""
    session[CHALLENGE_KEY] = {"purpose": purpose, "challenge": bytes_to_base64url(challenge),
                              "issued": int(time.time() if now is None else now)}


def take_challenge(session: MutableMapping, purpose: str, now: float | None = None) -> bytes:
    """The challenge kept for ``purpose``, removed from ``session`` whatever the outcome.

    Call it once per verification attempt, before verifying: a failed attempt spends it too.
    """
    kept = session.pop(CHALLENGE_KEY, None)
    now = time.time() if now is None else now
    if not isinstance(kept, dict) or kept.get("purpose") != purpose:
        raise WebAuthnError("no_challenge")
    if not 0 <= now - kept.get("issued", 0) <= CHALLENGE_MAX_AGE:
        raise WebAuthnError("no_challenge")
    return base64url_to_bytes(kept["challenge"])


# Registration


def registration_options(settings, user_id: bytes | int | str, username: str, display_name: str,
                         existing: Sequence[StoredCredential]) -> tuple[str, bytes]:
    """``(options JSON for navigator.credentials.create, challenge)``; existing keys are excluded."""
    config = parse_settings(settings)
    options = generate_registration_options(
        rp_id=config.rp_id, rp_name=config.rp_name, user_id=_user_handle(user_id),
        user_name=username, user_display_name=display_name or username, timeout=TIMEOUT_MS,
        attestation=AttestationConveyancePreference.NONE,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.DISCOURAGED,
            user_verification=_user_verification(config)),
        exclude_credentials=_descriptors(existing),
    )
    return options_to_json(options), options.challenge


def verify_registration(settings, response_json: str, expected_challenge: bytes, label: str | None,
                        existing: Sequence[StoredCredential], user_id: bytes | int | str | None = None,
                        ) -> StoredCredential:
    """The new key from the browser's answer, or WebAuthnError (``user_id`` as given to the options)."""
    config = parse_settings(settings)
    label = check_label(label, existing)
    _require_answer(response_json)
    credential = _parsed(parse_registration_credential_json, response_json)
    attestation = _parsed(parse_attestation_object, _bytes(credential.response.attestation_object))
    _check_context(config, _bytes(credential.response.client_data_json), attestation.auth_data)
    try:
        verified = verify_registration_response(
            credential=credential, expected_challenge=expected_challenge, expected_rp_id=config.rp_id,
            expected_origin=config.origin, require_user_verification=config.requires_user_verification)
    except WebAuthnException:
        raise WebAuthnError("invalid") from None
    if any(key.credential_id == verified.credential_id for key in existing):
        raise WebAuthnError("duplicate")
    transports = [str(t.value) for t in credential.response.transports or ()]
    return StoredCredential(verified.credential_id, verified.credential_public_key, verified.sign_count,
                            label, transports, None if user_id is None else _user_handle(user_id))


# Authentication


def authentication_options(settings, credentials: Sequence[StoredCredential]) -> tuple[str, bytes]:
    """``(options JSON for navigator.credentials.get, challenge)`` allowing the user's keys."""
    config = parse_settings(settings)
    options = generate_authentication_options(
        rp_id=config.rp_id, timeout=TIMEOUT_MS, allow_credentials=_descriptors(credentials),
        user_verification=_user_verification(config))
    return options_to_json(options), options.challenge


def verify_authentication(settings, response_json: str, expected_challenge: bytes,
                          credentials: Sequence[StoredCredential]) -> tuple[StoredCredential, int]:
    """``(the key used, its new sign count)`` — the caller stores the count — or WebAuthnError.

    ``cloned_key`` means a valid signature whose counter did not increase: refuse and record it.
    """
    config = parse_settings(settings)
    _require_answer(response_json)
    response = _parsed(parse_authentication_credential_json, response_json)
    key = next((c for c in credentials if c.credential_id == response.raw_id), None)
    if key is None:
        raise WebAuthnError("unknown_key")
    auth_data = _parsed(parse_authenticator_data, _bytes(response.response.authenticator_data))
    try:
        _check_context(config, _bytes(response.response.client_data_json), auth_data)
    except WebAuthnError as error:
        raise WebAuthnError(error.code, key) from None
    try:
        # The counter is checked below, after the signature, so a forged count is "invalid".
        verified = verify_authentication_response(
            credential=response, expected_challenge=expected_challenge, expected_rp_id=config.rp_id,
            expected_origin=config.origin, credential_public_key=key.public_key,
            credential_current_sign_count=0, require_user_verification=config.requires_user_verification)
    except WebAuthnException:
        raise WebAuthnError("invalid", key) from None
    if not sign_count_accepted(key.sign_count, verified.new_sign_count):
        raise WebAuthnError("cloned_key", key)
    return key, verified.new_sign_count


# Helpers


def _check_context(config: WebAuthnSettings, client_data_bytes: bytes, auth_data) -> None:
    """The origin and RP ID the browser and authenticator saw, and user verification when required."""
    client_data = _parsed(parse_client_data_json, client_data_bytes)
    if client_data.origin != config.origin:
        raise WebAuthnError("wrong_origin")
    if auth_data.rp_id_hash != hashlib.sha256(config.rp_id.encode()).digest():
        raise WebAuthnError("wrong_origin")
    if config.requires_user_verification and not auth_data.flags.uv:
        raise WebAuthnError("user_verification")


def _require_answer(response_json) -> None:
    if not (response_json.strip() if isinstance(response_json, str) else response_json):
        raise WebAuthnError("no_answer")


def _parsed(parse, value):
    try:
        return parse(value)
    except (WebAuthnException, ValueError, TypeError, KeyError, AttributeError):
        raise WebAuthnError("invalid") from None


def _bytes(value) -> bytes:
    return bytes(value)


def _user_verification(config: WebAuthnSettings) -> UserVerificationRequirement:
    return UserVerificationRequirement(config.user_verification)


def _descriptors(credentials: Sequence[StoredCredential]) -> list[PublicKeyCredentialDescriptor]:
    return [PublicKeyCredentialDescriptor(id=c.credential_id, transports=_transports(c.transports) or None)
            for c in credentials]


def _transports(names) -> list[AuthenticatorTransport]:
    known = {t.value for t in AuthenticatorTransport}
    return [AuthenticatorTransport(name) for name in names if name in known]


def _user_handle(user_id: bytes | int | str) -> bytes:
    return user_id if isinstance(user_id, bytes) else str(user_id).encode()
