"""Accounts: users, and (later) authentication, emails, two-factor auth."""

from companion.accounts import ratelimit
from companion.accounts.interfaces import IUserService
from companion.accounts.security import SessionSecurityPolicy
from companion.accounts.services import database_user_factory


def _user(request):
    # The logged-in user: Pyramid 2's identity from the session security policy (None: logged out).
    return request.identity


def preferred_locale(request):
    """The logged-in user's language, for locale negotiation (None when logged out or unset)."""
    return request.user.preferred_locale if request.user is not None else None


def save_preferred_locale(request, locale: str) -> None:
    """Remember the language a logged-in user switched to."""
    if request.user is not None:
        from companion.accounts.views import record_locale_change

        record_locale_change(request, request.user, locale)


def includeme(config) -> None:
    config.set_security_policy(SessionSecurityPolicy())
    # Every POST, PUT, DELETE... needs the session's CSRF token (a form field or X-CSRF-Token).
    config.set_default_csrf_options(require_csrf=True)
    limiter = ratelimit.from_settings(config.get_settings())  # one per app: it counts across requests
    config.register_service_factory(lambda context, request: limiter, ratelimit.ILoginRateLimiter)
    config.register_service_factory(database_user_factory, IUserService)
    config.add_request_method(_user, "user", reify=True)
    config.scan(".views")
