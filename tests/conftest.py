import os

import pytest


def require(what: str, found: bool, install: str):
    """Skip a test whose service is absent, with the reason; in CI fail instead."""
    if found:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required in CI but not installed ({install})")
    pytest.skip(reason=f"{what} not installed ({install})")
