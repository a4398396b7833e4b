"""``.tx/config``: the project file of the official Transifex CLI (``tx``, github.com/transifex/cli).

The format, as the Go CLI reads and writes it (``internal/txlib/config/local.go``)::

    [main]
    host     = https://app.transifex.com
    lang_map = pt_PT: pt-pt, zh_CN: zh-Hans

    [o:acme:p:website:r:messages]
    file_filter   = catalogs/<lang>/LC_MESSAGES/messages.po
    source_file   = catalogs/messages.pot
    source_lang   = en
    type          = PO
    minimum_perc  = 80
    lang_map      = pt_BR: pt-br
    trans.fr_CA   = catalogs/extra/fr_CA/messages.po
    resource_name = Website messages

- A resource section is named by its API v3 id, ``o:ORGANIZATION:p:PROJECT:r:RESOURCE``.
- ``lang_map`` pairs are ``remote: local``: the Transifex language code first, then the code
  used in your file names. A resource's ``lang_map`` takes precedence over ``[main]``'s, entry
  by entry (the CLI merges the two maps; it does not replace one by the other).
- ``trans.<lang> = path`` gives one language its own file; ``<lang>`` there is the *local* code.
- ``minimum_perc`` (0-100): languages translated less than this are not pulled.
- Paths are relative to the project root: the directory that holds ``.tx/``.
- Sections named ``[project.resource]`` come from the old Python client. The Go CLI reads them
  only so that ``tx migrate`` can look the organization up and rename them; they are refused
  here with that advice.

We sync gettext catalogs only: every resource must be ``type = PO``. Every problem is an
:class:`~i18n_tool.errors.InputError` with the file and the line. :func:`render_txconfig` writes
the CLI's layout (sections sorted by id, keys in the CLI's order, ``=`` aligned within a
section, as go-ini writes them), byte for byte the same for the same config.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from i18n_tool.config.reader import Ini, parse_ini, read_text
from i18n_tool.errors import InputError
from i18n_tool.files import atomic_write

DEFAULT_HOST = "https://app.transifex.com"
SUPPORTED_TYPES = ("PO",)
LANG = "<lang>"
MAIN = "main"
CONFIG_PATH = Path(".tx") / "config"

_SLUG = re.compile(r"[A-Za-z0-9_-]+")
_LANGUAGE = re.compile(r"[A-Za-z0-9@_+-]+")  # no '/', no '.': a code can never leave its directory
_URL = re.compile(r"https?://[^\s/]+(/\S*)?")
_EXAMPLE_ID = "[o:organization:p:project:r:resource]"


# --- the model -------------------------------------------------------------------------------------------


def _reverse(mapping: Mapping[str, str]) -> dict[str, str]:
    return {local: remote for remote, local in mapping.items()}


def merge_lang_maps(main: Mapping[str, str], resource: Mapping[str, str]) -> dict[str, str]:
    """``[main]``'s map with the resource's entries taking precedence (for a remote or a local code)."""
    claimed = set(resource.values())
    merged = {remote: local for remote, local in main.items() if remote not in resource and local not in claimed}
    merged.update(resource)
    return dict(sorted(merged.items()))


def check_language_code(code: str, what: str = "language code") -> str:
    """``code``, if it can go into a file name; an InputError if not (it may come from Transifex)."""
    if not isinstance(code, str) or not _LANGUAGE.fullmatch(code):
        raise InputError(f"'{code}' cannot be a {what}",
                         hint="a code is letters, digits and '_', '-', '@', '+' (like pt_BR or sr@latin)")
    return code


@dataclass(frozen=True)
class TxResource:
    """One ``[o:ORG:p:PROJECT:r:RESOURCE]`` section.

    ``lang_map`` is this section's own (remote code -> local code); :attr:`effective_lang_map`
    merges in ``[main]``'s. ``overrides`` maps a local code to its ``trans.<lang>`` path. Paths are
    as written, relative to ``root`` (the directory holding ``.tx/``); ``line`` is the section's.
    """

    organization: str
    project: str
    slug: str
    file_filter: str
    source_file: str
    source_lang: str | None = None
    type: str = "PO"
    minimum_perc: int | None = None  # None: not set
    lang_map: dict[str, str] = field(default_factory=dict)
    overrides: dict[str, str] = field(default_factory=dict)
    name: str | None = None  # resource_name
    line: int | None = field(default=None, compare=False)
    root: Path | None = None
    main_lang_map: dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def id(self) -> str:
        return f"o:{self.organization}:p:{self.project}:r:{self.slug}"

    @property
    def project_id(self) -> str:
        return f"o:{self.organization}:p:{self.project}"

    @property
    def effective_lang_map(self) -> dict[str, str]:
        """Remote code -> local code, ``[main]``'s entries overridden by this resource's."""
        return merge_lang_maps(self.main_lang_map, self.lang_map)

    def remote_language(self, local_code: str) -> str:
        """The Transifex code of a local language (itself unless ``lang_map`` maps it)."""
        return _reverse(self.effective_lang_map).get(local_code, local_code)

    def local_language(self, remote_code: str) -> str:
        """The local code of a Transifex language (itself unless ``lang_map`` maps it)."""
        return self.effective_lang_map.get(remote_code, remote_code)

    def _path(self, relative: str) -> Path:
        return self.root / relative if self.root is not None else Path(relative)

    def relative_path_for(self, local_code: str) -> str:
        """The path of a language's catalog as written in .tx/config: ``trans.<lang>``, else file_filter."""
        check_language_code(local_code)
        if local_code in self.overrides:
            return self.overrides[local_code]
        return self.file_filter.replace(LANG, local_code)

    def path_for(self, local_code: str) -> Path:
        """Where the catalog of ``local_code`` lives (under ``root`` when it is known)."""
        return self._path(self.relative_path_for(local_code))

    @property
    def source_path(self) -> Path:
        return self._path(self.source_file)

    def local_files(self) -> dict[str, Path]:
        """Local code -> path of every translation file on disk: matches of file_filter, and overrides."""
        base = self.root if self.root is not None else Path(".")
        pattern = re.compile(
            "^" + re.escape(self.file_filter).replace(re.escape(LANG), f"({_LANGUAGE.pattern})") + "$")
        found: dict[str, Path] = {}
        for candidate in sorted(base.glob(self.file_filter.replace(LANG, "*"))):
            match = pattern.match(candidate.relative_to(base).as_posix())
            codes = set(match.groups()) if match else set()
            if len(codes) == 1 and candidate.is_file():
                found[codes.pop()] = candidate
        for code, relative in sorted(self.overrides.items()):
            path = self._path(relative)
            if path.is_file():
                found[code] = path
            else:
                found.pop(code, None)
        return dict(sorted(found.items()))


