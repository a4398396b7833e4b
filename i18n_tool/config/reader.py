"""Reading configuration files with the line of every key: TOML, and INI in two dialects.

Shared by the project's configuration (``i18n_tool.config``), Babel mapping files and the
Transifex files (``.tx/config``, ``~/.transifexrc``). A problem is an
:class:`~i18n_tool.errors.InputError` with the file and, where there is one, the line.
"""

from __future__ import annotations

import configparser
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from i18n_tool.errors import InputError


def read_text(path: Path, missing: str | None = None, hint: str | None = None) -> str:
    """The file's UTF-8 text. With ``missing``, a file that does not exist is that message (and ``hint``)."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", path=path) from None
    except FileNotFoundError as exc:
        if missing is None:
            raise InputError(f"cannot read file: {exc.strerror}", path=path) from None
        raise InputError(missing, path=path, hint=hint) from None
    except IsADirectoryError as exc:
        if missing is None:
            raise InputError(f"cannot read file: {exc.strerror}", path=path) from None
        raise InputError("is a directory, not a file", path=path) from None
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", path=path) from None


class Located:
    """What a reader found, with ``lines``: key path -> 1-based line, below ``prefix`` (the table being read)."""

    path: Path | None
    lines: dict[tuple, int]
    prefix: tuple = ()

    def line(self, keys) -> int | None:
        """Line of ``keys`` (below the prefix), else of the nearest enclosing table found."""
        full = self.prefix + tuple(keys)
        for end in range(len(full), len(self.prefix) - 1, -1):
            if full[:end] in self.lines:
                return self.lines[full[:end]]
        return None

    def error(self, keys, message: str, hint: str | None = None) -> InputError:
        return InputError(message, path=self.path, line=self.line(keys), hint=hint)


# --- TOML ----------------------------------------------------------------------------------------------

_KEY_PART = r"""[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'"""
_DOTTED_KEY = rf"(?:{_KEY_PART})(?:\s*\.\s*(?:{_KEY_PART}))*"
_TOML_HEADER = re.compile(rf"\s*(\[\[?)\s*({_DOTTED_KEY})\s*\]\]?\s*(?:#.*)?$")
_TOML_KEY = re.compile(rf"\s*({_DOTTED_KEY})\s*=")


def _split_key(text: str) -> tuple[str, ...]:
    return tuple(part.strip("\"'") for part in re.findall(_KEY_PART, text))


def toml_lines(text: str) -> dict[tuple, int]:
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


def parse_toml(path: Path, text: str) -> dict:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        where = re.search(r" \(at line (\d+), column (\d+)\)$", message)
        if where:
            message = message[: where.start()]
            raise InputError(f"invalid TOML: {message}", path, int(where[1]), int(where[2])) from None
        raise InputError(f"invalid TOML: {message}", path) from None


# --- INI -----------------------------------------------------------------------------------------------

_SECTION = re.compile(r"\[(?P<name>.+)\]")  # configparser's, on the stripped line
_OPTION = re.compile(r"(?P<key>.*?)\s*[=:]")


def ini_lines(text: str, lowercase_keys: bool = False) -> dict[tuple, int]:
    """Line of every ``[section]`` as (section,) and of every option as (section, option).

    ``lowercase_keys``: as configparser's default reads them (Babel, setup.cfg); else as written (go-ini)."""
    lines: dict[tuple, int] = {}
    section = None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", ";")) or line[:1].isspace():
            continue  # blank, comment, or a continuation line
        if match := _SECTION.match(stripped):
            section = match["name"]
            lines.setdefault((section,), number)
        elif section is not None and (match := _OPTION.match(stripped)):
            key = match["key"].strip()
            lines.setdefault((section, key.lower() if lowercase_keys else key), number)
    return lines


def parse_cfg(path: Path, text: str) -> configparser.RawConfigParser:
    """An INI file as Babel and setup.cfg read it: configparser's defaults, option names in lower case."""
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


@dataclass
class Ini(Located):
    """An INI file as go-ini reads it (the Transifex CLI): sections in file order, keys case-sensitive."""

    path: Path | None
    sections: dict[str, dict[str, str]]
    lines: dict[tuple, int]


_INLINE_COMMENT = re.compile(r"\s[#;]")


def ini_value(raw: str) -> str:
    """A value as go-ini gives it: quotes (```...```, ``"..."``) removed, else an inline comment cut."""
    value = raw.strip()
    for quote in ('"""', "`", '"'):
        if len(value) >= 2 * len(quote) and value.startswith(quote) and value.endswith(quote):
            return value[len(quote):-len(quote)]
    match = _INLINE_COMMENT.search(value)
    return value[: match.start()].rstrip() if match else value


def parse_ini(path: Path | None, text: str, quote: bool = True) -> Ini:
    """Parse INI ``text``; errors name the line but never quote it, nor with ``quote=False`` any name in it
    (a file holding a token)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    parser = configparser.RawConfigParser(
        strict=True,
        interpolation=None,
        delimiters=("=", ":"),
        comment_prefixes=("#", ";"),
        inline_comment_prefixes=None,
        empty_lines_in_values=False,
        default_section="\x00 none",  # a [DEFAULT] section is an ordinary section here, as in go-ini
    )
    parser.optionxform = str  # keys are case-sensitive: trans.pt_BR
    try:
        parser.read_string(text)
    except configparser.MissingSectionHeaderError as exc:
        raise InputError("a key before the first [section]", path=path, line=exc.lineno) from None
    except configparser.DuplicateSectionError as exc:
        what = f"section [{exc.section}]" if quote else "a section"
        raise InputError(f"{what} appears twice", path=path, line=exc.lineno, hint="merge the two sections") from None
    except configparser.DuplicateOptionError as exc:
        what = f"'{exc.option}' is set twice in [{exc.section}]" if quote else "a key is set twice in its section"
        raise InputError(what, path=path, line=exc.lineno, hint="keep one of them") from None
    except configparser.ParsingError as exc:
        line = exc.errors[0][0] if exc.errors else None
        raise InputError("this line is not 'key = value', a [section] or a # comment", path=path,
                         line=line) from None
    sections = {name: {key: ini_value(raw) for key, raw in parser.items(name)} for name in parser.sections()}
    return Ini(path, sections, ini_lines(text))
