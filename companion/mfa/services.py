"""Two-factor services: the TOTP method, recovery codes, and the second step shared by every method.

The second step, for any method (WebAuthn's views call the same functions):

    method_added(request, user, kind, label)      # after enrolment: the event and the email
    method_removed(request, user, kind, label)    # after removal: the event and the email
    user = second_step_user(request)              # from the signed token in the URL, or None
    wait = limited(request, user, method)         # seconds to wait (the 429 answer), or None
    failed(request, user, method, reason, label)  # a failed attempt: counted and recorded
    return complete_login(request, user, method, label)  # logged in: the redirect to ``next``
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from pyramid.httpexceptions import HTTPSeeOther
from pyramid.security import remember
from sqlalchemy.orm import Session
from zope.interface import implementer

from companion.accounts import tokens
from companion.accounts.interfaces import IUserService
from companion.accounts.security import mark_second_factor
from companion.db import utcnow
from companion.mfa import recovery, totp
from companion.mfa.interfaces import ITwoFactorMethod, ITwoFactorRateLimiter
from companion.mfa.models import RecoveryCode, TOTPCredential
from companion.settings import SESSION_SECRET
from i18n_tool.pyramid import safe_next

KINDS = "companion.mfa.kinds"  # registry key: [(order, kind)] of the registered kinds
LOGIN_TOKEN = "two-factor-login"
LOGIN_MAX_AGE = 300  # seconds from the password to the second factor
PENDING_SECRET = "mfa.totp.pending"  # the session key of a TOTP secret not yet confirmed


@dataclass(frozen=True)
class Method:
    """An enrolled second factor as pages, events and emails show it."""

    kind: str
    id: int
    label: str  # a key's label; "" for the authenticator app
    created: datetime
    last_used: datetime | None


def _details(method: str, label: str | None, **more) -> dict:
    return {"method": method, **more, **({"label": label} if label else {})}


# --- the kinds of methods ------------------------------------------------------------------------------


def add_two_factor_method(config, kind: str, factory, order: int = 100) -> None:
    """A directive: register a kind of second factor (its service factory provides ITwoFactorMethod)."""
    config.register_service_factory(factory, ITwoFactorMethod, name=kind)

    def register():
        kinds = config.registry.setdefault(KINDS, [])
        kinds.append((order, kind))
        kinds.sort()

    config.action(("companion.mfa.kind", kind), register)


def providers(request) -> list:
    return [request.find_service(ITwoFactorMethod, name=kind) for _order, kind in request.registry.get(KINDS, [])]


def provider(request, kind: str):
    kinds = [name for _order, name in request.registry.get(KINDS, [])]
    return request.find_service(ITwoFactorMethod, name=kind) if kind in kinds else None


def enrolled(request, user) -> list[Method]:
    """Every second factor of the user, of every kind."""
    return [method for each in providers(request) for method in each.methods(user)]


def has_two_factor(request, user) -> bool:
    return bool(enrolled(request, user))


def method_added(request, user, kind: str, label: str = "") -> None:
    """Record and announce a new method (``label``: a key's name, shown in the event and the email)."""
    request.record_event("account:two_factor:method_added", user, _details(kind, label))
    from companion.email import send_email

    send_email(request, "two-factor-added", user, method=kind, label=label)


def method_removed(request, user, kind: str, label: str = "") -> None:
    request.record_event("account:two_factor:method_removed", user, _details(kind, label))
    from companion.email import send_email

    send_email(request, "two-factor-removed", user, method=kind, label=label)


# --- TOTP ------------------------------------------------------------------------------------------------


@implementer(ITwoFactorMethod)
class TOTPMethod:
    kind = "totp"
    login_template = "mfa/_login_totp.html"
    settings_template = "mfa/_settings_totp.html"

    def __init__(self, session: Session):
        self.db = session

    def credential(self, user) -> TOTPCredential | None:
        return self.db.scalars(sa.select(TOTPCredential).where(TOTPCredential.user_id == user.id)).one_or_none()

    def methods(self, user) -> list[Method]:
        found = self.credential(user)
        return [Method(self.kind, found.id, "", found.created, found.last_used)] if found else []

    def login_context(self, request, user) -> dict:
        return {}

    def add(self, user, secret: str, step: int) -> TOTPCredential:
        credential = TOTPCredential(user_id=user.id, secret=secret, last_step=step, created=utcnow())
        self.db.add(credential)
        self.db.flush()
        return credential

    def remove_all(self, user) -> list[Method]:
        removed = self.methods(user)
        self.db.execute(sa.delete(TOTPCredential).where(TOTPCredential.user_id == user.id))
        return removed

    def token_state(self, user) -> str:
        found = self.credential(user)
        return f"totp:{found.last_step}" if found else ""

    def verify(self, user, typed: str | None, now: float | None = None) -> totp.Check:
        """Check a code at login; an accepted step is stored atomically (a concurrent use of the
        same code finds it already stored and is a reuse)."""
        found = self.credential(user)
        if found is None:
            return totp.Check.INVALID
        result, step = totp.check(found.secret, typed, found.last_step, now)
        if result is not totp.Check.OK:
            return result
        updated = self.db.execute(
            sa.update(TOTPCredential)
            .where(TOTPCredential.id == found.id,
                   sa.or_(TOTPCredential.last_step.is_(None), TOTPCredential.last_step < step))
            .values(last_step=step, last_used=utcnow())
            .execution_options(synchronize_session=False)
        ).rowcount
        self.db.expire(found)
        return totp.Check.OK if updated == 1 else totp.Check.REUSED


def totp_factory(context, request) -> TOTPMethod:
    return TOTPMethod(request.db)


# --- recovery codes ------------------------------------------------------------------------------------


class RecoveryCodes:
    """A user's set of recovery codes: generating replaces the set; each code works once."""

    def __init__(self, session: Session):
        self.db = session

    def _rows(self, user) -> list[RecoveryCode]:
        return list(self.db.scalars(sa.select(RecoveryCode).where(RecoveryCode.user_id == user.id)
                                    .order_by(RecoveryCode.id)))

    def generate(self, user) -> list[str]:
        """A new set (the old one stops working): the codes, to be shown once."""
        self.db.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
        codes = recovery.new_codes()
        now = utcnow()
        self.db.add_all([RecoveryCode(user_id=user.id, code_hash=recovery.hash_code(code), created=now)
                         for code in codes])
        self.db.flush()
        return codes

    def remaining(self, user) -> int:
        return self.db.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)
                              .where(RecoveryCode.user_id == user.id, RecoveryCode.burned.is_(None)))

    def exists(self, user) -> bool:
        return bool(self.db.scalar(sa.select(sa.func.count()).select_from(RecoveryCode)
                                   .where(RecoveryCode.user_id == user.id)))

    def confirmed(self, user) -> bool:
        """Whether the user proved they saved the current set."""
        return bool(self.db.scalar(sa.select(sa.func.count()).select_from(RecoveryCode).where(
            RecoveryCode.user_id == user.id, RecoveryCode.confirmed.is_not(None))))

    def _find(self, user, typed: str | None) -> tuple[RecoveryCode | None, bool]:
        """(the row the typed code matches, whether the code had the shape of one)."""
        body = recovery.normalize(typed)
        if body is None:
            return None, False
        return next((row for row in self._rows(user) if recovery.matches(row.code_hash, body)), None), True

    def confirm(self, user, typed: str | None) -> bool:
        """The user typed one of the set's unused codes: mark the set confirmed (nothing is burned)."""
        row, _shaped = self._find(user, typed)
        if row is None or row.burned is not None:
            return False
        self.db.execute(sa.update(RecoveryCode).where(RecoveryCode.user_id == user.id)
                        .values(confirmed=utcnow()).execution_options(synchronize_session=False))
        return True

    def use(self, user, typed: str | None) -> str:
        """At login: ``ok`` (burned now), ``used_recovery_code`` or ``invalid_recovery_code``."""
        row, _shaped = self._find(user, typed)
        if row is None:
            return "invalid_recovery_code"
        if row.burned is not None:
            return "used_recovery_code"
        burned = self.db.execute(sa.update(RecoveryCode).where(RecoveryCode.id == row.id, RecoveryCode.burned.is_(None))
                                 .values(burned=utcnow()).execution_options(synchronize_session=False)).rowcount
        return "ok" if burned == 1 else "used_recovery_code"

    def remove_all(self, user) -> int:
        return self.db.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id)).rowcount


