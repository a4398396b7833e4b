"""Jinja2 through pyramid_jinja2: ``.html`` templates under ``companion/templates``.

``i18n_tool.pyramid`` installs the newstyle gettext callables (with ``pgettext``/``npgettext``) and
the Babel date and number filters; here ``{% trans %}`` blocks are trimmed (the
``ext.i18n.trimmed`` policy, as the extraction mapping in pyproject.toml says) and file sizes are
formatted with Babel in the request's locale.
"""

from __future__ import annotations

from datetime import UTC, datetime

import babel
import babel.units
from jinja2 import pass_context
from pyramid.events import BeforeRender
from pyramid_jinja2 import IJinja2Environment

DOMAIN = "messages"


def _locale(context) -> babel.Locale:
    return context["request"].babel_locale  # i18n_tool.pyramid's, once per request


@pass_context
def format_filesize(context, size: int) -> str:
    """Decimal units, as PyPI shows them: ``820 byte``, ``14.2 kB``, ``3.1 MB``."""
    for unit, scale in (("digital-gigabyte", 10**9), ("digital-megabyte", 10**6), ("digital-kilobyte", 10**3)):
        if size >= scale:
            return babel.units.format_unit(size / scale, unit, length="short", format="#,##0.#",
                                           locale=_locale(context))
    return babel.units.format_unit(size, "digital-byte", length="short", locale=_locale(context))


def isoformat(value: datetime) -> str:
    """For ``<time datetime=...>``."""
    return value.astimezone(UTC).isoformat(timespec="seconds")


def _setup_environment(config) -> None:
    env = config.registry.getUtility(IJinja2Environment, name=".html")
    env.policies["ext.i18n.trimmed"] = True  # as the extraction mapping says (pyproject.toml)
    env.filters.update(format_filesize=format_filesize, isoformat=isoformat)


def _template_globals(event) -> None:
    event.setdefault("year", datetime.now(UTC).year)


def includeme(config) -> None:
    settings = config.get_settings()
    settings.setdefault("jinja2.directories", "companion:templates")
    settings.setdefault("jinja2.i18n.domain", DOMAIN)
    settings.setdefault("jinja2.undefined", "strict")
    config.include("pyramid_jinja2")
    config.add_jinja2_renderer(".html")
    # After pyramid_jinja2 builds the environment (its documented hook, order 999).
    config.action(None, lambda: _setup_environment(config), order=999)
    config.add_subscriber(_template_globals, BeforeRender)
