"""The Transifex API token and API host: ``TX_TOKEN`` / ``TX_HOSTNAME``, else ``~/.transifexrc``.

``~/.transifexrc`` is the official CLI's user file (``internal/txlib/config/root.go``): INI, one
section per Transifex host, named exactly as the ``host`` of ``.tx/config``'s ``[main]``::

    [https://app.transifex.com]
    rest_hostname = https://rest.api.transifex.com
    token         = 1/0123abcd...

The CLI's lookup (``internal/txlib/credentials.go``), which this module follows:

- the API host: ``TX_HOSTNAME`` (``--hostname``) if set, taken as a section name or a section's
  ``rest_hostname`` (then that section's ``rest_hostname`` and token are used) or else as the API
  host itself; without it, the ``rest_hostname`` of the section named by ``.tx/config``'s host;
  by default ``https://rest.api.transifex.com``;
- the token: ``TX_TOKEN`` (``--token``) if set, else the ``token`` of that section.

Two differences, on purpose. The token never comes from the repository: an rc file inside the
project root is refused, and a ``.transifexrc`` lying in the project is reported, not read (the
CLI's example config says one in ``.tx/`` would take precedence). And the section for
``https://www.transifex.com`` and the one for ``https://app.transifex.com`` (its newer name)
stand in for each other when there is no exact match.

The token is held in a :class:`Secret`, whose ``str`` and ``repr`` never show it; errors name the
file and the line, never the text of a line.
"""

from __future__ import annotations

import hmac
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from i18n_tool.errors import InputError
from i18n_tool.config.reader import parse_ini, read_text
from i18n_tool.sync.txconfig import DEFAULT_HOST

DEFAULT_REST_HOSTNAME = "https://rest.api.transifex.com"
RC_NAME = ".transifexrc"
SHOWN_RC = "~/.transifexrc"
_URL = re.compile(r"https?://[^\s/]+(/\S*)?")
_TRANSIFEX_ALIASES = {"www.transifex.com": "app.transifex.com", "app.transifex.com": "www.transifex.com"}


