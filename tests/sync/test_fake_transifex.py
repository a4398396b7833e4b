"""The fake Transifex, driven by the real SDK so that the SDK checks the contract."""

from datetime import datetime, timezone

import pytest
import requests
from transifex.api import TransifexApi
from transifex.api.exceptions import UploadException
from transifex.api.jsonapi import JsonApiException

from i18n_tool.catalog import po
from tests.sync.fake_transifex import FakeTransifex, string_hash

POT = """\
# Translations template for companion.
#, fuzzy
msgid ""
msgstr ""
"Project-Id-Version: companion 1.0\\n"
"POT-Creation-Date: 2024-01-01 00:00+0000\\n"
"Content-Type: text/plain; charset=utf-8\\n"
"Generated-By: Babel 2.14.0\\n"

#. Shown on the front page
#: templates/index.html:3
#, python-format
msgid "Hello %(name)s"
msgstr ""

#: app.py:10 app.py:20
#, python-format
msgid "%(count)s file"
msgid_plural "%(count)s files"
msgstr[0] ""
msgstr[1] ""

msgctxt "menu"
msgid "Open"
msgstr ""

msgid "Log out"
msgstr ""
"""

DE = """\
msgid ""
msgstr ""
"Language: de\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

msgid "Hello %(name)s"
msgstr "Hallo %(name)s"

msgid "%(count)s file"
msgid_plural "%(count)s files"
msgstr[0] "%(count)s Datei"
msgstr[1] "%(count)s Dateien"

msgctxt "menu"
msgid "Open"
msgstr "Öffnen"

#, fuzzy
msgid "Log out"
msgstr "Abmelden?"

msgid "Not in the source"
msgstr "Nicht in der Quelle"
"""

PROJECT_ID = "o:acme:p:companion"
RESOURCE_ID = "o:acme:p:companion:r:messages"
FAST = {"interval": 0.01}


@pytest.fixture
def tx(fake_transifex):
    """The fake with an organization, a project (en → de, fr) and an empty PO resource."""
    fake_transifex.now = lambda: datetime(2024, 5, 1, 12, 30, tzinfo=timezone.utc)
    fake_transifex.add_project("acme", "companion", source_language="en", languages=["de", "fr"])
    fake_transifex.add_resource(PROJECT_ID, "messages", name="Messages")
    return fake_transifex


@pytest.fixture
def seeded(tx):
    """The resource with the template's strings and three German translations."""
    tx.load_source(RESOURCE_ID, POT.encode())
    tx.set_translation(RESOURCE_ID, "de", "Hello %(name)s", "Hallo %(name)s", proofread=True)
    tx.set_translation(RESOURCE_ID, "de", "%(count)s file", ["%(count)s Datei", "%(count)s Dateien"],
                       reviewed=True)
    tx.set_translation(RESOURCE_ID, "de", "Open", "Öffnen", context="menu")
    return tx


def download(api, language="de", mode="default"):
    resource = api.Resource.get(RESOURCE_ID)
    url = api.ResourceTranslationsAsyncDownload.download(
        resource=resource, language=api.Language(id=f"l:{language}"), mode=mode, **FAST)
    answer = requests.get(url, timeout=5)
    answer.raise_for_status()
    return answer.content


def translations(content: bytes) -> dict:
    return {(e.msgctxt, e.msgid): e.msgstr for e in po.parse(content, "download.po").entries}


# --- the contract, through the SDK ---------------------------------------------------------------


def test_project_resource_and_languages(tx, tx_api):
    project = tx_api.Project.get(PROJECT_ID)
    assert project.slug == "companion"
    assert project.source_language.id == "l:en"
    assert [language.code for language in project.fetch("languages").all()] == ["de", "fr"]
    assert tx_api.Language.get("l:de").plural_rules.keys() == {"one", "other"}
    resource = tx_api.Resource.get(RESOURCE_ID)
    assert (resource.slug, resource.name, resource.i18n_type) == ("messages", "Messages", "PO")
    assert [r.id for r in tx_api.Resource.filter(project=project).all()] == [RESOURCE_ID]


