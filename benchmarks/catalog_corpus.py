"""Deterministic translated catalogs with defects injected at known places, for benchmarks/catalogs.py.

``generate(root)`` writes ``root/catalogs/messages.pot`` and, for 44 real locales,
``root/catalogs/<locale>/LC_MESSAGES/messages.po`` (1,500 messages each), then breaks a few
entries and headers on purpose and lists every defect in ``root/defects.json``:

    python -m benchmarks.catalog_corpus DIR     # generate, check the clean copy with msgfmt -c

The messages come from the phrase tables of ``benchmarks/corpus.py`` (the extraction corpus)
plus a few below: plurals, contexts, translator and extracted comments, locations; a fifth of
the msgids carry HTML: links, ``<strong>``, short inline markup, and help pages (20 and more
tags in one msgid, some of them on several lines, as untrimmed ``{% trans %}`` blocks leave
them); placeholders as ``%(name)s`` / ``%s`` / ``%d`` (``python-format``), ``{name}``
(``python-brace-format``) and ``${name}`` (``pyramid-format``), texts that begin or end with a
newline. Translations are pseudo-translations (accented, reversed, full-width, Cyrillic or
Greek text per locale) that keep placeholders, markup and newlines where they are, so an
entry nobody broke is clean: ``validate_clean()`` runs ``msgfmt -c`` on a copy generated
without defects. Some entries are fuzzy (their ``fuzzy`` warnings are listed as
``background``, not as defects), some untranslated, some obsolete.

Defects, a few of each kind a checker can find in an entry or a header (RULES of
``i18n_tool.checks``), are injected by the small functions of ``ENTRY_DEFECTS`` and
``HEADER_DEFECTS``. Not injected: ``po-syntax`` (the file becomes unusable, exit 2: use
``inject_syntax_error()`` on a copy), and ``locale-missing``, ``coverage-below-minimum`` and
``obsolete-piling-up``, which depend on configuration. Header defects go to catalogs of their
own (with two plural forms, so a checker falling back to gettext's default is not flooded), one
per catalog; entry defects to the others.
"""

import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

from babel import Locale
from babel.messages.plurals import get_plural

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.corpus import (  # noqa: E402  (the extraction corpus's phrase tables)
    COMMON, CONTEXT, CONTEXT_PLURALS, EMAIL, HELP, MODULE_KINDS, PACKAGES, PAGE_KINDS, PLURALS,
    SECTIONS, SENTENCES, TITLES, TOPICS, TRANSLATOR_NOTES,
)
from i18n_tool.catalog.model import Entry, PoFile  # noqa: E402
from i18n_tool.catalog.po import write  # noqa: E402

LOCALES = [
    "de", "fr", "es", "it", "pt", "pt_BR", "nl", "sv", "da", "nb", "fi", "pl", "cs", "sk", "ru",
    "uk", "bg", "sr", "hr", "sl", "ro", "hu", "el", "tr", "he", "ar", "fa", "hi", "bn", "ja",
    "ko", "zh_Hans", "zh_Hant", "th", "vi", "id", "lt", "lv", "ga", "cy", "et", "eu", "af", "sw",
]
DOMAIN = "messages"
DATE = "2024-05-01 12:00+0000"

# Shares of the 1,500 messages by shape (the rest are plain sentences and titles).
QUOTAS = {"plural": 0.07, "context": 0.03, "context_plural": 0.01, "link": 0.05, "strong": 0.04,
          "markup": 0.05, "help": 0.06, "positional": 0.03, "positional_plural": 0.01, "newline": 0.02}
# Placeholder syntax of a message with named placeholders: %(name)s, {name} or ${name}.
SYNTAXES = [("python-format", 0.55), ("python-brace-format", 0.25), ("pyramid-format", 0.20)]
UNTRANSLATED, FUZZY, NOTED, COMMENTED = 0.05, 0.03, 0.10, 0.02  # per locale, per message
OBSOLETE = 30  # #~ entries per catalog
PER_VARIANT = 2  # catalogs that get each defect variant

