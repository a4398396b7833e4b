import json
import random
import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import html5lib
import pytest

from i18n_tool.a11y.findings import KEYS, AuditFinding, target_string
from i18n_tool.a11y.reports import FORMATS, INCOMPLETE_LISTED, TOOL, render, summary_line
from i18n_tool.a11y.result import AuditResult
from i18n_tool.a11y.wcag import CRITERIA, table
from i18n_tool import __version__
from i18n_tool.reporters import SARIF_SCHEMA
from tests.sarif import validate_sarif

HOME = "https://app.test/"
PROJECT = "https://app.test/project/demo/"
HELP = "https://dequeuniversity.com/rules/axe/4.9/image-alt"
PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
SCRIPT = "<script>alert(1)</script>"
BREAKOUT = '"><img src=x onerror=alert(1)>'


def finding(url, locale, state, rule, target, wcag=("1.1.1",), impact="serious", **kw):
    kw.setdefault("html", f"<{target.split()[-1]}>")
    kw.setdefault("message", f"{rule} failed")
    return AuditFinding(url=url, locale=locale, state=state, engine=kw.pop("engine", "axe"), rule=rule,
                        wcag=tuple(wcag), impact=impact, target=target, **kw)


FRAME = ["iframe#ads", "img.banner"]
SHADOW = [["my-menu", "button.toggle"]]
LOGO = finding(HOME, "de", "default", "image-alt", "img.logo", impact="critical", html='<img src="logo.png">',
               message="Images must have alternate text\n  Fix any of the following: no alt", route="/",
               help_url=HELP, screenshot=PNG)
IN_FRAME = finding(PROJECT, "fr", "default", "image-alt", target_string(FRAME), path=tuple(FRAME),
                   route="/project/{name}/")
IN_SHADOW = finding(HOME, "de", "menu-open", "button-name", target_string(SHADOW), wcag=("4.1.2",),
                    html=SCRIPT, message=BREAKOUT, path=(tuple(SHADOW[0]),), route="/")
NO_LANG = finding(PROJECT, None, "default", "html-has-lang", "html", wcag=("3.1.1",), impact=None,
                  engine="static", html="<html>", message="<html> has no lang attribute")
KNOWN = finding(HOME, "fr", "default", "color-contrast", "footer a", wcag=("1.4.3",))
SUPPRESSED = finding(HOME, "de", "default", "region", "div.ad", wcag=(), impact="moderate")
REVIEW = [finding(PROJECT, "de", "default", "color-contrast", f"p.note:nth-child({n})", wcag=("1.4.3",),
                  message="needs review: background image") for n in (2, 1)]
FIXED = [{"rule": "label", "route": "/search/", "target": "input#q", "fingerprint": "f1e2d3"}]
EXPIRED = [{"rule": "region", "selector": "div.legacy", "reason": "old widget", "expires": "2024-01-31"}]
PAGES = [
    {"url": PROJECT, "locale": "fr", "state": "default", "route": "/project/{name}/", "violations": 1,
     "seconds": 2.25},
    {"url": HOME, "locale": "de", "state": "default", "route": "/", "violations": 1, "seconds": 1.5},
    {"url": HOME, "locale": "de", "state": "menu-open", "route": "/", "violations": 1, "seconds": 0.75},
    {"url": HOME, "locale": "fr", "state": "default", "route": "/", "violations": 0, "seconds": 1.0},
    {"url": PROJECT, "locale": None, "state": "default", "route": None, "violations": 1, "seconds": 0.5},
    {"url": PROJECT, "locale": "de", "state": "default", "route": "/project/{name}/", "violations": 0,
     "seconds": 1.25},
]
WCAG = table(covered={"1.1.1", "1.4.3", "2.4.2", "3.1.1", "4.1.2"}, failed={"1.1.1", "3.1.1", "4.1.2"})
NEW = [IN_SHADOW, NO_LANG, LOGO, IN_FRAME]  # out of order: reports sort them
SORTED = [LOGO, IN_SHADOW, NO_LANG, IN_FRAME]  # by url, locale, state, rule, target


