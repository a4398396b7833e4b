"""Extraction benchmark: i18n-tool against pybabel on a generated Pyramid + Jinja2 app.

    python benchmarks/extract.py [--runs 5] [--keep DIR] [--format text|json] [--case large|real|both]

Generates two corpora (benchmarks/corpus.py): "large" (the defaults: 2,100 files, 2,700
messages) and "real" (a real project's size: 300 templates, 100 modules, 30 email folders,
about 1,100 messages, where start-up and imports weigh most), then runs, interleaved in every
round, for each:

    pybabel   pybabel extract -F babel.cfg -c Translators: -o pybabel.pot app
    cold      i18n-tool extract -F babel.cfg -c Translators: -o ours.pot --cache-dir CACHE app
              (after deleting CACHE)
    warm      the same again, CACHE kept, no file changed

and prints the median wall time of each, the ratios against pybabel with the goals
(cold <= 0.5x, warm <= 0.1x), the peak RSS of each tool (from one more round of the three
under GNU time, see harness.run()), the imports of a warm run (python -X importtime: the
total, the largest, and whether Jinja2 or Babel's extractors were loaded), and a Markdown
table for the README.
Both tools come from the bin directory of the Python running this script.
"""

import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import describe, generate, pot_stats  # noqa: E402
from benchmarks.harness import BIN, GNU_TIME, RSS_METHOD, ToolFailed, parse_args, run, version  # noqa: E402

TOOLS = ["pybabel", "cold", "warm"]  # the order of every round
GOALS = {"cold": 0.5, "warm": 0.1}  # at most this fraction of pybabel's time
LABELS = {
    "pybabel": "pybabel extract",
    "cold": "i18n-tool extract, cold cache",
    "warm": "i18n-tool extract, warm cache",
}
KEEP_HELP = "generate the corpora in DIR/<case> and keep them (reused if DIR/<case>/app exists)"
CASES = {  # name -> corpus.generate() arguments
    "large": {},
    "real": {"templates": 300, "modules": 100, "emails": 30},
}


def commands(out: Path, cache: Path) -> dict:
    """The command of each measured tool, run from the corpus root."""
    common = ["extract", "-F", "babel.cfg", "-c", "Translators:"]
    ours = [str(BIN / "i18n-tool"), *common, "-o", str(out / "ours.pot"), "--cache-dir", str(cache), "app"]
    return {
        "pybabel": [str(BIN / "pybabel"), *common, "-o", str(out / "pybabel.pot"), "app"],
        "cold": ours,
        "warm": ours,
    }


def run_tool(tool: str, command: list, root: Path, out: Path, gnu_time: bool = False) -> tuple:
    """Run a tool once from the corpus root: (wall seconds, peak RSS MiB). stderr goes to
    out/<tool>.log; any exit code but 0 is a failure. With gnu_time, under GNU time (for the
    RSS; the seconds are then not to be used)."""
    log = out / f"{tool}.log"
    with open(log, "wb") as stderr:
        seconds, mib, code = run(command, root, subprocess.DEVNULL, stderr, out / f"{tool}.rss" if gnu_time else None)
    if code != 0:
        tail = log.read_text(errors="replace").strip().splitlines()[-5:]
        raise ToolFailed(f"{' '.join(command)} exited {code}:\n  " + "\n  ".join(tail))
    return seconds, mib


def one_round(root: Path, gnu_time: bool = False) -> dict:
    """pybabel, cold (cache deleted first), warm: {tool: (seconds, MiB)}. The last cold and
    warm outputs are kept as out/ours-cold.pot and out/ours-warm.pot, to compare them."""
    out, cache = root / "out", root / "cache"
    cmds = commands(out, cache)
    result = {}
    for tool in TOOLS:
        if tool == "cold":
            shutil.rmtree(cache, ignore_errors=True)
        result[tool] = run_tool(tool, cmds[tool], root, out, gnu_time)
        if tool != "pybabel":
            shutil.copyfile(out / "ours.pot", out / f"ours-{tool}.pot")
    return result


def measure(root: Path, runs: int) -> dict:
    """Interleaved rounds of pybabel, cold and warm: {tool: {"seconds": [...], "rss": [MiB, ...]}}.

    The timed rounds run the tools unwrapped; with GNU time, one more, untimed, round gives
    the peak RSS (see harness.run: os.wait4 would add this script's own high-water mark,
    corpus generation included). Without it, the RSS of the timed rounds is kept.
    """
    (root / "out").mkdir(exist_ok=True)
    samples = {tool: {"seconds": [], "rss": []} for tool in TOOLS}
    for n in range(1, runs + 1):
        for tool, (seconds, mib) in one_round(root).items():
            samples[tool]["seconds"].append(seconds)
            samples[tool]["rss"].append(mib)
        line = "  ".join(f"{tool} {samples[tool]['seconds'][-1]:.2f}s" for tool in TOOLS)
        print(f"round {n}/{runs}: {line}", file=sys.stderr)
    if GNU_TIME:
        print("one more, untimed, round under GNU time for the peak RSS", file=sys.stderr)
        for tool, (_, mib) in one_round(root, gnu_time=True).items():
            samples[tool]["rss"] = [mib]
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


