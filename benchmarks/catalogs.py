"""Catalog benchmark: i18n-tool compile and check against msgfmt, pybabel compile and pofilter.

    python benchmarks/catalogs.py [--runs 5] [--keep DIR] [--format text|json]

Generates the corpus (benchmarks/catalog_corpus.py: 44 locales x 1,500 messages, defects
injected at known places), then runs, interleaved in every round, from the corpus root
(X.po standing for each of the 44 catalogs/<locale>/LC_MESSAGES/messages.po):

    compile       i18n-tool compile --force X.po ...       (one process, .mo beside each .po;
                                                            its cache, .i18n-tool-cache/, deleted first)
    compile-warm  the same again: cache and .mo files kept, nothing changed
    msgfmt        msgfmt -o X.mo X.po                       (44 processes, the loop timed whole)
    pybabel       pybabel compile -d catalogs -D messages
    check         i18n-tool check --format json X.po ...   (cache deleted first)
    check-warm    the same again, cache kept
    msgfmt-c      msgfmt -c -o /dev/null X.po               (44 processes)
    pofilter      pofilter -t variables -t printf -t xmltags --progress=none catalogs OUT

and prints the median wall time of each, the ratios (compile vs the msgfmt loop, goal <= 0.8x
cold and <= 0.1x warm, and vs pybabel; check vs the msgfmt -c loop, goal <= 0.5x cold and
<= 0.1x warm, and vs pofilter), the peak RSS
(from one more round under GNU time, see harness.run()), and the recall of `i18n-tool check` on the
injected defects, with what msgfmt -c and pofilter flag of them. The .mo files are moved away
after every compile run, so each tool starts from none; a separate copy with a syntax error
shows how po-syntax is reported.
Our commands may fail (they are young): they are then reported as "failed: <stderr tail>" and
the rest goes on. All tools but msgfmt come from the bin directory of the Python running this.
"""

import json
import os
import platform
import re
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.catalog_corpus import (  # noqa: E402
    CatalogCorpus, counts, describe, generate, inject_syntax_error, load,
)
from benchmarks.harness import BIN, GNU_TIME, RSS_METHOD, ToolFailed, parse_args, run, version  # noqa: E402

MSGFMT = shutil.which("msgfmt") or "msgfmt"
PAIRS = [  # (ours, reference, goal ratio or None)
    ("compile", "msgfmt", 0.8), ("compile-warm", "msgfmt", 0.1), ("compile", "pybabel", None),
    ("check", "msgfmt-c", 0.5), ("check-warm", "msgfmt-c", 0.1), ("check", "pofilter", None),
]
LABELS = {
    "compile": "i18n-tool compile --force (44 files), cold",
    "compile-warm": "i18n-tool compile --force, warm (nothing changed)",
    "msgfmt": "msgfmt, a loop of 44 runs",
    "pybabel": "pybabel compile -d catalogs",
    "check": "i18n-tool check --format json (44 files), cold",
    "check-warm": "i18n-tool check --format json, warm (nothing changed)",
    "msgfmt-c": "msgfmt -c, a loop of 44 runs",
    "pofilter": "pofilter -t variables -t printf -t xmltags",
}
OURS = {"compile", "compile-warm", "check", "check-warm"}
COMPILERS = {"compile", "compile-warm", "msgfmt", "pybabel"}
CACHE = ".i18n-tool-cache"  # ours, in the corpus root (the current directory: there is no config)
KEEP_HELP = "generate the corpus in DIR and keep it (reused if DIR/defects.json exists)"


# ---------------------------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------------------------


def commands(corpus: CatalogCorpus, out: Path) -> dict:
    """{tool: [command, ...]}: one command, or one per catalog for the msgfmt loops."""
    po = corpus.po_files
    return {
        "compile": [[str(BIN / "i18n-tool"), "compile", "--force", *po]],
        "compile-warm": [[str(BIN / "i18n-tool"), "compile", "--force", *po]],
        "msgfmt": [[MSGFMT, "-o", p[:-3] + ".mo", p] for p in po],
        "pybabel": [[str(BIN / "pybabel"), "compile", "-d", "catalogs", "-D", "messages"]],
        "check": [[str(BIN / "i18n-tool"), "check", "--format", "json", *po]],
        "check-warm": [[str(BIN / "i18n-tool"), "check", "--format", "json", *po]],
        "msgfmt-c": [[MSGFMT, "-c", "-o", os.devnull, p] for p in po],
        "pofilter": [[str(BIN / "pofilter"), "-t", "variables", "-t", "printf", "-t", "xmltags",
                      "--progress=none", "catalogs", str(out / "pofilter")]],
    }


