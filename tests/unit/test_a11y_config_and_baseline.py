"""The audit's configuration ([tool.i18n-tool.audit]), targets, baselines and suppressions."""

import json
import textwrap
from datetime import date

import pytest

from i18n_tool.a11y import baseline
from i18n_tool.a11y.findings import AuditFinding
from i18n_tool.a11y.targets import Target, app_targets, read_urls_file, url_targets
from i18n_tool.config import Suppression, load_config
from i18n_tool.errors import InputError


def config_from(tmp_path, text):
    path = tmp_path / "i18n-tool.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return load_config(path)


AUDIT = """
    locales = ["de", "ar"]
    pseudo-locales = ["en_XA"]
    [audit]
    app = "companion.sandbox:make_app"
    routes = ["/", { path = "/project/x/", route = "/project/{name}/" }, { path = "/account/", auth = "user" }]
    login = { path = "/login/", fields = { username = "ann", password = "pw" }, submit = "form button" }
    baseline = "a11y-baseline.json"
    [[audit.states]]
    name = "menu-open"
    path = "/"
    auth = "user"
    actions = [{ click = "summary" }, { fill = "#q", value = "x" }, { submit = "form" }]
    [[audit.suppress]]
    rule = "color-contrast"
    selector = ".brand*"
    reason = "the logo's colours are being redesigned"
    expires = 2027-01-31
"""


def test_audit_settings_are_read_and_checked(tmp_path):
    config = config_from(tmp_path, AUDIT)
    audit = config.audit
    assert audit.app == "companion.sandbox:make_app"
    assert [(p.path, p.route, p.auth, p.state) for p in audit.pages] == [
        ("/", "/", "both", None), ("/project/x/", "/project/{name}/", "both", None), ("/account/", "/account/", "user", None),
        ("/", "/", "user", "menu-open")]
    assert audit.pages[-1].actions == (("click", "summary", None), ("fill", "#q", "x"), ("submit", "form", None))
    assert audit.login.fields == {"username": "ann", "password": "pw"}
    assert audit.baseline == tmp_path / "a11y-baseline.json"
    assert audit.suppress == (Suppression("color-contrast", ".brand*", "the logo's colours are being redesigned",
                                          date(2027, 1, 31)),)
    assert config.audit_locales == ("en", "de", "ar", "en_XA")


@pytest.mark.parametrize(("snippet", "message"), [
    ('[audit]\nroutes = ["home"]', "must be a path on the app starting with '/'"),
    ('[audit]\nroutes = [{ path = "/", auth = "admin" }]', "'auth' must be one of anonymous, user, both"),
    ('[audit]\nrutes = ["/"]', "unknown key 'rutes'"),
    ('[[audit.states]]\nname = "x"\npath = "/"\nactions = [{ click = "a", submit = "b" }]', "an action is one of"),
    ('[[audit.states]]\nname = "x"\npath = "/"\nactions = [{ click = "a", value = "b" }]', "'value' goes with 'fill'"),
    ('[[audit.states]]\nname = "x"\npath = "/"', "has no 'actions'"),
    ('[[audit.suppress]]\nrule = "r"\nselector = "s"\nreason = "r"\nexpires = "2027-01-01"', "must be a TOML date"),
    ('[[audit.suppress]]\nrule = "r"\nselector = "s"\nexpires = 2027-01-01', "has no 'reason'"),
    ('[audit]\nlogin = { path = "/login/", fields = { user = 1 }, submit = "b" }', "a table of strings"),
])
def test_bad_audit_settings_are_one_line_errors_with_the_line(tmp_path, snippet, message):
    with pytest.raises(InputError) as caught:
        config_from(tmp_path, snippet)
    assert message in str(caught.value) and "i18n-tool.toml:" in str(caught.value)
    assert "\n" not in str(caught.value)


def test_app_targets_are_routes_by_locales_by_login(tmp_path):
    config = config_from(tmp_path, AUDIT)
    targets = app_targets(config.audit, ("de", "ar"), "http://127.0.0.1:9/")
    assert len(targets) == 2 * (2 + 2 + 1 + 1)
    first = targets[:6]
    assert [(t.url, t.locale, t.logged_in, t.label) for t in first] == [
        ("http://127.0.0.1:9/", "de", False, "default"), ("http://127.0.0.1:9/", "de", True, "logged-in"),
        ("http://127.0.0.1:9/project/x/", "de", False, "default"), ("http://127.0.0.1:9/project/x/", "de", True, "logged-in"),
        ("http://127.0.0.1:9/account/", "de", True, "logged-in"), ("http://127.0.0.1:9/", "de", True, "logged-in, menu-open")]


