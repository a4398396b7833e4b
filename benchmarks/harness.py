"""What the benchmark scripts share: running a tool and taking its time and peak RSS, the
versions of the tools, the command line.

    from benchmarks.harness import BIN, GNU_TIME, RSS_METHOD, ToolFailed, run, version

Peak RSS is taken the same way by every script: the timed rounds run the tools unwrapped,
and one more, untimed, round runs each under GNU `time -f %M` (run(..., rss_file=...)); see
run() for why os.wait4 alone reads too high. Without GNU time the scripts fall back to
os.wait4 on the timed rounds, and RSS_METHOD says so.
"""

import argparse
import os
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

BIN = Path(sys.executable).parent  # the tools come from the bin directory of the Python running this
GNU_TIME = next((p for p in ("/usr/bin/time", "/usr/local/bin/gtime", "/opt/homebrew/bin/gtime")
                 if Path(p).exists()), None)
RSS_METHOD = ("the largest single process, from GNU time -f %M in one more, untimed, round" if GNU_TIME else
              "os.wait4 ru_maxrss; without GNU time at least this script's own peak: small tools read too high")


class ToolFailed(Exception):
    pass


class Run(NamedTuple):
    seconds: float  # wall time from starting the process to reaping it
    peak_rss_mib: float
    exit_code: int


TOOL_ENVIRONMENT = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def run(command: list, cwd: Path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        rss_file: Path | None = None) -> Run:
    """Run one command: (wall seconds, peak RSS in MiB of its largest process, exit code).

    The child is reaped with os.wait4, which gives its own resource usage: ru_maxrss is the
    peak of the largest single process among it and its waited-for children (like GNU time's
    %M), not the sum over a process pool. But a child forked from this script starts with the
    script's own high-water mark (Linux keeps it across exec): every tool would weigh at least
    what generating a corpus took here (about 70 MiB for the catalog corpus), where msgfmt
    needs 6. With rss_file, the command runs under GNU `time -f %M -o rss_file`, which forks it
    from a 1 MiB process, and that figure is returned; it costs about 1 ms a command, so timed
    runs go without it (and the seconds of such a run are not to be used).

    The exit code is returned, not judged: what counts as a failure is the caller's to say.
    A command that cannot be started raises ToolFailed. Python tools run with their bytecode
    cache as users have it, whatever PYTHONDONTWRITEBYTECODE says here (with it, every run
    compiles every module it imports again).
    """
    wrapped = [GNU_TIME, "-f", "%M", "-o", str(rss_file), *command] if rss_file is not None else command
    start = time.perf_counter()
    try:
        process = subprocess.Popen(wrapped, cwd=cwd, stdout=stdout, stderr=stderr, env=TOOL_ENVIRONMENT)
    except OSError as exc:
        raise ToolFailed(f"cannot run {wrapped[0]}: {exc.strerror}") from None
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    kib = usage.ru_maxrss / 1024 if sys.platform == "darwin" else usage.ru_maxrss  # bytes on macOS
    if rss_file is not None:  # "Command exited with non-zero status 1" comes first when it did
        kib = int(rss_file.read_text().split()[-1])
    return Run(elapsed, kib / 1024, process.returncode)


def version(name: str) -> str:
    """The installed version of a distribution, or "not installed"."""
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def parse_args(argv: list, description: str, keep_help: str) -> argparse.Namespace:
    """--runs N (default 5), --keep DIR, --format text|json."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--runs", type=int, default=5, help="rounds to take the median of (default 5)")
    parser.add_argument("--keep", type=Path, metavar="DIR", help=keep_help)
    parser.add_argument("--format", choices=["text", "json"], default="text")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args
