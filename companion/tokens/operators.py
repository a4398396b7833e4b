"""API tokens managed by the site's operators, from the command line (``companion token``).

    raw, token = create_for(session, "alice", ["fetchwell"], days=90, description=None, actor=operator())
    revoke_by_id(session, token.id, actor=operator())
    rows = tokens_of(session, "alice")

Each change records its event on the token's owner, with ``operator:<login name>`` as the actor
(the account running the command, from :func:`getpass.getuser`). The token itself is returned
once to the caller and recorded nowhere.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from companion.accounts.models import User
from companion.db import utcnow
from companion.events import Origin, record_event
from companion.packaging.models import Project, Role, canonicalize_name
from companion.tokens import services
from companion.tokens.models import APIToken

MAX_DESCRIPTION = 100  # APIToken.description


class OperatorError(Exception):
    """The user, a project, the description or the token is not what the command needs."""


def operator() -> str:
    """``operator:<login name>`` of the account running the command (``operator:unknown`` without one)."""
    try:
        name = getpass.getuser()
    except (KeyError, OSError):  # no login name in the environment nor the password database
        name = "unknown"
    return f"operator:{name}"[:80]


def _user(session: Session, username: str) -> User:
    user = session.scalars(sa.select(User).where(sa.func.lower(User.username) == username.lower())).one_or_none()
    if user is None:
        raise OperatorError(f"no such user {username!r}")
    return user


def _project_ids(session: Session, user: User, names) -> list[int] | None:
    if not names:
        return None
    ids = []
    for name in names:
        project = session.scalars(
            sa.select(Project).where(Project.normalized_name == canonicalize_name(name))).one_or_none()
        if project is None:
            raise OperatorError(f"no such project {name!r}")
        if session.scalar(sa.select(Role.id).where(Role.user_id == user.id, Role.project_id == project.id)) is None:
            raise OperatorError(f"{user.username} has no role on {project.name}: a token for it could not upload")
        ids.append(project.id)
    return ids


def _taken(session: Session, user: User, description: str) -> bool:
    return session.scalar(sa.select(APIToken.id).where(
        APIToken.user_id == user.id, APIToken.description == description, APIToken.revoked.is_(None))) is not None


def _description(session: Session, user: User, description: str | None, now: datetime) -> str:
    if description is not None:
        description = description.strip()
        if not description:
            raise OperatorError("the description is empty")
        if len(description) > MAX_DESCRIPTION:
            raise OperatorError(f"the description is longer than {MAX_DESCRIPTION} characters")
        if _taken(session, user, description):
            raise OperatorError(f"{user.username} already has an active token described {description!r}: "
                                "choose another --description, or revoke that token first")
        return description
    default = f"Created by an operator on {now:%Y-%m-%d}"
    candidate, number = default, 1
    while _taken(session, user, candidate):
        number += 1
        candidate = f"{default} ({number})"
    return candidate


def create_for(session: Session, username: str, project_names=(), days: int | None = None,
               description: str | None = None, actor: str | None = None) -> tuple[str, APIToken]:
    """A new token for ``username`` (user-wide without ``project_names``; expiring in ``days``),
    recorded as ``account:api_token:created``. Returns the token, to show once, and its row."""
    user = _user(session, username)
    project_ids = _project_ids(session, user, project_names)
    now = utcnow()
    description = _description(session, user, description, now)
    expires = now + timedelta(days=days) if days is not None else None
    try:
        with session.begin_nested():
            raw, token = services.create(session, user, description, project_ids=project_ids, expires=expires)
    except sa.exc.IntegrityError:  # created meanwhile by someone else
        raise OperatorError(f"{user.username} already has an active token described {description!r}") from None
    record_event(session, "account:api_token:created", user, Origin(actor or operator()),
                 services.event_details(token))
    return raw, token


def revoke_by_id(session: Session, token_id: int, actor: str | None = None) -> APIToken:
    """Revoke the token (reason ``operator``), recorded as ``account:api_token:removed``."""
    token = session.get(APIToken, token_id)
    if token is None:
        raise OperatorError(f"no such token {token_id}")
    if not services.revoke(token, "operator"):
        raise OperatorError(f"token {token_id} was already revoked on {token.revoked:%Y-%m-%d %H:%M} UTC "
                            f"({token.revoked_reason})")
    session.flush()
    record_event(session, "account:api_token:removed", token.user, Origin(actor or operator()),
                 {**services.event_details(token), "reason": "operator"})
    return token


@dataclass(frozen=True)
class Listed:
    """What ``companion token list`` shows of a token: no secret, no key."""

    id: int
    description: str
    scope: str
    projects: tuple[str, ...]
    created: datetime
    last_used: datetime | None
    expires: datetime | None
    revoked: datetime | None
    revoked_reason: str | None

    def as_json(self) -> dict:
        def when(value: datetime | None) -> str | None:
            return value.isoformat() if value else None

        return {"id": self.id, "description": self.description, "scope": self.scope,
                "projects": list(self.projects), "created": when(self.created), "last_used": when(self.last_used),
                "expires": when(self.expires), "revoked": when(self.revoked), "revoked_reason": self.revoked_reason}


def tokens_of(session: Session, username: str, include_revoked: bool = False) -> list[Listed]:
    """The user's tokens, newest first (active ones only unless ``include_revoked``)."""
    user = _user(session, username)
    query = sa.select(APIToken).where(APIToken.user_id == user.id)
    if not include_revoked:
        query = query.where(APIToken.revoked.is_(None))
    tokens = list(session.scalars(query.order_by(APIToken.created.desc(), APIToken.id.desc())))
    wanted = {each for token in tokens for each in token.project_ids or ()}
    names = {ident: name for ident, name in session.execute(sa.select(Project.id, Project.name)
                                                            .where(Project.id.in_(wanted)))}
    return [Listed(token.id, token.description, token.scope,
                   tuple(names.get(each, f"#{each}") for each in token.project_ids or ()),
                   token.created, token.last_used, token.expires, token.revoked, token.revoked_reason)
            for token in tokens]
