"""merge(): a template merged into a translated catalog as ``msgmerge --previous`` does."""

import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from i18n_tool.catalog import po as po_format
from i18n_tool.catalog.merge import merge, merge_stats
from i18n_tool.catalog.model import Entry, PoFile

HEADER = (
    "Project-Id-Version: demo 1.0\n"
    "Report-Msgid-Bugs-To: \n"
    "POT-Creation-Date: 2024-01-01 10:00+0000\n"
    "PO-Revision-Date: 2024-02-02 12:00+0100\n"
    "Last-Translator: Anne <anne@example.org>\n"
    "Language: fr\n"
    "Content-Type: text/plain; charset=UTF-8\n"
    "Plural-Forms: nplurals=2; plural=(n > 1);\n"
)
NEW_DATE = "POT-Creation-Date: 2024-06-06 06:06+0000"
ROOT = Path(__file__).resolve().parents[2]


def catalog(*entries, header=HEADER) -> PoFile:
    return PoFile("fr.po", Entry("", header, comments=[" French translation."]), list(entries))


def template(*entries) -> PoFile:
    header = f"Project-Id-Version: PACKAGE VERSION\n{NEW_DATE}\nContent-Type: text/plain; charset=UTF-8\n"
    return PoFile("messages.pot", Entry("", header, flags=["fuzzy"]), list(entries))


def pot_entry(msgid, msgctxt=None, plural=None, **fields) -> Entry:
    return Entry(msgid, [""] * 2 if plural else "", msgctxt, plural, **fields)


def only(po: PoFile, msgid: str, obsolete: bool = False) -> Entry:
    found = [e for e in po.entries if e.msgid == msgid and e.obsolete == obsolete]
    assert len(found) == 1, (msgid, found)
    return found[0]


def previous(entry: Entry) -> tuple:
    return entry.previous_msgctxt, entry.previous_msgid, entry.previous_msgid_plural


# --- exact matches -------------------------------------------------------------------------------


def test_exact_match_keeps_translation_and_translator_comments_takes_the_rest_from_the_template():
    old = Entry("Hello %s", "Bonjour %s", flags=["python-format"], comments=[" greeting"],
                auto_comments=[" old note"], locations=[" old.py:1"])
    pot = template(pot_entry("Hello %s", flags=["python-brace-format"], auto_comments=[" new note"],
                             locations=[" views.py:9"]))
    result = only(merge(catalog(old), pot, 2), "Hello %s")
    assert result.msgstr == "Bonjour %s"
    assert result.comments == [" greeting"]
    assert result.auto_comments == [" new note"]
    assert result.locations == [" views.py:9"]
    assert result.flags == ["python-brace-format"]  # the template's format flags win
    assert previous(result) == (None, None, None)


def test_fuzzy_exact_match_stays_fuzzy_and_keeps_its_previous_strings():
    old = Entry("Save", "Enregistrer", flags=["fuzzy"], previous_msgid="Save it")
    result = only(merge(catalog(old), template(pot_entry("Save", flags=["fuzzy", "c-format"])), 2), "Save")
    assert result.flags == ["fuzzy", "c-format"]
    assert previous(result) == (None, "Save it", None)


def test_a_translated_exact_match_drops_stale_previous_strings():
    old = Entry("Save", "Enregistrer", previous_msgid="Save it")
    result = only(merge(catalog(old), template(pot_entry("Save")), 2), "Save")
    assert not result.fuzzy and previous(result) == (None, None, None)


def test_a_template_flag_fuzzy_does_not_make_a_translation_fuzzy():
    result = merge(catalog(Entry("Yes", "Oui")), template(pot_entry("Yes", flags=["fuzzy"])), 2)
    assert only(result, "Yes").flags == []


