"""``config.include("i18n_tool.pyramid")``: a Pyramid app in its visitors' languages.

What the include gives the app (settings in :mod:`i18n_tool.pyramid.settings`):

- the available locales, found once at startup: the default locale and every compiled
  ``<catalogs>/<locale>/LC_MESSAGES/<domain>.mo`` that translates at least
  ``i18n_tool.min_coverage`` percent of ``<catalogs>/<domain>.pot``; translation dirs for
  those catalogs and for WTForms' own (``wtforms:locale/``, domain ``wtforms``);
- a locale negotiator: ``_LOCALE_`` query parameter, ``_LOCALE_`` cookie, the user's
  preference (``i18n_tool.user_locale``), Accept-Language, the default locale — each
  candidate used only when it names an available locale;
- ``request.locale_tag`` (BCP-47), ``request.locale_dir`` (``ltr``/``rtl``),
  ``request.available_locales`` (``(code, tag, own name)``), ``request.babel_locale``,
  ``request.switch_next`` (this page without ``_LOCALE_``: the switcher's ``next``);
  ``request.localizer`` is Pyramid's;
- ``Vary: Accept-Language, Cookie`` on HTML responses whose locale was negotiated;
- ``POST /locale`` (route ``i18n_tool.set_locale``): ``locale``, ``next`` and the CSRF
  token; sets the cookie, saves the preference (``i18n_tool.save_user_locale``), 303 to
  ``next`` without its ``_LOCALE_`` parameters (they would outrank the new cookie);
- on every pyramid_jinja2 environment: newstyle ``gettext``/``ngettext``/``pgettext``/
  ``npgettext`` (``_`` too) and Babel filters (``format_date``, ``format_number``, …).

The switcher needs the app's CSRF storage (a session factory, or
``config.set_csrf_storage_policy(CookieCSRFStoragePolicy())``).
"""

from pyramid.events import NewResponse

from i18n_tool.pyramid.forms import LocalizedForm, LocalizedMeta, RequestTranslations
from i18n_tool.locales import babel_locale, bcp47, direction, display_name, match, negotiate
from i18n_tool.pyramid.locales import parse_accept_language
from i18n_tool.pyramid.request import (
    LOCALE_KEY,
    available_locales,
    lazy_gettext,
    lazy_pgettext,
    locale_dir,
    locale_negotiator,
    locale_tag,
    request_babel_locale,
    switch_next,
    translate,
    vary_on_locale,
    without_locale_parameter,
)
from i18n_tool.pyramid.settings import ILocalization, Localization, get_localization, read_settings
from i18n_tool.pyramid.templating import install as install_jinja2
from i18n_tool.pyramid.templating import install_on_all
from i18n_tool.pyramid.views import ROUTE_NAME, LocaleSwitchForbidden, safe_next, set_locale

_ = lazy_gettext
WTFORMS_TRANSLATIONS = "wtforms:locale/"
JINJA2_ORDER = 999  # after pyramid_jinja2 creates its environments (order 0) and extras (1)


def includeme(config):
    l10n = read_settings(config.get_settings(), config.maybe_dotted)
    config.registry.registerUtility(l10n, ILocalization)

    dirs = [WTFORMS_TRANSLATIONS] + ([str(l10n.catalogs)] if l10n.catalogs is not None else [])
    config.add_translation_dirs(*dirs)
    config.set_locale_negotiator(locale_negotiator)

    config.add_request_method(locale_tag, "locale_tag", reify=True)
    config.add_request_method(locale_dir, "locale_dir", reify=True)
    config.add_request_method(available_locales, "available_locales", reify=True)
    config.add_request_method(request_babel_locale, "babel_locale", reify=True)
    config.add_request_method(switch_next, "switch_next", reify=True)
    config.add_subscriber(vary_on_locale, NewResponse)

    config.add_route(ROUTE_NAME, l10n.switch_path)
    # require_csrf=False: the view checks origin and token itself, answering 403
    config.add_view(set_locale, route_name=ROUTE_NAME, request_method="POST", require_csrf=False)

    def jinja2():
        install_on_all(config.registry, l10n.domain, l10n.default_locale)

    config.action(None, jinja2, order=JINJA2_ORDER)


__all__ = [
    "ILocalization", "JINJA2_ORDER", "LOCALE_KEY", "Localization", "LocaleSwitchForbidden", "LocalizedForm",
    "LocalizedMeta", "ROUTE_NAME", "RequestTranslations", "_", "available_locales", "babel_locale", "bcp47",
    "direction", "display_name", "get_localization", "includeme", "install_jinja2",
    "install_on_all", "lazy_gettext", "lazy_pgettext", "locale_dir", "locale_negotiator", "locale_tag", "match",
    "negotiate", "parse_accept_language", "read_settings", "request_babel_locale", "safe_next", "set_locale",
    "switch_next", "translate", "vary_on_locale", "without_locale_parameter",
]
