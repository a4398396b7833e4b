"""Merging a template into a translated catalog, as ``msgmerge --previous`` does.

``merge`` returns a new catalog in the template's order followed by the obsolete entries;
neither input is changed. Nothing is lost: every non-empty translation of the catalog is in
the result, as an active, fuzzy or obsolete entry (but for the other forms of a plural entry
the template made singular: its first non-empty form is kept).

As msgmerge does: an exact match on (msgctxt, msgid) keeps the translation, the translator
comments and the fuzzy flag, and takes the rest from the template; without one, the most
similar leftover translation is proposed, fuzzy, with the strings it translated as ``#|``
previous ones; a source can seed several entries and is then not also kept as obsolete; a
change of ``msgid_plural`` makes a translated entry fuzzy (the singular copied into every
form); an untranslated entry (empty first form) is never fuzzy, nor a fuzzy source, and is
dropped when the template drops it; previous strings stay on fuzzy entries only; obsolete
entries keep their flags (``fuzzy`` too), translator comments and (fuzzy ones) previous strings,
and lose locations and automatic comments.

Where we differ from msgmerge, on purpose:

- An obsolete (``#~``) entry the template brings back is revived **fuzzy**: nobody has looked
  at it since its message was removed. msgmerge revives it as it was.
- Fuzzy proposals come only from the leftovers, the entries (active, then obsolete) that no
  template entry matched exactly: a fuzzy match carries a translation whose msgid changed.
  msgmerge also proposes translations of messages still in use ("Open files" gets the one of
  "Open file").
- Similarity is difflib's ``SequenceMatcher.ratio`` (no autojunk; over words for msgids
  longer than _LONG), at least ``CUTOFF``, msgmerge's threshold for its own measure. The
  candidates are found as msgmerge finds them (shared 4-grams, see ``_Pool``).
- A plural entry whose first form is empty but another is not is kept as obsolete (msgmerge
  drops it as untranslated), and gives its first non-empty form when made singular.
- A fuzzy entry without previous strings passes on its own msgid as the previous one when it
  seeds a fuzzy match or its plural changes; msgmerge records none.
- The header changes in its POT-Creation-Date line only; msgmerge also reorders the fields
  and adds the template's missing ones.
- A translation that fails the template's format flags is left to ``i18n-tool check``;
  msgmerge makes it fuzzy.
"""

import re
from collections import Counter, defaultdict
from difflib import SequenceMatcher
from heapq import nlargest
from math import ceil, floor, isqrt
from operator import itemgetter

from i18n_tool.catalog.model import Entry, PoFile

CUTOFF = 0.6
_GRAM = 4
_SHORT = 7  # msgids this short are also compared by length: a 3-character one can match them
_LONG = 200  # difflib's own threshold for its autojunk heuristic
_WORDS = re.compile(r"\S+\s*|\s+")
_CREATION_DATE = re.compile(r"^POT-Creation-Date:.*$", re.MULTILINE)
_BEFORE_DATE = re.compile(r"^(?:Project-Id-Version|Report-Msgid-Bugs-To):.*\n", re.MULTILINE)


def merge(po: PoFile, pot: PoFile, nplurals: int, fuzzy_matching: bool = True) -> PoFile:
    """The catalog ``po`` updated to the template ``pot`` (a new PoFile)."""
    nplurals = max(1, nplurals)
    exact, leftovers = _exact_matches(po, pot)
    sources = [entry for entry in leftovers if _translated(entry.msgstr)]
    pool = _Pool(sources) if fuzzy_matching else None
    entries, seeds = [], set()
    for template in pot.active:
        old = exact.get(id(template))
        if old is not None:
            entries.append(_kept(template, old, nplurals))
            continue
        source = pool.best(template) if pool else None
        if source is None:
            entries.append(_untranslated(template, nplurals))
        else:
            seeds.add(id(source))
            entries.append(_seeded(template, source, nplurals))
    entries += [_obsolete(entry) for entry in leftovers if id(entry) not in seeds]
    return PoFile(po.path, _header(po.header, pot.header), entries)


