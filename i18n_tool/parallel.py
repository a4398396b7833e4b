"""Running a function over many inputs on every core, results in input order."""

import os
from functools import partial


def ordered_map(function, items, workers: int | None = None, serial_below: int = 2, **kwargs):
    """Yield ``function(item, **kwargs)`` for each item, in order, in worker processes.

    Small inputs (fewer than ``serial_below`` items) or one worker run in this process.
    """
    items = list(items)
    call = partial(function, **kwargs) if kwargs else function
    workers = min(workers or os.cpu_count() or 1, len(items))
    if workers <= 1 or len(items) < serial_below:
        yield from map(call, items)
        return
    from concurrent.futures import ProcessPoolExecutor  # slow to import: only when there is a pool
    from multiprocessing import get_all_start_methods, get_context

    context = get_context("fork") if "fork" in get_all_start_methods() else None
    chunk = max(1, len(items) // (workers * 8))
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(call, items, chunksize=chunk)
