"""Two-factor authentication: TOTP (an authenticator app), recovery codes, and the login's second step.

Other kinds of second factor (WebAuthn security keys) register with the ``add_two_factor_method``
directive and appear on the settings page, the second step and the admin's reset without a
change here (see :mod:`companion.mfa.interfaces`).
"""

from companion.mfa import ratelimit
from companion.mfa.interfaces import ITwoFactorRateLimiter
from companion.mfa.services import add_two_factor_method, totp_factory


def includeme(config) -> None:
    config.add_directive("add_two_factor_method", add_two_factor_method)
    limiter = ratelimit.from_settings(config.get_settings())  # one per app: it counts across requests
    config.register_service_factory(lambda context, request: limiter, ITwoFactorRateLimiter)
    config.add_two_factor_method("totp", totp_factory, order=10)
    config.scan(".views")
