"""Locale codes: validation, matching, negotiation, BCP-47 tags, direction, names.

Plain functions with no web framework in them, shared by the configuration, the commands, the
checks, the audits and the Pyramid include. A locale code is the catalog directory's name (``de``,
``pt_BR``, ``en_XA``); a value from a request is only ever *compared* with the available codes,
never used as a path or echoed, and the code returned is the available one.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.core import negotiate_locale

from i18n_tool.pseudo import PSEUDO_LOCALES, TRANSFORMS

# language, then up to four subtags (script, territory, variants); `_` or `-` between them
_TAG = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8}){0,4}")
MAX_TAG = 64


class LocaleError(ValueError):
    """A value that names no locale; its text is Babel's reason (``'de_' is not a valid locale identifier``)."""


class UnknownLocale(LocaleError):
    """A well-formed identifier for which Babel (CLDR) has no locale (``unknown locale 'xx_QQ'``)."""


def parse_locale(value: str, *, pseudo: bool = True) -> str:
    """The normal code of a locale identifier, ``-`` or ``_`` between its parts (``pt-br`` -> ``pt_BR``).

    A pseudo-locale (``en_XA``) is its own code, unless ``pseudo=False``. Raises
    :class:`UnknownLocale` for an identifier Babel knows no locale for, and :class:`LocaleError`
    for one that is not an identifier at all.
    """
    if not isinstance(value, str):
        raise LocaleError(f"a locale identifier is a string, not {type(value).__name__}")
    name = value.replace("-", "_")
    if pseudo and name in PSEUDO_LOCALES:
        return name
    try:
        return str(Locale.parse(name))
    except UnknownLocaleError as exc:
        raise UnknownLocale(str(exc)) from None
    except ValueError as exc:
        raise LocaleError(str(exc)) from None


def is_valid_locale(value: str, *, pseudo: bool = True) -> bool:
    """Whether :func:`parse_locale` takes ``value``."""
    try:
        parse_locale(value, pseudo=pseudo)
    except LocaleError:
        return False
    return True


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
    return is_valid_locale(code, pseudo=False)


# --- language tags (BCP 47, RFC 5646): a page's lang -------------------------------------------------

_LANGUAGE_TAG = re.compile(r"""
    (?P<language>[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})  # 2-3 letters with up to 3 extlangs, or 4-8
    (?:-(?P<script>[a-z]{4}))?
    (?:-(?P<region>[a-z]{2}|[0-9]{3}))?                    # XA, XB... (private use) are regions too
    (?P<variants>(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*)
    (?P<extensions>(?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*)
    (?:-x(?:-[a-z0-9]{1,8})+)?
    |(?P<private>x(?:-[a-z0-9]{1,8})+)
""", re.VERBOSE | re.IGNORECASE | re.ASCII)  # ASCII: no Kelvin sign for a "k"
# Well-formed and known to CLDR, but they name no (single) language of a page.
NOT_A_LANGUAGE = frozenset({"und", "mis", "mul", "zxx"})


@dataclass(frozen=True)
class LanguageTag:
    value: str
    primary: str  # lower case; "" for a private-use-only tag
    script: str | None  # title case
    region: str | None  # upper case


def language_tag(value: str) -> LanguageTag | None:
    """The parts of a well-formed BCP 47 tag (RFC 5646 section 2.1 and 2.2.5-6), else None.

    Grandfathered tags (``i-klingon``, ``en-GB-oed``) are not accepted: all are deprecated.
    """
    match = _LANGUAGE_TAG.fullmatch(value)
    if match is None or _repeats(match):
        return None
    if match["private"]:
        return LanguageTag(value, "", None, None)
    return LanguageTag(value, match["language"].split("-")[0].lower(),
                       match["script"] and match["script"].title(), match["region"] and match["region"].upper())


def _repeats(match) -> bool:
    """A variant, or an extension's singleton, given twice (not valid, RFC 5646 2.2.5 and 2.2.6)."""
    variants = (match["variants"] or "").lower().split("-")[1:]
    singletons = re.findall(r"-([0-9a-wyz])(?=-)", (match["extensions"] or "").lower())
    return len(set(variants)) < len(variants) or len(set(singletons)) < len(singletons)


def tag_problem(value: str) -> str | None:
    """Why ``value`` is not a usable page language (a phrase to follow the attribute), else None."""
    tag = language_tag(value)
    if tag is None:
        return "is not a valid BCP 47 language tag"
    if not tag.primary:
        return "is private use and names no language"
    if tag.primary in NOT_A_LANGUAGE:
        return "names no single language"
    if tag.primary not in known_languages():
        return f'starts with "{tag.primary}", which is no language code CLDR knows'
    return None


@lru_cache(maxsize=1)
def known_languages() -> frozenset[str]:
    """The ISO 639 codes CLDR (through Babel) names, and the languages it has locales for."""
    from babel.localedata import locale_identifiers

    named = (code for code in Locale("en").languages if "_" not in code)
    return frozenset(named) | {identifier.split("_")[0] for identifier in locale_identifiers()}
