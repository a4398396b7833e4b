"""Leak reports from GitHub's secret scanning: a signed report revokes our token, emails its owner
and records it; anything unsigned, mis-signed or malformed is a 400 that changes nothing."""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pymacaroons import Macaroon
from pyramid.exceptions import ConfigurationError
from webob import Request

import companion
from companion.models import APIToken, User
from companion.tokens import leaks, services
from companion.tokens.services import TokenRefused
from i18n_tool import pseudo
from tests.functional.companion.conftest import app_settings, make_app, user_named
from tests.functional.companion.events_helpers import events, last_id
from tests.functional.companion.test_accounts import messages, text_body

REPORT = "/_/secret-scanning/report"
KEY_ID = "90a421169f0a406205f1563a953312f0be898d3c7b6c06b681aa86a874555f4a"
TYPE = "companion_api_token"
WHERE = "https://github.com/octocat/Hello-World/blob/12345600b9cbe38a219f39a9941c9319b600c002/ci.yml"


def new_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def pem(key: ec.EllipticCurvePrivateKey) -> str:
    return key.public_key().public_bytes(serialization.Encoding.PEM,
                                         serialization.PublicFormat.SubjectPublicKeyInfo).decode("ascii")


def write_keys(path, keys: dict[str, ec.EllipticCurvePrivateKey]):
    path.write_text(json.dumps({"public_keys": [{"key_identifier": identifier, "key": pem(key), "is_current": True}
                                                for identifier, key in keys.items()]}), encoding="utf-8")
    return path


def sign(key: ec.EllipticCurvePrivateKey, body: bytes) -> str:
    return base64.b64encode(key.sign(body, ec.ECDSA(hashes.SHA256()))).decode("ascii")


def body_of(*tokens: str, url: str = WHERE) -> bytes:
    return json.dumps([{"token": token, "type": TYPE, "url": url, "source": "content"} for token in tokens]).encode()


@pytest.fixture
def github_key():
    return new_key()


@pytest.fixture
def keys_file(tmp_path, github_key):
    return write_keys(tmp_path / "secret-scanning-keys.json", {KEY_ID: github_key})


@pytest.fixture
def app(seeded_url, mail_dir, compiled_catalogs, keys_file):
    settings = {"i18n_tool.catalogs": str(compiled_catalogs), "secret_scanning.keys_file": str(keys_file)}
    with make_app(seeded_url, mail_dir, **settings) as testapp:
        yield testapp


def issue(db, username="alice", description="CI for fetchwell", **kwargs) -> tuple[str, int]:
    user = user_named(db, username)
    raw, token = services.create(db, user, description, **kwargs)
    db.commit()
    return raw, token.id


def post(app, body: bytes, key=None, key_id=KEY_ID, signature=None, status=200, **headers):
    if key is not None or signature is not None:
        headers["Github-Public-Key-Identifier"] = key_id
        headers["Github-Public-Key-Signature"] = signature if signature is not None else sign(key, body)
    return app.post(REPORT, body, headers=headers, content_type="application/json", status=status)


def row(db, token_id) -> APIToken:
    db.expire_all()
    return db.get(APIToken, token_id)


def answer(token: str, label: str) -> dict:
    return {"token_hash": hashlib.sha256(token.encode()).hexdigest(), "token_type": TYPE, "label": label}


# --- a signed report ------------------------------------------------------------------------------------------


