import json
import random
import re
import xml.etree.ElementTree as ET
from urllib.parse import unquote, urlsplit

import pytest

from i18n_tool import __version__
from i18n_tool.checks import RULES
from i18n_tool.findings import Finding
from i18n_tool.reporters import FORMATS, NO_FILE, SARIF_SCHEMA, render
from tests.sarif import sarif_schema, validate_sarif

DE = "catalogs/de/LC_MESSAGES/messages.po"
FR = "catalogs/fr/LC_MESSAGES/messages.po"
JA = "catalogs/ja/LC_MESSAGES/messages.po"
ES = "catalogs/es/LC_MESSAGES/messages.po"
ODD = "templates/emails/welcome, v2/subject:old.txt"  # commas and colons in a path

FINDINGS = [
    # deliberately out of order: every format sorts by (path, line, code)
    Finding(DE, 50, "warning", "fuzzy", "fuzzy entry: not compiled", locale="de", msgid="Log in"),
    Finding(DE, 42, "error", "placeholder-missing", "Platzhalter %(name)s fehlt in „Willkommen“",
            col=8, locale="de", msgid="Welcome, %(name)s"),
    Finding(DE, 42, "error", "html-unbalanced", "unclosed <a>\r\nopened here: <a href=\"%(href)s\">",
            col=3, locale="de", msgid="See <a href=\"%(href)s\">docs</a>"),
    Finding(FR, 7, "warning", "newline-mismatch", "la traduction ne finit pas par \\n", locale="fr",
            msgid="Line\n"),
    Finding(JA + "x", None, "note", "obsolete-piling-up", "12 obsolete entries"),  # not a listed catalog
    Finding(ES, None, "error", "header-missing", "no header entry (msgid \"\")", locale="es"),
    Finding(None, None, "error", "locale-missing", "no catalog for configured locale ar", locale="ar"),
    Finding(ODD, 3, "warning", "a11y-lang", "100% of text, 50%: <p>…</p>", col=1),  # code not in RULES
]
SUMMARY = {"errors": 4, "warnings": 3, "catalogs": [DE, FR, JA, ES],
           "locales": {"de": {"errors": 2, "warnings": 1}, "fr": {"errors": 0, "warnings": 1}}}


# -- text ---------------------------------------------------------------------------------

def test_text_lines_then_summary():
    assert render(FINDINGS, "text", SUMMARY).split("\n") == [
        "error: no catalog for configured locale ar [locale-missing]",
        f"{DE}:42:3: error: unclosed <a>\r",  # the message's own CRLF, as format_text() gives it
        "opened here: <a href=\"%(href)s\"> [html-unbalanced]",
        f"{DE}:42:8: error: Platzhalter %(name)s fehlt in „Willkommen“ [placeholder-missing]",
        f"{DE}:50: warning: fuzzy entry: not compiled [fuzzy]",
        f"{ES}: error: no header entry (msgid \"\") [header-missing]",
        f"{FR}:7: warning: la traduction ne finit pas par \\n [newline-mismatch]",
        f"{JA}x: note: 12 obsolete entries [obsolete-piling-up]",
        f"{ODD}:3:1: warning: 100% of text, 50%: <p>…</p> [a11y-lang]",
        "4 errors, 3 warnings, 1 note in 4 catalogs",
    ]


def test_text_exact_for_simple_findings_and_singulars():
    findings = [Finding(FR, 7, "warning", "fuzzy", "fuzzy entry"), Finding(DE, 3, "error", "fuzzy", "x", col=2)]
    assert render(findings, "text", {"errors": 1, "warnings": 1, "catalogs": [DE]}) == (
        f"{DE}:3:2: error: x [fuzzy]\n{FR}:7: warning: fuzzy entry [fuzzy]\n1 error, 1 warning in 1 catalog")
    assert render([], "text", {"errors": 0, "warnings": 0, "catalogs": 3}) == "0 errors, 0 warnings in 3 catalogs"
    # counts come from the findings when the summary has none
    assert render(findings, "text", {}) == (
        f"{DE}:3:2: error: x [fuzzy]\n{FR}:7: warning: fuzzy entry [fuzzy]\n1 error, 1 warning")


