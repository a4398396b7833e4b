"""Upload benchmark: what an API token costs per request, against a password (argon2) per request.

    python benchmarks/upload.py [--runs 3] [--verifications 2000] [--uploads 60] [--format text|json]

Verification: the median time of ``companion.tokens.services.verify`` (deserialize the macaroon,
find its row, check the HMAC chain and every caveat) over --verifications calls, against the
median of ``companion.accounts.passwords.verify_password`` (argon2id, the parameters the app
hashes with) over a tenth as many, on a seeded SQLite database.

Uploads: the companion served by waitress on loopback (SQLite, files in a temporary directory);
--uploads wheels (each a new version of one project) POSTed one after another as twine does,
authenticated with the token, then as many with the password (``upload.password_login`` on);
uploads per second for each, in --runs rounds (median). The ratio is token ÷ password.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args(argv: list) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--verifications", type=int, default=2000)
    parser.add_argument("--uploads", type=int, default=60)
    parser.add_argument("--format", choices=["text", "json"], default="text")
    args = parser.parse_args(argv)
    if min(args.runs, args.verifications, args.uploads) < 1:
        parser.error("--runs, --verifications and --uploads must be at least 1")
    return args


def seeded(directory: Path) -> str:
    from companion import migrations
    from companion.seed import seed_database

    url = f"sqlite:///{directory / 'companion.sqlite3'}"
    migrations.upgrade(url)
    seed_database(url)
    return url


def make_token(url: str, username: str = "alice") -> str:
    import sqlalchemy as sa
    from sqlalchemy.orm import Session

    from companion.db import create_engine
    from companion.models import User
    from companion.tokens import services

    engine = create_engine(url)
    try:
        with Session(engine) as session, session.begin():
            user = session.scalars(sa.select(User).where(User.username == username)).one()
            raw, _token = services.create(session, user, f"Benchmark {time.time_ns()}")
            return raw
    finally:
        engine.dispose()


def median_us(call, times: int) -> float:
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1e6)
    return statistics.median(samples)


def verification(url: str, raw: str, times: int) -> dict:
    import sqlalchemy as sa
    from sqlalchemy.orm import Session

    from companion.accounts.passwords import verify_password
    from companion.db import create_engine
    from companion.models import User
    from companion.seed import DEMO_PASSWORD
    from companion.tokens import services

    engine = create_engine(url)
    try:
        with Session(engine) as session:
            stored = session.scalars(sa.select(User.password_hash).where(User.username == "alice")).one()
            services.verify(session, raw)  # warm: the row's page cached, as on a busy server
            token = median_us(lambda: services.verify(session, raw), times)
            password = median_us(lambda: verify_password(stored, DEMO_PASSWORD), max(1, times // 10))
    finally:
        engine.dispose()
    return {"token_us": round(token, 1), "password_us": round(password, 1), "ratio": round(token / password, 4)}


def uploads_per_second(base: str, auth: tuple[str, str], project: str, first: int, count: int) -> float:
    import requests

    from tests.functional.companion.dists import Dist

    forms = [Dist(project, f"1.{first + index}").form() for index in range(count)]
    with requests.Session() as http:
        http.auth = auth
        started = time.perf_counter()
        for fields, [(name, filename, content)] in forms:
            response = http.post(f"{base}legacy/", data=fields, files={name: (filename, content)}, timeout=60)
            if response.status_code != 200:
                raise SystemExit(f"upload refused: {response.status_code} {response.reason}")
        return count / (time.perf_counter() - started)


def upload_rounds(url: str, raw: str, directory: Path, runs: int, count: int) -> dict:
    import companion
    from i18n_tool.a11y.targets import serve_wsgi
    from companion.db import ENGINE
    from companion.seed import DEMO_PASSWORD

    app = companion.main({}, **{"database.url": url, "sessions.secret": "benchmark", "redis.url": None,
                                "mail.dir": str(directory / "mail"), "files.dir": str(directory / "files"),
                                "upload.password_login": "true", "accounts.login_limit": "1000000 per minute",
                                "i18n_tool.catalogs": str(ROOT / "catalogs")})
    token, password = [], []
    try:
        with serve_wsgi(app) as base:
            for run in range(runs):
                first = 2 * run * count
                token.append(uploads_per_second(base, ("__token__", raw), "Bench.Token", first, count))
                password.append(uploads_per_second(base, ("alice", DEMO_PASSWORD), "Bench.Password", first, count))
    finally:
        app.registry[ENGINE].dispose()
    with_token, with_password = statistics.median(token), statistics.median(password)
    return {"token_per_s": round(with_token, 1), "password_per_s": round(with_password, 1),
            "ratio": round(with_token / with_password, 3)}


def print_text(result: dict) -> None:
    check, upload = result["verification"], result["uploads"]
    print(f"token verification, median:     {check['token_us']:>10.1f} µs")
    print(f"password (argon2id), median:    {check['password_us']:>10.1f} µs")
    print(f"  token ÷ password:             {check['ratio']:>10.4f}")
    print(f"uploads with a token:           {upload['token_per_s']:>10.1f} /s")
    print(f"uploads with a password:        {upload['password_per_s']:>10.1f} /s")
    print(f"  token ÷ password:             {upload['ratio']:>10.3f}")


def main(argv: list) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="upload-benchmark-") as workdir:
        directory = Path(workdir)
        url = seeded(directory)
        raw = make_token(url)
        result = {"verification": verification(url, raw, args.verifications),
                  "uploads": upload_rounds(url, raw, directory, args.runs, args.uploads)}
    if args.format == "json":
        print(json.dumps(result, indent=2))
    else:
        print_text(result)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