def make(**changes):
    base = AuditResult(findings=list(NEW), known=[KNOWN], suppressed=[SUPPRESSED], incomplete=list(REVIEW),
                       fixed=list(FIXED), expired=list(EXPIRED), wcag=WCAG, pages=list(PAGES), errors=[])
    return replace(base, **changes)


RESULT = make()


# -- the result ---------------------------------------------------------------------------

def test_exit_codes():
    assert AuditResult().exit_code == 0
    assert make(expired=[]).exit_code == 1  # new findings
    quiet = make(findings=[], expired=[])
    assert quiet.exit_code == 0  # known, suppressed, needs review and fixed never fail
    assert replace(quiet, expired=EXPIRED).exit_code == 1
    assert replace(quiet, errors=["https://app.test/x: timed out after 30 s"]).exit_code == 1


def test_summary_counts():
    assert RESULT.summary() == {
        "pages": 6, "pages_failing": 4, "locales": 2, "states": 2,
        "new": 4, "known": 1, "suppressed": 1, "incomplete": 2, "fixed": 1, "expired": 1, "errors": 0,
        "by_impact": {"critical": 1, "serious": 2, "moderate": 0, "minor": 0, "unrated": 1},
        "by_rule": {"button-name": 1, "html-has-lang": 1, "image-alt": 2},
        "criteria": {"failed": 3, "checked": 2, "not automatable": 33},
    }
    empty = AuditResult().summary()
    assert empty["by_impact"] == {"critical": 0, "serious": 0, "moderate": 0, "minor": 0}
    assert empty["criteria"] == {"failed": 0, "checked": 0, "not automatable": 0}


def test_summary_line():
    assert summary_line(RESULT.summary()) == (
        "4 new violations (1 critical, 2 serious, 1 unrated) on 4 of 6 pages; 1 known, 1 fixed, 1 suppressed; "
        "2 need review; 1 expired suppression")
    one = AuditResult(findings=[LOGO], incomplete=REVIEW[:1], pages=PAGES[:1], errors=["a", "b"])
    assert summary_line(one.summary()) == (
        "1 new violation (1 critical) on 1 of 1 page; 0 known, 0 fixed; 1 needs review; 2 pages could not be audited")
    assert summary_line(AuditResult(pages=PAGES).summary()) == (
        "0 new violations on 0 of 6 pages; 0 known, 0 fixed; 0 need review")


# -- text ---------------------------------------------------------------------------------

def test_text_lines_sections_and_summary():
    lines = render(RESULT, "text").split("\n")
    assert lines[:4] == [
        f"{HOME} [de, default] image-alt (WCAG 1.1.1; critical): Images must have alternate text "
        "Fix any of the following: no alt — img.logo",
        f"{HOME} [de, menu-open] button-name (WCAG 4.1.2; serious): {BREAKOUT} — my-menu >>> button.toggle",
        f"{PROJECT} [-, default] html-has-lang (WCAG 3.1.1): <html> has no lang attribute — html",
        f"{PROJECT} [fr, default] image-alt (WCAG 1.1.1; serious): image-alt failed — iframe#ads >> img.banner",
    ]
    text = "\n".join(lines)
    assert "\nFixed (in the baseline, no longer found):\n  label /search/ input#q\n" in text
    assert "\nExpired suppressions:\n  region div.legacy: expired 2024-01-31 (old widget)\n" in text
    assert (f"\nNeeds review (2):\n  {PROJECT} [de, default] color-contrast (WCAG 1.4.3; serious): "
            "needs review: background image — p.note:nth-child(1)\n") in text
    assert "Could not audit" not in text
    assert lines[-1] == summary_line(RESULT.summary())


def test_text_wcag_table_has_38_rows():
    lines = render(RESULT, "text").split("\n")
    start = lines.index("WCAG 2.0 A/AA:") + 1
    rows = lines[start:start + 38]
    assert [row.split()[0] for row in rows] == [c.id for c in CRITERIA]
    assert lines[start + 38] == ""  # then the summary line
    assert re.fullmatch(r"  1\.1\.1  A   Non-text Content +failed", rows[0])
    assert re.fullmatch(r"  1\.4\.3  AA  Contrast \(Minimum\) +checked", rows[11])
    assert rows[1].endswith("  not automatable")
    assert len({row.rindex("  ") for row in rows}) == 1  # the status column lines up