def test_inputs_are_not_changed():
    po = catalog(Entry("Open", "Ouvrir", comments=[" c"]), Entry("Gone", "Parti", locations=[" a.py:1"]),
                 Entry("Dead", "Mort", obsolete=True))
    pot = template(pot_entry("Open", locations=[" b.py:2"]), pot_entry("Dead"), pot_entry("Opens"))
    before = po_format.write(po), po_format.write(pot)
    result = merge(po, pot, 2)
    assert (po_format.write(po), po_format.write(pot)) == before
    assert all(new is not old for new in result.entries for old in po.entries + pot.entries)


def test_order_is_the_templates_then_the_obsolete_entries_in_catalog_order():
    po = catalog(Entry("b", "B"), Entry("gone one", "1"), Entry("a", "A"),
                 Entry("old two", "2", obsolete=True), Entry("gone three", "3"))
    pot = template(pot_entry("a"), pot_entry("new"), pot_entry("b"))
    result = merge(po, pot, 2, fuzzy_matching=False)
    assert [(e.msgid, e.obsolete) for e in result.entries] == [
        ("a", False), ("new", False), ("b", False),
        ("gone one", True), ("old two", True), ("gone three", True)]


# --- header --------------------------------------------------------------------------------------


def test_header_is_the_catalogs_with_the_templates_creation_date():
    result = merge(catalog(), template(), 2)
    assert result.header.msgstr == HEADER.replace("POT-Creation-Date: 2024-01-01 10:00+0000", NEW_DATE)
    assert result.header.comments == [" French translation."] and result.header.flags == []


def test_a_missing_creation_date_is_added_after_the_project_lines():
    header = "Project-Id-Version: demo\nReport-Msgid-Bugs-To: \nLanguage: fr\n"
    result = merge(catalog(header=header), template(), 2)
    expected = f"Project-Id-Version: demo\nReport-Msgid-Bugs-To: \n{NEW_DATE}\nLanguage: fr\n"
    assert result.header.msgstr == expected


def test_a_catalog_without_header_stays_without():
    result = merge(PoFile("x.po", None, [Entry("a", "A")]), template(pot_entry("a")), 2)
    assert result.header is None


def test_the_same_template_twice_does_not_touch_the_header():
    once = merge(catalog(Entry("a", "A")), template(pot_entry("a")), 2)
    assert po_format.write(merge(once, template(pot_entry("a")), 2)) == po_format.write(once)


# --- fuzzy matching ------------------------------------------------------------------------------


def test_changed_msgid_becomes_fuzzy_with_the_previous_msgid():
    old = Entry("Delete this project", "Supprimer ce projet", comments=[" careful"], locations=[" a.py:1"])
    pot = template(pot_entry("Delete this project now", flags=["python-format"], locations=[" a.py:2"]))
    result = merge(catalog(old), pot, 2)
    entry = only(result, "Delete this project now")
    assert entry.msgstr == "Supprimer ce projet"
    assert entry.flags == ["fuzzy", "python-format"]
    assert previous(entry) == (None, "Delete this project", None)
    assert entry.comments == [" careful"] and entry.locations == [" a.py:2"]
    assert result.obsolete == []  # the source is not also kept as obsolete


def test_a_fuzzy_source_passes_on_the_strings_it_was_translated_for():
    old = Entry("Current wording of it", "Formulation", flags=["fuzzy"],
                previous_msgid="Ancient wording of it")
    result = merge(catalog(old), template(pot_entry("Current wording of its")), 2)
    entry = only(result, "Current wording of its")
    assert previous(entry) == (None, "Ancient wording of it", None)


def test_below_the_cutoff_a_message_is_new_and_the_old_one_obsolete():
    old = Entry("Delete this project", "Supprimer")
    result = merge(catalog(old), template(pot_entry("Upload a file")), 2)
    assert only(result, "Upload a file").msgstr == "" and not only(result, "Upload a file").fuzzy
    assert only(result, "Delete this project", obsolete=True).msgstr == "Supprimer"


