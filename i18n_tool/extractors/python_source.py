"""The ``python`` extraction method: Babel's ``extract_python``, plus Pyramid i18n and lint.

``extract`` follows Babel's extractor protocol and delegates the tokenizing to
``babel.messages.extract.extract_python``; for ordinary code it yields exactly what Babel
yields.  With Pyramid support on (the default; option ``pyramid = "false"`` turns it off),
one ``ast`` pass over the same source fixes what a tokenizer cannot see:

* a literal ``context="..."`` keyword argument becomes the message's msgctxt;
* a literal ``default="..."`` keyword argument becomes the extracted comment
  ``Default: ...`` (the msgid stays the first argument: in Pyramid it is an id);
* ``x.translate(...)`` / ``x.pluralize(...)`` are kept only when their message arguments
  are string literals (``str.translate({...})`` is not a message).

How a context reaches Babel: Babel's ``extract()`` takes the msgctxt from the keyword spec
of the function name an extractor yields, so a message that gained a context is re-yielded
as ``(lineno, "_i18n_ctx", (context, msgid), comments)`` (``"_i18n_nctx"`` with
``(context, singular, plural)``).  ``keywords_for`` adds those private keywords, with specs
``((1, "c"), 2)`` and ``((1, "c"), 2, 3)``, to the keyword dict.  When they are missing
(pybabel running ``i18n_python`` with its own keywords) any keyword whose spec is the same,
such as ``pgettext``, carries the context instead; when there is none, the message keeps
Babel's result.  Babel passes only ``keywords.keys()`` to an extractor; the specs are read
through the view's ``mapping`` (``DEFAULT_KEYWORDS`` + ``PYRAMID_KEYWORDS`` for bare names).
"""

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO

from babel.messages.extract import DEFAULT_KEYWORDS, extract_python
from babel.util import parse_encoding

from i18n_tool.findings import Finding

CONTEXT_KEYWORDS = {1: "_i18n_ctx", 2: "_i18n_nctx"}
CONTEXT_SPECS = {1: ((1, "c"), 2), 2: ((1, "c"), 2, 3)}

PYRAMID_KEYWORDS = {
    "TranslationString": None,
    "translate": None,
    "pluralize": (1, 2),
    "_i18n_ctx": CONTEXT_SPECS[1],
    "_i18n_nctx": CONTEXT_SPECS[2],
}

# Names that are also ordinary methods (str.translate): kept only when the AST confirms literals.
CONFIRM_NAMES = frozenset({"translate", "pluralize"})
# Keyword arguments that tell us something the tokenizer loses (a cheap substring test).
_KWARG_HINTS = (b"context", b"default")
_FALSE = {"false", "0", "no", "off"}


# -- options and keyword specs ------------------------------------------------------------


def pyramid_enabled(options) -> bool:
    value = (options or {}).get("pyramid", True)
    if isinstance(value, str):
        return value.strip().lower() not in _FALSE
    return bool(value)


def keywords_for(keywords: Mapping, options) -> dict:
    """The keyword dict to use with this method: ``PYRAMID_KEYWORDS`` merged in when on.

    The user's specs win for the public Pyramid names; the private context keywords are ours.
    """
    if not pyramid_enabled(options):
        return dict(keywords)
    private = {name: PYRAMID_KEYWORDS[name] for name in CONTEXT_KEYWORDS.values()}
    return {**PYRAMID_KEYWORDS, **keywords, **private}


def _keyword_specs(keywords) -> dict:
    """Names to specs, from a dict, from the ``dict.keys()`` view Babel passes, or by name."""
    if isinstance(keywords, Mapping):
        return dict(keywords)
    mapping = getattr(keywords, "mapping", None)
    if isinstance(mapping, Mapping):
        return dict(mapping)
    known = {**DEFAULT_KEYWORDS, **PYRAMID_KEYWORDS}
    return {name: known.get(name) for name in keywords}


def _positions(spec) -> tuple[list[int], list[int]]:
    """(message positions, context positions), 1-based, of a simple keyword spec."""
    spec = spec or (1,)
    messages = [p for p in spec if isinstance(p, int)]
    contexts = [p[0] for p in spec if isinstance(p, tuple)]
    return messages, contexts


def _context_keyword(specs: dict, count: int) -> str | None:
    """A keyword whose spec puts a context first and then ``count`` messages."""
    wanted = CONTEXT_SPECS.get(count)
    names = [CONTEXT_KEYWORDS.get(count), *sorted(specs)]
    return next((name for name in names if name in specs and specs[name] == wanted), None)


# -- the extractor --------------------------------------------------------------------------