def test_create_resource_then_conflict_and_not_found(tx, tx_api):
    project = tx_api.Project.get(PROJECT_ID)
    created = tx_api.Resource.create(name="Emails", slug="emails", project=project,
                                     i18n_format=tx_api.I18nFormat(id="PO"))
    assert created.id == "o:acme:p:companion:r:emails"
    assert tx.resource(created.id).name == "Emails"

    with pytest.raises(JsonApiException) as conflict:
        tx_api.Resource.create(name="Emails", slug="emails", project=project,
                               i18n_format=tx_api.I18nFormat(id="PO"))
    assert conflict.value.status_code == 409
    with pytest.raises(JsonApiException) as missing:
        tx_api.Resource.get("o:acme:p:companion:r:nope")
    assert missing.value.status_code == 404
    assert missing.value.filter("not_found")


def test_upload_source_then_translations_then_download_round_trips(tx, tx_api):
    resource = tx_api.Resource.get(RESOURCE_ID)

    details = tx_api.ResourceStringsAsyncUpload.upload(POT, resource=resource, **FAST)
    assert details == {"strings_created": 4, "strings_updated": 0, "strings_skipped": 0, "strings_deleted": 0}

    details = tx_api.ResourceTranslationsAsyncUpload.upload(DE.encode(), resource=resource, language="l:de", **FAST)
    assert details == {"translations_created": 3, "translations_updated": 0}
    job = next(job for job in tx.jobs.values() if job.kind == "resource_translations_async_uploads")
    assert job.skipped == 2  # the fuzzy entry and the unknown key

    content = download(tx_api)
    downloaded = po.parse(content, "de.po")
    assert downloaded.language == "de"
    assert downloaded.header_field("Plural-Forms") == "nplurals=2; plural=(n != 1);"
    assert "fuzzy" not in downloaded.header.flags
    assert translations(content) == {
        (None, "Hello %(name)s"): "Hallo %(name)s",
        (None, "%(count)s file"): ["%(count)s Datei", "%(count)s Dateien"],
        ("menu", "Open"): "Öffnen",
        (None, "Log out"): "",
    }
    hello = downloaded.entries[0]
    assert hello.flags == ["python-format"]
    assert hello.auto_comments == [" Shown on the front page"]
    assert hello.references() == [("templates/index.html", 3)]

    again = tx_api.ResourceTranslationsAsyncUpload.upload(DE.encode(), resource=resource, language="l:de", **FAST)
    assert again == {"translations_created": 0, "translations_updated": 0}


def test_source_strings_have_transifex_keys_context_and_hashes(seeded, tx_api):
    strings = list(tx_api.ResourceString.filter(resource=RESOURCE_ID).all())
    assert [(s.key, s.context) for s in strings] == [
        ("Hello %(name)s", ""), ("%(count)s file", ""), ("Open", "menu"), ("Log out", "")]
    plural = strings[1]
    assert plural.pluralized and plural.strings == {"one": "%(count)s file", "other": "%(count)s files"}
    assert plural.occurrences == "app.py:10, app.py:20"
    assert strings[0].developer_comment == "Shown on the front page"
    assert strings[2].string_hash == string_hash("Open", "menu") == "7d7cdda138cdaf382eeb79a14b57965b"
    assert strings[2].id == f"{RESOURCE_ID}:s:{strings[2].string_hash}"
    assert tx_api.ResourceString.get(strings[2].id).key == "Open"


def test_resource_translations_with_included_strings(seeded, tx_api):
    listed = list(tx_api.ResourceTranslation.filter(resource=RESOURCE_ID, language="l:de")
                  .include("resource_string").all())
    assert len(listed) == 4
    hello, plural, open_, log_out = listed
    assert hello.strings == {"other": "Hallo %(name)s"} and hello.proofread and hello.reviewed
    assert plural.strings == {"one": "%(count)s Datei", "other": "%(count)s Dateien"} and plural.reviewed
    assert open_.related["resource_string"].context == "menu"
    assert open_.translator.id == "u:anna"
    assert log_out.strings is None and log_out.translator is None