def test_no_fuzzy_matching_makes_new_untranslated_entries():
    old = Entry("Delete this project", "Supprimer ce projet")
    result = merge(catalog(old), template(pot_entry("Delete this project now")), 2, fuzzy_matching=False)
    assert only(result, "Delete this project now").msgstr == ""
    assert only(result, "Delete this project", obsolete=True).msgstr == "Supprimer ce projet"


def test_only_leftovers_are_fuzzy_sources():
    """msgmerge would also propose the translation of "Open file", which is still in use."""
    result = merge(catalog(Entry("Open file", "Ouvrir le fichier")), template(pot_entry("Open file"),
                                                                             pot_entry("Open files")), 2)
    assert only(result, "Open files").msgstr == ""


def test_a_source_can_seed_several_entries():
    old = Entry("Save the document", "Enregistrer le document")
    pot = template(pot_entry("Save the documents"), pot_entry("Save the document!"))
    result = merge(catalog(old), pot, 2)
    assert [e.msgstr for e in result.entries] == ["Enregistrer le document"] * 2
    assert all(e.fuzzy for e in result.entries)


def test_the_most_similar_source_wins():
    po = catalog(Entry("Remove the old key", "A"), Entry("Remove the security key", "B"))
    result = merge(po, template(pot_entry("Remove the security keys")), 2)
    assert only(result, "Remove the security keys").msgstr == "B"
    assert only(result, "Remove the old key", obsolete=True).msgstr == "A"


def test_ties_go_to_the_same_context_then_to_active_entries_then_to_the_first():
    po = catalog(Entry("Open files", "A", "toolbar"), Entry("Open filez", "B", "menu"),
                 Entry("Close it", "Old", obsolete=True), Entry("Close is", "New"))
    pot = template(pot_entry("Open file", "menu"), pot_entry("Open file", "side"), pot_entry("Close i"))
    assert [e.msgstr for e in merge(po, pot, 2).active] == ["B", "A", "New"]


def test_a_changed_context_is_a_fuzzy_match_with_the_previous_context():
    result = merge(catalog(Entry("Open", "Ouvrir", "menu")), template(pot_entry("Open", "toolbar")), 2)
    entry = only(result, "Open")
    assert entry.msgctxt == "toolbar" and entry.fuzzy and entry.msgstr == "Ouvrir"
    assert previous(entry) == ("menu", "Open", None)


def test_obsolete_entries_are_fuzzy_sources():
    old = Entry("Obsolete source message", "Source obsolète", obsolete=True)
    result = merge(catalog(old), template(pot_entry("Obsolete source messages")), 2)
    entry = only(result, "Obsolete source messages")
    assert entry.fuzzy and entry.msgstr == "Source obsolète"


def test_short_msgids_without_a_shared_4_gram_are_matched():
    po = catalog(Entry("Add", "Ajouter"), Entry("Tags", "Étiquettes"), Entry("Edit", "Modifier"))
    result = merge(po, template(pot_entry("Adds"), pot_entry("Tag"), pot_entry("Edit:")), 2)
    assert [e.msgstr for e in result.entries] == ["Ajouter", "Étiquettes", "Modifier"]


def test_long_msgids_are_matched_by_words():
    sentences = ["Two-factor authentication adds a layer of security to your account.",
                 "Each recovery code can only be used once.",
                 "Store your recovery codes somewhere safe; you need them if you lose your device.",
                 "Security keys are the most secure second factor available."]
    changed = "Keep your recovery codes in a safe place, such as a password manager."
    old, new = " ".join(sentences), " ".join(sentences[:2] + [changed] + sentences[3:])
    assert len(new) > 200
    result = merge(catalog(Entry(old, "Traduit")), template(pot_entry(new), pot_entry(sentences[3])), 2)
    assert only(result, new).msgstr == "Traduit" and only(result, sentences[3]).msgstr == ""


def test_untranslated_entries_are_not_sources_and_are_dropped():
    old = Entry("Delete this project", "")
    result = merge(catalog(old), template(pot_entry("Delete this project now")), 2)
    assert [(e.msgid, e.msgstr) for e in result.entries] == [("Delete this project now", "")]


