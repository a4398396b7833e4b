"""Render an AuditResult for people and machines: text, json, junit, sarif, html.

``render(result, fmt)`` returns a string (no trailing newline) and prints nothing. Every
format sorts findings stably by (url, locale, state, rule, target) first, so the same
result gives byte-identical output whatever order the pages were audited in.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import replace

from i18n_tool.a11y.findings import FRAME_SEPARATOR, SHADOW_SEPARATOR
from i18n_tool.a11y.result import AuditResult, by_impact
from i18n_tool.a11y.wcag import BY_ID
from i18n_tool import __version__
from i18n_tool.reporters import SARIF_SCHEMA

TOOL = "i18n-tool audit"
EMPTY = "-"  # how a missing locale or route prints
INCOMPLETE_LISTED = 10  # the text report lists "needs review" findings up to this many, else counts them


# -- shared -------------------------------------------------------------------------------

def _finding_key(f):
    return (f.url, f.locale or "", f.state, f.rule, f.target)


def _page_key(page):
    return (page.get("url") or "", page.get("locale") or "", page.get("state") or "")


def _sorted(result: AuditResult) -> AuditResult:
    """A copy of ``result`` with every list in its report order."""
    return replace(
        result,
        findings=sorted(result.findings, key=_finding_key),
        known=sorted(result.known, key=_finding_key),
        suppressed=sorted(result.suppressed, key=_finding_key),
        incomplete=sorted(result.incomplete, key=_finding_key),
        fixed=sorted(result.fixed, key=lambda e: tuple(str(e.get(k) or "") for k in
                                                       ("rule", "route", "target", "fingerprint"))),
        expired=sorted(result.expired, key=lambda e: tuple(str(e.get(k) or "") for k in
                                                           ("rule", "selector", "expires", "reason"))),
        pages=sorted(result.pages, key=_page_key),
        errors=sorted(result.errors),
    )


def _plural(n, word):
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _one_line(text):
    return " ".join(str(text).split())


# Characters neither XML 1.0 nor HTML may carry (C0/C1 controls, surrogates, noncharacters).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


def _printable(text):
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}", str(text))


def _where(f):
    return f"{f.url} [{f.locale or EMPTY}, {f.state}]"


def _tags(f):
    parts = (["WCAG " + ", ".join(f.wcag)] if f.wcag else []) + ([f.impact] if f.impact else [])
    return f" ({'; '.join(parts)})" if parts else ""


def finding_line(f) -> str:
    """``url [locale, state] rule (WCAG 1.1.1; serious): message — target``."""
    return f"{_where(f)} {f.rule}{_tags(f)}: {_one_line(f.message)} — {f.target}"


def _impacts(counts):
    return ", ".join(f"{n} {impact}" for impact, n in counts.items() if n)


def summary_line(summary: dict) -> str:
    """``3 new violations (1 critical, 2 serious) on 2 of 48 pages; 5 known, 1 fixed; 12 need review``."""
    line = _plural(summary["new"], "new violation")
    if _impacts(summary["by_impact"]):
        line += f" ({_impacts(summary['by_impact'])})"
    line += f" on {summary['pages_failing']} of {_plural(summary['pages'], 'page')}"
    line += f"; {summary['known']} known, {summary['fixed']} fixed"
    if summary["suppressed"]:
        line += f", {summary['suppressed']} suppressed"
    line += f"; {summary['incomplete']} need{'s' if summary['incomplete'] == 1 else ''} review"
    if summary["expired"]:
        line += f"; {_plural(summary['expired'], 'expired suppression')}"
    if summary["errors"]:
        line += f"; {_plural(summary['errors'], 'page')} could not be audited"
    return line


def _fixed_line(entry):
    return f"{entry.get('rule')} {entry.get('route') or EMPTY} {entry.get('target')}"


def _expired_line(entry):
    return f"{entry.get('rule')} {entry.get('selector')}: expired {entry.get('expires')} ({entry.get('reason')})"


# -- text ---------------------------------------------------------------------------------

def _section(title, lines):
    return ["", title, *(f"  {line}" for line in lines)] if lines else []


def _incomplete_lines(findings):
    if len(findings) <= INCOMPLETE_LISTED:
        return [finding_line(f) for f in findings]
    counts = sorted(Counter(f.rule for f in findings).items())
    return [f"{rule}: {n}" for rule, n in counts]


def _wcag_lines(wcag):
    width = max((len(row["name"]) for row in wcag.values()), default=0)
    return [f"{cid:<6} {row['level']:<3} {row['name']:<{width}}  {row['status']}" for cid, row in wcag.items()]


def render_text(result, **_):
    lines = [finding_line(f) for f in result.findings]
    lines += _section("Fixed (in the baseline, no longer found):", [_fixed_line(e) for e in result.fixed])
    lines += _section("Expired suppressions:", [_expired_line(e) for e in result.expired])
    lines += _section(f"Needs review ({len(result.incomplete)}):", _incomplete_lines(result.incomplete))
    lines += _section("Could not audit:", result.errors)
    lines += _section("WCAG 2.0 A/AA:", _wcag_lines(result.wcag))
    lines += ["", summary_line(result.summary())]
    return "\n".join(lines).lstrip("\n")


# -- json ---------------------------------------------------------------------------------

def finding_dict(f) -> dict:
    """The issue's keys in their order (``to_dict()``), then ours: route and help_url."""
    return {**f.to_dict(), "route": f.route, "help_url": f.help_url}