@dataclass(frozen=True)
class TxConfig:
    path: Path | None
    host: str = DEFAULT_HOST
    lang_map: dict[str, str] = field(default_factory=dict)
    resources: tuple[TxResource, ...] = ()

    @property
    def root(self) -> Path | None:
        """The project root: the directory that holds ``.tx/``."""
        return self.path.absolute().parent.parent if self.path is not None else None

    def resource(self, name: str) -> TxResource:
        """A resource by its id, ``project.resource`` (as ``tx push`` takes them) or its slug."""
        for resource in self.resources:
            if name in (resource.id, f"{resource.project}.{resource.slug}"):
                return resource
        matches = [resource for resource in self.resources if resource.slug == name]
        if len(matches) == 1:
            return matches[0]
        known = ", ".join(resource.id for resource in self.resources) or "none"
        what = "is ambiguous" if matches else "is not"
        raise InputError(f"resource '{name}' {what} in .tx/config", path=self.path, hint=f"known: {known}")


# --- reading ------------------------------------------------------------------------------------------------


def find_txconfig(start: Path | str | None = None) -> Path | None:
    """The ``.tx/config`` in ``start`` or the nearest parent, stopping at a directory holding .git."""
    start = Path(start if start is not None else os.getcwd()).absolute()
    if start.is_file():
        start = start.parent
    for directory in (start, *start.parents):
        candidate = directory / CONFIG_PATH
        if candidate.is_file():
            return candidate
        if (directory / ".git").exists():
            return None
    return None


