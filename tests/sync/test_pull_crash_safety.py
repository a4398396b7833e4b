"""SIGKILL during `i18n-tool pull` leaves every catalog and the state file either old or new."""

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from i18n_tool.catalog import po
from i18n_tool.catalog.lifecycle import plural_forms
from i18n_tool.catalog.model import Entry, PoFile
from tests.sync.conftest import write_tx_config

TOOL = str(Path(sys.executable).parent / "i18n-tool")
LOCALES = ["de", "fr", "es", "ja", "ar", "it"]
PROJECT, SLUG = "o:acme:p:web", "messages"
RESOURCE = f"{PROJECT}:r:{SLUG}"
KILLS = 15
SIZE = 400


def catalog_bytes(locale: str | None, translate) -> bytes:
    header_text = "Content-Type: text/plain; charset=UTF-8\n"
    if locale:
        header_text += f"Language: {locale}\nPlural-Forms: {plural_forms(locale)}\n"
    entries = [Entry(f"Message {i}", msgstr=translate(i)) for i in range(SIZE)]
    return po.write(PoFile("x.po", Entry("", header_text), entries))


def make_project(root: Path, server) -> None:
    (root / ".git").mkdir(parents=True)
    (root / "i18n-tool.toml").write_text(f"catalogs = \"catalogs\"\nlocales = {LOCALES!r}\n", encoding="utf-8")
    write_tx_config(root, RESOURCE)
    (root / "catalogs").mkdir()
    (root / "catalogs" / "messages.pot").write_bytes(catalog_bytes(None, lambda i: ""))
    for locale in LOCALES:  # half translated locally; Transifex has the other half
        path = root / "catalogs" / locale / "LC_MESSAGES" / "messages.po"
        path.parent.mkdir(parents=True)
        path.write_bytes(catalog_bytes(locale, lambda i, loc=locale: f"[{loc}] {i}" if i % 2 else ""))
    server.add_project("o:acme", "web", languages=tuple(LOCALES))
    server.add_resource(PROJECT, SLUG)
    server.load_source(RESOURCE, (root / "catalogs" / "messages.pot").read_bytes())
    for locale in LOCALES:
        for i in range(0, SIZE, 2):
            server.set_translation(RESOURCE, locale, f"Message {i}", f"[{locale}] {i}")


def files(root: Path) -> dict:
    paths = [*sorted((root / "catalogs").rglob("*.po")), root / ".tx" / "i18n-tool-state.json"]
    return {str(path.relative_to(root)): path.read_bytes() if path.exists() else None for path in paths}


def pull(root: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen([TOOL, "pull", "--poll-interval", "0", "--workers", "3"], cwd=root, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_sigkill_during_pull_leaves_every_file_old_or_new(tmp_path, fake_transifex):
    before = tmp_path / "before"
    make_project(before, fake_transifex)
    env = {**os.environ, "TX_TOKEN": fake_transifex.token, "TX_HOSTNAME": fake_transifex.base_url,
           "HOME": str(tmp_path / "home")}
    old = files(before)
    finished = tmp_path / "finished"
    shutil.copytree(before, finished)
    started = time.perf_counter()
    full = pull(finished, env)
    assert full.wait(timeout=120) == 0, full.stderr.read().decode()
    duration = time.perf_counter() - started
    new = files(finished)
    assert all(new[name] != old[name] for name in old)  # every file changes in a full pull

    rng = random.Random(20261201)
    mixed = 0  # kills that left some files new and others old: the pull was cut in the middle
    for attempt in range(KILLS):
        root = tmp_path / f"killed-{attempt}"
        shutil.copytree(before, root)
        process = pull(root, env)
        time.sleep(rng.uniform(0.2, duration))
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = files(root)
        for name, content in now.items():
            assert content in (old[name], new[name]), f"{name} torn after a kill at attempt {attempt}"
        mixed += now != old and now != new
    print(f"{mixed} of {KILLS} kills cut the pull in the middle")
