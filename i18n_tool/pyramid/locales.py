"""The Accept-Language header, and the compiled catalogs an app serves."""

import gettext
import logging
import struct
from pathlib import Path

from i18n_tool.catalog import po as po_format
from i18n_tool.locales import is_locale_code

log = logging.getLogger(__name__)

MAX_ACCEPT_LANGUAGE = 4096  # browsers send well under 200 bytes
MAX_RANGES = 32


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
