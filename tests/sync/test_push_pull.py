"""`i18n-tool push` and `pull` against the fake Transifex, driven through the real SDK."""

import json
import textwrap

import pytest
from click.testing import CliRunner

from i18n_tool.catalog import po
from i18n_tool.catalog.model import Entry, PoFile
from i18n_tool.cli import cli
from i18n_tool.sync.txconfig import read_txconfig
from tests.sync.conftest import write_tx_config

ORG, PROJECT, SLUG = "o:acme", "o:acme:p:web", "messages"
RESOURCE = f"{PROJECT}:r:{SLUG}"
TOKEN = "tx-secret-token-4f9c2"
MESSAGES = [("Hello", None), ("Log in", "verb"), ("Welcome back, %(name)s!", None)]
HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'


def template(messages=MESSAGES) -> bytes:
    entries = [Entry(msgid=m, msgctxt=c, locations=[" app/templates/home.html:3"],
                     flags=["python-format"] if "%(" in m else []) for m, c in messages]
    header = po.parse((HEADER + '"Project-Id-Version: web 1.0\\n"\n').encode(), "x").header
    return po.write(PoFile("messages.pot", header, entries))


def catalog(locale, translations, messages=MESSAGES) -> bytes:
    forms = "nplurals=2; plural=(n != 1);"
    header = po.parse((HEADER + f'"Language: {locale}\\n"\n"Plural-Forms: {forms}\\n"\n').encode(), "x").header
    entries = [Entry(msgid=m, msgctxt=c, msgstr=translations.get(m, ""), flags=["python-format"] if "%(" in m else [])
               for m, c in messages]
    return po.write(PoFile(f"{locale}.po", header, entries))


@pytest.fixture
def project(tmp_path, monkeypatch, fake_transifex):
    root = tmp_path / "project"
    (root / "catalogs" / "de" / "LC_MESSAGES").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / "i18n-tool.toml").write_text(textwrap.dedent("""
        catalogs = "catalogs"
        locales = ["de", "fr"]
        [check]
        required-locales = ["de"]
    """), encoding="utf-8")
    (root / "catalogs" / "messages.pot").write_bytes(template())
    write_tx_config(root, RESOURCE)
    monkeypatch.chdir(root)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TX_TOKEN", TOKEN)
    monkeypatch.setenv("TX_HOSTNAME", fake_transifex.base_url)
    fake_transifex.token = TOKEN
    fake_transifex.add_project(ORG, "web", languages=("de", "fr"))
    return root


def run(*args):
    return CliRunner().invoke(cli, [*args, "--poll-interval", "0", "--timeout", "2"], catch_exceptions=False)


def de_catalog(project):
    return project / "catalogs" / "de" / "LC_MESSAGES" / "messages.po"


def translations_in(path) -> dict:
    return {e.msgid: e.msgstr for e in po.parse_file(path).active if e.msgstr}


def test_push_creates_the_resource_and_uploads_the_source(project, fake_transifex):
    result = run("push")
    assert result.exit_code == 0, result.output
    strings = fake_transifex.resource(RESOURCE).strings
    assert sorted((s.key, s.context) for s in strings.values()) == sorted((m, c or "") for m, c in MESSAGES)
    assert "created" in result.stderr and TOKEN not in result.output


def test_push_refuses_to_delete_remote_strings(project, fake_transifex):
    assert run("push").exit_code == 0
    fake_transifex.set_translation(RESOURCE, "de", "Hello", "Hallo")
    (project / "catalogs" / "messages.pot").write_bytes(template(MESSAGES[1:]))
    dry = run("push", "--dry-run")
    refused = run("push")
    assert refused.exit_code == 1 and dry.exit_code == 1
    assert "would delete 1 string(s)" in refused.stderr and "- Hello" in refused.stderr
    assert "Hello" in {s.key for s in fake_transifex.resource(RESOURCE).strings.values()}  # nothing uploaded
    assert run("push", "--allow-removals").exit_code == 0
    assert "Hello" not in {s.key for s in fake_transifex.resource(RESOURCE).strings.values()}


def test_pull_brings_translations_and_fails_on_a_required_locale_below_the_minimum(project, fake_transifex):
    assert run("push").exit_code == 0
    fake_transifex.set_translation(RESOURCE, "de", "Hello", "Hallo")
    fake_transifex.set_translation(RESOURCE, "de", "Log in", "Anmelden", context="verb")
    result = run("pull", "--minimum-perc", "50")
    assert result.exit_code == 0, result.output  # fr has nothing and is skipped: it is not required
    assert "[fr]: 0 % translated" in result.stderr and "error" not in result.stderr
    assert translations_in(de_catalog(project)) == {"Hello": "Hallo", "Log in": "Anmelden"}
    state = json.loads((project / ".tx" / "i18n-tool-state.json").read_text())
    assert len(state["resources"][RESOURCE]["de"]) == 2

    missing = run("pull", "--minimum-perc", "90")  # de (2 of 3) is now below: required, so the run fails
    assert missing.exit_code == 1 and "it is required" in missing.stderr


