"""Render benchmark: the companion app's pages in German against English, in-process and served.

    python benchmarks/render.py [--runs 5] [--seconds 10] [--concurrency 4] [--keep DIR] [--format text|json]

Builds, in a temp directory (or DIR), what the app needs:

    catalogs/   a copy of the project's catalogs with the pseudo-locales built and every
                catalog compiled (as tests/functional/companion/test_localized_pages.py does)
    companion.sqlite3   a fresh SQLite database, migrated and seeded

In-process: the WSGI app (companion.configure(settings).make_wsgi_app()) is called directly,
no server and no WebTest in between, for the home page and a project page, with the
``_LOCALE_`` cookie set to de, en_XA (every message translated) or none (English). Each round
interleaves the locales; the median time per request over all rounds (after a warm-up) is
compared with English's. Goal: de ≤ 1.05x en. The German catalog's translated messages are
counted and printed: an untranslated catalog only costs the lookups, not the substitution.

Served: the same app under waitress (4 threads, as `companion serve`) in a subprocess on a free
loopback port, loaded by a closed-loop client (keep-alive http.client connections, one thread
each) for --seconds per locale on the project page: requests per second, median and p95 latency.
The client is Python in this process; it needs far less time per request than the server.

Prints a summary and a Markdown table for the README.
"""

import argparse
import http.client
import io
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import version  # noqa: E402

LOCALES = {"en": None, "de": "de", "en_XA": "en_XA"}  # name: _LOCALE_ cookie (None: no cookie, English)
GOAL = 1.05  # de at most this times en, per request
ITERATIONS = 200  # requests per page and locale in each round
WARMUP = 30  # untimed requests per page and locale before the first round
SECRET = "render-benchmark-secret-not-for-production"
KEEP_HELP = "build the catalogs and the database in DIR and keep them (rebuilt every run)"


def parse_args(argv: list) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="in-process rounds (default 5)")
    parser.add_argument("--seconds", type=float, default=10.0,
                        help="load duration per locale against the server (default 10; 0 skips it)")
    parser.add_argument("--concurrency", type=int, default=4, help="client connections (default 4)")
    parser.add_argument("--iterations", type=int, default=ITERATIONS,
                        help=f"requests per page and locale in a round (default {ITERATIONS})")
    parser.add_argument("--keep", type=Path, metavar="DIR", help=KEEP_HELP)
    parser.add_argument("--format", choices=["text", "json"], default="text")
    args = parser.parse_args(argv)
    if args.runs < 1 or args.iterations < 1 or args.concurrency < 1 or args.seconds < 0:
        parser.error("--runs, --iterations and --concurrency must be at least 1, --seconds at least 0")
    return args


# --- setup ---------------------------------------------------------------------------------

def translated(catalogs: Path, locale: str) -> tuple[int, int]:
    """(translated, total) active messages of a locale's catalog; fuzzy ones count as untranslated."""
    from i18n_tool.catalog import po

    entries = po.parse_file(catalogs / locale / "LC_MESSAGES" / "messages.po").active
    done = sum(1 for e in entries if "fuzzy" not in e.flags and all(e.forms))
    return done, len(entries)


def pages() -> dict:
    from companion.seed import PROJECTS

    return {"home": "/", "project": f"/project/{PROJECTS[0].name}/"}


# --- in-process ----------------------------------------------------------------------------

def environ(path: str, cookie: str | None) -> dict:
    env = {
        "REQUEST_METHOD": "GET", "SCRIPT_NAME": "", "PATH_INFO": path, "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1", "wsgi.version": (1, 0), "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr, "wsgi.multithread": False,
        "wsgi.multiprocess": False, "wsgi.run_once": False,
    }
    if cookie:
        env["HTTP_COOKIE"] = f"_LOCALE_={cookie}"
    return env


def call(app, path: str, cookie: str | None) -> tuple[str, bytes]:
    status = []

    def start_response(s, headers, exc_info=None):
        status.append(s)

    body_iter = app(environ(path, cookie), start_response)
    try:
        body = b"".join(body_iter)
    finally:
        if hasattr(body_iter, "close"):
            body_iter.close()
    return status[0], body


def check(app, pages_: dict) -> None:
    """Every page answers 200 in every locale, with the locale's lang attribute."""
    for path in pages_.values():
        for name, cookie in LOCALES.items():
            status, body = call(app, path, cookie)
            lang = (cookie or "en").replace("_", "-")
            if not status.startswith("200") or f'lang="{lang}"'.encode() not in body:
                raise SystemExit(f'error: GET {path} with _LOCALE_={cookie}: {status}, expected 200 and lang="{lang}"')


