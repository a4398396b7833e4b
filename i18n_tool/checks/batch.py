"""Checking many catalogs: in worker processes, and from the cache where they did not change.

Kept apart from the checks (``runner``), which are imported only when a catalog is checked:
a run answered from the cache loads none of them.
"""

from dataclasses import dataclass, field

from i18n_tool.parallel import ordered_map


@dataclass
class CatalogResult:
    path: str
    locale: str | None
    findings: list = field(default_factory=list)
    po: object = None  # the parsed PoFile; None when it could not be read

    @property
    def errors(self) -> list:
        return [f for f in self.findings if f.severity == "error"]


def _check_for_pool(path, settings):
    """(result, hash of the content checked; None when it could not be read)."""
    from i18n_tool.catalog_cache import content_digest
    from i18n_tool.checks.runner import check_file

    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return check_file(path, settings), None  # which reports it
    result = check_file(path, settings, data=data)
    result.po = None  # not worth sending back between processes
    return result, content_digest(data)


def check_files(paths, settings=None, workers=None, cache=None) -> list:
    """Check many catalogs on every core; results in the order of ``paths``.

    With a ``CatalogCache``, catalogs unchanged since it recorded them are not checked again.
    """
    paths = [str(p) for p in paths]
    results = [None] * len(paths)
    for index, path in enumerate(paths):
        hit = cache.get(path) if cache else None
        if hit:
            results[index] = hit[0]
    misses = [index for index, result in enumerate(results) if result is None]
    if misses:
        import i18n_tool.checks.runner  # noqa: F401  (once here, not in every worker)
    stats = [cache.stat(paths[index]) if cache else None for index in misses]
    checked = ordered_map(_check_for_pool, [paths[index] for index in misses], workers, serial_below=4,
                          settings=settings)
    for index, stat, (result, digest) in zip(misses, stats, checked):
        results[index] = result
        if cache:
            cache.put(paths[index], stat, digest, result)
    if cache:
        cache.save()
    return results
