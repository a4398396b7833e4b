"""Security keys in Chromium: its virtual authenticator against the companion's own pages.

The companion runs on a fresh seeded SQLite database, opened as http://localhost:PORT (a secure
context, and the RP ID ``localhost``). A test that needs other WebAuthn settings swaps the app
for one configured with them, on the same database.
"""

import json
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.virtual_authenticator import (
    Credential,
    Protocol,
    Transport,
    VirtualAuthenticatorOptions,
)
from selenium.webdriver.support.wait import WebDriverWait

import companion
from i18n_tool.a11y.targets import serve_wsgi
from companion import sandbox
from companion.mfa import demo_key
from companion.seed import DEMO_PASSWORD

DOCS = Path(__file__).resolve().parents[2] / "docs"
ADD = "account/two-factor/security-keys/"
JS_ERRORS = {  # the messages companion/static/webauthn.js shows (English)
    "invalid-state": "This security key is already registered.",
    "not-allowed": "The security key did not answer, or you cancelled. Try again.",
    "security": "Your browser refused: this page is not at the address security keys are set up for.",
    "unsupported": "This browser cannot use security keys. Use another browser or another method.",
}


class Site:
    """The companion being served; ``configure(**settings)`` swaps in an app with other settings."""

    def __init__(self, workdir: Path):
        self.catalogs = sandbox.build_catalogs(workdir)
        self.url = sandbox.build_database(workdir)
        self.mail = workdir / "mail"
        self.engine = sa.create_engine(self.url)
        self.base = ""
        self.app = None
        self.current = None

    def __call__(self, environ, start_response):
        return self.app(environ, start_response)

    def configure(self, **settings):
        settings = {"webauthn.origin": self.base.rstrip("/"), **settings}
        if settings != self.current:
            values = sandbox.settings(self.url, self.catalogs, self.mail, secret="webauthn-browser-test")
            self.app = companion.configure({**values, **settings}).make_wsgi_app()
            self.current = settings

    def query(self, sql: str, **params):
        with self.engine.begin() as connection:
            result = connection.execute(sa.text(sql), params)
            return result.fetchall() if result.returns_rows else None

    def events(self, username: str, since: int) -> list[tuple[str, dict]]:
        rows = self.query("SELECT e.tag, e.additional FROM events e JOIN users u ON u.id = e.subject_id "
                          "WHERE e.subject_kind = 'user' AND u.username = :username AND e.id > :since "
                          "AND e.tag LIKE 'account:two_factor:%' ORDER BY e.id", username=username, since=since)
        return [(tag, additional if isinstance(additional, dict) else json.loads(additional))
                for tag, additional in rows]

    def labels(self, username: str) -> list[str]:
        return [row[0] for row in self.query(
            "SELECT k.label FROM webauthn_credentials k JOIN users u ON u.id = k.user_id "
            "WHERE u.username = :username ORDER BY k.id", username=username)]


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("webauthn-site"))
    with serve_wsgi(site) as url:
        site.base = f"http://localhost:{urlsplit(url).port}/"
        site.configure()
        yield site
    site.engine.dispose()


@pytest.fixture
def site(served):
    """The site with its default settings, no key but the demo user's, and the events so far."""
    served.configure()
    served.query("DELETE FROM webauthn_credentials WHERE credential_id != :demo", demo=demo_key.CREDENTIAL_ID)
    served.query("UPDATE webauthn_credentials SET sign_count = 0")
    served.since = served.query("SELECT COALESCE(MAX(id), 0) FROM events")[0][0]
    return served


@pytest.fixture
def driver(browser):
    browser.reset()
    yield browser.driver
    if browser.driver.virtual_authenticator_id:
        browser.driver.remove_virtual_authenticator()