def run_tool(tool: str, cmds: list, root: Path, out: Path, gnu_time: bool = False) -> tuple:
    """Run a tool's commands in turn: (wall seconds of all, peak RSS MiB, exit codes).

    Exit 1 is accepted (problems found, or a catalog refused); anything else, or a traceback,
    is a failure. stdout goes to out/<tool>.out, stderr to out/<tool>.err (all runs appended).
    """
    codes, peak = [], 0.0
    with open(out / f"{tool}.out", "wb") as stdout, open(out / f"{tool}.err", "wb") as stderr:
        start = time.perf_counter()
        for command in cmds:  # the loop is timed whole; run()'s own seconds are not used
            _, mib, code = run(command, root, stdout, stderr, out / f"{tool}.rss" if gnu_time else None)
            codes.append(code)
            peak = max(peak, mib)
        elapsed = time.perf_counter() - start
    errors = (out / f"{tool}.err").read_text(errors="replace")
    if any(code not in (0, 1) for code in codes) or "Traceback (most recent call last)" in errors:
        said = errors.strip() or (out / f"{tool}.out").read_text(errors="replace").strip()[:600]
        tail = "\n  ".join(said.splitlines()[-6:])
        raise ToolFailed(f"exit {max(codes, key=lambda c: c not in (0, 1))}:\n  {tail}")
    if tool in ("check", "check-warm"):
        try:
            json.loads((out / f"{tool}.out").read_text())
        except ValueError:
            raise ToolFailed("no JSON on stdout:\n  " + (out / "check.out").read_text()[:300]) from None
    return elapsed, peak, codes


def prepare(tool: str, root: Path, out: Path) -> None:
    """Untimed, before a run: no .mo in the corpus (a warm compile keeps the cold one's), no
    cache for a cold run of ours, no pofilter output."""
    if tool != "compile-warm":
        for mo in root.glob("catalogs/*/LC_MESSAGES/*.mo"):
            mo.unlink()
    if tool in ("compile", "check"):
        shutil.rmtree(root / CACHE, ignore_errors=True)
    if tool == "pofilter":
        shutil.rmtree(out / "pofilter", ignore_errors=True)


def keep_mo(tool: str, root: Path, out: Path) -> None:
    """Untimed, after a compile run: move the .mo files to out/mo/<tool>/<locale>.mo (the cold
    compile's are copied: the warm one starts from them)."""
    target = out / "mo" / tool
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for mo in root.glob("catalogs/*/LC_MESSAGES/*.mo"):
        if tool == "compile":
            shutil.copy2(mo, target / f"{mo.parent.parent.name}.mo")
        else:
            mo.replace(target / f"{mo.parent.parent.name}.mo")


@dataclass
class Samples:
    seconds: list = field(default_factory=list)
    rss: list = field(default_factory=list)
    codes: list = field(default_factory=list)  # exit codes of the last run
    failed: str | None = None


def measure(corpus: CatalogCorpus, runs: int, out: Path) -> dict:
    """Interleaved rounds of every tool: {tool: Samples}. A tool that fails drops out."""
    root = corpus.root
    cmds = commands(corpus, out)
    samples = {tool: Samples() for tool in cmds}
    for n in range(1, runs + 1):
        for tool, tool_cmds in cmds.items():
            if samples[tool].failed:
                continue
            prepare(tool, root, out)
            try:
                elapsed, peak, codes = run_tool(tool, tool_cmds, root, out)
            except ToolFailed as exc:
                samples[tool].failed = str(exc)
                continue
            finally:
                if tool in COMPILERS:
                    keep_mo(tool, root, out)
            samples[tool].seconds.append(elapsed)
            samples[tool].rss.append(peak)
            samples[tool].codes = codes
        line = "  ".join(f"{tool} {s.seconds[-1]:.2f}s" if not s.failed else f"{tool} failed"
                         for tool, s in samples.items())
        print(f"round {n}/{runs}: {line}", file=sys.stderr)
    if GNU_TIME:
        print("one more, untimed, round under GNU time for the peak RSS", file=sys.stderr)
        for tool, tool_cmds in cmds.items():
            if samples[tool].failed:
                continue
            prepare(tool, root, out)
            try:
                samples[tool].rss = [run_tool(tool, tool_cmds, root, out, gnu_time=True)[1]]
            finally:
                if tool in COMPILERS:
                    keep_mo(tool, root, out)
    return samples


