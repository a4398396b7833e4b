"""The security policy: a session holds the user id; ``request.identity`` is the User."""

from __future__ import annotations

import hashlib
import hmac
import time

from pyramid.security import Allowed, Denied

from companion.accounts.models import User

USER_KEY = "auth.userid"
STAMP_KEY = "auth.stamp"
AUTH_TIME_KEY = "auth.time"  # when the password (and second factor) were last checked in this session
SECOND_FACTOR_TIME_KEY = "auth.second_factor_time"  # when a second factor was last checked in this session
REAUTH_MAX_AGE = 30 * 60  # seconds: sensitive actions ask for the password again after this
LOGGED_IN = "account"  # the permission every logged-in user has


def _stamp(user: User) -> str:
    # Changes with the password hash, so changing the password logs out other sessions.
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


class SessionSecurityPolicy:
    def identity(self, request):
        if "_companion_identity" not in request.__dict__:
            user = None
            user_id = request.session.get(USER_KEY)
            if isinstance(user_id, int):
                user = request.db.get(User, user_id)
                if user is not None and not hmac.compare_digest(request.session.get(STAMP_KEY, ""), _stamp(user)):
                    user = None
            request.__dict__["_companion_identity"] = user
        return request.__dict__["_companion_identity"]

    def authenticated_userid(self, request):
        user = self.identity(request)
        return None if user is None else user.id

    def permits(self, request, context, permission):
        if permission == LOGGED_IN and self.identity(request) is not None:
            return Allowed("logged in")
        return Denied("not logged in")

    def remember(self, request, userid, **kw):
        user = request.db.get(User, userid)
        request.session.invalidate()  # a new session at login: nothing carried over
        request.session[USER_KEY] = user.id
        request.session[STAMP_KEY] = _stamp(user)
        request.session[AUTH_TIME_KEY] = int(now())
        request.session.new_csrf_token()
        request.__dict__["_companion_identity"] = user
        return []

    def forget(self, request, **kw):
        request.session.invalidate()
        request.__dict__["_companion_identity"] = None
        return []


def refresh_stamp(request, user: User) -> None:
    """After the user's own password change: keep this session logged in."""
    request.session[STAMP_KEY] = _stamp(user)


def now() -> float:
    return time.time()  # one place, so tests can move the clock


def reauth_max_age(request) -> int:
    return int(request.registry.settings.get("accounts.reauth_max_age") or REAUTH_MAX_AGE)


def recently_authenticated(request) -> bool:
    """Whether this session's password was checked within ``accounts.reauth_max_age`` seconds."""
    checked = request.session.get(AUTH_TIME_KEY)
    return isinstance(checked, int) and 0 <= now() - checked <= reauth_max_age(request)


def mark_authenticated(request) -> None:
    """The password was just checked again (re-authentication)."""
    request.session[AUTH_TIME_KEY] = int(now())


def recently_confirmed_second_factor(request) -> bool:
    """Whether this session's second factor was checked within ``accounts.reauth_max_age`` seconds."""
    checked = request.session.get(SECOND_FACTOR_TIME_KEY)
    return isinstance(checked, int) and 0 <= now() - checked <= reauth_max_age(request)


def mark_second_factor(request) -> None:
    request.session[SECOND_FACTOR_TIME_KEY] = int(now())