def test_a_signed_report_revokes_the_token_emails_the_owner_and_records_it(app, db, seeded_url, mail_dir,
                                                                          github_key, caplog):
    caplog.set_level(logging.DEBUG)
    raw, token_id = issue(db)
    assert services.verify(db, raw).token.id == token_id
    before = last_id(seeded_url)

    response = post(app, body_of(raw), github_key)

    assert response.json == [answer(raw, "true_positive")]
    token = row(db, token_id)
    assert (token.revoked is not None, token.revoked_reason) == (True, "leak")
    with pytest.raises(TokenRefused) as refused:
        services.verify(db, raw)
    assert refused.value.reason == "revoked"

    alice = user_named(db, "alice")
    recorded = [(e.tag, e.subject_kind, e.subject_id, e.actor, e.additional) for e in events(seeded_url, before)]
    assert recorded == [
        ("account:api_token:leaked", "user", alice.id, "github:secret-scanning",
         {"token_id": token_id, "description": "CI for fetchwell", "url": WHERE, "source": "content",
          "already_revoked": False}),
        ("account:api_token:removed", "user", alice.id, "github:secret-scanning",
         {"token_id": token_id, "description": "CI for fetchwell", "scope": "user", "expires": None,
          "reason": "leak"}),
        ("account:email:sent", "user", alice.id, "anonymous",
         {"template": "token-leaked", "recipient": "alice@example.com"}),
    ]

    [message] = messages(mail_dir)
    assert message["To"] == "alice@example.com"
    assert message["Subject"] == "One of your API tokens was found in public and revoked"
    body = text_body(message)
    assert "“CI for fetchwell”" in body and WHERE in body and "we revoked it" in body
    assert "create a new token" in body
    html = message.get_body(("html",)).get_content()
    assert "CI for fetchwell" in html and WHERE in html

    # The token is in no answer, event, email or log line.
    secret = raw.removeprefix("pypi-")
    assert secret not in response.text
    assert all(secret not in json.dumps(event.additional) for event in events(seeded_url))
    assert secret not in message.as_string() and raw not in caplog.text and secret not in caplog.text
    assert f"token {token_id} of user {alice.id} found at {WHERE}" in caplog.text


def test_the_email_is_in_the_owners_language(app, db, mail_dir, github_key):
    raw, _token_id = issue(db, "marie", "Release script")
    db.execute(sa.update(User).where(User.username == "marie").values(preferred_locale="en_XA"))
    db.commit()
    post(app, body_of(raw), github_key)
    [message] = messages(mail_dir)
    assert message["Content-Language"] == "en-XA"
    assert message["Subject"] == pseudo.accented("One of your API tokens was found in public and revoked")
    assert "Release script" in text_body(message) and WHERE in text_body(message)


def test_expired_and_narrowed_tokens_are_still_ours(app, db, github_key, mail_dir):
    expired, expired_id = issue(db, description="Old", expires=datetime.now(UTC) - timedelta(days=1))
    with pytest.raises(TokenRefused):
        services.verify(db, expired)
    wide, wide_id = issue(db, description="Wide")
    macaroon = Macaroon.deserialize(wide.removeprefix("pypi-"))
    macaroon.add_first_party_caveat(json.dumps({"project_names": ["fetchwell"]}))
    narrowed = "pypi-" + macaroon.serialize()

    response = post(app, body_of(expired, narrowed), github_key)

    assert response.json == [answer(expired, "true_positive"), answer(narrowed, "true_positive")]
    assert row(db, expired_id).revoked_reason == "leak" and row(db, wide_id).revoked_reason == "leak"
    assert len(messages(mail_dir)) == 2


def test_a_token_already_revoked_is_recorded_but_not_revoked_again(app, db, seeded_url, mail_dir, github_key):
    raw, token_id = issue(db)
    services.revoke(row(db, token_id), "user")
    db.commit()
    before = last_id(seeded_url)
    response = post(app, body_of(raw, raw), github_key)  # GitHub found it twice
    assert response.json == [answer(raw, "true_positive")] * 2
    assert row(db, token_id).revoked_reason == "user"
    recorded = [(e.tag, e.additional.get("already_revoked")) for e in events(seeded_url, before)]
    assert recorded == [("account:api_token:leaked", True)] * 2
    assert messages(mail_dir) == []


