"""Jinja2: newstyle gettext callables through the request's localizer, and Babel filters.

pyramid_jinja2 installs ``gettext`` and ``ngettext`` only, so ``pgettext``, ``npgettext``
and ``{% trans "context" %}`` fail; :func:`install` replaces all four on an environment.
Newstyle: placeholders are ``%(name)s`` filled from keyword arguments (``num`` for the
count), and with autoescaping the translation is markup while the values are escaped.
"""

from datetime import date, datetime, timezone

from babel import dates, numbers
from jinja2 import pass_context
from pyramid.i18n import TranslationString
from pyramid.threadlocal import get_current_request
from translationstring import Pluralizer

from i18n_tool.locales import babel_locale


def _request(context):
    request = context.get("request")
    return request if request is not None else get_current_request()


def make_callables(domain: str) -> dict:
    """gettext, ngettext, pgettext, npgettext in ``domain`` (a TranslationString keeps its own)."""

    def translate(context, message, msgctxt=None):
        request = _request(context)
        domain_ = getattr(message, "domain", None) or domain
        if request is None:
            return str(message)
        return request.localizer.translate(TranslationString(message, domain=domain_, context=msgctxt))

    def pluralize(context, singular, plural, n, msgctxt=None):
        request = _request(context)
        if request is None:
            return singular if n == 1 else plural
        # Localizer.pluralize has no context; its Pluralizer does
        return Pluralizer(request.localizer.translations)(singular, plural, n, domain=domain, context=msgctxt)

    @pass_context
    def gettext(context, message):
        return translate(context, message)

    @pass_context
    def ngettext(context, singular, plural, n):
        return pluralize(context, singular, plural, n)

    @pass_context
    def pgettext(context, msgctxt, message):
        return translate(context, message, msgctxt)

    @pass_context
    def npgettext(context, msgctxt, singular, plural, n):
        return pluralize(context, singular, plural, n, msgctxt)

    return {"gettext": gettext, "ngettext": ngettext, "pgettext": pgettext, "npgettext": npgettext}


# --- Babel filters in the request's locale -------------------------------------------------------------


def _utcnow_like(value: datetime) -> datetime:
    """Now, aware when ``value`` is (naive datetimes are taken as UTC)."""
    now = datetime.now(timezone.utc)
    return now.astimezone(value.tzinfo) if value.tzinfo is not None else now.replace(tzinfo=None)


def format_timedelta(value, granularity="second", threshold=0.85, add_direction=False, format="long",
                     locale=None):
    """Babel's format_timedelta; a datetime is taken relative to now ("3 days ago", "in 2 hours")."""
    if isinstance(value, datetime):
        value = value - _utcnow_like(value)
    elif isinstance(value, date):
        value = value - datetime.now(timezone.utc).date()
    return dates.format_timedelta(value, granularity=granularity, threshold=threshold,
                                  add_direction=add_direction, format=format, locale=locale)


FORMATTERS = {
    "format_date": dates.format_date,
    "format_time": dates.format_time,
    "format_datetime": dates.format_datetime,
    "format_number": numbers.format_decimal,  # Babel's format_number is deprecated for this
    "format_decimal": numbers.format_decimal,
    "format_percent": numbers.format_percent,
    "format_currency": numbers.format_currency,
    "format_timedelta": format_timedelta,
}


def make_filters(default_locale: str) -> dict:
    """The formatters as Jinja2 filters, each given the request's Babel locale."""

    def locale_of(context):
        request = _request(context)
        return getattr(request, "babel_locale", None) or babel_locale(default_locale)

    def make(formatter):
        @pass_context
        def babel_filter(context, value, *args, **kwargs):
            kwargs.setdefault("locale", locale_of(context))
            return formatter(value, *args, **kwargs)

        babel_filter.__name__ = babel_filter.__qualname__ = formatter.__name__
        babel_filter.__doc__ = formatter.__doc__
        return babel_filter

    return {name: make(formatter) for name, formatter in FORMATTERS.items()}


def install(env, domain: str, default_locale: str) -> None:
    """Newstyle gettext callables and the Babel filters on a Jinja2 environment."""
    if not hasattr(env, "install_gettext_callables"):
        env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(newstyle=True, **make_callables(domain))
    env.filters.update(make_filters(default_locale))


def install_on_all(registry, domain: str, default_locale: str) -> int:
    """Install on every environment pyramid_jinja2 registered (each renderer has its own)."""
    try:
        from pyramid_jinja2 import IJinja2Environment
    except ImportError:  # pragma: no cover - pyramid_jinja2 is a dependency
        return 0
    count = 0
    for _name, env in registry.getUtilitiesFor(IJinja2Environment):
        install(env, domain, default_locale)
        count += 1
    return count