def render_json(result, **_):
    data = {
        "findings": [finding_dict(f) for f in result.findings],
        "known": [finding_dict(f) for f in result.known],
        "suppressed": [finding_dict(f) for f in result.suppressed],
        "incomplete": [finding_dict(f) for f in result.incomplete],
        "fixed": result.fixed,
        "expired": result.expired,
        "wcag": result.wcag,
        "pages": result.pages,
        "errors": result.errors,
        "summary": result.summary(),
    }
    return json.dumps(data, ensure_ascii=False, indent=2)


# -- junit --------------------------------------------------------------------------------

def _visits_by_locale(result):
    """Every (url, locale, state) audited or named by a finding, grouped by locale, in report order."""
    keys = {(p.get("url"), p.get("locale"), p.get("state")) for p in result.pages}
    for channel in (result.findings, result.known, result.incomplete):
        keys.update((f.url, f.locale, f.state) for f in channel)
    groups = {}
    for visit in sorted(keys, key=lambda k: (k[1] or "", k[0] or "", k[2] or "")):
        groups.setdefault(visit[1], []).append(visit)
    return groups


def _by_visit(findings):
    groups = {}
    for f in findings:
        groups.setdefault((f.url, f.locale, f.state), []).append(f)
    return groups


def _testcase(suite, visit, new, others, seconds):
    url, locale, state = visit
    case = ET.SubElement(suite, "testcase", classname=f"{TOOL}.{locale or EMPTY}",
                         name=_printable(f"{url} [{state}]"))
    if seconds is not None:
        case.set("time", f"{seconds:.3f}")
    if new:
        message = _plural(len(new), "new violation")
        if _impacts(by_impact(new)):
            message += f" ({_impacts(by_impact(new))})"
        failure = ET.SubElement(case, "failure", message=message, type="accessibility")
        failure.text = _printable("\n".join(finding_line(f) for f in new))
    if others:
        ET.SubElement(case, "system-out").text = _printable("\n".join(others))


def _counts(element, tests, failures, errors):
    element.set("tests", str(tests))
    element.set("failures", str(failures))
    element.set("errors", str(errors))


def _locale_suites(root, result):
    new, known, review = (_by_visit(c) for c in (result.findings, result.known, result.incomplete))
    seconds = {_page_key(p): p.get("seconds") for p in result.pages}
    for locale, visits in _visits_by_locale(result).items():
        suite = ET.SubElement(root, "testsuite", name=f"{TOOL} [{locale or EMPTY}]")
        for visit in visits:
            others = [f"known: {finding_line(f)}" for f in known.get(visit, [])]
            others += [f"needs review: {finding_line(f)}" for f in review.get(visit, [])]
            key = tuple(part or "" for part in visit)
            _testcase(suite, visit, new.get(visit, []), others, seconds.get(key))
        failures = sum(1 for case in suite if case.find("failure") is not None)
        _counts(suite, len(visits), failures, 0)
        suite.set("skipped", "0")


