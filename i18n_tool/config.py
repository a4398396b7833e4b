"""Configuration: ``[tool.i18n-tool]`` in pyproject.toml, ``i18n-tool.toml``, ``[i18n-tool]`` in
setup.cfg, and Babel mapping files, read into a validated :class:`Config`.

Every problem is an :class:`InputError` naming the file and the line of the offending key.
Each level of the configuration is a table of ``key -> converter``; a converter checks one raw
value and returns it converted, or raises.
"""

from __future__ import annotations

import configparser
import difflib
import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path

from i18n_tool.errors import InputError

CONFIG_NAMES = ("i18n-tool.toml", "pyproject.toml", "setup.cfg")


@dataclass(frozen=True)
class Rule:
    """One mapping entry, like a section of a Babel mapping file."""

    pattern: str
    method: str
    options: dict
    origin: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Output:
    width: int | None = 76
    sort: str = "none"
    locations: str = "full"
    omit_header: bool = False
    project: str = "PROJECT"
    version: str = "VERSION"
    copyright_holder: str = "ORGANIZATION"
    msgid_bugs_address: str = "EMAIL@ADDRESS"
    last_translator: str = "FULL NAME <EMAIL@ADDRESS>"
    header_comment: str | None = None  # None: Babel's
    charset: str = "utf-8"


@dataclass(frozen=True)
class Domain:
    name: str
    sources: tuple[Path, ...]
    rules: tuple[Rule, ...]
    pot: Path


@dataclass(frozen=True)
class CheckSettings:
    min_coverage: dict = field(default_factory=dict)  # locale (or "*") -> percent
    required_locales: tuple[str, ...] = ()
    obsolete_limit: int = 50

    def coverage_for(self, locale: str) -> float | None:
        return self.min_coverage.get(locale, self.min_coverage.get("*"))


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


@dataclass(frozen=True)
class Config:
    root: Path
    path: Path | None
    catalogs: Path
    source_locale: str
    locales: tuple[str, ...]
    domains: dict[str, Domain]
    keywords: dict
    comment_tags: tuple[str, ...]
    strip_comment_tags: bool
    ignore_dirs: tuple[str, ...]
    output: Output
    checks: CheckSettings = CheckSettings()
    pseudo_locales: tuple[str, ...] = ()
    audit: AuditSettings = AuditSettings()

    @property
    def audit_locales(self) -> tuple[str, ...]:
        everything = (self.source_locale, *self.locales, *self.pseudo_locales)
        return self.audit.locales or tuple(dict.fromkeys(everything))


DEFAULT_RULES: tuple[Rule, ...] = (
    Rule("**.py", "python", {}),
    Rule("**/templates/**.html", "jinja2", {}),
    Rule("**/templates/**.txt", "jinja2", {}),
)


# --- the file being read, and where its keys are -------------------------------------------------


@dataclass
class _File:
    path: Path | None  # as given, for messages
    root: Path  # relative paths in the file are relative to this
    lines: dict[tuple, int]  # key path -> 1-based line
    prefix: tuple[str, ...] = ()  # key path of the table being read, e.g. ("tool", "i18n-tool")
    cfg: bool = False  # values are configparser strings

    def line(self, keys) -> int | None:
        """Line of ``keys`` (below the prefix), else of the nearest enclosing table found."""
        full = self.prefix + tuple(keys)
        for end in range(len(full), len(self.prefix) - 1, -1):
            if full[:end] in self.lines:
                return self.lines[full[:end]]
        return None

    def error(self, keys, message: str, hint: str | None = None) -> InputError:
        return InputError(message, path=self.path, line=self.line(keys), hint=hint)

    def table_name(self, keys) -> str:
        names = [*self.prefix, *(str(k) for k in keys if not isinstance(k, int))]
        if not names:
            return self.path.name if self.path else "the configuration"
        if keys and isinstance(keys[-1], int):
            return f"[[{'.'.join(names)}]]"
        return f"[{'.'.join(names)}]"


