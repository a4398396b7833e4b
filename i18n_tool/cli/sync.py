"""``i18n-tool push`` / ``pull`` / ``txconfig``: catalogs to and from Transifex."""

from pathlib import Path

import click

from i18n_tool.cli.base import cli, load_config, progress_bar, require_extra, say, version_option
from i18n_tool.errors import InputError
from i18n_tool.sync import MODES

tx_config_option = click.option(
    "--tx-config", "tx_path", type=click.Path(dir_okay=False, path_type=Path),
    help="The Transifex client's config (default: .tx/config beside the project's configuration).")
resource_option = click.option("-r", "--resource", "resources", multiple=True,
                               help="Only this resource (its slug or o:…:p:…:r:… id); repeatable.")
dry_run_option = click.option("--dry-run", is_flag=True, help="Show what would be done; change nothing.")
timeout_option = click.option("--timeout", type=click.FloatRange(0.1, 600), default=30.0, show_default=True,
                              help="Seconds to wait for each answer from Transifex (then retry).")
retries_option = click.option("--retries", type=click.IntRange(0, 20), default=5, show_default=True,
                              help="Retries of a request that timed out or got 429 or 5xx (backing off).")
poll_option = click.option("--poll-interval", type=click.FloatRange(0, 60), default=2.0, show_default=True,
                           help="Seconds between polls of Transifex's upload and download jobs.")
workers_option = click.option("--workers", type=click.IntRange(1, 32), default=5, show_default=True,
                              help="Locales transferred in parallel.")


def _setup(ctx, tx_path, resources, timeout, retries):
    """(config, .tx/config, the resources asked for, API client, state)."""
    from i18n_tool.sync.client import Client
    from i18n_tool.sync.credentials import find_credentials
    from i18n_tool.sync.state import STATE_NAME, State
    from i18n_tool.sync.txconfig import read_txconfig

    config = load_config(ctx)
    tx_path = tx_path or config.root / ".tx" / "config"
    if not tx_path.exists():
        raise InputError("no Transifex config", path=str(tx_path),
                         hint="write one with `i18n-tool txconfig --organization ORG --project PROJECT`")
    tx = read_txconfig(tx_path)
    chosen = [r for r in tx.resources if not resources or r.slug in resources or r.id in resources]
    if not chosen:
        raise InputError(f"no resource {', '.join(resources)} in {tx_path}")
    credentials = find_credentials(tx.host, project_root=tx.root)
    for warning in credentials.warnings:
        click.echo(f"warning: {warning}", err=True)
    client = Client(credentials.rest_hostname, credentials.token, timeout=timeout, retries=retries)
    return config, tx, chosen, client, State.load(tx_path.parent / STATE_NAME)


def _locales(config, locales):
    return tuple(locales) or tuple(config.locales)


@cli.command("push")
@tx_config_option
@resource_option
@click.option("--translations", is_flag=True, help="Push the local translations too.")
@click.option("--allow-removals", is_flag=True,
              help="Let the upload delete remote strings the template lacks (and their translations).")
@click.option("--force", is_flag=True, help="Push translations even where translators changed them since the last pull.")
@click.option("-l", "--locale", "locales", multiple=True, help="With --translations: only these locales.")
@dry_run_option
@timeout_option
@retries_option
@poll_option
@version_option
@click.pass_context
def push_command(ctx, tx_path, resources, translations, allow_removals, force, locales, dry_run, timeout, retries,
                 poll_interval):
    """Upload the source template (and with --translations the catalogs) to Transifex.
    Exit 0 done, 1 refused (removals) or conflicts, 2 unusable input or Transifex unreachable."""
    require_extra("transifex")
    from i18n_tool.sync.push import PushOptions, push

    config, tx, chosen, client, state = _setup(ctx, tx_path, resources, timeout, retries)
    options = PushOptions(translations, allow_removals, force, dry_run, poll_interval)
    failed = False
    for resource in chosen:
        report = push(client, resource, state, options, _locales(config, locales))
        failed |= report.fails
        _say_push(ctx, report, dry_run)
    if not dry_run:
        state.save()
    ctx.exit(1 if failed else 0)


