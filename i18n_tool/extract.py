"""Walking sources, dispatching files to extractors, in a process pool, with a cache.

Files are matched to methods exactly as ``pybabel extract`` matches them (Babel's
``pathmatch`` on the path relative to each input directory, first rule wins), and
each file's messages go through Babel's own keyword-spec processing, so the
result is pybabel's. What differs is said out loud: directories starting with
``_`` are extracted (pybabel skips them in silence) and a note says so.
"""

import fnmatch
import io
import os
from dataclasses import dataclass, field

from babel.util import pathmatch

from i18n_tool import extractors
from i18n_tool.errors import InputError
from i18n_tool.files import locked
from i18n_tool.findings import Finding
from i18n_tool.parallel import ordered_map

EMAIL_PARTS = {"subject.txt", "body.txt", "body.html"}
SERIAL_LIMIT = 24  # below this many files a process pool costs more than it saves
# Findings that make the input unusable: the command writes nothing and exits 2.
FATAL_CODES = {"unreadable", "not-utf-8", "extractor-missing", "extractor-failed", "unknown-method"}


@dataclass(frozen=True)
class Settings:
    """What applies to every file of one extraction."""

    keywords: dict
    comment_tags: tuple = ()
    strip_comment_tags: bool = False


@dataclass(frozen=True)
class FileJob:
    path: str  # absolute
    display: str  # the location written to the catalog
    method: str
    options: dict = field(hash=False)
    rule: object = field(default=None, compare=False, repr=False)  # the mapping rule that matched


@dataclass
class FileResult:
    display: str
    messages: list  # Babel's (lineno, message, comments, context) tuples
    findings: list
    scanned: bool = True  # False when the pre-scan showed it holds no message


@dataclass
class Source:
    """An input path as given (it prefixes locations) and where it is."""

    given: str
    path: str


def find_files(sources, rules, ignore_dirs=()) -> tuple[list[FileJob], list[Finding]]:
    """The files to extract, in pybabel's order, and notes about what was passed over."""
    jobs, notes = [], []
    for source in sources:
        if not os.path.exists(source.path):
            raise InputError("source path does not exist", path=source.given)
        if os.path.isfile(source.path):
            rel = os.path.relpath(source.path) if os.path.isabs(source.given) else os.path.normpath(source.given)
            job = _match(rules, rel.replace(os.sep, "/"), source.path, rel)
            jobs.extend([job] if job else [])
        else:
            _walk(source, rules, ignore_dirs, jobs, notes)
    return jobs, notes


def _walk(source, rules, ignore_dirs, jobs, notes):
    root = os.path.abspath(source.path)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if _keep_dir(root, dirpath, d, rules, ignore_dirs))
        unmatched_email = []
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            display = os.path.normpath(os.path.join(source.given, rel))
            job = _match(rules, rel, path, display)
            if job:
                jobs.append(job)
            elif name in EMAIL_PARTS:
                unmatched_email.append(display)
        notes.extend(_underscore_notes(root, dirpath, dirnames, source.given, ignore_dirs))
        notes.extend(
            Finding(display, None, "warning", "unmapped-email-template",
                    "looks like an email template, but no mapping rule matches it: "
                    "its messages are not extracted")
            for display in unmatched_email
        )


def _keep_dir(root, dirpath, name, rules, ignore_dirs) -> bool:
    patterns = ignore_dirs or (".*",)
    if any(fnmatch.fnmatch(name, pattern) for pattern in patterns):
        return False
    rel = os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/")
    return not any(rule.method == "ignore" and pathmatch(rule.pattern, rel) for rule in rules)


def _underscore_notes(root, dirpath, kept, given, ignore_dirs):
    if ignore_dirs:  # pybabel, too, drops its own `_*` default when told which dirs to skip
        return
    for name in kept:
        if name.startswith("_"):
            rel = os.path.relpath(os.path.join(dirpath, name), root)
            yield Finding(os.path.normpath(os.path.join(given, rel)), None, "note", "underscore-dir",
                          "extracted, though pybabel skips directories starting with '_'")


def rule_findings(rules) -> list[Finding]:
    """Warnings about the mapping itself, such as Jinja2 extensions that cannot be loaded."""
    jinja = extractors.BUILTIN_METHODS["jinja2"]
    with_extensions = [rule for rule in rules if _spec(rule.method) == jinja and rule.options.get("extensions")]
    if not with_extensions:
        return []  # Jinja2 is not imported
    from i18n_tool.extractors import jinja_templates

    return [
        Finding(rule.origin, rule.line, "warning", "missing-extension", problem)
        for rule in with_extensions for problem in jinja_templates.extension_problems(rule.options)
    ]


