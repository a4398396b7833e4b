"""The project's own catalogs, through its own CI gate."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_committed_pot_is_up_to_date():
    result = subprocess.run(["bash", "ci/check-pot"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stderr
