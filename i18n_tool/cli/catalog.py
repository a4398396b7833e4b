"""``init``, ``update``, ``compile``, ``check``, ``stats`` and ``pseudo`` over the catalogs."""

import json
import os
from pathlib import Path

import click

from i18n_tool.cli.base import cli, echo_findings, load_config, say, version_option
from i18n_tool.errors import InputError
from i18n_tool.reporters import FORMATS

locale_option = click.option("-l", "--locale", "locales", multiple=True,
                             help="Only this locale (repeatable; default: every configured locale).")
jobs_option = click.option("-j", "--jobs", type=click.IntRange(min=1),
                           help="Worker processes (default: one per core).")
no_cache_option = click.option("--no-cache", is_flag=True,
                               help="Do every catalog again (default: reuse the results of those unchanged since the last "
                                    "run, kept in .i18n-tool-cache/).")
po_files_argument = click.argument("po_files", nargs=-1,
                                   type=click.Path(exists=True, dir_okay=False, path_type=Path))


def _normal(locale: str) -> str:
    from babel import Locale, UnknownLocaleError

    from i18n_tool.pseudo import PSEUDO_LOCALES

    name = locale.replace("-", "_")
    if name in PSEUDO_LOCALES:
        return name
    try:
        return str(Locale.parse(name))
    except (ValueError, UnknownLocaleError) as exc:
        raise InputError(f"unknown locale {locale!r}: {exc}") from None


def _locales(config, chosen):
    return [_normal(locale) for locale in chosen] or list(config.locales)


def _cache(ctx, command, configuration, no_cache):
    """The run's CatalogCache in .i18n-tool-cache/ beside the config (else here), or None."""
    if no_cache:
        return None
    from i18n_tool.catalog_cache import DEFAULT_DIR, CatalogCache
    from i18n_tool.config import find_config

    path = ctx.obj["config_path"] or find_config(Path.cwd())  # found as load_config finds it
    root = path.absolute().parent if path else Path.cwd()
    return CatalogCache(root / DEFAULT_DIR, command, configuration)


def _catalog_paths(ctx, po_files, locales):
    """Explicit files, or the configured catalogs (with locale-missing findings)."""
    if po_files:
        return list(po_files), []
    from i18n_tool.catalog.lifecycle import configured_catalogs

    config = load_config(ctx)
    return configured_catalogs(config, [_normal(locale) for locale in locales])


@cli.command("init")
@click.option("-l", "--locale", required=True, help="The new catalog's locale, e.g. pt_BR.")
@version_option
@click.pass_context
def init_command(ctx, locale):
    """Create a catalog for a new locale from each domain's .pot."""
    from i18n_tool.catalog.lifecycle import init

    config = load_config(ctx)
    for domain in config.domains.values():
        say(ctx, f"created {os.path.relpath(init(config, _normal(locale), domain))}")


@cli.command("update")
@locale_option
@click.option("--no-fuzzy-matching", is_flag=True, help="Do not guess translations for new messages.")
@version_option
@click.pass_context
def update_command(ctx, locales, no_fuzzy_matching):
    """Merge each domain's .pot into its catalogs, like msgmerge (missing catalogs are created).

    Changed messages become fuzzy with the previous msgid kept (#|); removed ones become
    obsolete (#~) and come back, fuzzy, when their msgid returns.
    """
    from i18n_tool.catalog.lifecycle import update

    config = load_config(ctx)
    for locale in _locales(config, locales):
        for domain in config.domains.values():
            result = update(config, locale, domain, fuzzy_matching=not no_fuzzy_matching)
            counts = ", ".join(f"{value} {key}" for key, value in (result.counts or {}).items() if value)
            state = "created" if result.created else "updated" if result.changed else "unchanged"
            say(ctx, f"{os.path.relpath(result.path)}: {state}" + (f" ({counts})" if counts else ""))


@cli.command("compile")
@po_files_argument
@locale_option
@click.option("--force", is_flag=True, help="Write the .mo even when the catalog has errors.")
@jobs_option
@no_cache_option
@version_option
@click.pass_context
def compile_command(ctx, po_files, locales, force, jobs, no_cache):
    """Write a .mo beside each .po, byte-identical to GNU msgfmt's.

    Fuzzy and untranslated messages are left out. A catalog with errors (see `check`) is
    not compiled, and the command exits 1, unless --force.
    """
    from i18n_tool.catalog.compiling import compile_files

    paths, missing = _catalog_paths(ctx, po_files, locales)
    echo_findings(ctx, missing)
    worst = 1 if missing else 0
    cache = _cache(ctx, "compile", {"force": force}, no_cache)
    for result in compile_files(paths, force, jobs, cache):
        errors = [f for f in result.findings if f.severity == "error"]
        echo_findings(ctx, errors)
        if result.mo:
            say(ctx, f"compiled {os.path.relpath(result.mo)}")
        else:
            say(ctx, f"{os.path.relpath(result.path)}: not compiled: {len(errors)} error(s)")
        syntax = any(f.code == "po-syntax" for f in errors)
        worst = max(worst, 2 if syntax else 1 if errors and not result.mo else 0)
    ctx.exit(worst)