def test_text_counts_a_long_needs_review_list_by_rule():
    many = [replace(REVIEW[0], target=f"p:nth-child({n})") for n in range(INCOMPLETE_LISTED + 1)]
    many.append(replace(REVIEW[0], rule="link-in-text-block"))
    text = render(make(incomplete=many, errors=["https://app.test/x: timed out"]), "text")
    assert f"\nNeeds review ({len(many)}):\n  color-contrast: 11\n  link-in-text-block: 1\n" in text
    assert "\nCould not audit:\n  https://app.test/x: timed out\n" in text


def test_text_empty_result():
    assert render(AuditResult(), "text") == "0 new violations on 0 of 0 pages; 0 known, 0 fixed; 0 need review"


# -- json ---------------------------------------------------------------------------------

def test_json_keys_and_values():
    out = render(RESULT, "json")
    data = json.loads(out)
    assert list(data) == ["findings", "known", "suppressed", "incomplete", "fixed", "expired", "wcag", "pages",
                          "errors", "summary"]
    assert [f["target"] for f in data["findings"]] == [f.target for f in SORTED]
    for row in data["findings"] + data["known"] + data["suppressed"] + data["incomplete"]:
        assert list(row) == [*KEYS, "route", "help_url"]  # the keys first, in their order
    assert data["findings"][0] == {
        "url": HOME, "locale": "de", "state": "default", "engine": "axe", "rule": "image-alt", "wcag": ["1.1.1"],
        "impact": "critical", "target": "img.logo", "html": '<img src="logo.png">',
        "message": "Images must have alternate text\n  Fix any of the following: no alt", "route": "/",
        "help_url": HELP,
    }
    assert data["findings"][2]["locale"] is None and data["findings"][2]["impact"] is None
    assert "screenshot" not in out and PNG not in out  # the html report carries screenshots
    assert data["known"][0]["rule"] == "color-contrast" and data["suppressed"][0]["wcag"] == []
    assert [f["target"] for f in data["incomplete"]] == ["p.note:nth-child(1)", "p.note:nth-child(2)"]
    assert data["fixed"] == FIXED and data["expired"] == EXPIRED and data["errors"] == []
    assert data["pages"][0] == PAGES[1] and len(data["pages"]) == 6  # sorted by url, locale, state
    assert data["summary"] == RESULT.summary()
    assert out.startswith('{\n  "findings": [\n    {\n      "url": ')


def test_json_wcag_table_has_38_rows():
    wcag = json.loads(render(RESULT, "json"))["wcag"]
    assert list(wcag) == [c.id for c in CRITERIA] and len(wcag) == 38
    assert wcag["1.1.1"] == {"name": "Non-text Content", "level": "A", "status": "failed"}
    assert wcag["2.4.2"]["status"] == "checked" and wcag["1.2.1"]["status"] == "not automatable"


def test_json_keeps_non_ascii():
    f = replace(LOGO, locale="ja", message="画像に代替テキストがありません")
    out = render(AuditResult(findings=[f]), "json")
    assert "画像に代替テキストがありません" in out and "\\u" not in out


# -- junit --------------------------------------------------------------------------------

def _suites(xml):
    root = ET.fromstring(xml)
    assert root.tag == "testsuites" and root.get("name") == TOOL
    suites = {suite.get("name"): suite for suite in root.findall("testsuite")}
    for attr in ("tests", "failures", "errors"):
        assert root.get(attr) == str(sum(int(s.get(attr)) for s in suites.values()))
    for suite in suites.values():
        cases = suite.findall("testcase")
        assert suite.get("tests") == str(len(cases)) and suite.get("skipped") == "0"
        assert suite.get("failures") == str(sum(1 for c in cases if c.find("failure") is not None))
        assert suite.get("errors") == str(sum(1 for c in cases if c.find("error") is not None))
        for case in cases:
            assert case.get("classname") and case.get("name")
            assert len(case.findall("failure")) + len(case.findall("error")) <= 1
    return root, suites


