"""Creating, updating and compiling the per-locale catalogs of a configured project.

Built on Babel's catalog model: ``init`` takes its Plural-Forms from Babel's locale
data, ``update`` is Babel's merge (changed messages become fuzzy, removed ones
obsolete), ``compile`` leaves fuzzy and untranslated messages out.
"""

import io
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

from i18n_tool.catalog import pot
from i18n_tool.errors import InputError
from i18n_tool.files import atomic_write, locked


def po_path(config, locale: str, domain: str) -> Path:
    return config.catalogs / locale / "LC_MESSAGES" / f"{domain}.po"


def _template(domain):
    if not domain.pot.exists():
        raise InputError("no template: run `i18n-tool extract` first", path=str(domain.pot))
    return pot.read(domain.pot)


def _po_bytes(catalog) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=76)
    return buffer.getvalue()


def init(config, locale: str, domain) -> Path:
    """A new catalog for ``locale`` from the domain's template; refuses to overwrite one."""
    path = po_path(config, locale, domain.name)
    if path.exists():
        raise InputError("catalog exists already; use `i18n-tool update`", path=str(path))
    catalog = _template(domain)
    catalog.locale = Locale.parse(locale)
    catalog.revision_date = datetime.now(timezone.utc)
    catalog.fuzzy = False
    with locked(config.catalogs):
        atomic_write(path, _po_bytes(catalog))
    return path


def update(config, locale: str, domain) -> tuple[Path, bool]:
    """Merge the template into the locale's catalog (creating it when missing): (path, changed)."""
    path = po_path(config, locale, domain.name)
    if not path.exists():
        return init(config, locale, domain), True
    with locked(config.catalogs):
        catalog = pot.read(path)
        catalog.update(_template(domain))
        data = _po_bytes(catalog)
        if data == path.read_bytes():
            return path, False
        atomic_write(path, data)
    return path, True


def compile_po(path: Path) -> Path:
    """Write the .mo beside a .po, without fuzzy or untranslated messages."""
    catalog = pot.read(path)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    target = path.with_suffix(".mo")
    atomic_write(target, buffer.getvalue())
    return target


@dataclass
class Stats:
    locale: str
    domain: str
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    obsolete: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def _translated(message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    return all(strings)


def stats(config, locale: str, domain) -> Stats:
    catalog = pot.read(po_path(config, locale, domain.name))
    result = Stats(locale, domain.name, obsolete=len(catalog.obsolete))
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            result.fuzzy += 1
        elif _translated(message):
            result.translated += 1
        else:
            result.untranslated += 1
    return result