def extract(fileobj, keywords, comment_tags, options):
    """Babel's extractor protocol: yields ``(lineno, funcname, messages, comments)``."""
    options = options or {}
    data = fileobj.read()
    results = extract_python(BytesIO(data), keywords, comment_tags, options)
    if not pyramid_enabled(options):
        yield from results
        return
    results = list(results)
    calls = _pyramid_calls(data, options, results, keywords)
    if calls is None:
        yield from results
        return
    specs = _keyword_specs(keywords)
    for result in results:
        adjusted = _adjust(result, calls, specs)
        if adjusted is not None:
            yield adjusted


@dataclass
class _Call:
    """What the AST knows about one keyword call."""

    first_line: int
    last_line: int
    args: list  # the literal text of each positional argument, None where not a literal
    context: str | None
    default: str | None


def _pyramid_calls(data: bytes, options, results, keywords) -> dict | None:
    """Keyword calls by name, in source order; None when no adjustment can apply."""
    hinted = any(hint in data for hint in _KWARG_HINTS)
    if not (hinted or any(r[1] in CONFIRM_NAMES for r in results)):
        return None
    tree = _parse_bytes(data, options)
    if tree is None:
        return None
    calls = {}
    for node in sorted(_keyword_calls(tree, keywords), key=_name_position):
        calls.setdefault(_call_name(node), []).append(_describe(node))
    return calls


def _parse_bytes(data: bytes, options) -> ast.Module | None:
    encoding = parse_encoding(BytesIO(data)) or options.get("encoding", "UTF-8")
    try:
        return _parse(data.decode(encoding).removeprefix("\ufeff"))
    except (SyntaxError, ValueError):  # Babel's tokenizer may still cope; keep its result
        return None


@lru_cache(maxsize=2)
def _parse(source: str) -> ast.Module:
    """The module's tree, parsed once for both the lint and the extraction (read-only)."""
    return ast.parse(source)


def _describe(node: ast.Call) -> _Call:
    kwargs = {kw.arg: _literal(kw.value) for kw in node.keywords if kw.arg}
    args = [_literal(arg) for arg in node.args]
    return _Call(node.lineno, node.end_lineno, args, kwargs.get("context"), kwargs.get("default"))


def _adjust(result, calls: dict, specs: dict):
    """Babel's result with the Pyramid adjustments; None when it is not a message."""
    lineno, funcname, messages, comments = result
    spec = specs.get(funcname)
    if isinstance(spec, dict):  # arity-dependent specs: left exactly as Babel has them
        return result
    messages = messages if isinstance(messages, tuple) else (messages,)
    call = _take(calls.get(funcname, []), lineno, messages, spec)
    if call is None:
        return None if funcname in CONFIRM_NAMES else result
    msg_positions, context_positions = _positions(spec)
    if call.default is not None and call.default != messages[msg_positions[0] - 1]:
        comments = [*comments, f"Default: {call.default}"]
    keyword = _context_keyword(specs, len(msg_positions))
    if call.context is None or context_positions or keyword is None:
        return lineno, funcname, result[2], comments
    return lineno, keyword, (call.context, *(messages[p - 1] for p in msg_positions)), comments


def _take(candidates: list, lineno: int, messages: tuple, spec) -> _Call | None:
    """Remove and return the call Babel reported at ``lineno`` with these messages."""
    if lineno is None:  # `_()`: Babel reports no line and no message
        return None
    positions, _ = _positions(spec)
    for call in candidates:
        if call.first_line <= lineno <= call.last_line and _agrees(call, messages, positions):
            candidates.remove(call)
            return call
    return None


def _agrees(call: _Call, messages: tuple, positions: list[int]) -> bool:
    return all(
        p <= len(messages) and p <= len(call.args) and call.args[p - 1] is not None
        and messages[p - 1] == call.args[p - 1]
        for p in positions
    )


# -- AST helpers ----------------------------------------------------------------------------


def _call_name(node) -> str | None:
    """The name the tokenizer sees right before ``(``: ``f`` in ``f(...)`` and ``a.b.f(...)``."""
    if not isinstance(node, ast.Call):
        return None
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _keyword_calls(tree, keywords):
    return (node for node in ast.walk(tree) if _call_name(node) in keywords)


def _name_position(node: ast.Call) -> tuple[int, int]:
    func = node.func
    if isinstance(func, ast.Attribute):
        return func.end_lineno, func.end_col_offset - len(func.attr)
    return func.lineno, func.col_offset


