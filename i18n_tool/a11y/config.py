"""``[tool.i18n-tool.audit]``: the pages and UI states to audit, the login, the baseline and the
suppressions, validated with the configuration's converters. No browser is needed to read it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from i18n_tool.config.convert import (absolute, check_table, key_name, list_of_tables, locale_list, one_of, string,
                                      type_error)


@dataclass(frozen=True)
class AuditPage:
    """A page to audit: ``path`` on the app, ``route`` its pattern (for baselines), who looks at it."""

    path: str
    route: str
    auth: str = "both"  # anonymous | user | both
    state: str | None = None  # a UI state's name; None: the page as loaded
    actions: tuple[tuple[str, str, str | None], ...] = ()  # (click|submit|fill, selector, value)


@dataclass(frozen=True)
class Login:
    path: str
    fields: dict  # input name -> value
    submit: str  # selector of the element that sends the form


@dataclass(frozen=True)
class Suppression:
    rule: str
    selector: str
    reason: str
    expires: date


@dataclass(frozen=True)
class AuditSettings:
    app: str | None = None  # "package.module:callable(workdir) -> WSGI app", for --app
    pages: tuple[AuditPage, ...] = ()
    locales: tuple[str, ...] = ()  # empty: the source locale, every locale and pseudo-locale
    locale_cookie: str = "_LOCALE_"
    login: Login | None = None
    baseline: Path | None = None
    suppress: tuple[Suppression, ...] = ()


_AUTH = one_of("anonymous", "user", "both")


_ACTIONS = ("click", "submit", "fill")


def _path(file, keys, value) -> str:
    path = string(file, keys, value)
    if not path.startswith("/"):
        raise file.error(keys, f"'{key_name(keys)}' must be a path on the app starting with '/', not {path!r}")
    return path


def _action(file, keys, value) -> tuple[str, str, str | None]:
    table = check_table(file, keys, value, {**dict.fromkeys(_ACTIONS, string), "value": string})
    kinds = [kind for kind in _ACTIONS if kind in table]
    if len(kinds) != 1:
        raise file.error(keys, "an action is one of click = SELECTOR, submit = SELECTOR, fill = SELECTOR")
    if ("value" in table) != (kinds[0] == "fill"):
        raise file.error(keys, "'value' goes with 'fill', and only with it")
    return kinds[0], table[kinds[0]], table.get("value")


def _actions(file, keys, value) -> tuple:
    if not isinstance(value, list):
        raise type_error(file, keys, "a list of tables", value)
    return tuple(_action(file, keys + (index,), item) for index, item in enumerate(value))


_PAGE_KEYS = {"path": _path, "route": string, "auth": _AUTH}


_STATE_KEYS = {**_PAGE_KEYS, "name": string, "actions": _actions}


def _audit_pages(file, keys, value) -> tuple[AuditPage, ...]:
    """``routes``: paths, or tables {path, route, auth}."""
    if isinstance(value, list):
        value = [{"path": item} if isinstance(item, str) else item for item in value]
    tables = list_of_tables(file, keys, value, _PAGE_KEYS, ("path",))
    return tuple(AuditPage(t["path"], t.get("route", t["path"]), t.get("auth", "both")) for t in tables)


def _audit_states(file, keys, value) -> tuple[AuditPage, ...]:
    tables = list_of_tables(file, keys, value, _STATE_KEYS, ("name", "path", "actions"))
    return tuple(AuditPage(t["path"], t.get("route", t["path"]), t.get("auth", "both"), t["name"], t["actions"])
                 for t in tables)


def _fields(file, keys, value) -> dict:
    if not isinstance(value, dict) or not all(isinstance(item, str) for item in value.values()):
        raise type_error(file, keys, "a table of strings (input name = value)", value)
    return dict(value)


def _login(file, keys, value) -> Login:
    table = check_table(file, keys, value, {"path": _path, "fields": _fields, "submit": string})
    for key in ("path", "fields", "submit"):
        if key not in table:
            raise file.error(keys, f"{file.table_name(keys)} has no '{key}'")
    return Login(table["path"], table["fields"], table["submit"])


def _expires(file, keys, value) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise file.error(keys, "'expires' must be a TOML date, like 2027-03-31 (no quotes)")
    return value


def _suppressions(file, keys, value) -> tuple[Suppression, ...]:
    schema = {"rule": string, "selector": string, "reason": string, "expires": _expires}
    tables = list_of_tables(file, keys, value, schema, tuple(schema))
    return tuple(Suppression(**table) for table in tables)


AUDIT_KEYS = {
    "app": string,
    "routes": _audit_pages,
    "states": _audit_states,
    "locales": locale_list,
    "locale-cookie": string,
    "login": _login,
    "baseline": string,
    "suppress": _suppressions,
}


def audit_settings(root: Path, table: dict) -> AuditSettings:
    baseline = absolute(root, table["baseline"]) if "baseline" in table else None
    return AuditSettings(
        app=table.get("app"),
        pages=table.get("routes", ()) + table.get("states", ()),
        locales=table.get("locales", ()),
        locale_cookie=table.get("locale-cookie", "_LOCALE_"),
        login=table.get("login"),
        baseline=baseline,
        suppress=table.get("suppress", ()),
    )
