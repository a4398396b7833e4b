"""The ``companion`` command: database migrations, demo data, and a local server.

    companion db upgrade [REVISION]     migrate the database (DATABASE_URL) to REVISION (head)
    companion db downgrade REVISION     migrate it back, e.g. to ``base``
    companion seed                      add the demo users and projects (once; a rerun adds nothing)
    companion serve [--host] [--port]   serve the app with waitress
    companion events chain                     chain the committed events not chained yet
    companion events verify [--against FILE]   chain, then walk the events' hash chain (exit 1 at a break)
    companion events head [--export FILE]      chain, then print the chain's head (and append it to FILE)
    companion events prune --older-than DAYS   remove old events, leaving an anchor
    companion role add|change|remove USER PROJECT [--role R] [--admin NAME]   manage maintainers
    companion token create USER [--project NAME]... [--expires DAYS] [--description TEXT]
                                        a new API token, printed once on stdout (all else on stderr)
    companion token revoke TOKEN_ID     revoke an API token
    companion token list USER [--all] [--format text|json]   a user's tokens (never the token itself)

Errors are one line on stderr and exit 2 (see ARCHITECTURE.md); ``--debug`` shows the traceback.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager

import click
import sqlalchemy as sa
from sqlalchemy.orm import Session

from companion import settings as app_settings


class CompanionError(click.ClickException):
    exit_code = 2

    def show(self, file=None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


def _fail(ctx: click.Context, message: str, exc: BaseException) -> None:
    if ctx.find_root().params.get("debug"):
        raise exc
    raise CompanionError(message) from exc


def _first_line(exc: BaseException) -> str:
    """Drivers' messages run over several lines (and SQLAlchemy adds a link): keep the first."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _redact(url: str) -> str:
    return sa.engine.make_url(url).render_as_string(hide_password=True)


@click.group()
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def main(debug: bool) -> None:
    """The companion package index."""


@main.group()
def db() -> None:
    """Database migrations (the database is DATABASE_URL's, or var/companion.sqlite3)."""


@db.command()
@click.argument("revision", default="head")
@click.pass_context
def upgrade(ctx: click.Context, revision: str) -> None:
    """Migrate the database up to REVISION (default: head)."""
    from companion import migrations

    url = app_settings.database_url()
    try:
        migrations.upgrade(url, revision)
    except Exception as exc:  # alembic and the drivers raise many kinds
        _fail(ctx, f"{_redact(url)}: cannot upgrade to {revision}: {_first_line(exc)}", exc)
    click.echo(f"{_redact(url)}: at {revision}")


@db.command()
@click.argument("revision")
@click.pass_context
def downgrade(ctx: click.Context, revision: str) -> None:
    """Migrate the database down to REVISION ("base" removes every table)."""
    from companion import migrations

    url = app_settings.database_url()
    try:
        migrations.downgrade(url, revision)
    except Exception as exc:
        _fail(ctx, f"{_redact(url)}: cannot downgrade to {revision}: {_first_line(exc)}", exc)
    click.echo(f"{_redact(url)}: at {revision}")


@main.command()
@click.pass_context
def seed(ctx: click.Context) -> None:
    """Add the demo users, projects, releases and files; running it again adds nothing."""
    from companion import migrations
    from companion import seed as seeding
    from companion.db import create_engine
    from companion.events.chainer import catch_up

    url = app_settings.database_url()
    engine = create_engine(url)
    try:
        try:
            if not migrations.is_current(engine):
                raise CompanionError(f"{_redact(url)}: the database is not migrated; run `companion db upgrade` first")
            with Session(engine) as session, session.begin():
                report = seeding.seed(session)
                totals = seeding.counts(session)
            catch_up(engine)
        except sa.exc.SQLAlchemyError as exc:
            _fail(ctx, f"{_redact(url)}: cannot seed: {_first_line(exc)}", exc)
    finally:
        engine.dispose()
    if report.total:
        click.echo(f"Seeded {report.users} users, {report.projects} projects, {report.roles} roles, "
                   f"{report.releases} releases and {report.files} files.")
    else:
        click.echo("Already seeded: nothing to add.")
    click.echo(f"The database holds {totals['users']} users and {totals['projects']} projects.")
    admins = [user.username for user in seeding.USERS if user.is_admin]
    others = [user.username for user in seeding.USERS if not user.is_admin]
    click.echo(f"Demo logins: {', '.join(admins)} (administrator), {', '.join(others)}; "
               f"password: {seeding.DEMO_PASSWORD} (public demo data, documented in companion/seed.py)")
    for user in seeding.USERS:
        if user.totp_secret:
            click.echo(f"Two-factor demo: {user.username} also asks for a code from an authenticator app with the "
                       f"key {user.totp_secret} (e.g. `oathtool --totp -b {user.totp_secret}`)")
        if user.security_key:
            click.echo(f"Security-key demo: {user.username} also has a key whose private half is public demo "
                       f"data (companion/mfa/demo_key.py), for a browser's virtual authenticator")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=6543, show_default=True, type=click.IntRange(0, 65535), help="Port.")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1), help="Worker threads.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, threads: int) -> None:
    """Serve the app with waitress until interrupted (var/ and catalogs/ are the working directory's)."""
    import logging

    import waitress
    from pyramid.exceptions import ConfigurationError

    from companion import main as make_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Security keys answer for the origin the browser shows: this machine's, unless configured.
    origin = {} if os.environ.get("WEBAUTHN_ORIGIN") else {"webauthn.origin": f"http://localhost:{port}"}
    catalogs = app_settings.catalogs_path()
    if not catalogs.is_dir():
        raise CompanionError(f"{catalogs}: no such directory; serve from the directory holding the compiled "
                             "catalogs/ (i18n-tool compile), or set COMPANION_CATALOGS")
    try:
        app = make_app(origin)
    except ConfigurationError as exc:
        _fail(ctx, f"cannot serve: {_first_line(exc)}", exc)
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Serving the companion app on http://{shown}:{port}/ (Ctrl+C to stop)")
    sys.stdout.flush()
    waitress.serve(app, host=host, port=port, threads=threads, ident="companion")


