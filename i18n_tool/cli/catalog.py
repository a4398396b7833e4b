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

domain_option = click.option("-D", "--domain",
                             help="pybabel's domain (default 'messages'); with a configuration: only this domain.")
input_option = click.option("-i", "--input-file", type=click.Path(dir_okay=False, path_type=Path),
                            help="pybabel's input: the .pot (init, update) or the .po (compile); no configuration needed.")
directory_option = click.option("-d", "--output-dir", "--directory", "directory",
                                type=click.Path(file_okay=False, path_type=Path),
                                help="Catalogs folder, as <dir>/<locale>/LC_MESSAGES/<domain>.po (pybabel-style).")
width_options = (
    click.option("-w", "--width", type=click.IntRange(min=1), help="Line width (default 76, or the configuration's)."),
    click.option("--no-wrap", is_flag=True, help="Do not wrap long lines."),
)


def _options(*decorators):
    def apply(function):
        for decorator in reversed(decorators):
            function = decorator(function)
        return function
    return apply


def _normal(locale: str) -> str:
    from i18n_tool.locales import LocaleError, parse_locale

    try:
        return parse_locale(locale)
    except LocaleError as exc:
        raise InputError(f"unknown locale {locale!r}: {exc}") from None


def _locales(config, chosen):
    return [_normal(locale) for locale in chosen] or list(config.locales)


def _cache(ctx, command, configuration, no_cache):
    """The run's CatalogCache in .i18n-tool-cache/ beside the config (else here), or None."""
    if no_cache:
        return None
    from i18n_tool.catalog_cache import DEFAULT_DIR, CatalogCache
    from i18n_tool.config.project import find_config

    path = ctx.obj["config_path"] or find_config(Path.cwd())  # found as load_config finds it
    root = path.absolute().parent if path else Path.cwd()
    return CatalogCache(root / DEFAULT_DIR, command, configuration)


def _catalog_paths(ctx, po_files, locales, domains=()):
    """Explicit files, or the configured catalogs (with locale-missing findings), of ``domains`` if given."""
    if po_files:
        return list(po_files), []
    from i18n_tool.catalog.lifecycle import configured_catalogs

    config = load_config(ctx)
    _domains(config, domains)  # unknown ones are an error
    paths, missing = configured_catalogs(config, [_normal(locale) for locale in locales])
    if domains:
        paths = [path for path in paths if Path(path).stem in domains]
        missing = [finding for finding in missing if Path(finding.path).stem in domains]
    return paths, missing


def _width(opts, default):
    if opts["no_wrap"] and opts["width"]:
        raise InputError("--no-wrap and --width are mutually exclusive")
    return None if opts["no_wrap"] else opts["width"] or default


def _domains(config, wanted):
    """The configured domains, or the ``-D`` ones of them."""
    if not wanted:
        return list(config.domains.values())
    unknown = [name for name in wanted if name not in config.domains]
    if unknown:
        raise InputError(f"no domain {unknown[0]!r} in the configuration", hint=f"domains: {', '.join(config.domains)}")
    return [config.domains[name] for name in wanted]


@cli.command("init")
@click.option("-l", "--locale", help="The new catalog's locale, e.g. pt_BR.")
@domain_option
@input_option
@directory_option
@click.option("-o", "--output-file", type=click.Path(dir_okay=False, path_type=Path),
              help="The catalog to create (default <dir>/<locale>/LC_MESSAGES/<domain>.po).")
@_options(*width_options)
@version_option
@click.pass_context
def init_command(ctx, locale, domain, input_file, directory, output_file, **opts):
    """Create a catalog for a new locale from each domain's .pot.

    With -i and -d or -o it works like `pybabel init`, without a configuration.
    """
    from i18n_tool.catalog import tree
    from i18n_tool.catalog.lifecycle import init, init_file

    if not locale:
        raise InputError("give the new catalog's locale with -l")
    if input_file or directory or output_file:
        if not input_file:
            raise InputError("you must specify the input file (-i)")
        path = tree.init_target(domain, locale, directory, output_file)
        created = init_file(input_file, path, _normal(locale), _width(opts, 76), directory)
        say(ctx, f"created {os.path.relpath(created)}")
        return
    config = load_config(ctx)
    for each in _domains(config, [domain] if domain else []):
        say(ctx, f"created {os.path.relpath(init(config, _normal(locale), each, _width(opts, config.output.width)))}")


