"""One browser session for an audit: headless Chromium through selenium, reused across pages.

Local sessions start ``chromedriver`` with an explicit path (selenium-manager never runs, nothing is
downloaded); remote ones drive any WebDriver URL (a standalone chromedriver, a Selenium Grid).
Chrome DevTools commands go through chromedriver's ``goog/cdp/execute``, so both kinds can use them.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import tempfile
import time
from urllib.parse import urlsplit

from selenium import webdriver
from selenium.common.exceptions import JavascriptException, TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.select import Select
from selenium.webdriver.support.wait import WebDriverWait

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
INSTALL_HINT = "install it with: apt-get install chromium chromium-driver"
CHROMIUM_ARGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
)
WINDOW_SIZE = (1280, 1024)


class BrowserError(Exception):
    """The browser could not do what was asked (one line, for the user)."""


class BrowserNotFound(BrowserError):
    """Chromium or chromedriver is not installed."""


class PageLoadTimeout(BrowserError):
    """A page did not finish loading in time."""


def find_browser() -> tuple[str, str]:
    """``(chromium, chromedriver)``: ``CHROME_BIN`` and ``CHROMEDRIVER`` when set, else found on PATH."""
    return find_chromium(), find_chromedriver()


def find_chromium() -> str:
    path = _find("CHROME_BIN", CHROMIUM_NAMES, "no browser found")
    return path if os.environ.get("CHROME_BIN") else _unwrapped(path)


def _unwrapped(path: str) -> str:
    """Debian's /usr/bin/chromium is a shell script that adds flags of its own: take the binary it runs."""
    name = os.path.basename(path)
    binary = os.path.join("/usr/lib", name, name)
    with open(path, "rb") as file:
        is_script = file.read(2) == b"#!"
    return binary if is_script and os.access(binary, os.X_OK) else path


def find_chromedriver() -> str:
    return _find("CHROMEDRIVER", ("chromedriver",), "no browser driver found")


def _find(variable: str, names, problem: str) -> str:
    if os.environ.get(variable):
        names, where = (os.environ[variable],), f"(from {variable})"
    else:
        where = "on PATH"
    for name in names:
        if path := shutil.which(name):
            return path
    raise BrowserNotFound(f"{problem}: looked for {' or '.join(names)} {where} ({INSTALL_HINT})")


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else None


def _chrome_options(binary: str | None, extra=()) -> webdriver.ChromeOptions:
    options = webdriver.ChromeOptions()
    for arg in (*CHROMIUM_ARGS, "--window-size=%d,%d" % WINDOW_SIZE, *extra):
        options.add_argument(arg)
    if binary:
        options.binary_location = binary
    return options


def _cdp_cookie(cookie: dict, url: str) -> dict:
    """A selenium-style cookie dict as ``Network.setCookie`` parameters for ``url``."""
    params = {"url": url, "path": "/", **{k: v for k, v in cookie.items() if k != "expiry"}}
    if "expiry" in cookie:
        params["expires"] = cookie["expiry"]
    return params


def _cookie_list(cookies) -> list[dict]:
    if isinstance(cookies, dict):
        return [{"name": name, "value": str(value)} for name, value in cookies.items()]
    return [dict(cookie) for cookie in cookies]


_SETTLE_JS = """
const [timeoutMs, done] = [arguments[0], arguments[arguments.length - 1]];
const loaded = document.readyState === "complete" ? Promise.resolve()
  : new Promise(resolve => addEventListener("load", resolve, {once: true}));
// Infinite and paused animations never finish: only running, finite ones are waited for.
const running = () => document.getAnimations().filter(a => a.playState === "running"
  && (!a.effect || a.effect.getComputedTiming().endTime !== Infinity));
async function animationsDone() {
  for (let round = 0; round < 10; round++) {
    const now = running();
    if (!now.length) return;
    await Promise.all(now.map(a => a.finished.catch(() => null)));
  }
}
const settled = loaded.then(() => document.fonts.ready).then(animationsDone).then(() => true);
Promise.race([settled, new Promise(r => setTimeout(() => r(false), timeoutMs))]).then(done);
"""