class Secret:
    """A value that is never shown: ``str``, ``repr`` and f-strings give ``Secret('****')``."""

    __slots__ = ("_value",)

    def __init__(self, value: str):
        if not isinstance(value, str):
            raise TypeError("a Secret holds a str")
        self._value = value

    def reveal(self) -> str:
        """The value itself: only for the Authorization header."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('****')"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return format(repr(self), spec)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __eq__(self, other) -> bool:
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash((Secret, self._value))

    def __copy__(self) -> Secret:
        return self

    def __deepcopy__(self, memo) -> Secret:
        return self

    def __reduce_ex__(self, protocol):
        raise TypeError("a Secret cannot be pickled")

    __reduce__ = __reduce_ex__


@dataclass(frozen=True)
class Credentials:
    """What to talk to Transifex with; ``source`` says where the token came from."""

    token: Secret
    rest_hostname: str
    source: str
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Host:
    name: str
    line: int | None
    rest_hostname: str | None
    rest_line: int | None
    token: Secret | None
    legacy: bool  # username/password of the old client, no token


@dataclass(frozen=True)
class _Rc:
    path: Path
    shown: str
    hosts: tuple[_Host, ...]


def default_rc_path(environ=None) -> Path:
    """``$HOME/.transifexrc``, as the CLI finds it."""
    environ = os.environ if environ is None else environ
    home = environ.get("HOME") or os.path.expanduser("~")
    return Path(home) / RC_NAME


def _normal(host: str) -> str:
    parts = urlsplit(host.strip())
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


def _alias(host: str) -> str | None:
    parts = urlsplit(_normal(host))
    other = _TRANSIFEX_ALIASES.get(parts.netloc)
    return f"{parts.scheme}://{other}{parts.path}" if other else None


def _section_for(hosts, host: str) -> _Host | None:
    """The section named ``host``: exactly, then up to case and a trailing '/', then its alias."""
    for match in (lambda h: h.name == host, lambda h: _normal(h.name) == _normal(host),
                  lambda h: _alias(host) is not None and _normal(h.name) == _alias(host)):
        for candidate in hosts:
            if match(candidate):
                return candidate
    return None


def _section_for_hostname(hosts, hostname: str) -> _Host | None:
    """TX_HOSTNAME's section: named so, else the one whose rest_hostname it is (the CLI's FindHost)."""
    found = _section_for(hosts, hostname)
    if found is not None:
        return found
    for candidate in hosts:
        if candidate.rest_hostname and _normal(candidate.rest_hostname) == _normal(hostname):
            return candidate
    return None


def _check_token(value: str, path=None, line=None, where: str = "the token") -> Secret:
    if any(char.isspace() or ord(char) < 32 or ord(char) == 127 for char in value):
        raise InputError(f"{where} has spaces or control characters in it", path=path, line=line,
                         hint="paste the API token again, on one line")
    return Secret(value)


def _inside(path: Path, root: Path) -> bool:
    return path.resolve().is_relative_to(root.resolve())


def _load_rc(rc_path, environ, project_root) -> tuple[_Rc | None, list[str]]:
    warnings: list[str] = []
    shown = SHOWN_RC if rc_path is None else str(rc_path)
    path = default_rc_path(environ) if rc_path is None else Path(rc_path)
    if project_root is not None:
        root = Path(project_root)
        if _inside(path, root):
            raise InputError(
                "refusing to read a Transifex token from a file inside the project",
                path=path,
                hint="the token comes from TX_TOKEN or ~/.transifexrc, never from the repository: move it to "
                     "~/.transifexrc (chmod 600), delete this file, and revoke the token if it was ever committed",
            )
        for stray in (root / RC_NAME, root / ".tx" / RC_NAME):
            if stray.exists():
                warnings.append(f"{stray}: ignored (a token is never read from the repository); "
                                "move it to ~/.transifexrc and keep it out of git")
    if not path.exists():
        return None, warnings
    text = read_text(path, "no such file")
    if os.name == "posix":
        mode = path.stat().st_mode & 0o777
        if mode & 0o077:
            warnings.append(f"{shown} can be read or changed by other users (mode {mode:04o}): "
                            f"run chmod 600 {shown}")
    ini = parse_ini(path, text, quote=False)
    hosts = []
    for name, values in ini.sections.items():
        if name == "DEFAULT":
            continue
        token = values.get("token", "")
        hosts.append(_Host(
            name=name,
            line=ini.line((name,)),
            rest_hostname=values.get("rest_hostname") or None,
            rest_line=ini.line((name, "rest_hostname")),
            token=_check_token(token, path, ini.line((name, "token")), f"the token of [{name}]") if token else None,
            legacy=not token and bool(values.get("password")),
        ))
    return _Rc(path, shown, tuple(hosts)), warnings


def _resolve(host, environ, rc_path, project_root) -> tuple[str, _Host | None, _Rc | None, list[str]]:
    """(API host, the rc section in use, the rc file, warnings)."""
    environ = os.environ if environ is None else environ
    rc, warnings = _load_rc(rc_path, environ, project_root)
    hosts = rc.hosts if rc is not None else ()
    override = (environ.get("TX_HOSTNAME") or "").strip()
    if override:
        section = _section_for_hostname(hosts, override)
        rest = section.rest_hostname if section is not None and section.rest_hostname else override
        where = {"path": None, "line": None, "what": "TX_HOSTNAME"}
        if section is not None and section.rest_hostname:
            where = {"path": rc.path, "line": section.rest_line, "what": "rest_hostname"}
    else:
        section = _section_for(hosts, host)
        rest = section.rest_hostname if section is not None and section.rest_hostname else DEFAULT_REST_HOSTNAME
        where = {"path": rc.path if section is not None else None,
                 "line": section.rest_line if section is not None else None, "what": "rest_hostname"}
    if not _URL.fullmatch(rest):
        # the value is not shown: a token pasted into the wrong line must not end up in a CI log
        raise InputError(f"{where['what']} is not a URL", path=where["path"], line=where["line"],
                         hint=f"write it like {DEFAULT_REST_HOSTNAME}")
    return rest.rstrip("/"), section, rc, warnings


def find_credentials(host: str = DEFAULT_HOST, environ=None, rc_path=None, project_root=None) -> Credentials:
    """The token and API host for ``host`` (``.tx/config``'s ``[main] host``).

    ``environ`` defaults to ``os.environ``, ``rc_path`` to ``$HOME/.transifexrc``; with
    ``project_root``, an rc file inside it is refused.
    """
    environ = os.environ if environ is None else environ
    rest, section, rc, warnings = _resolve(host, environ, rc_path, project_root)
    from_env = (environ.get("TX_TOKEN") or "").strip()
    if from_env:
        token, source = _check_token(from_env, where="TX_TOKEN"), "TX_TOKEN"
    elif section is not None and section.token:
        token, source = section.token, f"{rc.shown} [{section.name}]"
    else:
        shown = rc.shown if rc is not None else (SHOWN_RC if rc_path is None else str(rc_path))
        name = section.name if section is not None else ((environ.get("TX_HOSTNAME") or "").strip() or host)
        if section is not None and section.legacy:
            raise InputError(
                f"[{section.name}] in {shown} has the old client's username and password, not an API token",
                path=rc.path, line=section.line,
                hint="run `tx migrate`, or replace them with a 'token = ...' line "
                     "(tokens: https://app.transifex.com/user/settings/api/)",
            )
        where = {"path": rc.path, "line": section.line} if section is not None else {}
        message = (f"[{section.name}] in {shown} has no token" if section is not None
                   else f"no Transifex API token for {name}")
        raise InputError(message, **where, hint=f"set TX_TOKEN, or add a token to {shown} under [{name}]")
    return Credentials(token=token, rest_hostname=rest, source=source, warnings=tuple(warnings))


def find_token(host: str = DEFAULT_HOST, environ=None, rc_path=None, project_root=None) -> Secret:
    """The API token for ``host``: ``TX_TOKEN``, else ``~/.transifexrc`` (see :func:`find_credentials`)."""
    return find_credentials(host, environ, rc_path, project_root).token


def rest_hostname(host: str = DEFAULT_HOST, environ=None, rc_path=None, project_root=None) -> str:
    """The API host for ``host``: ``TX_HOSTNAME``, else the rc file's ``rest_hostname``, else the default."""
    return _resolve(host, environ, rc_path, project_root)[0]