@main.group()
def events() -> None:
    """The security events' hash chain: chain and verify it, export its head, prune old events."""


@contextmanager
def _engine(ctx: click.Context):
    """The migrated database's engine; its errors are one line."""
    from companion import migrations
    from companion.db import create_engine

    url = app_settings.database_url()
    engine = create_engine(url)
    try:
        if not migrations.is_current(engine):
            raise CompanionError(f"{_redact(url)}: the database is not migrated; run `companion db upgrade` first")
        yield engine
    except sa.exc.SQLAlchemyError as exc:
        _fail(ctx, f"{_redact(url)}: {_first_line(exc)}", exc)
    finally:
        engine.dispose()


@contextmanager
def _session(ctx: click.Context):
    """One transaction; the events it recorded are chained once it has committed."""
    from companion.events.chainer import catch_up

    with _engine(ctx) as engine:
        with Session(engine) as session, session.begin():
            yield session
        catch_up(engine)


@events.command("chain")
@click.pass_context
def chain_command(ctx: click.Context) -> None:
    """Chain the committed events not chained yet (the app does it after each request; this
    catches up after a crash between a commit and its chaining)."""
    from companion.events.chainer import catch_up

    with _engine(ctx) as engine:
        chained = catch_up(engine)
    click.echo(f"chained {chained} events")


@events.command()
@click.option("--against", "against", type=click.Path(dir_okay=False, exists=True),
              help="A file of heads written by `events head --export`: each must still be in the chain.")
@click.pass_context
def verify(ctx: click.Context, against: str | None) -> None:
    """Chain what has committed, then check every event's hash and place; name the first broken
    link and exit 1."""
    from companion.events import chain, chainer

    exported = []
    if against:
        with open(against, encoding="utf-8") as handle:
            try:
                exported = chain.read_exported(handle, against)
            except ValueError as exc:
                raise CompanionError(str(exc)) from None
    with _engine(ctx) as engine:
        count, broken, pending = chainer.verified(engine, exported)
    if broken is not None:
        click.echo(f"broken: {broken} ({count} events verified before it)", err=True)
        ctx.exit(1)
    click.echo(f"ok: {count} events verified" + (f", {len(exported)} exported heads found" if exported else "")
               + (f"; {pending} committed since, not chained yet" if pending else ""))


@events.command()
@click.option("--export", "export", type=click.Path(dir_okay=False),
              help="Append the head (ID HASH TIME) to this file, e.g. from a cron job.")
@click.pass_context
def head(ctx: click.Context, export: str | None) -> None:
    """Chain what has committed, then print the chain's newest event: its id and hash."""
    from datetime import UTC, datetime

    from companion.events import chain
    from companion.events.chainer import catch_up

    with _engine(ctx) as engine:
        catch_up(engine)
        with Session(engine) as session:
            newest = chain.head(session)
    if newest is None:
        raise CompanionError("no events yet")
    click.echo(newest.line())
    if export:
        with open(export, "a", encoding="utf-8") as handle:
            handle.write(f"{newest.line()} {datetime.now(UTC).isoformat(timespec='seconds')}\n")
            handle.flush()
            os.fsync(handle.fileno())


