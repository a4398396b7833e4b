"""The security policy: a session holds the user id; ``request.identity`` is the User."""

from __future__ import annotations

import hashlib
import hmac

from pyramid.security import Allowed, Denied

from companion.accounts.models import User

USER_KEY = "auth.userid"
STAMP_KEY = "auth.stamp"
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
