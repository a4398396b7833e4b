"""Security keys in Chromium: its virtual authenticator against companion.mfa.webauthn.

The ceremony pages come from tests/browser/webauthn_app.py, opened as http://localhost:PORT.
"""

import json

import pytest
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.virtual_authenticator import (
    Credential,
    Protocol,
    Transport,
    VirtualAuthenticatorOptions,
)
from selenium.webdriver.support.wait import WebDriverWait

from tests.browser.webauthn_app import ERRORS, Lab, serve

DEFAULT_SETTINGS = {"webauthn.rp_id": "localhost", "webauthn.rp_name": "Companion lab"}


@pytest.fixture(scope="module")
def lab_server():
    lab = Lab(settings={})
    with serve(lab) as port:
        yield lab, f"http://localhost:{port}"


@pytest.fixture
def lab(lab_server):
    lab, base = lab_server
    lab.settings.clear()
    lab.settings.update(DEFAULT_SETTINGS, **{"webauthn.origin": base})
    lab.keys.clear()
    lab.events.clear()
    lab.base = base
    return lab


@pytest.fixture
def driver(browser):
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


def result(driver) -> tuple[str, str]:
    """``("outcome", code)`` after the server answered, or ``("error", message)`` shown by the page."""
    def seen(d):
        if outcomes := d.find_elements(By.ID, "outcome"):
            return "outcome", outcomes[0].get_attribute("data-code")
        alerts = d.find_elements(By.ID, "error")
        if alerts and alerts[0].is_displayed() and alerts[0].text:
            return "error", alerts[0].text
        return False
    # The answer's page replaces the ceremony's while we look: look again.
    return WebDriverWait(driver, 20, ignored_exceptions=(StaleElementReferenceException,)).until(seen)


def register(driver, lab, user, label):
    driver.get(f"{lab.base}/register/{user}/")
    driver.find_element(By.ID, "label").send_keys(label)
    driver.find_element(By.CSS_SELECTOR, "main form button").click()
    return result(driver)


def log_in(driver, lab, user):
    driver.get(f"{lab.base}/login/{user}/")
    driver.find_element(By.CSS_SELECTOR, "main form button").click()
    return result(driver)


def logged_in_with(driver) -> str:
    return driver.find_element(By.ID, "outcome").text


def events(lab, event):
    return [e for e in lab.events if e["event"] == event]


def test_two_labelled_keys_register_and_each_logs_in(driver, lab):
    authenticator(driver)
    assert register(driver, lab, "alice", "Blue key") == ("outcome", "registered")
    first = driver.get_credentials()
    authenticator(driver)
    assert register(driver, lab, "alice", "Green key") == ("outcome", "registered")
    assert [k.label for k in lab.keys["alice"]] == ["Blue key", "Green key"]

    assert log_in(driver, lab, "alice") == ("outcome", "logged-in")
    assert logged_in_with(driver) == "Green key"
    authenticator(driver)
    driver.add_credential(first[0])
    assert log_in(driver, lab, "alice") == ("outcome", "logged-in")
    assert logged_in_with(driver) == "Blue key"
    assert [e["label"] for e in events(lab, "webauthn:login")] == ["Green key", "Blue key"]


def test_a_second_key_may_not_reuse_a_label(driver, lab):
    authenticator(driver)
    assert register(driver, lab, "alice", "Work key") == ("outcome", "registered")
    authenticator(driver)
    assert register(driver, lab, "alice", "work KEY") == ("outcome", "label_taken")
    assert len(lab.keys["alice"]) == 1


def test_registering_the_same_key_twice_is_refused_by_the_browser(driver, lab):
    authenticator(driver)
    assert register(driver, lab, "alice", "Only key") == ("outcome", "registered")
    assert register(driver, lab, "alice", "Same key again") == ("error", ERRORS["error-invalid-state"])
    assert len(lab.keys["alice"]) == 1


