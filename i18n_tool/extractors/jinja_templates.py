"""The ``jinja2`` extraction method: Jinja2 HTML pages and email templates.

Gives the messages ``jinja2.ext.babel_extract`` gives (same parser, same
``extract_from_ast``, same comment finder), and on top of it:

- each template is lexed once (pybabel lexes it twice) and one Environment
  serves every file with the same options (pybabel builds one per file);
- a syntax error is reported with its file and line instead of the template
  being skipped in silence;
- an extension that cannot be imported is a warning, and the tags it would
  have defined are parsed leniently so the strings inside them still count;
- lint warnings for messages that can never be found at run time.
"""

import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache

from jinja2 import Environment, defaults, nodes
from jinja2.exceptions import TemplateSyntaxError
from jinja2.ext import Extension, InternationalizationExtension, _CommentFinder, extract_from_ast
from jinja2.lexer import TokenStream
from jinja2.parser import _statement_keywords
from jinja2.utils import import_string

from i18n_tool.findings import Finding

# Extensions Jinja2 3.0 removed because what they did is built in now.
REMOVED_EXTENSIONS = {"jinja2.ext.autoescape", "jinja2.ext.with_"}

_BUILTIN_TAGS = set(_statement_keywords) | {"call", "filter"}
_INNER_TAGS = {"else", "elif", "pluralize"}
_TRUE = {"1", "on", "yes", "true"}
# Operators after which `{{ name` inside {% trans %} is more than a plain name.
_EXPRESSION_OPERATORS = {".", "[", "(", "|"}
_CALL_TEXT = re.compile(r"\b(?:trans|pluralize)\b")


@dataclass
class Scan:
    """What one template holds: Babel-style message tuples and findings."""

    messages: list = field(default_factory=list)
    findings: list = field(default_factory=list)


class _LenientTags(Extension):
    """Parses tags of extensions that could not be loaded, keeping their bodies."""

    tags: set = set()
    closers: set = set()

    def parse(self, parser):
        name = next(parser.stream).value
        while parser.stream.current.type != "block_end":
            next(parser.stream)
        end = f"end{name}"
        if end in self.closers:
            return parser.parse_statements((f"name:{end}",), drop_needle=True)
        return []


class _ExtractionEnvironment(Environment):
    """An Environment that keeps the raw tokens of what it parses.

    The comment finder needs the raw token list (comments included); keeping it
    from the parser's own lexing saves pybabel's second lexing pass.
    """

    lenient = False
    raw_tokens: list = []

    def _tokenize(self, source, name, filename=None, state=None):
        source = self.preprocess(source, name, filename)
        self.raw_tokens = list(self.lexer.tokeniter(source, name, filename, state))
        if self.lenient:
            self._prepare_lenient_tags()
        stream = TokenStream(self.lexer.wrap(iter(self.raw_tokens), name, filename), name, filename)
        for ext in self.iter_extensions():
            stream = ext.filter_stream(stream)
            if not isinstance(stream, TokenStream):
                stream = TokenStream(stream, name, filename)
        return stream

    def _prepare_lenient_tags(self):
        used = set(tag_names(self.raw_tokens))
        known = set(_BUILTIN_TAGS)
        for ext in self.iter_extensions():
            if not isinstance(ext, _LenientTags):
                known |= set(ext.tags)
        lenient = self.extensions[_LenientTags.identifier]
        lenient.closers = {tag for tag in used if tag.startswith("end")}
        lenient.tags = {
            tag for tag in used - known - _INNER_TAGS if not tag.startswith("end")
        }


def tag_names(raw_tokens):
    """The tag name of every ``{% tag %}`` and line statement, in order."""
    expecting = False
    for _, kind, value in raw_tokens:
        if kind in ("block_begin", "linestatement_begin"):
            expecting = True
        elif expecting and kind != "whitespace":
            if kind == "name":
                yield value
            expecting = False


def _option(options, key, default=False) -> bool:
    return str(options.get(key, default)).lower() in _TRUE


def extension_names(options) -> list[str]:
    return [name.strip() for name in options.get("extensions", "").split(",") if name.strip()]


