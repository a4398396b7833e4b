"""axe-core through the session: every frame, shadow DOM, failures reported, findings as records."""

import base64
import json
from pathlib import Path

import pytest

from i18n_tool.a11y import axe
from i18n_tool.a11y.axe import AxeError, AxeNotFound, load_axe_source, run_axe
from i18n_tool.a11y.findings import FRAME_SEPARATOR, SHADOW_SEPARATOR

WHERE = {"locale": "en", "state": "anonymous", "route": "/fixtures/{name}"}


def audit(browser, axe_source, url):
    browser.open(url)
    return run_axe(browser, axe_source, url=url, **WHERE)


def rules_of(findings):
    return {finding.rule for finding in findings}


def is_png(data):
    return data is not None and base64.b64decode(data).startswith(b"\x89PNG")


@pytest.mark.parametrize("page, rule, wcag", [
    ("iframe-image.html", "image-alt", ("1.1.1",)),
    ("shadow-input.html", "label", ("4.1.2",)),
    ("low-contrast.html", "color-contrast", ("1.4.3",)),
    ("empty-link.html", "link-name", ("2.4.4", "4.1.2")),
    ("empty-button.html", "button-name", ("4.1.2",)),
    ("no-title.html", "document-title", ("2.4.2",)),
    ("table.html", "td-headers-attr", ("1.3.1",)),
    ("nested-frames.html", "button-name", ("4.1.2",)),
])
def test_each_fixture_has_exactly_its_defect(browser, axe_source, fixture_server, page, rule, wcag):
    result = audit(browser, axe_source, fixture_server + page)
    assert rules_of(result.violations) == {rule}
    assert {finding.wcag for finding in result.violations} == {wcag}
    assert result.frames_failed == 0


def test_clean_page_has_no_violations(browser, axe_source, fixture_server):
    result = audit(browser, axe_source, fixture_server + "clean.html")
    assert result.violations == []
    assert result.frames_failed == 0


def test_rules_are_those_that_ran_with_their_criteria(browser, axe_source, fixture_server):
    rules = audit(browser, axe_source, fixture_server + "clean.html").rules
    assert rules["image-alt"] == ("1.1.1",)
    assert rules["color-contrast"] == ("1.4.3",)
    assert "td-has-header" not in rules  # tagged wcag2a, but experimental: runOnly leaves it out
    assert "region" not in rules  # best practice, not WCAG


def test_finding_fields(browser, axe_source, fixture_server):
    url = fixture_server + "empty-button.html"
    [finding] = audit(browser, axe_source, url).violations
    assert (finding.url, finding.locale, finding.state, finding.route) == (url, "en", "anonymous", "/fixtures/{name}")
    assert (finding.engine, finding.impact, finding.target, finding.path) == ("axe", "critical", "button", ("button",))
    assert finding.html == '<button type="button"></button>'
    assert "Fix any of the following" in finding.message
    assert finding.help_url.startswith("https://dequeuniversity.com/rules/axe/")


def test_iframe_finding_targets_through_the_frame(browser, axe_source, fixture_server):
    [finding] = audit(browser, axe_source, fixture_server + "iframe-image.html").violations
    assert finding.target == FRAME_SEPARATOR.join(finding.path) == "iframe >> img"
    assert is_png(browser.element_screenshot(finding.path))
    assert browser.driver.execute_script("return window === window.top")


def test_shadow_dom_finding_targets_through_the_shadow_root(browser, axe_source, fixture_server):
    [finding] = audit(browser, axe_source, fixture_server + "shadow-input.html").violations
    assert finding.path == (("#host", "input"),)
    assert finding.target == "#host" + SHADOW_SEPARATOR + "input"
    assert is_png(browser.element_screenshot(finding.path))


def test_nested_frames_are_tested_at_every_level(browser, axe_source, fixture_server):
    [finding] = audit(browser, axe_source, fixture_server + "nested-frames.html").violations
    assert finding.target.split(FRAME_SEPARATOR) == ["iframe", "iframe", "button"]
    assert is_png(browser.element_screenshot(finding.path))


def test_frame_inside_shadow_dom_is_tested(browser, axe_source, fixture_server):
    [finding] = audit(browser, axe_source, fixture_server + "shadow-frame.html").violations
    assert finding.path == (("#host", "iframe"), "img")
    assert finding.target == "#host" + SHADOW_SEPARATOR + "iframe" + FRAME_SEPARATOR + "img"
    assert is_png(browser.element_screenshot(finding.path))


