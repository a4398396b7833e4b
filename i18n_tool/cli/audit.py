"""``i18n-tool audit``: WCAG 2.0 AA with axe-core in headless Chromium plus static rules."""

from pathlib import Path

import click

from i18n_tool.cli.base import cli, load_config, progress_bar, require_extra, say, version_option
from i18n_tool.errors import InputError

FORMATS = ("text", "json", "junit", "sarif", "html")


@cli.command("audit")
@click.argument("urls", nargs=-1)
@click.option("--urls-file", type=click.Path(dir_okay=False, path_type=Path), help="URLs to audit, one a line.")
@click.option("--app", "use_app", is_flag=True,
              help="Serve the configured app ([tool.i18n-tool.audit] app) on a free loopback port with fresh "
                   "data and audit its routes × locales × logged out/in × UI states.")
@click.option("-l", "--locale", "locales", multiple=True,
              help="Locales to audit (default with --app: all configured; with URLs: unknown, none set).")
@click.option("--workers", type=click.IntRange(1, 16), default=1, show_default=True,
              help="Browser sessions in parallel.")
@click.option("--remote-url", help="A WebDriver endpoint (Selenium Grid, chromedriver) instead of local Chromium.")
@click.option("--axe-script", type=click.Path(dir_okay=False, exists=True), help="axe.min.js to use.")
@click.option("--baseline", "baseline_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Known violations: fail only on new ones (default: [tool.i18n-tool.audit] baseline).")
@click.option("--update-baseline", is_flag=True, help="Rewrite the baseline with this run's violations.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", help="Report format.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to FILE (default: standard output).")
@version_option
@click.pass_context
def audit_command(ctx, urls, urls_file, use_app, locales, workers, remote_url, axe_script, baseline_path,
                  update_baseline, fmt, output):
    """Audit pages for WCAG 2.0 level AA. Exit 0 clean, 1 new violations (or an expired
    suppression, or a page that could not be audited), 2 unusable input."""
    require_extra("audit")
    from i18n_tool.a11y.targets import read_urls_file

    config = load_config(ctx)
    urls = list(urls) + (read_urls_file(urls_file) if urls_file else [])
    if bool(urls) == use_app:
        raise InputError("give URLs (or --urls-file), or --app", hint="see i18n-tool audit --help")
    baseline_path = baseline_path or config.audit.baseline
    if update_baseline and baseline_path is None:
        raise InputError("--update-baseline needs --baseline FILE (or [tool.i18n-tool.audit] baseline)")
    locales = tuple(locales) or (config.audit_locales if use_app else ())
    result = _run(ctx, config, urls, use_app, locales, workers, remote_url, axe_script, baseline_path,
                  update_baseline, fmt)
    _report(ctx, result, fmt, output)
    ctx.exit(result.exit_code)


def _run(ctx, config, urls, use_app, locales, workers, remote_url, axe_script, baseline_path, update, fmt):
    from i18n_tool.a11y import audit, baseline, targets
    from i18n_tool.a11y.axe import AxeNotFound
    from i18n_tool.a11y.browser import BrowserNotFound, find_browser

    known = baseline.read_baseline(baseline_path) if baseline_path and not update else None
    options = audit.Options(workers=workers, remote_url=remote_url, axe_script=axe_script,
                            screenshots=fmt == "html", locale_cookie=config.audit.locale_cookie,
                            login=config.audit.login)
    try:
        if remote_url is None:
            find_browser()
        if use_app:
            if not config.audit.app:
                raise InputError("--app needs [tool.i18n-tool.audit] app = \"module:callable\"",
                                 path=str(config.path) if config.path else None)
            with targets.serve_app(config.audit.app) as base_url:
                pages = _pages(ctx, targets.app_targets(config.audit, locales, base_url), options)
        else:
            for url in dict.fromkeys(urls):
                targets.check_reachable(url)
            pages = _pages(ctx, targets.url_targets(urls, locales), options)
    except (BrowserNotFound, AxeNotFound) as exc:
        raise InputError(str(exc)) from None
    if update:
        violations = [f for page in pages for f in page.violations]
        count = baseline.write_baseline(baseline_path, violations)
        say(ctx, f"{baseline_path}: {count} baseline entries written")
        known = baseline.read_baseline(baseline_path)
    return audit.summarize(pages, known, config.audit.suppress)


def _pages(ctx, page_targets, options):
    from i18n_tool.a11y import audit

    say(ctx, f"auditing {len(page_targets)} pages with {options.workers} browser session(s)")
    with progress_bar(ctx, "auditing") as progress:
        options.progress = progress
        return audit.run_pages(page_targets, options)


def _report(ctx, result, fmt, output):
    from i18n_tool.a11y.reports import render
    from i18n_tool.files import atomic_write

    report = render(result, fmt)
    if output:
        atomic_write(output, report.encode("utf-8"))
        say(ctx, f"report written to {output}")
    else:
        click.echo(report)
    for error in result.errors:
        click.echo(f"error: {error}", err=True)