def merge_stats(old: PoFile, new: PoFile) -> dict:
    """Counts for people: kept, fuzzy_matched, new, obsoleted, revived."""
    active = {entry.key for entry in old.active}
    obsolete = {entry.key for entry in old.obsolete} - active
    counts = dict.fromkeys(("kept", "fuzzy_matched", "new", "obsoleted", "revived"), 0)
    for entry in new.active:
        if entry.key in active:
            counts["kept"] += 1
        elif entry.key in obsolete:
            counts["revived"] += 1
        else:
            counts["fuzzy_matched" if any(entry.forms) else "new"] += 1
    counts["obsoleted"] = sum(entry.key in active for entry in new.obsolete)
    return counts


# --- matching ------------------------------------------------------------------------------------


def _exact_matches(po: PoFile, pot: PoFile) -> tuple[dict, list]:
    """{id(template entry): catalog entry} on (msgctxt, msgid), active entries first; the rest."""
    index = {}
    for entry in po.active + po.obsolete:
        index.setdefault(entry.key, entry)
    exact, used = {}, set()
    for template in pot.active:
        old = index.get(template.key)
        if old is not None:
            exact[id(template)] = old
            used.add(id(old))
    leftovers = [entry for entry in po.entries if id(entry) not in used and any(entry.forms)]
    return exact, leftovers


class _Pool:
    """The leftover translations, indexed as msgmerge's fuzzy index is (msgl-fsearch.c): by the
    4-grams of their msgids, so only the few entries sharing the most 4-grams with a msgid are
    compared with it. Short msgids, which share few or no 4-grams, are also kept by length."""

    def __init__(self, entries: list):
        self.entries = sorted(entries, key=lambda entry: entry.obsolete)  # active ones first
        self.grams = defaultdict(list)
        self.short = defaultdict(list)
        for index, entry in enumerate(self.entries):
            for gram in _grams(entry.msgid):
                self.grams[gram].append(index)
            if len(entry.msgid) <= _SHORT:
                self.short[len(entry.msgid)].append(index)
        self.firstfew = max(10, isqrt(len(self.entries)))  # msgmerge's number

    def best(self, template: Entry) -> Entry | None:
        """The most similar entry with a ratio of at least CUTOFF; ties go to the same
        context, then to active entries, then to the first in the catalog."""
        similarity = _Similarity(template.msgid)
        best, best_rank = None, (CUTOFF, False, float("-inf"))
        for index in self._candidates(template.msgid):
            entry = self.entries[index]
            ratio = similarity.ratio(entry.msgid, best_rank[0])
            if ratio is None:
                continue
            rank = (ratio, entry.msgctxt == template.msgctxt, -index)
            if rank > best_rank:
                best, best_rank = entry, rank
        return best

    def _candidates(self, msgid: str) -> list:
        """The entries sharing the most 4-grams with ``msgid`` (ties: the first counted)."""
        shared = Counter()
        for gram in sorted(_grams(msgid)):  # sorted: the same ties in every run
            shared.update(self.grams.get(gram, ()))
        top = nlargest(self.firstfew, shared.items(), key=itemgetter(1))
        return list(dict.fromkeys([index for index, _ in top] + self._short(len(msgid))))

    def _short(self, length: int) -> list:
        """The short msgids whose length allows a ratio of CUTOFF with one of ``length``."""
        low, high = ceil(length * CUTOFF / (2 - CUTOFF)), floor(length * (2 - CUTOFF) / CUTOFF)
        return [index for size in range(low, min(high, _SHORT) + 1) for index in self.short[size]]


def _grams(text: str) -> set:
    return {text[at:at + _GRAM] for at in range(len(text) - _GRAM + 1)}


class _Similarity:
    """``SequenceMatcher.ratio`` of one msgid with others: over characters, or for a msgid longer
    than _LONG over words (a word matches whole; the ratio still counts characters), which is
    as good a measure for paragraphs and 30 times faster."""

    def __init__(self, msgid: str):
        self.length = len(msgid)
        self.words = self.length > _LONG
        self.matcher = SequenceMatcher(None, autojunk=False)
        self.matcher.set_seq2(_WORDS.findall(msgid) if self.words else msgid)  # indexed once

    def ratio(self, other: str, least: float) -> float | None:
        """The ratio with ``other``, or None when it is below ``least`` (cheap bounds first)."""
        total = self.length + len(other)
        if total and 2 * min(self.length, len(other)) / total < least:
            return None
        seq = _WORDS.findall(other) if self.words else other
        self.matcher.set_seq1(seq)
        if not self.words and self.matcher.quick_ratio() < least:
            return None
        blocks = self.matcher.get_matching_blocks()
        matched = sum(len("".join(seq[at:at + size])) for at, _, size in blocks)
        ratio = 2 * matched / total if total else 1.0
        return ratio if ratio >= least else None