# -- json ---------------------------------------------------------------------------------

def _row(path, line, col, severity, code, message, locale=None, msgid=None):
    return {"path": path, "line": line, "col": col, "severity": severity, "code": code, "message": message,
            "locale": locale, "msgid": msgid}


def test_json_exact_shape_sorted_and_summary_as_given():
    out = render(FINDINGS, "json", SUMMARY)
    assert json.loads(out) == {
        "findings": [
            _row(None, None, None, "error", "locale-missing", "no catalog for configured locale ar", "ar"),
            _row(DE, 42, 3, "error", "html-unbalanced", "unclosed <a>\r\nopened here: <a href=\"%(href)s\">",
                 "de", "See <a href=\"%(href)s\">docs</a>"),
            _row(DE, 42, 8, "error", "placeholder-missing", "Platzhalter %(name)s fehlt in „Willkommen“",
                 "de", "Welcome, %(name)s"),
            _row(DE, 50, None, "warning", "fuzzy", "fuzzy entry: not compiled", "de", "Log in"),
            _row(ES, None, None, "error", "header-missing", "no header entry (msgid \"\")", "es"),
            _row(FR, 7, None, "warning", "newline-mismatch", "la traduction ne finit pas par \\n", "fr", "Line\n"),
            _row(JA + "x", None, None, "note", "obsolete-piling-up", "12 obsolete entries"),
            _row(ODD, 3, 1, "warning", "a11y-lang", "100% of text, 50%: <p>…</p>"),
        ],
        "summary": SUMMARY,
    }
    assert "„Willkommen“" in out and "\\u" not in out  # ensure_ascii=False
    assert out.startswith('{\n  "findings": [\n    {\n      "path": null,')  # indent 2
    assert list(json.loads(out)["summary"]) == list(SUMMARY)  # the caller's order, not re-sorted


def test_json_sort_is_stable_for_ties():
    a = Finding(DE, 5, "error", "fuzzy", "first")
    b = Finding(DE, 5, "error", "fuzzy", "second")
    assert [f["message"] for f in json.loads(render([a, b], "json", {}))["findings"]] == ["first", "second"]
    assert [f["message"] for f in json.loads(render([b, a], "json", {}))["findings"]] == ["second", "first"]


# -- junit --------------------------------------------------------------------------------

def _cases(xml):
    root = ET.fromstring(xml)
    assert root.tag == "testsuites"
    [suite] = root.findall("testsuite")
    return root, suite, {case.get("name"): case for case in suite.findall("testcase")}


def _check_structure(root, suite, cases):
    """What every JUnit consumer reads (no JUnit XSD ships in an installed package: a structural check)."""
    for element in (root, suite):
        assert element.get("tests") == str(len(cases))
        assert element.get("failures") == str(sum(1 for c in cases.values() if c.find("failure") is not None))
        assert element.get("errors") == "0"
    assert suite.get("skipped") == "0" and suite.get("name") == "i18n-tool"
    for case in cases.values():
        assert case.get("classname") and case.get("name")
        assert set(child.tag for child in case) <= {"failure", "system-out"}
        assert len(case.findall("failure")) <= 1 and len(case.findall("system-out")) <= 1
        for failure in case.findall("failure"):
            assert failure.get("message") and failure.get("type")