def test_strings_that_are_not_our_tokens_are_false_positives_and_change_nothing(app, db, seeded_url, mail_dir,
                                                                                github_key):
    raw, token_id = issue(db)
    real = Macaroon.deserialize(raw.removeprefix("pypi-"))
    forged = Macaroon(location=real.location, identifier=real.identifier, key=b"0" * 32)  # our id, not our key
    strings = ["pypi-" + forged.serialize(), "pypi-AgEIcHlwaS5vcmcCJGY", "ghp_notours", "pypi-" + "\x00" * 40,
               "pypi-" + Macaroon(location="x", identifier="a" * 32, key=b"k" * 32).serialize()]
    before = last_id(seeded_url)

    response = post(app, body_of(*strings, url=""), github_key)

    assert response.json == [answer(each, "false_positive") for each in strings]
    assert row(db, token_id).revoked is None and services.verify(db, raw).token.id == token_id
    assert events(seeded_url, before) == [] and messages(mail_dir) == []


def test_a_report_mixing_ours_and_others_answers_each_in_order(app, db, github_key):
    raw, _token_id = issue(db)
    response = post(app, body_of("ghp_other", raw), github_key)
    assert [each["label"] for each in response.json] == ["false_positive", "true_positive"]


def test_an_empty_report_is_answered_with_an_empty_list(app, github_key):
    assert post(app, b"[]", github_key).json == []


# --- refused reports ------------------------------------------------------------------------------------------


def _tampered(raw, key):
    signed = body_of(raw)
    return {"body": body_of(raw, url="https://example.com/elsewhere"), "signature": sign(key, signed)}


REFUSALS = {
    "tampered body": lambda raw, key: _tampered(raw, key),
    "another key": lambda raw, key: {"body": body_of(raw), "key": new_key()},
    "unknown key id": lambda raw, key: {"body": body_of(raw), "key": key, "key_id": "not-a-github-key"},
    "no headers": lambda raw, key: {"body": body_of(raw)},
    "no signature": lambda raw, key: {"body": body_of(raw), "headers": {"Github-Public-Key-Identifier": KEY_ID}},
    "no key id": lambda raw, key: {"body": body_of(raw),
                                   "headers": {"Github-Public-Key-Signature": sign(key, body_of(raw))}},
    "signature not base64": lambda raw, key: {"body": body_of(raw), "signature": "@@not base64@@"},
    "signature not DER": lambda raw, key: {"body": body_of(raw), "signature": base64.b64encode(b"x" * 64).decode()},
    "empty signature": lambda raw, key: {"body": body_of(raw), "signature": "", "key": key},
    "not JSON": lambda raw, key: {"body": b"\xff\xfe garbage " + raw.encode(), "key": key},
    "an object": lambda raw, key: {"body": json.dumps({"token": raw, "type": TYPE}).encode(), "key": key},
    "not objects": lambda raw, key: {"body": json.dumps([raw]).encode(), "key": key},
    "a token that is not text": lambda raw, key: {
        "body": json.dumps([{"token": 5, "type": TYPE}, {"token": raw, "type": TYPE}]).encode(), "key": key},
    "no type": lambda raw, key: {"body": json.dumps([{"token": raw}]).encode(), "key": key},
    "too large": lambda raw, key: {"body": body_of(raw, url="https://example.com/" + "x" * leaks.MAX_BODY),
                                   "key": key},
}


REASONS = {"tampered body": "bad_signature", "another key": "bad_signature", "unknown key id": "unknown_key",
           "signature not base64": "bad_signature", "signature not DER": "bad_signature", "too large": "too_large",
           **dict.fromkeys(["no headers", "no signature", "no key id", "empty signature"], "unsigned"),
           **dict.fromkeys(["not JSON", "an object", "not objects", "a token that is not text", "no type"],
                           "malformed")}


@pytest.mark.parametrize("case", REFUSALS)
def test_refused_reports_are_a_400_that_changes_nothing(app, db, seeded_url, mail_dir, github_key, caplog, case):
    caplog.set_level(logging.DEBUG)
    raw, token_id = issue(db)
    request = REFUSALS[case](raw, github_key)
    headers = request.pop("headers", {})
    before = last_id(seeded_url)

    response = post(app, request.pop("body"), status=400, **request, **headers)

    assert response.json == {"error": REASONS[case]} and raw not in response.text
    assert row(db, token_id).revoked is None and services.verify(db, raw).token.id == token_id
    assert events(seeded_url, before) == [] and messages(mail_dir) == []
    assert raw.removeprefix("pypi-") not in caplog.text