def recovery_codes(request) -> RecoveryCodes:
    cache = request.__dict__.setdefault("_companion_recovery_codes", RecoveryCodes(request.db))
    return cache


# --- the second step of the login ------------------------------------------------------------------------


def _secret(request) -> str:
    return str(request.registry.settings[SESSION_SECRET])


def _max_age(request) -> int:
    return int(request.registry.settings.get("mfa.login_max_age") or LOGIN_MAX_AGE)


def _token_state(request, user) -> str:
    parts = [user.password_hash or ""] + [each.token_state(user) for each in providers(request)]
    parts.append(str(recovery_codes(request).remaining(user)))
    return "\x00".join(parts)


def start_second_step(request, user, next_url: str) -> HTTPSeeOther:
    """After the right password of a user with a second factor: to the second step, carried by a
    signed token that expires in ``mfa.login_max_age`` seconds (not by the session)."""
    token = tokens.make_token(_secret(request), LOGIN_TOKEN, user.id, _token_state(request, user), _max_age(request))
    query = {"token": token}
    if next_url:
        query["next"] = next_url
    return HTTPSeeOther(request.route_path("mfa.login", _query=query))


def second_step_user(request):
    """The user the second step's token is for; None when it is malformed, expired or used."""
    token = request.params.get("token", "")
    user_id = tokens.token_user_id(token)
    user = request.find_service(IUserService).get_user(user_id) if user_id is not None else None
    if user is None or not tokens.check_token(_secret(request), LOGIN_TOKEN, token, _token_state(request, user)):
        return None
    return user