@cli.command("update")
@locale_option
@domain_option
@input_option
@directory_option
@click.option("-o", "--output-file", type=click.Path(dir_okay=False, path_type=Path),
              help="The catalog to update (with -l; default <dir>/<locale>/LC_MESSAGES/<domain>.po).")
@click.option("--omit-header", is_flag=True, help='Leave out the msgid "" header entry.')
@_options(*width_options)
@click.option("--ignore-obsolete", is_flag=True, help="Drop obsolete (#~) messages.")
@click.option("--init-missing", is_flag=True,
              help="Create missing catalogs (always done with a configuration; pybabel-style needs -l).")
@click.option("-N", "--no-fuzzy-matching", is_flag=True, help="Do not guess translations for new messages.")
@click.option("--update-header-comment", is_flag=True, help="Take the template's header comment.")
@click.option("--previous", is_flag=True,
              help="Keep the previous msgids (#|) of fuzzy messages (always done with a configuration).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if a catalog would change.")
@click.option("--ignore-pot-creation-date", is_flag=True, help="Keep the catalogs' POT-Creation-Date.")
@version_option
@click.pass_context
def update_command(ctx, locales, domain, input_file, directory, output_file, **opts):
    """Merge each domain's .pot into its catalogs, like msgmerge (missing catalogs are created).

    Changed messages become fuzzy with the previous msgid kept (#|); removed ones become
    obsolete (#~) and come back, fuzzy, when their msgid returns. With -i and -d or -o it
    works like `pybabel update`, without a configuration.
    """
    from i18n_tool.catalog.lifecycle import update, update_file

    if input_file or directory or output_file:
        jobs = _pybabel_updates(locales, domain, input_file, directory, output_file, opts)
        results = [update_file(input_file, path, locale, options, directory) for path, locale, options in jobs]
    else:
        config = load_config(ctx)
        options = _update_options(opts, True, True, _width(opts, config.output.width))
        results = [update(config, locale, each, options=options)
                   for locale in _locales(config, locales) for each in _domains(config, [domain] if domain else [])]
    for result in results:
        _say_update(ctx, result, opts["check"])
    ctx.exit(1 if opts["check"] and any(result.changed for result in results) else 0)


def _update_options(opts, previous, init_missing, width):
    from i18n_tool.catalog.lifecycle import UpdateOptions

    return UpdateOptions(
        fuzzy_matching=not opts["no_fuzzy_matching"], previous=previous, init_missing=init_missing,
        ignore_obsolete=opts["ignore_obsolete"], omit_header=opts["omit_header"],
        update_header_comment=opts["update_header_comment"],
        ignore_pot_creation_date=opts["ignore_pot_creation_date"], check=opts["check"], width=width,
    )


def _pybabel_updates(locales, domain, input_file, directory, output_file, opts) -> list:
    """(catalog, locale, options) for each catalog pybabel's options name."""
    from i18n_tool.catalog import tree

    if not input_file:
        raise InputError("you must specify the input file (-i)")
    if opts["init_missing"] and not locales:
        raise InputError("you must specify the locale (-l) for --init-missing to work")
    previous = opts["previous"] and not opts["no_fuzzy_matching"]  # as pybabel
    options = _update_options(opts, previous, opts["init_missing"], _width(opts, 76))
    return [(target.po, _normal(target.locale), options)
            for target in tree.update_targets(domain, locales, directory, output_file)]