def imports(root: Path, top: int = 8) -> dict:
    """The imports of one more warm run under ``python -X importtime``: total and largest (ms)."""
    out, cache = root / "out", root / "cache"
    command = [str(BIN / "python"), "-X", "importtime", *commands(out, cache)["warm"]]
    done = subprocess.run(command, cwd=root, capture_output=True, text=True)
    rows = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if line.startswith("import time:") and len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].rstrip()))
    names = {name.strip() for _, name in rows}
    return {
        "total_ms": round(sum(us for us, name in rows if not name.startswith("  ")) / 1000, 1),
        "largest": [{"module": name.strip(), "cumulative_ms": round(us / 1000, 1)}
                    for us, name in sorted(rows, reverse=True)[:top]],
        "jinja2_parser": "jinja2.parser" in names,
        "babel_extract": "babel.messages.extract" in names,
        "audit_or_sync": any(name.startswith(("i18n_tool.cli.audit", "i18n_tool.cli.sync", "i18n_tool.a11y"))
                             for name in names),
    }


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
        "peak_rss": RSS_METHOD,
        "tools": {},
        "checks": {},
    }
    base = statistics.median(samples["pybabel"]["seconds"])
    for tool, values in samples.items():
        median = statistics.median(values["seconds"])
        entry = {
            "command": LABELS[tool],
            "median_seconds": round(median, 3),
            "seconds": [round(s, 3) for s in values["seconds"]],
            "ratio_to_pybabel": round(median / base, 3),
            "max_rss_mib": round(max(values["rss"]), 1),
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
    result["warm_imports"] = imports(root)
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
    print(f"peak RSS: {result['peak_rss']}")
    print()
    for name, tool in result["tools"].items():
        goal = ""
        if "goal_ratio" in tool:
            goal = f"  goal <= {tool['goal_ratio']}x: {'met' if tool['goal_met'] else 'MISSED'}"
        print(f"{name:8} median {tool['median_seconds']:7.3f} s  {tool['ratio_to_pybabel']:5.2f}x pybabel"
              f"  peak RSS {tool['max_rss_mib']:6.1f} MiB{goal}")
    for check, value in result["checks"].items():
        print(f"{check}: {value}")
    found = result["warm_imports"]
    print(f"warm run imports: {found['total_ms']} ms in all; Jinja2's parser: {found['jinja2_parser']}, "
          f"babel.messages.extract: {found['babel_extract']}, audit/sync commands: {found['audit_or_sync']}")
    print("  largest: " + ", ".join(f"{i['module']} {i['cumulative_ms']}" for i in found["largest"]))
    print()
    print(markdown(result))


def main(argv: list) -> int:
    cases = list(CASES)
    if "--case" in argv:  # the shared parser knows --runs, --keep and --format only
        at = argv.index("--case")
        chosen = argv[at + 1] if at + 1 < len(argv) else ""
        if chosen not in (*CASES, "both"):
            print(f"error: --case must be one of {', '.join(CASES)}, both", file=sys.stderr)
            return 2
        cases = list(CASES) if chosen == "both" else [chosen]
        argv = argv[:at] + argv[at + 2:]
    args = parse_args(argv, __doc__.split("\n\n")[0], KEEP_HELP)
    for name in ("pybabel", "i18n-tool"):
        if not (BIN / name).exists():
            print(f"error: {name} not found in {BIN}; run `make install` first", file=sys.stderr)
            return 2
    results = {}
    with tempfile.TemporaryDirectory(prefix="i18n-tool-bench-") as tmp:
        for case in cases:
            root = (args.keep.resolve() if args.keep else Path(tmp)) / case
            root.mkdir(parents=True, exist_ok=True)
            if (root / "app").exists():
                print(f"reusing the corpus in {root}", file=sys.stderr)
                info = describe(root)
            else:
                info = generate(root, **CASES[case])
            print(f"case {case}:", file=sys.stderr)
            try:
                samples = measure(root, args.runs)
            except ToolFailed as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
            results[case] = report(root, info, samples, args.runs)
    if args.format == "json":
        print(json.dumps(results, indent=2))
    else:
        for case, result in results.items():
            print(f"== {case} ==")
            print_text(result)
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
