"""A throwaway companion in a directory of its own, for audits and benchmarks.

:func:`make_app` builds, under ``workdir``, what the app needs and returns the WSGI app:

    catalogs/           the project's catalogs (``COMPANION_CATALOGS``, default ``./catalogs``), the
                        pseudo-locales the i18n-tool configuration found from ``.`` names built, all compiled
    companion.sqlite3   a fresh SQLite database, migrated and seeded with the demo data
    mail/               where its emails go
    files/              where uploads are kept

``i18n-tool audit --app`` calls it through the ``[tool.i18n-tool.audit] app`` setting.
"""

from __future__ import annotations

import secrets
import shutil
from pathlib import Path

from companion.settings import catalogs_path


def build_catalogs(target: Path) -> Path:
    """The project's catalogs, pseudo-locales built, every catalog compiled, in ``target/catalogs``."""
    from i18n_tool.catalog import po
    from i18n_tool.catalog.lifecycle import compile_files, write_pseudo
    from i18n_tool.config.project import load_config

    catalogs = target / "catalogs"
    shutil.rmtree(catalogs, ignore_errors=True)
    shutil.copytree(catalogs_path(), catalogs, ignore=shutil.ignore_patterns("*.mo"))
    template = po.parse_file(catalogs / "messages.pot")
    for name in load_config().pseudo_locales:
        write_pseudo(template, name, catalogs / name / "LC_MESSAGES" / "messages.po")
    failed = [str(result.path) for result in compile_files(sorted(catalogs.rglob("*.po"))) if not result.mo]
    if failed:
        raise RuntimeError(f"could not compile {', '.join(failed)}")
    return catalogs


def build_database(target: Path) -> str:
    """The URL of a fresh SQLite database in ``target``, migrated and seeded."""
    from companion import migrations
    from companion.seed import seed_database

    path = target / "companion.sqlite3"
    path.unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    migrations.upgrade(url)
    seed_database(url)
    return url


def settings(url: str, catalogs: Path, mail_dir: Path, secret: str | None = None) -> dict:
    """The app's settings; emails in ``mail_dir``, uploads in the ``files`` directory beside it."""
    return {"database.url": url, "sessions.secret": secret or secrets.token_hex(32),
            "i18n_tool.catalogs": str(catalogs), "mail.dir": str(mail_dir),
            "files.dir": str(Path(mail_dir).parent / "files"), "redis.url": None}


def make_app(workdir: Path):
    """The companion's WSGI app on a fresh seeded database in ``workdir``."""
    import companion

    workdir = Path(workdir)
    catalogs = build_catalogs(workdir)
    url = build_database(workdir)
    return companion.configure(settings(url, catalogs, workdir / "mail")).make_wsgi_app()