def extension_problems(options) -> list[str]:
    """A sentence for each extension named in ``options`` that cannot be loaded."""
    _, failed = load_extensions(extension_names(options))
    return [
        f"Jinja2 extension {name!r} cannot be imported ({reason}); "
        + ("drop it from the mapping" if name in REMOVED_EXTENSIONS
           else "tags it would define are parsed leniently so the strings inside them are kept")
        for name, reason in failed
    ]


def load_extensions(names):
    """Import the named extensions: (classes, [(name, reason) that failed])."""
    loaded, failed = [], []
    for name in names:
        try:
            loaded.append(import_string(name))
        except (ImportError, AttributeError) as exc:
            reason = "removed in Jinja2 3.0, now built in" if name in REMOVED_EXTENSIONS else str(exc)
            failed.append((name, reason))
    return loaded, failed


_ENV_OPTIONS = (
    "extensions", "trimmed", "newstyle_gettext", "block_start_string", "block_end_string",
    "variable_start_string", "variable_end_string", "comment_start_string",
    "comment_end_string", "line_statement_prefix", "line_comment_prefix", "trim_blocks",
    "lstrip_blocks", "keep_trailing_newline",
)


def environment_for(options) -> _ExtractionEnvironment:
    """One Environment per distinct set of Jinja2 options, built as babel_extract builds it."""
    key = tuple((name, str(options[name])) for name in _ENV_OPTIONS if name in options)
    return _build_environment(key)


@lru_cache(maxsize=32)
def _build_environment(key) -> _ExtractionEnvironment:
    options = dict(key)
    classes, failed = load_extensions(extension_names(options))
    if InternationalizationExtension not in classes:
        classes.append(InternationalizationExtension)
    lenient = any(name not in REMOVED_EXTENSIONS for name, _ in failed)
    if lenient:
        classes.append(_LenientTags)
    env = _ExtractionEnvironment(
        options.get("block_start_string", defaults.BLOCK_START_STRING),
        options.get("block_end_string", defaults.BLOCK_END_STRING),
        options.get("variable_start_string", defaults.VARIABLE_START_STRING),
        options.get("variable_end_string", defaults.VARIABLE_END_STRING),
        options.get("comment_start_string", defaults.COMMENT_START_STRING),
        options.get("comment_end_string", defaults.COMMENT_END_STRING),
        options.get("line_statement_prefix") or defaults.LINE_STATEMENT_PREFIX,
        options.get("line_comment_prefix") or defaults.LINE_COMMENT_PREFIX,
        _option(options, "trim_blocks", defaults.TRIM_BLOCKS),
        _option(options, "lstrip_blocks", defaults.LSTRIP_BLOCKS),
        defaults.NEWLINE_SEQUENCE,
        _option(options, "keep_trailing_newline", defaults.KEEP_TRAILING_NEWLINE),
        tuple(dict.fromkeys(classes)),
        cache_size=0,
        auto_reload=False,
    )
    env.lenient = lenient
    if _option(options, "trimmed"):
        env.policies["ext.i18n.trimmed"] = True
    if _option(options, "newstyle_gettext"):
        env.newstyle_gettext = True
    return env


def could_contain_messages(source: str, keywords) -> bool:
    """Cheap test: False only when the template cannot hold a message."""
    return bool(_CALL_TEXT.search(source) or _keyword_pattern(tuple(sorted(keywords))).search(source))


@lru_cache(maxsize=16)
def _keyword_pattern(keywords):
    return re.compile(r"\b(?:%s)\b" % "|".join(map(re.escape, keywords)))


def scan(source: str, path: str, keywords: dict, comment_tags, options) -> Scan:
    """Messages and findings of one template (``source`` already decoded)."""
    env = environment_for(options)
    result = Scan()
    try:
        tree = env.parse(source, filename=path)
    except TemplateSyntaxError as exc:
        result.findings.extend(trans_expression_findings(_lex_quietly(env, source), path))
        result.findings.append(Finding(path, exc.lineno, "error", "syntax-error", exc.message or str(exc)))
        return result
    finder = _CommentFinder(env.raw_tokens, comment_tags)
    for lineno, func, message in extract_from_ast(tree, keywords):
        result.messages.append((lineno, func, message, finder.find_comments(lineno)))
    if any(_has_non_literal(message, keywords[func]) for _, func, message, _ in result.messages):
        result.findings.extend(lint_calls(tree, path, keywords))
    return result