def test_junit_one_testcase_per_catalog_and_counts():
    xml = render(FINDINGS, "junit", SUMMARY)
    assert xml.startswith("<?xml version='1.0' encoding='utf-8'?>\n<testsuites")
    root, suite, cases = _cases(xml)
    _check_structure(root, suite, cases)
    # the listed catalogs in their order, then other paths, then path-less findings
    assert list(cases) == [DE, FR, JA, ES, JA + "x", ODD, NO_FILE]
    assert suite.get("tests") == "7" and suite.get("failures") == "3"

    de = cases[DE].find("failure")
    assert de.get("message") == "2 errors"
    assert de.text.split("\n") == [  # an XML parser reads the message's CRLF as LF
        f"{DE}:42:3: error: unclosed <a>",
        "opened here: <a href=\"%(href)s\"> [html-unbalanced]",
        f"{DE}:42:8: error: Platzhalter %(name)s fehlt in „Willkommen“ [placeholder-missing]",
    ]
    assert cases[DE].find("system-out").text == f"{DE}:50: warning: fuzzy entry: not compiled [fuzzy]"
    # a warnings-only catalog passes, its warnings on system-out
    assert cases[FR].find("failure") is None
    assert "newline-mismatch" in cases[FR].find("system-out").text
    # the clean catalog is a passing testcase with nothing in it
    assert len(cases[JA]) == 0
    assert cases[ES].find("failure").text == f"{ES}: error: no header entry (msgid \"\") [header-missing]"
    assert cases[NO_FILE].find("failure").get("message") == "1 error"
    assert cases[ODD].find("failure") is None


def test_junit_strict_fails_on_warnings():
    root, suite, cases = _cases(render(FINDINGS, "junit", SUMMARY, strict=True))
    _check_structure(root, suite, cases)
    assert suite.get("failures") == "5"
    assert cases[DE].find("failure").get("message") == "2 errors, 1 warning"
    assert cases[DE].find("system-out") is None
    assert cases[FR].find("failure").get("message") == "1 warning"
    assert cases[JA + "x"].find("failure") is None  # notes never fail
    assert len(cases[JA]) == 0


def test_junit_clean_run_and_unparseable_characters():
    root, suite, cases = _cases(render([], "junit", {"catalogs": [DE, FR]}))
    _check_structure(root, suite, cases)
    assert list(cases) == [DE, FR] and suite.get("failures") == "0"
    # a control character XML 1.0 cannot hold at all still gives a parseable report
    bell = Finding(DE, 1, "error", "html-unsafe", "bad \x07 char\x00")
    root, suite, cases = _cases(render([bell], "junit", {"catalogs": [DE]}))
    assert "bad \\x07 char\\x00" in cases[DE].find("failure").text


# -- sarif --------------------------------------------------------------------------------


_URI_REFERENCE = re.compile(r"^[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$")


@pytest.mark.parametrize("findings", [FINDINGS, []], ids=["findings", "empty"])
def test_sarif_is_valid_against_the_oasis_schema(findings):
    validate_sarif(json.loads(render(findings, "sarif", SUMMARY)))


def test_sarif_content():
    out = render(FINDINGS, "sarif", SUMMARY, tool_version="9.9.9")
    assert "„Willkommen“" in out  # ensure_ascii=False
    log = json.loads(out)
    assert log["$schema"] == SARIF_SCHEMA and log["version"] == "2.1.0"
    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "i18n-tool" and driver["version"] == "9.9.9"
    codes = sorted({f.code for f in FINDINGS})
    assert [r["id"] for r in driver["rules"]] == codes  # only the rules that appear
    for rule in driver["rules"]:
        if rule["id"] in RULES:
            assert rule["shortDescription"] == {"text": RULES[rule["id"]].description}
            assert rule["defaultConfiguration"] == {"level": RULES[rule["id"]].severity}
        else:
            assert rule == {"id": "a11y-lang"}

    results = run["results"]
    assert len(results) == len(FINDINGS)
    for result in results:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
    by_code = {r["ruleId"]: r for r in results}
    assert by_code["placeholder-missing"] == {
        "ruleId": "placeholder-missing", "ruleIndex": codes.index("placeholder-missing"), "level": "error",
        "message": {"text": "Platzhalter %(name)s fehlt in „Willkommen“"},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": DE},
                                            "region": {"startLine": 42, "startColumn": 8}}}],
        "properties": {"locale": "de", "msgid": "Welcome, %(name)s"},
    }
    assert by_code["fuzzy"]["level"] == "warning"
    assert by_code["fuzzy"]["locations"][0]["physicalLocation"]["region"] == {"startLine": 50}  # no col
    assert by_code["html-unbalanced"]["message"]["text"] == "unclosed <a>\r\nopened here: <a href=\"%(href)s\">"
    # no line: no region; no path: no location; no locale/msgid: no properties
    assert "region" not in by_code["header-missing"]["locations"][0]["physicalLocation"]
    assert by_code["obsolete-piling-up"]["level"] == "note" and "properties" not in by_code["obsolete-piling-up"]
    assert "locations" not in by_code["locale-missing"]
    assert by_code["locale-missing"]["properties"] == {"locale": "ar"}
    # a relative URI reference with forward slashes, escaped so ":" is not read as a scheme
    uri = by_code["a11y-lang"]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "templates/emails/welcome,%20v2/subject%3Aold.txt" and unquote(uri) == ODD
    for result in results:
        for location in result.get("locations", []):
            uri = location["physicalLocation"]["artifactLocation"]["uri"]
            assert _URI_REFERENCE.match(uri) and not urlsplit(uri).scheme and not uri.startswith("/")


