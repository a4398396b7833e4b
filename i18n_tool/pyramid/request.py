"""Per request: the locale negotiator, the request properties, Vary, and translating lazy strings."""

import logging
from urllib.parse import unquote_plus

from pyramid.i18n import TranslationString, TranslationStringFactory

from i18n_tool.locales import babel_locale, bcp47, direction, match, negotiate
from i18n_tool.pyramid.locales import parse_accept_language
from i18n_tool.pyramid.settings import get_localization

log = logging.getLogger(__name__)

LOCALE_KEY = "_LOCALE_"  # query parameter and cookie, as Pyramid's default negotiator
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})

#: Lazy messages for module level: ``_("Email")`` is translated when rendered or passed to
#: :func:`translate`, in the app's domain (``i18n_tool.domain``) unless given another.
lazy_gettext = TranslationStringFactory(None)


def lazy_pgettext(context: str, msgid: str, mapping=None) -> TranslationString:
    """A lazy message with a context (``msgctxt``)."""
    return TranslationString(msgid, mapping=mapping, context=context)


def _query_value(request):
    try:
        return request.GET.get(LOCALE_KEY)
    except UnicodeDecodeError:  # a query string that is not UTF-8
        return None


def _user_preference(request, user_locale):
    try:
        return user_locale(request)
    except Exception:  # a broken lookup must not break every page (and its error page)
        log.exception("i18n_tool.user_locale failed; negotiating without it")
        return None


def locale_negotiator(request) -> str:
    """``_LOCALE_`` query parameter, cookie, the user's preference, Accept-Language, default.

    Every candidate must name an available locale exactly (after ``-``/``_`` and case are
    normalised); anything else is skipped, so the result is always an available code.
    """
    l10n = get_localization(request.registry)
    available = l10n.available
    for value in (_query_value(request), request.cookies.get(LOCALE_KEY)):
        found = match(value, available)
        if found:
            return found
    if l10n.user_locale is not None:
        found = match(_user_preference(request, l10n.user_locale), available)
        if found:
            return found
    preferred = parse_accept_language(request.headers.get("Accept-Language"))
    return negotiate(preferred, available) or l10n.default_locale


# --- request properties (config.add_request_method, reified) -----------------------------------------


def locale_tag(request) -> str:
    return bcp47(request.locale_name)


def locale_dir(request) -> str:
    return direction(request.locale_name)


def available_locales(request) -> list:
    return list(get_localization(request.registry).menu)


def without_locale_parameter(url: str) -> str:
    """``url`` without its ``_LOCALE_`` query parameters (the rest of the query as it was):
    coming back from a switch to ``/?_LOCALE_=de``, the query would outrank the new cookie."""
    path, mark, query = url.partition("?")
    if not mark:
        return url
    kept = [part for part in query.split("&") if unquote_plus(part.partition("=")[0]) != LOCALE_KEY]
    return f"{path}?{'&'.join(kept)}" if kept else path


def switch_next(request) -> str:
    """The ``next`` for the language switcher: this page, without ``_LOCALE_`` in its query."""
    return without_locale_parameter(request.path_qs)


def request_babel_locale(request):
    return babel_locale(request.locale_name)


def translate(request, message, mapping=None, domain=None) -> str:
    """``message`` (a TranslationString or a str) in the request's language.

    The domain is ``domain``, else the message's own, else the app's; ``mapping`` fills
    ``${name}`` placeholders (merged over the message's own mapping).
    """
    domain = domain or getattr(message, "domain", None) or get_localization(request.registry).domain
    return request.localizer.translate(message, domain=domain, mapping=mapping)


# --- caches ------------------------------------------------------------------------------------------


def add_vary(response, *names) -> None:
    """Add ``names`` to the response's Vary header, keeping what is there."""
    vary = list(response.vary or ())
    present = {value.lower() for value in vary}
    if "*" in present:
        return
    vary += [name for name in names if name.lower() not in present]
    response.vary = tuple(vary)


def vary_on_locale(event) -> None:
    """NewResponse subscriber: an HTML page in a negotiated language varies on what chose it."""
    request, response = event.request, event.response
    if "locale_name" in request.__dict__ and response.content_type in HTML_TYPES:  # reified: was negotiated
        add_vary(response, "Accept-Language", "Cookie")
