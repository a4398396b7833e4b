"""`i18n-tool audit` end to end: URLs and --app, reports, baselines, suppressions, exit codes."""

import base64
import json
import textwrap
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from i18n_tool.cli import cli

LOGIN = 'login = { path = "/account/login/", fields = { username = "bob", password = "companion-demo" }, ' \
        'submit = "main form button[type=submit]" }'


@pytest.fixture(autouse=True)
def _needs_browser_and_axe(browser_paths, axe_source):
    """Every test here drives Chromium with axe-core (skips locally without them, fails in CI)."""


def audit(*args, config=None):
    options = ("--config", str(config)) if config else ()
    return CliRunner().invoke(cli, [*options, "audit", *args], catch_exceptions=False)


def write_config(tmp_path, text=""):
    path = tmp_path / "i18n-tool.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def report(result) -> dict:
    return json.loads(result.stdout)


def test_a_clean_page_exits_0(fixture_server, tmp_path):
    result = audit(fixture_server + "clean.html", "--format", "json", config=write_config(tmp_path))
    assert result.exit_code == 0, result.output
    data = report(result)
    assert data["findings"] == [] and data["summary"]["pages"] == 1
    assert len(data["wcag"]) == 38


def test_violations_carry_the_contract_keys_and_exit_1(fixture_server, tmp_path):
    result = audit(fixture_server + "iframe-image.html", fixture_server + "empty-link.html", "--format", "json",
                   config=write_config(tmp_path))
    assert result.exit_code == 1
    findings = report(result)["findings"]
    by_rule = {f["rule"]: f for f in findings}
    image = by_rule["image-alt"]
    assert set(image) >= {"url", "locale", "state", "engine", "rule", "wcag", "impact", "target", "html", "message"}
    assert image["wcag"] == ["1.1.1"] and image["engine"] == "axe" and " >> " in image["target"]
    assert by_rule["link-name"]["url"].endswith("empty-link.html")
    assert report(result)["wcag"]["1.1.1"]["status"] == "failed"


def test_the_locale_a_page_is_served_in_is_checked(fixture_server, tmp_path):
    result = audit(fixture_server + "clean.html", "-l", "de", "--format", "json", config=write_config(tmp_path))
    assert result.exit_code == 1
    [finding] = report(result)["findings"]
    assert (finding["rule"], finding["engine"], finding["locale"], finding["wcag"]) == (
        "html-lang-mismatch", "static", "de", ["3.1.1"])


def test_baseline_fails_only_on_new_violations_and_lists_the_fixed(fixture_server, tmp_path):
    config = write_config(tmp_path)
    baseline = tmp_path / "a11y-baseline.json"
    pages = [fixture_server + "empty-link.html", fixture_server + "empty-button.html"]
    written = audit(*pages, "--baseline", str(baseline), "--update-baseline", config=config)
    assert written.exit_code == 0 and baseline.exists()
    assert audit(*pages, "--baseline", str(baseline), config=config).exit_code == 0

    result = audit(pages[0], fixture_server + "no-title.html", "--baseline", str(baseline), "--format", "json",
                   config=config)
    assert result.exit_code == 1
    data = report(result)
    assert {f["rule"] for f in data["findings"]} >= {"document-title"}
    assert "link-name" not in {f["rule"] for f in data["findings"]}
    assert [entry["rule"] for entry in data["fixed"]] == ["button-name"]


def test_suppressions_until_they_expire(fixture_server, tmp_path):
    def config_with(expires):
        return write_config(tmp_path, f"""
            [[audit.suppress]]
            rule = "link-name"
            selector = "*"
            reason = "the icon font is being replaced"
            expires = {expires}
        """)

    page = fixture_server + "empty-link.html"
    assert audit(page, config=config_with("2099-12-31")).exit_code == 0
    expired = audit(page, "--format", "json", config=config_with("2020-01-01"))
    assert expired.exit_code == 1
    assert report(expired)["expired"][0]["reason"] == "the icon font is being replaced"