LINKS = [
    'Read <a href="%(href)s">how to {verb} {a} {noun}</a>.',
    'You can <a href="%(href)s">{verb} this {noun}</a> from its settings page.',
    '<a href="%(href)s">Learn more</a> about {doing} {nouns}.',
    'Before you {verb} {a} {noun}, read <a href="%(href)s" title="%(title)s">the guide</a>.',
]
STRONG = [
    "This will permanently {verb} <strong>%(name)s</strong>.",
    "<strong>Warning:</strong> {doing} {a} {noun} cannot be undone.",
    "The {noun} <strong>%(name)s</strong> was {done} by %(username)s.",
    "<strong>{Nouns}</strong> {done} by you appear in the security history.",
]
MARKUP = [
    "Press <kbd>Enter</kbd> to {verb} the {noun}.",
    "Run <code>pip install %(name)s</code> to install it.",
    "The {noun} was {done}.<br>You can <em>undo</em> this within 30 days.",
    "<em>{Nouns}</em> {done} by you are listed below.",
    'Your {noun} is <span class="badge">%(status)s</span>.',
]
# Help pages: whole sections in one msgid, as Warehouse's help page has them.
HELP_BLOCKS = [
    "<p>{Doing} {a} {noun} is done from its settings page. <strong>Only project owners</strong> can "
    "{verb} {nouns}, and every change is recorded in the <em>security history</em>.</p>",
    '<ol><li>Open <a href="%(settings_href)s">your account settings</a>.</li>'
    "<li>Select <em>{Nouns}</em> in the menu.</li>"
    "<li>Click <strong>{Verb}</strong> and confirm with <kbd>Enter</kbd>.</li></ol>",
    '<p>See the <a href="%(docs_href)s" title="%(title)s">documentation</a> or the '
    '<abbr title="frequently asked questions">FAQ</abbr> to learn more, and run '
    "<code>pip install --upgrade pip</code> before you {verb} {a} {noun}.</p>",
    '<p class="note">{Doing} {a} {noun} cannot be undone.<br>Write to '
    '<a href="mailto:%(email)s">%(email)s</a> if you are unsure.</p>',
]
POSITIONAL = ["{Noun} %s was {done}.", "%d {nouns} selected", "Showing %d of %d {nouns}",
              "Could not {verb} %s: %s", "{Nouns} {done} in the last %d days"]
POSITIONAL_PLURALS = [("%d {noun}", "%d {nouns}"), ("%d {noun} {done}", "%d {nouns} {done}")]
CONTEXT_NAMES = ["button", "page title", "heading", "menu", "tooltip", "dialog"]
TRANSLATOR_COMMENTS = ["Checked against the glossary.", "Short: shown on a button.",
                       "Kept the English product name.", "Reviewed"]

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]|\$\{(\w+)\}|\{(\w*)\}")
NAMED = re.compile(r"%\((\w+)\)s")
# What a pseudo-translation leaves alone: placeholders, tags, entities, newlines.
PROTECTED = re.compile(r"%\(\w+\)[sd]|%[sd]|\$\{\w+\}|\{\w*\}|<[^<>]*>|&\w+;|\s*\n\s*")


# ---------------------------------------------------------------------------------------------
# The corpus record
# ---------------------------------------------------------------------------------------------


def po_path(locale: str) -> str:
    """A catalog's path relative to the corpus root."""
    return f"catalogs/{locale}/LC_MESSAGES/{DOMAIN}.po"


@dataclass(frozen=True)
class Defect:
    path: str  # relative to the corpus root
    msgid: str | None  # None for a header-level defect
    code: str  # the RULES code a checker should report
    variant: str = ""  # the function that made it, e.g. "mangled-fullwidth" for ％(x)s
    line: int | None = None  # the msgid line of the entry (of the header), None without one
    span: tuple | None = None  # first and last line of the entry's block in the file


@dataclass
class CatalogCorpus:
    root: Path
    locales: list
    messages: int  # active messages per catalog (and in the .pot)
    seed: int
    defects: list = field(default_factory=list)  # Defect, injected
    background: list = field(default_factory=list)  # Defect("fuzzy") of the entries fuzzy by design

    @property
    def pot(self) -> Path:
        return self.root / "catalogs" / f"{DOMAIN}.pot"

    @property
    def po_files(self) -> list:
        """The catalogs' paths relative to root, in the order of locales."""
        return [po_path(locale) for locale in self.locales]

    def save(self) -> None:
        data = {"locales": self.locales, "messages": self.messages, "seed": self.seed,
                "defects": [asdict(d) for d in self.defects],
                "background": [asdict(d) for d in self.background]}
        (self.root / "defects.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n",
                                                encoding="utf-8")


def load(root: Path) -> CatalogCorpus:
    """The corpus already generated in root, from its defects.json."""
    data = json.loads(Path(root, "defects.json").read_text(encoding="utf-8"))

    def defects(items):
        return [Defect(**dict(d, span=tuple(d["span"]) if d["span"] else None)) for d in items]

    return CatalogCorpus(Path(root), data["locales"], data["messages"], data["seed"],
                         defects(data["defects"]), defects(data["background"]))


# ---------------------------------------------------------------------------------------------
# The template: 1,500 messages
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Message:
    msgid: str
    plural: str | None = None
    context: str | None = None
    flags: tuple = ()
    notes: tuple = ()  # extracted comments
    locations: tuple = ()


