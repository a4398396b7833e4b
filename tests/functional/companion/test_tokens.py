"""API tokens (macaroons): creation, verification of every caveat, narrowing offline, revocation."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from pymacaroons import Macaroon

from companion.models import APIToken, Project
from companion.tokens import services
from tests.functional.companion.conftest import user_named
from companion.tokens.services import TokenRefused


def project(db, name) -> Project:
    return db.scalars(sa.select(Project).where(Project.normalized_name == name)).one()


def refused(db, raw, **kwargs) -> str:
    with pytest.raises(TokenRefused) as caught:
        services.verify(db, raw, **kwargs)
    return caught.value.reason


def narrowed(raw: str, caveat: dict) -> str:
    macaroon = Macaroon.deserialize(raw.removeprefix("pypi-"))
    macaroon.add_first_party_caveat(json.dumps(caveat))
    return "pypi-" + macaroon.serialize()


def test_a_user_wide_token_verifies_and_stores_only_its_key(db):
    alice = user_named(db, "alice")
    raw, token = services.create(db, alice, "Laptop")
    db.commit()
    assert raw.startswith("pypi-") and token.scope == "user"
    stored = db.execute(sa.text("SELECT * FROM api_tokens")).mappings().one()
    assert raw not in repr(dict(stored)) and raw.removeprefix("pypi-") not in repr(dict(stored))
    verified = services.verify(db, raw)
    assert verified.token.id == token.id and verified.token.user_id == alice.id
    assert verified.refusal_for(None, "brand-new") is None  # user-wide: may create a project


def test_a_project_token_is_for_its_projects_by_id(db):
    fetchwell = project(db, "fetchwell")
    raw, token = services.create(db, user_named(db, "alice"), "CI", project_ids=[fetchwell.id])
    assert token.scope == f"projects:{fetchwell.id}"
    verified = services.verify(db, raw)
    assert verified.refusal_for(fetchwell.id, "renamed-fetchwell") is None
    other = db.scalars(sa.select(Project).where(Project.id != fetchwell.id)).first()
    assert verified.refusal_for(other.id, other.normalized_name) == "scope"
    assert verified.refusal_for(None, "new-project") == "scope"


def test_expiry_revocation_and_unknown_tokens(db):
    alice = user_named(db, "alice")
    soon = datetime.now(UTC) + timedelta(hours=1)
    raw, token = services.create(db, alice, "Short", expires=soon)
    assert services.verify(db, raw).token is token
    assert refused(db, raw, now=time.time() + 7200) == "expired"
    assert services.revoke(token, "user") and not services.revoke(token, "user")
    assert refused(db, raw) == "revoked"
    assert refused(db, "pypi-" + Macaroon(location="x", identifier="nobody", key=b"k" * 32).serialize()) == "invalid"


@pytest.mark.parametrize("garbage", ["", "pypi-", "pypi-@@@", "pypi-AAAA", "token-abc", "pypi-" + "A" * 5000])
def test_malformed_tokens(db, garbage):
    assert refused(db, garbage) == "malformed"


def test_a_tampered_signature_or_caveat_is_invalid(db):
    raw, _token = services.create(db, user_named(db, "alice"), "Tampered", project_ids=[project(db, "fetchwell").id])
    macaroon = Macaroon.deserialize(raw.removeprefix("pypi-"))
    forged = Macaroon(location=macaroon.location, identifier=macaroon.identifier, key=b"0" * 32)
    forged.add_first_party_caveat(json.dumps({"user": user_named(db, "alice").id}))  # scope dropped, wrong key
    assert refused(db, "pypi-" + forged.serialize()) == "invalid"
    flipped = raw[:-6] + ("A" if raw[-6] != "A" else "B") + raw[-5:]
    assert refused(db, flipped) in ("invalid", "malformed")


def test_a_holder_narrows_a_token_offline(db):
    alice = user_named(db, "alice")
    raw, _token = services.create(db, alice, "Wide")
    by_name = services.verify(db, narrowed(raw, {"project_names": ["fetchwell"]}))
    assert by_name.refusal_for(project(db, "fetchwell").id, "fetchwell") is None
    assert by_name.refusal_for(None, "new-project") == "scope"
    assert refused(db, narrowed(raw, {"exp": int(time.time()) - 10})) == "expired"
    assert refused(db, narrowed(raw, {"nbf": int(time.time()) + 3600})) == "not_yet_valid"
    assert refused(db, narrowed(raw, {"user": user_named(db, "bob").id})) == "invalid"
    assert refused(db, narrowed(raw, {"unknown": 1})) == "invalid"  # fails closed
    assert services.verify(db, raw).refusal_for(None, "x") is None  # the original is unchanged


def test_last_used_is_written_at_most_once_a_minute(db):
    raw, token = services.create(db, user_named(db, "alice"), "Busy")
    services.mark_used(token)
    first = token.last_used
    services.mark_used(token)
    assert token.last_used == first
    token.last_used = first - timedelta(minutes=2)
    services.mark_used(token)
    assert token.last_used > first


def test_descriptions_are_unique_among_active_tokens(db):
    alice = user_named(db, "alice")
    _raw, token = services.create(db, alice, "Deploy")
    db.commit()
    with pytest.raises(sa.exc.IntegrityError):
        services.create(db, alice, "Deploy")
    db.rollback()
    token = db.get(APIToken, token.id)
    services.revoke(token, "user")
    db.commit()
    services.create(db, alice, "Deploy")  # the revoked one freed the description
    db.commit()
    assert [t.description for t in services.active(db, alice)] == ["Deploy"]