def _list_messages(msgids, shown: int = 20):
    for msgid in msgids[:shown]:
        click.echo(f"  - {msgid}", err=True)
    if len(msgids) > shown:
        click.echo(f"  … and {len(msgids) - shown} more", err=True)


def _say_push(ctx, report, dry_run):
    verb = "would" if dry_run or report.refused else "will"
    if report.created_resource:
        say(ctx, f"{report.resource}: not on Transifex yet: it {verb} be created")
    say(ctx, f"{report.resource}: {len(report.added)} new string(s), {len(report.removed)} to remove")
    _list_messages(report.removed)
    if report.refused:
        click.echo(f"error: {report.resource}: pushing would delete {len(report.removed)} string(s) and all their "
                   "translations on Transifex: not pushed (check the template, or push --allow-removals)", err=True)
    elif report.uploaded:
        details = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in sorted(report.details.items()))
        say(ctx, f"{report.resource}: source uploaded" + (f" ({details})" if details else ""))
    for _locale, status, message in report.locales:
        if status in ("conflict", "failed"):
            click.echo(f"error: {message}", err=True)
        else:
            say(ctx, message)


@cli.command("pull")
@tx_config_option
@resource_option
@click.option("-l", "--locale", "locales", multiple=True, help="Only these locales (default: the configured ones).")
@click.option("--mode", type=click.Choice(MODES), default="default", show_default=True,
              help="Which translations Transifex sends.")
@click.option("--minimum-perc", type=click.FloatRange(0, 100),
              help="Skip locales less translated than this (default: minimum_perc in .tx/config).")
@click.option("--force", is_flag=True, help="Overwrite local translations not pushed yet.")
@dry_run_option
@workers_option
@timeout_option
@retries_option
@poll_option
@version_option
@click.pass_context
def pull_command(ctx, tx_path, resources, locales, mode, minimum_perc, force, dry_run, workers, timeout, retries,
                 poll_interval):
    """Download translations from Transifex into the catalogs. Exit 0 done, 1 a required locale
    missing or below the minimum, a rejected download or a conflict, 2 unusable input."""
    require_extra("transifex")
    from i18n_tool.sync.pull import PullOptions, Puller

    config, tx, chosen, client, state = _setup(ctx, tx_path, resources, timeout, retries)
    options = PullOptions(mode, minimum_perc, force, dry_run, workers, poll_interval)
    outcomes = []
    for resource in chosen:
        puller = Puller(client, resource, state, options, tx.root, config.checks.required_locales)
        with progress_bar(ctx, f"pulling {resource.slug}") as progress:
            outcomes += puller.run(_locales(config, locales), progress)
    for outcome in outcomes:
        if outcome.fails:
            click.echo(f"error: {outcome.line()}", err=True)
            _list_messages(outcome.conflicts)
        else:
            say(ctx, ("would be " if dry_run else "") + outcome.line())
    if not dry_run:
        state.save()
    ctx.exit(1 if any(o.fails for o in outcomes) else 0)


@cli.command("txconfig")
@tx_config_option
@click.option("--organization", required=True, help="The organization's slug on Transifex.")
@click.option("--project", required=True, help="The project's slug on Transifex.")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@version_option
@click.pass_context
def txconfig_command(ctx, tx_path, organization, project, force):
    """Write .tx/config for the configured domains, as the official Transifex client reads it."""
    from i18n_tool.sync.txconfig import render_txconfig, txconfig_from, write_txconfig

    config = load_config(ctx)
    tx_path = tx_path or config.root / ".tx" / "config"
    if tx_path.absolute() != (config.root / ".tx" / "config").absolute():
        raise InputError("--tx-config must be .tx/config beside the project's configuration when writing one",
                         path=str(tx_path), hint="the paths in it are relative to the project")
    tx = txconfig_from(config, organization, project)
    written = write_txconfig(tx_path, tx, overwrite=force)
    say(ctx, f"wrote {tx_path}" if written is not None else f"{tx_path} is up to date")
    if not ctx.obj["quiet"]:
        click.echo(render_txconfig(tx), nl=False)
