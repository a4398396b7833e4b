"""Run axe-core on the session's current page: every frame, nested and cross-origin, and open shadow DOM.

As axe-core's own webdriver integrations do: axe is injected into each frame and ``axe.runPartial``
runs there (frames are entered with WebDriver, so their origin does not matter); the partial
results, in document order, are combined by ``axe.finishRun`` in a blank window the session keeps
for it, away from the page's scripts. A frame axe could not run in is reported as a finding, never taken as a pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from selenium.common.exceptions import NoSuchWindowException, WebDriverException

from i18n_tool.a11y.browser import first_line
from i18n_tool.a11y.findings import AuditFinding, target_string
from i18n_tool.a11y.wcag import criteria_from_tags

WCAG_TAGS = ("wcag2a", "wcag2aa")
RUN_OPTIONS = {"runOnly": {"type": "tag", "values": list(WCAG_TAGS)}, "resultTypes": ["violations", "incomplete"]}
AXE_SCRIPT = Path("node_modules", "axe-core", "axe.min.js")
AXE_VERSION = "4.14.1"  # the version package.json pins (a test keeps them equal)
FRAME_RULE = "frame-tested"
_HERE = Path(__file__).resolve().parent


class AxeNotFound(Exception):
    """The axe-core script is not installed."""


class AxeError(Exception):
    """axe-core could not run on the page."""


@dataclass
class AxeResult:
    violations: list[AuditFinding] = field(default_factory=list)
    incomplete: list[AuditFinding] = field(default_factory=list)  # axe's "needs review"
    rules: dict[str, tuple[str, ...]] = field(default_factory=dict)  # rule id -> WCAG criteria
    frames_failed: int = 0


def _candidates():
    for start in (Path.cwd(), _HERE):
        for folder in (start, *start.parents):
            yield folder / AXE_SCRIPT


def load_axe_source(path=None) -> str:
    """The axe-core script: ``path`` (``--axe-script``), else node_modules/axe-core/axe.min.js found
    upward from the current directory or from this package."""
    if path is not None:
        if not Path(path).is_file():
            raise AxeNotFound(f"{path}: axe-core script not found (give the path of axe.min.js, "
                              f"or {install_hint()})")
        return Path(path).read_text(encoding="utf-8")
    for candidate in _candidates():
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    raise AxeNotFound(f"axe-core not found: looked for {AXE_SCRIPT} in {Path.cwd()}, beside the "
                      f"i18n-tool package ({_HERE.parent}) and their parents ({install_hint()}, "
                      f"or give --axe-script PATH)")


def install_hint() -> str:
    """``npm ci`` where a lockfile here pins axe-core, else the npm command that adds it."""
    for folder in (Path.cwd(), *Path.cwd().parents):
        lockfile = folder / "package-lock.json"
        if lockfile.is_file():
            if '"node_modules/axe-core"' in lockfile.read_text(encoding="utf-8", errors="replace"):
                return "run `npm ci` to install it"
            break
    return f"run `npm install --save-dev axe-core@{AXE_VERSION}` to install it"


_INJECT_JS = """
%s
;return typeof window.axe === "object" && typeof window.axe.runPartial === "function";
"""

# getFrameContexts builds axe's tree and runPartial reuses it: call them back to back.
_PARTIAL_JS = """
const [context, options, done] = [arguments[0] || document, arguments[1], arguments[arguments.length - 1]];
const fail = error => done({error: String(error && error.message || error)});
const snippet = el => !el ? "" : el.outerHTML.length > 300 ? el.outerHTML.slice(0, 300) + "..." : el.outerHTML;
try {
  const frames = axe.utils.getFrameContexts(context, options).map(({frameSelector, frameContext}) => {
    const element = axe.utils.shadowSelect(frameSelector);
    return {selector: frameSelector, context: frameContext, element: element, html: snippet(element)};
  });
  axe.runPartial(context, options).then(partial => done({frames, partial: JSON.stringify(partial)}), fail);
} catch (error) { fail(error); }
"""

_FINISH_JS = """
const [partials, options, tags, done] = [arguments[0], arguments[1], arguments[2], arguments[arguments.length - 1]];
axe.finishRun(partials.map(p => p === null ? null : JSON.parse(p)), options).then(
  results => {
    // getRules also lists deprecated and experimental rules that runOnly leaves out.
    const ran = new Set(["violations", "incomplete", "passes", "inapplicable"]
      .flatMap(type => results[type].map(result => result.id)));
    const rules = axe.getRules(tags).filter(rule => ran.has(rule.ruleId)).map(rule => [rule.ruleId, rule.tags]);
    done({violations: results.violations, incomplete: results.incomplete, rules});
  },
  error => done({error: String(error && error.message || error)}));