def _run_suite(root, result):
    """Pages that could not be audited (errors) and expired suppressions (failures)."""
    if not (result.errors or result.expired):
        return
    suite = ET.SubElement(root, "testsuite", name=f"{TOOL} [run]")
    for line in result.errors:
        case = ET.SubElement(suite, "testcase", classname=f"{TOOL}.run", name=_printable(line))
        ET.SubElement(case, "error", message=_printable(line), type="page-not-audited")
    for entry in result.expired:
        case = ET.SubElement(suite, "testcase", classname=f"{TOOL}.suppressions",
                             name=_printable(f"{entry.get('rule')} {entry.get('selector')}"))
        failure = ET.SubElement(case, "failure", message=f"expired {entry.get('expires')}",
                                type="expired-suppression")
        failure.text = _printable(_expired_line(entry))
    _counts(suite, len(result.errors) + len(result.expired), len(result.expired), len(result.errors))
    suite.set("skipped", "0")


def render_junit(result, **_):
    """One testsuite per locale, one testcase per page × state; a failure lists its new violations."""
    root = ET.Element("testsuites", name=TOOL)
    _locale_suites(root, result)
    _run_suite(root, result)
    suites = root.findall("testsuite")
    _counts(root, *(sum(int(s.get(k)) for s in suites) for k in ("tests", "failures", "errors")))
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


# -- sarif --------------------------------------------------------------------------------

def _rule_tags(criteria):
    levels = sorted({"wcag2a" if BY_ID[c].level == "A" else "wcag2aa" for c in criteria if c in BY_ID})
    return ["accessibility", *levels, *(f"WCAG {c}" for c in criteria)]


def _sarif_rules(findings):
    """One descriptor per rule, from its first finding in report order."""
    first = {}
    for f in findings:
        first.setdefault(f.rule, f)
    descriptors = []
    for rule in sorted(first):
        f = first[rule]
        descriptor = {"id": rule, "shortDescription": {"text": _one_line(f.message) or rule}}
        if f.help_url:
            descriptor["helpUri"] = f.help_url
        descriptor["defaultConfiguration"] = {"level": "error"}
        descriptor["properties"] = {"tags": _rule_tags(f.wcag)}
        descriptors.append(descriptor)
    return descriptors


def _element_name(target):
    return target.split(FRAME_SEPARATOR)[-1].split(SHADOW_SEPARATOR)[-1]


def _sarif_result(f, index):
    logical = {"name": _element_name(f.target), "fullyQualifiedName": f.target, "kind": "element"}
    location = {"physicalLocation": {"artifactLocation": {"uri": f.url}}, "logicalLocations": [logical],
                "message": {"text": f.target}}
    properties = {"locale": f.locale, "state": f.state, "engine": f.engine, "impact": f.impact,
                  "wcag": list(f.wcag), "target": f.target, "html": f.html, "route": f.route}
    return {"ruleId": f.rule, "ruleIndex": index, "kind": "fail", "level": "error",
            "message": {"text": f"{_one_line(f.message)} — {f.target} ({f.locale or EMPTY}, {f.state})"},
            "locations": [location],
            "properties": {k: v for k, v in properties.items() if v is not None}}


def render_sarif(result, *, tool_version=__version__, **_):
    """New violations only: each SARIF result becomes a code-scanning alert, and known or
    needs-review findings are not failures (they are in the json and html reports)."""
    rules = _sarif_rules(result.findings)
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    notifications = [{"level": "error", "message": {"text": line}} for line in result.errors]
    invocation = {"executionSuccessful": not result.errors}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run = {"tool": {"driver": {"name": TOOL, "version": tool_version, "rules": rules}},
           "invocations": [invocation],
           "results": [_sarif_result(f, index[f.rule]) for f in result.findings]}
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2)


# -- html ---------------------------------------------------------------------------------

