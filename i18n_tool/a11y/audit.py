"""Run an audit: every target in a browser session (axe-core in every frame, then the static
rules), in parallel sessions, then sort the violations against the baseline and suppressions.

One session per worker is reused for all its pages; before each page its cookies and storage are
cleared, and the page gets only the locale cookie (and, logged in, the cookies of one login the
worker did at its start).
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from i18n_tool.a11y import baseline as baselines
from i18n_tool.a11y import wcag
from i18n_tool.a11y.axe import load_axe_source, run_axe
from i18n_tool.a11y.browser import Session, first_line
from i18n_tool.a11y.result import AuditResult
from i18n_tool.a11y.static import applicable_rules, static_findings


@dataclass
class Options:
    workers: int = 1
    remote_url: str | None = None
    axe_script: str | None = None
    screenshots: bool = False  # for the HTML report: a PNG of each offending element
    locale_cookie: str = "_LOCALE_"
    login: object = None  # config.Login, for targets that are logged in
    progress: object = None  # callable(done, total), or None


@dataclass
class PageResult:
    target: object
    violations: list = field(default_factory=list)
    incomplete: list = field(default_factory=list)
    rules: dict = field(default_factory=dict)  # rule id -> WCAG criteria it covers
    seconds: float = 0.0
    error: str | None = None


class LoginFailed(Exception):
    pass


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


class Worker:
    """One browser session and the login cookies it made."""

    def __init__(self, options: Options, axe_source: str):
        self.options, self.axe_source = options, axe_source
        self.session = Session(remote_url=options.remote_url)
        self._login_cookies: dict[str, list] = {}

    def close(self):
        self.session.close()

    def login_cookies(self, url: str) -> list:
        origin = _origin(url)
        if origin not in self._login_cookies:
            login = self.options.login
            self.session.reset()
            self.session.open(origin.rstrip("/") + login.path)
            for name, value in login.fields.items():
                self.session.fill(f'[name="{name}"]', value)
            self.session.click(login.submit)
            if urlsplit(self.session.driver.current_url).path == login.path:
                raise LoginFailed(f"logging in at {login.path} did not work: the form came back "
                                  "(check [tool.i18n-tool.audit] login)")
            self._login_cookies[origin] = self.session.driver.get_cookies()
        return self._login_cookies[origin]

    def cookies_for(self, target) -> list:
        cookies = list(self.login_cookies(target.url)) if target.logged_in else []
        if target.locale:
            cookies = [c for c in cookies if c["name"] != self.options.locale_cookie]
            cookies.append({"name": self.options.locale_cookie, "value": target.locale})
        return cookies

    def audit(self, target) -> PageResult:
        started = time.perf_counter()
        session = self.session
        session.reset()
        session.open(target.url, cookies=self.cookies_for(target))
        for kind, selector, value in target.actions:
            if kind == "fill":  # "{locale}" in a value: one state filled differently in each locale
                session.fill(selector, value.replace("{locale}", target.locale))
            else:
                getattr(session, kind)(selector)
        where = {"url": target.url, "locale": target.locale, "state": target.label, "route": target.route}
        axe = run_axe(session, self.axe_source, **where)
        source = None if target.actions else session.source_html()
        from_source = source is not None
        static = static_findings(source if from_source else session.page_html(), **where, source=from_source)
        violations = axe.violations + static
        if self.options.screenshots:
            violations = [f.with_screenshot(session.element_screenshot(f.path)) if f.path else f for f in violations]
        rules = {**axe.rules, **{rule.id: rule.wcag for rule in applicable_rules(target.locale, from_source)}}
        return PageResult(target, violations, axe.incomplete, rules, time.perf_counter() - started)


def _audit_with_retry(worker: Worker, target) -> PageResult:
    """The page's result; a page that fails is tried once more (a browser hiccup), then reported."""
    for attempt in (1, 2):
        try:
            return worker.audit(target)
        except Exception as exc:  # whatever went wrong is this page's error, not the run's
            if attempt == 2:
                return PageResult(target, error=f"{target.url} [{target.locale}, {target.label}]: {first_line(exc)}")
    raise AssertionError("unreachable")


def _work(jobs: queue.Queue, results: list, options: Options, axe_source: str, lock: threading.Lock):
    worker = None
    try:
        worker = Worker(options, axe_source)
        while True:
            try:
                index, target = jobs.get_nowait()
            except queue.Empty:
                return
            result = _audit_with_retry(worker, target)
            with lock:
                results[index] = result
                if options.progress:
                    options.progress(sum(r is not None for r in results), len(results))
    finally:
        if worker is not None:
            worker.close()


def run_pages(targets, options: Options) -> list[PageResult]:
    """Every target audited, in the targets' order, by ``options.workers`` sessions."""
    axe_source = load_axe_source(options.axe_script)
    jobs: queue.Queue = queue.Queue()
    for item in enumerate(targets):
        jobs.put(item)
    results: list = [None] * len(targets)
    lock = threading.Lock()
    count = max(1, min(options.workers, len(targets)))
    errors: list = []

    def guarded():
        try:
            _work(jobs, results, options, axe_source, lock)
        except Exception as exc:  # the session itself could not start
            errors.append(exc)

    threads = [threading.Thread(target=guarded, name=f"audit-{n}") for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors and all(result is None for result in results):
        raise errors[0]
    return [r if r is not None else PageResult(t, error=f"{t.url}: not audited ({errors[0]})")
            for r, t in zip(results, targets)]


def summarize(pages: list[PageResult], baseline=None, suppressions=()) -> AuditResult:
    """The pages' violations sorted against the baseline and suppressions, with the WCAG table."""
    violations = [f for page in pages for f in page.violations]
    parts = baselines.split(violations, baseline, suppressions)
    covered = {sc for page in pages for criteria in page.rules.values() for sc in criteria}
    failed = {sc for f in violations for sc in f.wcag}
    return AuditResult(
        findings=parts.new, known=parts.known, suppressed=parts.suppressed,
        incomplete=[f for page in pages for f in page.incomplete],
        fixed=parts.fixed, expired=parts.expired,
        wcag=wcag.table(covered, failed),
        pages=[{"url": p.target.url, "locale": p.target.locale, "state": p.target.label, "route": p.target.route,
                "violations": len(p.violations), "seconds": round(p.seconds, 3)} for p in pages],
        errors=[p.error for p in pages if p.error],
    )
