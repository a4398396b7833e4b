"""The ``i18n_tool.*`` settings, read once at startup into a :class:`Localization` in the registry.

========================== =========================================================== =========
setting                    meaning                                                     default
========================== =========================================================== =========
i18n_tool.config           the project's config file (pyproject.toml, i18n-tool.toml,  none
                           setup.cfg): defaults for catalogs, default locale, and the
                           per-locale ``[check] min-coverage``
i18n_tool.catalogs         catalogs directory: absolute path, asset spec               none
                           (``pkg:catalogs``) or path relative to the working directory
i18n_tool.domain           the app's gettext domain                                    messages
i18n_tool.default_locale   always available; used when nothing else matches            en
i18n_tool.min_coverage     percent of the template a compiled catalog must translate  0
i18n_tool.user_locale      dotted name of ``callable(request) -> str | None``          none
i18n_tool.save_user_locale dotted name of ``callable(request, locale)``                none
i18n_tool.switch_path      path of the POST view that switches locale                 /locale
========================== =========================================================== =========
"""

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from pyramid.exceptions import ConfigurationError
from pyramid.path import AssetResolver
from zope.interface import Interface

from i18n_tool.locales import bcp47, display_name, is_locale_code
from i18n_tool.pyramid.locales import compiled_locales

PREFIX = "i18n_tool."
_DOMAIN = re.compile(r"[A-Za-z0-9_.-]+")


class ILocalization(Interface):
    """The app's :class:`Localization` (registered utility)."""


@dataclass(frozen=True)
class Localization:
    default_locale: str
    domain: str
    catalogs: Path | None
    available: tuple[str, ...]  # sorted codes, the default locale included
    menu: tuple[tuple[str, str, str], ...]  # (code, BCP-47 tag, name in its own language)
    switch_path: str = "/locale"
    user_locale: Callable | None = None
    save_user_locale: Callable | None = None


def get_localization(registry) -> Localization:
    return registry.getUtility(ILocalization)


def resolve_path(value, package=None) -> Path:
    """An absolute path, an asset spec (``pkg:dir``), or a path relative to the working directory."""
    value = str(value)
    if os.path.isabs(value):
        return Path(value)
    if ":" in value:
        return Path(AssetResolver(package).resolve(value).abspath())
    return Path(os.path.abspath(value))


def _percent(value, name) -> float:
    try:
        percent = float(value)
    except (TypeError, ValueError):
        raise ConfigurationError(f"{name} must be a number of percent, not {value!r}") from None
    if not 0 <= percent <= 100:
        raise ConfigurationError(f"{name} must be between 0 and 100, not {value!r}")
    return percent


def read_settings(settings, maybe_dotted=lambda value: value, package=None) -> Localization:
    """The Localization of an app's settings; ConfigurationError for a bad value."""
    def get(key, default=None):
        value = settings.get(PREFIX + key)
        return default if value is None or value == "" else value

    project = None
    if get("config"):
        from i18n_tool.config.project import load_config

        project = load_config(resolve_path(get("config"), package))

    domain = str(get("domain", "messages"))
    if not _DOMAIN.fullmatch(domain) or domain.startswith("."):
        raise ConfigurationError(f"{PREFIX}domain must be a gettext domain name, not {domain!r}")
    default = str(get("default_locale") or (project and project.source_locale)
                  or settings.get("default_locale_name") or "en")
    if not is_locale_code(default):
        raise ConfigurationError(f"{PREFIX}default_locale: unknown locale code {default!r} (write it as pt_BR)")

    catalogs = get("catalogs")
    catalogs = resolve_path(catalogs, package) if catalogs else (project.catalogs if project else None)
    if catalogs is not None and not catalogs.is_dir():
        raise ConfigurationError(f"{PREFIX}catalogs: no such directory: {catalogs}")

    if get("min_coverage") is not None:
        fixed = _percent(get("min_coverage"), PREFIX + "min_coverage")
        min_coverage = lambda locale: fixed  # noqa: E731
    elif project is not None:
        min_coverage = lambda locale: project.checks.coverage_for(locale) or 0  # noqa: E731
    else:
        min_coverage = lambda locale: 0  # noqa: E731

    found = []
    if catalogs is not None:
        pot = project.domains[domain].pot if project and domain in project.domains else catalogs / f"{domain}.pot"
        found = compiled_locales(catalogs, domain, pot, min_coverage)
    available = tuple(sorted({default, *found}))

    switch_path = str(get("switch_path", "/locale"))
    if not switch_path.startswith("/"):
        raise ConfigurationError(f"{PREFIX}switch_path must start with '/', not {switch_path!r}")
    return Localization(
        default_locale=default,
        domain=domain,
        catalogs=catalogs,
        available=available,
        menu=tuple((code, bcp47(code), display_name(code)) for code in available),
        switch_path=switch_path,
        user_locale=maybe_dotted(get("user_locale")),
        save_user_locale=maybe_dotted(get("save_user_locale")),
    )
