"""Checks of single entries that need no parsing of their text: plural counts, fuzzy, newlines."""

from i18n_tool.checks import Problem


def plural_count(entry, nplurals):
    """Too few forms: gettext shows the source for the numbers without one. Too many: never shown."""
    if not entry.is_plural or nplurals is None or len(entry.msgstr) == nplurals:
        return
    count = len(entry.msgstr)
    if count < nplurals:
        yield Problem("plural-forms-count", f"{count} plural forms, but nplurals={nplurals}: numbers that "
                                            f"take msgstr[{count}] and after are shown in the source language")
    else:
        yield Problem("plural-forms-extra", f"{count} plural forms, but nplurals={nplurals}: "
                                            f"msgstr[{nplurals}] and after are never shown")


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