def authenticator(driver, **options):
    """A fresh virtual security key (CTAP2 over USB, user present, no user verification by default)."""
    if driver.virtual_authenticator_id:
        driver.remove_virtual_authenticator()
    driver.add_virtual_authenticator(VirtualAuthenticatorOptions(**{
        "protocol": Protocol.CTAP2, "transport": Transport.USB, "has_resident_key": False,
        "has_user_verification": False, "is_user_consenting": True, **options}))


def log_in_with_password(driver, site, username, keep_cookies=False):
    if not keep_cookies:
        driver.delete_all_cookies()
    driver.get(site.base + "account/login/")
    driver.find_element(By.ID, "username").send_keys(username)
    driver.find_element(By.ID, "password").send_keys(DEMO_PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "/account/login/" not in d.current_url or
                                    "/account/login/two-factor/" in d.current_url)


def press(driver, css_selector: str) -> tuple[str, str]:
    """Click a ceremony's button: ``("done", url)`` once the site answered with a page without
    errors, ``("refused", text)`` for the server's error, or ``("browser", text)`` for the error
    companion/static/webauthn.js showed on the page itself."""
    driver.execute_script("document.documentElement.dataset.pressed = 'yes'")
    driver.find_element(By.CSS_SELECTOR, css_selector).click()

    def seen(d):
        if d.execute_script("return document.documentElement.dataset.pressed === 'yes'"):
            shown = [e.text for e in d.find_elements(By.CSS_SELECTOR, "form[data-webauthn] p[role=alert]")
                     if e.is_displayed() and e.text]
            return ("browser", shown[0]) if shown else False
        if d.execute_script("return document.readyState") != "complete":
            return False
        errors = d.find_elements(By.CSS_SELECTOR, "div.errors[role=alert] p, ul.errors li")
        return ("refused", errors[0].text) if errors else ("done", d.current_url)
    return WebDriverWait(driver, 20, ignored_exceptions=(StaleElementReferenceException,)).until(seen)


def add_key(driver, site, label: str) -> tuple[str, str]:
    driver.get(site.base + ADD)
    driver.find_element(By.ID, "label").send_keys(label)
    return press(driver, "form.webauthn button")


def key_step(driver) -> tuple[str, str]:
    """On the second step's page: log in with the key."""
    assert "/account/login/two-factor/" in driver.current_url
    return press(driver, "form.webauthn button")


def add_demo_key(driver) -> None:
    """The seeded demo user's key, from its published private key (companion/mfa/demo_key.py)."""
    driver.add_credential(Credential.create_non_resident_credential(
        demo_key.CREDENTIAL_ID, demo_key.RP_ID, demo_key.private_key_pkcs8(), 1))


def logged_in(driver, site) -> bool:
    driver.get(site.base + "account/")
    return "/account/login/" not in driver.current_url


def test_two_labelled_keys_register_and_each_logs_in(driver, site):
    log_in_with_password(driver, site, "alice")
    authenticator(driver)
    assert add_key(driver, site, "Blue key")[0] == "done"
    assert "Your security key “Blue key” is added. Save these recovery codes now." in driver.page_source
    first = driver.get_credentials()
    authenticator(driver)
    assert add_key(driver, site, "Green key")[0] == "done"
    assert site.labels("alice") == ["Blue key", "Green key"]

    log_in_with_password(driver, site, "alice")
    assert key_step(driver)[0] == "done" and logged_in(driver, site)
    authenticator(driver)
    driver.add_credential(first[0])
    log_in_with_password(driver, site, "alice")
    assert key_step(driver)[0] == "done" and logged_in(driver, site)
    logins = [extra["label"] for tag, extra in site.events("alice", site.since)
              if tag == "account:two_factor:login:success"]
    assert logins == ["Green key", "Blue key"]


def test_a_second_key_may_not_reuse_a_label(driver, site):
    log_in_with_password(driver, site, "alice")
    authenticator(driver)
    assert add_key(driver, site, "Work key")[0] == "done"
    authenticator(driver)
    assert add_key(driver, site, "work KEY") == (
        "refused", "You already have a security key with this name. Choose another name.")
    assert site.labels("alice") == ["Work key"]