def candidates(shape: str) -> list:
    """Every (context, singular, plural) of one shape, before placeholder conversion."""
    def each(patterns):
        return [topic.fill(p) for topic in TOPICS for p in patterns]

    if shape == "plain":
        found = [(None, m, None) for m in COMMON + HELP + EMAIL + each(TITLES) + each(SENTENCES)]
        return [c for c in found if "<" not in c[1]]  # markup is the link and strong shapes
    if shape == "plural":
        return [(None, topic.fill(s), topic.fill(p)) for topic in TOPICS for s, p in PLURALS]
    if shape == "context":
        return [(ctx, m, None) for ctx, m in CONTEXT + [(c, t) for c in CONTEXT_NAMES for t in each(TITLES)]]
    if shape == "context_plural":
        return CONTEXT_PLURALS + [(ctx, topic.fill(s), topic.fill(p)) for ctx in CONTEXT_NAMES
                                  for topic in TOPICS for s, p in PLURALS]
    if shape == "link":
        return [(None, m, None) for m in each(LINKS) + [h for h in HELP if "<a " in h]]
    if shape == "strong":
        return [(None, m, None) for m in each(STRONG)]
    if shape == "markup":
        return [(None, m, None) for m in each(MARKUP)]
    if shape == "help":  # one line (trimmed), or a block per line with indentation (untrimmed)
        return [(None, topic.fill(joiner.join(HELP_BLOCKS)), None)
                for topic in TOPICS for joiner in ("", "\n    ")]
    if shape == "positional":
        return [(None, m, None) for m in each(POSITIONAL)]
    if shape == "positional_plural":
        return [(None, topic.fill(s), topic.fill(p)) for topic in TOPICS for s, p in POSITIONAL_PLURALS]
    if shape == "newline":  # untrimmed email blocks: a trailing newline, or one on each side
        return [(None, m + "\n", None) for m in EMAIL + each(SENTENCES)] + \
               [(None, "\n" + m + "\n", None) for m in EMAIL]
    raise ValueError(shape)


def usable(context, singular, plural) -> bool:
    """No stray % (like "100% free"); a plural's two sides have the same placeholders, so every
    form of a clean translation keeps all of them."""
    text = singular + (plural or "")
    if text.count("%") != len(re.findall(r"%\(\w+\)[sd]|%[sd]", text)):
        return False
    return plural is None or sorted(PLACEHOLDER.findall(singular)) == sorted(PLACEHOLDER.findall(plural))


def convert(text: str, syntax: str) -> str:
    """%(name)s as {name} or ${name}."""
    if syntax == "python-brace-format":
        return NAMED.sub(r"{\1}", text)
    if syntax == "pyramid-format":
        return NAMED.sub(r"${\1}", text)
    return text


def flags_of(text: str) -> tuple:
    if "${" in text:
        return ("pyramid-format",)
    if re.search(r"(?<!\$)\{\w+\}", text):
        return ("python-brace-format",)
    if "%" in text:
        return ("python-format",)
    return ()


def location(rng: random.Random) -> str:
    if rng.random() < 0.7:
        page = f"{rng.choice(SECTIONS)}/{rng.choice(TOPICS).slug}-{rng.choice(PAGE_KINDS)}"
        return f"app/templates/{page}.html:{rng.randint(3, 240)}"
    module = f"{rng.choice(PACKAGES)}/{rng.choice(TOPICS).ident}_{rng.choice(MODULE_KINDS)}"
    return f"app/{module}.py:{rng.randint(10, 600)}"


def template_messages(rng: random.Random, count: int) -> list:
    """``count`` distinct messages, shapes by QUOTAS, named placeholders spread over the syntaxes."""
    quotas = {shape: round(count * share) for shape, share in QUOTAS.items()}
    quotas["plain"] = count - sum(quotas.values())
    taken, messages = set(), []
    for shape, quota in quotas.items():
        pool = [c for c in candidates(shape) if usable(*c)]
        rng.shuffle(pool)
        picked = 0
        for context, singular, plural in pool:
            if picked == quota:
                break
            syntax = rng.choices([s for s, _ in SYNTAXES], [w for _, w in SYNTAXES])[0]
            singular, plural = convert(singular, syntax), plural and convert(plural, syntax)
            if (context, singular) in taken:
                continue
            taken.add((context, singular))
            notes = (f" Translators: {rng.choice(TRANSLATOR_NOTES)}",) if rng.random() < NOTED else ()
            where = " ".join(location(rng) for _ in range(rng.choice([1, 1, 1, 2, 3])))
            messages.append(Message(singular, plural, context, flags_of(singular + (plural or "")),
                                    notes, (" " + where,)))
            picked += 1
        if picked < quota:
            raise ValueError(f"only {picked} {shape} messages, {quota} wanted")
    rng.shuffle(messages)
    return messages


def obsolete_messages(rng: random.Random, count: int, taken: set) -> list:
    """Messages no longer in the template (kept by `update` as #~ entries)."""
    pool = [m for m in candidates("plain") if usable(*m) and (None, m[1]) not in taken]
    return [Message(m, flags=flags_of(m)) for _, m, _ in rng.sample(pool, count)]


# ---------------------------------------------------------------------------------------------
# Pseudo-translation
# ---------------------------------------------------------------------------------------------