def test_reports_parse(fixture_server, tmp_path):
    config = write_config(tmp_path)
    page = fixture_server + "iframe-image.html"
    junit = audit(page, "--format", "junit", config=config)
    assert ET.fromstring(junit.stdout).iter("failure")
    sarif = json.loads(audit(page, "--format", "sarif", config=config).stdout)
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"]
    output = tmp_path / "audit.html"
    assert audit(page, "--format", "html", "--output", str(output), config=config).exit_code == 1
    document = output.read_text(encoding="utf-8")
    start = document.index("data:image/png;base64,") + len("data:image/png;base64,")
    assert base64.b64decode(document[start:document.index('"', start)]).startswith(b"\x89PNG")


def test_unusable_input_exits_2_with_one_line(fixture_server, silent_port, tmp_path):
    config = write_config(tmp_path)
    refused = audit("http://127.0.0.1:9/", config=config)
    assert refused.exit_code == 2 and "cannot reach http://127.0.0.1:9/" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert audit("ftp://example.test/", config=config).exit_code == 2
    assert audit(config=config).exit_code == 2  # nothing to audit
    assert audit(fixture_server + "clean.html", "--update-baseline", config=config).exit_code == 2
    missing = audit(fixture_server + "clean.html", "--baseline", str(tmp_path / "none.json"), config=config)
    assert missing.exit_code == 2 and "does not exist" in missing.stderr


def test_no_browser_is_exit_2_naming_what_to_install(fixture_server, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("CHROME_BIN", raising=False)
    monkeypatch.delenv("CHROMEDRIVER", raising=False)
    result = audit(fixture_server + "clean.html", config=write_config(tmp_path))
    assert result.exit_code == 2
    assert "chromium" in result.stderr and "apt-get install" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_companion_app_routes_locales_logins_and_states(tmp_path):
    config = write_config(tmp_path, f"""
        source-locale = "en"
        locales = ["ar"]
        [audit]
        app = "companion.sandbox:make_app"
        routes = ["/", {{ path = "/account/", auth = "user" }}]
        {LOGIN}
        [[audit.states]]
        name = "menu-open"
        path = "/"
        auth = "user"
        actions = [{{ click = "details.account-menu > summary" }}]
    """)
    result = audit("--app", "--workers", "2", "--format", "json", config=config)
    assert result.exit_code == 0, result.output
    pages = report(result)["pages"]
    assert {(p["locale"], p["state"]) for p in pages} == {
        (locale, state) for locale in ("en", "ar") for state in ("default", "logged-in", "logged-in, menu-open")}
    assert len(pages) == 2 * 4
    assert {p["url"].split(":", 2)[1] for p in pages} == {"//127.0.0.1"}


def test_a_login_that_does_not_work_fails_the_pages_behind_it(tmp_path):
    config = write_config(tmp_path, f"""
        [audit]
        app = "companion.sandbox:make_app"
        routes = [{{ path = "/account/", auth = "user" }}]
        {LOGIN.replace("companion-demo", "wrong password")}
    """)
    result = audit("--app", "-l", "en", config=config)
    assert result.exit_code == 1
    assert "logging in at /account/login/ did not work" in result.stderr


@pytest.mark.parametrize(("page", "locale", "rule", "criterion"), [
    ("arabic-no-dir.html", "ar", "html-dir-mismatch", "1.3.2"),
    ("duplicate-ids.html", None, "id-duplicate", "4.1.1"),
])
def test_static_rules_on_pages_the_browser_loaded(fixture_server, tmp_path, page, locale, rule, criterion):
    args = [fixture_server + page, "--format", "json"] + (["-l", locale] if locale else [])
    result = audit(*args, config=write_config(tmp_path))
    assert result.exit_code == 1
    [finding] = [f for f in report(result)["findings"] if f["engine"] == "static"]
    assert (finding["rule"], finding["wcag"]) == (rule, [criterion])