def test_pull_keeps_local_edits_not_pushed_unless_forced(project, fake_transifex):
    assert run("push").exit_code == 0
    fake_transifex.set_translation(RESOURCE, "de", "Hello", "Hallo")
    assert run("pull", "-l", "de").exit_code == 0
    path = de_catalog(project)
    path.write_bytes(catalog("de", {"Hello": "Servus"}))  # a local edit
    fake_transifex.set_translation(RESOURCE, "de", "Hello", "Guten Tag")  # and a translator's
    conflict = run("pull", "-l", "de")
    assert conflict.exit_code == 1 and "not pushed yet" in conflict.stderr
    assert translations_in(path) == {"Hello": "Servus"}
    assert run("pull", "-l", "de", "--force").exit_code == 0
    assert translations_in(path) == {"Hello": "Guten Tag"}


def test_pull_never_drops_a_local_translation_the_download_lacks(project, fake_transifex):
    assert run("push").exit_code == 0
    path = de_catalog(project)
    path.write_bytes(catalog("de", {"Log in": "Anmelden"}, MESSAGES + [("Only here", None)]))
    fake_transifex.set_translation(RESOURCE, "de", "Hello", "Hallo")
    assert run("pull", "-l", "de").exit_code == 0
    assert translations_in(path) == {"Hello": "Hallo", "Log in": "Anmelden"}


@pytest.mark.parametrize("kind", ["garbage", "truncated", "broken-placeholder"])
def test_a_bad_download_is_kept_aside_and_the_catalog_untouched(project, fake_transifex, kind):
    assert run("push").exit_code == 0
    fake_transifex.set_translation(RESOURCE, "de", "Welcome back, %(name)s!", "Willkommen zurück, %(name)s!")
    before = catalog("de", {"Hello": "Hallo"})
    de_catalog(project).write_bytes(before)
    fake_transifex.corrupt_next_file(kind)
    result = run("pull", "-l", "de")
    assert result.exit_code == 1 and "kept aside" in result.stderr
    assert de_catalog(project).read_bytes() == before
    assert (project / ".tx" / "rejected" / SLUG / "de.po").exists()


@pytest.mark.parametrize("fault", [
    lambda server: server.fail("resource_language_stats", 429, retry_after=1),
    lambda server: server.fail("async_downloads", 503, times=2),
    lambda server: server.drop("/files/"),
    lambda server: server.hang("resource_language_stats", 3),
], ids=["429-retry-after", "503-twice", "dropped-connection", "timeout"])
def test_transient_faults_are_retried(project, fake_transifex, fault):
    assert run("push").exit_code == 0
    fake_transifex.set_translation(RESOURCE, "de", "Hello", "Hallo")
    fault(fake_transifex)
    result = run("pull", "-l", "de")
    assert result.exit_code == 0, result.output
    assert translations_in(de_catalog(project)) == {"Hello": "Hallo"}


def test_a_lasting_outage_is_one_line_and_changes_nothing(project, fake_transifex):
    assert run("push").exit_code == 0
    before = catalog("de", {"Hello": "Hallo"})
    de_catalog(project).write_bytes(before)
    fake_transifex.fail("resource_language_stats", 500, times=20)
    result = run("pull", "-l", "de", "--retries", "2")
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0 and "500" in result.stderr and "try again later" in result.stderr
    assert de_catalog(project).read_bytes() == before


def test_an_interrupted_pull_leaves_each_file_old_or_new(project, fake_transifex):
    fake_transifex.add_project(ORG, "web", languages=("de", "fr"))
    assert run("push").exit_code == 0
    fake_transifex.set_translation(RESOURCE, "de", "Hello", "Hallo")
    fake_transifex.set_translation(RESOURCE, "fr", "Hello", "Bonjour")
    fr = project / "catalogs" / "fr" / "LC_MESSAGES" / "messages.po"
    fr.parent.mkdir(parents=True)
    fr.write_bytes(catalog("fr", {}))
    fake_transifex.fail(r"/files/", 500, times=20)  # the first download's file never comes
    result = run("pull", "--workers", "1", "--retries", "1")
    assert result.exit_code == 1
    for path in (de_catalog(project), fr):
        if path.exists():
            po.parse_file(path)  # old or new, never half written


def remote_translation(server, msgid, locale="de"):
    return server.resource(RESOURCE).translations[locale][(msgid, "")].strings["other"]