ACCENTED = str.maketrans("aeiouycnszAEIOUYCNSZ", "áéíóúýçñšžÁÉÍÓÚÝÇÑŠŽ")
CYRILLIC = str.maketrans("aeopcxyABEKMHOPCTXk", "аеорсхуАВЕКМНОРСТХк")
GREEK = str.maketrans("abeiknoptuxyABEIKNOPTUXY", "αβεικνορτυχγΑΒΕΙΚΝΟΡΤΥΧΥ")
FULLWIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F) if chr(c).isalnum()}
STYLES = {"ja": "fullwidth", "ko": "fullwidth", "zh": "fullwidth", "ru": "cyrillic", "uk": "cyrillic",
          "bg": "cyrillic", "sr": "cyrillic", "el": "greek", "ar": "reversed", "he": "reversed",
          "fa": "reversed", "th": "reversed", "hi": "reversed"}


def pseudo_text(text: str, style: str) -> str:
    """One run of plain text (no placeholder, tag or newline) in the locale's style."""
    if style == "reversed":
        core = text.strip()
        if not core:
            return text
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()):]
        return lead + " ".join(reversed(core.split())).translate(ACCENTED) + trail
    table = {"fullwidth": FULLWIDTH, "cyrillic": CYRILLIC, "greek": GREEK}.get(style, ACCENTED)
    return text.translate(table)


def pseudo(text: str, locale: str) -> str:
    """The text translated in the locale's style, protected parts kept where they are."""
    style = STYLES.get(locale.split("_")[0], "accented")
    out, last = [], 0
    for match in PROTECTED.finditer(text):
        out.append(pseudo_text(text[last:match.start()], style))
        out.append(match.group())
        last = match.end()
    out.append(pseudo_text(text[last:], style))
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# Catalogs
# ---------------------------------------------------------------------------------------------


def nplurals_of(locale: str) -> int:
    return get_plural(Locale.parse(locale)).num_plurals


def header_entry(locale: str | None) -> Entry:
    """The header as Babel writes it (``init``), with a real translator and team."""
    if locale is None:
        language, fields = "LANGUAGE", {
            "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE", "Last-Translator": "FULL NAME <EMAIL@ADDRESS>",
            "Language-Team": "LANGUAGE <LL@li.org>"}
        comments = [" Translations template for companion.", " Copyright (C) 2024 the i18n-tool authors",
                    " This file is distributed under the same license as the companion project.",
                    " FIRST AUTHOR <EMAIL@ADDRESS>, 2024.", ""]
    else:
        language = Locale.parse(locale).english_name
        fields = {"PO-Revision-Date": "2024-05-02 09:30+0000",
                  "Last-Translator": f"{language} translator <{locale.lower()}@example.org>",
                  "Language": locale, "Language-Team": f"{language} <{locale.lower()}@example.org>",
                  "Plural-Forms": str(get_plural(Locale.parse(locale))), "X-Generator": "Poedit 3.4.2"}
        comments = [f" {language} translations for companion.", " Copyright (C) 2024 the i18n-tool authors",
                    " This file is distributed under the same license as the companion project.",
                    f" {language} translator <{locale.lower()}@example.org>, 2024.", ""]
    header = {"Project-Id-Version": "companion 1.0", "Report-Msgid-Bugs-To": "i18n@example.org",
              "POT-Creation-Date": DATE, **fields, "MIME-Version": "1.0",
              "Content-Type": "text/plain; charset=utf-8", "Content-Transfer-Encoding": "8bit",
              "Generated-By": "benchmarks/catalog_corpus.py"}
    return Entry("", "".join(f"{k}: {v}\n" for k, v in header.items()), comments=comments,
                 flags=["fuzzy"] if locale is None else [])


def template_entry(message: Message) -> Entry:
    return Entry(message.msgid, ["", ""] if message.plural is not None else "", message.context,
                 message.plural, list(message.flags), auto_comments=list(message.notes),
                 locations=list(message.locations))


def translated_entry(message: Message, locale: str, nplurals: int, rng: random.Random) -> tuple:
    """(entry, fuzzy by design) of one message in one locale."""
    entry = template_entry(message)
    state = rng.random()
    if message.plural is not None:
        forms = [pseudo(message.plural, locale)] * nplurals
        if nplurals > 1:
            forms[0] = pseudo(message.msgid, locale)
        entry.msgstr = forms
    else:
        entry.msgstr = pseudo(message.msgid, locale)
    if rng.random() < COMMENTED:
        entry.comments = [" " + rng.choice(TRANSLATOR_COMMENTS)]
    if state < UNTRANSLATED:
        entry.msgstr = [""] * nplurals if message.plural is not None else ""
    elif state < UNTRANSLATED + FUZZY:
        entry.flags.insert(0, "fuzzy")
        if message.plural is None and " " in message.msgid:
            entry.previous_msgid = message.msgid.replace(" ", " the ", 1)
        return entry, True
    return entry, False


def obsolete_entry(message: Message, locale: str) -> Entry:
    return Entry(message.msgid, pseudo(message.msgid, locale), flags=list(message.flags), obsolete=True)