def test_a_report_without_a_length_is_refused(app, db, github_key):
    raw, token_id = issue(db)
    body = body_of(raw)
    request = Request.blank(REPORT, method="POST", body=body, headers={
        "Github-Public-Key-Identifier": KEY_ID, "Github-Public-Key-Signature": sign(github_key, body)})
    del request.environ["CONTENT_LENGTH"]  # WebTest always sends one
    assert request.get_response(app.app).status_code == 400
    assert row(db, token_id).revoked is None


def test_a_csrf_token_is_not_needed_but_only_post_is_accepted(app, github_key):
    assert post(app, b"[]", github_key).status_code == 200  # no session, no CSRF token
    app.get(REPORT, status=404)


# --- the keys file --------------------------------------------------------------------------------------------


def test_without_a_keys_file_the_endpoint_does_not_exist(seeded_url, mail_dir, github_key):
    with make_app(seeded_url, mail_dir) as testapp:
        post(testapp, b"[]", github_key, status=404)


def test_keys_rotate_without_a_restart(app, db, keys_file, github_key):
    rotated = new_key()
    write_keys(keys_file, {KEY_ID: github_key, "new-key": rotated, "third": new_key()})
    raw, token_id = issue(db)
    assert post(app, body_of(raw), rotated, key_id="new-key").json == [answer(raw, "true_positive")]
    keys_file.write_text("{broken", encoding="utf-8")  # a bad edit keeps the keys last read
    assert post(app, b"[]", github_key).json == []


@pytest.mark.parametrize("content, message", [
    ("{broken", "not JSON"),
    ('{"keys": []}', "expected"),
    ('{"public_keys": [{"key": "x"}]}', "needs a key_identifier"),
    ('{"public_keys": [{"key_identifier": "a", "key": "not a key"}]}', "not a PEM public key"),
])
def test_a_bad_keys_file_stops_the_app_at_startup(tmp_path, migrated_database_url, content, message):
    path = tmp_path / "keys.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigurationError, match=message):
        companion.configure(app_settings(migrated_database_url, **{"secret_scanning.keys_file": str(path)}))


def test_a_key_that_is_not_p256_is_refused(tmp_path):
    other = ec.generate_private_key(ec.SECP384R1())
    with pytest.raises(ValueError, match="not an ECDSA P-256 key"):
        leaks.parse_keys(json.dumps({"public_keys": [{"key_identifier": "k", "key": pem(other)}]}))


def test_githubs_documented_example_verifies():
    """The test key, body and signature of GitHub's partner-program documentation."""
    public = ("-----BEGIN PUBLIC KEY-----\n"
              "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEsz9ugWDj5jK5ELBK42ynytbo38gP\n"
              "HzZFI03Exwz8Lh/tCfL3YxwMdLjB+bMznsanlhK0RwcGP3IDb34kQDIo3Q==\n"
              "-----END PUBLIC KEY-----\n")
    identifier = "f9525bf080f75b3506ca1ead061add62b8633a346606dc5fe544e29231c6ee0d"
    keys = leaks.parse_keys(json.dumps({"public_keys": [{"key_identifier": identifier, "key": public,
                                                         "is_current": True}]}))
    body = b'[{"token":"some_token","type":"some_type","url":"some_url","source":"some_source"}]'
    signature = "MEUCIFLZzeK++IhS+y276SRk2Pe5LfDrfvTXu6iwKKcFGCrvAiEAhHN2kDOhy2I6eGkOFmxNkOJ+L2y8oQ9A2T9GGJo6WJY="
    leaks.check_signature(keys, identifier, signature, body)
    with pytest.raises(leaks.ReportRefused):
        leaks.check_signature(keys, identifier, signature, body.replace(b"some_url", b"other_url"))