def _literal(node) -> str | None:
    """The text of a string literal (adjacent literals and placeholder-free f-strings too)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr) and all(isinstance(v, ast.Constant) for v in node.values):
        return "".join(v.value for v in node.values)
    return None


# -- lint -----------------------------------------------------------------------------------


def lint(source: str, path: str, keywords: dict) -> list[Finding]:
    """Warnings for keyword calls whose message arguments cannot be extracted as written."""
    try:
        tree = _parse(source.removeprefix("\ufeff"))
    except (SyntaxError, ValueError) as exc:
        return [_syntax_error(exc, path)]
    lines = source.splitlines()
    findings = []
    for node in _keyword_calls(tree, keywords):
        findings.extend(_lint_call(node, keywords[_call_name(node)], path, lines))
    return sorted(findings)


def _syntax_error(exc: Exception, path: str) -> Finding:
    line = getattr(exc, "lineno", None)
    col = getattr(exc, "offset", None)
    message = getattr(exc, "msg", None) or str(exc)
    return Finding(path, line, "error", "syntax-error", f"cannot parse Python: {message}", col)


def _lint_call(node: ast.Call, spec, path: str, lines: list[str]):
    name = _call_name(node)
    if isinstance(spec, dict):
        spec = spec.get(len(node.args), spec.get(None))
    msg_positions, context_positions = _positions(spec)
    for position in sorted(msg_positions + context_positions):
        if position > len(node.args) or _has_starred(node.args[:position]):
            break
        arg = node.args[position - 1]
        problem = _problem(arg, name)
        # localizer.translate(ts) / pluralize(a, b, n) take TranslationString objects too
        if problem and not (name in CONFIRM_NAMES and problem[0] == "non-literal-msgid"):
            code, message = problem
            yield Finding(path, arg.lineno, "warning", code, message, _column(lines, arg))


def _has_starred(args) -> bool:
    return any(isinstance(arg, ast.Starred) for arg in args)


def _problem(arg, name: str) -> tuple[str, str] | None:
    """(code, message) when ``arg`` is not a plain string literal."""
    if _literal(arg) is not None:
        return None
    if isinstance(arg, ast.JoinedStr):
        return "fstring-msgid", (
            f"an f-string inside {name}() is formatted before translation: "
            f"use a placeholder and mapping= / % after {name}()")
    if isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Mod):
        return "formatted-msgid", (
            f"'%' inside {name}(): the formatted text is looked up, never the extracted msgid; "
            "move '% ...' outside the call")
    if _call_name(arg) == "format" and isinstance(arg.func, ast.Attribute):
        return "formatted-msgid", (
            f"'.format()' inside {name}(): the formatted text is looked up, never the extracted "
            f"msgid; call .format() on the result of {name}()")
    return "non-literal-msgid", (
        f"{name}() called with {_kind(arg)}: {_short(arg)!r} cannot be extracted; "
        "pass a string literal")


def _kind(arg) -> str:
    if isinstance(arg, ast.Name):
        return "a variable"
    if isinstance(arg, ast.BinOp) and isinstance(arg.op, ast.Add):
        return "a concatenation"
    return "an expression"


def _short(arg, limit: int = 60) -> str:
    text = ast.unparse(arg)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _column(lines: list[str], node) -> int:
    """1-based character column (the AST counts UTF-8 bytes)."""
    line = lines[node.lineno - 1] if node.lineno <= len(lines) else ""
    return len(line.encode()[: node.col_offset].decode(errors="ignore")) + 1


# -- pre-scan -------------------------------------------------------------------------------


def could_contain_messages(data: bytes, keywords) -> bool:
    """False only when Babel cannot extract anything from ``data`` with these keywords.

    A message needs a keyword as a whole name token.  Non-ASCII-compatible encodings
    (NUL bytes: UTF-16/32) and non-ASCII keywords (their bytes depend on the encoding)
    are answered conservatively.
    """
    pattern = _keyword_pattern(frozenset(keywords))
    if pattern is None:
        return False
    return b"\0" in data or pattern.search(data) is not None


@lru_cache(maxsize=64)
def _keyword_pattern(names: frozenset) -> re.Pattern | None:
    ascii_names = sorted((n for n in names if n.isascii()), key=lambda n: (-len(n), n))
    alternatives = []
    if ascii_names:
        words = b"|".join(re.escape(n.encode()) for n in ascii_names)
        alternatives.append(rb"(?<![A-Za-z0-9_])(?:" + words + rb")(?![A-Za-z0-9_])")
    if len(ascii_names) < len(names):
        alternatives.append(rb"[\x80-\xff]")
    return re.compile(b"|".join(alternatives)) if alternatives else None