@dataclass(eq=False)
class Draft:
    """One catalog before it is written: the model, and which entries are defective."""
    locale: str
    nplurals: int
    po: PoFile
    fuzzy: list = field(default_factory=list)  # entries fuzzy by design
    broken: list = field(default_factory=list)  # (entry or None, code, variant)

    @property
    def path(self) -> str:
        return po_path(self.locale)


def draft(locale: str, messages: list, obsolete: list, seed: int) -> Draft:
    rng = random.Random(f"{seed}:{locale}")
    nplurals = nplurals_of(locale)
    result = Draft(locale, nplurals, PoFile(po_path(locale), header_entry(locale)))
    for message in messages:
        entry, fuzzy = translated_entry(message, locale, nplurals, rng)
        result.po.entries.append(entry)
        if fuzzy:
            result.fuzzy.append(entry)
    result.po.entries.extend(obsolete_entry(m, locale) for m in obsolete)
    return result


def layout(po: PoFile) -> tuple:
    """(bytes, {id(entry): (first line, msgid line, last line)}) of the file as written."""
    chunks, lines, number = [], {}, 1
    blocks = ([(po.header, PoFile(po.path, header=po.header))] if po.header is not None else []) + \
             [(entry, PoFile(po.path, entries=[entry])) for entry in po.entries]
    for entry, single in blocks:
        data = write(single)
        text = data.decode("utf-8").split("\n")[:-1]  # only \n ends a line in a .po file
        offset = next(i for i, line in enumerate(text) if line.lstrip("#~ ").startswith("msgid "))
        lines[id(entry)] = (number, number + offset, number + len(text) - 2)  # last line is blank
        chunks.append(data)
        number += len(text)
    return b"".join(chunks), lines


def write_draft(root: Path, d: Draft) -> tuple:
    """Write the catalog; (defects, background) with their lines."""
    data, lines = layout(d.po)
    path = root / d.path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    defects = []
    for entry, code, variant in d.broken:
        target = entry if entry is not None else d.po.header
        first, msgid_line, last = lines[id(target)] if target is not None else (None, None, None)
        defects.append(Defect(d.path, entry.msgid if entry is not None else None, code, variant, msgid_line,
                              (first, last) if first else None))
    background = [Defect(d.path, e.msgid, "fuzzy", "by design", lines[id(e)][1],
                         (lines[id(e)][0], lines[id(e)][2])) for e in d.fuzzy]
    return defects, background


# ---------------------------------------------------------------------------------------------
# Defects: each function breaks one entry (returns the entry that carries the defect) or
# returns None, changing nothing, when the entry does not suit it.
# ---------------------------------------------------------------------------------------------


def _single(entry: Entry, flag: str, pattern: str):
    """The first match of pattern in a non-plural entry with that flag, or None."""
    if entry.is_plural or flag not in entry.flags:
        return None
    return re.search(pattern, entry.msgstr)


def _replace(entry: Entry, old: str, new: str, count: int = 1) -> Entry:
    entry.msgstr = entry.msgstr.replace(old, new, count)
    return entry


def unknown_percent(d, entry):
    """%(name)s message: the translation gains %(nombre)s."""
    if _single(entry, "python-format", r"%\(\w+\)s"):
        entry.msgstr += " %(nombre)s"
        return entry


def unknown_brace(d, entry):
    if _single(entry, "python-brace-format", r"\{\w+\}"):
        entry.msgstr += " {nombre}"
        return entry


def unknown_pyramid(d, entry):
    if _single(entry, "pyramid-format", r"\$\{\w+\}"):
        entry.msgstr += " ${nombre}"
        return entry


def _drop_named(entry, flag, pattern):
    """Remove every occurrence of the first placeholder that is not a link target."""
    match = _single(entry, flag, pattern)
    if match and "href" not in match.group():
        entry.msgstr = entry.msgstr.replace(match.group(), "")
        return entry


def missing_percent(d, entry):
    return _drop_named(entry, "python-format", r"%\(\w+\)s")


def missing_brace(d, entry):
    return _drop_named(entry, "python-brace-format", r"(?<!\$)\{\w+\}")


def missing_pyramid(d, entry):
    return _drop_named(entry, "pyramid-format", r"\$\{\w+\}")


def missing_href(d, entry):
    """A link to nowhere: href="%(href)s" becomes href="#" (any syntax)."""
    match = re.search(r'href="(%\(href\)s|\{href\}|\$\{href\})"', entry.msgstr) if not entry.is_plural else None
    if match:
        return _replace(entry, match.group(), 'href="#"')


def mismatch_type(d, entry):
    """%s becomes %d."""
    if _single(entry, "python-format", r"%s") and not NAMED.search(entry.msgid):
        return _replace(entry, "%s", "%d")


def mismatch_count(d, entry):
    """One more positional placeholder than the source has."""
    match = _single(entry, "python-format", r"%[sd]")
    if match and not NAMED.search(entry.msgid):
        entry.msgstr += " " + match.group()
        return entry


def mangled_fullwidth(d, entry):
    """%(name)s written with a full-width percent sign: ％(name)s."""
    match = _single(entry, "python-format", r"%(\(\w+\)s)")
    if match:
        return _replace(entry, match.group(), "％" + match.group(1))