def measure_in_process(app, pages_: dict, runs: int, iterations: int) -> dict:
    """{page: {locale: [seconds per request, ...]}}, locales interleaved request by request."""
    for path in pages_.values():
        for _ in range(WARMUP):
            for cookie in LOCALES.values():
                call(app, path, cookie)
    samples = {page: {name: [] for name in LOCALES} for page in pages_}
    clock = time.perf_counter
    for n in range(1, runs + 1):
        for page, path in pages_.items():
            for _ in range(iterations):
                for name, cookie in LOCALES.items():
                    start = clock()
                    call(app, path, cookie)
                    samples[page][name].append(clock() - start)
        line = "  ".join(f"{page} en {statistics.median(samples[page]['en'][-iterations:]) * 1e3:.2f} ms "
                         f"de {statistics.median(samples[page]['de'][-iterations:]) * 1e3:.2f} ms"
                         for page in pages_)
        print(f"round {n}/{runs}: {line}", file=sys.stderr)
    return samples


# --- served --------------------------------------------------------------------------------

SERVER = """
import sys, waitress, companion
settings = {"database.url": sys.argv[1], "sessions.secret": sys.argv[2], "i18n_tool.catalogs": sys.argv[3]}
app = companion.main({}, **settings)
waitress.serve(app, host="127.0.0.1", port=int(sys.argv[4]), threads=4, ident="companion", _quiet=True)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(url: str, catalogs: Path, log: Path) -> tuple[subprocess.Popen, int]:
    port = free_port()
    with open(log, "wb") as stderr:
        process = subprocess.Popen([sys.executable, "-c", SERVER, url, SECRET, str(catalogs), str(port)],
                                   cwd=ROOT, stdout=subprocess.DEVNULL, stderr=stderr)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"error: the server exited {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process, port
        except OSError:
            time.sleep(0.05)
    process.terminate()
    raise SystemExit("error: the server did not listen within 30 s")


def load(port: int, path: str, cookie: str | None, seconds: float, concurrency: int) -> dict:
    """Closed loop: each of `concurrency` threads sends the next request when the last answered."""
    headers = {"Cookie": f"_LOCALE_={cookie}"} if cookie else {}
    latencies = [[] for _ in range(concurrency)]
    errors = [0] * concurrency
    stop = threading.Event()
    ready = threading.Barrier(concurrency + 1)

    def worker(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(5):  # warm-up, untimed
            conn.request("GET", path, headers=headers)
            conn.getresponse().read()
        ready.wait()
        clock = time.perf_counter
        while not stop.is_set():
            start = clock()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            if ok:
                latencies[i].append(clock() - start)
            else:
                errors[i] += 1
        conn.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    ready.wait()
    start = time.perf_counter()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    every = sorted(x for per in latencies for x in per)
    return {
        "requests": len(every),
        "errors": sum(errors),
        "seconds": round(elapsed, 2),
        "requests_per_second": round(len(every) / elapsed, 1),
        "median_ms": round(statistics.median(every) * 1e3, 2) if every else None,
        "p95_ms": round(every[min(len(every) - 1, int(0.95 * len(every)))] * 1e3, 2) if every else None,
    }


def measure_served(url: str, catalogs: Path, path: str, seconds: float, concurrency: int, log: Path) -> dict:
    process, port = start_server(url, catalogs, log)
    try:
        result = {}
        for name in ("en", "de"):
            print(f"load: {path} in {name}, {concurrency} connections, {seconds:g} s", file=sys.stderr)
            result[name] = load(port, path, LOCALES[name], seconds, concurrency)
        return result
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# --- report --------------------------------------------------------------------------------

def report(samples: dict, served: dict | None, pages_: dict, counts: dict, args) -> dict:
    result = {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "pyramid": version("pyramid"),
            "jinja2": version("jinja2"),
            "waitress": version("waitress"),
            "i18n-tool": version("i18n-tool"),
        },
        "catalogs": {locale: {"translated": done, "messages": total} for locale, (done, total) in counts.items()},
        "runs": args.runs,
        "iterations_per_round": args.iterations,
        "in_process": {},
        "served": None,
    }
    for page, path in pages_.items():
        base = statistics.median(samples[page]["en"])
        entry = {"path": path, "locales": {}}
        for name, values in samples[page].items():
            median = statistics.median(values)
            entry["locales"][name] = {"median_ms": round(median * 1e3, 3), "ratio_to_en": round(median / base, 3)}
        entry["goal_ratio"] = GOAL
        entry["goal_met"] = entry["locales"]["de"]["ratio_to_en"] <= GOAL
        result["in_process"][page] = entry
    if served is not None:
        result["served"] = {"path": pages_["project"], "server": "waitress, 4 threads", "concurrency": args.concurrency,
                            "locales": served}
    return result


def markdown(result: dict) -> str:
    m, de = result["machine"], result["catalogs"]["de"]
    lines = [
        f"In-process median per request over {result['runs']} × {result['iterations_per_round']} requests "
        f"per page and locale; {m['cpus']} CPUs, Python {m['python']}, Pyramid {m['pyramid']}, "
        f"Jinja2 {m['jinja2']}. German catalog: {de['translated']} of {de['messages']} messages translated.",
        "",
        "| Page | en | de | de / en | Goal | en_XA (all translated) | en_XA / en |",
        "|---|---:|---:|---:|---|---:|---:|",
    ]
    for page, entry in result["in_process"].items():
        loc = entry["locales"]
        goal = f"≤ {entry['goal_ratio']}x ({'met' if entry['goal_met'] else 'missed'})"
        lines.append(f"| {page} (`{entry['path']}`) | {loc['en']['median_ms']:.2f} ms | {loc['de']['median_ms']:.2f} ms | "
                     f"{loc['de']['ratio_to_en']:.3f}x | {goal} | {loc['en_XA']['median_ms']:.2f} ms | "
                     f"{loc['en_XA']['ratio_to_en']:.3f}x |")
    served = result["served"]
    if served:
        lines += [
            "",
            f"Served: `{served['path']}`, {served['server']}, {served['concurrency']} keep-alive connections "
            f"(closed loop, Python client).",
            "",
            "| Locale | Requests/s | Median latency | p95 latency | Requests | Errors |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for name, s in served["locales"].items():
            lines.append(f"| {name} | {s['requests_per_second']:.0f} | {s['median_ms']:.1f} ms | {s['p95_ms']:.1f} ms | "
                         f"{s['requests']} in {s['seconds']:.0f} s | {s['errors']} |")
    return "\n".join(lines)


def print_text(result: dict) -> None:
    m = result["machine"]
    print(f"machine: {m['cpus']} CPUs, {m['platform']}, Python {m['python']}, Pyramid {m['pyramid']}, "
          f"Jinja2 {m['jinja2']}, waitress {m['waitress']}, i18n-tool {m['i18n-tool']}")
    cats = result["catalogs"]
    print("catalogs: " + ", ".join(f"{loc} {c['translated']}/{c['messages']} translated" for loc, c in cats.items()))
    if cats["de"]["translated"] < cats["de"]["messages"]:
        print(f"note: the German catalog has {cats['de']['messages'] - cats['de']['translated']} untranslated "
              f"messages; those render the English msgid after a lookup, so de measures the lookup more than "
              f"the substitution (en_XA, fully translated, measures both)")
    print()
    for page, entry in result["in_process"].items():
        loc = entry["locales"]
        print(f"{page:8} {entry['path']:24} en {loc['en']['median_ms']:7.3f} ms  de {loc['de']['median_ms']:7.3f} ms "
              f"({loc['de']['ratio_to_en']:.3f}x, goal <= {entry['goal_ratio']}x: "
              f"{'met' if entry['goal_met'] else 'MISSED'})  en_XA {loc['en_XA']['median_ms']:7.3f} ms "
              f"({loc['en_XA']['ratio_to_en']:.3f}x)")
    if result["served"]:
        s = result["served"]
        for name, r in s["locales"].items():
            print(f"served {s['path']} {name}: {r['requests_per_second']:.0f} req/s, median {r['median_ms']:.1f} ms, "
                  f"p95 {r['p95_ms']:.1f} ms, {r['requests']} requests, {r['errors']} errors, "
                  f"concurrency {s['concurrency']}")
    print()
    print(markdown(result))


def main(argv: list) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="i18n-tool-render-") as tmp:
        root = args.keep.resolve() if args.keep else Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        print(f"building catalogs and database in {root}", file=sys.stderr)
        from companion.sandbox import build_catalogs, build_database, settings

        catalogs = build_catalogs(root)
        url = build_database(root)
        counts = {locale: translated(catalogs, locale) for locale in ("de", "en_XA")}

        import companion
        from companion.db import ENGINE

        pages_ = pages()
        router = companion.configure(settings(url, catalogs, root / "mail", SECRET)).make_wsgi_app()
        try:
            check(router, pages_)
            samples = measure_in_process(router, pages_, args.runs, args.iterations)
        finally:
            router.registry[ENGINE].dispose()
        served = None
        if args.seconds > 0:
            served = measure_served(url, catalogs, pages_["project"], args.seconds, args.concurrency,
                                    root / "server.log")
        result = report(samples, served, pages_, counts, args)
    if args.format == "json":
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print_text(result)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