def method_findings(rules, jobs) -> tuple[list, list[Finding]]:
    """The jobs whose method is known, and a finding for each rule whose method is not: a
    warning while it matches no file (pybabel never loads it), an error once one matches."""
    from i18n_tool.config.mapping import unknown_method

    known, matched, findings = [], {}, []
    for job in jobs:
        if job.rule is not None and unknown_method(job.method):
            matched.setdefault(id(job.rule), []).append(job.display)
        else:
            known.append(job)
    for rule in rules:
        problem = unknown_method(rule.method) if rule.method != "ignore" else None
        if problem is None:
            continue
        message, hint = problem
        files = matched.get(id(rule))
        if files:
            more = f" and {len(files) - 1} more" if len(files) > 1 else ""
            findings.append(Finding(rule.origin, rule.line, "error", "unknown-method",
                                    f"{message} ({hint}); it matches {files[0]}{more}"))
        else:
            findings.append(Finding(rule.origin, rule.line, "warning", "unknown-method",
                                    f"{message} ({hint}); it matches no file, so it is not used"))
    return known, findings


def _spec(method):
    try:
        return extractors.method_spec(method)
    except LookupError:
        return None


def _match(rules, rel, path, display) -> FileJob | None:
    for rule in rules:
        if pathmatch(rule.pattern, rel):
            if rule.method == "ignore":
                return None
            return FileJob(path, display, rule.method, rule.options, rule)
    return None


def run(jobs, settings: Settings, cache=None, workers: int | None = None, progress=None):
    """Extract every job (from the cache where it can): (results in job order, cache hits).

    ``progress(done, total)`` is called after each file that had to be extracted.
    """
    results = [None] * len(jobs)
    misses = []
    for index, job in enumerate(jobs):
        cached = cache.get(job, settings) if cache else None
        if cached is None:
            misses.append(index)
        else:
            results[index] = cached
    extracted = ordered_map(extract_file, [jobs[i] for i in misses], workers, SERIAL_LIMIT, settings=settings)
    for done, (index, result) in enumerate(zip(misses, extracted), 1):
        results[index] = result
        if cache and not _has_fatal(result):
            cache.put(jobs[index], settings, result)
        if progress:
            progress(done, len(misses))
    return results, len(jobs) - len(misses)


def _has_fatal(result) -> bool:
    return any(f.code in FATAL_CODES for f in result.findings)


