"""Creating, updating, compiling and counting the per-locale catalogs of a configured project."""

import os
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from i18n_tool.catalog import po as po_format
from i18n_tool.catalog.compiling import CompileResult, compile_catalog, compile_files  # noqa: F401
from i18n_tool.catalog.merge import merge, merge_stats
from i18n_tool.catalog.model import Entry, PoFile
from i18n_tool.errors import InputError
from i18n_tool.files import atomic_write, locked
from i18n_tool.pseudo import PLURAL_FORMS, PSEUDO_LOCALES, count_words


def po_path(config, locale: str, domain: str) -> Path:
    return config.catalogs / locale / "LC_MESSAGES" / f"{domain}.po"


def read_template(domain) -> PoFile:
    return read_template_file(domain.pot)


def read_template_file(path) -> PoFile:
    if not Path(path).exists():
        raise InputError("no template: run `i18n-tool extract` first", path=str(path))
    return po_format.parse_file(path)


def lock_folder(path) -> Path:
    """The folder whose lock guards a catalog: the catalogs folder of ``<it>/<locale>/LC_MESSAGES/``."""
    path = Path(path)
    return path.parents[2] if path.parent.name == "LC_MESSAGES" and len(path.parents) > 2 else path.parent


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


_FOLLOWED_BY = {"Last-Translator": "Language", "Language-Team": "Plural-Forms"}


def new_header(template: PoFile, locale: str) -> Entry:
    """The template's header made a catalog's: Language, Plural-Forms, revision date, team."""
    ours = {
        "PO-Revision-Date": _now(),
        "Language": locale,
        "Language-Team": f"{locale} <LL@li.org>",
        "Plural-Forms": plural_forms(locale),
    }
    if template.header is None:
        template = _babel_template()
    fields = {}
    for key, value in template.header_fields().items():
        if key in ("Language", "Plural-Forms"):
            continue
        fields[key] = ours.get(key, value)
        if key in _FOLLOWED_BY:  # where Babel writes them
            fields[_FOLLOWED_BY[key]] = ours[_FOLLOWED_BY[key]]
    for key, value in ours.items():
        fields.setdefault(key, value)
    msgstr = "".join(f"{key}: {value}\n" for key, value in fields.items())
    return Entry("", msgstr, comments=header_comments(template, locale), line=1)


def _babel_template() -> PoFile:
    """An empty template with the header Babel gives one that has none (as pybabel init does)."""
    import io

    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    buffer = io.BytesIO()
    write_po(buffer, Catalog(fuzzy=True))
    return po_format.parse(buffer.getvalue(), "<babel>")


def header_comments(template: PoFile, locale: str) -> list:
    """The template's header comment made the locale's ("Translations template for" → "German translations for")."""
    from babel import Locale

    name = PSEUDO_LOCALES[locale].description if locale in PSEUDO_LOCALES else Locale.parse(locale).english_name
    comments = list(template.header.comments) if template.header else []
    if comments and comments[0].startswith(" Translations template for"):
        comments[0] = comments[0].replace(" Translations template for", f" {name} translations for", 1)
    return comments


def init(config, locale: str, domain, width=...) -> Path:
    """A new catalog for ``locale`` from the domain's template; refuses to overwrite one."""
    width = config.output.width if width is ... else width
    return init_file(domain.pot, po_path(config, locale, domain.name), locale, width, config.catalogs)


def init_file(template_path, path, locale: str, width: int | None = 76, lock=None) -> Path:
    """A new catalog at ``path`` for ``locale`` from the template; refuses to overwrite one."""
    path = Path(path)
    if path.exists():
        raise InputError("catalog exists already; use `i18n-tool update`", path=str(path))
    template = read_template_file(template_path)
    nplurals = int(plural_forms(locale).split(";")[0].split("=")[1])
    entries = [_untranslated(entry, nplurals) for entry in template.active]
    catalog = PoFile(str(path), new_header(template, locale), entries)
    with locked(lock or lock_folder(path)):
        atomic_write(path, po_format.write(catalog, width))
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


@dataclass(frozen=True)
class UpdateOptions:
    """How ``update`` merges and writes; the defaults are i18n-tool's, pybabel's differ where said."""

    fuzzy_matching: bool = True
    previous: bool = True  # keep the #| previous strings (pybabel: only with --previous)
    init_missing: bool = True  # create a missing catalog (pybabel: only with --init-missing)
    ignore_obsolete: bool = False  # drop the #~ entries
    omit_header: bool = False
    update_header_comment: bool = False  # take the template's header comment
    ignore_pot_creation_date: bool = False  # keep the catalog's POT-Creation-Date
    check: bool = False  # write nothing: the result says whether the file would change
    width: int | None = 76


def update(config, locale: str, domain, fuzzy_matching: bool = True, options: UpdateOptions | None = None):
    """Merge the domain's template into the locale's catalog (creating it when missing)."""
    if options is None:
        options = UpdateOptions(fuzzy_matching=fuzzy_matching, width=config.output.width)
    return update_file(domain.pot, po_path(config, locale, domain.name), locale, options, config.catalogs)


def update_file(template_path, path, locale: str, options: UpdateOptions = UpdateOptions(), lock=None):
    """Merge the template into the catalog at ``path``: an :class:`UpdateResult`."""
    path = Path(path)
    lock = lock or lock_folder(path)
    if not path.exists():
        if not options.init_missing:
            raise InputError("no catalog: create it with `i18n-tool init`, or give --init-missing", path=str(path))
        if options.check:
            return UpdateResult(path, created=True, changed=True)
        return UpdateResult(init_file(template_path, path, locale, options.width, lock), created=True, changed=True)
    template = read_template_file(template_path)
    with locked(lock):
        data = path.read_bytes()
        catalog = po_format.parse(data, str(path))
        merged = merge(catalog, template, nplurals_of(catalog, locale), options.fuzzy_matching)
        new = po_format.write(_as_asked(merged, catalog, template, locale, options), options.width)
        if new != data and not options.check:
            atomic_write(path, new)
    return UpdateResult(path, changed=new != data, counts=merge_stats(catalog, merged))


def _as_asked(merged: PoFile, old: PoFile, template: PoFile, locale: str, options: UpdateOptions) -> PoFile:
    """The merged catalog with the options that change what is written applied."""
    header = merged.header
    if options.ignore_pot_creation_date:
        header = old.header
    if options.update_header_comment and header is not None:
        header = replace(header, comments=header_comments(template, locale))
    entries = [entry for entry in merged.entries if not (options.ignore_obsolete and entry.obsolete)]
    if not options.previous:
        entries = [replace(entry, previous_msgctxt=None, previous_msgid=None, previous_msgid_plural=None)
                   for entry in entries]
    return PoFile(merged.path, None if options.omit_header else header, entries)


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
