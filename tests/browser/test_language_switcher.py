"""The companion's language switcher in Chromium: switching from a page reached with
``?_LOCALE_=de`` lands on the chosen language, the rest of the query kept."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait

from i18n_tool.a11y.targets import serve_app


@pytest.fixture(scope="module")
def companion_url():
    with serve_app("companion.sandbox:make_app") as url:
        yield url


def switch_to(browser, locale):
    driver = browser.driver
    Select(driver.find_element(By.ID, "language")).select_by_value(locale)
    old = driver.find_element(By.TAG_NAME, "html")
    driver.find_element(By.CSS_SELECTOR, "form.language-switcher button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.TAG_NAME, "html") != old
                                    and d.execute_script("return document.readyState") == "complete")


def page_lang(browser):
    return browser.driver.find_element(By.TAG_NAME, "html").get_attribute("lang")


@pytest.mark.parametrize("start, landed", [
    ("?_LOCALE_=de", ""),
    ("?q=http&_LOCALE_=de", "?q=http"),
])
def test_switching_from_a_page_reached_with_the_locale_query(browser, companion_url, start, landed):
    browser.open(companion_url + start)
    assert page_lang(browser) == "de"
    switch_to(browser, "fr")
    assert page_lang(browser) == "fr"
    assert browser.driver.current_url == companion_url + landed
    browser.driver.get(companion_url)
    assert page_lang(browser) == "fr"  # the cookie holds it