def extract_file(job: FileJob, settings: Settings) -> FileResult:
    """Messages and findings of one file; never raises for bad input."""
    try:
        with open(job.path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return _failed(job, "unreadable", f"cannot read: {exc.strerror}")
    scanner = SCANNERS.get(extractors.method_spec(job.method))
    if scanner is None:
        return _extract_with_babel(job, data, settings)
    encoding = job.options.get("encoding", "utf-8")
    try:
        source = data.decode(encoding)
    except UnicodeDecodeError as exc:
        return _not_utf8(job, data, exc, encoding)
    return scanner(job, data, source, settings)


def _failed(job, code, message, line=None, col=None):
    return FileResult(job.display, [], [Finding(job.display, line, "error", code, message, col)])


def _not_utf8(job, data, exc, encoding):
    line = data.count(b"\n", 0, exc.start) + 1
    col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
    byte = data[exc.start : exc.start + 1].hex()
    return _failed(job, "not-utf-8", f"not valid {encoding} (byte 0x{byte}); set the mapping "
                   "option `encoding` if the file uses another encoding", line, col)


def _through_babel(method, data, settings, keywords, options):
    from babel.messages.extract import extract as babel_extract  # not needed when all is cached

    return list(babel_extract(method, io.BytesIO(data), keywords, settings.comment_tags,
                              options, settings.strip_comment_tags))


def _extract_with_babel(job, data, settings):
    try:
        method = extractors.resolve(job.method)
    except ImportError as exc:
        return _failed(job, "extractor-missing", f"extraction method {job.method!r} cannot be imported: {exc}")
    try:
        messages = _through_babel(method, data, settings, settings.keywords, job.options)
    except Exception as exc:  # a third-party extractor's failure is this file's problem
        return _failed(job, "extractor-failed", f"extractor {job.method!r} failed: {exc}")
    return FileResult(job.display, messages, [])


def _scan_jinja(job, data, source, settings):
    from i18n_tool.extractors import jinja_templates

    if not jinja_templates.could_contain_messages(source, settings.keywords):
        return FileResult(job.display, [], [], scanned=False)
    scan = jinja_templates.scan(source, job.display, settings.keywords, settings.comment_tags, job.options)
    messages = _through_babel(lambda *args, **kw: scan.messages, b"", settings, settings.keywords, job.options)
    return FileResult(job.display, messages, scan.findings)


def _scan_python(job, data, source, settings):
    from i18n_tool.extractors import python_source

    keywords = python_source.keywords_for(settings.keywords, job.options)
    if not python_source.could_contain_messages(data, keywords):
        return FileResult(job.display, [], [], scanned=False)
    findings = python_source.lint(source, job.display, keywords)
    try:
        messages = _through_babel(python_source.extract, data, settings, keywords, job.options)
    except (SyntaxError, ValueError) as exc:  # tokenize gives up where Babel would crash
        messages = []
        if not any(f.code == "syntax-error" for f in findings):
            findings.append(Finding(job.display, None, "error", "syntax-error", str(exc)))
    return FileResult(job.display, messages, findings)


SCANNERS = {
    "i18n_tool.extractors.jinja_templates:extract": _scan_jinja,
    "i18n_tool.extractors.python_source:extract": _scan_python,
}


@dataclass
class Target:
    """One .pot to make: where from, with which rules, and how to write it."""

    sources: list  # of Source
    rules: tuple
    pot: str
    output: object  # config.Output
    ignore_dirs: tuple = ()


@dataclass
class Report:
    pot: str
    files: int = 0
    scanned: int = 0
    cached: int = 0
    messages: int = 0
    written: bool = False
    findings: list = field(default_factory=list)
    difference: object = None  # pot.Difference, with check=True

    @property
    def fatal(self) -> list:
        return [f for f in self.findings if f.code in FATAL_CODES and f.severity == "error"]

    @property
    def errors(self) -> list:
        return [f for f in self.findings if f.severity == "error"]


def extract_target(target: Target, settings: Settings, cache_dir=None, workers=None,
                   check=False, progress=None) -> Report:
    """Extract one target; write its .pot, or with ``check`` compare it with the one on disk.

    Nothing is written when a file could not be read or decoded.
    """
    from i18n_tool.extract_cache import ExtractCache

    jobs, notes = find_files(target.sources, target.rules, target.ignore_dirs)
    jobs, method_notes = method_findings(target.rules, jobs)
    notes = method_notes + rule_findings(target.rules) + notes
    cache = ExtractCache(cache_dir, target.pot) if cache_dir else None
    results, cached = run(jobs, settings, cache, workers, progress)
    report = Report(target.pot, files=len(jobs), cached=cached,
                    scanned=sum(r.scanned for r in results))
    report.findings = notes + sorted((f for r in results for f in r.findings), key=_finding_order)
    if report.fatal:
        return report
    if check:
        from i18n_tool.catalog import pot

        if not os.path.exists(target.pot):
            raise InputError("no template to check: run `i18n-tool extract` and commit it", path=target.pot)
        catalog = pot.build(results, target.output)
        report.messages = sum(1 for m in catalog if m.id)
        report.difference = pot.compare(pot.read(target.pot), catalog)
        return report
    digest = cache.run_digest(repr(target.output)) if cache else None
    if cache and _unchanged(cache.output, digest, target.pot):
        report.messages = cache.output[2]
    else:
        from i18n_tool.catalog import pot  # Babel's catalog: not imported when nothing changed

        catalog = pot.build(results, target.output)
        report.messages = sum(1 for m in catalog if m.id)
        with locked(os.path.dirname(os.path.abspath(target.pot))):
            report.written = pot.write(target.pot, catalog, target.output)
    if cache:
        cache.save((digest, _file_digest(target.pot), report.messages))
    return report


GROUP_ABOVE = 3  # more file-level findings of one kind than this are said once, with the count
GROUPED = {
    "unmapped-email-template": "{count} files look like email templates, but no mapping rule matches them "
                               "(their messages are not extracted): {paths}; add the mapping rule {rules}",
}


def group_findings(findings, verbose: bool = False) -> list:
    """Findings of one kind about many files said once: the count, the first paths and, where
    there is one, the fix. ``verbose`` keeps every finding."""
    if verbose:
        return list(findings)
    kinds = {}
    for finding in findings:
        if finding.path and finding.line is None:
            kinds.setdefault((finding.code, finding.severity, finding.message), []).append(finding)
    result = []
    for finding in findings:
        same = kinds.get((finding.code, finding.severity, finding.message), ())
        if len(same) <= GROUP_ABOVE:
            result.append(finding)
        elif finding is same[0]:
            result.append(_group(same))
    return result


def _group(findings) -> Finding:
    first = findings[0]
    paths = ", ".join(f.path for f in findings[:GROUP_ABOVE]) + ", …"
    template = GROUPED.get(first.code, "{count} files: {message}: {paths}")
    message = template.format(count=len(findings), message=first.message, paths=paths,
                              rules=" and ".join(_email_rules(f.path for f in findings)))
    return Finding(None, None, first.severity, first.code, message + " (--verbose lists them all)")


def _email_rules(paths) -> list:
    """Mapping rules that match the email folders' files: [jinja2: **/templates/email/**.txt]."""
    counts = {}
    for path in paths:
        parts = path.replace(os.sep, "/").split("/")
        folder = "/".join(parts[-4:-2]) + "/" if len(parts) >= 4 else ""
        rule = f"[jinja2: **/{folder}**.{parts[-1].rpartition('.')[2]}]"
        counts[rule] = counts.get(rule, 0) + 1
    return sorted(counts, key=lambda rule: -counts[rule])


def _finding_order(finding):
    return (finding.path or "", finding.line or 0, finding.code)


def _file_digest(path):
    import hashlib

    try:
        with open(path, "rb") as handle:
            return hashlib.blake2b(handle.read(), digest_size=16).hexdigest()
    except OSError:
        return None


def _unchanged(previous, digest, path) -> bool:
    return bool(previous) and previous[0] == digest and previous[1] == _file_digest(path)