def _say_update(ctx, result, check):
    path = os.path.relpath(result.path)
    if check:
        say(ctx, f"{path}: {'out of date' if result.changed else 'up to date'}")
        return
    counts = ", ".join(f"{value} {key}" for key, value in (result.counts or {}).items() if value)
    state = "created" if result.created else "updated" if result.changed else "unchanged"
    say(ctx, f"{path}: {state}" + (f" ({counts})" if counts else ""))


@cli.command("compile")
@po_files_argument
@locale_option
@click.option("-D", "--domain", "domain",
              help="pybabel's domains, space-separated (default 'messages'); with a configuration: only these.")
@directory_option
@input_option
@click.option("-o", "--output-file", type=click.Path(dir_okay=False, path_type=Path),
              help="The .mo to write, with -i (default beside the .po).")
@click.option("-f", "--use-fuzzy", is_flag=True, help="Compile fuzzy messages too.")
@click.option("--statistics", is_flag=True, help="Print how many messages each catalog translates.")
@click.option("--force", is_flag=True, help="Write the .mo even when the catalog has errors.")
@jobs_option
@no_cache_option
@version_option
@click.pass_context
def compile_command(ctx, po_files, locales, domain, directory, input_file, output_file, use_fuzzy, statistics,
                    force, jobs, no_cache):
    """Write a .mo beside each .po, byte-identical to GNU msgfmt's.

    Fuzzy and untranslated messages are left out. A catalog with errors (see `check`) is
    not compiled, and the command exits 1, unless --force. With -d or -i it works like
    `pybabel compile`, without a configuration (-d without -l: every locale found).
    """
    from i18n_tool.catalog.compiling import compile_files

    domains = domain.split() if domain else []
    if directory or input_file or output_file:
        if po_files:
            raise InputError("give .po files as arguments, or pybabel's -d/-i, not both")
        paths, outputs, missing = _pybabel_compiles(ctx, domains, locales, directory, input_file, output_file,
                                                    use_fuzzy)
    else:
        paths, missing = _catalog_paths(ctx, po_files, locales, domains)
        outputs = None
    echo_findings(ctx, missing)
    if statistics:
        for path in paths:
            _say_statistics(ctx, path)
    worst = 1 if missing else 0
    cache = _cache(ctx, "compile", {"force": force}, no_cache)
    for result in compile_files(paths, force, jobs, cache, use_fuzzy, outputs):
        errors = [f for f in result.findings if f.severity == "error"]
        echo_findings(ctx, errors)
        if result.mo:
            say(ctx, f"compiled {os.path.relpath(result.mo)}")
        else:
            say(ctx, f"{os.path.relpath(result.path)}: not compiled: {len(errors)} error(s)")
        syntax = any(f.code == "po-syntax" for f in errors)
        worst = max(worst, 2 if syntax else 1 if errors and not result.mo else 0)
    ctx.exit(worst)


def _pybabel_compiles(ctx, domains, locales, directory, input_file, output_file, use_fuzzy):
    """(paths, {path: mo}, []) of the catalogs pybabel's options name; fuzzy ones are skipped, as pybabel does."""
    from i18n_tool.catalog import tree

    targets = tree.compile_targets(domains, locales, directory, input_file, output_file)
    if not use_fuzzy:
        targets, skipped = tree.without_fuzzy_catalogs(targets)
        for target in skipped:
            say(ctx, f"{os.path.relpath(target.po)}: catalog is marked as fuzzy, skipping (compile it with -f)")
    return [target.po for target in targets], {target.po: target.mo for target in targets if target.mo}, []


def _say_statistics(ctx, path):
    """pybabel's line: ``N of M messages (P%) translated in PATH``."""
    from i18n_tool.catalog import po as po_format
    from i18n_tool.catalog.lifecycle import stats

    try:
        counts = stats(po_format.parse_file(path), "", "")
    except InputError:
        return  # compile reports it
    percent = counts.translated * 100 // counts.total if counts.total else 0
    say(ctx, f"{counts.translated} of {counts.total} messages ({percent}%) translated in {path}")


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