"""


def run_axe(session, axe_source: str, *, url: str, locale: str | None, state: str,
            route: str | None = None) -> AxeResult:
    """axe's WCAG 2.0 A/AA rules on the session's current page, as findings for ``url``."""
    driver = session.driver
    driver.switch_to.default_content()
    partials, failures = [], []
    # Entering a frame waits for its load; one that never loads must not hold the run for 30 s.
    driver.set_page_load_timeout(session.frame_timeout)
    try:
        _run_partial(driver, axe_source, None, [], partials, failures)
    finally:
        driver.switch_to.default_content()
        driver.set_page_load_timeout(session.page_load_timeout)
    answer = _finish_run(session, axe_source, partials)
    where = {"url": url, "locale": locale, "state": state, "route": route}
    frame_findings = [_frame_finding(path, html, reason, **where) for path, html, reason in failures]
    return AxeResult(
        violations=_findings(answer["violations"], **where) + frame_findings,
        incomplete=_findings(answer["incomplete"], **where),
        rules={rule_id: criteria_from_tags(tags) for rule_id, tags in answer["rules"]},
        frames_failed=len(failures),
    )


def _inject(driver, axe_source: str):
    if not driver.execute_script(_INJECT_JS % axe_source):
        raise AxeError("axe-core did not load (is the script axe.min.js?)")


def _run_partial(driver, axe_source, context, frame_path, partials, failures):
    """runPartial in the current frame, then in each child frame depth first (finishRun's order).

    A frame that fails gets ``None`` and none of its descendants, as finishRun requires.
    """
    try:
        _inject(driver, axe_source)
        answer = driver.execute_async_script(_PARTIAL_JS, context, RUN_OPTIONS)
    except WebDriverException as error:
        raise AxeError(first_line(error)) from None
    if "error" in answer:
        raise AxeError(answer["error"])
    partials.append(answer["partial"])
    for frame in answer["frames"]:
        path = [*frame_path, frame["selector"]]
        entered = False
        try:
            if frame["element"] is None:
                raise AxeError("the frame element was not found")
            driver.switch_to.frame(frame["element"])
            entered = True
            _run_partial(driver, axe_source, frame["context"], path, partials, failures)
        except (WebDriverException, AxeError) as error:
            partials.append(None)
            failures.append((path, frame["html"], first_line(error)))
        finally:
            if entered:
                driver.switch_to.parent_frame()


def _switch_to_axe_window(session, axe_source):
    """The session's blank axe window (made, and axe injected, the first time, or if it was closed)."""
    driver = session.driver
    if session.axe_window is not None:
        try:
            driver.switch_to.window(session.axe_window)
            return
        except NoSuchWindowException:
            pass
    driver.switch_to.new_window("window")
    _inject(driver, axe_source)
    session.axe_window = driver.current_window_handle


def _finish_run(session, axe_source, partials) -> dict:
    """axe.finishRun in the session's blank axe window (no page scripts there), then back to the page."""
    driver = session.driver
    page = driver.current_window_handle
    try:
        _switch_to_axe_window(session, axe_source)
        answer = driver.execute_async_script(_FINISH_JS, partials, RUN_OPTIONS, list(WCAG_TAGS))
    except WebDriverException as error:
        raise AxeError(f"axe.finishRun failed: {first_line(error)}") from None
    finally:
        driver.switch_to.window(page)
    if "error" in answer:
        raise AxeError(f"axe.finishRun failed: {answer['error']}")
    return answer


def _findings(rules, **where) -> list[AuditFinding]:
    return [_finding(rule, node, **where) for rule in rules for node in rule["nodes"]]


def _finding(rule, node, *, url, locale, state, route) -> AuditFinding:
    return AuditFinding(
        url=url, locale=locale, state=state, engine="axe", rule=rule["id"],
        wcag=criteria_from_tags(rule["tags"]), impact=node.get("impact") or rule.get("impact"),
        target=target_string(node["target"]), html=node.get("html") or "",
        message=_message(rule, node), route=route,
        help_url=rule.get("helpUrl"), path=_as_tuple(node["target"]),
    )


def _message(rule, node) -> str:
    """The rule's help, then axe's fixes for this node: "Images must have alternative text. Fix any
    of the following: Element does not have an alt attribute; aria-label attribute does not exist…"."""
    summary = [line.strip() for line in (node.get("failureSummary") or "").splitlines() if line.strip()]
    fixes = " ".join(line if line.endswith(":") else f"{line};" for line in summary).rstrip(";")
    return ". ".join(part for part in (rule.get("help", "").rstrip("."), fixes) if part)


def _frame_finding(path, html, reason, *, url, locale, state, route) -> AuditFinding:
    return AuditFinding(
        url=url, locale=locale, state=state, engine="axe", rule=FRAME_RULE, wcag=(), impact="critical",
        target=target_string(path), html=html,
        message=f"axe could not run inside this frame: {reason}; its content was not checked",
        route=route, path=_as_tuple(path),
    )


def _as_tuple(value):
    return tuple(map(_as_tuple, value)) if isinstance(value, list) else value