# ---------------------------------------------------------------------------------------------
# What each checker found
# ---------------------------------------------------------------------------------------------


def relative(path: str, root: Path) -> str:
    p = Path(path)
    if p.is_absolute():
        try:
            return p.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            return p.as_posix()
    return p.as_posix().removeprefix("./")


def our_findings(out: Path, root: Path) -> list:
    """The findings of the last `i18n-tool check --format json`, paths relative to root."""
    findings = json.loads((out / "check.out").read_text())["findings"]
    return [dict(f, path=relative(f["path"] or "", root)) for f in findings]


def matches(defect, path: str, msgid, code: str) -> bool:
    return path == defect.path and code == defect.code and (defect.msgid is None or msgid == defect.msgid)


def recall(corpus: CatalogCorpus, findings: list) -> dict:
    """Which defects our check found, and the findings that match none.

    A defect is found when a finding has its path and code, and its msgid when it has one.
    Findings that match no defect and no entry fuzzy by design are "secondary" when they are
    about a defective entry (or a file with a header defect, for a finding without msgid), and
    "unexpected" otherwise.
    """
    by_key = {}
    for f in findings:
        by_key.setdefault((f["path"], f["code"]), []).append(f.get("msgid"))
    found = [(d.path, d.code) in by_key and (d.msgid is None or d.msgid in by_key[(d.path, d.code)])
             for d in corpus.defects]
    expected = {(d.path, d.msgid, d.code) for d in corpus.defects + corpus.background}
    header_files = {d.path for d in corpus.defects if d.msgid is None}
    broken = {(d.path, d.msgid) for d in corpus.defects if d.msgid is not None}
    secondary, unexpected = [], []
    for f in findings:
        key = (f["path"], f.get("msgid"), f["code"])
        if key in expected or any(matches(d, *key) for d in corpus.defects if d.msgid is None):
            continue
        near = (f["path"], f.get("msgid")) in broken or (not f.get("msgid") and f["path"] in header_files)
        (secondary if near else unexpected).append(f)
    return {"found": found, "secondary": secondary, "unexpected": unexpected}


COMPLAINT = re.compile(r"^(?:\S*msgfmt: )?(?P<path>\S+?\.po):(?:(?P<line>\d+):)? (?P<text>.*)$")


def msgfmt_complaints(out: Path) -> list:
    """The complaints in the msgfmt -c loop's stderr, each a list of (path, line or None, text):
    msgfmt says some in two parts ("nplurals = 3..." then "...but some messages have only 2
    plural forms"), on two lines. Indented continuation lines and the "found N fatal errors"
    summaries are left out."""
    found = []
    for line in (out / "msgfmt-c.err").read_text(errors="replace").splitlines():
        match = COMPLAINT.match(line)
        if not match:
            continue
        part = (match["path"], int(match["line"]) if match["line"] else None, match["text"])
        if part[2].startswith("...") and found and found[-1][-1][2].endswith("..."):
            found[-1].append(part)
        else:
            found.append([part])
    return found


def msgfmt_catches(defect, complaint: list) -> bool:
    """A complaint (any of its parts) about the defect's file on a line of its entry (of the
    header); for a header defect, a complaint without a line counts too."""
    for path, line, _ in complaint:
        if path != defect.path:
            continue
        if line is None and defect.msgid is None:
            return True
        if line is not None and defect.span and defect.span[0] <= line <= defect.span[1]:
            return True
    return False


def pofilter_units(out: Path, root: Path) -> dict:
    """{(catalog path, msgid): [test, ...]} of the units pofilter wrote to its output dir."""
    from babel.messages.pofile import read_po

    units = {}
    base = out / "pofilter"
    for path in sorted(base.rglob("*.po")):
        with open(path, "rb") as handle:
            catalog = read_po(handle)
        name = "catalogs/" + path.relative_to(base).as_posix()
        for message in catalog:
            if not message.id:
                continue
            msgid = message.id[0] if isinstance(message.id, tuple) else message.id
            tests = [c.split(")", 1)[1].split(":")[0].strip() for c in message.user_comments
                     if c.startswith("(pofilter)")]
            units[(name, msgid)] = tests
    return units


