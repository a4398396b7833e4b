"""Tests of the Transifex sync (push/pull), against a local fake of the Transifex API v3."""
