"""Locale codes: matching, negotiation, BCP-47 tags, direction, names, validation.

Plain functions with no web framework in them, shared by the audits and the Pyramid include. A
locale code is the catalog directory's name (``de``, ``pt_BR``, ``en_XA``); a value from a request
is only ever *compared* with the available codes, never used as a path or echoed, and the code
returned is the available one.
"""

import re
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.core import negotiate_locale

from i18n_tool.pseudo import PSEUDO_LOCALES, TRANSFORMS

# language, then up to four subtags (script, territory, variants); `_` or `-` between them
_TAG = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8}){0,4}")
MAX_TAG = 64


def match(value, available) -> str | None:
    """The available code that ``value`` names (``pt-br`` -> ``pt_BR``), else None.

    Anything that is not a well-formed tag naming exactly an available locale is None.
    """
    if not isinstance(value, str) or len(value) > MAX_TAG or not _TAG.fullmatch(value):
        return None
    wanted = value.replace("-", "_").lower()
    for code in available:
        if code.lower() == wanted:
            return code
    return None


def negotiate(preferred, available) -> str | None:
    """The best available code for tags in order of preference (Accept-Language), else None.

    Each tag is tried in turn with Babel's ``negotiate_locale`` (``de-AT`` finds ``de``,
    ``ja`` finds ``ja_JP``), then against another territory of the same language (``pt``
    finds ``pt_BR``), so an earlier language wins over a later exact match. Pseudo-locales
    are only chosen when asked for exactly.
    """
    available = list(available)
    for tag in preferred:
        if not isinstance(tag, str) or len(tag) > MAX_TAG or not _TAG.fullmatch(tag):
            continue
        tag = tag.replace("-", "_")
        found = match(negotiate_locale([tag], available, sep="_"), available)
        if found:
            return found
        language = tag.split("_")[0].lower()
        for code in available:
            if code not in PSEUDO_LOCALES and code.split("_")[0].lower() == language:
                return code
    return None


def bcp47(locale) -> str:
    """The BCP-47 tag of a locale code: ``pt_BR`` -> ``pt-BR``, ``en_XA`` -> ``en-XA``."""
    return str(locale).replace("_", "-")


@lru_cache(maxsize=256)
def babel_locale(code: str) -> Locale:
    """Babel's Locale for formatting; a pseudo-locale formats as its base language."""
    if code in PSEUDO_LOCALES:
        code = code.split("_")[0]
    return Locale.parse(code)


def direction(locale) -> str:
    """``rtl`` for a right-to-left script (Babel's character order, or the pseudo-locale's), else ``ltr``."""
    code = str(locale)
    if code in PSEUDO_LOCALES:
        return PSEUDO_LOCALES[code].direction
    try:
        order = Locale.parse(code).character_order
    except (ValueError, TypeError, UnknownLocaleError):
        return "ltr"
    return "rtl" if order == "right-to-left" else "ltr"


def display_name(code: str) -> str:
    """The locale's name in its own language (Deutsch, العربية, 日本語, Português (Brasil))."""
    if code in PSEUDO_LOCALES:  # named in itself too: in its own pseudo-text
        return TRANSFORMS[code](f"{bcp47(code)} pseudo-locale ({PSEUDO_LOCALES[code].description})")
    try:
        locale = Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return bcp47(code)
    name = locale.get_display_name(locale) or bcp47(code)
    return name[:1].upper() + name[1:]


def is_locale_code(code: str) -> bool:
    """A gettext locale code Babel knows (``pt_BR``, ``zh_TW``; not ``pt-BR``), or a pseudo-locale."""
    if code in PSEUDO_LOCALES:
        return True
    if not isinstance(code, str) or "-" in code or not _TAG.fullmatch(code):
        return False
    try:
        Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return False
    return True
