"""Events benchmark: what recording a security event adds to an action, and how fast the chain verifies.

    python benchmarks/events.py [--runs 3] [--writers 20] [--transactions 100] [--events 1000000]
                                [--only latency|verify] [--profile] [--format text|json]

On PostgreSQL (127.0.0.1:5432, user postgres, as the tests; --admin-dsn to change it), in a
database it creates, migrates and drops. Without a server it says so in one line and exits 0.

Latency: --writers threads (20), each with its own SQLAlchemy session per transaction from one
engine (pool_pre_ping, as the app's), each logged in as a user of its own, run --transactions
transactions of a representative action, a preferred-language change (SELECT the user, UPDATE
its row, COMMIT), either with the event as the app records ``account:locale:change`` — inserted
by ``record_event`` in the same transaction, then chained right after the commit by one
``chainer.Chainer`` shared by the writers, as the app's after-commit hook does (a round in the
writer's thread unless one is already running in the process, whose further rounds run in a
thread of their own): its time in the writer's thread counts, and its work elsewhere competes
for the same CPUs — or without. In each of --runs rounds every writer does both, the
modes one after the other (which goes first alternates by round), all writers at once. Added
latency = median(with) - median(without) over all rounds' transactions. Goal: <= 2 ms.

Verify: --events (1,000,000) valid chained events are generated in Python (chain.canonical and
chain.link, the chainer's own format, positions 1..N, in a realistic mix of tags, subjects,
addresses and user agents) and bulk-loaded with COPY, the table vacuumed and analysed; then
``chainer.verified(engine)``, what ``companion events verify`` calls (chain what is unchained,
then walk by position), is timed --runs times (median). It must count every event and find no
break. Goal: >= 100,000 events/s. --profile prints cProfile's top functions
of one more verify run.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import statistics
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import version  # noqa: E402

ADMIN_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=3"
LATENCY_GOAL_MS = 2.0
VERIFY_GOAL = 100_000  # events per second
WARMUP = 5  # untimed transactions per writer and mode before the first round
LOCALES = ("fr", "de")
COLUMNS = ("id", "time", "subject_kind", "subject_id", "actor", "tag", "ip", "user_agent", "additional", "position",
           "hash")


def parse_args(argv: list) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="rounds to take the median of (default 3)")
    parser.add_argument("--writers", type=int, default=20, help="concurrent writers (default 20)")
    parser.add_argument("--transactions", type=int, default=100,
                        help="transactions per writer, mode and round (default 100)")
    parser.add_argument("--events", type=int, default=1_000_000, help="events to verify (default 1,000,000)")
    parser.add_argument("--only", choices=["latency", "verify"], help="run one of the two parts")
    parser.add_argument("--profile", action="store_true", help="print cProfile's top functions of one verify run")
    parser.add_argument("--admin-dsn", default=ADMIN_DSN, help="libpq DSN of the server's maintenance database")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    args = parser.parse_args(argv)
    if min(args.runs, args.writers, args.transactions, args.events) < 1:
        parser.error("--runs, --writers, --transactions and --events must be at least 1")
    return args


# --- the database ----------------------------------------------------------------------------

def server_available(admin_dsn: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(admin_dsn):
            return True
    except psycopg.Error:
        return False


def sqlalchemy_url(admin_dsn: str, name: str) -> str:
    from psycopg.conninfo import conninfo_to_dict

    info = conninfo_to_dict(admin_dsn)
    user = info.get("user", "postgres")
    return f"postgresql+psycopg://{user}@{info.get('host', '127.0.0.1')}:{info.get('port', 5432)}/{name}"


class Database:
    """A new database on the server, migrated; dropped on exit."""

    def __init__(self, admin_dsn: str):
        self.admin_dsn = admin_dsn
        self.name = f"companion_bench_{uuid.uuid4().hex[:12]}"
        self.url = sqlalchemy_url(admin_dsn, self.name)

    def dsn(self) -> str:
        from psycopg.conninfo import make_conninfo

        return make_conninfo(self.admin_dsn, dbname=self.name)

    def __enter__(self) -> Database:
        import psycopg
        from psycopg import sql

        from companion import migrations

        with psycopg.connect(self.admin_dsn, autocommit=True) as admin:
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(self.name)))
        migrations.upgrade(self.url)
        return self

    def __exit__(self, *exc) -> None:
        import psycopg
        from psycopg import sql

        with psycopg.connect(self.admin_dsn, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name)))


def server_settings(dsn: str) -> dict:
    import psycopg

    with psycopg.connect(dsn) as conn:
        names = ("server_version", "synchronous_commit", "fsync", "shared_buffers")
        return {name: conn.execute(f"SHOW {name}").fetchone()[0] for name in names}


# --- latency: an action with and without its event -------------------------------------------

def make_users(factory, count: int) -> list[int]:
    from companion.models import User

    with factory() as session, session.begin():
        users = [User(username=f"writer{index:03}", email=f"writer{index:03}@example.com", password_hash=None)
                 for index in range(count)]
        session.add_all(users)
        session.flush()
        return [user.id for user in users]


def action(factory, user_id: int, index: int, record, events_chainer) -> float:
    """One preferred-language change, as the settings view does it: its seconds, from the begin to
    the commit, and with the event to the end of its chaining after the commit."""
    from companion.events import Origin, record_event
    from companion.models import User

    start = time.perf_counter()
    with factory() as session, session.begin():
        user = session.get(User, user_id)
        new = LOCALES[index % 2]
        if record:
            record_event(session, "account:locale:change", user,
                         Origin(f"user:{user_id}", "203.0.113.7", "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"),
                         {"old": user.preferred_locale or "", "new": new})
        user.preferred_locale = new
    if record:
        events_chainer.after_commit()
    return time.perf_counter() - start


def writers_round(factory, users: list[int], transactions: int, record: bool, offset: int,
                  events_chainer) -> tuple[list, float]:
    """All writers at once, ``transactions`` each: (every latency, wall seconds)."""
    latencies: list[list[float]] = [[] for _ in users]
    errors: list[BaseException] = []
    ready = threading.Barrier(len(users) + 1)

    def writer(slot: int, user_id: int) -> None:
        ready.wait()
        try:
            for index in range(transactions):
                latencies[slot].append(action(factory, user_id, offset + index, record, events_chainer))
        except BaseException as exc:  # reported after the join
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(slot, user_id)) for slot, user_id in enumerate(users)]
    for thread in threads:
        thread.start()
    ready.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - start
    if errors:
        raise errors[0]
    return [x for per in latencies for x in per], wall


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure_latency(database: Database, args) -> dict:
    import sqlalchemy as sa

    from companion.db import create_engine, session_factory
    from companion.events import chain, chainer
    from companion.events.models import Event

    # One more connection than writers, for the chainer's thread.
    engine = create_engine(database.url, pool_pre_ping=True, pool_size=args.writers + 1, max_overflow=0)
    events_chainer = chainer.Chainer(engine)
    try:
        factory = session_factory(engine)
        users = make_users(factory, args.writers)
        samples = {"without": [], "with": []}
        rounds = []
        offset = 0
        for mode in ("without", "with"):  # warm-up: connections open, statements cached
            writers_round(factory, users, WARMUP, mode == "with", offset, events_chainer)
            offset += WARMUP
        for number in range(args.runs):
            order = ("without", "with") if number % 2 == 0 else ("with", "without")
            this = {}
            for mode in order:
                print(f"latency: round {number + 1}/{args.runs}, {mode} the event, {args.writers} writers x "
                      f"{args.transactions}", file=sys.stderr)
                values, wall = writers_round(factory, users, args.transactions, mode == "with", offset,
                                             events_chainer)
                offset += args.transactions
                samples[mode] += values
                this[mode] = {"median_ms": statistics.median(values) * 1e3,
                              "transactions_per_second": len(values) / wall}
            this["added_ms"] = this["with"]["median_ms"] - this["without"]["median_ms"]
            rounds.append(this)
        events_chainer.settled()
        with factory() as session:
            recorded = session.scalar(sa.select(sa.func.count()).select_from(Event))
            checked, broken, pending = chain.verify(session)  # as the writers left it: no chainer run
    finally:
        engine.dispose()
    expected = args.writers * (WARMUP + args.runs * args.transactions)
    result = {"writers": args.writers, "transactions_per_writer_mode_round": args.transactions, "runs": args.runs,
              "events_recorded": recorded, "events_expected": expected,
              "events_unchained": pending,
              "chain_verified": broken is None and pending == 0 and checked == recorded == expected,
              "rounds": [{"without_ms": round(r["without"]["median_ms"], 3),
                          "with_ms": round(r["with"]["median_ms"], 3),
                          "added_ms": round(r["added_ms"], 3),
                          "without_tps": round(r["without"]["transactions_per_second"], 1),
                          "with_tps": round(r["with"]["transactions_per_second"], 1)} for r in rounds]}
    for mode, values in samples.items():
        result[mode] = {"median_ms": round(statistics.median(values) * 1e3, 3),
                        "p95_ms": round(percentile(values, 0.95) * 1e3, 3), "transactions": len(values)}
    added = result["with"]["median_ms"] - result["without"]["median_ms"]
    result["added_median_ms"] = round(added, 3)
    result["added_p95_ms"] = round(result["with"]["p95_ms"] - result["without"]["p95_ms"], 3)
    result["goal_ms"] = LATENCY_GOAL_MS
    result["goal_met"] = added <= LATENCY_GOAL_MS
    return result


# --- verify: a million chained events ----------------------------------------------------------

TAG_MIX = (  # (tag, subject kind, additional maker, actor kind), in rough proportion to real traffic
    ("account:login:success", "user", lambda i: {}, "user"),
    ("account:login:success", "user", lambda i: {}, "user"),
    ("account:login:success", "user", lambda i: {}, "user"),
    ("account:login:failure", "user", lambda i: {"reason": "bad_password", "username": f"user{i % 5000}"}, "anonymous"),
    ("account:logout", "user", lambda i: {}, "user"),
    ("account:locale:change", "user", lambda i: {"old": "en", "new": ("de", "fr", "ja", "ar")[i % 4]}, "user"),
    ("account:email:sent", "user",
     lambda i: {"template": "verify-email", "recipient": f"user{i % 5000}@example.com"}, "user"),
    ("project:role:add", "project", lambda i: {"username": f"user{i % 5000}", "role": "Maintainer"}, "user"),
)
USER_AGENTS = (
    "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Safari/605.1.15",
    "twine/6.1.0 CPython/3.12.7",
    None,
)


def generate(count: int):
    """``count`` rows of a valid chain from GENESIS, ids 1..count, as COPY takes them."""
    from companion.events import chain

    previous = chain.GENESIS
    origin = datetime(2026, 1, 1, tzinfo=UTC)
    canonical, link = chain.canonical, chain.link
    for index in range(count):
        tag, kind, additional_of, actor_kind = TAG_MIX[index % len(TAG_MIX)]
        subject_id = 1 + (index * 7919) % 5000 if kind == "user" else 1 + index % 300
        actor = "anonymous" if actor_kind == "anonymous" else f"user:{1 + (index * 31) % 5000}"
        ip = None if index % 50 == 0 else f"198.51.{(index >> 8) % 256}.{index % 256}"
        user_agent = USER_AGENTS[index % len(USER_AGENTS)]
        additional = additional_of(index)
        stamp = origin + timedelta(microseconds=index * 25_013)
        digest = link(previous, canonical(stamp, kind, subject_id, actor, tag, ip, user_agent, additional))
        yield (index + 1, stamp, kind, subject_id, actor, tag, ip, user_agent,
               json.dumps(additional, separators=(",", ":")), index + 1, digest)
        previous = digest


def load_events(database: Database, count: int) -> dict:
    """Empty the table, COPY ``count`` generated events into it, vacuum and analyse: seconds per step."""
    import psycopg

    timings = {}
    with psycopg.connect(database.dsn()) as conn:
        conn.execute("TRUNCATE events RESTART IDENTITY")
        # The secondary indexes are dropped for the load and built again after it: the same table, sooner.
        indexes = conn.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'events' "
                               "AND indexname <> 'pk_events'").fetchall()
        for name, _definition in indexes:
            conn.execute(f'DROP INDEX "{name}"')
        start = time.perf_counter()
        with conn.cursor() as cursor, cursor.copy(f"COPY events ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in generate(count):
                copy.write_row(row)
        timings["generate_and_copy_s"] = round(time.perf_counter() - start, 2)
        start = time.perf_counter()
        for _name, definition in indexes:
            conn.execute(definition)
        conn.execute("SELECT setval(pg_get_serial_sequence('events', 'id'), (SELECT max(id) FROM events))")
        conn.commit()
        timings["indexes_s"] = round(time.perf_counter() - start, 2)
    with psycopg.connect(database.dsn(), autocommit=True) as conn:
        start = time.perf_counter()
        conn.execute("VACUUM (ANALYZE) events")  # hint bits set, as on a table that has been read before
        timings["vacuum_s"] = round(time.perf_counter() - start, 2)
    return timings


def time_verify(url: str, profile: bool = False) -> tuple[float, float, int, object, str | None]:
    """One ``chainer.verified`` on a new engine: (seconds, CPU seconds of this process, events
    checked, break, profile text)."""
    from companion.db import create_engine
    from companion.events import chainer

    engine = create_engine(url)
    try:
        with engine.connect():
            pass  # the pool holds a connection before the clock starts
        profiler = cProfile.Profile() if profile else None
        start, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        checked, broken, _pending = chainer.verified(engine)
        if profiler:
            profiler.disable()
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    finally:
        engine.dispose()
    text = None
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
        text = out.getvalue()
    return seconds, cpu, checked, broken, text


def measure_verify(database: Database, args) -> dict:
    print(f"verify: generating and loading {args.events:,} events", file=sys.stderr)
    timings = load_events(database, args.events)
    times, cpus, results = [], [], set()
    for number in range(args.runs):
        print(f"verify: run {number + 1}/{args.runs}", file=sys.stderr)
        seconds, cpu, checked, broken, _ = time_verify(database.url)
        times.append(seconds)
        cpus.append(cpu)
        results.add((checked, str(broken) if broken else None))
    median = statistics.median(times)
    rate = args.events / median
    result = {"events": args.events, **timings, "runs": args.runs, "seconds": [round(t, 3) for t in times],
              "median_s": round(median, 3), "events_per_second": round(rate),
              "cpu_seconds": [round(t, 3) for t in cpus], "median_cpu_s": round(statistics.median(cpus), 3),
              "verified": results == {(args.events, None)}, "checked": sorted(results)[0][0],
              "break": sorted(results)[0][1], "goal_events_per_second": VERIFY_GOAL, "goal_met": rate >= VERIFY_GOAL}
    if args.profile:
        print("verify: one more run under cProfile", file=sys.stderr)
        result["profile"] = time_verify(database.url, profile=True)[4]
    return result


# --- report -----------------------------------------------------------------------------------

def markdown(result: dict) -> str:
    m = result["machine"]
    lines = [f"{m['cpus']} CPUs, Python {m['python']}, PostgreSQL {m['postgresql']['server_version']} "
             f"(synchronous_commit {m['postgresql']['synchronous_commit']}), SQLAlchemy {m['sqlalchemy']}, "
             f"psycopg {m['psycopg']}.", "",
             "| Measure | Figure | Goal |", "|---|---:|---|"]
    lat = result.get("latency")
    if lat:
        lines += [
            f"| action without event, median (p95), {lat['writers']} writers | {lat['without']['median_ms']:.2f} ms "
            f"({lat['without']['p95_ms']:.2f} ms) | |",
            f"| action with event, median (p95) | {lat['with']['median_ms']:.2f} ms "
            f"({lat['with']['p95_ms']:.2f} ms) | |",
            f"| added by recording the event, median | {lat['added_median_ms']:.2f} ms | ≤ {lat['goal_ms']:g} ms "
            f"({'met' if lat['goal_met'] else 'missed'}) |",
        ]
    ver = result.get("verify")
    if ver:
        lines.append(f"| `companion events verify`, {ver['events']:,} events | {ver['median_s']:.2f} s, "
                     f"{ver['events_per_second']:,} events/s | ≥ {ver['goal_events_per_second']:,}/s "
                     f"({'met' if ver['goal_met'] else 'missed'}) |")
    return "\n".join(lines)


def print_text(result: dict) -> None:
    m = result["machine"]
    pg = m["postgresql"]
    print(f"machine: {m['cpus']} CPUs, {m['platform']}, Python {m['python']}, PostgreSQL {pg['server_version']} "
          f"(synchronous_commit {pg['synchronous_commit']}, fsync {pg['fsync']}, shared_buffers "
          f"{pg['shared_buffers']}), SQLAlchemy {m['sqlalchemy']}, psycopg {m['psycopg']}")
    lat = result.get("latency")
    if lat:
        print()
        print(f"latency: {lat['writers']} writers x {lat['transactions_per_writer_mode_round']} transactions per "
              f"mode, {lat['runs']} rounds (SELECT user, UPDATE user, COMMIT; with: + record_event, "
              f"and chaining after the commit)")
        for number, r in enumerate(lat["rounds"], 1):
            print(f"  round {number}: without {r['without_ms']:7.2f} ms ({r['without_tps']:6.0f} tx/s)  "
                  f"with {r['with_ms']:7.2f} ms ({r['with_tps']:6.0f} tx/s)  added {r['added_ms']:7.2f} ms")
        print(f"  without the event: median {lat['without']['median_ms']:.2f} ms, "
              f"p95 {lat['without']['p95_ms']:.2f} ms "
              f"({lat['without']['transactions']} transactions)")
        print(f"  with the event:    median {lat['with']['median_ms']:.2f} ms, p95 {lat['with']['p95_ms']:.2f} ms "
              f"({lat['with']['transactions']} transactions)")
        print(f"  added: median {lat['added_median_ms']:.2f} ms (goal <= {lat['goal_ms']:g} ms: "
              f"{'met' if lat['goal_met'] else 'MISSED'}), p95 {lat['added_p95_ms']:.2f} ms")
        print(f"  events recorded {lat['events_recorded']} of {lat['events_expected']}, "
              f"{lat['events_unchained']} left unchained, chain {'verified' if lat['chain_verified'] else 'BROKEN'}")
    ver = result.get("verify")
    if ver:
        print()
        print(f"verify: {ver['events']:,} events generated and copied in {ver['generate_and_copy_s']:.1f} s, "
              f"indexed in {ver['indexes_s']:.1f} s, vacuumed in {ver['vacuum_s']:.1f} s")
        print(f"  chain.verify: {', '.join(f'{t:.2f}' for t in ver['seconds'])} s; median {ver['median_s']:.2f} s, "
              f"{ver['events_per_second']:,} events/s (goal >= {ver['goal_events_per_second']:,}/s: "
              f"{'met' if ver['goal_met'] else 'MISSED'}); "
              + f"this process's CPU {ver['median_cpu_s']:.2f} s (median); "
              + (f"all {ver['checked']:,} events checked, no break" if ver["verified"]
                 else f"NOT VERIFIED: checked {ver['checked']}, {ver['break']}"))
        if ver.get("profile"):
            print()
            print(ver["profile"])
    print()
    print(markdown(result))


def main(argv: list) -> int:
    args = parse_args(argv)
    if not server_available(args.admin_dsn):
        print(f"events benchmark skipped: no PostgreSQL server at {args.admin_dsn!r}")
        return 0
    with Database(args.admin_dsn) as database:
        result = {"machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                              "python": platform.python_version(), "postgresql": server_settings(database.dsn()),
                              "sqlalchemy": version("sqlalchemy"), "psycopg": version("psycopg")}}
        if args.only in (None, "latency"):
            result["latency"] = measure_latency(database, args)
        if args.only in (None, "verify"):
            result["verify"] = measure_verify(database, args)
    if args.format == "json":
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print_text(result)
    ok = all(part["chain_verified" if name == "latency" else "verified"]
             for name, part in result.items() if name in ("latency", "verify"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