def test_registering_the_same_key_twice_is_refused_by_the_browser(driver, site):
    log_in_with_password(driver, site, "alice")
    authenticator(driver)
    assert add_key(driver, site, "Only key")[0] == "done"
    assert add_key(driver, site, "Same key again") == ("browser", JS_ERRORS["invalid-state"])
    assert site.labels("alice") == ["Only key"]


def test_the_browsers_messages_are_in_the_pages_language(driver, site):
    log_in_with_password(driver, site, "lena")  # German
    authenticator(driver)
    assert add_key(driver, site, "Blauer Schlüssel")[0] == "done"
    assert add_key(driver, site, "Noch einmal") == ("browser", "Dieser Sicherheitsschlüssel ist bereits registriert.")


def test_a_cloned_key_with_a_lower_sign_count_is_refused_and_recorded(driver, site):
    log_in_with_password(driver, site, "alice")
    authenticator(driver)
    assert add_key(driver, site, "Cloned key")[0] == "done"
    for _ in range(2):
        log_in_with_password(driver, site, "alice")
        assert key_step(driver)[0] == "done"
    stored = site.query("SELECT sign_count FROM webauthn_credentials WHERE label = 'Cloned key'")[0][0]
    exported = driver.get_credentials()[0].to_dict()
    assert exported["signCount"] == stored > 0

    driver.remove_all_credentials()
    driver.add_credential(Credential.from_dict({**exported, "signCount": 0}))
    log_in_with_password(driver, site, "alice")
    state, text = key_step(driver)
    assert state == "refused" and "its counter went back, so it may have been copied" in text
    assert site.query("SELECT sign_count FROM webauthn_credentials WHERE label = 'Cloned key'")[0][0] == stored
    assert ("account:two_factor:cloned_key", {"method": "webauthn", "label": "Cloned key"}) in site.events(
        "alice", site.since)


def test_a_wrong_origin_is_refused(driver, site):
    log_in_with_password(driver, site, "alice")
    authenticator(driver)
    site.configure(**{"webauthn.origin": "https://companion.example"})
    state, text = add_key(driver, site, "Key")
    assert state == "refused" and text.startswith("The security key answered for another site address.")
    site.configure()
    assert add_key(driver, site, "Key")[0] == "done"
    site.configure(**{"webauthn.origin": "https://companion.example"})
    log_in_with_password(driver, site, "alice")
    assert key_step(driver)[0] == "refused"
    reasons = [extra["reason"] for tag, extra in site.events("alice", site.since) if "failure" in tag]
    assert reasons == ["wrong_origin", "wrong_origin"]


def test_a_page_whose_host_is_not_the_rp_id_cannot_use_the_key(driver, site):
    site.configure(**{"webauthn.rp_id": "companion.example"})
    log_in_with_password(driver, site, "alice")
    authenticator(driver)
    assert add_key(driver, site, "Key") == ("browser", JS_ERRORS["security"])
    assert site.labels("alice") == []


def test_required_user_verification_is_enforced(driver, site):
    site.configure(**{"webauthn.user_verification": "required"})
    log_in_with_password(driver, site, "alice")
    authenticator(driver, has_user_verification=True, is_user_verified=True)
    assert add_key(driver, site, "Verified key")[0] == "done"
    log_in_with_password(driver, site, "alice")
    assert key_step(driver)[0] == "done"

    driver.set_user_verified(False)
    log_in_with_password(driver, site, "alice")
    assert key_step(driver) == ("browser", JS_ERRORS["not-allowed"])
    set_options(driver, "options.userVerification = value", "discouraged")  # a page tampered with
    state, text = key_step(driver)
    assert state == "refused" and "verify that it is you, with a PIN or a fingerprint" in text


def set_options(driver, change: str, value) -> None:
    """Change the ceremony's options on the open page (``change``: JS on ``options`` and ``value``)."""
    driver.execute_script("""
        const form = document.querySelector("form[data-webauthn]");
        const [options, value] = [JSON.parse(form.dataset.options), arguments[0]];
        %s;
        form.dataset.options = JSON.stringify(options);""" % change, value)


