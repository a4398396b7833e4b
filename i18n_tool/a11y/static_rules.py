"""The static rules: a table of metadata (id, WCAG criteria, impact, description) and one check each.

A check is ``check(page) -> Iterable[Hit]`` over the parsed page (:class:`i18n_tool.a11y.static.Page`);
:func:`i18n_tool.a11y.static.static_findings` turns hits into findings with the rule's metadata. To add a
rule: one :class:`StaticRule` in ``STATIC_RULES`` and one function decorated ``@check(id)``.

These cover what axe-core 4.14 leaves out or switches off in ``wcag2a``/``wcag2aa``: parse
errors and duplicate ids (axe's duplicate-id rules are deprecated and off; ours is named
``id-duplicate`` so the two never share an id), ``lang`` and ``dir`` against the locale the page
was served in, and ``dir`` values. ``html-lang-missing``, ``html-lang-invalid`` (full RFC 5646,
stricter than axe's primary-subtag check) and ``title-missing`` overlap axe's ``html-has-lang``,
``html-lang-valid`` and ``document-title`` on purpose: they also run on the source as the server
sent it. Left to axe: ``lang`` on other elements (``valid-lang``) and ``<meta http-equiv="refresh">``
(``meta-refresh``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from i18n_tool.locales import language_tag, tag_problem

if TYPE_CHECKING:
    from i18n_tool.a11y.static import Page


@dataclass(frozen=True)
class StaticRule:
    id: str
    wcag: tuple[str, ...]
    impact: str
    description: str


STATIC_RULES = {rule.id: rule for rule in (
    StaticRule("parse-error", ("4.1.1",), "serious",
               "The HTML as the server sent it has a parse error (unclosed or misnested tags, duplicate "
               "attributes...): browsers and assistive technology may repair it into different trees. "
               "Character-reference errors are left out (html5lib flags harmless prose such as AT&T)."),
    StaticRule("id-duplicate", ("4.1.1",), "serious",
               "Two elements share an id: labels, aria-labelledby/describedby and fragment links find the first."),
    StaticRule("html-lang-missing", ("3.1.1",), "serious",
               "<html> has no lang attribute, or an empty one: screen readers guess the page's language."),
    StaticRule("html-lang-invalid", ("3.1.1",), "serious",
               "<html lang> is not a well-formed BCP 47 tag (RFC 5646) whose primary subtag is a language "
               "CLDR knows; private-use-only tags (x-...) and und/mul/zxx name no language."),
    StaticRule("html-lang-mismatch", ("3.1.1",), "serious",
               "<html lang> names another language (or, when the served locale has one, another region or "
               "script) than the locale the page was served in."),
    StaticRule("html-dir-mismatch", ("1.3.2",), "serious",
               "<html dir> (or a dir on <body>) does not give the served locale's direction: a right-to-left "
               "page without dir=\"rtl\", or a left-to-right one with it. WCAG 2.0 technique H56 (dir for "
               "directional runs) is a sufficient technique of 1.3.2 Meaningful Sequence: the reading order "
               "of bidirectional text is only determinable with the right base direction."),
    StaticRule("dir-invalid", ("1.3.2",), "moderate",
               "A dir attribute that is not ltr, rtl or auto: browsers ignore it and inherit the direction "
               "(1.3.2, as for html-dir-mismatch)."),
    StaticRule("title-missing", ("2.4.2",), "serious", "The page has no <title>, or an empty one."),
)}


@dataclass(frozen=True)
class Hit:
    """One problem a check found: the element it is about and what to do."""

    element: object  # an element of the page's tree
    message: str
    html: str | None = None  # the snippet, when not the element's start tag


CHECKS: dict[str, Callable[[Page], Iterable[Hit]]] = {}


def check(rule_id: str):
    """Register the decorated function as the check of ``rule_id``."""
    def register(function):
        CHECKS[rule_id] = function
        return function
    return register


# -- 4.1.1 Parsing ----------------------------------------------------------------------------

MAX_PARSE_ERRORS = 20
# html5lib 1.1 reports these where the WHATWG parser does not (``AT&T``, ``&copy`` in prose);
# a bad reference shows as text and is no structure problem.
IGNORED_PARSE_ERRORS = frozenset({
    "expected-named-entity", "named-entity-without-semicolon", "expected-numeric-entity",
    "expected-numeric-entity-but-got-eof", "numeric-entity-without-semicolon",
    "illegal-codepoint-for-numeric-entity", "cant-convert-numeric-entity", "illegal-windows-1252-entity",
    "incorrect-cr-newline-entity",
})


@check("parse-error")
def parse_errors(page):
    errors = [error for error in page.errors if error.code not in IGNORED_PARSE_ERRORS]
    for error in errors[:MAX_PARSE_ERRORS]:
        yield Hit(error.element, f"Parse error at line {error.where}: {error.text}; fix the markup there",
                  page.source_excerpt(error))
    if len(errors) > MAX_PARSE_ERRORS:
        rest = errors[MAX_PARSE_ERRORS:]
        yield Hit(rest[0].element, f"And {len(rest)} more parse errors from line {rest[0].where} on "
                                   f"(only the first {MAX_PARSE_ERRORS} are listed): fix those and audit again",
                  page.source_excerpt(rest[0]))


@check("id-duplicate")
def duplicate_ids(page):
    first = {}
    for element in page.with_id:
        value = element.get("id")
        if value in first:
            yield Hit(element, f'id="{value}" is used by {page.id_count[value]} elements (the first is '
                               f"{page.selector(first[value])}): give each element its own id")
        else:
            first[value] = element


# -- 3.1.1 Language of Page ---------------------------------------------------------------------

@check("html-lang-missing")
def html_lang_missing(page):
    value = page.root.get("lang")
    if value is None or not value.strip():
        shown = "<html>" if value is None else f'<html lang="{value}">'
        yield Hit(page.root, f"{shown} has no language: set {_example_lang(page)}")


@check("html-lang-invalid")
def html_lang_invalid(page):
    value = page.root.get("lang")
    if value is None or not value.strip():
        return
    problem = tag_problem(value)
    if problem:
        fixed = value.strip().replace("_", "-")
        advice = f'write lang="{fixed}"' if tag_problem(fixed) is None else f"set {_example_lang(page)}"
        yield Hit(page.root, f'<html lang="{value}"> {problem}: {advice}')


@check("html-lang-mismatch")
def html_lang_mismatch(page):
    served, value = page.served_tag, page.root.get("lang")
    if served is None or value is None or tag_problem(value):  # no locale, or the rules above report it
        return
    tag = language_tag(value)
    if (tag.primary != served.primary or (served.region and tag.region != served.region)
            or (served.script and tag.script and tag.script != served.script)):
        yield Hit(page.root, f'<html lang="{value}"> on a page served in {page.locale}: set lang="{served.value}"')


def _example_lang(page) -> str:
    return f'lang="{page.served_tag.value}"' if page.served_tag else 'the page\'s language, e.g. lang="en"'


# -- 1.3.2 Meaningful Sequence: direction ----------------------------------------------------------

DIRECTIONS = ("ltr", "rtl", "auto")


@check("html-dir-mismatch")
def html_dir_mismatch(page):
    wanted = page.served_direction
    if wanted is None:
        return
    served = f"a page served in {page.locale} ({'right-to-left' if wanted == 'rtl' else 'left-to-right'})"
    value = page.root.get("dir")
    is_rtl = (value or "").lower() == "rtl"  # enumerated values are ASCII case-insensitive, never trimmed
    if is_rtl != (wanted == "rtl"):
        shown = "<html>" if value is None else f'<html dir="{value}">'
        advice = 'set dir="rtl"' if wanted == "rtl" else 'set dir="ltr" (or leave dir out)'
        yield Hit(page.root, f"{shown} on {served}: {advice}")
    body_dir = page.body.get("dir") if page.body is not None else None
    if (body_dir or "").lower() in ("ltr", "rtl") and body_dir.lower() != wanted:
        yield Hit(page.body, f'<body dir="{body_dir}"> overrides the direction of {served}: '
                             f'remove it or set dir="{wanted}"')


@check("dir-invalid")
def dir_invalid(page):
    for element in page.elements:
        value = element.get("dir")
        if value is None or value.lower() in DIRECTIONS:
            continue
        trimmed = value.strip().lower()
        advice = f'write dir="{trimmed}"' if trimmed in DIRECTIONS else "use ltr, rtl or auto, or leave dir out"
        yield Hit(element, f'dir="{value}" is not ltr, rtl or auto, so browsers ignore it: {advice}')


# -- 2.4.2 Page Titled ------------------------------------------------------------------------------

@check("title-missing")
def title_missing(page):
    title = next((element for element in page.elements if element.tag == "title"), None)  # HTML, not SVG
    if title is None:
        yield Hit(page.root, "The page has no <title>: add one that says what the page is")
    elif not "".join(title.itertext()).strip():
        yield Hit(title, "The page's <title> is empty: say what the page is")