def syntax_error_check(corpus: CatalogCorpus, out: Path) -> dict:
    """po-syntax, measured apart: one catalog copy with a msgstr missing its closing quote."""
    work = out / "syntax"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    copy = work / "messages.po"
    shutil.copyfile(corpus.root / corpus.po_files[0], copy)
    line = inject_syntax_error(copy)
    result = {"file": f"a copy of {corpus.po_files[0]}", "line": line}
    said_at = re.compile(rf"{re.escape(copy.name)}:(\d+)")
    ours = subprocess.run([str(BIN / "i18n-tool"), "check", "--format", "json", str(copy)],
                          capture_output=True, text=True)
    lines = [f.get("line") for f in _json_findings(ours.stdout) if f.get("code") == "po-syntax"]
    lines += [int(m) for m in said_at.findall(ours.stderr)]
    result["check"] = {"exit": ours.returncode, "reported_lines": sorted(set(lines)),
                       "stderr": ours.stderr.strip().splitlines()[-1:] if ours.stderr.strip() else []}
    ref = subprocess.run([MSGFMT, "-c", "-o", os.devnull, str(copy)], capture_output=True, text=True)
    result["msgfmt-c"] = {"exit": ref.returncode,
                          "reported_lines": sorted({int(m) for m in said_at.findall(ref.stderr)})}
    return result


def _json_findings(text: str) -> list:
    try:
        return json.loads(text).get("findings", [])
    except (ValueError, AttributeError):
        return []


def detection(corpus: CatalogCorpus, samples: dict, out: Path) -> dict:
    """Per defect: found by our check, flagged by msgfmt -c, flagged by pofilter (None: not run)."""
    root = corpus.root
    ours = None
    if not samples["check"].failed:
        ours = recall(corpus, our_findings(out, root))
    complaints = None if samples["msgfmt-c"].failed else msgfmt_complaints(out)
    units = None if samples["pofilter"].failed else pofilter_units(out, root)
    rows = []
    for i, d in enumerate(corpus.defects):
        rows.append({
            "path": d.path, "msgid": d.msgid, "code": d.code, "variant": d.variant, "line": d.line,
            "check": ours["found"][i] if ours else None,
            "msgfmt-c": any(msgfmt_catches(d, c) for c in complaints) if complaints is not None else None,
            "pofilter": (d.path, d.msgid) in units if units is not None and d.msgid is not None
            else (False if units is not None else None),
        })
    result = {"defects": rows}
    if ours:
        result["secondary"] = ours["secondary"]
        result["unexpected"] = ours["unexpected"]
    if complaints is not None:
        result["msgfmt_unattributed"] = [c for c in complaints
                                         if not any(msgfmt_catches(d, c) for d in corpus.defects)]
    if units is not None:
        defective = {(d.path, d.msgid) for d in corpus.defects}
        result["pofilter_unattributed"] = [{"path": p, "msgid": m, "tests": t}
                                           for (p, m), t in units.items() if (p, m) not in defective]
    return result


# ---------------------------------------------------------------------------------------------
# Compile outputs
# ---------------------------------------------------------------------------------------------


def mo_catalog(path: Path) -> dict:
    """{msgid: msgstr} of a .mo file as bytes (context and plural forms joined as stored),
    header left out. Read directly: gettext.GNUTranslations fails on a header without charset."""
    data = path.read_bytes()
    order = "<" if data[:4] == b"\xde\x12\x04\x95" else ">"
    _, count, ids, strs = struct.unpack(order + "4I", data[4:20])
    catalog = {}
    for i in range(count):
        id_len, id_at = struct.unpack(order + "2I", data[ids + 8 * i: ids + 8 * i + 8])
        str_len, str_at = struct.unpack(order + "2I", data[strs + 8 * i: strs + 8 * i + 8])
        catalog[data[id_at:id_at + id_len]] = data[str_at:str_at + str_len]
    catalog.pop(b"", None)
    return catalog