def test_second_source_upload_deletes_missing_strings_and_their_translations(seeded, tx_api):
    without_open = POT.replace('msgctxt "menu"\nmsgid "Open"\nmsgstr ""\n\n', "")
    details = tx_api.ResourceStringsAsyncUpload.upload(without_open, resource=RESOURCE_ID, **FAST)
    assert details == {"strings_created": 0, "strings_updated": 0, "strings_skipped": 3, "strings_deleted": 1}

    keys = [s.key for s in tx_api.ResourceString.filter(resource=RESOURCE_ID).all()]
    assert "Open" not in keys
    assert ("Open", "menu") not in seeded.resource(RESOURCE_ID).translations["de"]
    assert ("menu", "Open") not in translations(download(tx_api))
    stats = tx_api.ResourceLanguageStats.get(f"{RESOURCE_ID}:l:de")
    assert (stats.total_strings, stats.translated_strings) == (3, 2)


def test_changed_plural_text_drops_translations_unless_kept(seeded, tx_api):
    changed = POT.replace('"%(count)s files"', '"%(count)s documents"')
    details = tx_api.ResourceStringsAsyncUpload.upload(changed, resource=RESOURCE_ID, keep_translations=True, **FAST)
    assert details["strings_updated"] == 1
    assert ("%(count)s file", "") in seeded.resource(RESOURCE_ID).translations["de"]

    changed_again = POT.replace('"%(count)s files"', '"%(count)s items"')
    tx_api.ResourceStringsAsyncUpload.upload(changed_again, resource=RESOURCE_ID, **FAST)
    assert ("%(count)s file", "") not in seeded.resource(RESOURCE_ID).translations["de"]


def test_empty_source_upload_deletes_everything(seeded, tx_api):
    details = tx_api.ResourceStringsAsyncUpload.upload('msgid ""\nmsgstr ""\n', resource=RESOURCE_ID, **FAST)
    assert details["strings_deleted"] == 4
    assert seeded.resource(RESOURCE_ID).strings == {}


def test_unparseable_source_upload_fails_and_changes_nothing(seeded, tx_api):
    with pytest.raises(UploadException) as failed:
        tx_api.ResourceStringsAsyncUpload.upload('msgid "unterminated\n', resource=RESOURCE_ID, **FAST)
    assert failed.value.errors[0]["code"] == "parse_error"
    assert "error:" in str(failed.value)
    assert len(seeded.resource(RESOURCE_ID).strings) == 4

    duplicate = POT + '\nmsgid "Log out"\nmsgstr ""\n'
    with pytest.raises(UploadException, match="Duplicate entry"):
        tx_api.ResourceStringsAsyncUpload.upload(duplicate, resource=RESOURCE_ID, **FAST)


def test_json_api_upload_body_is_accepted_and_plain_json_is_not(tx, tx_api):
    body = {"data": {"type": "resource_strings_async_uploads",
                     "attributes": {"content": POT, "content_encoding": "text"},
                     "relationships": {"resource": {"data": {"type": "resources", "id": RESOURCE_ID}}}}}
    tx.polls_before_done = 0  # read when a job is created
    job = tx_api.request("post", "/resource_strings_async_uploads", json=body)["data"]
    assert job["attributes"]["status"] == "pending" and job["attributes"]["details"] is None
    done = tx_api.request("get", job["links"]["self"])["data"]["attributes"]
    assert done["status"] == "succeeded" and done["details"]["strings_created"] == 4

    plain = requests.post(f"{tx.base_url}/resource_strings_async_uploads", json=body,
                          headers={"Authorization": f"Bearer {tx.token}"}, timeout=5)
    assert plain.status_code == 415


