"""SIGKILL during update and compile leaves every catalog either old or new, never torn."""

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from i18n_tool.catalog import po
from i18n_tool.catalog.model import Entry, PoFile

LOCALES = ["de", "fr", "es", "ja", "ar", "pt_BR"]
TOOL = str(Path(sys.executable).parent / "i18n-tool")
KILLS_PER_COMMAND = 25


def template(version: int, size: int = 1500) -> bytes:
    entries = [Entry(f"Message number {i} of the page, version {version if i % 3 == 0 else 0}",
                     locations=[f" templates/page{i % 40}.html:{i}"]) for i in range(size)]
    header = Entry("", "Content-Type: text/plain; charset=UTF-8\n")
    return po.write(PoFile("messages.pot", header, entries))


def make_project(root: Path):
    (root / "catalogs").mkdir(parents=True)
    (root / "pyproject.toml").write_text(f"[tool.i18n-tool]\nlocales = {LOCALES!r}\n")
    (root / "catalogs/messages.pot").write_bytes(template(1))
    run(root, "update")
    for locale in LOCALES:  # translate everything, so update has something to keep
        path = root / f"catalogs/{locale}/LC_MESSAGES/messages.po"
        catalog = po.parse_file(path)
        for entry in catalog.entries:
            entry.msgstr = f"[{locale}] {entry.msgid}"
        path.write_bytes(po.write(catalog))
    (root / "catalogs/messages.pot").write_bytes(template(2))


def run(root, *args):
    subprocess.run([TOOL, *args], cwd=root, check=True, capture_output=True)


def snapshot(root: Path) -> dict:
    return {str(path.relative_to(root)): path.read_bytes()
            for path in sorted((root / "catalogs").rglob("*.[pm]o"))}


def finished_state(before: Path, command: str, tmp_path: Path) -> dict:
    after = tmp_path / f"after-{command}"
    shutil.copytree(before, after)
    started = time.perf_counter()
    run(after, command)
    return snapshot(after), time.perf_counter() - started


@pytest.mark.parametrize("command", ["update", "compile"])
def test_kill_at_random_points_leaves_old_or_new(tmp_path, command):
    before = tmp_path / "before"
    make_project(before)
    if command == "compile":
        run(before, "update")
    old = snapshot(before)
    new, duration = finished_state(before, command, tmp_path)
    assert old != new
    rng = random.Random(20261125)
    torn_seen = {"old": 0, "new": 0, "mixed": 0}
    for attempt in range(KILLS_PER_COMMAND):
        work = tmp_path / f"work-{attempt}"
        shutil.copytree(before, work)
        process = subprocess.Popen([TOOL, command], cwd=work, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(rng.uniform(0.0, duration * 1.1))
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        now = snapshot(work)
        for name, data in now.items():
            assert data in (old.get(name), new.get(name)), f"{name} torn after kill {attempt}"
        assert set(now) <= set(old) | set(new)
        state = "old" if now == old else "new" if now == new else "mixed"
        torn_seen[state] += 1
        shutil.rmtree(work)
    assert torn_seen["mixed"] + torn_seen["new"] > 0, f"no kill landed mid-run: {torn_seen}"