def compile_outputs(corpus: CatalogCorpus, samples: dict, out: Path) -> dict:
    """Per compiler: .mo files written, messages in them; ours compared with msgfmt's."""
    result = {}
    for tool in ("compile", "msgfmt", "pybabel"):
        if not (out / "mo" / tool).is_dir():  # failed in the first round without writing
            continue
        files = sorted((out / "mo" / tool).glob("*.mo"))
        messages = 0
        for mo in files:
            messages += len(mo_catalog(mo))
        result[tool] = {"mo_files": len(files), "messages": messages}
    if "compile" in result and "msgfmt" in result and not samples["compile"].failed:
        both = [mo.name for mo in (out / "mo" / "msgfmt").glob("*.mo") if (out / "mo" / "compile" / mo.name).exists()]
        same = [name for name in both
                if mo_catalog(out / "mo" / "compile" / name) == mo_catalog(out / "mo" / "msgfmt" / name)]
        result["compile"]["same_as_msgfmt"] = f"{len(same)}/{len(both)}"
        result["compile"]["differs_from_msgfmt"] = sorted(set(both) - set(same))
    return result


def warm_identical(samples: dict, out: Path) -> dict:
    """Whether each warm run of ours gave what the cold one did: the same report, the same .mo files."""
    result = {}
    if not samples["check"].failed and not samples["check-warm"].failed:
        result["check"] = (out / "check.out").read_bytes() == (out / "check-warm.out").read_bytes()
    cold, warm = out / "mo" / "compile", out / "mo" / "compile-warm"
    if cold.is_dir() and warm.is_dir():
        names = sorted(p.name for p in cold.glob("*.mo"))
        result["compile"] = names == sorted(p.name for p in warm.glob("*.mo")) and all(
            (cold / name).read_bytes() == (warm / name).read_bytes() for name in names)
    return result


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------


