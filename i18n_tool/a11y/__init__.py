"""Accessibility audits (axe-core in Chromium plus static rules); built in a later issue."""
