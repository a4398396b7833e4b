"""The companion app: a Warehouse-style package index, localized with i18n-tool.

Its templates are the toolchain's own extraction source (``make demo``).
"""