def mangled_spaced(d, entry):
    """%(name)s as % (name) s."""
    match = _single(entry, "python-format", r"%\((\w+)\)s")
    if match:
        return _replace(entry, match.group(), f"% ({match.group(1)}) s")


def mangled_pyramid(d, entry):
    """${name} as $ {name}."""
    match = _single(entry, "pyramid-format", r"\$\{\w+\}")
    if match:
        return _replace(entry, match.group(), "$ " + match.group()[1:])


def mangled_brace(d, entry):
    """{name} loses its closing brace."""
    match = _single(entry, "python-brace-format", r"(?<!\$)\{\w+\}")
    if match:
        return _replace(entry, match.group(), match.group()[:-1])


def unclosed_link(d, entry):
    """<a href=…> without its </a>."""
    if not entry.is_plural and "<a " in entry.msgstr and "</a>" in entry.msgstr:
        return _replace(entry, "</a>", "")


def spaced_end_tag(d, entry):
    """</strong> as </ strong>: a bogus comment to an HTML tokenizer, so <strong> stays open."""
    if not entry.is_plural and "</strong>" in entry.msgstr:
        return _replace(entry, "</strong>", "</ strong>")


def script(d, entry):
    if not entry.is_plural and "<a " in entry.msgstr:
        entry.msgstr += "<script>alert(document.cookie)</script>"
        return entry


def onclick(d, entry):
    if not entry.is_plural and "<a href=" in entry.msgstr:
        return _replace(entry, "<a href=", '<a onclick="track(this)" href=')


def javascript_url(d, entry):
    if not entry.is_plural and '<a href="' in entry.msgstr:
        return _replace(entry, '<a href="', '<a href="javascript:')


def fewer_forms(d, entry):
    if entry.is_plural and d.nplurals > 1:
        entry.msgstr = entry.msgstr[:-1]
        return entry


def more_forms(d, entry):
    if entry.is_plural:
        entry.msgstr = entry.msgstr + [entry.msgstr[-1]]
        return entry


def duplicate(d, entry):
    """The same msgctxt and msgid again, further down (as a bad merge leaves it)."""
    if entry.is_plural:
        return None
    copy = replace(entry, flags=list(entry.flags), comments=[], auto_comments=[],
                   locations=list(entry.locations))
    active = [i for i, e in enumerate(d.po.entries) if not e.obsolete]
    start = d.po.entries.index(entry) + 1
    d.po.entries.insert(random.Random(entry.msgid).randint(start, active[-1] + 1), copy)
    return copy


def strong_as_em(d, entry):
    """Balanced markup, but not the source's: <strong> becomes <em>."""
    if not entry.is_plural and "<strong>" in entry.msgstr:
        entry.msgstr = entry.msgstr.replace("<strong>", "<em>").replace("</strong>", "</em>")
        return entry


def strong_dropped(d, entry):
    if not entry.is_plural and "<strong>" in entry.msgstr:
        entry.msgstr = entry.msgstr.replace("<strong>", "").replace("</strong>", "")
        return entry


def plural_form_drops_placeholder(d, entry):
    """The first form of a plural translation (of several) without its placeholder."""
    if entry.is_plural and d.nplurals > 1:
        match = PLACEHOLDER.search(entry.msgstr[0])
        if match:
            entry.msgstr[0] = entry.msgstr[0].replace(match.group(), "").strip()
            return entry


def fuzzy(d, entry):
    entry.flags.insert(0, "fuzzy")
    return entry


def newline_added(d, entry):
    if not entry.is_plural and not entry.msgid.endswith("\n"):
        entry.msgstr += "\n"
        return entry


def newline_dropped(d, entry):
    if not entry.is_plural and entry.msgid.endswith("\n"):
        entry.msgstr = entry.msgstr.rstrip("\n")
        return entry


ENTRY_DEFECTS = [  # (code, function that injects it)
    ("placeholder-unknown", unknown_percent),
    ("placeholder-unknown", unknown_brace),
    ("placeholder-unknown", unknown_pyramid),
    ("placeholder-missing", missing_percent),
    ("placeholder-missing", missing_brace),
    ("placeholder-missing", missing_pyramid),
    ("placeholder-missing", missing_href),
    ("placeholder-mismatch", mismatch_type),
    ("placeholder-mismatch", mismatch_count),
    ("placeholder-mangled", mangled_fullwidth),
    ("placeholder-mangled", mangled_spaced),
    ("placeholder-mangled", mangled_pyramid),
    ("placeholder-mangled", mangled_brace),
    ("html-unbalanced", unclosed_link),
    ("html-unbalanced", spaced_end_tag),
    ("html-unsafe", script),
    ("html-unsafe", onclick),
    ("html-unsafe", javascript_url),
    ("plural-forms-count", fewer_forms),
    ("plural-forms-extra", more_forms),
    ("duplicate-entry", duplicate),
    ("html-differs", strong_as_em),
    ("html-differs", strong_dropped),
    ("placeholder-missing-in-plural-form", plural_form_drops_placeholder),
    ("fuzzy", fuzzy),
    ("newline-mismatch", newline_added),
    ("newline-mismatch", newline_dropped),
]