def test_without_the_setting_a_key_without_user_verification_works(driver, site):
    log_in_with_password(driver, site, "alice")
    authenticator(driver, has_user_verification=False)
    assert add_key(driver, site, "Plain key")[0] == "done"
    log_in_with_password(driver, site, "alice")
    assert key_step(driver)[0] == "done"


def test_a_u2f_protocol_key_registers_and_logs_in(driver, site):
    log_in_with_password(driver, site, "alice")
    authenticator(driver, protocol=Protocol.U2F)
    assert add_key(driver, site, "Old U2F key")[0] == "done"
    for _ in range(2):
        log_in_with_password(driver, site, "alice")
        assert key_step(driver)[0] == "done"
    assert site.query("SELECT sign_count FROM webauthn_credentials WHERE label = 'Old U2F key'")[0][0] > 0


def test_a_u2f_key_answering_with_fido_u2f_attestation_is_accepted(driver, site):
    log_in_with_password(driver, site, "alice")
    authenticator(driver, protocol=Protocol.U2F)
    driver.get(site.base + ADD)
    set_options(driver, "options.attestation = value", "direct")
    driver.find_element(By.ID, "label").send_keys("U2F key")
    assert press(driver, "form.webauthn button")[0] == "done"
    log_in_with_password(driver, site, "alice")
    assert key_step(driver)[0] == "done"


def test_the_demo_users_key_logs_in_from_its_published_private_key(driver, site):
    authenticator(driver)
    add_demo_key(driver)
    log_in_with_password(driver, site, "sam")
    assert key_step(driver)[0] == "done"
    assert ("account:two_factor:login:success", {"method": "webauthn", "label": demo_key.LABEL}) in site.events(
        "sam", site.since)


def test_a_removed_key_no_longer_logs_in(driver, site):
    log_in_with_password(driver, site, "alice")
    authenticator(driver)
    assert add_key(driver, site, "Kept key")[0] == "done"
    kept = driver.get_credentials()
    authenticator(driver)
    assert add_key(driver, site, "Lost key")[0] == "done"
    lost = driver.get_credentials()
    driver.get(site.base + "account/two-factor/")
    driver.find_element(By.PARTIAL_LINK_TEXT, "Remove the key “Lost key”").click()
    driver.find_element(By.CSS_SELECTOR, "main form button").click()
    WebDriverWait(driver, 10).until(lambda d: "Your security key “Lost key” was removed." in d.page_source)
    assert site.labels("alice") == ["Kept key"]

    log_in_with_password(driver, site, "alice")
    assert key_step(driver) == ("browser", JS_ERRORS["not-allowed"])  # the page no longer offers it
    set_options(driver, 'options.allowCredentials = [{type: "public-key", id: value}]', lost[0].id.rstrip("="))
    assert key_step(driver) == ("refused", "This security key is not one of the keys of your account.")
    authenticator(driver)
    driver.add_credential(kept[0])
    log_in_with_password(driver, site, "alice")
    assert key_step(driver)[0] == "done"