def msgfmt_version() -> str:
    try:
        first = subprocess.run([MSGFMT, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    except (OSError, IndexError):
        return "not found"
    return first.rsplit(" ", 1)[-1]


def severities() -> dict:
    try:
        from i18n_tool.checks import RULES
    except Exception:  # noqa: BLE001 - the table is someone else's work in progress
        return {}
    return {code: rule.severity for code, rule in RULES.items()}


def tool_results(samples: dict) -> dict:
    tools = {}
    for tool, s in samples.items():
        if s.failed:
            tools[tool] = {"command": LABELS[tool], "failed": s.failed}
            continue
        tools[tool] = {"command": LABELS[tool], "median_seconds": round(statistics.median(s.seconds), 3),
                       "seconds": [round(x, 3) for x in s.seconds], "max_rss_mib": round(max(s.rss), 1),
                       "exit_codes": {str(c): s.codes.count(c) for c in sorted(set(s.codes))}}
    return tools


def ratios(tools: dict) -> list:
    rows = []
    for ours, ref, goal in PAIRS:
        row = {"ours": ours, "reference": ref, "goal": goal}
        if "median_seconds" in tools[ours] and "median_seconds" in tools[ref]:
            row["ratio"] = round(tools[ours]["median_seconds"] / tools[ref]["median_seconds"], 3)
            if goal is not None:
                row["goal_met"] = row["ratio"] <= goal
        rows.append(row)
    return rows


def per_code(corpus: CatalogCorpus, detected: dict) -> dict:
    """{code: {"injected": n, "check": found, "msgfmt-c": flagged, "pofilter": flagged}}, codes
    in the order of the corpus's defect tables."""
    table = {code: {"injected": 0, "check": 0, "msgfmt-c": 0, "pofilter": 0} for code in counts(corpus)}
    for row in detected["defects"]:
        entry = table[row["code"]]
        entry["injected"] += 1
        for tool in ("check", "msgfmt-c", "pofilter"):
            if row[tool] is None:
                entry[tool] = None
            elif entry[tool] is not None:
                entry[tool] += bool(row[tool])
    return table


def report(corpus: CatalogCorpus, samples: dict, runs: int, out: Path) -> dict:
    tools = tool_results(samples)
    detected = detection(corpus, samples, out)
    codes = per_code(corpus, detected)
    totals = {tool: (None if any(c[tool] is None for c in codes.values())
                     else sum(c[tool] for c in codes.values())) for tool in ("check", "msgfmt-c", "pofilter")}
    return {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                    "babel": version("babel"), "translate-toolkit": version("translate-toolkit"),
                    "msgfmt": msgfmt_version(), "i18n-tool": version("i18n-tool")},
        "corpus": describe(corpus),
        "runs": runs,
        "peak_rss": RSS_METHOD,
        "tools": tools,
        "ratios": ratios(tools),
        "compile_outputs": compile_outputs(corpus, samples, out),
        "warm_identical_to_cold": warm_identical(samples, out),
        "detection": {
            "counting": "check: a finding with the defect's path and code (and msgid, unless a header defect); "
                        "msgfmt -c: a complaint on a line of the defect's entry block (header defects: of the "
                        "header, or a complaint without a line); pofilter: a unit with the defect's msgid "
                        "written for its file (it has no header tests)",
            "severity": severities(),
            "per_code": codes,
            "total": {"injected": len(corpus.defects), **totals},
            "misses": [r for r in detected["defects"] if r["check"] is False],
            "secondary_findings": _count(detected.get("secondary")),
            "unexpected_findings": _count(detected.get("unexpected")),
            "unexpected_examples": (detected.get("unexpected") or [])[:10],
            "msgfmt_unattributed": detected.get("msgfmt_unattributed"),
            "pofilter_unattributed": detected.get("pofilter_unattributed"),
            "defects": detected["defects"],
        },
        "po_syntax": syntax_error_check(corpus, out),
    }


def _count(findings) -> dict | None:
    if findings is None:
        return None
    counts = {}
    for f in findings:
        counts[f["code"]] = counts.get(f["code"], 0) + 1
    return counts


def _cell(value, total=None) -> str:
    if value is None:
        return "n/a"
    return f"{value}/{total}" if total is not None else str(value)


def markdown(result: dict) -> str:
    corpus, machine = result["corpus"], result["machine"]
    lines = [
        f"Corpus: {corpus['catalogs']} catalogs × {corpus['messages']} messages "
        f"({corpus['size_mib']} MiB), {result['detection']['total']['injected']} injected defects. "
        f"Median of {result['runs']} runs; {machine['cpus']} CPUs, Python {machine['python']}, "
        f"Babel {machine['babel']}, GNU gettext {machine['msgfmt']}, translate-toolkit {machine['translate-toolkit']}. "
        f"Peak RSS: {result['peak_rss']}.",
        "",
        "| Command | Median wall time | Ratio | Goal | Peak RSS |",
        "|---|---:|---:|---|---:|",
    ]
    ratio_of = {}
    for row in result["ratios"]:
        ratio_of.setdefault(row["ours"], []).append(row)
    for name, tool in result["tools"].items():
        if "failed" in tool:
            lines.append(f"| {tool['command']} | failed | | | |")
            continue
        ratio = "; ".join(f"{r['ratio']:.2f}x {r['reference']}" for r in ratio_of.get(name, []) if "ratio" in r)
        goal = "; ".join(f"≤ {r['goal']}x ({'met' if r['goal_met'] else 'missed'})"
                         for r in ratio_of.get(name, []) if r["goal"] is not None and "ratio" in r)
        lines.append(f"| {tool['command']} | {tool['median_seconds']:.2f} s | {ratio} | {goal} | "
                     f"{tool['max_rss_mib']:.0f} MiB |")
    det = result["detection"]
    lines += ["", "| Defect code | Severity | Injected | i18n-tool check | msgfmt -c | pofilter |",
              "|---|---|---:|---:|---:|---:|"]
    for code, c in det["per_code"].items():
        lines.append(f"| `{code}` | {det['severity'].get(code, '')} | {c['injected']} | "
                     f"{_cell(c['check'])} | {_cell(c['msgfmt-c'])} | {_cell(c['pofilter'])} |")
    t = det["total"]
    lines.append(f"| all | | {t['injected']} | {_cell(t['check'])} | {_cell(t['msgfmt-c'])} | {_cell(t['pofilter'])} |")
    return "\n".join(lines)


def print_text(result: dict) -> None:
    machine, corpus = result["machine"], result["corpus"]
    print(f"machine: {machine['cpus']} CPUs, {machine['platform']}, Python {machine['python']}, "
          f"Babel {machine['babel']}, msgfmt {machine['msgfmt']}, translate-toolkit {machine['translate-toolkit']}, "
          f"i18n-tool {machine['i18n-tool']}")
    print(f"corpus:  {corpus['catalogs']} catalogs + messages.pot, {corpus['messages']} messages each "
          f"({corpus['plural']} plural, {corpus['context']} with context), {corpus['size_mib']} MiB; per catalog "
          f"about {corpus['fuzzy'] // corpus['catalogs']} fuzzy, {corpus['untranslated'] // corpus['catalogs']} "
          f"untranslated, {corpus['obsolete'] // corpus['catalogs']} obsolete; nplurals {corpus['nplurals']}")
    print(f"peak RSS: {result['peak_rss']}")
    print()
    for name, tool in result["tools"].items():
        if "failed" in tool:
            print(f"{name:9} failed: {tool['failed']}")
            continue
        codes = ", ".join(f"{n}x exit {c}" for c, n in tool["exit_codes"].items())
        print(f"{name:9} median {tool['median_seconds']:7.3f} s  peak RSS {tool['max_rss_mib']:6.1f} MiB  ({codes})")
    for row in result["ratios"]:
        if "ratio" not in row:
            print(f"{row['ours']} vs {row['reference']}: n/a")
            continue
        goal = f"  goal <= {row['goal']}x: {'met' if row['goal_met'] else 'MISSED'}" if row["goal"] else ""
        print(f"{row['ours']} vs {row['reference']}: {row['ratio']:.2f}x{goal}")
    for tool, info in result["compile_outputs"].items():
        extra = f", same messages as msgfmt's in {info['same_as_msgfmt']} catalogs" if "same_as_msgfmt" in info else ""
        print(f".mo by {tool}: {info['mo_files']} files, {info['messages']} messages{extra}"
              + (" (the failed run's)" if "failed" in result["tools"][tool] else ""))
    for tool, same in result["warm_identical_to_cold"].items():
        print(f"warm {tool} gave what the cold one did: {same}")
    det = result["detection"]
    print()
    print(f"detection of the {det['total']['injected']} injected defects ({det['counting']}):")
    for code, c in det["per_code"].items():
        print(f"  {code:36} {c['injected']:3}  check {_cell(c['check']):>4}  msgfmt -c {_cell(c['msgfmt-c']):>4}"
              f"  pofilter {_cell(c['pofilter']):>4}")
    t = det["total"]
    if t["check"] is not None:
        print(f"recall of i18n-tool check: {t['check']}/{t['injected']} = {t['check'] / t['injected']:.0%}")
        for miss in det["misses"]:
            where = f"{miss['path']}:{miss['line']}" if miss["line"] else miss["path"]
            print(f"  missed {miss['code']} ({miss['variant']}) at {where} {miss['msgid']!r}")
        print(f"findings on defective entries with another code: {det['secondary_findings']}")
        print(f"findings matching no defect (fuzzy-by-design entries excluded): {det['unexpected_findings']}")
        for f in det["unexpected_examples"]:
            print(f"  {f['path']}:{f.get('line')}: {f['severity']}: {f['message']} [{f['code']}]")
    if det["msgfmt_unattributed"]:
        print(f"msgfmt -c complaints matching no defect: {len(det['msgfmt_unattributed'])}")
        for complaint in det["msgfmt_unattributed"][:5]:
            print("  " + " ".join(f"{path}:{line}: {text}" for path, line, text in complaint))
    if det["pofilter_unattributed"] is not None:
        print(f"pofilter units matching no defect: {len(det['pofilter_unattributed'])}")
        for unit in det["pofilter_unattributed"][:5]:
            print(f"  {unit['path']}: {unit['msgid']!r} {unit['tests']}")
    syntax = result["po_syntax"]
    print(f"po-syntax ({syntax['file']}, line {syntax['line']} broken): check exit {syntax['check']['exit']}, "
          f"lines reported {syntax['check']['reported_lines']}; msgfmt -c exit {syntax['msgfmt-c']['exit']}, "
          f"lines {syntax['msgfmt-c']['reported_lines']}")
    print()
    print(markdown(result))


def main(argv: list) -> int:
    args = parse_args(argv, __doc__.split("\n\n")[0], KEEP_HELP)
    missing = [name for name in ("pybabel", "pofilter") if not (BIN / name).exists()]
    if missing or not shutil.which(MSGFMT):
        print(f"error: {', '.join(missing) or 'msgfmt'} not found; the benchmark needs msgfmt, pybabel "
              f"and pofilter (`make install` and GNU gettext)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="i18n-tool-catalogs-") as tmp:
        root = args.keep.resolve() if args.keep else Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        if (root / "defects.json").exists():
            print(f"reusing the corpus in {root}", file=sys.stderr)
            corpus = load(root)
        else:
            corpus = generate(root)
        out = root / "out"
        out.mkdir(exist_ok=True)
        samples = measure(corpus, args.runs, out)
        result = report(corpus, samples, args.runs, out)
        prepare("", root, out)
    if args.format == "json":
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        print_text(result)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