def limiter(request):
    return request.find_service(ITwoFactorRateLimiter)


def limited(request, user, method: str) -> int | None:
    """Seconds to wait when the user or the address had too many failures (recorded); None: go on."""
    wait = limiter(request).retry_after(user.id, request.client_addr)
    if wait is not None:
        request.record_event("account:two_factor:login:failure", user, {"method": method, "reason": "rate_limited"},
                             actor="anonymous")
    return wait


def failed(request, user, method: str, reason: str, label: str | None = None) -> None:
    """A failed second-factor attempt: counted by the shared limiter and recorded with its method,
    reason and (a security key's) label."""
    limiter(request).fail(user.id, request.client_addr)
    request.record_event("account:two_factor:login:failure", user, _details(method, label, reason=reason),
                         actor="anonymous")


def complete_login(request, user, method: str, label: str | None = None) -> HTTPSeeOther:
    """The second factor was right: log in, and go on to ``next`` (or to the recovery codes when
    the user has not saved a set yet)."""
    limiter(request).clear(user.id)
    request.record_event("account:two_factor:login:success", user, _details(method, label),
                         actor=f"user:{user.id}")
    headers = remember(request, user.id)
    mark_second_factor(request)
    codes = recovery_codes(request)
    if not codes.confirmed(user) or not codes.remaining(user):
        return HTTPSeeOther(request.route_path("mfa.recovery_codes"), headers=headers)
    target = safe_next(request.params.get("next"), request.route_path("accounts.settings"))
    return HTTPSeeOther(target, headers=headers)
