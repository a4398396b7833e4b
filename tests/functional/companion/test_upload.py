"""POST /legacy/: what twine sends, what is stored, and every refusal with its reason phrase and
nothing stored (rows counted, files on disk counted), on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import os
import stat

import pytest
import sqlalchemy as sa

import companion
from companion import events as companion_events
from companion.db import ENGINE
from companion.models import Event, File, Project, Release, Role, RoleName, User
from companion.packaging.authentication import Uploader
from companion.packaging.interfaces import IUploadTokenVerifier, TokenRefused
from companion.packaging.storage import content_path
from companion.seed import DEMO_PASSWORD
from i18n_tool.files import current_umask
from tests.functional.companion.conftest import app_settings, running_app
from tests.functional.companion.dists import Dist
from tests.functional.companion.test_accounts import log_in
from tests.functional.companion.upload_helpers import basic, files_dir, stored, upload, upload_app  # noqa: F401

TINY = Dist("Tiny.Thing")


@pytest.fixture
def app(seeded_url, tmp_path, files_dir, compiled_catalogs):
    with upload_app(seeded_url, tmp_path, files_dir, compiled_catalogs) as testapp:
        yield testapp


def rows(app, query):
    with app.app.registry[ENGINE].connect() as connection:
        return connection.execute(query).all()


def refused(app, files_dir, status, reason, dist=TINY, **kwargs):
    """Upload, expect ``status`` with ``reason`` as the reason phrase and the body; nothing stored."""
    before = stored(app, files_dir)
    response = upload(app, dist, status=status, **kwargs)
    assert response.status == f"{status} {reason}" or response.status.startswith(f"{status} {reason}"), response.status
    assert reason in response.text and response.content_type == "text/plain"
    assert stored(app, files_dir) == before
    return response


# --- accepted ------------------------------------------------------------------------------------------------


def test_the_first_upload_creates_the_project_its_owner_and_the_release(app, files_dir):
    upload(app, TINY)
    upload(app, TINY, "sdist")
    project, = rows(app, sa.select(Project.id, Project.name, Project.summary).where(Project.normalized_name == "tiny-thing"))
    assert project.name == "Tiny.Thing" and project.summary == TINY.summary
    (role,) = rows(app, sa.select(User.username, Role.role_name).join(Role.user).where(Role.project_id == project.id))
    assert role == ("alice", RoleName.OWNER)
    (release,) = rows(app, sa.select(Release.version, Release.requires_python, Release.summary, Release.core_metadata)
                      .where(Release.project_id == project.id))
    assert release[:3] == ("1.0", ">=3.8", TINY.summary)
    assert release.core_metadata["metadata_version"] == "2.1"
    files = rows(app, sa.select(File.filename, File.sha256, File.blake2_256, File.path, File.token_id, File.size)
                 .where(File.path.is_not(None)))
    assert {file.filename for file in files} == {TINY.wheel_filename, TINY.sdist_filename}
    for file in files:
        content = (files_dir / file.path).read_bytes()
        assert file.path == content_path(file.sha256, file.filename)
        assert hashlib.sha256(content).hexdigest() == file.sha256 and len(content) == file.size
        assert hashlib.blake2b(content, digest_size=32).hexdigest() == file.blake2_256
        assert file.token_id is None
        assert stat.S_IMODE((files_dir / file.path).stat().st_mode) == 0o666 & ~current_umask()
    assert stored(app, files_dir)["on disk"] == 2  # no temp file left


def test_every_upload_is_an_event_on_the_project_with_its_user_token_and_scope(app, files_dir):
    upload(app, TINY)
    upload(app, TINY, "sdist")
    found = rows(app, sa.select(Event.tag, Event.actor, Event.additional, Event.ip).where(Event.tag.startswith("project:"), Event.actor != "system").order_by(Event.id))
    alice = rows(app, sa.select(User.id).where(User.username == "alice"))[0].id
    assert [event.tag for event in found] == ["project:create", "project:role:add", "project:release:add",
                                              "project:release:file:add", "project:release:file:add"]
    assert {event.actor for event in found} == {f"user:{alice}"}
    file_event = found[-1].additional
    assert file_event["filename"] == TINY.sdist_filename and file_event["submitted_by"] == "alice"
    assert (file_event["auth"], file_event["token_id"], file_event["scope"]) == ("password", None, None)
    assert DEMO_PASSWORD not in str([event.additional for event in found])


def test_the_project_history_says_who_uploaded_each_file_and_with_what(app):
    upload(app, TINY)
    log_in(app, "alice", DEMO_PASSWORD)
    page = app.get("/project/tiny-thing/history/")
    assert f"File {TINY.wheel_filename} uploaded by alice with a password" in page.text
    assert "Release 1.0 added by alice" in page.text and "Project created by alice" in page.text


def test_an_owner_or_maintainer_uploads_a_new_release_of_an_existing_project(app, files_dir):
    upload(app, Dist("fetchwell", "3.0.0"))  # alice owns it
    upload(app, Dist("flasket", "4.0.0"))  # alice maintains it
    versions = {row.version for row in rows(app, sa.select(Release.version))}
    assert {"3.0.0", "4.0.0"} <= versions
    assert stored(app, files_dir)["on disk"] == 2


def test_script_in_the_summary_is_stored_as_is_and_shown_escaped(app):
    summary = "<script>alert('x')</script> & more"
    upload(app, Dist("scripted", summary=summary))
    assert rows(app, sa.select(Release.summary))[-1].summary == summary
    page = app.get("/project/scripted/")
    assert "<script>alert" not in page.text
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more" in page.text


def test_md5_is_not_needed_but_checked_when_sent(app, files_dir):
    content = TINY.wheel()
    upload(app, TINY, md5_digest=hashlib.md5(content).hexdigest())
    refused(app, files_dir, 400, "The md5_digest does not match the uploaded file", Dist("other"), md5_digest="0" * 32)


# --- refused: the file ----------------------------------------------------------------------------------------


def test_a_filename_of_another_project_is_refused(app, files_dir):
    refused(app, files_dir, 400, "Filename does not match the project name", filename="other_thing-1.0-py3-none-any.whl")
    refused(app, files_dir, 400, "Filename does not match the version", filename="tiny_thing-2.0-py3-none-any.whl")
    refused(app, files_dir, 400, "Invalid file extension", filetype="sdist", filename="tiny_thing-1.0.zip")
    refused(app, files_dir, 400, "Invalid filename", filename="../tiny_thing-1.0-py3-none-any.whl")


@pytest.mark.parametrize("field", ["sha256_digest", "blake2_256_digest"])
def test_a_digest_that_does_not_match_the_file_is_refused(app, files_dir, field):
    refused(app, files_dir, 400, f"The {field} does not match the uploaded file", **{field: "ab" * 32})


def test_a_truncated_multipart_body_is_refused(app, files_dir):
    content_type, body = app.encode_multipart(*TINY.form())
    before = stored(app, files_dir)
    cut = body[: body.index(TINY.wheel()[:200]) + 100]  # the connection dropped in the middle of the file
    response = app.post("/legacy/", cut, headers={**basic("alice"), "Content-Type": content_type}, status=400)
    assert response.status == "400 The sha256_digest does not match the uploaded file (was it cut short?)"
    assert stored(app, files_dir) == before


def test_a_file_over_the_size_limit_is_refused(seeded_url, tmp_path, files_dir, compiled_catalogs):
    with upload_app(seeded_url, tmp_path, files_dir, compiled_catalogs, **{"upload.max_size": "500"}) as app:
        refused(app, files_dir, 400, "File too large: files may be at most 500 bytes")
        big = Dist("big", module_text="x = 1\n" * 3_000_000)  # well past the limit and the form's allowance
        fields, files = big.form("sdist", content=os.urandom(11 * 1024 * 1024))
        response = app.post("/legacy/", fields, upload_files=files, headers=basic("alice"), status=413)
        assert response.status.startswith("413 Upload too large")


def test_a_duplicate_filename_or_the_same_content_under_another_name_is_refused(app, files_dir):
    upload(app, TINY)
    refused(app, files_dir, 409, f"File already exists: {TINY.wheel_filename!r}")
    refused(app, files_dir, 409, f"File content already exists as {TINY.wheel_filename!r}",
            filename="tiny_thing-1.0-py2.py3-none-any.whl")
    upload(app, TINY, "sdist")
    refused(app, files_dir, 400, "Only one sdist may be uploaded per release", filetype="sdist",
            content=Dist("Tiny.Thing", summary="rebuilt").sdist(), filename="Tiny.Thing-1.0.tar.gz")


def test_a_file_that_is_not_an_archive_is_refused(app, files_dir):
    refused(app, files_dir, 400, "Invalid distribution file", content=b"not a zip at all")


def test_invalid_metadata_is_refused_with_the_field(app, files_dir):
    refused(app, files_dir, 400, "Invalid value for version", Dist("tiny-thing", "1.x"),
            filename="tiny_thing-1.0-py3-none-any.whl")
    refused(app, files_dir, 400, "Invalid value for license-expression", license_expression="MIT")  # needs 2.4
    refused(app, files_dir, 400, "Missing metadata: name", name="")


# --- refused: who uploads -------------------------------------------------------------------------------------


def test_password_uploads_are_off_by_default(seeded_url, tmp_path, files_dir, compiled_catalogs):
    with upload_app(seeded_url, tmp_path, files_dir, compiled_catalogs, **{"upload.password_login": None}) as app:
        refused(app, files_dir, 403, "Uploading with a username and password is turned off on this index")


def test_a_user_with_two_factor_authentication_cannot_upload_with_a_password(app, files_dir):
    refused(app, files_dir, 403, "User 'sam' has two-factor authentication enabled", user="sam")


def test_a_user_who_is_not_an_owner_or_maintainer_is_refused(app, files_dir):
    refused(app, files_dir, 403, "The user 'haruto' isn't allowed to upload to project 'fetchwell'",
            Dist("fetchwell", "9.0"), user="haruto")


def test_a_user_without_a_verified_email_address_is_refused(app, files_dir):
    refused(app, files_dir, 400, "User 'bob' has no verified email address", Dist("flasket", "9.0"), user="bob")


@pytest.mark.parametrize("header", ["Bearer abc", "Basic !!!", "Basic bm9jb2xvbg==", "Basic", "Basic OnB3",
                                    "Basic \u00e9\u00e9", "Digest username=alice"])
def test_a_garbage_authorization_header_is_refused(app, files_dir, header):
    refused(app, files_dir, 403, "Invalid or non-existent authentication information", headers={"Authorization": header})


def test_no_credentials_at_all_are_refused(app, files_dir):
    refused(app, files_dir, 403, "Invalid or non-existent authentication information", headers={})


def test_a_wrong_password_is_refused_recorded_on_the_user_and_rate_limited(app, files_dir):
    before = stored(app, files_dir)
    for _ in range(5):
        response = upload(app, TINY, headers=basic("alice", "wrong"), status=403)
        assert "wrong username or password" in response.status
    after = stored(app, files_dir)
    assert after == {**before, "events": before["events"] + 5}  # the failures, nothing of the upload
    (failure,) = set(rows(app, sa.select(Event.tag, Event.actor).order_by(Event.id.desc()).limit(5)))
    assert failure == ("account:login:failure", "anonymous")
    response = upload(app, TINY, status=429)  # even with the right password, for a while
    assert response.status.startswith("429 Too many failed login attempts")
    assert stored(app, files_dir) == after


def test_a_token_login_with_what_is_not_a_token_is_refused(app, files_dir):
    refused(app, files_dir, 403, "Invalid API token: this is not a token of this index",
            headers=basic("__token__", "pypi-whatever"))


# --- the token verifier interface, with a stand-in verifier ------------------------------------------------------


class StandInVerifier:
    """Token "good" is alice's, scoped to the project tiny-thing; anything else is refused."""

    def __init__(self, request):
        self.request = request

    def verify(self, request, token):
        if token != "good":
            raise TokenRefused("Invalid API Token: not a token of this index")
        alice = request.db.scalars(sa.select(User).where(User.username == "alice")).one()

        def restriction(project):
            name = project if isinstance(project, str) else project.name
            return None if name == "Tiny.Thing" else f"This token may only upload to 'tiny-thing', not {name!r}"
        return Uploader(user=alice, token_id="17", scope="project:tiny-thing", restriction=restriction)


