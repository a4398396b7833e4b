"""The audit's static pass: html5lib parses a page once and the rules of ``static_rules`` run over it.

``static_findings(html, ...)`` takes either the document exactly as the server sent it
(``source=True``: html5lib's parse errors are reported, rule ``parse-error``) or the browser's
re-serialized DOM (``source=False``: the browser has repaired the markup, so parse errors mean
nothing, but every other rule runs). Findings come in document order, then in rule-table order.

Targets are CSS selectors: ``html``, ``#id`` for an element with an id no other element has, else
a tag path below ``html`` from the nearest such id (``body > div:nth-of-type(2) > p``). A parse
error's target is the element the parser was in when it met the error.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property, lru_cache

from i18n_tool.a11y.findings import AuditFinding
from i18n_tool.a11y.static_rules import CHECKS, STATIC_RULES, StaticRule
from i18n_tool.locales import bcp47, direction, language_tag

__all__ = ["STATIC_RULES", "StaticRule", "Page", "applicable_rules", "static_findings"]

SNIPPET = 200  # characters of a finding's html
_CSS_IDENT = re.compile(r"-?[A-Za-z_][A-Za-z0-9_-]*")  # ids usable in `#id` without escapes


def static_findings(html: str, *, url: str, locale: str | None, state: str, route: str | None,
                    source: bool) -> list[AuditFinding]:
    """The static rules' findings on one page served in ``locale`` (None: unknown) in UI ``state``."""
    page = Page(html, locale=locale, source=source)
    found = []
    for rank, (rule_id, rule) in enumerate(STATIC_RULES.items()):
        for number, hit in enumerate(CHECKS[rule_id](page)):
            finding = AuditFinding(
                url=url, locale=locale, state=state, engine="static", rule=rule.id, wcag=rule.wcag,
                impact=rule.impact, target=page.selector(hit.element),
                html=_short(hit.html or start_tag(hit.element)), message=hit.message, route=route)
            found.append(((page.order[hit.element], rank, number), finding))
    found.sort(key=lambda item: item[0])
    return [finding for _, finding in found]


_NEEDS_LOCALE = frozenset({"html-lang-mismatch", "html-dir-mismatch"})
_NEEDS_SOURCE = frozenset({"parse-error"})


def applicable_rules(locale: str | None, source: bool) -> list[StaticRule]:
    """The rules that check something on a page with this locale and kind of HTML (for the WCAG table)."""
    skipped = (_NEEDS_LOCALE if locale is None else frozenset()) | (frozenset() if source else _NEEDS_SOURCE)
    return [rule for rule_id, rule in STATIC_RULES.items() if rule_id not in skipped]


@dataclass(frozen=True)
class ParseError:
    line: int
    column: int  # 1-based: the character at which html5lib noticed the error
    code: str  # html5lib's error code, "unexpected-end-tag"
    text: str  # html5lib's description, "Unexpected end tag (p). Ignored"
    element: object  # the element the parser was in

    @property
    def where(self) -> str:
        return f"{self.line}:{self.column}"


class Page:
    """A parsed page and what the rules ask of it: elements in order, parents, ids, parse errors."""

    def __init__(self, html: str, *, locale: str | None, source: bool):
        parser = _parser()
        self.root = parser.parse(html)
        self.html = html
        self.locale = locale
        self.elements = [element for element in self.root.iter() if isinstance(element.tag, str)]
        self.order = {element: index for index, element in enumerate(self.elements)}
        self.parents = {child: parent for parent in self.elements for child in parent}
        self.errors = self._errors(parser) if source else []

    def _errors(self, parser) -> list[ParseError]:
        from html5lib.constants import E

        errors = []
        for ((line, column), code, data), element in zip(parser.errors, parser.error_elements):
            try:
                text = (E[code] % data).rstrip(".")
            except (KeyError, TypeError, ValueError):
                text = code
            errors.append(ParseError(line, max(column, 1), code, text,
                                     element if element in self.order else self.root))
        return errors

    @cached_property
    def body(self):
        return next((child for child in self.root if child.tag == "body"), None)

    @cached_property
    def with_id(self) -> list:
        """Elements with a non-empty id, in document order, except inside <template> (its own tree)."""
        inert = {inner for template in self.root.iter("template") for inner in template.iter()}
        return [element for element in self.elements if element.get("id") and element not in inert]

    @cached_property
    def id_count(self) -> Counter:
        return Counter(element.get("id") for element in self.with_id)

    @cached_property
    def served_tag(self):
        """The served locale as a language tag (``pt_BR`` -> ``pt-BR``), None when unknown."""
        return language_tag(bcp47(self.locale)) if self.locale else None

    @cached_property
    def served_direction(self) -> str | None:
        """``rtl`` or ``ltr`` for the served locale, None when unknown."""
        return direction(self.locale.replace("-", "_")) if self.locale else None

    @cached_property
    def _lines(self) -> list[str]:
        return self.html.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    def source_excerpt(self, error: ParseError) -> str | None:
        """The source around a parse error (up to ``SNIPPET`` characters of its line), None if blank."""
        line = self._lines[error.line - 1] if 0 < error.line <= len(self._lines) else ""
        start = max(0, error.column - SNIPPET // 2)
        return line[start:start + SNIPPET].strip() or None

    def selector(self, element) -> str:
        """A CSS selector for ``element``: ``html``, ``#id``, or a tag path from the nearest unique id."""
        steps = []
        while element is not None and element is not self.root:
            ident = element.get("id")
            if ident and self._all_ids[ident] == 1 and _CSS_IDENT.fullmatch(ident):
                steps.append(f"#{ident}")
                break
            parent = self.parents.get(element)
            steps.append(_step(element, parent))
            element = parent
        return " > ".join(reversed(steps)) or "html"

    @cached_property
    def _all_ids(self) -> Counter:
        return Counter(element.get("id") for element in self.elements if element.get("id"))


def _step(element, parent) -> str:
    name = local_name(element.tag)
    if parent is None:
        return name
    same = [sibling for sibling in parent if sibling.tag == element.tag]
    return f"{name}:nth-of-type({same.index(element) + 1})" if len(same) > 1 else name


def local_name(tag: str) -> str:
    """``svg`` for ``{http://www.w3.org/2000/svg}svg``: html5lib keeps SVG and MathML namespaces."""
    return tag.rpartition("}")[2]


def start_tag(element) -> str:
    """``<html lang="de" dir="ltr">``: the element's start tag as it is in the tree."""
    attributes = "".join(
        f' {local_name(name)}="{value.replace("&", "&amp;").replace(chr(34), "&quot;")}"'
        for name, value in element.attrib.items())
    return f"<{local_name(element.tag)}{attributes}>"


def _short(text: str) -> str:
    return text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"


@lru_cache(maxsize=1)
def _parser_class():
    import html5lib

    class RecordingParser(html5lib.HTMLParser):
        """html5lib's parser that also records, for each parse error, the element it was in."""

        def reset(self):
            super().reset()
            self.error_elements = []

        def parseError(self, errorcode="XXX-undefined-error", datavars=None):
            super().parseError(errorcode, datavars)
            open_elements = self.tree.openElements
            # the etree builder wraps each ElementTree element; ``_element`` is the element itself
            self.error_elements.append(getattr(open_elements[-1], "_element", None) if open_elements else None)

    return RecordingParser


def _parser():
    import html5lib

    return _parser_class()(tree=html5lib.getTreeBuilder("etree"), namespaceHTMLElements=False)