# --- obsolete entries ----------------------------------------------------------------------------


def test_removed_entry_becomes_obsolete_keeping_comments_flags_translation_and_previous():
    old = Entry("Gone", "Parti", flags=["fuzzy", "python-format"], comments=[" note"],
                auto_comments=[" auto"], locations=[" a.py:3"], previous_msgid="Went")
    entry = only(merge(catalog(old), template(), 2), "Gone", obsolete=True)
    assert entry.msgstr == "Parti" and entry.comments == [" note"]
    assert entry.flags == ["fuzzy", "python-format"]  # as msgmerge: fuzzy stays fuzzy
    assert entry.locations == [] and entry.auto_comments == []
    assert previous(entry) == (None, "Went", None)  # as msgmerge (#~| lines)


def test_previous_strings_come_back_with_a_revived_fuzzy_entry():
    old = Entry("Gone", "Parti", flags=["fuzzy"], previous_msgid="Went")
    gone = merge(catalog(old), template(), 2)
    back = only(merge(gone, template(pot_entry("Gone")), 2), "Gone")
    assert back.fuzzy and previous(back) == (None, "Went", None)


def test_an_obsolete_translated_entry_drops_stale_previous_strings():
    entry = only(merge(catalog(Entry("Gone", "Parti", previous_msgid="Went")), template(), 2), "Gone", True)
    assert previous(entry) == (None, None, None)


def test_obsolete_entry_still_absent_stays_obsolete():
    old = Entry("file", ["fichier", "fichiers"], msgid_plural="files", comments=[" c"], obsolete=True)
    entry = only(merge(catalog(old), template(), 2), "file", obsolete=True)
    assert entry.msgstr == ["fichier", "fichiers"] and entry.msgid_plural == "files"


def test_revived_obsolete_entry_is_fuzzy():
    old = Entry("Revive me", "Ressuscité", comments=[" note"], obsolete=True)
    entry = only(merge(catalog(old), template(pot_entry("Revive me", locations=[" a.py:1"])), 2), "Revive me")
    assert entry.msgstr == "Ressuscité" and entry.fuzzy and not entry.obsolete
    assert entry.comments == [" note"] and entry.locations == [" a.py:1"]


def test_a_revived_untranslated_entry_is_not_fuzzy():
    old = Entry("Revive me", "", obsolete=True)
    assert only(merge(catalog(old), template(pot_entry("Revive me")), 2), "Revive me").flags == []


def test_an_active_entry_wins_over_an_obsolete_duplicate():
    po = catalog(Entry("Same", "Actif"), Entry("Same", "Obsolète", obsolete=True))
    result = merge(po, template(pot_entry("Same")), 2)
    assert only(result, "Same").msgstr == "Actif" and not only(result, "Same").fuzzy
    assert only(result, "Same", obsolete=True).msgstr == "Obsolète"  # nothing lost


# --- plurals -------------------------------------------------------------------------------------


def test_plural_appearing_copies_the_singular_into_every_form_and_marks_fuzzy():
    pot = template(pot_entry("%d file", plural="%d files"))
    result = merge(catalog(Entry("%d file", "%d fichier")), pot, 3)
    entry = only(result, "%d file")
    assert entry.msgstr == ["%d fichier"] * 3 and entry.fuzzy
    assert previous(entry) == (None, "%d file", None)


def test_plural_disappearing_keeps_the_first_form_and_marks_fuzzy():
    old = Entry("file", ["fichier", "fichiers"], msgid_plural="files")
    entry = only(merge(catalog(old), template(pot_entry("file")), 2), "file")
    assert entry.msgstr == "fichier" and entry.fuzzy and previous(entry) == (None, "file", "files")


def test_plural_disappearing_with_an_empty_first_form_keeps_a_translated_one():
    old = Entry("file", ["", "fichiers"], msgid_plural="files")
    assert only(merge(catalog(old), template(pot_entry("file")), 2), "file").msgstr == "fichiers"


