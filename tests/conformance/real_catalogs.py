"""Catalogs shaped like a real project's: a .pot of 1,200 messages (UI strings, long help pages
with dozens of tags, plurals, contexts, non-ASCII), and translations with the headers that
Transifex, Weblate and Poedit write, fuzzy entries, previous msgids and obsolete blocks."""

import io
import random

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

HELP = ('<p>To publish a release, <a href="%(upload_url)s">upload</a> an <abbr title="source '
        'distribution">sdist</abbr> and one or more <em>wheels</em>:</p>\n<ol>\n<li>Build them with '
        '<code>python -m build</code>.</li>\n<li>Check them with <code>twine check dist/*</code>.</li>\n'
        '<li>Upload with <code>twine upload dist/*</code>, using an <strong>API token</strong>.</li>\n</ol>\n'
        '<p>See <a href="%(docs_url)s">the packaging guide</a> and <a href="%(faq_url)s">the FAQ</a>; '
        'a <span class="badge">yanked</span> release stays <em>installable</em> by <code>==</code>.</p>')

HEADERS = {
    "transifex": [
        ("Last-Translator", "Jürgen Übel <juergen@example.org>, 2024"),
        ("Language-Team", "German (https://app.transifex.com/acme/teams/12345/de/)"),
    ],
    "weblate": [
        ("Last-Translator", "Ana Núñez <ana@example.org>"),
        ("Language-Team", "Spanish <https://hosted.weblate.org/projects/acme/web/es/>"),
        ("X-Generator", "Weblate 5.4-dev"),
    ],
    "poedit": [
        ("Last-Translator", "山田太郎 <taro@example.jp>"),
        ("Language-Team", "Japanese"),
        ("X-Generator", "Poedit 3.4.2"),
        ("X-Poedit-Basepath", ".."),
        ("X-Poedit-SearchPath-0", "warehouse/templates"),
    ],
}


def template(count: int = 1200, seed: int = 7) -> Catalog:
    """The project's .pot, as Babel's extraction builds it."""
    rng = random.Random(seed)
    catalog = Catalog(project="warehouse", version="24.1", copyright_holder="PyPA",
                      msgid_bugs_address="i18n@example.org", fuzzy=True)
    for index in range(count):
        where = [(f"warehouse/templates/pages/page{index % 97}.html", 10 + index % 300)]
        kind = index % 10
        if kind == 0:
            catalog.add(HELP.replace("release", f"release {index}"), locations=where, flags=["python-format"],
                        auto_comments=["Translators: keep the tags and the %(...)s placeholders."])
        elif kind == 1:
            catalog.add((f"%(count)s project {index}", f"%(count)s projects {index}"), locations=where,
                        flags=["python-format"])
        elif kind == 2:
            catalog.add(f"Open {index}", locations=where, context=rng.choice(["menu", "button", "verb"]))
        elif kind == 3:
            catalog.add(f"Café naïve – “quoted” {index} → ✓", locations=where)
        elif kind == 4:
            catalog.add(f"Welcome back, {{username}}! You have {{count}} new messages ({index}).", locations=where,
                        flags=["python-brace-format"])
        else:
            catalog.add(f"Manage {rng.choice(['project', 'release', 'account', 'token'])} settings {index}",
                        locations=where)
    return catalog


def translate(text: str, locale: str) -> str:
    marks = {"de": "ÜBERSETZT", "es": "TRADUCIDO", "ja": "翻訳済み", "ar": "مترجم", "fr": "TRADUIT"}
    return f"{marks.get(locale, locale)} {text}"


def translated(pot_text: bytes, locale: str, platform: str, seed: int = 11) -> bytes:
    """A translation of ``pot_text`` as a platform exports it: most messages translated, some
    fuzzy, some left out; written by Babel's own writer."""
    rng = random.Random(seed)
    catalog = read_po(io.BytesIO(pot_text), locale=locale)
    catalog.fuzzy = False
    catalog.revision_date = catalog.creation_date
    for message in catalog:
        if not message.id:
            continue
        roll = rng.random()
        if roll < 0.08:
            continue
        forms = message.id if isinstance(message.id, tuple) else (message.id,)
        count = catalog.num_plurals if message.pluralizable else 1
        strings = [translate(forms[min(i, len(forms) - 1)], locale) for i in range(count)]
        message.string = tuple(strings) if message.pluralizable else strings[0]
        if roll < 0.15:
            message.flags.add("fuzzy")
    data = _write(catalog)
    return _with_fields(data, HEADERS.get(platform, []))


def changed(pot_text: bytes, seed: int = 3) -> bytes:
    """The next release's .pot: some messages reworded, some removed, some added."""
    rng = random.Random(seed)
    old = read_po(io.BytesIO(pot_text))
    new = Catalog(project=old.project, version="24.2", copyright_holder="PyPA",
                  msgid_bugs_address="i18n@example.org", fuzzy=True)
    for message in old:
        if not message.id:
            continue
        roll = rng.random()
        if roll < 0.05:
            continue
        msgid = message.id
        if roll < 0.12 and not isinstance(msgid, tuple):
            msgid = msgid.replace("settings", "preferences").replace("Open", "Open the")
        new.add(msgid, locations=message.locations, flags=message.flags, auto_comments=message.auto_comments,
                context=message.context)
    for index in range(40):
        new.add(f"A new message {index} about two-factor authentication", locations=[("warehouse/views.py", index)])
    return _write(new)


def _write(catalog, **options) -> bytes:
    buffer = io.BytesIO()
    write_po(buffer, catalog, **options)
    return buffer.getvalue()


def _with_fields(data: bytes, fields) -> bytes:
    """Add or replace header fields as the platform writes them (Babel's writer sets its own)."""
    text = data.decode("utf-8")
    for name, value in fields:
        start = text.find(f'"{name}: ')
        line = f'"{name}: {value}\\n"\n'
        if start >= 0:
            text = text[:start] + line + text[text.index("\n", start) + 1:]
        else:
            end = text.index("\n\n")
            text = text[:end + 1] + line + text[end + 1:]
    return text.encode("utf-8")