_KEY_PART = r"""[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'"""
_DOTTED_KEY = rf"(?:{_KEY_PART})(?:\s*\.\s*(?:{_KEY_PART}))*"
_TOML_HEADER = re.compile(rf"\s*(\[\[?)\s*({_DOTTED_KEY})\s*\]\]?\s*(?:#.*)?$")
_TOML_KEY = re.compile(rf"\s*({_DOTTED_KEY})\s*=")


def _split_key(text: str) -> tuple[str, ...]:
    return tuple(part.strip("\"'") for part in re.findall(_KEY_PART, text))


def _toml_lines(text: str) -> dict[tuple, int]:
    """Line of every table header and key by key path; ``[[array]]`` entries get their index."""
    lines: dict[tuple, int] = {}
    counts: dict[tuple, int] = {}  # array-of-tables path -> entries seen so far

    def with_indices(path):  # a.b where a is an array of tables -> a.<current index>.b
        out = ()
        for part in path:
            out += (part,)
            if out in counts:
                out += (counts[out] - 1,)
        return out

    table = ()
    for number, line in enumerate(text.splitlines(), 1):
        if match := _TOML_HEADER.match(line):
            path = _split_key(match[2])
            if match[1] == "[[":
                array = with_indices(path[:-1]) + path[-1:]
                counts[array] = counts.get(array, 0) + 1
                table = array + (counts[array] - 1,)
            else:
                table = with_indices(path)
            lines.setdefault(table, number)
        elif match := _TOML_KEY.match(line):
            lines.setdefault(table + _split_key(match[1]), number)
    return lines


def _cfg_lines(text: str) -> dict[tuple, int]:
    """Line of every ``[section]`` as (section,) and of every option as (section, option)."""
    lines: dict[tuple, int] = {}
    section = None
    for number, line in enumerate(text.splitlines(), 1):
        if line[:1].isspace() or line.lstrip().startswith(("#", ";")):
            continue  # continuation or comment
        if match := re.match(r"\[(.+)\]", line.strip()):
            section = match[1]
            lines.setdefault((section,), number)
        elif section is not None and (match := re.match(r"(.+?)\s*[=:]", line)):
            lines.setdefault((section, match[1].strip().lower()), number)
    return lines


# --- reading files ---------------------------------------------------------------------------------


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=path) from None