_SUBMIT_JS = """
const el = arguments[0], form = el.tagName === "FORM" ? el : el.form;
if (!form) throw new Error("the element is not a form nor inside one");
form.requestSubmit(el !== form && el.type === "submit" ? el : undefined);
"""

# Whether the click reached the page, and whether the form submission it caused (if any) will
# replace this document; added last, the submit listener runs after the page's own handlers.
_WATCH_JS = """
const watch = window.__i18nToolWatch = {clicked: false, submit: "none"};
addEventListener("click", () => { watch.clicked = true; }, {capture: true, once: true});
addEventListener("submit", event => {
  const target = (event.submitter && event.submitter.formTarget) || event.target.target || "_self";
  watch.submit = !event.defaultPrevented && target === "_self" ? "navigates" : "handled";
}, {once: true});
"""

_PAGE_HTML_JS = """
const d = document.doctype;
const doctype = !d ? "" : "<!DOCTYPE " + d.name + (d.publicId ? ' PUBLIC "' + d.publicId + '"' : "")
  + (!d.publicId && d.systemId ? " SYSTEM" : "") + (d.systemId ? ' "' + d.systemId + '"' : "") + ">\\n";
return doctype + document.documentElement.outerHTML;
"""

_SOURCE_HTML_JS = """
const done = arguments[arguments.length - 1];
if (!/^https?:$/.test(location.protocol)) { done(null); } else {
  fetch(location.href, {credentials: "include"})
    .then(r => (r.headers.get("content-type") || "").includes("html") ? r.text() : null)
    .catch(() => null).then(done);
}
"""