def test_a_registered_token_verifier_authenticates_uploads(seeded_url, tmp_path, files_dir, compiled_catalogs):
    from zope.interface import directlyProvides

    def factory(context, request):
        verifier = StandInVerifier(request)
        directlyProvides(verifier, IUploadTokenVerifier)
        return verifier

    config = companion.configure(app_settings(seeded_url, **{"files.dir": str(files_dir), "redis.url": None,
                                                             "i18n_tool.catalogs": str(compiled_catalogs)}))
    config.register_service_factory(factory, IUploadTokenVerifier)
    with running_app(config) as app:
        upload(app, TINY, headers=basic("__token__", "good"))
        (event,) = rows(app, sa.select(Event.actor, Event.additional).where(Event.tag == "project:release:file:add"))
        assert event.actor == "token:17"
        assert (event.additional["token_id"], event.additional["scope"], event.additional["auth"]) == (
            "17", "project:tiny-thing", "token")
        assert rows(app, sa.select(File.token_id))[-1].token_id == "17"
        refused(app, files_dir, 403, "Invalid API Token: not a token of this index", headers=basic("__token__", "bad"))
        refused(app, files_dir, 403, "This token may only upload to 'tiny-thing'", Dist("fetchwell", "9.0"),
                headers=basic("__token__", "good"))
        log_in(app, "alice", DEMO_PASSWORD)
        page = app.get("/project/tiny-thing/history/")
        assert f"File {TINY.wheel_filename} uploaded by alice with the API token 17" in page.text
        assert "API token 17" in page.text  # the actor column


# --- a transaction that fails after the file was written ----------------------------------------------------------


def test_no_file_is_left_when_the_transaction_does_not_commit(app, files_dir, monkeypatch):
    def failing(session, staged):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(companion_events, "_write_staged", failing)
    before = stored(app, files_dir)
    app.post("/legacy/", *[TINY.form()[0]], upload_files=TINY.form()[1], headers=basic("alice"), status=500)
    after = stored(app, files_dir)
    assert after == before and after["on disk"] == 0
