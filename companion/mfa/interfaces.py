"""The interfaces of two-factor authentication.

A kind of second factor (``totp`` here, ``webauthn`` in companion/mfa/webauthn.py) is a service
providing :class:`ITwoFactorMethod`, registered with ``config.add_two_factor_method(kind,
factory, order)``; the settings page, the second step of the login and the admin's reset list
and show every registered kind, so adding one needs no change to them.
"""

from zope.interface import Attribute, Interface


class ITwoFactorMethod(Interface):
    kind = Attribute("'totp', 'webauthn': the value of 'method' in events, emails and forms")
    login_template = Attribute("its section of the second-step page (a template), or None")
    settings_template = Attribute("its section of the two-factor settings page (a template), or None")

    def methods(user):
        """The user's enrolled methods of this kind: a list of companion.mfa.services.Method."""

    def login_context(request, user):
        """What ``login_template`` needs (a dict), for a user who has methods of this kind."""

    def remove_all(user):
        """Delete every method of this kind (the admin's reset): the Methods removed."""

    def token_state(user):
        """A string that changes when a login with this kind succeeds (the second-step token is
        signed over it, so a token stops working after its login)."""


class ITwoFactorRateLimiter(Interface):
    def retry_after(user_id, ip):
        """Seconds until a second-factor attempt is allowed again for this user and address; None: now."""

    def fail(user_id, ip):
        """Count a failed attempt (any method) against the user and the address."""

    def clear(user_id):
        """Forget the user's failures (after a successful second step)."""