def test_sarif_default_version_and_non_ascii_path():
    f = Finding("catalogs/ja/LC_MESSAGES/メッセージ.po", 1, "error", "fuzzy", "x")
    log = json.loads(render([f], "sarif", {}))
    validate_sarif(log)
    assert log["runs"][0]["tool"]["driver"]["version"] == __version__
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert _URI_REFERENCE.match(uri) and unquote(uri) == f.path


# -- github -------------------------------------------------------------------------------

def test_github_workflow_commands_exact():
    assert render(FINDINGS, "github", SUMMARY).split("\n") == [
        "::error title=locale-missing::no catalog for configured locale ar",
        f"::error file={DE},line=42,col=3,title=html-unbalanced::"
        "unclosed <a>%0D%0Aopened here: <a href=\"%25(href)s\">",
        f"::error file={DE},line=42,col=8,title=placeholder-missing::Platzhalter %25(name)s fehlt in „Willkommen“",
        f"::warning file={DE},line=50,title=fuzzy::fuzzy entry: not compiled",
        f"::error file={ES},title=header-missing::no header entry (msgid \"\")",
        f"::warning file={FR},line=7,title=newline-mismatch::la traduction ne finit pas par \\n",
        f"::notice file={JA}x,title=obsolete-piling-up::12 obsolete entries",
        "::warning file=templates/emails/welcome%2C v2/subject%3Aold.txt,line=3,col=1,title=a11y-lang::"
        "100%25 of text, 50%25: <p>…</p>",
    ]


def test_github_escapes_properties_and_data():
    f = Finding("a%b,c:d\ne.po", 1, "error", "x:y,z", "50% done\r\nnext: a, b")
    assert render([f], "github", {}) == (
        "::error file=a%25b%2Cc%3Ad%0Ae.po,line=1,title=x%3Ay%2Cz::50%25 done%0D%0Anext: a, b")
    assert render([], "github", {}) == ""


# -- all formats --------------------------------------------------------------------------

def test_formats_and_unknown_format():
    assert set(FORMATS) == {"text", "json", "junit", "sarif", "github"}
    with pytest.raises(ValueError, match="unknown format 'html'"):
        render(FINDINGS, "html", SUMMARY)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_output_does_not_depend_on_input_order(fmt):
    shuffled = FINDINGS[:]
    random.Random(4).shuffle(shuffled)
    assert render(shuffled, fmt, SUMMARY) == render(FINDINGS, fmt, SUMMARY)
    assert render(FINDINGS, fmt, SUMMARY) == render(FINDINGS, fmt, SUMMARY)


def test_sarif_validation_is_live():
    """The schema check catches what a wrong reporter would produce."""
    from jsonschema import Draft4Validator

    validator = Draft4Validator(sarif_schema())
    log = json.loads(render(FINDINGS, "sarif", SUMMARY))
    assert validator.is_valid(log)
    result = log["runs"][0]["results"][1]
    for path, bad in [(("level",), "fatal"), (("locations", 0, "physicalLocation", "region", "startLine"), 0),
                      (("message",), "text, not an object"), (("locale",), "de")]:
        broken = json.loads(json.dumps(log))
        target = broken["runs"][0]["results"][1]
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = bad
        assert not validator.is_valid(broken), path
    assert result["ruleId"] == "html-unbalanced"
