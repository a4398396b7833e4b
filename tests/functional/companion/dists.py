"""Tiny, valid distributions built by hand (no build backend, no network), and the upload form
twine would send for them."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import tarfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from packaging.utils import canonicalize_name

FIXED_TIME = (2024, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Dist:
    name: str
    version: str = "1.0"
    summary: str = "A tiny test distribution"
    requires_python: str | None = ">=3.8"
    module_text: str = 'GREETING = "hello"\n'
    extra_metadata: tuple[tuple[str, str], ...] = field(default=())

    @property
    def module(self) -> str:
        return canonicalize_name(self.name).replace("-", "_")

    @property
    def dist_name(self) -> str:  # the normalized name in file names
        return self.module

    def metadata_text(self) -> str:
        lines = ["Metadata-Version: 2.1", f"Name: {self.name}", f"Version: {self.version}", f"Summary: {self.summary}"]
        if self.requires_python:
            lines.append(f"Requires-Python: {self.requires_python}")
        lines += [f"{key}: {value}" for key, value in self.extra_metadata]
        return "\n".join(lines) + "\n\n"

    @property
    def wheel_filename(self) -> str:
        return f"{self.dist_name}-{self.version}-py3-none-any.whl"

    @property
    def sdist_filename(self) -> str:
        return f"{self.dist_name}-{self.version}.tar.gz"

    def wheel(self) -> bytes:
        info = f"{self.dist_name}-{self.version}.dist-info"
        files = {f"{self.module}.py": self.module_text.encode(), f"{info}/METADATA": self.metadata_text().encode(),
                 f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n\n"}
        record = [f"{path},sha256={_urlsafe_digest(data)},{len(data)}" for path, data in files.items()]
        files[f"{info}/RECORD"] = ("\n".join([*record, f"{info}/RECORD,,"]) + "\n").encode()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path, data in files.items():
                archive.writestr(zipfile.ZipInfo(path, FIXED_TIME), data)
        return buffer.getvalue()

    def sdist(self) -> bytes:
        top = f"{self.dist_name}-{self.version}"
        pyproject = (f'[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n\n'
                     f'[project]\nname = "{self.name}"\nversion = "{self.version}"\n').encode()
        files = {f"{top}/PKG-INFO": self.metadata_text().encode(), f"{top}/pyproject.toml": pyproject,
                 f"{top}/{self.module}.py": self.module_text.encode()}
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as archive:
            for path, data in files.items():
                member = tarfile.TarInfo(path)
                member.size, member.mtime, member.mode = len(data), time.mktime((*FIXED_TIME, 0, 0, 0)), 0o644
                archive.addfile(member, io.BytesIO(data))
        return gzip.compress(buffer.getvalue(), mtime=0)  # the same bytes every time

    def write(self, directory: Path) -> list[Path]:
        directory.mkdir(parents=True, exist_ok=True)
        paths = [directory / self.sdist_filename, directory / self.wheel_filename]
        paths[0].write_bytes(self.sdist())
        paths[1].write_bytes(self.wheel())
        return paths

    def form(self, filetype: str = "bdist_wheel", content: bytes | None = None, filename: str | None = None,
             **fields) -> tuple[list[tuple[str, str]], list[tuple[str, str, bytes]]]:
        """(fields, upload_files) for webtest's ``post(..., fields, upload_files=...)``, as twine sends them."""
        if content is None:
            content = self.wheel() if filetype == "bdist_wheel" else self.sdist()
        if filename is None:
            filename = self.wheel_filename if filetype == "bdist_wheel" else self.sdist_filename
        values = {"metadata_version": "2.1", "name": self.name, "version": self.version, "summary": self.summary,
                  "requires_python": self.requires_python, "pyversion": "py3" if filetype == "bdist_wheel" else "source",
                  "filetype": filetype, "sha256_digest": hashlib.sha256(content).hexdigest(),
                  "blake2_256_digest": hashlib.blake2b(content, digest_size=32).hexdigest(),
                  ":action": "file_upload", "protocol_version": "1", **fields}
        pairs = []
        for key, value in values.items():
            for item in value if isinstance(value, list) else [value]:
                if item is not None:
                    pairs.append((key, item))
        return pairs, [("content", filename, content)]


def _urlsafe_digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
