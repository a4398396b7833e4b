"""Jinja2 through pyramid_jinja2: ``.html`` templates under ``companion/templates``, with i18n.

``jinja2.ext.i18n`` gets ``gettext``/``ngettext`` from pyramid_jinja2 and, here, ``pgettext`` and
``npgettext`` too (``base.html`` uses ``pgettext``); all four translate through the request's
Pyramid localizer in the ``messages`` domain, so the catalogs ``i18n_tool.pyramid`` registers apply
to them. ``{% trans %}`` blocks are trimmed (the ``ext.i18n.trimmed`` policy), as extraction
trims them. Date and size filters format with Babel in ``request.locale_tag``.
"""

from __future__ import annotations

from datetime import UTC, datetime

import babel
import babel.dates
import babel.units
from jinja2 import pass_context
from pyramid.events import BeforeRender
from pyramid.threadlocal import get_current_request
from pyramid_jinja2 import IJinja2Environment
from translationstring import Pluralizer, Translator

DOMAIN = "messages"


class GetText:
    """The gettext callables for Jinja2, translating with the current request's localizer."""

    def __init__(self, domain: str = DOMAIN):
        self.domain = domain

    @property
    def localizer(self):
        return get_current_request().localizer

    def gettext(self, message: str) -> str:
        return self.localizer.translate(message, domain=self.domain)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.localizer.pluralize(singular, plural, n, domain=self.domain)

    def pgettext(self, context: str, message: str) -> str:
        translator = Translator(self.localizer.translations)
        return translator(message, domain=self.domain, context=context)

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        pluralizer = Pluralizer(self.localizer.translations)
        return pluralizer(singular, plural, n, domain=self.domain, context=context)


def _locale(context) -> babel.Locale:
    request = context.get("request")
    tag = getattr(request, "locale_tag", None) or "en"
    try:
        return babel.Locale.parse(tag, sep="-")
    except (ValueError, babel.UnknownLocaleError):
        return babel.Locale.parse("en")


@pass_context
def format_date(context, value: datetime, format: str = "medium") -> str:
    return babel.dates.format_date(value, format=format, locale=_locale(context))


@pass_context
def format_datetime(context, value: datetime, format: str = "medium") -> str:
    return babel.dates.format_datetime(value, format=format, tzinfo=UTC, locale=_locale(context))


@pass_context
def format_filesize(context, size: int) -> str:
    """Decimal units, as PyPI shows them: ``820 byte``, ``14.2 kB``, ``3.1 MB``."""
    for unit, scale in (("digital-gigabyte", 10**9), ("digital-megabyte", 10**6), ("digital-kilobyte", 10**3)):
        if size >= scale:
            return babel.units.format_unit(size / scale, unit, length="short", format="#,##0.#",
                                           locale=_locale(context))
    return babel.units.format_unit(size, "digital-byte", length="short", locale=_locale(context))


def isoformat(value: datetime) -> str:
    """For ``<time datetime=...>``."""
    return value.astimezone(UTC).isoformat(timespec="seconds")


def _setup_environment(config) -> None:
    env = config.registry.getUtility(IJinja2Environment, name=".html")
    gettext = GetText()
    env.install_gettext_callables(gettext.gettext, gettext.ngettext, newstyle=False,
                                  pgettext=gettext.pgettext, npgettext=gettext.npgettext)
    env.policies["ext.i18n.trimmed"] = True
    env.filters.update(format_date=format_date, format_datetime=format_datetime,
                       format_filesize=format_filesize, isoformat=isoformat)


def _template_globals(event) -> None:
    event.setdefault("year", datetime.now(UTC).year)


def includeme(config) -> None:
    settings = config.get_settings()
    settings.setdefault("jinja2.directories", "companion:templates")
    settings.setdefault("jinja2.i18n.domain", DOMAIN)
    settings.setdefault("jinja2.undefined", "strict")
    config.include("pyramid_jinja2")
    config.add_jinja2_renderer(".html")
    # After pyramid_jinja2 builds the environment (its documented hook, order 999).
    config.action(None, lambda: _setup_environment(config), order=999)
    config.add_subscriber(_template_globals, BeforeRender)