def test_changed_msgid_plural_keeps_the_forms_and_marks_fuzzy():
    old = Entry("file", ["fichier", "fichiers"], msgid_plural="files")
    entry = only(merge(catalog(old), template(pot_entry("file", plural="filez")), 2), "file")
    assert entry.msgstr == ["fichier", "fichiers"] and entry.fuzzy
    assert previous(entry) == (None, "file", "files")


def test_an_untranslated_entry_whose_plural_changes_is_not_fuzzy():
    """As msgmerge: there is nothing to review."""
    entry = only(merge(catalog(Entry("file", "")), template(pot_entry("file", plural="files")), 2), "file")
    assert entry.msgstr == ["", ""] and entry.flags == [] and previous(entry) == (None, None, None)


def test_new_plural_entry_has_nplurals_empty_forms():
    entry = only(merge(catalog(), template(pot_entry("%d day", plural="%d days")), 3), "%d day")
    assert entry.msgstr == ["", "", ""] and not entry.fuzzy


def test_fuzzy_match_of_a_plural_onto_a_singular_and_back():
    po = catalog(Entry("%d new message", ["%d nouveau", "%d nouveaux"], msgid_plural="%d new messages"),
                 Entry("One comment", "Un commentaire"))
    pot = template(pot_entry("%d new messages!"), pot_entry("One comments", plural="%d comments"))
    result = merge(po, pot, 2)
    assert only(result, "%d new messages!").msgstr == "%d nouveau"
    assert only(result, "One comments").msgstr == ["Un commentaire"] * 2


# --- stats ---------------------------------------------------------------------------------------


def test_merge_stats():
    po = catalog(Entry("Keep", "Garder"), Entry("Delete this project", "Supprimer ce projet"),
                 Entry("Gone away", "Parti"), Entry("Back", "Retour", obsolete=True))
    pot = template(pot_entry("Keep"), pot_entry("Delete this project now"), pot_entry("Back"),
                   pot_entry("Brand new"))
    assert merge_stats(po, merge(po, pot, 2)) == {
        "kept": 1, "fuzzy_matched": 1, "new": 1, "obsoleted": 1, "revived": 1}


# --- determinism ---------------------------------------------------------------------------------

SCRIPT = """
from i18n_tool.catalog import po
from i18n_tool.catalog.merge import merge
from i18n_tool.catalog.model import Entry, PoFile
old = [Entry(m, m.upper(), c) for m in ("abcd efgh", "abcd efgx", "wxyz abcd", "efgh abcd", "xbcd efgh")
       for c in (None, "a", "b")]
new = [Entry(m, "", c) for m in ("abcd efgh!", "abcd efgz", "abcd", "efgh") for c in (None, "c")]
print(po.write(merge(PoFile("x", None, old), PoFile("y", None, new), 2)).decode())
"""


def test_the_result_does_not_depend_on_hash_seeds():
    outputs = {subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True,
                              cwd=ROOT, env={"PYTHONHASHSEED": seed}).stdout for seed in ("1", "2", "3")}
    assert len(outputs) == 1 and "fuzzy" in outputs.pop()


# --- properties ----------------------------------------------------------------------------------

NPLURALS = 2
WORDS = ["open", "file", "files", "save", "the", "project", "delete", "a", "new", "name", "é", "%s"]
contexts = st.sampled_from([None, None, None, "menu", "verb"])
msgids = st.lists(st.sampled_from(WORDS), min_size=1, max_size=5).map(" ".join)
texts = st.text(alphabet="abxyzéü %\n", max_size=5)


@st.composite
def catalog_entries(draw) -> list:
    keys = draw(st.lists(st.tuples(contexts, msgids), max_size=12, unique=True))
    return [draw(catalog_entry(msgctxt, msgid, number)) for number, (msgctxt, msgid) in enumerate(keys)]


