"""Locale codes: matching, negotiation, BCP-47 tags, direction, names, and the compiled catalogs.

Plain functions with no Pyramid in them. A locale code is the catalog directory's name
(``de``, ``pt_BR``, ``en_XA``); a value from a request is only ever *compared* with the
available codes, never used as a path or echoed, and the code returned is the available one.
"""

import gettext
import logging
import re
import struct
from functools import lru_cache
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.core import negotiate_locale

from i18n_tool.catalog import po as po_format
from i18n_tool.pseudo import PSEUDO_LOCALES, TRANSFORMS

log = logging.getLogger(__name__)

# language, then up to four subtags (script, territory, variants); `_` or `-` between them
_TAG = re.compile(r"[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8}){0,4}")
MAX_TAG = 64
MAX_ACCEPT_LANGUAGE = 4096  # browsers send well under 200 bytes
MAX_RANGES = 32


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


def parse_accept_language(header) -> list[str]:
    """The language ranges of an Accept-Language header, best first (q=0 and ``*`` left out)."""
    from webob.acceptparse import AcceptLanguageValidHeader, create_accept_language_header

    if not isinstance(header, str) or not header or len(header) > MAX_ACCEPT_LANGUAGE:
        return []
    parsed = create_accept_language_header(header)
    if not isinstance(parsed, AcceptLanguageValidHeader):
        return []
    ranges = [(tag, q) for tag, q in parsed.parsed if q > 0 and tag != "*"]
    ranges.sort(key=lambda item: -item[1])  # stable: equal weights keep the header's order
    return [tag for tag, _ in ranges[:MAX_RANGES]]


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


# --- the compiled catalogs -----------------------------------------------------------------------


def template_keys(pot_path) -> set | None:
    """The .mo keys (``ctxt\\x04msgid`` or ``msgid``) of the template's messages, None without a template."""
    path = Path(pot_path)
    if not path.is_file():
        return None
    return {entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
            for entry in po_format.parse_file(path).active}


def mo_keys(mo_path) -> set:
    """The keys of the messages compiled in a .mo (the header left out); OSError/ValueError if unreadable."""
    with open(mo_path, "rb") as handle:
        try:
            catalog = gettext.GNUTranslations(handle)._catalog
        except struct.error as exc:
            raise ValueError(f"not a .mo file: {exc}") from None
    keys = {key if isinstance(key, str) else key[0] for key in catalog}  # plurals are (msgid, n)
    keys.discard("")
    return keys


def coverage(mo_path, template: set | None) -> float | None:
    """Percent of the template's messages translated in the .mo; None without a template."""
    if template is None:
        return None
    if not template:
        return 100.0
    return 100.0 * len(mo_keys(mo_path) & template) / len(template)


def compiled_locales(catalogs, domain: str, pot_path, min_coverage) -> list[str]:
    """The locales with ``<catalogs>/<locale>/LC_MESSAGES/<domain>.mo`` meeting ``min_coverage(locale)``.

    Directories that are not locale codes, unreadable .mo files and catalogs below their
    coverage are left out, each with a warning in the log.
    """
    catalogs = Path(catalogs)
    template = template_keys(pot_path)
    found = []
    for mo_path in sorted(catalogs.glob(f"*/LC_MESSAGES/{domain}.mo")):
        code = mo_path.parent.parent.name
        if not is_locale_code(code):
            log.warning("%s: not a locale code Babel knows; catalog ignored", mo_path)
            continue
        wanted = float(min_coverage(code) or 0)
        try:
            percent = coverage(mo_path, template)
            if percent is None:
                mo_keys(mo_path)  # still refuse an unreadable file
        except (OSError, ValueError) as exc:
            log.warning("%s: cannot read: %s; locale %s not available", mo_path, exc, code)
            continue
        if percent is None and wanted > 0:
            log.warning("%s: no template %s to measure coverage; locale %s not available", mo_path, pot_path, code)
            continue
        if percent is not None and percent < wanted:
            log.info("%s: %.1f %% translated, below %g %%; locale %s not available", mo_path, percent, wanted, code)
            continue
        found.append(code)
    return found
