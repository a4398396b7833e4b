"""Creating, updating, compiling and counting the per-locale catalogs of a configured project."""

import os
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from i18n_tool.catalog import po as po_format
from i18n_tool.catalog.merge import merge, merge_stats
from i18n_tool.catalog.mo import write_mo
from i18n_tool.catalog.model import Entry, PoFile
from i18n_tool.errors import InputError
from i18n_tool.files import atomic_write, locked
from i18n_tool.pseudo import PLURAL_FORMS, PSEUDO_LOCALES, count_words


def po_path(config, locale: str, domain: str) -> Path:
    return config.catalogs / locale / "LC_MESSAGES" / f"{domain}.po"


def read_template(domain) -> PoFile:
    if not domain.pot.exists():
        raise InputError("no template: run `i18n-tool extract` first", path=str(domain.pot))
    return po_format.parse_file(domain.pot)


def plural_forms(locale: str) -> str:
    """``nplurals=N; plural=EXPR;`` for a locale, from Babel's locale data."""
    from babel import Locale
    from babel.messages.plurals import get_plural

    if locale in PSEUDO_LOCALES:
        return PLURAL_FORMS
    plural = get_plural(Locale.parse(locale))
    return f"nplurals={plural.num_plurals}; plural={plural.plural_expr};"


def nplurals_of(po: PoFile, locale: str) -> int:
    return po.nplurals or int(plural_forms(locale).split(";")[0].split("=")[1])


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M%z")


def new_header(template: PoFile, locale: str) -> Entry:
    """The template's header made a catalog's: Language, Plural-Forms, revision date, team."""
    fields = dict(template.header_fields()) if template.header else {}
    fields.pop("Language", None)
    fields.update({
        "PO-Revision-Date": _now(),
        "Language": locale,
        "Language-Team": f"{locale} <LL@li.org>",
        "Plural-Forms": plural_forms(locale),
    })
    from babel import Locale

    name = PSEUDO_LOCALES[locale].description if locale in PSEUDO_LOCALES else Locale.parse(locale).english_name
    comments = list(template.header.comments) if template.header else []
    if comments and comments[0].startswith(" Translations template for"):
        comments[0] = comments[0].replace(" Translations template for", f" {name} translations for", 1)
    msgstr = "".join(f"{key}: {value}\n" for key, value in fields.items())
    return Entry("", msgstr, comments=comments, line=1)


def init(config, locale: str, domain) -> Path:
    """A new catalog for ``locale`` from the domain's template; refuses to overwrite one."""
    path = po_path(config, locale, domain.name)
    if path.exists():
        raise InputError("catalog exists already; use `i18n-tool update`", path=str(path))
    template = read_template(domain)
    nplurals = int(plural_forms(locale).split(";")[0].split("=")[1])
    entries = [_untranslated(entry, nplurals) for entry in template.active]
    catalog = PoFile(str(path), new_header(template, locale), entries)
    with locked(config.catalogs):
        atomic_write(path, po_format.write(catalog, config.output.width))
    return path


def _untranslated(entry: Entry, nplurals: int) -> Entry:
    msgstr = [""] * nplurals if entry.is_plural else ""
    return replace(entry, msgstr=msgstr, flags=[f for f in entry.flags if f != "fuzzy"],
                   auto_comments=list(entry.auto_comments), locations=list(entry.locations))


@dataclass
class UpdateResult:
    path: Path
    created: bool = False
    changed: bool = False
    counts: dict | None = None


def update(config, locale: str, domain, fuzzy_matching: bool = True) -> UpdateResult:
    """Merge the template into the locale's catalog (creating it when missing)."""
    path = po_path(config, locale, domain.name)
    if not path.exists():
        return UpdateResult(init(config, locale, domain), created=True, changed=True)
    template = read_template(domain)
    with locked(config.catalogs):
        data = path.read_bytes()
        catalog = po_format.parse(data, str(path))
        merged = merge(catalog, template, nplurals_of(catalog, locale), fuzzy_matching)
        new = po_format.write(merged, config.output.width)
        if new != data:
            atomic_write(path, new)
    return UpdateResult(path, changed=new != data, counts=merge_stats(catalog, merged))


def compile_catalog(po: PoFile) -> Path:
    """Write the .mo beside the catalog's .po (not when it holds these bytes already)."""
    return _compile_catalog(po)[0]


def _compile_catalog(po: PoFile) -> tuple[Path, bytes]:
    target = Path(po.path).with_suffix(".mo")
    data = write_mo(po)
    try:
        same = target.stat().st_size == len(data) and target.read_bytes() == data
    except OSError:
        same = False
    if not same:
        atomic_write(target, data)
    return target, data


@dataclass
class Stats:
    locale: str
    domain: str
    translated: int = 0
    fuzzy: int = 0
    untranslated: int = 0
    obsolete: int = 0
    words: int = 0  # in the source text of the active messages
    translated_words: int = 0

    @property
    def total(self) -> int:
        return self.translated + self.fuzzy + self.untranslated

    @property
    def percent(self) -> float:
        return 100.0 * self.translated / self.total if self.total else 100.0