def _has_non_literal(message, spec) -> bool:
    """extract_from_ast gives None for an argument that is not a string literal."""
    arguments = message if isinstance(message, tuple) else (message,)
    return any(i >= len(arguments) or arguments[i] is None for i in _message_positions(spec))


def _lex_quietly(env, source):
    """The raw tokens up to a lexing error, for lint after a failed parse."""
    tokens = []
    try:
        for token in env.lexer.tokeniter(env.preprocess(source), None):
            tokens.append(token)
    except TemplateSyntaxError:
        pass
    return tokens


def trans_expression_findings(raw_tokens, path):
    """``{{ a.b }}`` (or a filter, call, subscript) inside ``{% trans %}``: Jinja2 refuses it."""
    inside = False
    previous = []
    for lineno, kind, value in raw_tokens:
        if kind == "whitespace":
            continue
        if previous[-1:] == ["block_begin"] and kind == "name":
            inside = {"trans": True, "endtrans": False}.get(value, inside)
        if inside and previous[-2:-1] == ["variable_begin"] and kind == "operator" and value in _EXPRESSION_OPERATORS:
            yield Finding(
                path, lineno, "warning", "expression-in-trans",
                "only plain names may appear in {{ }} inside {% trans %}; "
                "bind the expression first: {% trans name=a.b %}...{{ name }}",
            )
        previous.append(kind)


def lint_calls(tree, path, keywords):
    """Keyword calls whose message arguments are not string literals."""
    for call in tree.find_all(nodes.Call):
        if not isinstance(call.node, nodes.Name) or call.node.name not in keywords:
            continue
        for position in _message_positions(keywords[call.node.name]):
            if position < len(call.args):
                finding = _literal_problem(call.args[position], call.node.name, call.lineno, path)
                if finding:
                    yield finding


def _message_positions(spec):
    spec = spec or (1,)
    return [index - 1 for index in spec if isinstance(index, int)]


def _literal_problem(arg, func, lineno, path):
    if isinstance(arg, nodes.Const) and isinstance(arg.value, str):
        return None
    if isinstance(arg, nodes.Mod) or (
        isinstance(arg, nodes.Call) and isinstance(arg.node, nodes.Getattr) and arg.node.attr == "format"
    ):
        return Finding(
            path, lineno, "warning", "formatted-msgid",
            f"text formatted inside {func}(): the formatted text is looked up, never the "
            f"extracted msgid; format the result of {func}() instead",
        )
    what = {
        nodes.Name: "a variable",
        nodes.Concat: "'~' concatenation",
        nodes.Add: "'+' concatenation",
    }.get(type(arg), "an expression")
    return Finding(
        path, lineno, "warning", "non-literal-msgid",
        f"{func}() called with {what}: it cannot be extracted; pass a string literal",
    )


def extract(fileobj, keywords, comment_tags, options):
    """Babel extractor protocol (entry point ``i18n_jinja2``) for pybabel users.

    Findings go to stderr; a syntax error is raised when ``silent`` is false.
    """
    source = fileobj.read().decode(options.get("encoding", "utf-8"))
    path = getattr(fileobj, "name", "<template>")
    _warn_once(tuple(extension_names(options)))
    keyword_specs = keywords if isinstance(keywords, dict) else dict.fromkeys(keywords)
    result = scan(source, path, keyword_specs, comment_tags, options)
    for finding in result.findings:
        if finding.severity == "error" and not _option(options, "silent", True):
            raise TemplateSyntaxError(finding.message, finding.line, filename=path)
        print(finding.format_text(), file=sys.stderr)
    yield from result.messages


@lru_cache(maxsize=None)
def _warn_once(names):
    for problem in extension_problems({"extensions": ",".join(names)}):
        print(f"warning: {problem}", file=sys.stderr)