class Session:
    """One WebDriver (local headless Chromium, or ``remote_url``) reused for many pages."""

    def __init__(self, remote_url: str | None = None, *, chromium: str | None = None,
                 chromedriver: str | None = None, page_load_timeout: float = 30,
                 settle_timeout: float = 5, frame_timeout: float = 2, script_timeout: float = 120):
        os.environ.setdefault("SE_AVOID_STATS", "true")
        self.settle_timeout = settle_timeout
        #: How long entering a frame that has not loaded may take (axe's frame walk uses it).
        self.frame_timeout = frame_timeout
        self.profile_dir = None
        #: A blank window kept with axe-core loaded, where axe.finishRun combines each page's results.
        self.axe_window: str | None = None
        self._origins: set[str] = set()
        self._storage_keys: set[str] = set()
        self.driver = self._remote(remote_url, chromium) if remote_url else self._local(chromium, chromedriver)
        try:
            self.driver.set_script_timeout(script_timeout)
            self.page_load_timeout = page_load_timeout
        except Exception:
            self.close()
            raise

    def _local(self, chromium, chromedriver):
        chromium, chromedriver = chromium or find_chromium(), chromedriver or find_chromedriver()
        self.profile_dir = tempfile.mkdtemp(prefix="i18n-tool-chromium-")
        options = _chrome_options(chromium, [f"--user-data-dir={self.profile_dir}"])
        try:
            return webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
        except WebDriverException as error:
            shutil.rmtree(self.profile_dir, ignore_errors=True)
            raise BrowserError(f"could not start {chromium} with {chromedriver}: {first_line(error)}") from None

    def _remote(self, url, chromium):
        # A chromedriver on this machine launches the local chromium; a grid elsewhere has its own.
        if chromium is None and _is_loopback(url):
            try:
                chromium = find_chromium()
            except BrowserNotFound:
                pass  # the driver finds its own
        try:
            return webdriver.Remote(command_executor=url, options=_chrome_options(chromium))
        except WebDriverException as error:
            raise BrowserError(f"could not start a browser at {url}: {first_line(error)}") from None

    @property
    def page_load_timeout(self) -> float:
        return self._page_load_timeout

    @page_load_timeout.setter
    def page_load_timeout(self, seconds: float):
        self._page_load_timeout = seconds
        self.driver.set_page_load_timeout(seconds)

    def cdp(self, command: str, params: dict | None = None) -> dict:
        """Run a Chrome DevTools Protocol command on the current tab."""
        return self.driver.execute("executeCdpCommand", {"cmd": command, "params": params or {}})["value"]

    def open(self, url: str, cookies=None) -> bool:
        """Go to ``url`` (after setting ``cookies`` for it) and wait until it settled.

        ``cookies``: ``{name: value}``, or selenium-style dicts (name, value, path, domain, secure,
        httpOnly, sameSite, expiry). They are set before the first request, so it carries them.
        """
        self._remember_storage()
        for cookie in _cookie_list(cookies or ()):
            if not self.cdp("Network.setCookie", _cdp_cookie(cookie, url)).get("success", True):
                raise BrowserError(f"{url}: the browser refused cookie {cookie.get('name')!r}")
        if origin := _origin(url):
            self._origins.add(origin)
        try:
            self.driver.get(url)
        except TimeoutException:
            raise PageLoadTimeout(f"{url}: the page did not finish loading within "
                                  f"{self._page_load_timeout:g} s") from None
        return self.settle()

    def settle(self) -> bool:
        """Wait for the load event, web fonts and finite animations; False if ``settle_timeout`` ran out."""
        for _ in range(3):
            try:
                return bool(self.driver.execute_async_script(_SETTLE_JS, int(self.settle_timeout * 1000)))
            except JavascriptException:
                continue  # the document was replaced while we waited (a click navigated): wait on the new one
        return False

    def reset(self):
        """Fresh cookies and storage for the next page.

        Clears every cookie (``Network.clearBrowserCookies``); for each origin opened and each frame
        seen since the last reset, local storage, IndexedDB, Cache Storage, service workers and the
        rest of ``Storage.clearDataForStorageKey``'s "all" (cross-site frames' partitions included);
        and the tab's sessionStorage for those keys (``DOMStorage.clear``). The HTTP cache is kept.
        """
        self._remember_storage()
        for key in sorted(self._storage_keys):  # sessionStorage lives in the tab: clear it while its frames do
            try:
                self.cdp("DOMStorage.clear", {"storageId": {"storageKey": key, "isLocalStorage": False}})
            except WebDriverException:
                pass  # the frame went away with its page: nothing left to clear there
        self.driver.get("about:blank")
        self.cdp("Network.clearBrowserCookies")
        for origin in sorted(self._origins):
            self.cdp("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
        for key in sorted(self._storage_keys):
            self.cdp("Storage.clearDataForStorageKey", {"storageKey": key, "storageTypes": "all"})
        self._origins.clear()
        self._storage_keys.clear()

    def _remember_storage(self):
        """Note the storage keys of the current page's frames (before navigating away from them)."""
        try:
            frames = [t["targetId"] for t in self.cdp("Target.getTargets")["targetInfos"]
                      if t["type"] in ("page", "iframe")]
            frames += _frame_ids(self.cdp("Page.getFrameTree")["frameTree"])
        except WebDriverException:
            return
        for frame_id in dict.fromkeys(frames):
            try:
                key = self.cdp("Storage.getStorageKeyForFrame", {"frameId": frame_id})["storageKey"]
            except WebDriverException:
                continue  # about:blank and other opaque frames have no storage
            if key.startswith(("http://", "https://")):
                self._storage_keys.add(key)

    def _find(self, css_selector: str):
        try:
            return self.driver.find_element(By.CSS_SELECTOR, css_selector)
        except WebDriverException:
            raise BrowserError(f"{self.driver.current_url}: no element matches {css_selector!r}") from None

    def click(self, css_selector: str) -> bool:
        """Click the element (waiting for the answer to a form it submits), then settle."""
        element = self._find(css_selector)
        return self._act(element.click)

    def submit(self, css_selector: str) -> bool:
        """Submit the form that ``css_selector`` finds (the form, or a field or button in it), then settle.

        A form with a submit button is submitted by clicking it, as a person would; otherwise by
        ``form.requestSubmit()`` (validation and submit handlers run either way).
        """
        element = self._find(css_selector)
        button = element if _is_submit_button(element) else self._submit_button_of(element)
        if button is not None:
            return self._act(button.click)
        return self._act(lambda: self.driver.execute_script(_SUBMIT_JS, element), clicks=False)

    def _act(self, action, clicks=True) -> bool:
        # A form submission navigates in a later task, after the click returned: watch for it.
        old_root = self.driver.find_element(By.TAG_NAME, "html")
        self.driver.execute_script(_WATCH_JS)
        action()
        if self._submission_navigates(clicks):
            try:
                WebDriverWait(self.driver, self._page_load_timeout).until(staleness_of(old_root))
            except TimeoutException:
                raise PageLoadTimeout(f"{self.driver.current_url}: the submitted form's answer did not "
                                      f"load within {self._page_load_timeout:g} s") from None
        return self.settle()

    def _submission_navigates(self, clicks: bool) -> bool:
        """Whether a form submission will replace the document (False if it already did)."""
        deadline = time.monotonic() + self.settle_timeout
        while True:
            try:
                watch = self.driver.execute_script("return window.__i18nToolWatch || null")
            except WebDriverException:
                return False  # the document is being replaced
            if watch is None or watch["submit"] != "none":
                return watch is not None and watch["submit"] == "navigates"
            if not clicks or watch["clicked"] or time.monotonic() > deadline:
                return False  # no submission (or validation stopped it)
            time.sleep(0.02)  # the click has not reached the page yet

    def _submit_button_of(self, element):
        buttons = self.driver.execute_script(
            "const el = arguments[0], form = el.tagName === 'FORM' ? el : el.form;"
            "return form ? [...form.elements].filter(e => e.type === 'submit') : [];", element)
        return buttons[0] if buttons else None

    def fill(self, css_selector: str, value: str) -> bool:
        """Replace the field's value (or choose the option with that value of a select), then settle."""
        element = self._find(css_selector)
        if element.tag_name == "select":
            Select(element).select_by_value(value)
        else:
            element.clear()
            element.send_keys(value)
        return self.settle()

    def element_screenshot(self, path) -> str | None:
        """The PNG (base64) of the element at axe's target ``path``; None if not found or of no size.

        ``path``: one entry per frame, the last the element; an entry that is a list goes through
        open shadow roots (host selectors, then the selector inside).
        """
        path = [path] if isinstance(path, str) else list(path)
        try:
            for frame in path[:-1]:
                self.driver.switch_to.frame(self._resolve(frame))
            element = self._resolve(path[-1])
            rect = element.rect
            if not (rect["width"] and rect["height"]):
                return None
            return element.screenshot_as_base64
        except WebDriverException:
            return None
        finally:
            self.driver.switch_to.default_content()

    def _resolve(self, entry):
        selectors = [entry] if isinstance(entry, str) else list(entry)
        element = self.driver.find_element(By.CSS_SELECTOR, selectors[0])
        for selector in selectors[1:]:
            element = element.shadow_root.find_element(By.CSS_SELECTOR, selector)
        return element

    def page_html(self) -> str:
        """The rendered DOM of the top document, serialized, with its doctype."""
        return self.driver.execute_script(_PAGE_HTML_JS)

    def source_html(self) -> str | None:
        """The HTML the server sends for the current URL (with the session's cookies), or None.

        None for non-HTTP URLs (file:, data:) and for answers that are not HTML: use page_html then.
        Error pages (404, 500) are HTML the server sent too, so they come back.
        """
        return self.driver.execute_async_script(_SOURCE_HTML_JS)

    def close(self):
        """Quit the browser and remove the temporary profile."""
        driver, self.driver = getattr(self, "driver", None), None
        try:
            if driver is not None:
                driver.quit()
        finally:
            if self.profile_dir:
                shutil.rmtree(self.profile_dir, ignore_errors=True)
                self.profile_dir = None

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc):
        self.close()


def _frame_ids(tree: dict) -> list[str]:
    return [tree["frame"]["id"], *(i for child in tree.get("childFrames", ()) for i in _frame_ids(child))]


def _is_submit_button(element) -> bool:
    return element.tag_name in ("button", "input") and (element.get_attribute("type") or "submit") == "submit"


def first_line(error: Exception) -> str:
    """The first line of a WebDriver error's message (they run to stack traces)."""
    text = getattr(error, "msg", None) or str(error)
    return text.strip().splitlines()[0] if text.strip() else type(error).__name__
