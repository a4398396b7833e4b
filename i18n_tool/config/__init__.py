"""Configuration: the project's (``[tool.i18n-tool]``) and Babel mapping files, read into a validated
:class:`Config`.

- :mod:`~i18n_tool.config.schema`: what a configuration holds (:class:`Config` and its parts)
- :mod:`~i18n_tool.config.project`: finding and reading the project's configuration file
- :mod:`~i18n_tool.config.mapping`: Babel mapping files and inline mapping rules
- :mod:`~i18n_tool.config.convert`: the converters that check one value each
- :mod:`~i18n_tool.config.reader`: TOML and INI files read with the line of every key (shared with
  ``.tx/config`` and ``~/.transifexrc``)

The audit's part of the schema is :mod:`i18n_tool.a11y.config`. The names below are the ones
callers import from ``i18n_tool.config``.
"""

from i18n_tool.a11y.config import AuditPage, AuditSettings, Login, Suppression
from i18n_tool.config.mapping import load_mapping_file, unknown_method
from i18n_tool.config.project import CONFIG_NAMES, find_config, load_config
from i18n_tool.config.schema import DEFAULT_RULES, CheckSettings, Config, Domain, Output, Rule

__all__ = [
    "CONFIG_NAMES", "DEFAULT_RULES", "AuditPage", "AuditSettings", "CheckSettings", "Config", "Domain", "Login",
    "Output", "Rule", "Suppression", "find_config", "load_config", "load_mapping_file", "unknown_method",
]
