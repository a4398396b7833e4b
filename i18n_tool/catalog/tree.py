"""Catalogs in pybabel's layout, ``<dir>/<locale>/LC_MESSAGES/<domain>.po``, without a configuration.

Which files ``init``, ``update`` and ``compile`` work on when given pybabel's options
(``-i``, ``-d``, ``-o``, ``-l``, ``-D``), found as pybabel finds them.
"""

from dataclasses import dataclass
from pathlib import Path

from i18n_tool.errors import InputError

DEFAULT_DOMAIN = "messages"


@dataclass(frozen=True)
class Catalog:
    locale: str
    po: Path
    mo: Path | None = None  # where compile writes; None: beside the .po


def catalog_path(directory, locale: str, domain: str, suffix: str = ".po") -> Path:
    return Path(directory) / locale / "LC_MESSAGES" / f"{domain}{suffix}"


def found_locales(directory, domain: str) -> list[str]:
    """The locales of ``directory`` that hold a catalog of ``domain``, sorted."""
    directory = Path(directory)
    if not directory.is_dir():
        raise InputError("catalog directory does not exist", path=str(directory))
    return sorted(entry.name for entry in directory.iterdir() if catalog_path(directory, entry.name, domain).is_file())


def _none_found(domain: str) -> InputError:
    return InputError(f"no message catalogs found for domain {domain!r}")


def init_target(domain: str, locale: str | None, directory=None, output_file=None) -> Path:
    """The catalog ``init -i … -l LOCALE (-d DIR | -o FILE)`` creates."""
    if not locale:
        raise InputError("you must provide a locale for the new catalog (-l)")
    if output_file:
        return Path(output_file)
    if not directory:
        raise InputError("you must specify the output directory (-d) or file (-o)")
    return catalog_path(directory, locale, domain or DEFAULT_DOMAIN)


def update_targets(domain: str, locales=(), directory=None, output_file=None) -> list[Catalog]:
    """The catalogs ``update -i … (-d DIR [-l LOCALE] | -o FILE -l LOCALE)`` merges into."""
    if output_file:
        if not locales:
            raise InputError("you must specify the locale (-l) with an output file (-o)")
        return [Catalog(locales[-1], Path(output_file))]
    if not directory:
        raise InputError("you must specify the output directory (-d) or file (-o)")
    domain = domain or DEFAULT_DOMAIN
    found = [Catalog(locale, catalog_path(directory, locale, domain))
             for locale in (locales or found_locales(directory, domain))]
    if not found:
        raise _none_found(domain)
    return found


def compile_targets(domains, locales=(), directory=None, input_file=None, output_file=None) -> list[Catalog]:
    """The catalogs ``compile (-d DIR [-l LOCALE] | -i FILE (-o FILE | -d DIR -l LOCALE))`` compiles,
    for each domain (``-D "a b"``); the .mo goes beside the .po unless ``-i`` names the input."""
    if not input_file and not directory:
        raise InputError("you must specify either the input file (-i) or the base directory (-d)")
    if input_file:
        if output_file:
            return [Catalog(locales[-1] if locales else "", Path(input_file), Path(output_file))]
        if not locales or not directory:
            raise InputError("with an input file (-i), give the output file (-o), or the directory (-d) and locale (-l)")
        domain = (domains or [DEFAULT_DOMAIN])[0]
        return [Catalog(locales[-1], Path(input_file), catalog_path(directory, locales[-1], domain, ".mo"))]
    found = []
    for domain in domains or [DEFAULT_DOMAIN]:
        chosen = [Catalog(locale, catalog_path(directory, locale, domain))
                  for locale in (locales or found_locales(directory, domain))]
        if not chosen:
            raise _none_found(domain)
        found += chosen
    for catalog in found:
        if not catalog.po.is_file():
            raise InputError("catalog does not exist", path=str(catalog.po))
    return found


def without_fuzzy_catalogs(catalogs) -> tuple[list[Catalog], list[Catalog]]:
    """(the catalogs to compile, those skipped): pybabel does not compile a catalog whose header
    is fuzzy unless --use-fuzzy. One that cannot be read is left for compile to report."""
    from i18n_tool.catalog import po as po_format

    kept, skipped = [], []
    for catalog in catalogs:
        try:
            header = po_format.parse_file(catalog.po).header
        except InputError:
            header = None
        (skipped if header is not None and header.fuzzy else kept).append(catalog)
    return kept, skipped
