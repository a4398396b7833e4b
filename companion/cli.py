"""The ``companion`` command: database migrations, demo data, and a local server.

    companion db upgrade [REVISION]     migrate the database (DATABASE_URL) to REVISION (head)
    companion db downgrade REVISION     migrate it back, e.g. to ``base``
    companion seed                      add the demo users and projects (once; a rerun adds nothing)
    companion serve [--host] [--port]   serve the app with waitress

Errors are one line on stderr and exit 2 (see ARCHITECTURE.md); ``--debug`` shows the traceback.
"""

from __future__ import annotations

import sys

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

    url = app_settings.database_url()
    engine = create_engine(url)
    try:
        try:
            if not migrations.is_current(engine):
                raise CompanionError(f"{_redact(url)}: the database is not migrated; run `companion db upgrade` first")
            with Session(engine) as session, session.begin():
                report = seeding.seed(session)
                totals = seeding.counts(session)
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


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=6543, show_default=True, type=click.IntRange(0, 65535), help="Port.")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1), help="Worker threads.")
def serve(host: str, port: int, threads: int) -> None:
    """Serve the app with waitress until interrupted."""
    import logging

    import waitress

    from companion import main as make_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    app = make_app({})
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"Serving the companion app on http://{shown}:{port}/ (Ctrl+C to stop)")
    sys.stdout.flush()
    waitress.serve(app, host=host, port=port, threads=threads, ident="companion")


if __name__ == "__main__":  # pragma: no cover
    main()
