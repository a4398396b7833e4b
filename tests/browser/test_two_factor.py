"""Two-factor authentication in Chromium, with oathtool as the authenticator app: enrolment from the
page's otpauth:// URI, the second step of the login, and the README's screenshots (German, and
Arabic right to left), written to docs/ only with UPDATE_SCREENSHOTS=1."""

import html
import os
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from selenium.webdriver.common.by import By

from i18n_tool.a11y.targets import serve_app
from companion.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET
from tests.conftest import require

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture(scope="module")
def companion_url():
    with serve_app("companion.sandbox:make_app") as url:
        yield url


def oathtool(secret: str) -> str:
    require("oathtool", shutil.which("oathtool") is not None, "apt-get install oathtool")
    return subprocess.run(["oathtool", "--totp", "-b", "-N", f"@{int(time.time())}", secret],
                          check=True, capture_output=True, text=True).stdout.strip()


def log_in(browser, base, username, locale):
    browser.reset()
    browser.open(base + "account/login/", cookies={"_LOCALE_": locale})
    browser.fill("#username", username)
    browser.fill("#password", DEMO_PASSWORD)
    browser.submit("main form")


def screenshot(browser, name: str, tmp_path: Path) -> None:
    browser.driver.set_window_size(1024, 1100)
    target = DOCS / name if os.environ.get("UPDATE_SCREENSHOTS") else tmp_path / name
    target.parent.mkdir(parents=True, exist_ok=True)
    assert browser.driver.save_screenshot(str(target))
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("locale, direction, username", [("de", "ltr", "bob"), ("ar", "rtl", "lena")])
def test_enrol_with_oathtool_then_the_second_step(browser, companion_url, tmp_path, locale, direction, username):
    driver = browser.driver
    log_in(browser, companion_url, username, locale)
    browser.open(companion_url + "account/two-factor/totp/")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("dir") == direction
    link = driver.find_element(By.CSS_SELECTOR, "a.otpauth").get_attribute("href")
    query = parse_qs(urlsplit(html.unescape(link)).query)
    assert query["issuer"] == ["Companion"] and query["digits"] == ["6"]
    code_field = driver.find_element(By.ID, "code")
    assert code_field.get_attribute("autocomplete") == "one-time-code"
    assert code_field.get_attribute("inputmode") == "numeric"
    assert driver.find_element(By.CSS_SELECTOR, "img.qr").get_attribute("naturalWidth") != "0"  # the SVG renders
    screenshot(browser, f"two-factor-enrol-{locale}.png", tmp_path)
    browser.fill("#code", oathtool(query["secret"][0]))
    browser.submit("main form")
    codes = driver.find_elements(By.CSS_SELECTOR, "ol.recovery-codes code")
    assert len(codes) == 8 and all(code.text.startswith("cprc_") for code in codes)

    log_in(browser, companion_url, "sam", locale)
    assert "/account/login/two-factor/" in driver.current_url
    assert driver.find_element(By.ID, "code").get_attribute("autocomplete") == "one-time-code"
    screenshot(browser, f"two-factor-second-step-{locale}.png", tmp_path)
    if locale == "de":  # one login: a second one in the same 30 s would be a refused reuse
        browser.fill("#code", oathtool(DEMO_TOTP_SECRET))
        browser.submit("form.totp")
        assert "/account/login/" not in driver.current_url
        browser.open(companion_url + "account/")
        assert driver.find_elements(By.CSS_SELECTOR, "details.account-menu")
