"""The two distributions as users get them: wheels built once per session, each installed into a
fresh venv (dependencies from the package index, through pip's cache), nothing editable.

Without the package index these tests skip locally and fail when ``CI`` is set.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from dataclasses import dataclass
from pathlib import Path

import pytest

from i18n_tool.config import load_config
from tests.conftest import require

ROOT = Path(__file__).resolve().parents[2]
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "build", "dist", "*.egg-info")
# What the app's settings read: removed so that every default (var/, catalogs/ in the cwd) is used.
APP_VARIABLES = ("DATABASE_URL", "REDIS_URL", "COMPANION_SECRET", "COMPANION_VAR_DIR", "COMPANION_CATALOGS")


@dataclass
class Venv:
    path: Path

    @property
    def bin(self) -> Path:
        return self.path / "bin"

    @property
    def site_packages(self) -> Path:
        return next((self.path / "lib").glob("python3*/site-packages"))

    def env(self) -> dict[str, str]:
        """The environment the app's defaults apply in, this venv's bin/ first on PATH."""
        env = {name: value for name, value in os.environ.items() if name not in APP_VARIABLES}
        env["PATH"] = f"{self.bin}{os.pathsep}{env.get('PATH', '')}"
        return env

    def run(self, *args, cwd=None, check=True, timeout=300) -> subprocess.CompletedProcess:
        """``args[0]`` from the venv's bin/."""
        result = subprocess.run([str(self.bin / args[0]), *args[1:]], cwd=cwd, env=self.env(), capture_output=True,
                                text=True, timeout=timeout)
        if check and result.returncode != 0:
            pytest.fail(f"{' '.join(map(str, args))} exited {result.returncode}:\n{result.stdout}{result.stderr}")
        return result


def build_wheel(source: Path, outdir: Path) -> Path:
    """``python -m build --wheel`` of a copy of ``source`` (a stale build/ in the work tree is not used)."""
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(outdir), str(source)],
                   check=True, capture_output=True, text=True, timeout=600)
    [wheel] = outdir.glob("*.whl")
    return wheel


@pytest.fixture(scope="session")
def wheels(tmp_path_factory) -> dict[str, Path]:
    """The core's and the companion's wheels, built from copies of the work tree."""
    base = tmp_path_factory.mktemp("wheels")
    core = base / "src" / "i18n-tool"
    core.mkdir(parents=True)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, core / name)
    shutil.copytree(ROOT / "i18n_tool", core / "i18n_tool", ignore=IGNORED)
    app = base / "src" / "companion-app" / "companion"  # its pyproject.toml finds the package in ..
    shutil.copytree(ROOT / "companion", app, ignore=IGNORED)
    try:
        return {"core": build_wheel(core, base / "core"), "companion": build_wheel(app, base / "companion")}
    except subprocess.CalledProcessError as exc:
        pytest.fail(f"python -m build failed:\n{exc.stdout}{exc.stderr}")


def fresh_venv(path: Path, *requirements) -> Venv:
    venv.create(path, with_pip=True)
    made = Venv(path)
    result = made.run("python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                      *map(str, requirements), check=False, timeout=900)
    unreachable = result.returncode != 0 and any(
        word in result.stderr for word in ("NewConnectionError", "Max retries", "No matching distribution"))
    require("the package index", not unreachable, result.stderr.strip().splitlines()[-1] if unreachable else "")
    if result.returncode != 0:
        pytest.fail(f"pip install {' '.join(map(str, requirements))}:\n{result.stderr}")
    return made


@pytest.fixture(scope="session")
def core_venv(wheels, tmp_path_factory) -> Venv:
    """The core alone: ``pip install i18n-tool``."""
    return fresh_venv(tmp_path_factory.mktemp("venv") / "core", wheels["core"])


@pytest.fixture(scope="session")
def companion_venv(wheels, tmp_path_factory) -> Venv:
    """The companion app and the core it needs (``i18n-tool[pyramid]``)."""
    return fresh_venv(tmp_path_factory.mktemp("venv") / "companion", wheels["core"], wheels["companion"])


def copy_project(target: Path, sources: bool = True) -> Path:
    """The repository's configuration and catalogs (pseudo-locales and .mo left out), and the
    companion's sources the catalogs are extracted from."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "pyproject.toml", target / "pyproject.toml")
    built = load_config(ROOT / "pyproject.toml").pseudo_locales
    shutil.copytree(ROOT / "catalogs", target / "catalogs", ignore=shutil.ignore_patterns("*.mo", *built))
    if sources:
        shutil.copytree(ROOT / "companion", target / "companion", ignore=IGNORED)
    return target