def test_cross_origin_frame_is_tested(browser, axe_source, fixture_server):
    result = audit(browser, axe_source, fixture_server + "cross-origin.html")
    assert rules_of(result.violations) == {"image-alt"}
    assert result.violations[0].target == "#other >> img"


def test_frame_axe_cannot_run_in_is_a_failure(browser, axe_source, fixture_server):
    result = audit(browser, axe_source, fixture_server + "blocked-frame.html")
    assert result.frames_failed == 1
    # The sibling frame is still tested; the frame inside the failed one is not.
    assert rules_of(result.violations) == {"frame-tested", "image-alt"}
    [failure] = [f for f in result.violations if f.rule == "frame-tested"]
    assert (failure.wcag, failure.impact, failure.engine) == ((), "critical", "axe")
    assert failure.target == failure.path[0]  # axe's selector for the frame element, which finds it again
    assert is_png(browser.element_screenshot(failure.path))
    assert failure.message.startswith("axe could not run inside this frame: ")
    assert "this frame does not allow axe" in failure.message
    assert failure.message.endswith("; its content was not checked")
    assert failure.html.startswith('<iframe id="blocked"')


def test_frame_that_never_loads_is_a_failure(browser, axe_source, fixture_server, silent_port, monkeypatch):
    monkeypatch.setattr(browser, "frame_timeout", 1)
    result = audit(browser, axe_source, f"{fixture_server}hung-frame.html?port={silent_port}")
    assert result.frames_failed == 1
    [failure] = result.violations
    assert failure.rule == "frame-tested"
    assert "\n" not in failure.message
    assert browser.page_load_timeout == 30  # the short frame timeout is put back


def test_needs_review_is_its_own_channel(browser, axe_source, fixture_server):
    result = audit(browser, axe_source, fixture_server + "needs-review.html")
    assert result.violations == []
    assert "color-contrast" in rules_of(result.incomplete)
    assert all(finding.engine == "axe" and finding.wcag for finding in result.incomplete)


def test_the_page_is_current_again_after_a_run_and_one_axe_window_serves_every_run(browser, axe_source,
                                                                                   fixture_server):
    audit(browser, axe_source, fixture_server + "clean.html")
    assert browser.driver.title == "A clean page"
    handles = set(browser.driver.window_handles)
    assert browser.axe_window in handles and len(handles) == 2
    audit(browser, axe_source, fixture_server + "empty-link.html")
    assert set(browser.driver.window_handles) == handles and browser.driver.title == "An empty link"


def test_broken_axe_script_is_an_error(browser, fixture_server):
    browser.open(fixture_server + "clean.html")
    with pytest.raises(AxeError):
        run_axe(browser, "window.axe = undefined;", url=fixture_server + "clean.html", **WHERE)


def test_axe_script_from_a_given_path(tmp_path):
    script = tmp_path / "axe.js"
    script.write_text("/* axe */")
    assert load_axe_source(script) == "/* axe */"


PINNED = json.loads((Path(__file__).parents[2] / "package.json").read_text())["dependencies"]["axe-core"]


def test_the_pinned_version_is_the_one_package_json_installs():
    assert axe.AXE_VERSION == PINNED


def test_missing_axe_script_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(AxeNotFound) as caught:
        load_axe_source(tmp_path / "axe.min.js")
    message = str(caught.value)
    assert "\n" not in message and str(tmp_path / "axe.min.js") in message
    assert f"npm install --save-dev axe-core@{PINNED}" in message


def test_missing_node_modules_in_another_project_says_what_to_run_there(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "package-lock.json").write_text('{"packages": {"node_modules/left-pad": {}}}')
    monkeypatch.setattr(axe, "_HERE", tmp_path / "site-packages" / "i18n_tool" / "a11y")
    with pytest.raises(AxeNotFound) as caught:
        load_axe_source()
    message = str(caught.value)
    assert "\n" not in message and "npm ci" not in message
    assert "node_modules/axe-core/axe.min.js" in message and "--axe-script PATH" in message
    assert f"npm install --save-dev axe-core@{PINNED}" in message


def test_missing_node_modules_where_the_lockfile_pins_axe_says_npm_ci(tmp_path, monkeypatch):
    (tmp_path / "package-lock.json").write_text('{"packages": {"node_modules/axe-core": {"version": "4.14.1"}}}')
    (tmp_path / "web").mkdir()
    monkeypatch.chdir(tmp_path / "web")
    monkeypatch.setattr(axe, "_HERE", tmp_path / "site-packages" / "i18n_tool" / "a11y")
    with pytest.raises(AxeNotFound) as caught:
        load_axe_source()
    assert "run `npm ci`" in str(caught.value)
