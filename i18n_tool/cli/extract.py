"""``i18n-tool extract``: the configured domains, or pybabel-style with -F/-o and input paths."""

import os
import re
from dataclasses import replace
from pathlib import Path

import click

from i18n_tool.cli.base import cli, echo_findings, load_config, progress_bar, say
from i18n_tool.errors import InputError

DEFAULT_CACHE = ".i18n-tool-cache"


@cli.command("extract")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=str))
@click.option("--input-dirs", help="Comma-separated input paths (pybabel's alias for INPUTS).")
@click.option("-F", "--mapping-file", "--mapping", "mapping_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Babel mapping file (.cfg or .toml), as pybabel reads it.")
@click.option("-o", "--output-file", "--output", "output_file", help="The .pot to write (needed with input paths).")
@click.option("-k", "--keyword", "--keywords", "keywords", multiple=True,
              help="Keyword spec to look for besides the defaults (repeatable; pybabel syntax).")
@click.option("--no-default-keywords", is_flag=True, help="Do not look for the default keywords.")
@click.option("-c", "--add-comments", "comment_tags", multiple=True,
              help="Keep comments starting with TAG before a message (repeatable, or comma-separated).")
@click.option("-s", "--strip-comments", "--strip-comment-tags", "strip_comments", is_flag=True, help="Strip the comment tags from the comments.")
@click.option("--no-location", is_flag=True, help="Write no #: location lines.")
@click.option("--add-location", type=click.Choice(["full", "file", "never"]),
              help="Location lines: file and line (full), file only, or none (never).")
@click.option("--omit-header", is_flag=True, help='Leave out the msgid "" header entry.')
@click.option("-w", "--width", type=click.IntRange(min=1), help="Line width (default 76).")
@click.option("--no-wrap", is_flag=True, help="Do not wrap long lines.")
@click.option("--sort-output", is_flag=True, help="Sort messages by msgid.")
@click.option("--sort-by-file", is_flag=True, help="Sort messages by location.")
@click.option("--project", help="Project name in the header.")
@click.option("--version", "--project-version", "project_version",
              help="Project version in the header (the tool's own version: `i18n-tool --version`).")
@click.option("--copyright-holder", help="Copyright holder in the header.")
@click.option("--msgid-bugs-address", help="Report-Msgid-Bugs-To in the header.")
@click.option("--last-translator", help="Last-Translator in the header.")
@click.option("--header-comment", help="The comment above the header (PROJECT, VERSION, YEAR and "
                                        "ORGANIZATION are replaced, as pybabel does).")
@click.option("--charset", help="Charset of the .pot (default utf-8).")
@click.option("--ignore-dirs", multiple=True,
              help="Skip directories whose name matches PATTERN (repeatable; replaces the default '.*').")
