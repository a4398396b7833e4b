"""Extraction benchmark: i18n-tool against pybabel on a generated Pyramid + Jinja2 app.

    python benchmarks/extract.py [--runs 5] [--keep DIR] [--format text|json]

Generates the corpus (benchmarks/corpus.py), then runs, interleaved in every round:

    pybabel   pybabel extract -F babel.cfg -c Translators: -o pybabel.pot app
    cold      i18n-tool extract -F babel.cfg -c Translators: -o ours.pot --cache-dir CACHE app
              (after deleting CACHE)
    warm      the same again, CACHE kept, no file changed

and prints the median wall time of each, the ratios against pybabel with the goals
(cold <= 0.5x, warm <= 0.1x), the peak RSS of each tool, and a Markdown table for the README.
Both tools come from the bin directory of the Python running this script.
"""

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import describe, generate, pot_stats  # noqa: E402

BIN = Path(sys.executable).parent
GOALS = {"cold": 0.5, "warm": 0.1}  # at most this fraction of pybabel's time
LABELS = {
    "pybabel": "pybabel extract",
    "cold": "i18n-tool extract, cold cache",
    "warm": "i18n-tool extract, warm cache",
}


class ToolFailed(Exception):
    pass


def commands(out: Path, cache: Path) -> dict:
    """The command of each measured tool, run from the corpus root."""
    common = ["extract", "-F", "babel.cfg", "-c", "Translators:"]
    ours = [str(BIN / "i18n-tool"), *common, "-o", str(out / "ours.pot"), "--cache-dir", str(cache), "app"]
    return {
        "pybabel": [str(BIN / "pybabel"), *common, "-o", str(out / "pybabel.pot"), "app"],
        "cold": ours,
        "warm": ours,
    }


def run(command: list, cwd: Path, log: Path) -> tuple:
    """Run one command: (wall seconds, peak RSS in MiB of its largest process).

    The child is reaped with os.wait4, which gives its own resource usage: ru_maxrss is the
    peak of the largest single process among it and its waited-for children (like GNU time's
    %M), not the sum over a process pool.
    """
    with open(log, "wb") as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        tail = log.read_text(errors="replace").strip().splitlines()[-5:]
        raise ToolFailed(f"{' '.join(command)} exited {process.returncode}:\n  " + "\n  ".join(tail))
    kib = usage.ru_maxrss / 1024 if sys.platform == "darwin" else usage.ru_maxrss  # bytes on macOS
    return elapsed, kib / 1024


def measure(root: Path, runs: int) -> dict:
    """Interleaved rounds of pybabel, cold and warm: {tool: [(seconds, MiB), ...]}."""
    out, cache = root / "out", root / "cache"
    out.mkdir(exist_ok=True)
    tools = ["pybabel", "cold", "warm"]
    cmds = commands(out, cache)
    samples = {tool: [] for tool in tools}
    for n in range(1, runs + 1):
        for tool in tools:
            if tool == "cold":
                shutil.rmtree(cache, ignore_errors=True)
            samples[tool].append(run(cmds[tool], root, out / f"{tool}.log"))
            if tool != "pybabel":  # keep the last cold and warm outputs to compare them
                shutil.copyfile(out / "ours.pot", out / f"ours-{tool}.pot")
        line = "  ".join(f"{tool} {samples[tool][-1][0]:.2f}s" for tool in tools)
        print(f"round {n}/{runs}: {line}", file=sys.stderr)
    return samples


def catalog_keys(pot: Path) -> set:
    from babel.messages.pofile import read_po

    with open(pot, "rb") as handle:
        return {(m.context, m.id) for m in read_po(handle) if m.id}


def without_date(pot: Path) -> bytes:
    return b"".join(line for line in pot.read_bytes().splitlines(True)
                    if not line.startswith(b'"POT-Creation-Date:'))


def as_pybabel(pot: Path) -> bytes:
    """Our .pot as pybabel would write it: our one intended difference, the pyramid-format
    flag on ${name} messages, read as Babel's python-brace-format."""
    return b"".join(line.replace(b"pyramid-format", b"python-brace-format") if line.startswith(b"#,") else line
                    for line in without_date(pot).splitlines(True))


