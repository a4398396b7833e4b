"""Syncing gettext catalogs with Transifex (API v3): ``.tx/config``, credentials, push and pull."""

#: What ``pull --mode`` asks Transifex for (its download modes that fill a catalog).
MODES = ("default", "reviewed", "proofread", "translator", "onlytranslated", "onlyreviewed")