@st.composite
def catalog_entry(draw, msgctxt, msgid, number) -> Entry:
    """An entry whose non-empty forms are unique in the catalog (they end with [number.form])."""
    forms = [text and f"{text}[{number}.{form}]" for form, text in enumerate(draw(st.lists(
        texts, min_size=NPLURALS, max_size=NPLURALS)))]
    plural = draw(st.booleans())
    entry = Entry(msgid, forms if plural else forms[0], msgctxt, msgid + " (n)" if plural else None,
                  obsolete=draw(st.booleans()))
    if draw(st.booleans()):
        entry.flags.append("fuzzy")
        entry.previous_msgid = draw(st.none() | msgids)
    if draw(st.booleans()):
        entry.flags.append("python-format")
    entry.comments = draw(st.lists(st.sampled_from([" note", " keep short"]), max_size=2))
    if not entry.obsolete:
        entry.locations = [" old.py:1"]
        entry.auto_comments = draw(st.lists(st.just(" extracted"), max_size=1))
    return entry


@st.composite
def template_entries(draw, entries: list) -> list:
    """Each catalog key kept, removed, edited, moved to another context or plural-toggled;
    some additions; in a random order."""
    found = []
    for entry in entries:
        change = draw(st.sampled_from(["keep", "keep", "remove", "edit", "context", "plural"]))
        msgctxt, msgid, plural = entry.msgctxt, entry.msgid, entry.msgid_plural
        if change == "remove":
            continue
        if change == "edit":
            msgid = draw(st.sampled_from([msgid + " now", msgid + "s", "the " + msgid, msgid[:-1] or "x"]))
        elif change == "context":
            msgctxt = draw(contexts)
        elif change == "plural":
            plural = None if plural else msgid + " (n)"
        found.append((msgctxt, msgid, plural))
    additions = draw(st.lists(st.tuples(contexts, msgids), max_size=4))
    found += [(c, m, draw(st.none() | st.just(m + "!"))) for c, m in additions]
    unique = {(c, m): p for c, m, p in found}
    ordered = draw(st.permutations(list(unique.items())))
    return [pot_entry(m, c, p, flags=draw(st.sampled_from([[], ["python-format"], ["python-brace-format"]])),
                      locations=[" new.py:2"], auto_comments=[" extracted"]) for (c, m), p in ordered]


@st.composite
def merges(draw) -> tuple:
    entries = draw(catalog_entries())
    return catalog(*entries), template(*draw(template_entries(entries))), draw(st.booleans())


def carried(old: Entry, result: PoFile) -> bool:
    """The translation of ``old`` is in ``result``: its forms, or refitted to the other shape."""
    forms = old.forms
    for entry in result.entries:
        if entry.forms == forms or entry.msgstr == next((f for f in forms if f), None):
            return True
        if entry.is_plural and not old.is_plural and entry.msgstr == [old.msgstr] * NPLURALS:
            return True
    return False


PROPERTY = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(merges())
def test_property_nothing_lost_and_idempotent(case):
    po, pot, fuzzy_matching = case
    once = merge(po, pot, NPLURALS, fuzzy_matching)
    for old in po.entries:
        if any(old.forms):
            assert carried(old, once), old
    assert [e.key for e in once.active] == [e.key for e in pot.entries]
    assert all(not e.locations and not e.auto_comments for e in once.obsolete)
    assert all(e.fuzzy for e in once.entries if e.previous_msgid is not None)
    assert all(len(e.forms) == NPLURALS for e in once.active if e.is_plural)
    stats = merge_stats(po, once)
    assert stats["kept"] + stats["fuzzy_matched"] + stats["new"] + stats["revived"] == len(pot.entries)
    twice = merge(once, pot, NPLURALS, fuzzy_matching)
    assert po_format.write(twice) == po_format.write(once)


@PROPERTY
@given(merges())
def test_property_output_survives_write_and_parse(case):
    po, pot, fuzzy_matching = case
    data = po_format.write(merge(po, pot, NPLURALS, fuzzy_matching))
    assert po_format.write(po_format.parse(data)) == data