def version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def report(root: Path, info, samples: dict, runs: int) -> dict:
    out = root / "out"
    occurrences, distinct = pot_stats(out / "pybabel.pot")
    result = {
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "babel": version("babel"),
            "jinja2": version("jinja2"),
            "i18n-tool": version("i18n-tool"),
        },
        "corpus": {
            "files": info.files, "templates": info.templates, "python_modules": info.modules,
            "email_folders": info.emails, "message_occurrences": occurrences,
            "distinct_messages": distinct,
        },
        "runs": runs,
        "tools": {},
        "checks": {},
    }
    base = statistics.median(s for s, _ in samples["pybabel"])
    for tool, values in samples.items():
        median = statistics.median(s for s, _ in values)
        entry = {
            "command": LABELS[tool],
            "median_seconds": round(median, 3),
            "seconds": [round(s, 3) for s, _ in values],
            "ratio_to_pybabel": round(median / base, 3),
            "max_rss_mib": round(max(m for _, m in values), 1),
        }
        if tool in GOALS:
            entry["goal_ratio"] = GOALS[tool]
            entry["goal_met"] = median / base <= GOALS[tool]
        result["tools"][tool] = entry
    ours_occurrences, ours_distinct = pot_stats(out / "ours-cold.pot")
    result["checks"] = {
        "ours_message_occurrences": ours_occurrences,
        "ours_distinct_messages": ours_distinct,
        "same_messages_as_pybabel": catalog_keys(out / "ours-cold.pot") == catalog_keys(out / "pybabel.pot"),
        "identical_to_pybabel_but_pyramid_flag": as_pybabel(out / "ours-cold.pot") == without_date(out / "pybabel.pot"),
        "warm_output_identical_to_cold": without_date(out / "ours-warm.pot") == without_date(out / "ours-cold.pot"),
    }
    return result


def markdown(result: dict) -> str:
    corpus = result["corpus"]
    lines = [
        f"Corpus: {corpus['files']} files ({corpus['templates']} templates, "
        f"{corpus['python_modules']} Python modules, {corpus['email_folders']} email folders), "
        f"{corpus['message_occurrences']} message occurrences, {corpus['distinct_messages']} distinct. "
        f"Median of {result['runs']} runs; {result['machine']['cpus']} CPUs, "
        f"Python {result['machine']['python']}, Babel {result['machine']['babel']}, "
        f"Jinja2 {result['machine']['jinja2']}.",
        "",
        "| Command | Median wall time | vs pybabel | Goal | Peak RSS (largest process) |",
        "|---|---:|---:|---|---:|",
    ]
    for tool in result["tools"].values():
        goal = (f"≤ {tool['goal_ratio']}x ({'met' if tool['goal_met'] else 'missed'})"
                if "goal_ratio" in tool else "")
        lines.append(f"| {tool['command']} | {tool['median_seconds']:.2f} s | "
                     f"{tool['ratio_to_pybabel']:.2f}x | {goal} | {tool['max_rss_mib']:.0f} MiB |")
    return "\n".join(lines)


def print_text(result: dict) -> None:
    machine, corpus = result["machine"], result["corpus"]
    print(f"machine: {machine['cpus']} CPUs, {machine['platform']}, Python {machine['python']}, "
          f"Babel {machine['babel']}, Jinja2 {machine['jinja2']}, i18n-tool {machine['i18n-tool']}")
    print(f"corpus:  {corpus['files']} files, {corpus['message_occurrences']} message occurrences, "
          f"{corpus['distinct_messages']} distinct messages (counted from pybabel's output)")
    print()
    for name, tool in result["tools"].items():
        goal = ""
        if "goal_ratio" in tool:
            goal = f"  goal <= {tool['goal_ratio']}x: {'met' if tool['goal_met'] else 'MISSED'}"
        print(f"{name:8} median {tool['median_seconds']:7.3f} s  {tool['ratio_to_pybabel']:5.2f}x pybabel"
              f"  peak RSS {tool['max_rss_mib']:6.1f} MiB{goal}")
    for check, value in result["checks"].items():
        print(f"{check}: {value}")
    print()
    print(markdown(result))


def parse_args(argv: list) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="rounds to take the median of (default 5)")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="generate the corpus in DIR and keep it (reused if DIR/app exists)")
    parser.add_argument("--format", choices=["text", "json"], default="text")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def main(argv: list) -> int:
    args = parse_args(argv)
    for name in ("pybabel", "i18n-tool"):
        if not (BIN / name).exists():
            print(f"error: {name} not found in {BIN}; run `make install` first", file=sys.stderr)
            return 2
    with tempfile.TemporaryDirectory(prefix="i18n-tool-bench-") as tmp:
        root = args.keep.resolve() if args.keep else Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        if (root / "app").exists():
            print(f"reusing the corpus in {root}", file=sys.stderr)
            info = describe(root)
        else:
            info = generate(root)
        try:
            samples = measure(root, args.runs)
        except ToolFailed as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        result = report(root, info, samples, args.runs)
    if args.format == "json":
        print(json.dumps(result, indent=2))
    else:
        print_text(result)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
