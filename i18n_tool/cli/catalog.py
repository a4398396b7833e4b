"""``init``, ``update``, ``compile`` and ``stats`` over the configured catalogs."""

import json
import os
from pathlib import Path

import click

from i18n_tool.cli.base import cli, load_config, say, version_option
from i18n_tool.errors import InputError

locale_option = click.option("-l", "--locale", "locales", multiple=True,
                             help="Only this locale (repeatable; default: every configured locale).")


def _locales(config, chosen):
    return list(chosen) or list(config.locales)


@cli.command("init")
@click.option("-l", "--locale", required=True, help="The new catalog's locale, e.g. pt_BR.")
@version_option
@click.pass_context
def init_command(ctx, locale):
    """Create a catalog for a new locale from each domain's .pot."""
    from babel import Locale, UnknownLocaleError

    from i18n_tool.catalog.lifecycle import init

    try:
        Locale.parse(locale.replace("-", "_"))
    except (ValueError, UnknownLocaleError) as exc:
        raise InputError(f"unknown locale {locale!r}: {exc}") from exc
    config = load_config(ctx)
    for domain in config.domains.values():
        say(ctx, f"created {os.path.relpath(init(config, locale.replace('-', '_'), domain))}")


@cli.command("update")
@locale_option
@version_option
@click.pass_context
def update_command(ctx, locales):
    """Merge each domain's .pot into its catalogs (missing catalogs are created)."""
    from i18n_tool.catalog.lifecycle import update

    config = load_config(ctx)
    for locale in _locales(config, locales):
        for domain in config.domains.values():
            path, changed = update(config, locale, domain)
            say(ctx, f"{os.path.relpath(path)}: {'updated' if changed else 'unchanged'}")


@cli.command("compile")
@click.argument("po_files", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@locale_option
@version_option
@click.pass_context
def compile_command(ctx, po_files, locales):
    """Write a .mo beside each .po (fuzzy and untranslated messages are left out)."""
    from i18n_tool.catalog.lifecycle import compile_po, po_path

    if not po_files:
        config = load_config(ctx)
        po_files = [po_path(config, locale, domain.name)
                    for locale in _locales(config, locales) for domain in config.domains.values()]
    for path in po_files:
        say(ctx, f"compiled {os.path.relpath(compile_po(Path(path)))}")


@cli.command("stats")
@locale_option
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@version_option
@click.pass_context
def stats_command(ctx, locales, fmt):
    """Translated, fuzzy, untranslated and obsolete messages per locale and domain."""
    from i18n_tool.catalog.lifecycle import stats

    config = load_config(ctx)
    rows = [stats(config, locale, domain)
            for locale in _locales(config, locales) for domain in config.domains.values()]
    if fmt == "json":
        click.echo(json.dumps([dict(vars(row), percent=round(row.percent, 1)) for row in rows], indent=2))
        return
    _print_table(rows)


def _print_table(rows):
    from rich.console import Console
    from rich.table import Table

    table = Table(title="Catalogs")
    for heading in ("locale", "domain", "translated", "fuzzy", "untranslated", "obsolete", "%"):
        table.add_column(heading, justify="left" if heading in ("locale", "domain") else "right")
    for row in rows:
        table.add_row(row.locale, row.domain, str(row.translated), str(row.fuzzy),
                      str(row.untranslated), str(row.obsolete), f"{row.percent:.1f}")
    Console().print(table)