def read_txconfig(path: Path | str) -> TxConfig:
    """The validated ``.tx/config`` at ``path`` (the file, its ``.tx`` folder, or the project root)."""
    path = Path(path)
    if path.is_dir():
        path = path / "config" if path.name == ".tx" else path / CONFIG_PATH
    text = read_text(path, "no Transifex config here",
                      hint="run `tx init` and `tx add`, or write one from the i18n-tool config")
    return _parse_txconfig(path, text)


def _parse_txconfig(path: Path | None, text: str) -> TxConfig:
    ini = parse_ini(path, text)
    root = path.absolute().parent.parent if path is not None else None
    main = ini.sections.get(MAIN, {})
    host = main.get("host") or DEFAULT_HOST
    if not _URL.fullmatch(host):
        raise ini.error((MAIN, "host"), f"host '{host}' is not a URL", hint=f"write it like {DEFAULT_HOST}")
    main_map = _lang_map(ini, (MAIN, "lang_map"), main.get("lang_map", ""))
    resources = tuple(
        _resource(ini, root, name, values, main_map)
        for name, values in ini.sections.items()
        if name not in (MAIN, "DEFAULT")  # the CLI skips both
    )
    return TxConfig(path=path, host=host.rstrip("/"), lang_map=main_map, resources=resources)


def _section_ids(ini: Ini, name: str) -> tuple[str, str, str]:
    if ":" not in name and name.count(".") == 1 and all(name.split(".")):
        project, resource = name.split(".")
        raise ini.error(
            (name,),
            f"[{name}] is a section of the old Transifex client (project.resource, without the organization)",
            hint=f"run `tx migrate` to convert .tx/config, or rename it to [o:ORGANIZATION:p:{project}:r:{resource}]",
        )
    parts = name.split(":")
    if len(parts) != 6 or parts[0::2] != ["o", "p", "r"] or not all(parts[1::2]):
        raise ini.error((name,), f"section [{name}] is not a resource id like {_EXAMPLE_ID}")
    for kind, slug in zip(("organization", "project", "resource"), parts[1::2]):
        if not _SLUG.fullmatch(slug):
            raise ini.error((name,), f"[{name}]: '{slug}' is not a {kind} slug",
                            hint="slugs are letters, digits, '_' and '-'")
    return parts[1], parts[3], parts[5]


def _required(ini: Ini, name: str, values: dict, key: str, example: str) -> str:
    value = values.get(key, "")
    if value:
        return value
    if key in values:
        raise ini.error((name, key), f"[{name}]: '{key}' is empty", hint=f"write it like {key} = {example}")
    close = difflib.get_close_matches(key, list(values), n=1)
    hint = f"did you mean '{key}' instead of '{close[0]}'?" if close else f"add {key} = {example}"
    raise ini.error((name,), f"[{name}] has no '{key}'", hint=hint)


def _relative(ini: Ini, keys: tuple[str, ...], value: str) -> str:
    if "/" not in value and "\\" in value:
        value = value.replace("\\", "/")  # written on Windows, as the CLI reads it
    if value.startswith("/") or re.match(r"[A-Za-z]:[\\/]", value):
        raise ini.error(keys, f"'{keys[-1]}' must be relative to the project root, not '{value}'",
                        hint="paths in .tx/config are relative to the directory that holds .tx/")
    return value


def _percent(ini: Ini, keys: tuple[str, ...], value: str | None) -> int | None:
    if value is None:
        return None
    if not re.fullmatch(r"\d{1,3}", value) or int(value) > 100:
        raise ini.error(keys, f"minimum_perc must be a whole number from 0 to 100, not '{value}'")
    return int(value)


def _lang_map(ini: Ini, keys: tuple[str, ...], value: str) -> dict[str, str]:
    """``remote: local, remote: local`` -> {remote: local}."""
    mapping: dict[str, str] = {}
    if not value.strip():
        return mapping
    hint = "write it like lang_map = pt_BR: pt-br, zh_CN: zh-Hans (Transifex code: local code)"
    for entry in value.split(","):
        parts = [part.strip() for part in entry.split(":")]
        if len(parts) != 2 or not all(parts):
            raise ini.error(keys, f"lang_map entry '{entry.strip()}' is not 'remote: local'", hint=hint)
        remote, local = parts
        for code in parts:
            if not _LANGUAGE.fullmatch(code):
                raise ini.error(keys, f"lang_map: '{code}' is not a language code", hint=hint)
        if remote in mapping:
            raise ini.error(keys, f"lang_map maps '{remote}' twice")
        if local in mapping.values():
            raise ini.error(keys, f"lang_map maps two Transifex languages to '{local}'")
        mapping[remote] = local
    return mapping


