"""API tokens in Chromium, end to end: created on the page, taken with its copy button, used by the
real twine to upload and by pip to install into a fresh venv; the project's history names the
token; revoked on the page, after which twine is refused. The list's screenshot goes to docs/ only
with UPDATE_SCREENSHOTS=1."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from i18n_tool.a11y.targets import serve_app
from companion.seed import DEMO_PASSWORD
from tests.conftest import require
from tests.functional.companion.dists import Dist

BIN = Path(sys.executable).parent
DOCS = Path(__file__).resolve().parents[2] / "docs"
DIST = Dist("Browser-Token.Check", "1.0", module_text="ANSWER = 7\n")
TIMEOUT = 120


@pytest.fixture(scope="module")
def companion_url():
    with serve_app("companion.sandbox:make_app") as url:
        yield url


@pytest.fixture
def clients(tmp_path):
    """(the environment twine and pip run in: no configuration of the machine's, no keyring)."""
    require("twine", (BIN / "twine").exists(), "make install: twine>=7 is in the dev extra")
    environ = {key: value for key, value in os.environ.items()
               if not key.startswith(("PIP_", "TWINE_")) and "proxy" not in key.lower()}
    return {**environ, "HOME": str(tmp_path / "home"), "PIP_CONFIG_FILE": os.devnull,
            "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}


def run(command, environ) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], env=environ, capture_output=True, text=True,
                          timeout=TIMEOUT)


def log_in(browser, base, username, locale="en"):
    browser.reset()
    browser.open(base + "account/login/", cookies={"_LOCALE_": locale})
    browser.fill("#username", username)
    browser.fill("#password", DEMO_PASSWORD)
    browser.submit("main form")


def create_token(browser, base, description) -> None:
    browser.open(base + "account/tokens/new/")
    browser.fill("#description", description)
    browser.submit("main form")


def copied_token(browser, base) -> str:
    """Click the page's copy button and read the clipboard back."""
    driver = browser.driver
    for permission in ("clipboard-write", "clipboard-read"):
        browser.cdp("Browser.setPermission", {"permission": {"name": permission}, "setting": "granted",
                                              "origin": base.rstrip("/")})
    button = driver.find_element(By.CSS_SELECTOR, "button[data-copy=token]")
    assert button.is_displayed()  # hidden until the script shows it
    button.click()
    WebDriverWait(driver, 5).until(lambda d: button.text == "Copied")
    return driver.execute_async_script("navigator.clipboard.readText().then(arguments[0])")


def upload(base, token, files, environ):
    return run([BIN / "twine", "upload", "--non-interactive", "--disable-progress-bar", "--repository-url",
                f"{base}legacy/", "-u", "__token__", "-p", token, *files], environ)


def test_a_token_from_the_page_uploads_with_twine_and_pip_installs_it(browser, companion_url, clients, tmp_path):
    driver = browser.driver
    log_in(browser, companion_url, "alice")
    create_token(browser, companion_url, "browser upload")
    assert driver.find_element(By.TAG_NAME, "h1").text == "Your new API token"
    shown = driver.find_element(By.ID, "token").text
    assert shown.startswith("pypi-") and copied_token(browser, companion_url) == shown
    snippets = [code.text for code in driver.find_elements(By.CSS_SELECTOR, "pre code")]
    assert f"twine upload --repository-url {companion_url}legacy/ -u __token__ -p {shown} dist/*" in snippets

    files = DIST.write(tmp_path / "dist")
    result = upload(companion_url, shown, files, clients)
    assert result.returncode == 0, result.stdout + result.stderr
    venv = tmp_path / "venv"
    assert run([sys.executable, "-m", "venv", "--without-pip", venv], clients).returncode == 0
    result = run([sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "--no-deps",
                  "--no-cache-dir", "--index-url", f"{companion_url}simple/", "browser-token-check"], clients)
    assert result.returncode == 0, result.stdout + result.stderr
    assert run([venv / "bin" / "python", "-c", "import browser_token_check as m; print(m.ANSWER)"],
               clients).stdout.strip() == "7"

    browser.open(companion_url + "project/browser-token-check/history/")
    history = driver.find_element(By.TAG_NAME, "main").text
    assert "API token “browser upload”" in history and shown not in driver.page_source

    browser.open(companion_url + "account/tokens/")
    assert shown not in driver.page_source  # shown once, on the page that created it
    row = driver.find_element(By.XPATH, "//tbody/tr[th='browser upload']")
    assert row.find_elements(By.TAG_NAME, "td")[2].text != "Never"  # last used: the upload
    row.find_element(By.PARTIAL_LINK_TEXT, "Revoke").click()
    browser.settle()
    browser.submit("main form")
    assert "was revoked" in driver.find_element(By.TAG_NAME, "main").text
    assert not driver.find_elements(By.XPATH, "//tbody/tr[th='browser upload']")

    again = upload(companion_url, shown, Dist(DIST.name, "1.1").write(tmp_path / "newer"), clients)
    assert again.returncode == 1 and "this token was revoked" in again.stdout + again.stderr


def test_the_token_stays_left_to_right_on_an_arabic_page(browser, companion_url, tmp_path):
    driver = browser.driver
    log_in(browser, companion_url, "fatima", "ar")
    create_token(browser, companion_url, "رمز الرفع")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("dir") == "rtl"
    token = driver.find_element(By.ID, "token")
    assert driver.execute_script("return getComputedStyle(arguments[0]).direction", token) == "ltr"
    for code in driver.find_elements(By.CSS_SELECTOR, "pre"):
        assert driver.execute_script("return getComputedStyle(arguments[0]).direction", code) == "ltr"

    browser.open(companion_url + "account/tokens/")
    assert driver.find_element(By.XPATH, "//tbody/tr/th").text == "رمز الرفع"
    driver.set_window_size(1024, 700)
    target = DOCS / "api-tokens-ar.png" if os.environ.get("UPDATE_SCREENSHOTS") else tmp_path / "api-tokens-ar.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    assert driver.save_screenshot(str(target))
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