@events.command()
@click.option("--older-than", "days", required=True, type=click.IntRange(min=1), help="Age in days.")
@click.pass_context
def prune(ctx: click.Context, days: int) -> None:
    """Remove events older than DAYS; an anchor event keeps the chain verifiable."""
    from datetime import UTC, datetime, timedelta

    from companion.events import Origin
    from companion.events.retention import prune as prune_events

    with _session(ctx) as session:
        removed, anchor = prune_events(session, datetime.now(UTC) - timedelta(days=days), Origin(actor="system"))
    click.echo(f"removed {removed} events" + (f"; anchor event {anchor}" if anchor else ""))


@main.command()
@click.argument("action", type=click.Choice(["add", "change", "remove"]))
@click.argument("username")
@click.argument("project_name", metavar="PROJECT")
@click.option("--role", "role_name", type=click.Choice(["Owner", "Maintainer"]), default="Maintainer",
              show_default=True, help="The role to give (add, change).")
@click.option("--admin", "admin_name", help="The administrator acting (recorded as the actor; default: system).")
@click.pass_context
def role(ctx: click.Context, action: str, username: str, project_name: str, role_name: str,
         admin_name: str | None) -> None:
    """Give, change or take a user's role on a project; the project's history records it."""
    from companion.packaging import roles

    with _session(ctx) as session:
        try:
            message = roles.apply(session, action, username, project_name, role_name, admin_name)
        except roles.RoleError as exc:
            raise CompanionError(str(exc)) from None
    click.echo(message)



@main.group()
def token() -> None:
    """API tokens, for operators and scripts; the actor recorded is ``operator:<your login name>``."""


@token.command("create")
@click.argument("username", metavar="USER")
@click.option("--project", "projects", multiple=True, metavar="NAME",
              help="Only for this project (repeat for several; default: every project of the user).")
@click.option("--expires", "days", type=click.IntRange(1, 3650), metavar="DAYS", help="Expire after DAYS days.")
@click.option("--description", help='What the token is for (default: "Created by an operator on DATE").')
@click.pass_context
def token_create(ctx: click.Context, username: str, projects: tuple[str, ...], days: int | None,
                 description: str | None) -> None:
    """Create an API token for USER and print it, once, on stdout (and nothing else there)."""
    from companion.tokens import operators

    with _session(ctx) as session:
        try:
            raw, created = operators.create_for(session, username, projects, days, description)
        except operators.OperatorError as exc:
            raise CompanionError(str(exc)) from None
        expiry = f"expires {created.expires:%Y-%m-%d %H:%M} UTC" if created.expires else "no expiry"
        summary = (f'created token {created.id} "{created.description}" for {created.user.username} '
                   f"(scope: {created.scope}, {expiry})")
    # Only once committed: a token whose row was rolled back would not work.
    click.echo(summary + "; it is shown once, below, and kept nowhere", err=True)
    click.echo(raw)


@token.command("revoke")
@click.argument("token_id", metavar="TOKEN_ID", type=int)
@click.pass_context
def token_revoke(ctx: click.Context, token_id: int) -> None:
    """Revoke the token TOKEN_ID (as `companion token list` shows it)."""
    from companion.tokens import operators

    with _session(ctx) as session:
        try:
            revoked = operators.revoke_by_id(session, token_id)
        except operators.OperatorError as exc:
            raise CompanionError(str(exc)) from None
        message = f'revoked token {revoked.id} "{revoked.description}" of {revoked.user.username}'
    click.echo(message)


def _when(value) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if value else "-"


@token.command("list")
@click.argument("username", metavar="USER")
@click.option("--all", "include_revoked", is_flag=True, help="Include revoked tokens.")
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def token_list(ctx: click.Context, username: str, include_revoked: bool, output: str) -> None:
    """List USER's API tokens: id, description, scope, created, last used, expires (UTC; no secrets)."""
    import json

    from companion.tokens import operators

    with _session(ctx) as session:
        try:
            rows = operators.tokens_of(session, username, include_revoked)
        except operators.OperatorError as exc:
            raise CompanionError(str(exc)) from None
    if output == "json":
        click.echo(json.dumps([row.as_json() for row in rows], indent=2, ensure_ascii=False))
        return
    header = ["ID", "DESCRIPTION", "SCOPE", "CREATED", "LAST USED", "EXPIRES"]
    header += ["REVOKED"] if include_revoked else []
    table = [header]
    for row in rows:
        scope = "user" if not row.projects else "projects: " + ", ".join(row.projects)
        line = [str(row.id), row.description, scope, _when(row.created), _when(row.last_used), _when(row.expires)]
        if include_revoked:
            line.append(f"{_when(row.revoked)} ({row.revoked_reason})" if row.revoked else "-")
        table.append(line)
    widths = [max(len(line[column]) for line in table) for column in range(len(header))]
    for line in table:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())
    if not rows:
        click.echo(f"{username} has no {'' if include_revoked else 'active '}API tokens", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