def stats(po: PoFile, locale: str, domain: str) -> Stats:
    result = Stats(locale, domain, obsolete=len(po.obsolete))
    for entry in po.active:
        words = count_words(entry.msgid)
        result.words += words
        if entry.fuzzy:
            result.fuzzy += 1
        elif entry.complete:
            result.translated += 1
            result.translated_words += words
        else:
            result.untranslated += 1
    return result


def configured_catalogs(config, locales=()) -> tuple[list, list]:
    """(paths of the configured catalogs that exist, locale-missing findings for the others)."""
    from i18n_tool.findings import Finding

    paths, missing = [], []
    for locale in locales or (*config.locales, *config.pseudo_locales):
        for domain in config.domains.values():
            path = Path(os.path.relpath(po_path(config, locale, domain.name)))
            if path.exists():
                paths.append(path)
            else:
                fix = "pseudo" if locale in PSEUDO_LOCALES else "update"
                missing.append(Finding(str(path), None, "error", "locale-missing",
                                       f"no {domain.name} catalog for {locale}: run `i18n-tool {fix} -l {locale}`",
                                       locale=locale))
    return paths, missing


@dataclass
class CompileResult:
    path: str
    mo: str | None  # None when not written
    findings: list


def _compile_one(path, force):
    """(result, hash of the .po compiled, hash of the .mo written); hashes None when not known."""
    from i18n_tool.catalog_cache import content_digest
    from i18n_tool.checks.runner import check_file

    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        data = None
    result = check_file(path, compiling=True, data=data)  # its own errors; coverage policy is check's
    digest = content_digest(data) if data is not None else None
    if result.po is None or (result.errors and not force):
        return CompileResult(str(path), None, result.findings), digest, None
    try:
        target, mo = _compile_catalog(result.po)
    except InputError:  # what msgfmt refuses too (duplicates): reported by the checks, not written
        return CompileResult(str(path), None, result.findings), digest, None
    return CompileResult(str(path), str(target), result.findings), digest, content_digest(mo)


def compile_files(paths, force=False, workers=None, cache=None) -> list:
    """Check and compile catalogs; one with errors is not written unless ``force``.

    With a ``CatalogCache``, a catalog unchanged since it was compiled, whose .mo is still
    the one written then, is neither checked nor compiled again.
    """
    from i18n_tool.parallel import ordered_map

    paths = [str(p) for p in paths]
    results = [_cached_compile(cache, path) if cache else None for path in paths]
    misses = [index for index, result in enumerate(results) if result is None]
    stats = [cache.stat(paths[index]) if cache else None for index in misses]
    compiled = ordered_map(_compile_one, [paths[index] for index in misses], workers, serial_below=4, force=force)
    for index, stat, (result, digest, mo_digest) in zip(misses, stats, compiled):
        results[index] = result
        if cache:
            mo = (cache.stat(result.mo), mo_digest) if result.mo else None
            cache.put(paths[index], stat, digest, result, mo)
    if cache:
        cache.save()
    return results


def _cached_compile(cache, path):
    from i18n_tool.catalog_cache import stat, unchanged

    hit = cache.get(path)
    if hit is None:
        return None
    result, mo = hit
    if not result.mo:
        return result
    if not (mo and unchanged(result.mo, *mo)):
        return None  # the .mo was removed or changed since
    if mo[0] is None and stat(result.mo) is not None:
        cache.set_extra(path, (stat(result.mo), mo[1]))  # settled: the next run need not read it
    return result


def build_pseudo(config, name: str, domain) -> tuple[Path, bool]:
    """Write the pseudo-locale ``name``'s catalog from the domain's template: (path, changed)."""
    return write_pseudo(read_template(domain), name, po_path(config, name, domain.name), config.output.width)


def write_pseudo(template: PoFile, name: str, path: Path, width: int | None = 76) -> tuple[Path, bool]:
    """Write the pseudo-locale ``name``'s catalog of ``template`` to ``path``: (path, changed)."""
    from i18n_tool import pseudo

    catalog = pseudo.build(template, name, _pseudo_header(template, name, path))
    data = po_format.write(catalog, width)
    if path.exists() and path.read_bytes() == data:
        return path, False
    with locked(path.parent.parent.parent):  # the catalogs folder: <catalogs>/<locale>/LC_MESSAGES/
        atomic_write(path, data)
    return path, True


def _pseudo_header(template, name, path) -> Entry:
    """The catalog header, with the revision date kept when the file exists (no churn)."""
    header = new_header(template, name)
    if path.exists():
        old = po_format.parse_file(path).header_field("PO-Revision-Date")
        if old:
            lines = [f"PO-Revision-Date: {old}" if line.startswith("PO-Revision-Date:") else line
                     for line in header.msgstr.split("\n")]
            header.msgstr = "\n".join(lines)
    return header