def _cases(suite):
    return {case.get("name"): case for case in suite.findall("testcase")}


def test_junit_one_suite_per_locale_one_case_per_page_and_state():
    xml = render(RESULT, "junit")
    assert xml.startswith("<?xml version='1.0' encoding='utf-8'?>\n<testsuites")
    root, suites = _suites(xml)
    assert list(suites) == [f"{TOOL} [-]", f"{TOOL} [de]", f"{TOOL} [fr]", f"{TOOL} [run]"]
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("7", "5", "0")

    de = _cases(suites[f"{TOOL} [de]"])
    assert list(de) == [f"{HOME} [default]", f"{HOME} [menu-open]", f"{PROJECT} [default]"]
    home = de[f"{HOME} [default]"]
    assert home.get("classname") == f"{TOOL}.de" and home.get("time") == "1.500"
    failure = home.find("failure")
    assert failure.get("message") == "1 new violation (1 critical)" and failure.get("type") == "accessibility"
    assert failure.text == (f"{HOME} [de, default] image-alt (WCAG 1.1.1; critical): Images must have "
                            "alternate text Fix any of the following: no alt — img.logo")
    assert home.find("system-out") is None  # suppressed findings are not reported
    assert BREAKOUT in de[f"{HOME} [menu-open]"].find("failure").text  # ElementTree escapes it
    review = de[f"{PROJECT} [default]"]
    assert review.find("failure") is None  # needs review never fails
    assert review.find("system-out").text.split("\n")[0].startswith(f"needs review: {PROJECT} [de, default]")

    fr = _cases(suites[f"{TOOL} [fr]"])
    assert fr[f"{HOME} [default]"].find("failure") is None
    assert fr[f"{HOME} [default]"].find("system-out").text.startswith("known: ")
    assert fr[f"{PROJECT} [default]"].find("failure").get("message") == "1 new violation (1 serious)"
    [no_locale] = suites[f"{TOOL} [-]"].findall("testcase")
    assert no_locale.find("failure").get("message") == "1 new violation (1 unrated)"

    [expired] = suites[f"{TOOL} [run]"].findall("testcase")
    assert expired.get("name") == "region div.legacy"
    assert expired.find("failure").get("message") == "expired 2024-01-31"


def test_junit_errors_and_clean_run():
    root, suites = _suites(render(make(findings=[], expired=[], errors=["https://app.test/x: timed out"]), "junit"))
    assert (root.get("tests"), root.get("failures"), root.get("errors")) == ("7", "0", "1")
    [case] = suites[f"{TOOL} [run]"].findall("testcase")
    assert case.find("error").get("message") == "https://app.test/x: timed out"
    root, suites = _suites(render(AuditResult(), "junit"))
    assert root.get("tests") == "0" and suites == {}


def test_junit_survives_characters_xml_cannot_hold():
    bell = replace(LOGO, message="bad \x07 char\x00")
    root, suites = _suites(render(AuditResult(findings=[bell]), "junit"))
    assert "bad \\x07 char\\x00" in root.find("testsuite/testcase/failure").text


# -- sarif --------------------------------------------------------------------------------


@pytest.mark.parametrize("result", [RESULT, make(errors=["https://app.test/x: timed out"]), AuditResult()],
                         ids=["findings", "errors", "empty"])
def test_sarif_is_valid_against_the_oasis_schema(result):
    validate_sarif(json.loads(render(result, "sarif")))