def test_jobs_answer_processing_for_the_configured_number_of_polls(seeded, tx_api):
    seeded.polls_before_done = 3
    download(tx_api)
    polls = [target for method, target in seeded.requests
             if method == "GET" and target.startswith("/resource_translations_async_downloads/")]
    assert len(polls) == 4  # three "processing", then the 303
    job = next(iter(seeded.jobs.values()))
    assert job.status == "succeeded" and job.file_token


@pytest.mark.parametrize("mode, expected", [
    ("default", {"Hello": True, "file": True, "Open": True, "Log out": False}),
    ("translator", {"Hello": True, "file": True, "Open": True, "Log out": False}),
    ("reviewed", {"Hello": True, "file": True, "Open": False, "Log out": False}),
    ("proofread", {"Hello": True, "file": False, "Open": False, "Log out": False}),
    ("onlytranslated", {"Hello": True, "file": True, "Open": True}),
    ("onlyreviewed", {"Hello": True, "file": True}),
    ("onlyproofread", {"Hello": True}),
    ("untranslated", {"Log out": False}),
    ("sourceastranslation", {"Hello": True, "file": True, "Open": True, "Log out": "source"}),
])
def test_download_modes(seeded, tx_api, mode, expected):
    short = {"Hello %(name)s": "Hello", "%(count)s file": "file", "Open": "Open", "Log out": "Log out"}
    found = {}
    for (_, msgid), msgstr in translations(download(tx_api, mode=mode)).items():
        forms = msgstr if isinstance(msgstr, list) else [msgstr]
        if msgid == "Log out" and forms == ["Log out"]:
            found[short[msgid]] = "source"
        else:
            found[short[msgid]] = all(forms)
    assert found == expected


def test_language_stats(seeded, tx_api):
    stats = {s.id.rpartition(":l:")[2]: s.attributes
             for s in tx_api.ResourceLanguageStats.filter(project=PROJECT_ID, resource=RESOURCE_ID).all()}
    assert set(stats) == {"en", "de", "fr"}  # the source language is listed too
    de = stats["de"]
    assert (de["total_strings"], de["translated_strings"], de["untranslated_strings"]) == (4, 3, 1)
    assert (de["reviewed_strings"], de["proofread_strings"]) == (2, 1)
    assert de["total_words"] == 2 + 4 + 1 + 2 and de["untranslated_words"] == 2
    assert de["last_update"] == "2024-05-01T12:30:00Z"
    assert (stats["fr"]["translated_strings"], stats["en"]["translated_strings"]) == (0, 4)

    only_de = list(tx_api.ResourceLanguageStats.filter(project=PROJECT_ID, language="l:de").all())
    assert [s.id for s in only_de] == [f"{RESOURCE_ID}:l:de"]


@pytest.mark.parametrize("absolute", [True, False])
def test_pagination_follows_links_next(tx, tx_api, absolute):
    tx.absolute_links = absolute
    entries = "".join(f'msgid "string {i:03}"\nmsgstr ""\n\n' for i in range(320))
    tx.load_source(RESOURCE_ID, entries.encode())
    for i in range(0, 320, 2):
        tx.set_translation(RESOURCE_ID, "de", f"string {i:03}", f"Zeichenkette {i:03}")

    strings = list(tx_api.ResourceString.filter(resource=RESOURCE_ID).all())
    assert [s.key for s in strings] == [f"string {i:03}" for i in range(320)]
    pages = [t for m, t in tx.requests if t.startswith("/resource_strings?")]
    assert len(pages) == 3 and all("page[cursor]=" in t for t in pages[1:])

    listed = list(tx_api.ResourceTranslation.filter(resource=RESOURCE_ID, language="l:de").all())
    assert sum(1 for t in listed if t.strings) == 160 and len(listed) == 320

    first = tx_api.ResourceString.filter(resource=RESOURCE_ID)
    assert first.next_url.startswith(tx.base_url if absolute else "/resource_strings?")