def _resource(ini: Ini, root: Path | None, name: str, values: dict, main_map: dict) -> TxResource:
    organization, project, slug = _section_ids(ini, name)
    file_filter = _relative(ini, (name, "file_filter"),
                            _required(ini, name, values, "file_filter", f"catalogs/{LANG}/LC_MESSAGES/messages.po"))
    if LANG not in file_filter:
        raise ini.error((name, "file_filter"), f"file_filter '{file_filter}' has no {LANG}",
                        hint=f"put {LANG} where the language code goes, e.g. catalogs/{LANG}/LC_MESSAGES/messages.po")
    source_file = _relative(ini, (name, "source_file"),
                            _required(ini, name, values, "source_file", "catalogs/messages.pot"))
    kind = _required(ini, name, values, "type", "PO")
    if kind not in SUPPORTED_TYPES:
        close = "did you mean 'PO'? " if kind.upper() == "PO" else ""
        raise ini.error((name, "type"), f"[{name}]: type '{kind}' is not supported",
                        hint=f"{close}i18n-tool syncs gettext catalogs: type = PO")
    overrides = {}
    for key, path in values.items():
        if not key.startswith("trans."):
            continue
        code = key[len("trans."):]
        if not _LANGUAGE.fullmatch(code):
            raise ini.error((name, key), f"'{key}': '{code}' is not a language code",
                            hint="write it like trans.pt_BR = path (with the local code)")
        if not path:
            raise ini.error((name, key), f"'{key}' has no path")
        overrides[code] = _relative(ini, (name, key), path)
    return TxResource(
        organization=organization,
        project=project,
        slug=slug,
        file_filter=file_filter,
        source_file=source_file,
        source_lang=values.get("source_lang") or None,
        type=kind,
        minimum_perc=_percent(ini, (name, "minimum_perc"), values.get("minimum_perc")),
        lang_map=_lang_map(ini, (name, "lang_map"), values.get("lang_map", "")),
        overrides=dict(sorted(overrides.items())),
        name=values.get("resource_name") or None,
        line=ini.line((name,)),
        root=root,
        main_lang_map=dict(main_map),
    )


# --- writing ------------------------------------------------------------------------------------------------


def _render_value(value: str) -> str:
    """go-ini's quoting: ```...``` around '#' or ';', quotes around edge spaces."""
    if "\n" in value or "\r" in value or "`" in value:
        raise InputError(f"cannot write {value!r} into .tx/config (a line break or a backquote)")
    if "#" in value or ";" in value:
        return f"`{value}`"
    if value != value.strip():
        return f'"{value}"'
    return value


def _render_lang_map(mapping: Mapping[str, str]) -> str:
    return ", ".join(f"{remote}: {mapping[remote]}" for remote in sorted(mapping))


def _section(name: str, keys: list[tuple[str, str]]) -> list[str]:
    width = max(len(key) for key, _ in keys)
    return [f"[{name}]", *(f"{key.ljust(width)} = {_render_value(value)}" for key, value in keys), ""]


def render_txconfig(config: TxConfig) -> str:
    """``config`` as the CLI writes it: [main], then the resources sorted by id, keys in its order."""
    main = [("host", config.host)]
    if config.lang_map:
        main.append(("lang_map", _render_lang_map(config.lang_map)))
    lines = _section(MAIN, main)
    for resource in sorted(config.resources, key=lambda r: r.id):
        keys = [("file_filter", resource.file_filter), ("source_file", resource.source_file)]
        if resource.source_lang:
            keys.append(("source_lang", resource.source_lang))
        keys.append(("type", resource.type))
        if resource.minimum_perc is not None:
            keys.append(("minimum_perc", str(resource.minimum_perc)))
        if resource.lang_map:
            keys.append(("lang_map", _render_lang_map(resource.lang_map)))
        keys.extend((f"trans.{code}", resource.overrides[code]) for code in sorted(resource.overrides))
        if resource.name:
            keys.append(("resource_name", resource.name))
        lines += _section(resource.id, keys)
    return "\n".join(lines)


