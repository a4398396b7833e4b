"""The app's settings, read from the environment.

``COMPANION_VAR_DIR`` where the app keeps its own files (the default database, the generated
                     secret, uploaded files, emails); default ``var/`` in the working directory,
                     never the package's.
``COMPANION_CATALOGS`` the compiled catalogs (``i18n_tool.catalogs``); default ``catalogs/`` in
                     the working directory.
``DATABASE_URL``     SQLAlchemy URL; default ``sqlite:///<var>/companion.sqlite3``.
                     ``postgres://`` and ``postgresql://`` mean psycopg 3 (``postgresql+psycopg://``).
``COMPANION_SECRET`` the session-signing secret; without it one is generated once and kept
                     in ``<var>/secret`` (mode 0600). The secret is never logged or printed.
``REDIS_URL``        optional; ``None`` when unset.
``WEBAUTHN_ORIGIN``  the origin browsers see the site at, checked in security-key answers
                     (``webauthn.origin``; default ``http://localhost:6543``).
``WEBAUTHN_RP_ID``   the WebAuthn relying party's id, the site's domain (``webauthn.rp_id``;
                     default ``localhost``).
``SECRET_SCANNING_KEYS_FILE``  GitHub's secret-scanning public keys, a JSON file in the format of
                     api.github.com/meta/public_keys/secret_scanning (``secret_scanning.keys_file``;
                     unset: leak reports are not accepted).

Settings with no variable: ``files.dir`` (where uploaded files are kept; default ``<var>/files``,
made on the first upload), ``upload.max_size`` (bytes per file, default 100 MiB) and
``upload.password_login`` (whether twine may upload with a username and password; default false).

Settings given to :func:`companion.main` explicitly (an .ini file, or tests) win over these.
``root`` in the functions below stands for the working directory (tests give another).
"""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Mapping
from pathlib import Path

CATALOGS = "i18n_tool.catalogs"  # read by i18n_tool.pyramid

DATABASE_URL = "database.url"
SESSION_SECRET = "sessions.secret"
REDIS_URL = "redis.url"
FILES_DIR = "files.dir"
FROM_ENVIRONMENT = {"webauthn.origin": "WEBAUTHN_ORIGIN", "webauthn.rp_id": "WEBAUTHN_RP_ID",
                    "secret_scanning.keys_file": "SECRET_SCANNING_KEYS_FILE"}


def _from(environ: Mapping[str, str] | None, variable: str, root: Path | None, default: str) -> Path:
    """The directory ``variable`` names, else ``<root>/<default>`` (root: the working directory)."""
    environ = os.environ if environ is None else environ
    given = environ.get(variable, "").strip()
    return Path(given).absolute() if given else Path(root or Path.cwd()).absolute() / default


def var_path(environ: Mapping[str, str] | None = None, root: Path | None = None) -> Path:
    return _from(environ, "COMPANION_VAR_DIR", root, "var")


def catalogs_path(environ: Mapping[str, str] | None = None, root: Path | None = None) -> Path:
    return _from(environ, "COMPANION_CATALOGS", root, "catalogs")


def var_dir(environ: Mapping[str, str] | None = None, root: Path | None = None) -> Path:
    """:func:`var_path`, created when missing."""
    path = var_path(environ, root)
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_url(environ: Mapping[str, str] | None = None, root: Path | None = None) -> str:
    environ = os.environ if environ is None else environ
    url = environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{var_dir(environ, root) / 'companion.sqlite3'}"
    return normalize_database_url(url)


def normalize_database_url(url: str) -> str:
    """Plain PostgreSQL URLs use psycopg 3, the driver this project installs (not psycopg2)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def session_secret(environ: Mapping[str, str] | None = None, root: Path | None = None) -> str:
    environ = os.environ if environ is None else environ
    secret = environ.get("COMPANION_SECRET", "").strip()
    if secret:
        return secret
    path = var_dir(environ, root) / "secret"
    try:
        kept = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        kept = ""
    if kept:
        return kept
    return _write_secret(path, secrets.token_urlsafe(48))


def _write_secret(path: Path, secret: str) -> str:
    """Atomically, readable by the owner only; if another process won the race, use its secret."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".secret.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secret + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, path)  # fails if the file appeared meanwhile
        except FileExistsError:
            return path.read_text(encoding="utf-8").strip()
        return secret
    finally:
        os.unlink(tmp)


def redis_url(environ: Mapping[str, str] | None = None) -> str | None:
    environ = os.environ if environ is None else environ
    return environ.get("REDIS_URL", "").strip() or None


def load(settings: Mapping[str, object] | None = None, environ: Mapping[str, str] | None = None,
         root: Path | None = None) -> dict[str, object]:
    """The app's settings: ``settings`` as given, with what they leave out read from the environment.

    Only what is missing is computed, so passing ``database.url`` and ``sessions.secret`` creates
    no ``var/`` directory.
    """
    merged = dict(settings or {})
    if not merged.get(DATABASE_URL):
        merged[DATABASE_URL] = database_url(environ, root)
    else:
        merged[DATABASE_URL] = normalize_database_url(str(merged[DATABASE_URL]))
    if not merged.get(SESSION_SECRET):
        merged[SESSION_SECRET] = session_secret(environ, root)
    if REDIS_URL not in merged:
        merged[REDIS_URL] = redis_url(environ)
    environ = os.environ if environ is None else environ
    for key, variable in FROM_ENVIRONMENT.items():
        if not merged.get(key) and environ.get(variable, "").strip():
            merged[key] = environ[variable].strip()
    merged.setdefault(CATALOGS, str(catalogs_path(environ, root)))
    merged.setdefault(FILES_DIR, str(var_path(environ, root) / "files"))
    return merged