_CSS = """
body { font-family: system-ui, sans-serif; color: #1a1a1a; background: #fff; margin: 2rem; line-height: 1.5; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #767676; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
caption { text-align: left; font-weight: bold; }
code, pre { font-family: ui-monospace, monospace; background: #f3f3f3; }
pre { padding: 0.5rem; overflow-x: auto; white-space: pre-wrap; }
.finding { border-left: 4px solid #a40000; padding-left: 1rem; margin: 1.5rem 0; }
.message { white-space: pre-line; }
.failed { color: #a40000; font-weight: bold; }
.checked { color: #1d5e1d; }
.not-automatable { color: #4a4a4a; }
img { max-width: 100%; border: 1px solid #767676; }
dt { font-weight: bold; }
""".strip()

_SECTIONS = (("summary", "Summary"), ("wcag", "WCAG 2.0 A/AA"), ("new", "New violations"),
             ("known", "Known violations"), ("suppressed", "Suppressed"), ("fixed", "Fixed"),
             ("expired", "Expired suppressions"), ("incomplete", "Needs review"),
             ("errors", "Pages not audited"), ("pages", "Pages"))


def _e(text):
    return html.escape(_printable("" if text is None else text))


def _link(url):
    """A link for http(s) URLs; anything else (``javascript:``…) only as text."""
    if re.match(r"https?://", url or "", re.IGNORECASE):
        return f'<a href="{_e(url)}">{_e(url)}</a>'
    return _e(url)


def _table(caption, headers, rows):
    """A table whose first column heads its rows."""
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in headers)
    body = "".join(f'<tr><th scope="row">{row[0]}</th>' + "".join(f"<td>{cell}</td>" for cell in row[1:])
                   + "</tr>\n" for row in rows)
    return (f"<table>\n<caption>{_e(caption)}</caption>\n<thead><tr>{head}</tr></thead>\n"
            f"<tbody>\n{body}</tbody>\n</table>")


def _section_html(key, heading, body):
    return f'<section aria-labelledby="{key}">\n<h2 id="{key}">{_e(heading)}</h2>\n{body}\n</section>'


def _nav():
    items = "".join(f'<li><a href="#{key}">{_e(title)}</a></li>' for key, title in _SECTIONS)
    return f'<nav aria-label="Sections"><ul>{items}</ul></nav>'


_SUMMARY_LABELS = {"pages": "Pages audited", "pages_failing": "Pages with new violations", "locales": "Locales",
                   "states": "States", "new": "New violations", "known": "Known violations",
                   "suppressed": "Suppressed", "incomplete": "Need review", "fixed": "Fixed",
                   "expired": "Expired suppressions", "errors": "Pages not audited"}


def _summary_html(summary):
    rows = [(_e(label), _e(summary[key])) for key, label in _SUMMARY_LABELS.items()]
    rows += [(_e(f"New violations, {impact}"), _e(n)) for impact, n in summary["by_impact"].items()]
    rows += [(_e(f"Criteria {status}"), _e(n)) for status, n in summary["criteria"].items()]
    return f"<p>{_e(summary_line(summary))}</p>\n" + _table("Counts", ("What", "Count"), rows)


def _wcag_html(wcag):
    rows = [(_e(cid), _e(row["level"]), _e(row["name"]),
             f'<span class="{row["status"].replace(" ", "-")}">{_e(row["status"])}</span>')
            for cid, row in wcag.items()]
    return _table("WCAG 2.0 success criteria, levels A and AA", ("Criterion", "Level", "Name", "Status"), rows)


def _criteria(ids):
    return ", ".join(f"{c} {BY_ID[c].name} ({BY_ID[c].level})" if c in BY_ID else c for c in ids) or "none"


def _screenshot(f):
    if not f.screenshot:
        return ""
    alt = f"Screenshot of {f.target} ({f.rule}) on {f.url}, {f.locale or EMPTY}, {f.state}"
    return f'<p><img src="data:image/png;base64,{_e(f.screenshot)}" alt="{_e(alt)}"></p>\n'


