"""What to audit: URLs given on the command line, or the app's routes × locales × who is logged in.

A :class:`Target` is one page load: a URL, the route it stands for (for baselines), the locale
it is served in (set with the locale cookie before the page is opened), the UI state (``default``
or a declared state's name, after its actions), and whether the configured user is logged in.
"""

from __future__ import annotations

import contextlib
import importlib
import tempfile
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from i18n_tool.errors import InputError

DEFAULT_STATE = "default"


@dataclass(frozen=True)
class Target:
    url: str
    route: str
    locale: str | None = None
    state: str = DEFAULT_STATE
    logged_in: bool = False
    actions: tuple = ()  # (click|submit|fill, selector, value)

    @property
    def label(self) -> str:
        """The state as findings report it: ``default``, ``logged-in``, ``logged-in, menu-open``."""
        parts = ["logged-in"] if self.logged_in else []
        if self.state != DEFAULT_STATE or not parts:
            parts.append(self.state)
        return ", ".join(parts)


def url_targets(urls, locales=()) -> list[Target]:
    """Plain URLs, each in every given locale (or once, locale unknown)."""
    targets = []
    for url in urls:
        if urlsplit(url).scheme not in ("http", "https", "file"):
            raise InputError(f"not an http(s) or file URL: {url!r}")
        route = urlsplit(url).path or "/"
        targets += [Target(url, route, locale) for locale in (locales or (None,))]
    return targets


def read_urls_file(path: Path) -> list[str]:
    """One URL a line; blank lines and ``#`` comments are skipped."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read URLs file: {exc}", path=str(path)) from None
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def app_targets(settings, locales, base_url: str) -> list[Target]:
    """The configured pages × ``locales`` × anonymous / logged in, in that order."""
    base = base_url.rstrip("/")
    targets = []
    for locale in locales:
        for page in settings.pages:
            for logged_in in {"anonymous": (False,), "user": (True,), "both": (False, True)}[page.auth]:
                if logged_in and settings.login is None:
                    raise InputError(f"route {page.path} is audited logged in, but [tool.i18n-tool.audit] "
                                     "has no 'login'")
                targets.append(Target(base + page.path, page.route, locale, page.state or DEFAULT_STATE,
                                      logged_in, page.actions))
    return targets


def check_reachable(url: str, timeout: float = 10) -> None:
    """An InputError (exit 2) when nothing answers at ``url``; any HTTP status is an answer."""
    if urlsplit(url).scheme == "file":
        if not Path(urlsplit(url).path).is_file():
            raise InputError(f"no such file: {url}")
        return
    try:
        with urllib.request.urlopen(url, timeout=timeout):
            pass
    except urllib.error.HTTPError:
        pass  # it answered: a 404 or 500 page is a page to audit
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise InputError(f"cannot reach {url}: {reason}", hint="is the server running?") from None


def load_app_factory(spec: str):
    """``package.module:callable`` from the config's ``app`` key."""
    module_name, _, name = spec.partition(":")
    try:
        factory = getattr(importlib.import_module(module_name), name) if name else None
    except (ImportError, AttributeError) as exc:
        raise InputError(f"[tool.i18n-tool.audit] app = {spec!r}: {exc}") from None
    if not callable(factory):
        raise InputError(f"[tool.i18n-tool.audit] app = {spec!r} is not module:callable")
    return factory


@contextlib.contextmanager
def serve_app(spec: str) -> Iterator[str]:
    """The app made by ``spec`` (given a fresh directory) served on a free loopback port: its base URL."""
    factory = load_app_factory(spec)
    with tempfile.TemporaryDirectory(prefix="i18n-tool-audit-") as workdir:
        with serve_wsgi(factory(Path(workdir))) as url:
            yield url


@contextlib.contextmanager
def serve_wsgi(app, threads: int = 4, join_timeout: float = 5) -> Iterator[str]:
    """``app`` under waitress on a free loopback port, in a thread: its base URL (ending in /)."""
    import waitress.server

    server = waitress.server.create_server(app, host="127.0.0.1", port=0, threads=threads, ident="i18n-tool-audit")
    thread = threading.Thread(target=server.run, name="served-app", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}/"
    finally:
        server.close()  # the loop ends once the clients' connections are gone too
        thread.join(timeout=join_timeout)
