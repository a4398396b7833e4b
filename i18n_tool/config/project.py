"""The project's configuration: ``[tool.i18n-tool]`` in pyproject.toml, ``i18n-tool.toml``, or
``[i18n-tool]`` in setup.cfg, found from a directory upward and read into a validated
:class:`~i18n_tool.config.schema.Config`.

Every problem is an :class:`~i18n_tool.errors.InputError` naming the file and the line of the
offending key. Each level of the configuration is a table of ``key -> converter``
(:mod:`i18n_tool.config.convert`).
"""

from __future__ import annotations

import configparser
import os
import re
from functools import partial
from pathlib import Path

from i18n_tool.a11y.config import AUDIT_KEYS, audit_settings
from i18n_tool.config.convert import (Source, absolute, boolean, check_table, key_name, locale_code, locale_id,
                                      locale_list, one_of, percentage, string, string_list, suggest, type_error,
                                      type_name, whole_number)
from i18n_tool.config.mapping import inline_mapping, keyword_list, mapping_file
from i18n_tool.config.reader import ini_lines, parse_cfg, parse_toml, read_text, toml_lines
from i18n_tool.config.schema import DEFAULT_RULES, CheckSettings, Config, Domain, Output
from i18n_tool.errors import InputError

CONFIG_NAMES = ("i18n-tool.toml", "pyproject.toml", "setup.cfg")


def _coverage(file, keys, value) -> dict:
    """One percentage for every locale, or a table of locale (or "*") -> percentage."""
    if not isinstance(value, dict):
        return {"*": percentage(file, keys, value)}
    table = {}
    for locale, percent in value.items():
        name = locale if locale == "*" else locale_id(file, keys + (locale,), locale)
        table[name] = percentage(file, keys + (locale,), percent)
    return table


def _pseudo_locales(file, keys, value) -> tuple[str, ...]:
    from i18n_tool.pseudo import PSEUDO_LOCALES

    names = string_list(file, keys, value)
    for name in names:
        if name not in PSEUDO_LOCALES:
            raise file.error(keys, f"'{key_name(keys)}': '{name}' is not a pseudo-locale",
                             hint=suggest(name, PSEUDO_LOCALES, "pseudo-locales"))
    return names


def _domain_table(file, keys, value, schema=None) -> dict:
    values = check_table(file, keys, value, schema or _DOMAIN_KEYS)
    if "mapping" in values and "mapping-file" in values:
        raise file.error(
            keys + ("mapping-file",), "'mapping' and 'mapping-file' cannot both be given", hint="keep one of them"
        )
    return values


_DOMAIN_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*")


def _domains(file, keys, value) -> dict:
    if not isinstance(value, dict):
        raise type_error(file, keys, "a table of domains", value)
    for name in value:
        if not _DOMAIN_NAME.fullmatch(name):
            raise file.error(keys + (name,), f"domain name '{name}' may only use letters, digits, '_', '-' and '.'")
    return {name: _domain_table(file, keys + (name,), table) for name, table in value.items()}


_DOMAIN_KEYS = {
    "sources": string_list,
    "mapping": inline_mapping,
    "mapping-file": mapping_file,
    "pot": string,
}


_OUTPUT_KEYS = {
    "width": whole_number,
    "wrap": boolean,
    "sort": one_of("none", "msgid", "file"),
    "locations": one_of("full", "file", "none"),
    "omit-header": boolean,
    "project": string,
    "version": string,
    "copyright-holder": string,
    "msgid-bugs-address": string,
}


_CHECK_KEYS = {
    "min-coverage": _coverage,
    "required-locales": locale_list,
    "obsolete-limit": whole_number,
}


_TOP_KEYS = {
    "catalogs": string,
    "source-locale": locale_code,
    "locales": locale_list,
    **_DOMAIN_KEYS,
    "keywords": keyword_list,
    "no-default-keywords": boolean,
    "comment-tags": string_list,
    "strip-comment-tags": boolean,
    "ignore-dirs": string_list,
    "output": partial(check_table, schema=_OUTPUT_KEYS),
    "check": partial(check_table, schema=_CHECK_KEYS),
    "audit": partial(check_table, schema=AUDIT_KEYS),
    "pseudo-locales": _pseudo_locales,
    "domains": _domains,
}


def _domain(root: Path, catalogs: Path, name: str, values: dict) -> Domain:
    rules = values["mapping"] if "mapping" in values else values.get("mapping-file", DEFAULT_RULES)
    pot = absolute(root, values["pot"]) if "pot" in values else catalogs / f"{name}.pot"
    sources = tuple(absolute(root, source) for source in values.get("sources", (".",)))
    return Domain(name=name, sources=sources, rules=rules, pot=pot)


def _output(values: dict) -> Output:
    width = values.get("width", 76)
    if width == 0 or not values.get("wrap", True):
        width = None
    rest = {key.replace("-", "_"): value for key, value in values.items() if key not in ("width", "wrap")}
    return Output(width=width, **rest)


def _build(file: Source, table: dict, path: Path | None) -> Config:
    values = _domain_table(file, (), table, _TOP_KEYS)
    domain_tables = values.get("domains", {})
    if "messages" in domain_tables:
        for key in _DOMAIN_KEYS:
            if key in values:
                where = file.table_name(("domains", "messages"))
                message = f"'{key}' cannot be used together with {where}"
                raise file.error((key,), message, hint="move it into that table")
    root = file.root
    catalogs = absolute(root, values.get("catalogs", "catalogs"))
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
        audit=audit_settings(root, values.get("audit", {})),
    )


def _check_settings(file: Source, values: dict) -> CheckSettings:
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


def _read_config(path: Path) -> tuple[Source, dict]:
    text = read_text(path)
    root = path.absolute().parent
    if path.suffix == ".cfg":
        table = _cfg_table(parse_cfg(path, text), path)
        lines = {tuple(key[0].split(".")) + key[1:]: line for key, line in ini_lines(text, lowercase_keys=True).items()}
        file = Source(path, root, lines, ("i18n-tool",), cfg=True)
        if table is None:
            raise InputError(f"no [i18n-tool] section in {path.name}", path=path)
        return file, table
    if path.suffix != ".toml":
        raise InputError(
            "unknown kind of config file", path=path, hint="use i18n-tool.toml, pyproject.toml or setup.cfg"
        )
    data = parse_toml(path, text)
    prefix = ("tool", "i18n-tool") if path.name == "pyproject.toml" else ()
    file = Source(path, root, toml_lines(text), prefix)
    if not prefix:
        return file, data
    tool = data.get("tool")
    table = tool.get("i18n-tool") if isinstance(tool, dict) else None
    if table is None:
        hint = suggest("i18n-tool", tool, "tables in [tool]") if isinstance(tool, dict) and tool else None
        raise InputError(f"no [tool.i18n-tool] table in {path.name}", path=path, hint=hint)
    if not isinstance(table, dict):
        raise file.error((), f"'tool.i18n-tool' must be a table, not {type_name(table)}")
    return file, table


def _declares_config(path: Path) -> bool:
    if path.name == "i18n-tool.toml":
        return True
    text = read_text(path)
    if "i18n-tool" not in text:
        return False  # cheap; and a broken file unrelated to us is not our error
    if path.suffix == ".toml":
        tool = parse_toml(path, text).get("tool", {})
        return isinstance(tool, dict) and "i18n-tool" in tool
    return _cfg_table(parse_cfg(path, text), path) is not None



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
            return _build(Source(None, start, {}), {}, None)
    path = Path(path)
    file, table = _read_config(path)
    return _build(file, table, path.absolute())
