"""Render findings for people and machines: text, json, junit, sarif, github.

``render(findings, fmt, summary)`` returns a string (no trailing newline) and prints
nothing. Every format sorts findings stably by (path, line, code), so the same findings
give byte-identical output. ``summary`` is the caller's dict (errors, warnings, catalogs,
per-locale counts...); ``summary["catalogs"]`` is the list of catalog paths checked (an
int count is accepted where a list is not needed).
"""

import json
import re
from pathlib import PurePath

from i18n_tool import __version__
from i18n_tool.checks import RULES

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
GITHUB_COMMANDS = {"error": "error", "warning": "warning", "note": "notice"}
NO_FILE = "(project)"  # the JUnit testcase of findings without a path


def _sorted(findings):
    return sorted(findings, key=lambda f: (f.path or "", -1 if f.line is None else f.line, f.code))


def _count(findings, severity):
    return sum(1 for f in findings if f.severity == severity)


def _plural(n, word):
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _posix(path):
    return PurePath(path).as_posix()


def render_text(findings, summary, **_):
    lines = [f.format_text() for f in findings]
    errors = summary.get("errors", _count(findings, "error"))
    warnings = summary.get("warnings", _count(findings, "warning"))
    line = f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"
    notes = summary.get("notes", _count(findings, "note"))
    if notes:
        line += f", {_plural(notes, 'note')}"
    catalogs = summary.get("catalogs")
    if catalogs is not None:
        n = catalogs if isinstance(catalogs, int) else len(catalogs)
        line += f" in {_plural(n, 'catalog')}"
    return "\n".join(lines + [line])


def render_json(findings, summary, **_):
    keys = ("path", "line", "col", "severity", "code", "message", "locale", "msgid")
    data = {"findings": [{k: getattr(f, k) for k in keys} for f in findings], "summary": summary}
    return json.dumps(data, ensure_ascii=False, indent=2)


# XML 1.0 cannot carry these characters at all, escaped or not.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text):
    return _XML_ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def render_junit(findings, summary, *, strict=False, **_):
    """One testsuite, one testcase per catalog: a failure lists its errors (and warnings if strict)."""
    catalogs = summary.get("catalogs")
    names = list(dict.fromkeys(catalogs)) if isinstance(catalogs, (list, tuple)) else []
    by_name = {}
    for f in findings:
        by_name.setdefault(f.path if f.path is not None else NO_FILE, []).append(f)
    names += sorted(n for n in by_name if n not in names and n != NO_FILE)
    if NO_FILE in by_name:
        names.append(NO_FILE)
    failing = ("error", "warning") if strict else ("error",)

    import xml.etree.ElementTree as ET  # only JUnit needs it

    suite = ET.Element("testsuite", name="i18n-tool")
    failures = 0
    for name in names:
        case = ET.SubElement(suite, "testcase", classname="i18n-tool", name=_xml_text(name))
        own = by_name.get(name, [])
        failed = [f for f in own if f.severity in failing]
        rest = [f for f in own if f.severity not in failing]
        if failed:
            failures += 1
            counts = [_plural(_count(failed, s), s) for s in failing if _count(failed, s)]
            failure = ET.SubElement(case, "failure", message=", ".join(counts), type="i18n-tool")
            failure.text = _xml_text("\n".join(f.format_text() for f in failed))
        if rest:
            ET.SubElement(case, "system-out").text = _xml_text("\n".join(f.format_text() for f in rest))
    counts = {"tests": len(names), "failures": failures, "errors": 0, "skipped": 0}
    suite.attrib.update({k: str(v) for k, v in counts.items()})
    root = ET.Element("testsuites", name="i18n-tool", **{k: str(v) for k, v in counts.items() if k != "skipped"})
    root.append(suite)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def _sarif_location(f):
    from urllib.parse import quote

    uri = quote(_posix(f.path), safe="/!$&'()*+,;=@")  # ":" escaped: no scheme misread
    physical = {"artifactLocation": {"uri": uri}}
    if f.line is not None and f.line >= 1:
        physical["region"] = {"startLine": f.line}
        if f.col is not None and f.col >= 1:
            physical["region"]["startColumn"] = f.col
    return {"physicalLocation": physical}


def render_sarif(findings, summary, *, rules=RULES, tool_version=__version__, **_):
    codes = sorted({f.code for f in findings})
    descriptors = []
    for code in codes:
        descriptor = {"id": code}
        rule = rules.get(code)
        if rule is not None:
            descriptor["shortDescription"] = {"text": rule.description}
            descriptor["defaultConfiguration"] = {"level": rule.severity}
        descriptors.append(descriptor)
    results = []
    for f in findings:
        result = {"ruleId": f.code, "ruleIndex": codes.index(f.code), "level": f.severity,
                  "message": {"text": f.message}}
        if f.path is not None:
            result["locations"] = [_sarif_location(f)]
        properties = {k: getattr(f, k) for k in ("locale", "msgid") if getattr(f, k) is not None}
        if properties:
            result["properties"] = properties
        results.append(result)
    driver = {"name": "i18n-tool", "version": tool_version, "rules": descriptors}
    log = {"$schema": SARIF_SCHEMA, "version": "2.1.0",
           "runs": [{"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}]}
    return json.dumps(log, ensure_ascii=False, indent=2)


def _gh_data(text):
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text):
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(findings, summary, **_):
    lines = []
    for f in findings:
        props = [("file", None if f.path is None else _posix(f.path)), ("line", f.line), ("col", f.col),
                 ("title", f.code)]
        joined = ",".join(f"{k}={_gh_property(str(v))}" for k, v in props if v is not None)
        lines.append(f"::{GITHUB_COMMANDS[f.severity]} {joined}::{_gh_data(f.message)}")
    return "\n".join(lines)


FORMATS = {
    "text": render_text,
    "json": render_json,
    "junit": render_junit,
    "sarif": render_sarif,
    "github": render_github,
}


def render(findings, fmt, summary, rules=RULES, tool_version=__version__, *, strict=False) -> str:
    """The findings in format ``fmt`` (a key of FORMATS); ``strict`` makes warnings JUnit failures."""
    try:
        renderer = FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r} (known: {', '.join(FORMATS)})") from None
    return renderer(_sorted(findings), summary, rules=rules, tool_version=tool_version, strict=strict)