def test_sarif_content():
    log = json.loads(render(RESULT, "sarif", tool_version="9.9.9"))
    assert log["$schema"] == SARIF_SCHEMA and log["version"] == "2.1.0"
    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "i18n-tool audit" and driver["version"] == "9.9.9"
    assert [r["id"] for r in driver["rules"]] == ["button-name", "html-has-lang", "image-alt"]
    image_alt = driver["rules"][2]
    assert image_alt == {
        "id": "image-alt",
        "shortDescription": {"text": "Images must have alternate text Fix any of the following: no alt"},
        "helpUri": HELP, "defaultConfiguration": {"level": "error"},
        "properties": {"tags": ["accessibility", "wcag2a", "WCAG 1.1.1"]},
    }
    assert "helpUri" not in driver["rules"][0]
    assert run["invocations"] == [{"executionSuccessful": True}]

    results = run["results"]
    assert len(results) == len(NEW)  # one per new violation: known and needs-review are not alerts
    assert [r["ruleId"] for r in results] == [f.rule for f in SORTED]
    for result in results:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == "error" and result["kind"] == "fail"
    frame = results[3]
    assert frame["locations"] == [{
        "physicalLocation": {"artifactLocation": {"uri": PROJECT}},
        "logicalLocations": [{"name": "img.banner", "fullyQualifiedName": "iframe#ads >> img.banner",
                              "kind": "element"}],
        "message": {"text": "iframe#ads >> img.banner"},
    }]
    assert frame["message"] == {"text": "image-alt failed — iframe#ads >> img.banner (fr, default)"}
    assert frame["properties"] == {"locale": "fr", "state": "default", "engine": "axe", "impact": "serious",
                                   "wcag": ["1.1.1"], "target": "iframe#ads >> img.banner",
                                   "html": "<img.banner>", "route": "/project/{name}/"}
    shadow = results[1]["locations"][0]["logicalLocations"][0]
    assert shadow == {"name": "button.toggle", "fullyQualifiedName": "my-menu >>> button.toggle", "kind": "element"}
    assert "locale" not in results[2]["properties"] and "impact" not in results[2]["properties"]


def test_sarif_reports_pages_not_audited():
    log = json.loads(render(make(errors=["https://app.test/x: timed out"]), "sarif"))
    assert log["runs"][0]["invocations"] == [{
        "executionSuccessful": False,
        "toolExecutionNotifications": [{"level": "error", "message": {"text": "https://app.test/x: timed out"}}],
    }]
    assert log["runs"][0]["tool"]["driver"]["version"] == __version__


# -- html ---------------------------------------------------------------------------------

_LOADING = {"src", "srcset", "poster", "data", "action", "formaction", "background", "manifest", "icon"}


def _parse(out):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(out)  # strict: any parse error raises


def test_html_is_self_contained():
    out = render(RESULT, "html")
    doc = _parse(out)
    tags = {el.tag for el in doc.iter()}
    assert not tags & {"script", "link", "iframe", "frame", "object", "embed", "base", "video", "audio", "source"}
    for el in doc.iter():
        for name, value in el.attrib.items():
            value = value.strip().lower()
            if name in _LOADING or (name == "href" and el.tag != "a"):
                assert not value.startswith(("http:", "https:", "//")), (el.tag, name, value)
            if name == "href":  # links load nothing until followed; ours are in-page or http(s) only
                assert value.startswith(("#", "http://", "https://")), value
            assert not name.startswith("on"), (el.tag, name)
        if el.tag == "img":
            assert el.get("src").startswith("data:image/png;base64,")
    [style] = doc.iter("style")
    assert "url(" not in style.text and "@import" not in style.text
    assert not any(el.tag == "meta" and el.get("http-equiv") for el in doc.iter())


def test_html_has_findings_screenshot_and_sections():
    out = render(RESULT, "html")
    doc = _parse(out)
    [img] = doc.iter("img")
    assert img.get("src") == f"data:image/png;base64,{PNG}"
    assert img.get("alt") == f"Screenshot of img.logo (image-alt) on {HOME}, de, default"
    articles = [el for el in doc.iter("article")]
    assert len(articles) == len(NEW)
    first = "".join(articles[0].itertext())
    for fact in ("image-alt", "1.1.1 Non-text Content (A)", "critical", HOME, "de", "default", "img.logo",
                 '<img src="logo.png">', HELP):
        assert fact in first
    assert "iframe#ads >> img.banner" in "".join(articles[3].itertext())
    assert "my-menu >>> button.toggle" in "".join(articles[1].itertext())
    headings = [("".join(h.itertext())) for h in doc.iter("h2")]
    assert headings == ["Summary", "WCAG 2.0 A/AA", "New violations (4)", "Known violations (1)", "Suppressed (1)",
                        "Fixed (1)", "Expired suppressions (1)", "Needs review (2)", "Pages not audited (0)",
                        "Pages (6)"]
    text = "".join(doc.find("body").itertext())
    for value in ("input#q", "f1e2d3", "div.legacy", "old widget", "2024-01-31", "p.note:nth-child(2)", "div.ad"):
        assert value in text


