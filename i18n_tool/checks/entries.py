"""Checks of single entries that need no parsing of their text: plural counts, fuzzy, newlines."""

from i18n_tool.checks import Problem


def plural_count(entry, nplurals):
    if entry.is_plural and nplurals is not None and len(entry.msgstr) != nplurals:
        yield Problem("plural-forms-count",
                      f"{len(entry.msgstr)} plural forms, but the header says nplurals={nplurals}")


def fuzzy(entry):
    if entry.fuzzy:
        yield Problem("fuzzy", "fuzzy: not compiled until a translator confirms it")


def newlines(entry):
    msgid = entry.msgid
    for index, form in enumerate(entry.forms):
        source = msgid if index == 0 or not entry.is_plural else entry.msgid_plural
        if not form:
            continue
        for where, first in (("start", 0), ("end", -1)):
            if (source[first:][:1] == "\n") != (form[first:][:1] == "\n"):
                name = f"msgstr[{index}]" if entry.is_plural else "msgstr"
                yield Problem("newline-mismatch", f"{name} and msgid do not both {where} with a newline")


def duplicates(entries):
    """The second and later entries with a key seen before."""
    first = {}
    for entry in entries:
        if entry.key in first:
            context = f" (msgctxt {entry.msgctxt!r})" if entry.msgctxt is not None else ""
            yield entry, Problem("duplicate-entry",
                                 f"duplicate of the entry at line {first[entry.key]}{context}", entry.line)
        else:
            first[entry.key] = entry.line
