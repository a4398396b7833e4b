"""Converters: ``(source, keys, raw value) -> value``, checking one value of a configuration file.

A level of the configuration is a table of ``key -> converter`` (:func:`check_table`); a bad value
is an :class:`~i18n_tool.errors.InputError` at the line of its key.
"""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from i18n_tool.config.reader import Located
from i18n_tool.errors import InputError


@dataclass
class Source(Located):
    """The configuration file being read, and where its keys are."""

    path: Path | None  # as given, for messages
    root: Path  # relative paths in the file are relative to this
    lines: dict[tuple, int]  # key path -> 1-based line
    prefix: tuple[str, ...] = ()  # key path of the table being read, e.g. ("tool", "i18n-tool")
    cfg: bool = False  # values are configparser strings

    def table_name(self, keys) -> str:
        names = [*self.prefix, *(str(k) for k in keys if not isinstance(k, int))]
        if not names:
            return self.path.name if self.path else "the configuration"
        if keys and isinstance(keys[-1], int):
            return f"[[{'.'.join(names)}]]"
        return f"[{'.'.join(names)}]"


def key_name(keys) -> str:
    return next(str(k) for k in reversed(keys) if not isinstance(k, int))


def type_name(value) -> str:
    return "table" if isinstance(value, dict) else type(value).__name__


def type_error(file: Source, keys, expected: str, value) -> InputError:
    return file.error(keys, f"'{key_name(keys)}' must be {expected}, not {type_name(value)}")


def suggest(word: str, choices, what: str) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f"did you mean '{close[0]}'?" if close else f"{what}: {', '.join(choices)}"


def string(file, keys, value) -> str:
    if not isinstance(value, str):
        raise type_error(file, keys, "a string", value)
    return value


_CFG_BOOLEANS = {
    **dict.fromkeys(("true", "yes", "on", "1"), True),
    **dict.fromkeys(("false", "no", "off", "0"), False),
}


def boolean(file, keys, value) -> bool:
    if file.cfg and isinstance(value, str):
        value = _CFG_BOOLEANS.get(value.strip().lower(), value)
    if not isinstance(value, bool):
        raise type_error(file, keys, "true or false", value)
    return value


def string_list(file, keys, value, cfg_separator=r"[,\n]") -> tuple[str, ...]:
    if file.cfg and isinstance(value, str):
        value = [item.strip() for item in re.split(cfg_separator, value) if item.strip()]
    if not isinstance(value, list):
        raise type_error(file, keys, "a list of strings", value)
    for item in value:
        if not isinstance(item, str):
            message = f"'{key_name(keys)}' must be a list of strings, but has a {type_name(item)} item {item!r}"
            raise file.error(keys, message)
    return tuple(value)


def whole_number(file, keys, value) -> int:
    if file.cfg and isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise file.error(keys, f"'{key_name(keys)}' must be a whole number >= 0")
    return value


def one_of(*allowed):
    def convert(file, keys, value):
        if value not in allowed:
            raise file.error(keys, f"'{key_name(keys)}' must be one of {', '.join(allowed)}, not {value!r}")
        return value

    return convert


def locale_id(file, keys, value) -> str:
    from i18n_tool.locales import LocaleError, UnknownLocale, parse_locale  # imports Babel: when a config names locales

    try:
        return parse_locale(value, pseudo=False)
    except UnknownLocale:
        message = f"'{key_name(keys)}': '{value}' is not a locale (Babel knows no such locale)"
        raise file.error(keys, message) from None
    except LocaleError:
        message = f"'{key_name(keys)}': '{value}' is not a locale identifier"
        raise file.error(keys, message, hint="write it like 'de' or 'pt_BR'") from None


def locale_code(file, keys, value) -> str:
    return locale_id(file, keys, string(file, keys, value))


def locale_list(file, keys, value) -> tuple[str, ...]:
    locales = [locale_id(file, keys, item) for item in string_list(file, keys, value)]
    for index, locale in enumerate(locales):
        if locale in locales[:index]:
            raise file.error(keys, f"'{key_name(keys)}': '{locale}' is listed twice")
    return tuple(locales)


def percentage(file, keys, value) -> float:
    if file.cfg and isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            pass
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 100:
        raise file.error(keys, f"'{key_name(keys)}' must be a percentage from 0 to 100")
    return float(value)


def check_table(file, keys, value, schema) -> dict:
    if not isinstance(value, dict):
        raise type_error(file, keys, "a table", value)
    valid = {key: convert for key, convert in schema.items() if not (file.cfg and key in NOT_IN_CFG)}
    result = {}
    for key, item in value.items():
        if key not in valid:
            message = f"unknown key '{key}' in {file.table_name(keys)}"
            raise file.error(keys + (key,), message, hint=suggest(key, valid, "valid keys"))
        result[key] = valid[key](file, keys + (key,), item)
    return result


NOT_IN_CFG = {"mapping", "audit"}  # setup.cfg has no inline mapping (use mapping-file), nor lists of tables


def list_of_tables(file, keys, value, schema, required) -> list[dict]:
    if not isinstance(value, list):
        raise type_error(file, keys, "a list of tables", value)
    tables = []
    for index, entry in enumerate(value):
        table = check_table(file, keys + (index,), entry, schema)
        for key in required:
            if key not in table:
                raise file.error(keys + (index,), f"{file.table_name(keys + (index,))} has no '{key}'")
        tables.append(table)
    return tables


def absolute(root: Path, value: str | Path) -> Path:
    return Path(os.path.normpath(root / value))