def write_txconfig(path: Path | str, config: TxConfig, *, overwrite: bool = False) -> bytes | None:
    """Write ``config`` to ``path`` atomically; the bytes written, or None when the file already had them.

    The text is validated (read back) before anything is written; an existing, different file is
    replaced only with ``overwrite``.
    """
    path = Path(path)
    text = render_txconfig(config)
    _parse_txconfig(path, text)  # a config that would not read back is never written
    data = text.encode("utf-8")
    if path.is_dir():
        raise InputError("is a directory, not a file", path=path)
    if path.exists():
        if path.read_bytes() == data:
            return None
        if not overwrite:
            raise InputError(f"{path.name} exists and differs; not overwritten", path=path,
                             hint="pass overwrite=True (--force) to replace it")
    atomic_write(path, data)
    return data


def _slug(what: str, value: str, hint: str | None = None) -> str:
    if not isinstance(value, str) or not _SLUG.fullmatch(value):
        raise InputError(f"'{value}' is not a Transifex {what} slug",
                         hint=hint or "slugs are letters, digits, '_' and '-'")
    return value


def _posix_relative(root: Path, path: Path) -> str:
    return PurePosixPath(Path(os.path.relpath(Path(path).absolute(), root)).as_posix()).as_posix()


def txconfig_from(
    config,
    organization: str,
    project: str,
    resource_for_domain: Mapping[str, str] | Callable[[str], str] | None = None,
    *,
    host: str = DEFAULT_HOST,
    lang_map: Mapping[str, str] | None = None,
    minimum_perc: int | None = None,
) -> TxConfig:
    """A .tx/config for an i18n-tool :class:`~i18n_tool.config.Config`: one PO resource per domain.

    A domain's resource slug is its name, unless ``resource_for_domain`` (a mapping or a
    function of the domain name) says otherwise. The file goes to ``config.root/.tx/config``.
    """
    _slug("organization", organization)
    _slug("project", project)
    if minimum_perc is not None and not (isinstance(minimum_perc, int) and 0 <= minimum_perc <= 100):
        raise InputError(f"minimum_perc must be a whole number from 0 to 100, not {minimum_perc!r}")
    main_map = dict(lang_map or {})
    for remote, local in main_map.items():
        check_language_code(remote, "Transifex language code")
        check_language_code(local)
    if len(set(main_map.values())) != len(main_map):
        raise InputError("lang_map maps two Transifex languages to the same local code")
    root = Path(config.root).absolute()
    catalogs = _posix_relative(root, config.catalogs)
    source_lang = _reverse(main_map).get(config.source_locale, config.source_locale)
    resources = {}
    for domain_name, domain in config.domains.items():
        if resource_for_domain is None:
            slug = domain_name
        elif isinstance(resource_for_domain, Mapping):
            slug = resource_for_domain.get(domain_name, domain_name)
        else:
            slug = resource_for_domain(domain_name)
        _slug("resource", slug, hint=f"give domain '{domain_name}' a resource slug (resource_for_domain)")
        if slug in resources:
            raise InputError(f"domains '{resources[slug][0]}' and '{domain_name}' would both be resource '{slug}'")
        file_filter = str(PurePosixPath(catalogs, LANG, "LC_MESSAGES", f"{domain_name}.po"))
        resource = TxResource(
            organization=organization,
            project=project,
            slug=slug,
            file_filter=file_filter,
            source_file=_posix_relative(root, domain.pot),
            source_lang=source_lang,
            type="PO",
            minimum_perc=minimum_perc,
            root=root,
            main_lang_map=dict(main_map),
        )
        resources[slug] = (domain_name, resource)
    ordered = tuple(resource for _, resource in sorted(resources.values(), key=lambda item: item[1].id))
    return TxConfig(path=root / CONFIG_PATH, host=host.rstrip("/"), lang_map=main_map, resources=ordered)