def test_push_translations_refuses_to_overwrite_translators_work(project, fake_transifex):
    assert run("push").exit_code == 0
    de_catalog(project).write_bytes(catalog("de", {"Hello": "Hallo"}))
    fake_transifex.set_translation(RESOURCE, "de", "Hello", "Grüß Gott")  # a translator, never pulled
    refused = run("push", "--translations", "-l", "de")
    assert refused.exit_code == 1 and "translators changed 1 message" in refused.stderr
    assert remote_translation(fake_transifex, "Hello") == "Grüß Gott"
    assert run("push", "--translations", "-l", "de", "--force").exit_code == 0
    assert remote_translation(fake_transifex, "Hello") == "Hallo"


def test_the_token_is_sent_but_never_shown_or_stored(project, fake_transifex):
    outputs = [run("push").output, run("pull").output]
    fake_transifex.fail("resource_language_stats", 401, times=10)
    outputs.append(run("pull").output)
    assert all(TOKEN not in output for output in outputs)
    assert "check the token" in outputs[-1]
    assert all(header == f"Bearer {TOKEN}" for _method, _path, header in fake_transifex.tokens_seen)
    stored = [path.read_text(errors="replace") for path in project.rglob("*") if path.is_file()]
    assert all(TOKEN not in text for text in stored)


def test_txconfig_writes_what_the_official_client_reads(project):
    (project / ".tx" / "config").unlink()
    result = CliRunner().invoke(cli, ["txconfig", "--organization", "acme", "--project", "web"])
    assert result.exit_code == 0, result.output
    tx = read_txconfig(project / ".tx" / "config")
    [resource] = tx.resources
    assert resource.id == "o:acme:p:web:r:messages" and resource.source_file == "catalogs/messages.pot"
    again = CliRunner().invoke(cli, ["txconfig", "--organization", "acme", "--project", "other"])
    assert again.exit_code == 2 and "exists" in again.stderr


def test_the_source_goes_up_with_references_and_contexts(project, fake_transifex):
    assert run("push").exit_code == 0
    strings = fake_transifex.resource(RESOURCE).strings
    assert strings[("Log in", "verb")].occurrences == "app/templates/home.html:3"


def test_pull_modes_and_dry_run(project, fake_transifex):
    assert run("push").exit_code == 0
    fake_transifex.set_translation(RESOURCE, "de", "Hello", "Hallo", reviewed=True)
    fake_transifex.set_translation(RESOURCE, "de", "Log in", "Anmelden", context="verb")
    before = catalog("de", {})
    de_catalog(project).write_bytes(before)
    state = project / ".tx" / "i18n-tool-state.json"
    recorded = state.read_bytes()
    dry = run("pull", "-l", "de", "--dry-run")
    assert dry.exit_code == 0 and "would be" in dry.stderr and "updated: 2 translations" in dry.stderr
    assert de_catalog(project).read_bytes() == before and state.read_bytes() == recorded
    assert run("pull", "-l", "de", "--mode", "reviewed").exit_code == 0
    assert translations_in(de_catalog(project)) == {"Hello": "Hallo"}


def test_plural_translations_with_another_number_of_forms_are_left_out(project, fake_transifex):
    plural = Entry(msgid="%(n)d file", msgid_plural="%(n)d files", msgstr=["", ""], flags=["python-format"])
    pot = po.parse((project / "catalogs" / "messages.pot").read_bytes(), "messages.pot")
    pot.entries.append(Entry(msgid=plural.msgid, msgid_plural=plural.msgid_plural, msgstr=["", ""],
                             flags=plural.flags))
    (project / "catalogs" / "messages.pot").write_bytes(po.write(pot))
    assert run("push").exit_code == 0
    fake_transifex.set_translation(RESOURCE, "fr", "%(n)d file", ["%(n)d fichier", "%(n)d de fichiers",
                                                                   "%(n)d fichiers"])
    fake_transifex.set_translation(RESOURCE, "fr", "Hello", "Bonjour")
    fr = project / "catalogs" / "fr" / "LC_MESSAGES" / "messages.po"
    fr.parent.mkdir(parents=True)
    data = po.parse(catalog("fr", {}), "fr.po")
    data.entries.append(plural)
    fr.write_bytes(po.write(data))  # the catalog says nplurals=2; Transifex's French has three forms
    result = run("pull", "-l", "fr")
    assert result.exit_code == 0, result.output
    assert "1 plural translation(s) left out" in result.stderr
    pulled = {e.msgid: e.msgstr for e in po.parse_file(fr).active}
    assert pulled["Hello"] == "Bonjour" and pulled["%(n)d file"] == ["", ""]