@click.option("--domain", "domains", multiple=True, help="Only these configured domains.")
@click.option("--check", is_flag=True,
              help="Write nothing; exit 1 and list the messages added or removed if the .pot is stale.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              help=f"Where per-file results are kept (default {DEFAULT_CACHE}/ beside the config).")
@click.option("--no-cache", is_flag=True, help="Extract every file again.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Worker processes (default: one per core).")
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--verbose", is_flag=True, help="List every finding (many of one kind are otherwise said once).")
@click.pass_context
def extract_command(ctx, inputs, **opts):
    """Extract messages from templates, email templates and Python into .pot files.

    Without INPUTS, every configured domain is extracted to its .pot. With INPUTS
    (files or directories), it works like `pybabel extract`: -F names the mapping
    file, -o the output.
    """
    from i18n_tool.extract import extract_target, group_findings

    inputs = _inputs(inputs, opts["input_dirs"])
    settings, targets, cache_root = _pybabel_style(inputs, opts) if inputs else _from_config(ctx, opts)
    cache_dir = None if opts["no_cache"] else (opts["cache_dir"] or cache_root / DEFAULT_CACHE)
    worst = 0
    for target in targets:
        with progress_bar(ctx, f"extracting {target.pot}") as progress:
            report = extract_target(target, settings, cache_dir, opts["jobs"], opts["check"], progress)
        echo_findings(ctx, group_findings(report.findings, opts["verbose"]))
        worst = max(worst, _outcome(ctx, report, opts))
    ctx.exit(worst)


def _inputs(inputs, input_dirs) -> tuple:
    if not input_dirs:
        return inputs
    if inputs:
        raise InputError("--input-dirs and input paths are mutually exclusive")
    return tuple(re.split(r",\s*", input_dirs))  # pybabel's split


def _outcome(ctx, report, opts) -> int:
    """Print the summary line of one target and return its exit code."""
    if report.fatal:
        say(ctx, f"{report.pot}: not written: {len(report.fatal)} error(s) make the input unusable")
        return 2
    counts = (f"{report.messages} messages from {report.files} files "
              f"({report.cached} cached, {report.files - report.scanned} without messages)")
    if opts["check"]:
        return _report_check(ctx, report, counts)
    say(ctx, f"{report.pot}: {counts}; {'written' if report.written else 'unchanged'}")
    warnings = any(f.severity == "warning" for f in report.findings)
    return 1 if report.errors or (opts["strict"] and warnings) else 0


def _report_check(ctx, report, counts) -> int:
    difference = report.difference
    for sign, messages in (("+", difference.added), ("-", difference.removed), ("~", difference.changed)):
        for message in messages:
            click.echo(f"{sign} {_describe(message)}")
    if difference:
        say(ctx, f"{report.pot}: stale: {len(difference.added)} added, {len(difference.removed)} removed, "
                 f"{len(difference.changed)} changed; run `i18n-tool extract`")
        return 1
    say(ctx, f"{report.pot}: up to date; {counts}")
    return 1 if report.errors else 0


def _describe(message) -> str:
    msgid = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    context = f"[{message.context}] " if message.context else ""
    return f"{context}{msgid!r}"


def _settings(opts, keywords_base, comment_tags):
    from babel.messages.extract import DEFAULT_KEYWORDS

    from i18n_tool.extract import Settings

    base = DEFAULT_KEYWORDS if keywords_base is None else keywords_base
    keywords = {} if opts["no_default_keywords"] else dict(base)
    specs = [spec for arg in opts["keywords"] for spec in arg.split()]
    if specs:
        from babel.messages.frontend import parse_keywords  # slow to import

        keywords.update(parse_keywords(specs))
    if not keywords:
        raise InputError("no keywords left: give some with -k when using --no-default-keywords")
    tags = tuple(dict.fromkeys(t.strip() for arg in opts["comment_tags"] for t in arg.split(",") if t.strip()))
    return Settings(keywords, tuple(comment_tags) + tags, opts["strip_comments"])


def _output(base, opts):
    if opts["no_wrap"] and opts["width"]:
        raise InputError("--no-wrap and --width are mutually exclusive")
    if opts["sort_output"] and opts["sort_by_file"]:
        raise InputError("--sort-output and --sort-by-file are mutually exclusive")
    changes = {}
    if opts["no_wrap"]:
        changes["width"] = None
    elif opts["width"]:
        changes["width"] = opts["width"]
    if opts["sort_output"] or opts["sort_by_file"]:
        changes["sort"] = "msgid" if opts["sort_output"] else "file"
    location = "none" if opts["no_location"] else {"never": "none"}.get(opts["add_location"], opts["add_location"])
    if location:
        changes["locations"] = location
    if opts["omit_header"]:
        changes["omit_header"] = True
    if opts["charset"]:
        from i18n_tool.catalog.po import known_codec

        if not known_codec(opts["charset"]):
            raise InputError(f"unknown charset {opts['charset']!r}")
    for option, field in (("project", "project"), ("project_version", "version"),
                          ("copyright_holder", "copyright_holder"), ("msgid_bugs_address", "msgid_bugs_address"),
                          ("last_translator", "last_translator"), ("header_comment", "header_comment"),
                          ("charset", "charset")):
        if opts[option]:
            changes[field] = opts[option]
    return replace(base, **changes)


def _ignore_dirs(opts) -> tuple:
    """Repeated, or space-separated as pybabel takes them."""
    return tuple(pattern for arg in opts["ignore_dirs"] for pattern in arg.split())


def _pybabel_style(inputs, opts):
    from babel.messages.extract import DEFAULT_MAPPING

    from i18n_tool.config.mapping import load_mapping_file
    from i18n_tool.config.schema import Output, Rule
    from i18n_tool.extract import Source, Target

    if not opts["output_file"]:
        raise InputError("no output file: give -o FILE with input paths")
    if opts["mapping_file"]:
        if not opts["mapping_file"].exists():
            raise InputError("mapping file does not exist", path=str(opts["mapping_file"]))
        rules = load_mapping_file(opts["mapping_file"])
    else:
        rules = tuple(Rule(pattern, method, {}) for pattern, method in DEFAULT_MAPPING)
    sources = [Source(given, given) for given in inputs]
    target = Target(sources, rules, opts["output_file"], _output(Output(), opts), _ignore_dirs(opts))
    return _settings(opts, None, ()), [target], Path.cwd()


def _from_config(ctx, opts):
    from i18n_tool.extract import Source, Target

    config = load_config(ctx)
    if opts["mapping_file"] or opts["output_file"]:
        raise InputError("-F and -o go with input paths; without them the configuration says what to extract")
    unknown = set(opts["domains"]) - set(config.domains)
    if unknown:
        raise InputError(f"no domain {sorted(unknown)[0]!r} in the configuration",
                         path=str(config.path) if config.path else None,
                         hint=f"domains: {', '.join(config.domains)}")
    output = _output(config.output, opts)
    ignore = _ignore_dirs(opts) or config.ignore_dirs
    targets = [
        Target([Source(os.path.relpath(s, config.root), str(s)) for s in domain.sources],
               domain.rules, os.path.relpath(domain.pot), output, ignore)
        for name, domain in config.domains.items() if not opts["domains"] or name in opts["domains"]
    ]
    settings = _settings(opts, config.keywords, config.comment_tags)
    if config.strip_comment_tags and not settings.strip_comment_tags:
        settings = replace(settings, strip_comment_tags=True)
    return settings, targets, config.root