def test_a_cloned_key_with_a_lower_sign_count_is_refused_and_recorded(driver, lab):
    authenticator(driver)
    assert register(driver, lab, "alice", "Cloned key") == ("outcome", "registered")
    assert log_in(driver, lab, "alice") == ("outcome", "logged-in")
    assert log_in(driver, lab, "alice") == ("outcome", "logged-in")
    stored = lab.keys["alice"][0].sign_count
    exported = driver.get_credentials()[0].to_dict()
    assert exported["signCount"] == stored > 0

    driver.remove_all_credentials()
    driver.add_credential(Credential.from_dict({**exported, "signCount": 0}))
    assert log_in(driver, lab, "alice") == ("outcome", "cloned_key")
    assert lab.keys["alice"][0].sign_count == stored
    assert events(lab, "webauthn:login:failure") == [
        {"event": "webauthn:login:failure", "user": "alice", "reason": "cloned_key", "label": "Cloned key"}]


def test_a_wrong_origin_is_refused(driver, lab):
    authenticator(driver)
    lab.settings["webauthn.origin"] = "https://companion.example"
    assert register(driver, lab, "alice", "Key") == ("outcome", "wrong_origin")
    lab.settings["webauthn.origin"] = lab.base
    assert register(driver, lab, "alice", "Key") == ("outcome", "registered")
    lab.settings["webauthn.origin"] = "https://companion.example"
    assert log_in(driver, lab, "alice") == ("outcome", "wrong_origin")
    assert [e["reason"] for e in lab.events if "failure" in e["event"]] == ["wrong_origin", "wrong_origin"]


def test_a_page_whose_host_is_not_the_rp_id_cannot_use_the_key(driver, lab):
    authenticator(driver)
    lab.settings["webauthn.rp_id"] = "companion.example"
    assert register(driver, lab, "alice", "Key") == ("error", ERRORS["error-security"])
    assert not lab.keys["alice"]


def test_required_user_verification_is_enforced(driver, lab):
    lab.settings["webauthn.user_verification"] = "required"
    authenticator(driver, has_user_verification=True, is_user_verified=True)
    assert register(driver, lab, "alice", "Verified key") == ("outcome", "registered")
    assert log_in(driver, lab, "alice") == ("outcome", "logged-in")

    driver.set_user_verified(False)
    assert log_in(driver, lab, "alice") == ("error", ERRORS["error-not-allowed"])
    assert log_in_asking(driver, lab, "alice", "discouraged") == ("outcome", "user_verification")


def submit_changed(driver, url, change: str, value, label=None):
    """Open ``url``, change its options as a tampered page would (``change``: JS on ``options``
    and ``value``), and submit the ceremony."""
    driver.get(url)
    driver.execute_script("""
        const form = document.querySelector("form[data-webauthn]");
        const [options, value] = [JSON.parse(form.dataset.options), arguments[0]];
        %s;
        form.dataset.options = JSON.stringify(options);""" % change, value)
    if label:
        driver.find_element(By.ID, "label").send_keys(label)
    driver.find_element(By.CSS_SELECTOR, "main form button").click()
    return result(driver)


def log_in_asking(driver, lab, user, user_verification):
    """Log in with the page asking for ``user_verification`` whatever the server's setting."""
    return submit_changed(driver, f"{lab.base}/login/{user}/", "options.userVerification = value",
                          user_verification)


def test_without_the_setting_a_key_without_user_verification_works(driver, lab):
    authenticator(driver, has_user_verification=False)
    assert register(driver, lab, "alice", "Plain key") == ("outcome", "registered")
    assert log_in(driver, lab, "alice") == ("outcome", "logged-in")


def test_a_u2f_protocol_key_registers_and_logs_in(driver, lab):
    authenticator(driver, protocol=Protocol.U2F)
    assert register(driver, lab, "alice", "Old U2F key") == ("outcome", "registered")
    assert log_in(driver, lab, "alice") == ("outcome", "logged-in")
    assert log_in(driver, lab, "alice") == ("outcome", "logged-in")
    assert logged_in_with(driver) == "Old U2F key"
    assert lab.keys["alice"][0].sign_count > 0


def test_a_u2f_key_answering_with_fido_u2f_attestation_is_accepted(driver, lab):
    authenticator(driver, protocol=Protocol.U2F)
    url = f"{lab.base}/register/alice/"
    assert submit_changed(driver, url, "options.attestation = value", "direct", "U2F key") == ("outcome", "registered")
    assert log_in(driver, lab, "alice") == ("outcome", "logged-in")