def test_html_wcag_table_and_accessible_structure():
    doc = _parse(render(RESULT, "html"))
    html_el = doc.getroot() if hasattr(doc, "getroot") else doc
    assert html_el.get("lang") == "en"
    assert "".join(doc.find("head/title").itertext()) == "Accessibility audit: 4 new violations"
    assert len(list(doc.iter("h1"))) == 1 and doc.find("body/main") is not None
    tables = list(doc.iter("table"))
    wcag = next(t for t in tables if "WCAG" in "".join(t.find("caption").itertext()))
    rows = wcag.findall("tbody/tr")
    assert len(rows) == 38
    assert ["".join(row.find("th").itertext()) for row in rows] == [c.id for c in CRITERIA]
    assert [td.text or "".join(td.itertext()) for td in rows[0].findall("td")] == ["A", "Non-text Content", "failed"]
    for t in tables:
        assert t.find("caption") is not None
        assert all(th.get("scope") in ("col", "row") for th in t.iter("th"))


@pytest.mark.parametrize("field", ["html", "message", "target", "url", "state", "rule"])
def test_html_escapes_everything_from_the_page(field):
    hostile = replace(IN_SHADOW, **{field: SCRIPT + BREAKOUT}, help_url="javascript:alert(1)")
    out = render(AuditResult(findings=[hostile], incomplete=[hostile], known=[hostile]), "html")
    doc = _parse(out)
    assert "<script" not in out.lower()
    assert not any(el.tag == "script" or any(a.startswith("on") for a in el.attrib) for el in doc.iter())
    assert [el.get("src")[:5] for el in doc.iter("img")] == []  # no screenshot, and no injected <img>
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "javascript:" not in {el.get("href", "")[:11] for el in doc.iter("a")}
    assert "javascript:alert(1)" in out  # shown as text, never as a link


def test_html_survives_characters_html_cannot_hold():
    odd = replace(LOGO, html="<b>\x00\x07\x85\ufdd0</b>", screenshot=None)
    out = render(AuditResult(findings=[odd]), "html")
    _parse(out)
    assert "\\x00\\x07\\x85\\xfdd0" in out


def test_html_empty_result():
    doc = _parse(render(AuditResult(), "html"))
    assert "None." in "".join(doc.find("body").itertext())


# -- all formats --------------------------------------------------------------------------

def test_formats_and_unknown_format():
    assert set(FORMATS) == {"text", "json", "junit", "sarif", "html"}
    with pytest.raises(ValueError, match="unknown format 'github'"):
        render(RESULT, "github")


def _shuffled(result, seed):
    rng = random.Random(seed)

    def mix(items):
        items = list(items)
        rng.shuffle(items)
        return items

    return replace(result, findings=mix(result.findings), known=mix(result.known), incomplete=mix(result.incomplete),
                   fixed=mix(result.fixed + [{"rule": "a", "route": None, "target": "b", "fingerprint": "c"}]),
                   pages=mix(result.pages))


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_output_is_deterministic(fmt):
    base = replace(RESULT, fixed=RESULT.fixed + [{"rule": "a", "route": None, "target": "b", "fingerprint": "c"}])
    expected = render(base, fmt)
    assert render(base, fmt) == expected
    for seed in range(3):
        assert render(_shuffled(RESULT, seed), fmt) == expected


def test_sort_is_stable_for_ties():
    a = replace(LOGO, message="first")
    b = replace(LOGO, message="second")
    messages = [f["message"] for f in json.loads(render(AuditResult(findings=[a, b]), "json"))["findings"]]
    assert messages == ["first", "second"]
    messages = [f["message"] for f in json.loads(render(AuditResult(findings=[b, a]), "json"))["findings"]]
    assert messages == ["second", "first"]