def _set_header(d, name, value):
    """Replace (value None: remove) one header field."""
    lines = [line for line in d.po.header.msgstr.splitlines() if not line.startswith(f"{name}:")]
    if value is not None:
        at = next(i for i, line in enumerate(d.po.header.msgstr.splitlines()) if line.startswith(f"{name}:"))
        lines.insert(at, f"{name}: {value}")
    d.po.header.msgstr = "".join(line + "\n" for line in lines)


def no_header(d):
    d.po.header = None


def no_charset(d):
    _set_header(d, "Content-Type", "text/plain")


def no_language(d):
    _set_header(d, "Language", None)


def language_name(d):
    """The language's English name where its code belongs: Language: German."""
    _set_header(d, "Language", Locale.parse(d.locale).english_name)


def no_plural_forms(d):
    """An error where gettext's default (n != 1) is not the language's rule, else a warning."""
    _set_header(d, "Plural-Forms", None)
    return None if str(get_plural(d.locale)) == "nplurals=2; plural=(n != 1);" else "header-plural-forms"


def unparsable_plural_forms(d):
    _set_header(d, "Plural-Forms", f"nplurals={d.nplurals}; plural=(n != 1;")


def plural_index_too_large(d):
    _set_header(d, "Plural-Forms", f"nplurals={d.nplurals}; plural=(n == 1 ? 0 : {d.nplurals});")


HEADER_DEFECTS = [  # (code, function that injects it); each in catalogs of its own
    ("header-missing", no_header),
    ("header-charset", no_charset),
    ("header-language", no_language),
    ("header-language", language_name),
    ("header-plural-forms-default", no_plural_forms),
    ("header-plural-forms", unparsable_plural_forms),
    ("header-plural-forms", plural_index_too_large),
]


def variant(function) -> str:
    return function.__name__.replace("_", "-")


def eligible(d: Draft, taken: set) -> list:
    """Entries a defect may go to: active, translated in every form, not fuzzy, not broken yet,
    and with a msgid no other entry of the catalog has (findings name the msgid, not the context)."""
    counts = {}
    for entry in d.po.entries:
        counts[entry.msgid] = counts.get(entry.msgid, 0) + 1
    return [e for e in d.po.entries if e.complete and counts[e.msgid] == 1 and id(e) not in taken]


