"""The locale switcher: ``POST /locale`` with ``locale`` and ``next``, CSRF-checked, 303 back."""

from urllib.parse import urlsplit

from pyramid.csrf import check_csrf_origin, check_csrf_token
from pyramid.exceptions import BadCSRFToken
from pyramid.httpexceptions import HTTPBadRequest, HTTPSeeOther
from pyramid.interfaces import IDefaultCSRFOptions

from i18n_tool.locales import match
from i18n_tool.pyramid.request import LOCALE_KEY, without_locale_parameter
from i18n_tool.pyramid.settings import get_localization

ROUTE_NAME = "i18n_tool.set_locale"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60
MAX_NEXT = 2048


class LocaleSwitchForbidden(BadCSRFToken):
    """A switch without a valid CSRF token (or from another origin): Pyramid's BadCSRFToken, as 403."""

    code = 403
    title = "Forbidden"


def safe_next(url, default: str = "/") -> str:
    """``url`` when it is a path on this site, else ``default``.

    A path starts with one ``/`` (``//host`` is another site), has no scheme, no backslash
    (browsers read ``/\\host`` as ``//host``) and only printable ASCII: no control
    characters, spaces or raw non-ASCII (percent-encode them).
    """
    if not isinstance(url, str) or not url.startswith("/") or url.startswith("//") or len(url) > MAX_NEXT:
        return default
    if "\\" in url or any(not 0x20 < ord(ch) < 0x7F for ch in url):
        return default
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return default
    return url


def check_csrf(request) -> None:
    """Pyramid's origin and token checks, with the app's default CSRF options when it set them."""
    options = request.registry.queryUtility(IDefaultCSRFOptions)
    token = getattr(options, "token", None) or "csrf_token"
    header = getattr(options, "header", None) or "X-CSRF-Token"
    if getattr(options, "check_origin", True):
        allow_no_origin = getattr(options, "allow_no_origin", False)
        if not check_csrf_origin(request, allow_no_origin=allow_no_origin, raises=False):
            raise LocaleSwitchForbidden()
    if not check_csrf_token(request, token=token, header=header, raises=False):
        raise LocaleSwitchForbidden()


def set_locale(request):
    """Set the ``_LOCALE_`` cookie (and the user's preference) and redirect to ``next``."""
    l10n = get_localization(request.registry)
    try:
        check_csrf(request)
        locale, target = request.POST.get("locale"), request.POST.get("next")
    except UnicodeDecodeError:  # a form body that is not UTF-8
        raise HTTPBadRequest() from None
    code = match(locale, l10n.available)
    if code is None:
        raise HTTPBadRequest("Unknown or unavailable locale.")  # the value is not echoed
    if l10n.save_user_locale is not None:
        l10n.save_user_locale(request, code)  # its errors propagate (pyramid_tm aborts)
    response = HTTPSeeOther(location=without_locale_parameter(safe_next(target)))
    response.set_cookie(LOCALE_KEY, code, max_age=COOKIE_MAX_AGE, path="/", samesite="Lax",
                        httponly=True, secure=request.scheme == "https")
    return response