@cli.command("check")
@po_files_argument
@locale_option
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default="text", help="Report format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to FILE (default: standard output).")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@jobs_option
@no_cache_option
@version_option
@click.pass_context
def check_command(ctx, po_files, locales, fmt, output, strict, jobs, no_cache):
    """Check catalogs for what breaks or endangers a page (placeholders, HTML, plurals, headers,
    coverage). Exit 0 clean, 1 errors (or warnings with --strict), 2 unusable input."""
    from i18n_tool.checks.batch import check_files
    from i18n_tool.files import atomic_write

    config = load_config(ctx)
    paths, missing = _catalog_paths(ctx, po_files, locales)
    cache = _cache(ctx, "check", config.checks, no_cache)
    results = check_files(paths, config.checks, jobs, cache)
    findings = missing + [finding for result in results for finding in result.findings]
    summary = _summary(results, findings)
    report = _render(cache, paths, missing, findings, fmt, summary)
    if output:
        atomic_write(output, report.encode("utf-8"))
    else:
        click.echo(report, nl=not report.endswith("\n"))
    if any(f.code == "po-syntax" for f in findings):
        ctx.exit(2)
    ctx.exit(1 if summary["errors"] or (strict and summary["warnings"]) else 0)


def _render(cache, paths, missing, findings, fmt, summary) -> str:
    """The report; the last run's when it had the same catalogs (by content) and findings."""
    key = cache.run_key(paths, fmt, repr(missing)) if cache else None
    report = cache.recall("report", key) if cache else None
    if report is None:
        from i18n_tool.reporters import render

        report = render(findings, fmt, summary)
        if cache:
            cache.remember("report", key, report)
            cache.save()
    return report


def _summary(results, findings) -> dict:
    return {
        "catalogs": [result.path for result in results],
        "errors": sum(f.severity == "error" for f in findings),
        "warnings": sum(f.severity == "warning" for f in findings),
        "by_code": {code: sum(f.code == code for f in findings) for code in sorted({f.code for f in findings})},
    }


@cli.command("stats")
@locale_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@version_option
@click.pass_context
def stats_command(ctx, locales, fmt):
    """Translated, fuzzy, untranslated and obsolete messages and words per locale and domain."""
    from i18n_tool.catalog import po as po_format
    from i18n_tool.catalog.lifecycle import po_path, stats

    config = load_config(ctx)
    rows = []
    for locale in _locales(config, locales) + ([] if locales else list(config.pseudo_locales)):
        for domain in config.domains.values():
            path = po_path(config, locale, domain.name)
            if not path.exists():
                raise InputError(f"no catalog for {locale}: run `i18n-tool update -l {locale}`", path=str(path))
            rows.append(stats(po_format.parse_file(path), locale, domain.name))
    if fmt == "json":
        click.echo(json.dumps([dict(vars(row), percent=round(row.percent, 1)) for row in rows], indent=2))
    else:
        _print_table(rows)


def _print_table(rows):
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Catalogs")
    headings = ("locale", "domain", "translated", "fuzzy", "untranslated", "obsolete", "%", "words")
    for heading in headings:
        table.add_column(heading, justify="left" if heading in ("locale", "domain") else "right")
    for row in rows:
        table.add_row(row.locale, row.domain, str(row.translated), str(row.fuzzy), str(row.untranslated),
                      str(row.obsolete), f"{row.percent:.1f}", f"{row.translated_words}/{row.words}")
    Console().print(table)


@cli.command("pseudo")
@click.option("-l", "--locale", "names", multiple=True,
              help="Pseudo-locale to build: en_XA (accented, longer) or ar_XB (right-to-left); "
                   "default: those configured in pseudo-locales, else both.")
@version_option
@click.pass_context
def pseudo_command(ctx, names):
    """Build pseudo-locale catalogs from each domain's .pot (then compile them as usual)."""
    from i18n_tool.catalog.lifecycle import build_pseudo
    from i18n_tool.pseudo import PSEUDO_LOCALES

    config = load_config(ctx)
    for name in names or config.pseudo_locales or tuple(PSEUDO_LOCALES):
        if name not in PSEUDO_LOCALES:
            raise InputError(f"unknown pseudo-locale {name!r}", hint=f"choose from {', '.join(PSEUDO_LOCALES)}")
        for domain in config.domains.values():
            path, changed = build_pseudo(config, name, domain)
            say(ctx, f"{os.path.relpath(path)}: {'written' if changed else 'unchanged'}")
