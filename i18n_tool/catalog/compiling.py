"""Compiling catalogs to .mo files: checked first, in worker processes, from the cache where
nothing changed. Apart from ``lifecycle`` so that a run answered from the cache stays light.
"""

from dataclasses import dataclass
from pathlib import Path

from i18n_tool.catalog.mo import write_mo
from i18n_tool.catalog.model import PoFile
from i18n_tool.errors import InputError
from i18n_tool.files import atomic_write


def compile_catalog(po: PoFile, target=None) -> Path:
    """Write the .mo (by default beside the catalog's .po; not when it holds these bytes already)."""
    return _compile_catalog(po, target)[0]


def _compile_catalog(po: PoFile, target=None) -> tuple[Path, bytes]:
    target = Path(target) if target else Path(po.path).with_suffix(".mo")
    data = write_mo(po)
    try:
        same = target.stat().st_size == len(data) and target.read_bytes() == data
    except OSError:
        same = False
    if not same:
        atomic_write(target, data)
    return target, data


@dataclass
class CompileResult:
    path: str
    mo: str | None  # None when not written
    findings: list


def _compile_one(path, force, use_fuzzy=False, outputs=None):
    """(result, hash of the .po compiled, hash of the .mo written); hashes None when not known."""
    from i18n_tool.catalog_cache import content_digest
    from i18n_tool.checks.runner import check_file

    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        data = None
    result = check_file(path, compiling=True, data=data)  # its own errors; coverage policy is check's
    if use_fuzzy and result.po is not None:
        _use_fuzzy(result)
    digest = content_digest(data) if data is not None else None
    if result.po is None or (result.errors and not force):
        return CompileResult(str(path), None, result.findings), digest, None
    try:
        target, mo = _compile_catalog(result.po, (outputs or {}).get(path))
    except InputError:  # what msgfmt refuses too (duplicates): reported by the checks, not written
        return CompileResult(str(path), None, result.findings), digest, None
    return CompileResult(str(path), str(target), result.findings), digest, content_digest(mo)


def _use_fuzzy(result) -> None:
    """Make fuzzy entries compiled ones (``msgfmt --use-fuzzy``), checked as such."""
    from i18n_tool.checks.runner import check_po

    for entry in result.po.entries:
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
    result.findings = check_po(result.po, result.locale, compiling=True)


def compile_files(paths, force=False, workers=None, cache=None, use_fuzzy=False, outputs=None) -> list:
    """Check and compile catalogs; one with errors is not written unless ``force``.

    With a ``CatalogCache``, a catalog unchanged since it was compiled, whose .mo is still
    the one written then, is neither checked nor compiled again. ``use_fuzzy`` compiles fuzzy
    entries too; ``outputs`` maps a path (as given) to its .mo (default: beside the .po); the
    cache is not used with either.
    """
    from i18n_tool.parallel import ordered_map

    paths = [str(p) for p in paths]
    outputs = {str(path): str(mo) for path, mo in (outputs or {}).items()} or None
    if use_fuzzy or outputs:
        cache = None
    results = [_cached_compile(cache, path) if cache else None for path in paths]
    misses = [index for index, result in enumerate(results) if result is None]
    if misses:
        import i18n_tool.checks.runner  # noqa: F401  (once here, not in every worker)
    stats = [cache.stat(paths[index]) if cache else None for index in misses]
    compiled = ordered_map(_compile_one, [paths[index] for index in misses], workers, serial_below=4, force=force,
                           use_fuzzy=use_fuzzy, outputs=outputs)
    for index, stat, (result, digest, mo_digest) in zip(misses, stats, compiled):
        results[index] = result
        if cache:
            mo = (cache.stat(result.mo), mo_digest) if result.mo else None
            cache.put(paths[index], stat, digest, result, mo)
    if cache:
        cache.save()
    return results


def _cached_compile(cache, path):
    from i18n_tool.catalog_cache import stat, unchanged

    hit = cache.get(path)
    if hit is None:
        return None
    result, mo = hit
    if not result.mo:
        return result
    if not (mo and unchanged(result.mo, *mo)):
        return None  # the .mo was removed or changed since
    if mo[0] is None and stat(result.mo) is not None:
        cache.set_extra(path, (stat(result.mo), mo[1]))  # settled: the next run need not read it
    return result
