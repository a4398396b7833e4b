"""Accounts: users, and (later) authentication, emails, two-factor auth."""

from companion.accounts.interfaces import IUserService
from companion.accounts.services import database_user_factory


def _user(request):
    # The logged-in user: Pyramid 2's identity from the security policy. There is no policy until
    # the authentication work adds one, so this is None and every page renders logged out.
    return request.identity


def preferred_locale(request):
    """The logged-in user's language, for locale negotiation (None when logged out or unset)."""
    return request.user.preferred_locale if request.user is not None else None


def save_preferred_locale(request, locale: str) -> None:
    """Remember the language a logged-in user switched to."""
    if request.user is not None:
        request.user.preferred_locale = locale


def includeme(config) -> None:
    config.register_service_factory(database_user_factory, IUserService)
    config.add_request_method(_user, "user", reify=True)
    config.scan(".views")
