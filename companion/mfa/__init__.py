"""Two-factor authentication: TOTP (an authenticator app), WebAuthn security keys, recovery codes,
and the login's second step.

Each kind of second factor registers with the ``add_two_factor_method`` directive and appears on
the settings page, the second step and the admin's reset without a change there (see
:mod:`companion.mfa.interfaces`).
"""

from companion.mfa import keys, ratelimit, webauthn
from companion.mfa.interfaces import ITwoFactorRateLimiter
from companion.mfa.services import add_two_factor_method, totp_factory


def includeme(config) -> None:
    config.add_directive("add_two_factor_method", add_two_factor_method)
    limiter = ratelimit.from_settings(config.get_settings())  # one per app: it counts across requests
    config.register_service_factory(lambda context, request: limiter, ITwoFactorRateLimiter)
    config.registry[keys.SETTINGS] = webauthn.parse_settings(config.get_settings())
    config.add_two_factor_method("totp", totp_factory, order=10)
    config.add_two_factor_method("webauthn", keys.factory, order=20)
    config.scan(".views")
    config.scan(".key_views")