def _parse_toml(path: Path, text: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        where = re.search(r" \(at line (\d+), column (\d+)\)$", message)
        if where:
            message = message[: where.start()]
            raise InputError(f"invalid TOML: {message}", path, int(where[1]), int(where[2])) from None
        raise InputError(f"invalid TOML: {message}", path) from None


def _parse_cfg(path: Path, text: str) -> configparser.RawConfigParser:
    parser = configparser.RawConfigParser()  # what Babel's parse_mapping_cfg uses
    try:
        parser.read_string(text, source=str(path))
    except configparser.DuplicateSectionError as exc:
        raise InputError(f"section [{exc.section}] appears twice", path, exc.lineno) from None
    except configparser.DuplicateOptionError as exc:
        raise InputError(f"'{exc.option}' appears twice in [{exc.section}]", path, exc.lineno) from None
    except configparser.MissingSectionHeaderError as exc:
        raise InputError("text before the first [section] header", path, exc.lineno) from None
    except configparser.ParsingError as exc:
        line, text = exc.errors[0]
        raise InputError(f"cannot parse line {text}", path, line) from None
    except configparser.Error as exc:
        raise InputError(str(exc).splitlines()[0], path) from None
    return parser


# --- converters: (file, keys, raw value) -> value ---------------------------------------------------


def _name(keys) -> str:
    return next(str(k) for k in reversed(keys) if not isinstance(k, int))


def _type_name(value) -> str:
    return "table" if isinstance(value, dict) else type(value).__name__


def _type_error(file: _File, keys, expected: str, value) -> InputError:
    return file.error(keys, f"'{_name(keys)}' must be {expected}, not {_type_name(value)}")


def _suggest(word: str, choices, what: str) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"did you mean '{close[0]}'?" if close else f"{what}: {', '.join(choices)}"


def _string(file, keys, value) -> str:
    if not isinstance(value, str):
        raise _type_error(file, keys, "a string", value)
    return value


_CFG_BOOLEANS = {
    **dict.fromkeys(("true", "yes", "on", "1"), True),
    **dict.fromkeys(("false", "no", "off", "0"), False),
}


def _boolean(file, keys, value) -> bool:
    if file.cfg and isinstance(value, str):
        value = _CFG_BOOLEANS.get(value.strip().lower(), value)
    if not isinstance(value, bool):
        raise _type_error(file, keys, "true or false", value)
    return value


def _string_list(file, keys, value, cfg_separator=r"[,\n]") -> tuple[str, ...]:
    if file.cfg and isinstance(value, str):
        value = [item.strip() for item in re.split(cfg_separator, value) if item.strip()]
    if not isinstance(value, list):
        raise _type_error(file, keys, "a list of strings", value)
    for item in value:
        if not isinstance(item, str):
            message = f"'{_name(keys)}' must be a list of strings, but has a {_type_name(item)} item {item!r}"
            raise file.error(keys, message)
    return tuple(value)


def _width(file, keys, value) -> int:
    if file.cfg and isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise file.error(keys, f"'{_name(keys)}' must be a whole number >= 0")
    return value


def _choice(*allowed):
    def convert(file, keys, value):
        if value not in allowed:
            raise file.error(keys, f"'{_name(keys)}' must be one of {', '.join(allowed)}, not {value!r}")
        return value

    return convert


def _locale_id(file, keys, value) -> str:
    from i18n_tool.locales import LocaleError, UnknownLocale, parse_locale  # imports Babel: when a config names locales

    try:
        return parse_locale(value, pseudo=False)
    except UnknownLocale:
        message = f"'{_name(keys)}': '{value}' is not a locale (Babel knows no such locale)"
        raise file.error(keys, message) from None
    except LocaleError:
        message = f"'{_name(keys)}': '{value}' is not a locale identifier"
        raise file.error(keys, message, hint="write it like 'de' or 'pt_BR'") from None


def _locale(file, keys, value) -> str:
    return _locale_id(file, keys, _string(file, keys, value))


def _locale_list(file, keys, value) -> tuple[str, ...]:
    locales = [_locale_id(file, keys, item) for item in _string_list(file, keys, value)]
    for index, locale in enumerate(locales):
        if locale in locales[:index]:
            raise file.error(keys, f"'{_name(keys)}': '{locale}' is listed twice")
    return tuple(locales)


def _percent(file, keys, value) -> float:
    if file.cfg and isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            pass
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
        raise file.error(keys, f"'{_name(keys)}' must be a percentage from 0 to 100")
    return float(value)


def _coverage(file, keys, value) -> dict:
    """One percentage for every locale, or a table of locale (or "*") -> percentage."""
    if not isinstance(value, dict):
        return {"*": _percent(file, keys, value)}
    table = {}
    for locale, percent in value.items():
        name = locale if locale == "*" else _locale_id(file, keys + (locale,), locale)
        table[name] = _percent(file, keys + (locale,), percent)
    return table


def _pseudo_locales(file, keys, value) -> tuple[str, ...]:
    from i18n_tool.pseudo import PSEUDO_LOCALES

    names = _string_list(file, keys, value)
    for name in names:
        if name not in PSEUDO_LOCALES:
            raise file.error(keys, f"'{_name(keys)}': '{name}' is not a pseudo-locale",
                             hint=_suggest(name, PSEUDO_LOCALES, "pseudo-locales"))
    return names


def _keyword_specs(file, keys, specs) -> dict:
    """Babel's parse_keywords, with a bad spec reported against ``keys``."""
    from babel.messages.frontend import parse_keywords  # slow to import; only mappings need it

    for spec in specs:
        try:
            parse_keywords([spec])
            ok = bool(spec.partition(":")[0])
        except (ValueError, IndexError):
            ok = False
        if not ok:
            raise file.error(
                keys,
                f"'{_name(keys)}': bad keyword spec '{spec}'",
                hint="write NAME or NAME:ARGS, e.g. 'ngettext:1,2' or 'pgettext:1c,2'",
            )
    return parse_keywords(specs)


def _keywords(file, keys, value) -> dict:
    # In setup.cfg keyword specs are whitespace-separated: they contain commas themselves.
    return _keyword_specs(file, keys, _string_list(file, keys, value, cfg_separator=r"\s+"))


def unknown_method(method: str) -> tuple[str, str] | None:
    """(message, hint) when ``method`` names no extractor, else None."""
    from i18n_tool import extractors

    try:
        extractors.method_spec(method)
    except LookupError:
        names = extractors.method_names()
        close = difflib.get_close_matches(method, names, n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(names[:8])}, or module:function"
        return f"unknown extraction method '{method}'", hint
    return None


def _check_method(file, keys, method: str) -> str:
    problem = unknown_method(method)
    if problem:
        raise file.error(keys, problem[0], hint=problem[1])
    return method


def _method(file, keys, value) -> str:
    return _check_method(file, keys, _string(file, keys, value))


def _patterns(file, keys, value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    raise _type_error(file, keys, "a string or a list of strings", value)


def _option_text(file, keys, value) -> str:
    """An option value in Babel's string form, as a mapping .cfg file would spell it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int)):
        return str(value)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        # keywords and add_comments are whitespace-split by Babel; other list options comma-split
        return (" " if _name(keys) in ("keywords", "add_comments") else ",").join(value)
    raise _type_error(file, keys, "a string, boolean, integer or list of strings", value)


def _babel_options(file, keys, raw: dict) -> dict:
    """Options as Babel's _parse_string_options returns them."""
    if not raw:
        return {}
    from babel.messages.frontend import _parse_string_options, listify_value

    text = {key: _option_text(file, keys + (key,), value) for key, value in raw.items()}
    if text.get("keywords"):
        _keyword_specs(file, keys + ("keywords",), listify_value(text["keywords"]))
    options = _parse_string_options(text)
    if isinstance(raw.get("add_comments"), list):  # keep tags that contain spaces whole
        options["add_comments"] = list(raw["add_comments"])
    return options


def _options(file, keys, value) -> dict:
    if not isinstance(value, dict):
        raise _type_error(file, keys, "a table", value)
    return _babel_options(file, keys, value)


def _rules(file, keys, patterns, method, options) -> tuple[Rule, ...]:
    origin = str(file.path) if file.path else None
    return tuple(Rule(pattern, method, dict(options), origin, file.line(keys)) for pattern in patterns)


def _check_table(file, keys, value, schema) -> dict:
    if not isinstance(value, dict):
        raise _type_error(file, keys, "a table", value)
    valid = {key: convert for key, convert in schema.items() if not (file.cfg and key in _NOT_IN_CFG)}
    result = {}
    for key, item in value.items():
        if key not in valid:
            message = f"unknown key '{key}' in {file.table_name(keys)}"
            raise file.error(keys + (key,), message, hint=_suggest(key, valid, "valid keys"))
        result[key] = valid[key](file, keys + (key,), item)
    return result


def _mapping(file, keys, value) -> tuple[Rule, ...]:
    if not isinstance(value, list):
        raise _type_error(file, keys, "a list of tables", value)
    rules = ()
    for index, entry in enumerate(value):
        entry_keys = keys + (index,)
        entry = _check_table(file, entry_keys, entry, _MAPPING_KEYS)
        for required in ("pattern", "method"):
            if required not in entry:
                raise file.error(entry_keys, f"mapping entry has no '{required}'")
        rules += _rules(file, entry_keys, entry["pattern"], entry["method"], entry.get("options", {}))
    return rules


def _mapping_file(file, keys, value) -> tuple[Rule, ...]:
    name = _string(file, keys, value)
    path = _absolute(file.root, name)
    if not path.is_file():
        raise file.error(keys, f"mapping file '{name}' does not exist")
    return load_mapping_file(path)


def _domain_table(file, keys, value, schema=None) -> dict:
    values = _check_table(file, keys, value, schema or _DOMAIN_KEYS)
    if "mapping" in values and "mapping-file" in values:
        raise file.error(
            keys + ("mapping-file",), "'mapping' and 'mapping-file' cannot both be given", hint="keep one of them"
        )
    return values


_DOMAIN_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


def _domains(file, keys, value) -> dict:
    if not isinstance(value, dict):
        raise _type_error(file, keys, "a table of domains", value)
    for name in value:
        if not _DOMAIN_NAME.fullmatch(name):
            raise file.error(keys + (name,), f"domain name '{name}' may only use letters, digits, '_', '-' and '.'")
    return {name: _domain_table(file, keys + (name,), table) for name, table in value.items()}


_MAPPING_KEYS = {"pattern": _patterns, "method": _method, "options": _options}

_DOMAIN_KEYS = {
    "sources": _string_list,
    "mapping": _mapping,
    "mapping-file": _mapping_file,
    "pot": _string,
}

_OUTPUT_KEYS = {
    "width": _width,
    "wrap": _boolean,
    "sort": _choice("none", "msgid", "file"),
    "locations": _choice("full", "file", "none"),
    "omit-header": _boolean,
    "project": _string,
    "version": _string,
    "copyright-holder": _string,
    "msgid-bugs-address": _string,
}

_CHECK_KEYS = {
    "min-coverage": _coverage,
    "required-locales": _locale_list,
    "obsolete-limit": _width,
}

# --- [tool.i18n-tool.audit] ------------------------------------------------------------------------------

_AUTH = _choice("anonymous", "user", "both")
_ACTIONS = ("click", "submit", "fill")


def _path(file, keys, value) -> str:
    path = _string(file, keys, value)
    if not path.startswith("/"):
        raise file.error(keys, f"'{_name(keys)}' must be a path on the app starting with '/', not {path!r}")
    return path


def _list_of_tables(file, keys, value, schema, required) -> list[dict]:
    if not isinstance(value, list):
        raise _type_error(file, keys, "a list of tables", value)
    tables = []
    for index, entry in enumerate(value):
        table = _check_table(file, keys + (index,), entry, schema)
        for key in required:
            if key not in table:
                raise file.error(keys + (index,), f"{file.table_name(keys + (index,))} has no '{key}'")
        tables.append(table)
    return tables


def _action(file, keys, value) -> tuple[str, str, str | None]:
    table = _check_table(file, keys, value, {**dict.fromkeys(_ACTIONS, _string), "value": _string})
    kinds = [kind for kind in _ACTIONS if kind in table]
    if len(kinds) != 1:
        raise file.error(keys, "an action is one of click = SELECTOR, submit = SELECTOR, fill = SELECTOR")
    if ("value" in table) != (kinds[0] == "fill"):
        raise file.error(keys, "'value' goes with 'fill', and only with it")
    return kinds[0], table[kinds[0]], table.get("value")


def _actions(file, keys, value) -> tuple:
    if not isinstance(value, list):
        raise _type_error(file, keys, "a list of tables", value)
    return tuple(_action(file, keys + (index,), item) for index, item in enumerate(value))


_PAGE_KEYS = {"path": _path, "route": _string, "auth": _AUTH}
_STATE_KEYS = {**_PAGE_KEYS, "name": _string, "actions": _actions}


def _audit_pages(file, keys, value) -> tuple[AuditPage, ...]:
    """``routes``: paths, or tables {path, route, auth}."""
    if isinstance(value, list):
        value = [{"path": item} if isinstance(item, str) else item for item in value]
    tables = _list_of_tables(file, keys, value, _PAGE_KEYS, ("path",))
    return tuple(AuditPage(t["path"], t.get("route", t["path"]), t.get("auth", "both")) for t in tables)


def _audit_states(file, keys, value) -> tuple[AuditPage, ...]:
    tables = _list_of_tables(file, keys, value, _STATE_KEYS, ("name", "path", "actions"))
    return tuple(AuditPage(t["path"], t.get("route", t["path"]), t.get("auth", "both"), t["name"], t["actions"])
                 for t in tables)


def _fields(file, keys, value) -> dict:
    if not isinstance(value, dict) or not all(isinstance(item, str) for item in value.values()):
        raise _type_error(file, keys, "a table of strings (input name = value)", value)
    return dict(value)


def _login(file, keys, value) -> Login:
    table = _check_table(file, keys, value, {"path": _path, "fields": _fields, "submit": _string})
    for key in ("path", "fields", "submit"):
        if key not in table:
            raise file.error(keys, f"{file.table_name(keys)} has no '{key}'")
    return Login(table["path"], table["fields"], table["submit"])


def _expires(file, keys, value) -> date:
    if not isinstance(value, date) or isinstance(value, datetime):
        raise file.error(keys, "'expires' must be a TOML date, like 2027-03-31 (no quotes)")
    return value


def _suppressions(file, keys, value) -> tuple[Suppression, ...]:
    schema = {"rule": _string, "selector": _string, "reason": _string, "expires": _expires}
    tables = _list_of_tables(file, keys, value, schema, tuple(schema))
    return tuple(Suppression(**table) for table in tables)


_AUDIT_KEYS = {
    "app": _string,
    "routes": _audit_pages,
    "states": _audit_states,
    "locales": _locale_list,
    "locale-cookie": _string,
    "login": _login,
    "baseline": _string,
    "suppress": _suppressions,
}


def _audit_settings(root: Path, table: dict) -> AuditSettings:
    baseline = _absolute(root, table["baseline"]) if "baseline" in table else None
    return AuditSettings(
        app=table.get("app"),
        pages=table.get("routes", ()) + table.get("states", ()),
        locales=table.get("locales", ()),
        locale_cookie=table.get("locale-cookie", "_LOCALE_"),
        login=table.get("login"),
        baseline=baseline,
        suppress=table.get("suppress", ()),
    )


_TOP_KEYS = {
    "catalogs": _string,
    "source-locale": _locale,
    "locales": _locale_list,
    **_DOMAIN_KEYS,
    "keywords": _keywords,
    "no-default-keywords": _boolean,
    "comment-tags": _string_list,
    "strip-comment-tags": _boolean,
    "ignore-dirs": _string_list,
    "output": partial(_check_table, schema=_OUTPUT_KEYS),
    "check": partial(_check_table, schema=_CHECK_KEYS),
    "audit": partial(_check_table, schema=_AUDIT_KEYS),
    "pseudo-locales": _pseudo_locales,
    "domains": _domains,
}

_NOT_IN_CFG = {"mapping", "audit"}  # setup.cfg has no inline mapping (use mapping-file), nor lists of tables


# --- building the Config -------------------------------------------------------------------------------


def _absolute(root: Path, value: str | Path) -> Path:
    return Path(os.path.normpath(root / value))


def _domain(root: Path, catalogs: Path, name: str, values: dict) -> Domain:
    rules = values["mapping"] if "mapping" in values else values.get("mapping-file", DEFAULT_RULES)
    pot = _absolute(root, values["pot"]) if "pot" in values else catalogs / f"{name}.pot"
    sources = tuple(_absolute(root, source) for source in values.get("sources", (".",)))
    return Domain(name=name, sources=sources, rules=rules, pot=pot)


def _output(values: dict) -> Output:
    width = values.get("width", 76)
    if width == 0 or not values.get("wrap", True):
        width = None
    rest = {key.replace("-", "_"): value for key, value in values.items() if key not in ("width", "wrap")}
    return Output(width=width, **rest)


def _build(file: _File, table: dict, path: Path | None) -> Config:
    values = _domain_table(file, (), table, _TOP_KEYS)
    domain_tables = values.get("domains", {})
    if "messages" in domain_tables:
        for key in _DOMAIN_KEYS:
            if key in values:
                where = file.table_name(("domains", "messages"))
                message = f"'{key}' cannot be used together with {where}"
                raise file.error((key,), message, hint="move it into that table")
    root = file.root
    catalogs = _absolute(root, values.get("catalogs", "catalogs"))
    tables = {"messages": values, **domain_tables}  # the default domain first
    from babel.messages.extract import DEFAULT_KEYWORDS

    keywords = {} if values.get("no-default-keywords") else dict(DEFAULT_KEYWORDS)
    keywords.update(values.get("keywords", {}))
    return Config(
        root=root,
        path=path,
        catalogs=catalogs,
        source_locale=values.get("source-locale", "en"),
        locales=values.get("locales", ()),
        domains={name: _domain(root, catalogs, name, domain) for name, domain in tables.items()},
        keywords=keywords,
        comment_tags=values.get("comment-tags", ("Translators:",)),
        strip_comment_tags=values.get("strip-comment-tags", False),
        ignore_dirs=values.get("ignore-dirs", ()),
        output=_output(values.get("output", {})),
        checks=_check_settings(file, values),
        pseudo_locales=values.get("pseudo-locales", ()),
        audit=_audit_settings(root, values.get("audit", {})),
    )


def _check_settings(file: _File, values: dict) -> CheckSettings:
    table = values.get("check", {})
    required = table.get("required-locales", ())
    for locale in required:
        if locale not in values.get("locales", ()):
            raise file.error(("check", "required-locales"), f"required locale '{locale}' is not in 'locales'")
    rest = {key.replace("-", "_"): value for key, value in table.items()}
    return CheckSettings(**rest)


def _cfg_table(parser: configparser.RawConfigParser, path: Path) -> dict | None:
    """The [i18n-tool] and [i18n-tool.*] sections as nested tables, None when there are none."""
    table = None
    for section in parser.sections():
        parts = section.split(".")
        if parts[0] != "i18n-tool":
            continue
        table = {} if table is None else table
        node = table
        for part in parts[1:]:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise InputError(f"[{section}] clashes with the key '{part}'", path=path)
        node.update(parser.items(section))
    return table


def _read_config(path: Path) -> tuple[_File, dict]:
    text = _read(path)
    root = path.absolute().parent
    if path.suffix == ".cfg":
        table = _cfg_table(_parse_cfg(path, text), path)
        lines = {tuple(key[0].split(".")) + key[1:]: line for key, line in _cfg_lines(text).items()}
        file = _File(path, root, lines, ("i18n-tool",), cfg=True)
        if table is None:
            raise InputError(f"no [i18n-tool] section in {path.name}", path=path)
        return file, table
    if path.suffix != ".toml":
        raise InputError(
            "unknown kind of config file", path=path, hint="use i18n-tool.toml, pyproject.toml or setup.cfg"
        )
    data = _parse_toml(path, text)
    prefix = ("tool", "i18n-tool") if path.name == "pyproject.toml" else ()
    file = _File(path, root, _toml_lines(text), prefix)
    if not prefix:
        return file, data
    tool = data.get("tool")
    table = tool.get("i18n-tool") if isinstance(tool, dict) else None
    if table is None:
        hint = _suggest("i18n-tool", tool, "tables in [tool]") if isinstance(tool, dict) and tool else None
        raise InputError(f"no [tool.i18n-tool] table in {path.name}", path=path, hint=hint)
    if not isinstance(table, dict):
        raise file.error((), f"'tool.i18n-tool' must be a table, not {_type_name(table)}")
    return file, table


def _declares_config(path: Path) -> bool:
    if path.name == "i18n-tool.toml":
        return True
    text = _read(path)
    if "i18n-tool" not in text:
        return False  # cheap; and a broken file unrelated to us is not our error
    if path.suffix == ".toml":
        tool = _parse_toml(path, text).get("tool", {})
        return isinstance(tool, dict) and "i18n-tool" in tool
    return _cfg_table(_parse_cfg(path, text), path) is not None


def find_config(start: Path) -> Path | None:
    """The first config file from ``start`` upward, stopping at a directory holding .git."""
    start = Path(start).absolute()
    if start.is_file():
        start = start.parent
    for directory in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file() and _declares_config(candidate):
                return candidate
        if (directory / ".git").exists():
            return None
    return None


def load_config(path: Path | None = None, start: Path | None = None) -> Config:
    """The validated configuration from ``path``, or found from ``start`` (default: the cwd)."""
    if path is None:
        start = Path(start if start is not None else os.getcwd()).absolute()
        if start.is_file():
            start = start.parent
        path = find_config(start)
        if path is None:
            return _build(_File(None, start, {}), {}, None)
    path = Path(path)
    file, table = _read_config(path)
    return _build(file, table, path.absolute())


# --- Babel mapping files -----------------------------------------------------------------------------------


def load_mapping_file(path: Path) -> tuple[Rule, ...]:
    """The rules of a Babel mapping file (.cfg/.ini syntax, or .toml as Babel reads it).

    A rule's method is not checked here: pybabel loads a method only for a file the rule
    matches, so real mapping files carry rules with unknown methods that match nothing.
    Extraction makes such a rule a warning, or an error once a file matches it."""
    path = Path(path)
    text = _read(path)
    if path.suffix == ".toml":
        return _toml_mapping(path, text)
    return _cfg_mapping(path, text)


def _cfg_mapping(path: Path, text: str) -> tuple[Rule, ...]:
    parser = _parse_cfg(path, text)
    file = _File(path, path.parent, _cfg_lines(text), cfg=True)
    aliases = dict(parser.items("extractors")) if parser.has_section("extractors") else {}
    rules = ()
    for section in parser.sections():
        if section == "extractors":
            continue
        method, colon, pattern = (part.strip() for part in section.partition(":"))
        if not colon:
            raise file.error((section,), f"section [{section}] is not [method: pattern]")
        method = aliases.get(method, method)  # unknown ones: see load_mapping_file
        options = _babel_options(file, (section,), dict(parser.items(section)))
        rules += _rules(file, (section,), [pattern], method, options)
    return rules


def _toml_mapping(path: Path, text: str) -> tuple[Rule, ...]:
    data = _parse_toml(path, text)
    prefix = ("tool", "babel") if path.name == "pyproject.toml" else ()
    file = _File(path, path.parent, _toml_lines(text), prefix)
    table = data
    for key in prefix:
        table = table.get(key) if isinstance(table, dict) else None
    if not isinstance(table, dict):
        raise InputError(f"no [tool.babel] table in {path.name}", path=path)
    if "mapping" in table:
        raise file.error(("mapping",), "unknown key 'mapping'", hint="did you mean 'mappings'?")
    aliases = table.get("extractors", {})
    if not isinstance(aliases, dict) or not all(isinstance(value, str) for value in aliases.values()):
        raise file.error(("extractors",), "'extractors' must be a table of strings (name = \"module:function\")")
    entries = table.get("mappings", [])
    if not isinstance(entries, list):
        raise _type_error(file, ("mappings",), "a list of tables", entries)
    rules = ()
    for index, entry in enumerate(entries):
        keys = ("mappings", index)
        if not isinstance(entry, dict):
            raise _type_error(file, keys, "a table", entry)
        options = dict(entry)
        for required in ("pattern", "method"):
            if required not in options:
                raise file.error(keys, f"mapping entry has no '{required}'")
        method = _string(file, keys + ("method",), options.pop("method"))
        method = aliases.get(method, method)
        patterns = _patterns(file, keys + ("pattern",), options.pop("pattern"))
        rules += _rules(file, keys, patterns, method, _babel_options(file, keys, options))
    return rules
