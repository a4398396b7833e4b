"""Syncing gettext catalogs with Transifex (API v3): ``.tx/config``, credentials, push and pull."""