# --- building entries ----------------------------------------------------------------------------


def _kept(template: Entry, old: Entry, nplurals: int) -> Entry:
    """An exact match: the catalog's translation and comments, the template's everything else."""
    msgstr = _fit(old.msgstr, template, nplurals)
    plural_changed = old.msgid_plural != template.msgid_plural
    fuzzy = (old.fuzzy or old.obsolete or plural_changed) and _translated(msgstr)
    if not fuzzy:
        return _from_template(template, msgstr, old.comments, fuzzy)
    previous = _origin(old) if plural_changed else _previous(old)
    return _from_template(template, msgstr, old.comments, fuzzy, previous)


def _seeded(template: Entry, source: Entry, nplurals: int) -> Entry:
    """A fuzzy match: the source's translation and comments, and what it translated (``#|``)."""
    msgstr = _fit(source.msgstr, template, nplurals)
    return _from_template(template, msgstr, source.comments, fuzzy=True, previous=_origin(source))


def _untranslated(template: Entry, nplurals: int) -> Entry:
    msgstr = [""] * nplurals if template.is_plural else ""
    return _from_template(template, msgstr, template.comments, fuzzy=False)


def _obsolete(entry: Entry) -> Entry:
    msgstr = list(entry.msgstr) if isinstance(entry.msgstr, list) else entry.msgstr
    result = Entry(entry.msgid, msgstr, entry.msgctxt, entry.msgid_plural, list(entry.flags),
                   list(entry.comments), obsolete=True)
    if entry.fuzzy:  # what the fuzzy translation was made for, shown again if it comes back
        result.previous_msgctxt, result.previous_msgid, result.previous_msgid_plural = _previous(entry)
    return result


def _from_template(template, msgstr, comments, fuzzy, previous=(None, None, None)) -> Entry:
    flags = [flag for flag in template.flags if flag != "fuzzy"]
    entry = Entry(template.msgid, msgstr, template.msgctxt, template.msgid_plural,
                  ["fuzzy"] + flags if fuzzy else flags, list(comments),
                  list(template.auto_comments), list(template.locations))
    entry.previous_msgctxt, entry.previous_msgid, entry.previous_msgid_plural = previous
    return entry


def _previous(entry: Entry) -> tuple:
    return entry.previous_msgctxt, entry.previous_msgid, entry.previous_msgid_plural


def _origin(entry: Entry) -> tuple:
    """The strings ``entry``'s translation was made for: its previous ones while it is fuzzy."""
    if entry.fuzzy and entry.previous_msgid is not None:
        return _previous(entry)
    return entry.msgctxt, entry.msgid, entry.msgid_plural


def _translated(msgstr) -> bool:
    """As msgfmt and msgmerge see it: the first form is not empty."""
    return bool(msgstr[0] if isinstance(msgstr, list) and msgstr else msgstr)


def _fit(msgstr, template: Entry, nplurals: int):
    """A copy of ``msgstr`` shaped for the template entry: the singular copied into every
    form, or the first non-empty form."""
    if isinstance(msgstr, list):
        if template.is_plural:
            return list(msgstr) or [""] * nplurals
        return next((form for form in msgstr if form), "")
    return [msgstr] * nplurals if template.is_plural else msgstr


# --- header --------------------------------------------------------------------------------------


def _header(header: Entry | None, template: Entry | None) -> Entry | None:
    """The catalog's header with the template's POT-Creation-Date."""
    if header is None:
        return None
    merged = Entry("", header.msgstr, header.msgctxt, None, list(header.flags), list(header.comments),
                   list(header.auto_comments), list(header.locations))
    found = _CREATION_DATE.search(template.forms[0]) if template is not None else None
    if found:
        merged.msgstr = _with_date(header.forms[0], found.group(0))
    return merged


def _with_date(text: str, line: str) -> str:
    if _CREATION_DATE.search(text):
        return _CREATION_DATE.sub(lambda _: line, text, count=1)
    anchors = list(_BEFORE_DATE.finditer(text))
    at = anchors[-1].end() if anchors else 0
    return text[:at] + line + "\n" + text[at:]
