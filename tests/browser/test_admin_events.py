"""The admin view of security events in Chromium: hostile values stay text, and its screenshot."""

import os
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By

from i18n_tool.a11y.targets import serve_app
from companion.events import Origin, Subject, record_event
from companion.events.models import SubjectKind
from companion.seed import DEMO_PASSWORD

HOSTILE = 'evil\r\n<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "admin-events.png"


def make_app(workdir):
    """The sandbox companion, with an event whose user agent is a script."""
    import sqlalchemy as sa
    from sqlalchemy.orm import Session

    from companion.sandbox import make_app as sandbox_app

    app = sandbox_app(workdir)
    engine = sa.create_engine(f"sqlite:///{Path(workdir) / 'companion.sqlite3'}")
    with Session(engine) as session, session.begin():
        lena = session.scalar(sa.text("SELECT id FROM users WHERE username = 'lena'"))
        record_event(session, "account:login:failure", Subject(SubjectKind.USER, lena),
                     Origin("anonymous", "198.51.100.23", HOSTILE), {"reason": "bad_password", "username": "lena"})
        firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
        record_event(session, "account:login:success", Subject(SubjectKind.USER, lena),
                     Origin(f"user:{lena}", "198.51.100.23", firefox))
    engine.dispose()
    return app


@pytest.fixture(scope="module")
def companion_url():
    with serve_app("tests.browser.test_admin_events:make_app") as url:
        yield url


def log_in(browser, base, username):
    browser.open(base + "account/login/")
    browser.fill("#username", username)
    browser.fill("#password", DEMO_PASSWORD)
    browser.submit("main form")


def test_hostile_values_are_shown_as_text_and_run_nothing(browser, companion_url, tmp_path):
    log_in(browser, companion_url, "admin")
    browser.open(companion_url + "admin/events/")
    driver = browser.driver
    assert driver.find_element(By.TAG_NAME, "h1").text == "Security events"
    assert driver.execute_script("return window.pwned") is None
    assert not driver.find_elements(By.CSS_SELECTOR, "main img, main script")
    titles = [cell.get_attribute("title") for cell in driver.find_elements(By.CSS_SELECTOR, "td span[title]")]
    assert any("<script>window.pwned = 1</script>" in title for title in titles)
    cells = [cell.text for cell in driver.find_elements(By.CSS_SELECTOR, "tbody td")]
    assert "Firefox 128 on Windows" in cells and "Failed login: wrong password" in cells

    driver.set_window_size(1280, 900)
    target = SCREENSHOT if os.environ.get("UPDATE_SCREENSHOTS") else tmp_path / "admin-events.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    assert driver.save_screenshot(str(target))
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_admin_view_is_not_found_for_a_user(browser, companion_url):
    log_in(browser, companion_url, "bob")
    browser.open(companion_url + "admin/events/")
    assert "Security events" not in browser.driver.find_element(By.TAG_NAME, "h1").text
