"""companion.mfa.webauthn's rules: settings, labels, single-use challenges, the sign-count rule, and
verification against a software authenticator (P-256 keys from cryptography, "none" attestation)."""

import hashlib
import json
import os
import struct

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.encode_cbor import encode_cbor

from companion.mfa import webauthn
from companion.mfa.webauthn import StoredCredential, WebAuthnError

ORIGIN = "http://localhost:6543"
SETTINGS = {"webauthn.rp_id": "localhost", "webauthn.origin": ORIGIN}
REQUIRED = {**SETTINGS, "webauthn.user_verification": "required"}
UP, UV, AT = 0x01, 0x04, 0x40


class SoftKey:
    """One credential of a software authenticator, answering like a browser would."""

    def __init__(self, sign_count=0, user_verified=False):
        self.id = os.urandom(32)
        self.private = ec.generate_private_key(ec.SECP256R1())
        self.sign_count = sign_count
        self.user_verified = user_verified

    def cose_key(self) -> bytes:
        numbers = self.private.public_key().public_numbers()
        return encode_cbor({1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")})

    def auth_data(self, rp_id, extra_flags=0, attested=b"") -> bytes:
        flags = UP | (UV if self.user_verified else 0) | extra_flags
        return hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + struct.pack(">I", self.sign_count) + attested

    def create(self, challenge, origin=ORIGIN, rp_id="localhost") -> str:
        attested = bytes(16) + struct.pack(">H", len(self.id)) + self.id + self.cose_key()
        auth_data = self.auth_data(rp_id, AT, attested)
        attestation = encode_cbor({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return self._answer({"clientDataJSON": client_data("webauthn.create", challenge, origin),
                             "attestationObject": bytes_to_base64url(attestation), "transports": ["usb"]})

    def get(self, challenge, origin=ORIGIN, rp_id="localhost", sign_count=None) -> str:
        self.sign_count = self.sign_count + 1 if sign_count is None else sign_count
        auth_data = self.auth_data(rp_id)
        data = client_data("webauthn.get", challenge, origin)
        signed = auth_data + hashlib.sha256(base64url_to_bytes(data)).digest()
        signature = self.private.sign(signed, ec.ECDSA(hashes.SHA256()))
        return self._answer({"clientDataJSON": data, "authenticatorData": bytes_to_base64url(auth_data),
                             "signature": bytes_to_base64url(signature), "userHandle": None})

    def _answer(self, response) -> str:
        encoded_id = bytes_to_base64url(self.id)
        return json.dumps({"id": encoded_id, "rawId": encoded_id, "type": "public-key", "response": response,
                           "clientExtensionResults": {}, "authenticatorAttachment": "cross-platform"})


def client_data(kind, challenge, origin) -> str:
    data = {"type": kind, "challenge": bytes_to_base64url(challenge), "origin": origin, "crossOrigin": False}
    return bytes_to_base64url(json.dumps(data).encode())


def registered(key: SoftKey, settings=SETTINGS, label="Key", existing=()) -> StoredCredential:
    _, challenge = webauthn.registration_options(settings, b"user-1", "alice", "Alice", list(existing))
    return webauthn.verify_registration(settings, key.create(challenge), challenge, label, list(existing),
                                        user_id=b"user-1")


def code_of(call, *args, **kwargs) -> str:
    with pytest.raises(WebAuthnError) as raised:
        call(*args, **kwargs)
    return raised.value.code


# Settings


def test_settings_have_defaults():
    config = webauthn.parse_settings({})
    assert (config.rp_id, config.origin, config.user_verification) == ("localhost", "http://localhost:6543",
                                                                       "discouraged")
    assert not config.requires_user_verification


def test_settings_are_trimmed_and_the_origin_loses_its_slash():
    config = webauthn.parse_settings({"webauthn.origin": " https://companion.example/ ",
                                      "webauthn.user_verification": "required"})
    assert config.origin == "https://companion.example" and config.requires_user_verification


@pytest.mark.parametrize("settings", [{"webauthn.user_verification": "preferred"},
                                      {"webauthn.origin": "companion.example"}])
def test_unusable_settings_are_refused(settings):
    with pytest.raises(ValueError):
        webauthn.parse_settings(settings)


# The sign-count rule


@pytest.mark.parametrize("stored, new, accepted", [
    (0, 0, True),  # a passkey that keeps no counter
    (0, 1, True),
    (5, 6, True),
    (5, 100, True),
    (5, 5, False),  # replayed or cloned
    (5, 4, False),
    (5, 0, False),  # a counter that went back to zero
    (1, 0, False),
])
def test_the_sign_count_must_strictly_increase_unless_both_are_zero(stored, new, accepted):
    assert webauthn.sign_count_accepted(stored, new) is accepted


# Labels


def test_a_label_is_trimmed_with_inner_space_collapsed():
    assert webauthn.check_label("  Blue \t key ", []) == "Blue key"


@pytest.mark.parametrize("label, code", [(None, "label_required"), ("   ", "label_required"),
                                         ("x" * 65, "label_too_long"), ("blue KEY", "label_taken")])
def test_bad_labels_are_refused(label, code):
    existing = [StoredCredential(b"1", b"", 0, "Blue key")]
    assert code_of(webauthn.check_label, label, existing) == code


def test_labels_are_unique_per_user_only_among_that_users_keys():
    assert webauthn.check_label("Blue key", [StoredCredential(b"1", b"", 0, "Green key")]) == "Blue key"


# Challenges


def test_a_challenge_is_taken_once():
    session = {}
    webauthn.remember_challenge(session, webauthn.AUTHENTICATE, b"c" * 32)
    assert webauthn.take_challenge(session, webauthn.AUTHENTICATE) == b"c" * 32
    assert code_of(webauthn.take_challenge, session, webauthn.AUTHENTICATE) == "no_challenge"


def test_a_challenge_for_another_purpose_is_refused_and_spent():
    session = {}
    webauthn.remember_challenge(session, webauthn.REGISTER, b"c" * 32)
    assert code_of(webauthn.take_challenge, session, webauthn.AUTHENTICATE) == "no_challenge"
    assert session == {}


def test_an_old_challenge_is_refused():
    session = {}
    webauthn.remember_challenge(session, webauthn.AUTHENTICATE, b"c" * 32, now=1000)
    later = 1000 + webauthn.CHALLENGE_MAX_AGE + 1
    assert code_of(webauthn.take_challenge, session, webauthn.AUTHENTICATE, now=later) == "no_challenge"


def test_a_new_challenge_replaces_the_previous_one():
    session = {}
    webauthn.remember_challenge(session, webauthn.AUTHENTICATE, b"a" * 32)
    webauthn.remember_challenge(session, webauthn.AUTHENTICATE, b"b" * 32)
    assert webauthn.take_challenge(session, webauthn.AUTHENTICATE) == b"b" * 32


def test_the_session_keeps_only_json_values():
    session = {}
    webauthn.remember_challenge(session, webauthn.REGISTER, os.urandom(32))
    assert json.loads(json.dumps(session)) == session


# Options


def test_registration_options_exclude_existing_keys_and_ask_for_no_attestation():
    existing = [StoredCredential(b"\x01" * 16, b"", 3, "Blue key", ["usb", "nfc"])]
    options_json, challenge = webauthn.registration_options(REQUIRED, 42, "alice", "Alice", existing)
    options = json.loads(options_json)
    assert options["attestation"] == "none"
    assert options["excludeCredentials"] == [{"type": "public-key", "id": bytes_to_base64url(b"\x01" * 16),
                                              "transports": ["usb", "nfc"]}]
    assert options["authenticatorSelection"]["userVerification"] == "required"
    assert options["user"]["id"] == bytes_to_base64url(b"42")
    assert options["challenge"] == bytes_to_base64url(challenge) and len(challenge) >= 32


def test_authentication_options_allow_the_users_keys():
    keys = [StoredCredential(b"\x01" * 16, b"", 3, "Blue key"), StoredCredential(b"\x02" * 16, b"", 0, "Green")]
    options_json, challenge = webauthn.authentication_options(SETTINGS, keys)
    options = json.loads(options_json)
    assert [c["id"] for c in options["allowCredentials"]] == [bytes_to_base64url(k.credential_id) for k in keys]
    assert options["userVerification"] == "discouraged" and options["rpId"] == "localhost"
    assert webauthn.authentication_options(SETTINGS, keys)[1] != challenge


# Registration


def test_a_key_registers_with_its_label_count_and_transports():
    key = SoftKey()
    stored = registered(key, label=" Blue key ")
    assert (stored.credential_id, stored.label, stored.sign_count) == (key.id, "Blue key", 0)
    assert stored.transports == ["usb"] and stored.user_handle == b"user-1"


def test_registration_refuses_a_key_already_registered():
    key = SoftKey()
    first = registered(key)
    _, challenge = webauthn.registration_options(SETTINGS, b"user-1", "alice", "Alice", [])
    assert code_of(webauthn.verify_registration, SETTINGS, key.create(challenge), challenge, "Other", [first]) \
        == "duplicate"


@pytest.mark.parametrize("origin, rp_id", [("http://localhost:1", "localhost"), ("https://evil.example", "localhost"),
                                           (ORIGIN, "evil.example")])
def test_registration_refuses_another_origin_or_rp_id(origin, rp_id):
    _, challenge = webauthn.registration_options(SETTINGS, b"u", "alice", "Alice", [])
    answer = SoftKey().create(challenge, origin=origin, rp_id=rp_id)
    assert code_of(webauthn.verify_registration, SETTINGS, answer, challenge, "Key", []) == "wrong_origin"


def test_registration_refuses_another_challenge():
    _, challenge = webauthn.registration_options(SETTINGS, b"u", "alice", "Alice", [])
    answer = SoftKey().create(os.urandom(32))
    assert code_of(webauthn.verify_registration, SETTINGS, answer, challenge, "Key", []) == "invalid"


def test_registration_needs_user_verification_when_required():
    assert code_of(registered, SoftKey(user_verified=False), REQUIRED) == "user_verification"
    assert registered(SoftKey(user_verified=True), REQUIRED).label == "Key"


@pytest.mark.parametrize("call, args", [
    (webauthn.verify_registration, (SETTINGS, "", b"c" * 32, "Key", [])),
    (webauthn.verify_registration, (SETTINGS, "  ", b"c" * 32, "Key", [])),
    (webauthn.verify_authentication, (SETTINGS, "", b"c" * 32, [])),
    (webauthn.verify_authentication, (SETTINGS, None, b"c" * 32, [])),
])
def test_a_form_posted_without_javascript_has_no_answer(call, args):
    assert code_of(call, *args) == "no_answer"


@pytest.mark.parametrize("answer", ["not json", "[]", '{"id": "x"}', json.dumps({
    "id": "AA", "rawId": "AA", "type": "public-key", "response": {"clientDataJSON": "AA", "attestationObject": "AA"}})])
def test_registration_refuses_malformed_answers(answer):
    assert code_of(webauthn.verify_registration, SETTINGS, answer, b"c" * 32, "Key", []) == "invalid"


def test_the_label_is_checked_before_anything_else():
    assert code_of(webauthn.verify_registration, SETTINGS, "not json", b"c" * 32, "", []) == "label_required"


# Authentication


def authenticate(key: SoftKey, stored: list[StoredCredential], settings=SETTINGS, **answer):
    _, challenge = webauthn.authentication_options(settings, stored)
    return webauthn.verify_authentication(settings, key.get(challenge, **answer), challenge, stored)


def test_each_login_returns_the_key_and_its_new_count():
    key = SoftKey()
    stored = registered(key)
    credential, count = authenticate(key, [stored])
    assert credential is stored and count == 1
    stored.sign_count = count
    assert authenticate(key, [stored])[1] == 2


def test_a_key_without_a_counter_keeps_logging_in():
    key = SoftKey()
    stored = registered(key)
    assert authenticate(key, [stored], sign_count=0)[1] == 0
    assert authenticate(key, [stored], sign_count=0)[1] == 0


@pytest.mark.parametrize("new_count", [0, 4, 5])
def test_a_counter_that_did_not_increase_is_a_cloned_key(new_count):
    key = SoftKey()
    stored = registered(key)
    stored.sign_count = 5
    with pytest.raises(WebAuthnError) as raised:
        authenticate(key, [stored], sign_count=new_count)
    assert raised.value.code == "cloned_key" and raised.value.credential is stored


def test_a_forged_signature_is_invalid_not_a_cloned_key():
    key, impostor = SoftKey(), SoftKey()
    stored = registered(key)
    stored.sign_count = 5
    impostor.id = key.id
    assert code_of(authenticate, impostor, [stored], sign_count=1) == "invalid"


def test_another_users_or_a_removed_key_is_unknown():
    key = SoftKey()
    registered(key)
    others = [registered(SoftKey())]
    assert code_of(authenticate, key, others) == "unknown_key"


@pytest.mark.parametrize("origin, rp_id", [("http://localhost:1", "localhost"), (ORIGIN, "evil.example")])
def test_login_refuses_another_origin_or_rp_id(origin, rp_id):
    key = SoftKey()
    stored = registered(key)
    assert code_of(authenticate, key, [stored], origin=origin, rp_id=rp_id) == "wrong_origin"


def test_login_refuses_another_challenge():
    key = SoftKey()
    stored = registered(key)
    _, challenge = webauthn.authentication_options(SETTINGS, [stored])
    assert code_of(webauthn.verify_authentication, SETTINGS, key.get(os.urandom(32)), challenge, [stored]) \
        == "invalid"


def test_login_needs_user_verification_when_required():
    key = SoftKey(user_verified=True)
    stored = registered(key, REQUIRED)
    assert authenticate(key, [stored], REQUIRED)[1] == 1
    key.user_verified = False
    assert code_of(authenticate, key, [stored], REQUIRED) == "user_verification"
    assert authenticate(key, [stored], SETTINGS)[0] is stored


def test_a_registration_answer_does_not_log_in():
    key = SoftKey()
    stored = registered(key)
    _, challenge = webauthn.authentication_options(SETTINGS, [stored])
    assert code_of(webauthn.verify_authentication, SETTINGS, key.create(challenge), challenge, [stored]) == "invalid"


def test_errors_name_their_reason_only():
    key = SoftKey()
    stored = registered(key)
    _, challenge = webauthn.authentication_options(SETTINGS, [stored])
    with pytest.raises(WebAuthnError) as raised:
        webauthn.verify_authentication(SETTINGS, key.get(os.urandom(32)), challenge, [stored])
    assert str(raised.value) == "invalid" and raised.value.__cause__ is None
    assert bytes_to_base64url(challenge) not in repr(raised.value)