def test_source_file_download_and_base64(seeded, tx_api):
    url = tx_api.ResourceStringsAsyncDownload.download(resource=tx_api.Resource(id=RESOURCE_ID), **FAST)
    source = po.parse(requests.get(url, timeout=5).content, "messages.pot")
    assert source.language == "en"
    assert [e.msgid for e in source.entries] == ["Hello %(name)s", "%(count)s file", "Open", "Log out"]
    assert not any(any(e.forms) for e in source.entries)

    import base64

    url = tx_api.ResourceTranslationsAsyncDownload.download(
        resource=tx_api.Resource(id=RESOURCE_ID), language=tx_api.Language(id="l:de"),
        content_encoding="base64", **FAST)
    assert translations(base64.b64decode(requests.get(url, timeout=5).content))[("menu", "Open")] == "Öffnen"


def test_sdk_pitfalls_get_the_answers_the_real_api_gives(seeded, tx_api):
    # the language given as a string becomes an attribute, not a relationship: 400
    with pytest.raises(JsonApiException) as invalid:
        tx_api.ResourceTranslationsAsyncDownload.download(
            resource=tx_api.Resource(id=RESOURCE_ID), language="l:de", **FAST)
    assert invalid.value.status_code == 400
    # a language the project does not have
    with pytest.raises(JsonApiException) as foreign:
        tx_api.ResourceTranslationsAsyncDownload.download(
            resource=tx_api.Resource(id=RESOURCE_ID), language=tx_api.Language(id="l:ja"), **FAST)
    assert foreign.value.status_code == 400
    with pytest.raises(JsonApiException) as mode:
        download(tx_api, mode="everything")
    assert mode.value.status_code == 400


# --- authentication ------------------------------------------------------------------------------


def test_requests_without_the_token_get_401(seeded):
    wrong = TransifexApi(host=seeded.base_url, auth="not-the-token")
    with pytest.raises(JsonApiException) as unauthorized:
        wrong.Project.get(PROJECT_ID)
    assert unauthorized.value.status_code == 401
    assert unauthorized.value.errors[0]["code"] == "unauthorized"

    bare = requests.get(f"{seeded.base_url}/projects/{PROJECT_ID}", timeout=5)
    assert bare.status_code == 401
    assert bare.headers["Content-Type"] == "application/vnd.api+json"
    assert set(bare.json()["errors"][0]) == {"status", "code", "title", "detail"}


def test_token_goes_to_the_api_and_not_to_the_file_storage(seeded, tx_api):
    download(tx_api)
    assert {auth for _, _, auth in seeded.tokens_seen} == {"Bearer test-token"}
    assert not any(path.startswith("/files/") for _, path, _ in seeded.tokens_seen)
    assert any(target.startswith("/files/") for _, target in seeded.requests)
    assert all("authorization" not in {k.lower() for k in r.headers} for r in seeded.log)


# --- faults --------------------------------------------------------------------------------------


def test_429_with_retry_after_raises_once_then_answers(seeded, tx_api):
    seeded.fail(r"^/resources/", 429, retry_after=1)
    with pytest.raises(JsonApiException) as throttled:
        tx_api.Resource.get(RESOURCE_ID)  # the SDK does not retry, nor read Retry-After
    assert throttled.value.status_code == 429
    assert throttled.value.response.headers["Retry-After"] == "1"
    assert throttled.value.filter("throttled")
    assert tx_api.Resource.get(RESOURCE_ID).slug == "messages"
    assert seeded.faults == []


@pytest.mark.parametrize("status", [500, 503])
def test_server_errors_fire_as_many_times_as_asked(seeded, tx_api, status):
    seeded.fail(r"/resource_language_stats", status, times=2, method="GET")
    for _ in range(2):
        with pytest.raises(JsonApiException) as failed:
            list(tx_api.ResourceLanguageStats.filter(project=PROJECT_ID).all())
        assert failed.value.status_code == status
    assert len(list(tx_api.ResourceLanguageStats.filter(project=PROJECT_ID).all())) == 3


