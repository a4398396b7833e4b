"""Whether a distribution's file name fits its type, project and version.

Wheels are named as the binary distribution format says (PEP 427), sdists
``{name}-{version}.tar.gz`` (the sdist format, PEP 625); names are compared PEP 503-normalized
and versions as PEP 440 versions, with ``packaging``'s parsers.
"""

from __future__ import annotations

import re

from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    canonicalize_name,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import Version

from companion.packaging.models import PackageType

MAX_LENGTH = 255
# What names, PEP 440 versions (epochs, local parts) and tags are written with: never a path or a quote.
SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+!-]*")
EXTENSIONS = {PackageType.SDIST: ".tar.gz", PackageType.BDIST_WHEEL: ".whl"}


def _parse(filename: str, packagetype: PackageType) -> tuple[str, Version]:
    if packagetype is PackageType.SDIST:
        return parse_sdist_filename(filename)
    name, version, _build, _tags = parse_wheel_filename(filename)
    return name, version


def filename_problem(filename: str, packagetype: PackageType, name: str, version: Version) -> str | None:
    """Why ``filename`` cannot be a ``packagetype`` of ``name`` ``version``; None when it can."""
    if len(filename) > MAX_LENGTH or not SAFE.fullmatch(filename):
        return f"Invalid filename: {filename!r}"
    extension = EXTENSIONS[packagetype]
    if not filename.endswith(extension):
        return f"Invalid file extension: a file of type {packagetype} must end with {extension}"
    try:
        file_name, file_version = _parse(filename, packagetype)
    except (InvalidSdistFilename, InvalidWheelFilename) as error:
        return str(error)
    if canonicalize_name(file_name) != canonicalize_name(name):
        return f"Filename does not match the project name: {filename!r} is not a file of {name!r}"
    if file_version != version:
        return f"Filename does not match the version: {filename!r} is not a file of version {version}"
    return None