def test_logged_in_routes_need_a_login(tmp_path):
    config = config_from(tmp_path, '[audit]\nroutes = [{ path = "/account/", auth = "user" }]')
    with pytest.raises(InputError, match="has no 'login'"):
        app_targets(config.audit, ("en",), "http://127.0.0.1:9/")


def test_url_targets_and_urls_file(tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text("# pages\nhttp://127.0.0.1:9/a?x=1\n\n  https://example.test/b/  \n", encoding="utf-8")
    urls = read_urls_file(listing)
    assert urls == ["http://127.0.0.1:9/a?x=1", "https://example.test/b/"]
    assert [(t.route, t.locale) for t in url_targets(urls, ("de",))] == [("/a", "de"), ("/b/", "de")]
    assert url_targets(urls)[0] == Target("http://127.0.0.1:9/a?x=1", "/a")
    with pytest.raises(InputError, match="not an http"):
        url_targets(["javascript:alert(1)"])


# --- baselines and suppressions -------------------------------------------------------------------------


def finding(rule="image-alt", target="main > p:nth-child(2) > img", route="/project/{name}/", **extra):
    values = dict(url="http://127.0.0.1:9/project/x/", locale="de", state="default", engine="axe", rule=rule,
                  wcag=("1.1.1",), impact="critical", target=target, html="<img>", message="no alt", route=route)
    return AuditFinding(**{**values, **extra})


@pytest.mark.parametrize(("raw", "normalized"), [
    ("ul > li:nth-child(3) > a#item-12", "ul > li > a#item-N"),
    ("div:first-child>img.x2", "div > img.xN"),
    ("iframe#f >> body > img:nth-of-type(1)", "iframe#f >> body > img"),
    ("#host >>> input", "#host >>> input"),
    ("main   p", "main p"),
])
def test_targets_are_normalized(raw, normalized):
    assert baseline.normalize_target(raw) == normalized


def test_fingerprints_survive_positions_locales_and_states_but_not_rules_or_routes():
    base = baseline.fingerprint(finding())
    assert baseline.fingerprint(finding(target="main > p:nth-child(7) > img", locale="ar", state="logged-in",
                                        url="http://127.0.0.1:9/project/y/")) == base
    assert baseline.fingerprint(finding(rule="role-img-alt")) != base
    assert baseline.fingerprint(finding(route="/user/{username}/")) != base
    assert baseline.fingerprint(finding(target="main > div > img")) != base


def test_baseline_round_trip_new_known_fixed(tmp_path):
    path = tmp_path / "baseline.json"
    old = [finding(), finding(rule="link-name", target="a.empty")]
    assert baseline.write_baseline(path, old + [finding(locale="ar")]) == 2
    data = json.loads(path.read_text())
    assert data["version"] == 1 and [e["rule"] for e in data["entries"]] == sorted(
        ["image-alt", "link-name"], key=lambda rule: baseline.fingerprint(next(f for f in old if f.rule == rule)))
    known = baseline.read_baseline(path)
    now = [finding(target="main > p:nth-child(9) > img"), finding(rule="label", target="input")]
    parts = baseline.split(now, known)
    assert [f.rule for f in parts.new] == ["label"] and [f.rule for f in parts.known] == ["image-alt"]
    assert [e["rule"] for e in parts.fixed] == ["link-name"]


@pytest.mark.parametrize("text", ["not json", '{"version": 2, "entries": []}', '{"version": 1, "entries": [1]}'])
def test_a_broken_baseline_is_an_input_error(tmp_path, text):
    path = tmp_path / "baseline.json"
    path.write_text(text)
    with pytest.raises(InputError):
        baseline.read_baseline(path)
    with pytest.raises(InputError, match="does not exist"):
        baseline.read_baseline(tmp_path / "missing.json")


def test_suppressions_match_rule_and_selector_until_they_expire():
    active = Suppression("image-alt", "main > * > img", "tracked in #12", date(2027, 1, 31))
    expired = Suppression("link-name", "a.empty", "was tracked in #9", date(2026, 11, 30))
    findings = [finding(), finding(rule="link-name", target="a.empty"), finding(rule="label", target="main > p > img")]
    parts = baseline.split(findings, None, (active, expired), today=date(2026, 12, 1))
    assert [f.rule for f in parts.suppressed] == ["image-alt"]
    assert [f.rule for f in parts.new] == ["link-name", "label"]  # expired: suppresses nothing
    assert parts.expired == [{"rule": "link-name", "selector": "a.empty", "reason": "was tracked in #9",
                              "expires": "2026-11-30"}]
    assert baseline.split(findings, None, (active,), today=date(2027, 2, 1)).suppressed == []