def test_a_challenge_answers_once_and_leaves_no_trace_in_the_next_page(driver, site):
    log_in_with_password(driver, site, "alice")
    authenticator(driver)
    assert add_key(driver, site, "Key")[0] == "done"
    log_in_with_password(driver, site, "alice")
    form = driver.find_element(By.CSS_SELECTOR, "form.webauthn")
    challenge = json.loads(form.get_attribute("data-options"))["challenge"]
    driver.execute_script("""
        const submit = HTMLFormElement.prototype.submit;
        HTMLFormElement.prototype.submit = function () {
          sessionStorage.setItem("answer", JSON.stringify([...new FormData(this)]));
          submit.call(this);
        };""")
    second_step = driver.current_url
    assert key_step(driver)[0] == "done"
    assert challenge not in driver.page_source

    driver.get(second_step)  # the token is used: the page says so before any key is asked
    assert "expired or was already completed" in driver.page_source
    replayed = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const body = new URLSearchParams(JSON.parse(sessionStorage.getItem("answer")));
        fetch(location.href, {method: "POST", body}).then(r => done(r.status));""")
    assert replayed in (400, 403)  # the used token (400), or the form's CSRF token of the old session (403)
    assert [tag for tag, _extra in site.events("alice", site.since)].count("account:two_factor:login:success") == 1


def test_the_pages_run_under_the_apps_content_security_policy(driver, site):
    log_in_with_password(driver, site, "alice")
    authenticator(driver)
    driver.get(site.base + ADD)
    policy = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch(location.href).then(r => done(r.headers.get("Content-Security-Policy")));""")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert add_key(driver, site, "Key")[0] == "done"


def test_without_javascript_the_form_still_posts_and_is_told_it_has_no_answer(browser, driver, site):
    log_in_with_password(driver, site, "alice")
    authenticator(driver)
    browser.cdp("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        assert add_key(driver, site, "Key") == (
            "refused", "Your browser sent no answer from a security key. Security keys need JavaScript: "
                       "turn it on, then try again.")
        assert "Adding a security key needs JavaScript" in driver.page_source  # the <noscript> note
    finally:
        browser.cdp("Emulation.setScriptExecutionDisabled", {"value": False})
    assert site.labels("alice") == []


def test_an_empty_label_is_named_by_the_server_before_any_ceremony(driver, site):
    log_in_with_password(driver, site, "alice")
    authenticator(driver)
    driver.get(site.base + ADD)
    assert press(driver, "form.webauthn button") == ("refused", "This field is required.")
    assert driver.find_element(By.ID, "label").get_attribute("aria-invalid") == "true"


def test_after_the_browser_refused_the_same_page_can_try_another_key(driver, site):
    log_in_with_password(driver, site, "alice")
    authenticator(driver)
    assert add_key(driver, site, "First key")[0] == "done"
    assert add_key(driver, site, "Second key") == ("browser", JS_ERRORS["invalid-state"])
    authenticator(driver)
    assert press(driver, "form.webauthn button")[0] == "done"
    assert site.labels("alice") == ["First key", "Second key"]


def test_a_browser_without_webauthn_is_told_so(driver, site):
    log_in_with_password(driver, site, "alice")
    driver.get(site.base + ADD)
    driver.execute_script("delete window.PublicKeyCredential;")
    driver.find_element(By.ID, "label").send_keys("Key")
    assert press(driver, "form.webauthn button") == ("browser", JS_ERRORS["unsupported"])


@pytest.mark.parametrize("locale, direction, username", [("de", "ltr", "lena"), ("ar", "rtl", "fatima")])
def test_screenshots_of_adding_a_key_and_of_the_second_step(driver, site, tmp_path, locale, direction, username):
    """For the README, in German and in Arabic (right to left): written to docs/ with UPDATE_SCREENSHOTS=1."""
    driver.set_window_size(1024, 1100)
    log_in_with_password(driver, site, username)  # their preferred language
    driver.get(site.base + ADD)
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("dir") == direction
    save(driver, f"security-key-add-{locale}.png", tmp_path)
    driver.delete_all_cookies()
    driver.get(site.base + "account/login/")
    driver.add_cookie({"name": "_LOCALE_", "value": locale})
    log_in_with_password(driver, site, "sam", keep_cookies=True)
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == locale
    assert driver.find_element(By.CSS_SELECTOR, "form.webauthn button").is_displayed()
    save(driver, f"security-key-second-step-{locale}.png", tmp_path)


def save(driver, name: str, tmp_path: Path) -> None:
    target = DOCS / name if os.environ.get("UPDATE_SCREENSHOTS") else tmp_path / name
    assert driver.save_screenshot(str(target))
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
