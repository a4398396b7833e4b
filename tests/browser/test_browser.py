"""The browser session: finding Chromium, cookies and storage, settling, forms, HTML, remote drivers."""

import os
import socket
import stat
import subprocess
import time
import urllib.request

import pytest

from i18n_tool.a11y.axe import run_axe
from i18n_tool.a11y.browser import BrowserError, BrowserNotFound, PageLoadTimeout, Session, find_browser
from tests.browser.conftest import FIXTURES


def fake_executable(folder, name):
    path = folder / name
    path.write_text("#!/bin/sh\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.fixture
def bare_path(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("CHROME_BIN", raising=False)
    monkeypatch.delenv("CHROMEDRIVER", raising=False)
    return tmp_path


def test_no_chromium_says_what_to_install(bare_path):
    with pytest.raises(BrowserNotFound) as caught:
        find_browser()
    message = str(caught.value)
    assert "\n" not in message and "chromium" in message
    assert "apt-get install chromium chromium-driver" in message


def test_no_chromedriver_says_what_to_install(bare_path):
    fake_executable(bare_path, "chromium")
    with pytest.raises(BrowserNotFound) as caught:
        find_browser()
    message = str(caught.value)
    assert "\n" not in message and "chromedriver" in message
    assert "apt-get install chromium chromium-driver" in message


def test_environment_names_the_binaries(bare_path, monkeypatch):
    chrome = fake_executable(bare_path, "my-chrome")
    driver = fake_executable(bare_path, "my-driver")
    monkeypatch.setenv("CHROME_BIN", str(chrome))
    monkeypatch.setenv("CHROMEDRIVER", str(driver))
    assert find_browser() == (str(chrome), str(driver))


def test_open_sends_cookies_with_the_first_request(browser, fixture_server):
    browser.open(fixture_server + "echo-cookies", cookies={"session": "abc123"})
    assert browser.driver.find_element("id", "cookies").text == "session=abc123"
    assert "session=abc123" in browser.source_html()  # the logged-in page's own HTML


def test_reset_clears_cookies_and_storage(browser, fixture_server):
    browser.open(fixture_server + "cross-origin.html", cookies={"session": "abc123"})
    store = "localStorage.setItem('k', 'v'); sessionStorage.setItem('k', 'v');"
    browser.driver.execute_script(store)
    browser.driver.switch_to.frame("other")  # a cross-site frame: its storage is partitioned
    browser.driver.execute_script(store)
    browser.driver.switch_to.default_content()

    browser.reset()
    browser.open(fixture_server + "cross-origin.html")
    count = "return [document.cookie, localStorage.length, sessionStorage.length]"
    assert browser.driver.execute_script(count) == ["", 0, 0]
    browser.driver.switch_to.frame("other")
    assert browser.driver.execute_script(count) == ["", 0, 0]
    browser.driver.switch_to.default_content()
    assert browser.driver.get_cookies() == []
    browser.open(fixture_server + "echo-cookies")
    assert browser.driver.find_element("id", "cookies").text == ""


def test_settle_waits_for_animations(browser, fixture_server):
    opacity = "return getComputedStyle(document.getElementById(arguments[0])).opacity"
    assert browser.open(fixture_server + "animation.html") is True  # the infinite spinner is not waited for
    assert browser.driver.execute_script(opacity, "banner") == "1"
    assert browser.click("#more") is True
    assert browser.driver.execute_script(opacity, "more-text") == "1"


def test_fill_and_submit_with_the_submit_button(browser, fixture_server):
    browser.open(fixture_server + "form.html")
    browser.fill("#name", "Ada")
    browser.fill("#lang", "de")
    browser.submit("#full")
    assert browser.driver.find_element("id", "got").text == "?name=Ada&lang=de&via=button"


def test_submit_a_form_without_a_button(browser, fixture_server):
    browser.open(fixture_server + "form.html")
    browser.fill("#query", "po files")
    browser.submit("#query")
    assert browser.driver.find_element("id", "got").text == "?query=po+files"


def test_click_on_a_submit_button_waits_for_the_answer(browser, fixture_server):
    browser.open(fixture_server + "form.html")
    browser.fill("#name", "Grace")
    browser.click("#full button")
    assert browser.driver.find_element("id", "got").text == "?name=Grace&lang=en&via=button"


def test_submit_handled_by_a_script_does_not_wait_for_a_page(browser, fixture_server):
    browser.page_load_timeout = 2  # waiting for a page that never comes would raise PageLoadTimeout
    browser.open(fixture_server + "form.html")
    browser.submit("#scripted")
    assert browser.driver.find_element("id", "saved").text == "Saved by a script"


def test_missing_element_is_a_one_line_error(browser, fixture_server):
    browser.open(fixture_server + "clean.html")
    with pytest.raises(BrowserError, match=r"no element matches '#nothing'$"):
        browser.click("#nothing")


def test_page_html_is_the_rendered_dom_and_source_html_what_was_sent(browser, fixture_server):
    browser.open(fixture_server + "dynamic.html")
    rendered, sent = browser.page_html(), browser.source_html()
    assert rendered.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert '<p id="added">Added by a script</p>' in rendered
    assert sent == (FIXTURES / "dynamic.html").read_text(encoding="utf-8")


def test_source_html_of_an_error_page_and_none_when_it_cannot_be_fetched(browser, fixture_server):
    browser.open(fixture_server + "missing.html")  # a 404 is HTML the server sent too
    assert "404" in browser.source_html()
    browser.open((FIXTURES / "clean.html").as_uri())
    assert browser.source_html() is None
    assert "A clean page" in browser.page_html()


def test_element_screenshot_of_nothing_is_none(browser, fixture_server):
    browser.open(fixture_server + "nested-frames.html")
    assert browser.element_screenshot(["iframe", "#nothing"]) is None
    assert browser.element_screenshot(["#no-such-frame", "img"]) is None
    assert browser.driver.execute_script("return window === window.top")


def test_page_that_never_loads_times_out_clearly(browser, fixture_server, silent_port):
    browser.page_load_timeout = 1
    url = f"http://127.0.0.1:{silent_port}/"
    with pytest.raises(PageLoadTimeout, match=r"did not finish loading within 1 s$") as caught:
        browser.open(url)
    assert str(caught.value).startswith(url)
    browser.page_load_timeout = 30
    browser.open(fixture_server + "clean.html")
    assert browser.driver.title == "A clean page"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def chromedriver_url(browser_paths):
    port = free_port()
    process = subprocess.Popen([browser_paths[1], f"--port={port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                urllib.request.urlopen(url + "/status", timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    pytest.fail(f"chromedriver --port={port} did not start")
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_remote_session_against_a_standalone_chromedriver(chromedriver_url, axe_source, fixture_server):
    url = fixture_server + "iframe-image.html"
    with Session(remote_url=chromedriver_url) as remote:
        remote.open(fixture_server + "echo-cookies", cookies={"session": "remote"})
        assert remote.driver.find_element("id", "cookies").text == "session=remote"
        remote.reset()
        remote.open(url)
        result = run_axe(remote, axe_source, url=url, locale=None, state="anonymous")
        assert [finding.rule for finding in result.violations] == ["image-alt"]
        assert remote.element_screenshot(result.violations[0].path)


def test_local_profile_is_removed_on_close(browser_paths):
    with Session() as local:
        profile = local.profile_dir
        assert os.path.isdir(profile)
    assert not os.path.exists(profile)
