"""The project's own catalogs, through its own CI gate."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_project_catalogs_pass_their_own_gate():
    result = subprocess.run(["bash", "ci/check-catalogs"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stderr
    assert "0 errors" in result.stdout
