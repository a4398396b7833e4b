"""Audit benchmark: one reused browser session against a fresh browser per page, the static pass
alone, and the companion's whole audit matrix with 1 and 2 workers.

    python benchmarks/audit.py [--pages 12] [--runs 3] [--format text|json]

The companion app is served as `i18n-tool audit --app` serves it (fresh seeded SQLite, catalogs
compiled, a free loopback port). Then, in one run:

- reused: one session audits --pages pages (axe-core in every frame + the static rules), clearing
  cookies and storage between pages, as the audit does; fresh: the same pages, each in a browser
  started for it and closed after. Pages per minute for both, median of --runs rounds; goal:
  reused ≥ 5× fresh.
- static: the static pass alone on each page's HTML as served, median milliseconds per page.
- matrix: the whole configured matrix (routes × locales × logged out/in × UI states) with 1 and
  then 2 workers, wall time.
"""

import argparse
import json
import platform
import statistics
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import version  # noqa: E402

GOAL = 5.0


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=12, help="pages in the reused/fresh comparison (default 12)")
    parser.add_argument("--runs", type=int, default=3, help="rounds of the comparison (default 3)")
    parser.add_argument("--no-matrix", action="store_true", help="skip the whole-matrix timings")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    args = parser.parse_args(argv)
    if args.pages < 1 or args.runs < 1:
        parser.error("--pages and --runs must be at least 1")
    return args


def sample_targets(config, base_url, count):
    """The first ``count`` anonymous default-state pages of the matrix, over the locales."""
    from i18n_tool.a11y.targets import app_targets

    plain = [t for t in app_targets(config.audit, config.audit_locales, base_url)
             if not t.logged_in and not t.actions]
    step = max(1, len(plain) // count)
    return plain[::step][:count]


def pages_per_minute(targets, options, fresh: bool) -> float:
    from i18n_tool.a11y.audit import Worker
    from i18n_tool.a11y.axe import load_axe_source

    axe_source = load_axe_source(options.axe_script)
    started = time.perf_counter()
    worker = None if fresh else Worker(options, axe_source)
    for target in targets:
        if fresh:
            worker = Worker(options, axe_source)
        worker.audit(target)
        if fresh:
            worker.close()
    if not fresh:
        worker.close()
    return len(targets) / (time.perf_counter() - started) * 60


def static_ms(targets) -> float:
    from i18n_tool.a11y.static import static_findings

    times = []
    for target in targets:
        with urllib.request.urlopen(target.url) as response:
            html = response.read().decode()
        for _ in range(5):
            started = time.perf_counter()
            static_findings(html, url=target.url, locale=target.locale, state="default", route=target.route,
                            source=True)
            times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def matrix_seconds(config, base_url, workers: int) -> tuple[float, int, int]:
    from i18n_tool.a11y.audit import Options, run_pages
    from i18n_tool.a11y.targets import app_targets

    targets = app_targets(config.audit, config.audit_locales, base_url)
    options = Options(workers=workers, login=config.audit.login, locale_cookie=config.audit.locale_cookie)
    started = time.perf_counter()
    pages = run_pages(targets, options)
    violations = sum(len(page.violations) for page in pages)
    errors = sum(1 for page in pages if page.error)
    return time.perf_counter() - started, len(targets), violations + errors


def main(argv) -> int:
    from i18n_tool.a11y.audit import Options
    from i18n_tool.a11y.targets import serve_app
    from i18n_tool.config import load_config

    args = parse_args(argv)
    config = load_config(ROOT / "pyproject.toml")
    report = {}
    with serve_app(config.audit.app) as base_url:
        targets = sample_targets(config, base_url, args.pages)
        options = Options(login=config.audit.login, locale_cookie=config.audit.locale_cookie)
        rounds = [(pages_per_minute(targets, options, False), pages_per_minute(targets, options, True))
                  for _ in range(args.runs)]
        reused = statistics.median(r for r, _ in rounds)
        fresh = statistics.median(f for _, f in rounds)
        report.update(pages=len(targets), reused_per_minute=round(reused, 1), fresh_per_minute=round(fresh, 1),
                      ratio=round(reused / fresh, 2), static_ms_per_page=round(static_ms(targets), 2))
        if not args.no_matrix:
            for workers in (1, 2):
                seconds, count, problems = matrix_seconds(config, base_url, workers)
                report[f"matrix_{workers}_workers_seconds"] = round(seconds, 1)
                report["matrix_pages"], report[f"matrix_{workers}_problems"] = count, problems
    report["machine"] = f"{platform.python_version()}, {__import__('os').cpu_count()} CPUs, selenium " \
                        f"{version('selenium')}"
    if args.format == "json":
        print(json.dumps(report, indent=2))
        return 0
    met = "met" if report["ratio"] >= GOAL else "NOT met"
    print(f"reused session: {report['reused_per_minute']} pages/min; fresh browser per page: "
          f"{report['fresh_per_minute']} pages/min; {report['ratio']}x (goal >= {GOAL}x: {met}); "
          f"median of {args.runs} rounds of {report['pages']} pages")
    print(f"static pass alone: {report['static_ms_per_page']} ms per page (median)")
    if not args.no_matrix:
        print(f"whole matrix ({report['matrix_pages']} pages): 1 worker {report['matrix_1_workers_seconds']} s, "
              f"2 workers {report['matrix_2_workers_seconds']} s; violations + errors: "
              f"{report['matrix_1_problems']} / {report['matrix_2_problems']}")
    print(f"({report['machine']})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
