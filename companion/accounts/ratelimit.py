"""Failed-login limiting with ``limits``: per username and per client address.

Memory storage by default (one process); Redis when the settings have ``redis.url``.
``accounts.login_limit`` (default ``5 per 15 minutes``) is the number of failures allowed.
"""

from __future__ import annotations

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from zope.interface import Interface, implementer

DEFAULT_LIMIT = "5 per 15 minutes"


class ILoginRateLimiter(Interface):
    def is_limited(username, ip):
        """Whether further attempts for this username or from this address are refused now."""

    def fail(username, ip):
        """Count a failed attempt against both."""

    def clear(username):
        """Forget the username's failures (after a successful login)."""


@implementer(ILoginRateLimiter)
class LoginRateLimiter:
    def __init__(self, storage_uri: str = "memory://", limit: str = DEFAULT_LIMIT, key_prefix: str = "companion"):
        options = {"key_prefix": key_prefix} if storage_uri.startswith(("redis://", "rediss://")) else {}
        self.storage = storage_from_string(storage_uri, **options)
        self.limiter = MovingWindowRateLimiter(self.storage)
        self.limit = parse(limit)

    def _keys(self, username: str, ip: str | None):
        return (("login-user", (username or "").strip().lower()), ("login-ip", ip or "unknown"))

    def is_limited(self, username: str, ip: str | None) -> bool:
        return any(not self.limiter.test(self.limit, *key) for key in self._keys(username, ip))

    def fail(self, username: str, ip: str | None) -> None:
        for key in self._keys(username, ip):
            self.limiter.hit(self.limit, *key)

    def clear(self, username: str) -> None:
        self.limiter.clear(self.limit, *self._keys(username, None)[0])


def from_settings(settings) -> LoginRateLimiter:
    url = settings.get("redis.url")
    return LoginRateLimiter(
        str(url) if url else "memory://",
        str(settings.get("accounts.login_limit") or DEFAULT_LIMIT),
        str(settings.get("accounts.ratelimit_prefix") or "companion"),
    )
