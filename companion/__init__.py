"""The companion app: a Warehouse-style package index, localized with i18n-tool.

Its templates are the toolchain's own extraction source (``make demo``).

``main`` is the WSGI app factory (PasteDeploy's ``main``); ``configure`` returns the Configurator
before the app is made, for tests that add a view of their own.
"""

from __future__ import annotations

from collections.abc import Mapping

from pyramid.config import Configurator
from pyramid.session import SignedCookieSessionFactory
from pyramid.settings import asbool

from companion import settings as app_settings


def configure(settings: Mapping[str, object] | None = None) -> Configurator:
    settings = app_settings.load(settings)
    settings.setdefault("tm.manager_hook", "pyramid_tm.explicit_manager")
    # Before the Configurator copies the settings (set after it, they never reached i18n_tool).
    settings.setdefault("i18n_tool.user_locale", "companion.accounts.preferred_locale")
    settings.setdefault("i18n_tool.save_user_locale", "companion.accounts.save_preferred_locale")
    config = Configurator(settings=settings)
    config.set_session_factory(SignedCookieSessionFactory(
        settings[app_settings.SESSION_SECRET],
        cookie_name="session_id",
        httponly=True,
        samesite="Lax",
        secure=asbool(settings.get("sessions.secure", False)),  # true behind HTTPS
    ))
    config.include("pyramid_tm")
    config.include("companion.services")
    config.include("companion.db")
    config.include("companion.templating")
    config.include("companion.email")
    config.include("i18n_tool.pyramid")
    config.include("companion.headers")
    config.include("companion.sanity")
    config.include("companion.routes")
    config.include("companion.events")
    config.include("companion.accounts")
    config.include("companion.mfa")
    config.include("companion.packaging")
    config.include("companion.tokens")
    config.scan("companion.views")
    return config


def main(global_config: Mapping[str, object] | None = None, **settings) -> object:
    """The WSGI app."""
    return configure(settings).make_wsgi_app()