def test_a_removed_key_no_longer_logs_in(driver, lab):
    authenticator(driver)
    assert register(driver, lab, "alice", "Kept key") == ("outcome", "registered")
    kept = driver.get_credentials()
    authenticator(driver)
    assert register(driver, lab, "alice", "Lost key") == ("outcome", "registered")
    lost = driver.get_credentials()
    lab.keys["alice"] = [k for k in lab.keys["alice"] if k.label != "Lost key"]

    assert log_in(driver, lab, "alice") == ("error", ERRORS["error-not-allowed"])
    assert log_in_offering(driver, lab, "alice", lost[0]) == ("outcome", "unknown_key")
    authenticator(driver)
    driver.add_credential(kept[0])
    assert log_in(driver, lab, "alice") == ("outcome", "logged-in")


def log_in_offering(driver, lab, user, credential):
    """Log in with the page allowing ``credential`` although the server no longer lists it."""
    return submit_changed(driver, f"{lab.base}/login/{user}/",
                          'options.allowCredentials = [{type: "public-key", id: value}]',
                          credential.id.rstrip("="))


def test_a_challenge_answers_once_and_leaves_no_trace_in_the_next_page(driver, lab):
    authenticator(driver)
    assert register(driver, lab, "alice", "Key") == ("outcome", "registered")
    driver.get(f"{lab.base}/login/alice/")
    challenge = json.loads(driver.find_element(By.CSS_SELECTOR, "form").get_attribute("data-options"))["challenge"]
    driver.execute_script("""
        const submit = HTMLFormElement.prototype.submit;
        HTMLFormElement.prototype.submit = function () {
          sessionStorage.setItem("answer", this.elements.credential.value);
          submit.call(this);
        };""")
    driver.find_element(By.CSS_SELECTOR, "main form button").click()
    assert result(driver) == ("outcome", "logged-in")
    assert challenge not in driver.page_source

    replayed = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const body = new URLSearchParams({credential: sessionStorage.getItem("answer")});
        fetch(location.href, {method: "POST", body}).then(r => r.text()).then(done);""")
    assert 'data-code="no_challenge"' in replayed
    assert [e["event"] for e in lab.events] == ["webauthn:register", "webauthn:login", "webauthn:login:failure"]


def test_the_pages_run_under_the_apps_content_security_policy(driver, lab):
    authenticator(driver)
    driver.get(f"{lab.base}/register/alice/")
    policy = driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        fetch(location.href).then(r => done(r.headers.get("Content-Security-Policy")));""")
    assert "script-src 'self'" in policy
    assert register(driver, lab, "alice", "Key") == ("outcome", "registered")


def test_without_javascript_the_form_still_posts_and_is_told_it_has_no_answer(browser, driver, lab):
    authenticator(driver)
    browser.cdp("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        driver.get(f"{lab.base}/register/alice/")
        driver.find_element(By.ID, "label").send_keys("Key")
        driver.find_element(By.CSS_SELECTOR, "main form button").click()
        assert result(driver) == ("outcome", "no_answer")
    finally:
        browser.cdp("Emulation.setScriptExecutionDisabled", {"value": False})
    assert not lab.keys["alice"]


def test_after_the_browser_refused_the_same_page_can_try_another_key(driver, lab):
    authenticator(driver)
    assert register(driver, lab, "alice", "First key") == ("outcome", "registered")
    driver.get(f"{lab.base}/register/alice/")
    driver.find_element(By.ID, "label").send_keys("Second key")
    driver.find_element(By.CSS_SELECTOR, "main form button").click()
    assert result(driver) == ("error", ERRORS["error-invalid-state"])
    authenticator(driver)
    driver.find_element(By.CSS_SELECTOR, "main form button").click()
    assert result(driver) == ("outcome", "registered")
    assert [k.label for k in lab.keys["alice"]] == ["First key", "Second key"]


def test_a_browser_without_webauthn_is_told_so(driver, lab):
    driver.get(f"{lab.base}/register/alice/")
    driver.execute_script("delete window.PublicKeyCredential;")
    driver.find_element(By.ID, "label").send_keys("Key")
    driver.find_element(By.CSS_SELECTOR, "main form button").click()
    assert result(driver) == ("error", ERRORS["error-unsupported"])
