"""Babel mapping files (``.cfg``/``.ini``, or ``.toml`` as Babel reads it), and the mapping rules and
extraction options a configuration gives inline, read as Babel reads them."""

from __future__ import annotations

import difflib
from pathlib import Path

from i18n_tool.config.convert import Source, absolute, check_table, key_name, string, string_list, type_error
from i18n_tool.config.reader import ini_lines, parse_cfg, parse_toml, read_text, toml_lines
from i18n_tool.config.schema import Rule
from i18n_tool.errors import InputError


def keyword_specs(file, keys, specs) -> dict:
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
                f"'{key_name(keys)}': bad keyword spec '{spec}'",
                hint="write NAME or NAME:ARGS, e.g. 'ngettext:1,2' or 'pgettext:1c,2'",
            )
    return parse_keywords(specs)


def keyword_list(file, keys, value) -> dict:
    # In setup.cfg keyword specs are whitespace-separated: they contain commas themselves.
    return keyword_specs(file, keys, string_list(file, keys, value, cfg_separator=r"\s+"))


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


def method_name(file, keys, value) -> str:
    return _check_method(file, keys, string(file, keys, value))


def pattern_list(file, keys, value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    raise type_error(file, keys, "a string or a list of strings", value)


def _option_text(file, keys, value) -> str:
    """An option value in Babel's string form, as a mapping .cfg file would spell it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int)):
        return str(value)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        # keywords and add_comments are whitespace-split by Babel; other list options comma-split
        return (" " if key_name(keys) in ("keywords", "add_comments") else ",").join(value)
    raise type_error(file, keys, "a string, boolean, integer or list of strings", value)


def babel_options(file, keys, raw: dict) -> dict:
    """Options as Babel's _parse_string_options returns them."""
    if not raw:
        return {}
    from babel.messages.frontend import _parse_string_options, listify_value

    text = {key: _option_text(file, keys + (key,), value) for key, value in raw.items()}
    if text.get("keywords"):
        keyword_specs(file, keys + ("keywords",), listify_value(text["keywords"]))
    options = _parse_string_options(text)
    if isinstance(raw.get("add_comments"), list):  # keep tags that contain spaces whole
        options["add_comments"] = list(raw["add_comments"])
    return options


def mapping_options(file, keys, value) -> dict:
    if not isinstance(value, dict):
        raise type_error(file, keys, "a table", value)
    return babel_options(file, keys, value)


def rules_for(file, keys, patterns, method, options) -> tuple[Rule, ...]:
    origin = str(file.path) if file.path else None
    return tuple(Rule(pattern, method, dict(options), origin, file.line(keys)) for pattern in patterns)


def inline_mapping(file, keys, value) -> tuple[Rule, ...]:
    if not isinstance(value, list):
        raise type_error(file, keys, "a list of tables", value)
    rules = ()
    for index, entry in enumerate(value):
        entry_keys = keys + (index,)
        entry = check_table(file, entry_keys, entry, _MAPPING_KEYS)
        for required in ("pattern", "method"):
            if required not in entry:
                raise file.error(entry_keys, f"mapping entry has no '{required}'")
        rules += rules_for(file, entry_keys, entry["pattern"], entry["method"], entry.get("options", {}))
    return rules


def mapping_file(file, keys, value) -> tuple[Rule, ...]:
    name = string(file, keys, value)
    path = absolute(file.root, name)
    if not path.is_file():
        raise file.error(keys, f"mapping file '{name}' does not exist")
    return load_mapping_file(path)


_MAPPING_KEYS = {"pattern": pattern_list, "method": method_name, "options": mapping_options}


def load_mapping_file(path: Path) -> tuple[Rule, ...]:
    """The rules of a Babel mapping file (.cfg/.ini syntax, or .toml as Babel reads it).

    A rule's method is not checked here: pybabel loads a method only for a file the rule
    matches, so real mapping files carry rules with unknown methods that match nothing.
    Extraction makes such a rule a warning, or an error once a file matches it."""
    path = Path(path)
    text = read_text(path)
    if path.suffix == ".toml":
        return _toml_mapping(path, text)
    return _cfg_mapping(path, text)


def _cfg_mapping(path: Path, text: str) -> tuple[Rule, ...]:
    parser = parse_cfg(path, text)
    file = Source(path, path.parent, ini_lines(text, lowercase_keys=True), cfg=True)
    aliases = dict(parser.items("extractors")) if parser.has_section("extractors") else {}
    rules = ()
    for section in parser.sections():
        if section == "extractors":
            continue
        method, colon, pattern = (part.strip() for part in section.partition(":"))
        if not colon:
            raise file.error((section,), f"section [{section}] is not [method: pattern]")
        method = aliases.get(method, method)  # unknown ones: see load_mapping_file
        options = babel_options(file, (section,), dict(parser.items(section)))
        rules += rules_for(file, (section,), [pattern], method, options)
    return rules


def _toml_mapping(path: Path, text: str) -> tuple[Rule, ...]:
    data = parse_toml(path, text)
    prefix = ("tool", "babel") if path.name == "pyproject.toml" else ()
    file = Source(path, path.parent, toml_lines(text), prefix)
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
        raise type_error(file, ("mappings",), "a list of tables", entries)
    rules = ()
    for index, entry in enumerate(entries):
        keys = ("mappings", index)
        if not isinstance(entry, dict):
            raise type_error(file, keys, "a table", entry)
        options = dict(entry)
        for required in ("pattern", "method"):
            if required not in options:
                raise file.error(keys, f"mapping entry has no '{required}'")
        method = string(file, keys + ("method",), options.pop("method"))
        method = aliases.get(method, method)
        patterns = pattern_list(file, keys + ("pattern",), options.pop("pattern"))
        rules += rules_for(file, keys, patterns, method, babel_options(file, keys, options))
    return rules