def test_error_page_that_is_not_json_api_becomes_an_http_error(seeded, tx_api):
    seeded.fail(r"^/projects/", 502, body=b"<html>Bad Gateway</html>")
    with pytest.raises(requests.HTTPError) as failed:  # the SDK falls back to raise_for_status
        tx_api.Project.get(PROJECT_ID)
    assert failed.value.response.status_code == 502
    assert tx_api.Project.get(PROJECT_ID).id == PROJECT_ID


def test_failure_while_polling_surfaces_from_download(seeded, tx_api):
    seeded.fail(r"^/resource_translations_async_downloads/", 500)
    with pytest.raises(JsonApiException):
        download(tx_api)
    assert translations(download(tx_api))[("menu", "Open")] == "Öffnen"


def test_dropped_connection(seeded, tx_api):
    seeded.drop(r"^/resources/")
    with pytest.raises(requests.ConnectionError):
        tx_api.Resource.get(RESOURCE_ID)
    assert tx_api.Resource.get(RESOURCE_ID).slug == "messages"


def test_hang_makes_a_client_time_out(seeded, tx_api):
    seeded.hang(r"^/resources/", seconds=5)
    # Resource.get() sends no timeout at all; the SDK's request() forwards one to requests
    with pytest.raises(requests.ReadTimeout):
        tx_api.request("get", f"/resources/{RESOURCE_ID}", timeout=0.2)
    assert tx_api.request("get", f"/resources/{RESOURCE_ID}", timeout=5)["data"]["id"] == RESOURCE_ID


def test_a_default_timeout_can_be_given_to_every_sdk_call(seeded):
    class TimedApi(TransifexApi):  # the resource classes call self.API.request, so this covers them
        def request(self, method, url, **kwargs):
            kwargs.setdefault("timeout", 0.2)
            return super().request(method, url, **kwargs)

    api = TimedApi(host=seeded.base_url, auth=seeded.token)
    seeded.hang(r"^/resource_translations_async_downloads/", seconds=5)
    with pytest.raises(requests.ReadTimeout):
        download(api)
    assert translations(download(api))[("menu", "Open")] == "Öffnen"


def test_garbage_file(seeded, tx_api):
    seeded.corrupt_next_file("garbage")
    with pytest.raises(po.PoSyntaxError):
        po.parse(download(tx_api), "de.po")
    po.parse(download(tx_api), "de.po")


def test_truncated_file(seeded, tx_api):
    seeded.corrupt_next_file("truncated")
    content = download(tx_api)
    assert content.endswith(b'msgid "')
    with pytest.raises(po.PoSyntaxError):
        po.parse(content, "de.po")
    assert len(po.parse(download(tx_api), "de.po").entries) == 4


def test_broken_placeholder_file(seeded, tx_api):
    seeded.corrupt_next_file("broken-placeholder")
    broken = translations(download(tx_api))
    assert broken[(None, "Hello %(name)s")] == "Hallo %(nmae)s"
    assert translations(download(tx_api))[(None, "Hello %(name)s")] == "Hallo %(name)s"


def test_failed_download_job_trips_the_sdk(seeded, tx_api):
    seeded.fail_next_job("resource_translations_async_downloads", detail="Could not compile the file")
    # DownloadMixin.download reads `download.error[0]` (sic) when the job has errors: AttributeError,
    # not DownloadException. Callers that want the job's errors must poll the job themselves.
    with pytest.raises(AttributeError, match="error"):
        download(tx_api)
    job = next(iter(seeded.jobs.values()))
    assert job.status == "failed" and job.errors == [{"code": "server_error", "detail": "Could not compile the file"}]
    assert translations(download(tx_api))[("menu", "Open")] == "Öffnen"


def test_server_runs_as_a_context_manager_on_a_free_port():
    with FakeTransifex(token="other") as first, FakeTransifex() as second:
        assert first.base_url != second.base_url
        api = TransifexApi(host=first.base_url, auth="other")
        assert list(api.Language.filter(code="de").all())[0].name == "German"
    assert first.base_url.startswith("http://127.0.0.1:")