def _finding_html(n, f):
    facts = [("WCAG", _e(_criteria(f.wcag))), ("Impact", _e(f.impact or "unrated")), ("Page", _link(f.url)),
             ("Locale", _e(f.locale or EMPTY)), ("State", _e(f.state)),
             ("Target", f"<code>{_e(f.target)}</code>"), ("Engine", _e(f.engine))]
    if f.route:
        facts.append(("Route", f"<code>{_e(f.route)}</code>"))
    if f.help_url:
        facts.append(("Help", _link(f.help_url)))
    facts_html = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in facts)
    return (f'<article class="finding" aria-labelledby="finding-{n}">\n'
            f'<h3 id="finding-{n}">{n}. <code>{_e(f.rule)}</code></h3>\n'
            f'<p class="message">{_e(f.message)}</p>\n<dl>{facts_html}</dl>\n'
            f"<pre><code>{_e(f.html)}</code></pre>\n{_screenshot(f)}</article>")


def _findings_table(caption, findings):
    rows = [(f"<code>{_e(f.rule)}</code>", _link(f.url), _e(f.locale or EMPTY), _e(f.state),
             f"<code>{_e(f.target)}</code>", _e(f.impact or "unrated"), _e(f.message)) for f in findings]
    return _table(caption, ("Rule", "Page", "Locale", "State", "Target", "Impact", "Message"), rows)


def _entries_table(caption, entries, keys):
    rows = [tuple(_e(entry.get(k)) for k in keys) for entry in entries]
    return _table(caption, [k.capitalize() for k in keys], rows)


def _pages_table(pages):
    rows = [(_link(p.get("url")), _e(p.get("locale") or EMPTY), _e(p.get("state")), _e(p.get("route")),
             _e(p.get("violations"))) for p in pages]
    return _table("Pages audited", ("URL", "Locale", "State", "Route", "Violations"), rows)


def _new_html(findings):
    return "\n".join(_finding_html(n, f) for n, f in enumerate(findings, 1))


def _errors_html(errors):
    return "<ul>" + "".join(f"<li>{_e(line)}</li>" for line in errors) + "</ul>"


def _html_sections(r, summary):
    """Each section of _SECTIONS: its heading (with a count for lists) and its body, "None." when empty."""
    lists = {
        "new": (r.findings, _new_html),
        "known": (r.known, lambda items: _findings_table("Violations the baseline knows", items)),
        "suppressed": (r.suppressed, lambda items: _findings_table("Suppressed violations", items)),
        "fixed": (r.fixed, lambda items: _entries_table("Baseline entries no longer found", items,
                                                        ("rule", "route", "target", "fingerprint"))),
        "expired": (r.expired, lambda items: _entries_table("Suppressions past their expiry", items,
                                                            ("rule", "selector", "reason", "expires"))),
        "incomplete": (r.incomplete, lambda items: _findings_table("Findings a person has to review", items)),
        "errors": (r.errors, _errors_html),
        "pages": (r.pages, _pages_table),
    }
    tables = {"summary": _summary_html(summary), "wcag": _wcag_html(r.wcag)}
    sections = []
    for key, title in _SECTIONS:
        if key in tables:
            sections.append(_section_html(key, title, tables[key]))
        else:
            items, body = lists[key]
            sections.append(_section_html(key, f"{title} ({len(items)})", body(items) if items else "<p>None.</p>"))
    return sections


def render_html(result, **_):
    """One self-contained page: inline CSS, no scripts, nothing loaded from elsewhere."""
    summary = result.summary()
    title = f"Accessibility audit: {_plural(summary['new'], 'new violation')}"
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en">',
        '<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>\n<style>\n{_CSS}\n</style>\n</head>",
        "<body>",
        f"<header>\n<h1>{_e(title)}</h1>\n{_nav()}\n</header>",
        "<main>",
        *_html_sections(result, summary),
        "</main>",
        "</body>",
        "</html>",
    ])


FORMATS = {
    "text": render_text,
    "json": render_json,
    "junit": render_junit,
    "sarif": render_sarif,
    "html": render_html,
}


def render(result: AuditResult, fmt: str, *, tool_version: str = __version__) -> str:
    """The result in format ``fmt`` (a key of FORMATS)."""
    try:
        renderer = FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})") from None
    return renderer(_sorted(result), tool_version=tool_version)