def inject(drafts: list, seed: int, per_variant: int = PER_VARIANT) -> None:
    """Header defects in catalogs of their own (two plural forms), entry defects in the others."""
    rng = random.Random(f"{seed}:defects")
    two_forms = [d for d in drafts if d.nplurals == 2]
    needed = len(HEADER_DEFECTS) * per_variant
    if len(two_forms) < needed or len(drafts) <= needed:
        raise ValueError(f"the defects need {needed} catalogs with two plural forms and others besides "
                         f"(the 44 default locales have 17 and 27); use defects=False for fewer locales")
    header_drafts = rng.sample(two_forms, needed)
    for i, d in enumerate(header_drafts):
        code, function = HEADER_DEFECTS[i // per_variant]
        d.broken.append((None, function(d) or code, variant(function)))
    others = [d for d in drafts if d not in header_drafts]
    rng.shuffle(others)
    taken, turn = set(), 0  # ids of entries already broken (or duplicated); the next catalog
    for code, function in ENTRY_DEFECTS:
        for _ in range(per_variant):
            for attempt in range(len(others)):  # the next catalog with an entry that suits
                d = others[(turn + attempt) % len(others)]
                if any(v == variant(function) for _, _, v in d.broken):
                    continue
                broken = try_entries(d, function, rng, taken)
                if broken is not None:
                    d.broken.append((broken, code, variant(function)))
                    turn += attempt + 1
                    break
            else:
                raise ValueError(f"no catalog has an entry for {variant(function)}")


def try_entries(d: Draft, function, rng: random.Random, taken: set):
    """Apply function to the first eligible entry (in random order) that suits it."""
    entries = eligible(d, taken)
    rng.shuffle(entries)
    for entry in entries:
        broken = function(d, entry)
        if broken is not None:
            taken.update((id(entry), id(broken)))
            return broken
    return None


def inject_syntax_error(path: Path) -> int:
    """Break a .po file (a msgstr loses its closing quote, as a bad hand edit leaves it);
    return the line of the error. For the separate po-syntax measurement: exit 2 expected."""
    lines = Path(path).read_bytes().split(b"\n")
    number = next(i for i in range(len(lines) // 2, len(lines))
                  if lines[i].startswith(b'msgstr "') and len(lines[i]) > 12)
    lines[number] = lines[number].rstrip(b'"')
    Path(path).write_bytes(b"\n".join(lines))
    return number + 1


# ---------------------------------------------------------------------------------------------
# Generating and validating
# ---------------------------------------------------------------------------------------------


def generate(root: Path, locales=44, messages: int = 1500, seed: int = 0, defects: bool = True) -> CatalogCorpus:
    """Write the template, the catalogs and defects.json into root (root/catalogs must not exist).

    ``locales`` is a count (the first of LOCALES) or a list of locale identifiers.
    """
    root = Path(root)
    if (root / "catalogs").exists():
        raise FileExistsError(f"{root / 'catalogs'} already exists; generate into an empty directory")
    chosen = LOCALES[:locales] if isinstance(locales, int) else list(locales)
    rng = random.Random(seed)
    template = template_messages(rng, messages)
    obsolete = obsolete_messages(rng, OBSOLETE, {(m.context, m.msgid) for m in template})
    pot = PoFile(f"catalogs/{DOMAIN}.pot", header_entry(None), [template_entry(m) for m in template])
    (root / "catalogs").mkdir(parents=True)
    (root / "catalogs" / f"{DOMAIN}.pot").write_bytes(write(pot))
    drafts = [draft(locale, template, obsolete, seed) for locale in chosen]
    if defects:
        inject(drafts, seed)
    corpus = CatalogCorpus(root, chosen, messages, seed)
    for d in drafts:
        found, background = write_draft(root, d)
        corpus.defects.extend(found)
        corpus.background.extend(background)
    corpus.save()
    return corpus


def msgfmt_check(path: Path) -> str:
    """msgfmt -c's complaints about one file ("" when it is clean)."""
    done = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    return done.stderr if done.returncode or done.stderr else ""


def validate_clean(locales=44, messages: int = 1500, seed: int = 0) -> int:
    """Generate a copy without defects and run msgfmt -c on each catalog; raise ValueError on
    any complaint. Returns the number of catalogs checked."""
    with tempfile.TemporaryDirectory(prefix="catalog-corpus-") as tmp:
        corpus = generate(Path(tmp), locales, messages, seed, defects=False)
        complaints = [text for path in corpus.po_files if (text := msgfmt_check(corpus.root / path))]
        if complaints:
            raise ValueError(f"{len(complaints)} clean catalogs fail msgfmt -c:\n" + "\n".join(complaints)[:4000])
        return len(corpus.po_files)


def counts(corpus: CatalogCorpus) -> dict:
    """{code: number of injected defects}, in the order of the defect tables."""
    order = [code for code, _ in HEADER_DEFECTS + ENTRY_DEFECTS]
    result = dict.fromkeys(sorted({d.code for d in corpus.defects}, key=order.index), 0)
    for d in corpus.defects:
        result[d.code] += 1
    return result


def describe(corpus: CatalogCorpus) -> dict:
    """Sizes and shares of the corpus on disk, counted from the files' lines."""
    totals = dict.fromkeys(["entries", "plural_entries", "fuzzy", "untranslated", "obsolete"], 0)
    size = 0
    for path in corpus.po_files:
        data = (corpus.root / path).read_bytes()
        size += len(data)
        text = data.decode("utf-8")
        totals["entries"] += len(re.findall(r"^msgid (?!\"\"$)", text, re.M))  # not the header
        totals["plural_entries"] += len(re.findall(r"^msgid_plural ", text, re.M))
        totals["fuzzy"] += len(re.findall(r"^#, fuzzy", text, re.M))
        totals["untranslated"] += len(re.findall(r'^msgstr(\[0\])? ""\n(\n|msgstr\[)', text, re.M))
        totals["obsolete"] += len(re.findall(r"^#~ msgid ", text, re.M))
    pot = corpus.pot.read_text(encoding="utf-8")
    nplurals = {}
    for locale in corpus.locales:
        nplurals[nplurals_of(locale)] = nplurals.get(nplurals_of(locale), 0) + 1
    return {
        "catalogs": len(corpus.po_files), "messages": corpus.messages,
        "plural": len(re.findall(r"^msgid_plural ", pot, re.M)), "context": len(re.findall(r"^msgctxt ", pot, re.M)),
        "size_mib": round((size + len(pot.encode())) / 2**20, 1), **totals,
        "nplurals": {f"{n} forms": count for n, count in sorted(nplurals.items())},
        "defects": counts(corpus), "defects_total": len(corpus.defects),
        "fuzzy_by_design": len(corpus.background),
    }


def main(argv: list) -> int:
    if len(argv) != 1:
        print("usage: python -m benchmarks.catalog_corpus DIR", file=sys.stderr)
        return 2
    corpus = generate(Path(argv[0]))
    print(f"{corpus.root}: {len(corpus.po_files)} catalogs and {corpus.pot.name}, {corpus.messages} messages each; "
          f"{len(corpus.defects)} defects, {len(corpus.background)} entries fuzzy by design")
    for name, value in describe(corpus).items():
        print(f"  {name}: {value}")
    if shutil.which("msgfmt"):
        print(f"msgfmt -c: {validate_clean(corpus.locales, corpus.messages, corpus.seed)} clean catalogs pass")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
