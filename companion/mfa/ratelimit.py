"""The one limiter of failed second-factor attempts, whatever the method (TOTP, WebAuthn, recovery code).

``limits`` with a moving window, Redis when ``redis.url`` is set, memory otherwise. Two limits,
both counted on every failure: per user (``mfa.user_limit``, default ``10 per 5 minutes``) and
per client address (``mfa.ip_limit``, default ``50 per 5 minutes``).
"""

from __future__ import annotations

import math
import time

from limits import parse
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from zope.interface import implementer

from companion.mfa.interfaces import ITwoFactorRateLimiter

USER_LIMIT = "10 per 5 minutes"
IP_LIMIT = "50 per 5 minutes"


@implementer(ITwoFactorRateLimiter)
class TwoFactorRateLimiter:
    def __init__(self, storage_uri: str = "memory://", user_limit: str = USER_LIMIT, ip_limit: str = IP_LIMIT,
                 key_prefix: str = "companion"):
        options = {"key_prefix": key_prefix} if storage_uri.startswith(("redis://", "rediss://")) else {}
        self.storage = storage_from_string(storage_uri, **options)
        self.limiter = MovingWindowRateLimiter(self.storage)
        self.user_limit, self.ip_limit = parse(user_limit), parse(ip_limit)

    def _keys(self, user_id: int, ip: str | None):
        return ((self.user_limit, ("2fa-user", str(user_id))), (self.ip_limit, ("2fa-ip", ip or "unknown")))

    def retry_after(self, user_id: int, ip: str | None) -> int | None:
        """Seconds until an attempt is allowed again; None when it is allowed now."""
        waits = []
        for limit, key in self._keys(user_id, ip):
            if not self.limiter.test(limit, *key):
                reset, _remaining = self.limiter.get_window_stats(limit, *key)
                waits.append(max(1, math.ceil(reset - time.time())))
        return max(waits) if waits else None

    def fail(self, user_id: int, ip: str | None) -> None:
        for limit, key in self._keys(user_id, ip):
            self.limiter.hit(limit, *key)

    def clear(self, user_id: int) -> None:
        limit, key = self._keys(user_id, None)[0]
        self.limiter.clear(limit, *key)


def from_settings(settings) -> TwoFactorRateLimiter:
    url = settings.get("redis.url")
    return TwoFactorRateLimiter(
        str(url) if url else "memory://",
        str(settings.get("mfa.user_limit") or USER_LIMIT),
        str(settings.get("mfa.ip_limit") or IP_LIMIT),
        str(settings.get("accounts.ratelimit_prefix") or "companion"),
    )
