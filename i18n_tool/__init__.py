"""i18n-tool: localization and accessibility toolchain for Pyramid + Jinja2 apps."""

__version__ = "0.1.0"
