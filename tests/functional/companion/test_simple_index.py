"""The simple index (PEP 503 HTML, PEP 691 JSON) and /packages/, on uploads made once per backend."""

from __future__ import annotations

import hashlib
import re
from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from companion import migrations
from companion.db import ENGINE
from companion.models import File, Release
from companion.packaging.simple import HTML, JSON
from companion.seed import seed_database
from tests.functional.companion.conftest import BACKENDS, fresh_database
from tests.functional.companion.dists import Dist
from tests.functional.companion.upload_helpers import upload, upload_app

PIP_ACCEPT = "application/vnd.pypi.simple.v1+json, application/vnd.pypi.simple.v1+html; q=0.1, text/html; q=0.01"
TINY = Dist("Tiny.Thing", "1.0", requires_python="<3.14,>=3.8")
OLD = Dist("Tiny.Thing", "0.9", requires_python=None)


@pytest.fixture(scope="module", params=BACKENDS)
def index(request, tmp_path_factory, compiled_catalogs):
    """(app, uploaded bytes by filename): TINY's wheel and sdist, and OLD's wheel in a yanked release."""
    tmp = tmp_path_factory.mktemp(f"simple-{request.param}")
    with fresh_database(request.param, tmp) as url:
        migrations.upgrade(url)
        seed_database(url)
        with upload_app(url, tmp, tmp / "files", compiled_catalogs) as app:
            upload(app, TINY)
            upload(app, TINY, "sdist")
            upload(app, OLD)
            with app.app.registry[ENGINE].begin() as connection:
                connection.execute(sa.update(Release).where(Release.version == "0.9").values(yanked=True))
            yield app, {TINY.wheel_filename: TINY.wheel(), TINY.sdist_filename: TINY.sdist(),
                        OLD.wheel_filename: OLD.wheel()}


def links(html: str) -> dict[str, str]:
    """Each anchor's text and its whole tag."""
    return {text: tag for tag, text in re.findall(r'(<a [^>]*>)([^<]*)</a>', html)}


@pytest.mark.parametrize(("accept", "expected"), [
    (None, "text/html"),
    ("*/*", "text/html"),
    ("text/html", "text/html"),
    (HTML, HTML),
    (JSON, JSON),
    (PIP_ACCEPT, JSON),
    (f"{JSON};q=0.5, text/html;q=0.9", "text/html"),
    (f"text/html;q=0.2, {HTML};q=0.3, {JSON};q=0.1", HTML),
    ("application/vnd.pypi.simple.latest+json", JSON),
    (f"application/json, {JSON};q=0", None),
    ("application/json", None),
])
def test_the_media_type_is_negotiated_from_the_accept_header(index, accept, expected):
    app, _files = index
    headers = {"Accept": accept} if accept else {}
    for path in ("/simple/", "/simple/tiny-thing/"):
        response = app.get(path, headers=headers, status="*")
        if expected is None:
            assert response.status_int == 406 and "Not acceptable" in response.text
            continue
        assert response.status_int == 200 and response.content_type == expected
        assert "Accept" in response.headers["Vary"]


def test_format_in_the_query_overrides_the_accept_header(index):
    app, _files = index
    response = app.get("/simple/tiny-thing/", {"format": JSON}, headers={"Accept": "text/html"})
    assert response.content_type == JSON and response.json["name"] == "tiny-thing"
    app.get("/simple/tiny-thing/", {"format": "application/xml"}, status=406)


def test_the_project_list_names_every_project(index):
    app, _files = index
    html = app.get("/simple/").text
    assert '<meta name="pypi:repository-version" content="1.1">' in html
    assert links(html)["Tiny.Thing"] == '<a href="/simple/tiny-thing/">'
    assert "fetchwell" in links(html)
    data = app.get("/simple/", headers={"Accept": JSON}).json
    assert data["meta"] == {"api-version": "1.1"} and {"name": "Tiny.Thing"} in data["projects"]


def test_a_project_page_links_each_stored_file_with_its_digest_requires_python_and_yanked_mark(index):
    app, files = index
    html = app.get("/simple/tiny-thing/").text
    anchors = links(html)
    assert set(anchors) == set(files)
    for filename, content in files.items():
        digest = hashlib.sha256(content).hexdigest()
        assert f'#sha256={digest}"' in anchors[filename]
    assert 'data-requires-python="&lt;3.14,&gt;=3.8"' in anchors[TINY.wheel_filename]
    assert "data-requires-python" not in anchors[OLD.wheel_filename]
    assert 'data-yanked=""' in anchors[OLD.wheel_filename] and "data-yanked" not in anchors[TINY.wheel_filename]


def test_the_json_project_page_is_api_1_1(index):
    app, files = index
    data = app.get("/simple/tiny-thing/", headers={"Accept": JSON}).json
    assert data["meta"] == {"api-version": "1.1"} and data["name"] == "tiny-thing"
    assert data["versions"] == ["0.9", "1.0"]
    by_name = {file["filename"]: file for file in data["files"]}
    assert set(by_name) == set(files)
    wheel = by_name[TINY.wheel_filename]
    assert wheel["hashes"] == {"sha256": hashlib.sha256(files[TINY.wheel_filename]).hexdigest()}
    assert wheel["requires-python"] == "<3.14,>=3.8" and wheel["yanked"] is False
    assert wheel["size"] == len(files[TINY.wheel_filename])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", wheel["upload-time"])
    assert wheel["url"].endswith(f"#sha256={wheel['hashes']['sha256']}")
    assert by_name[OLD.wheel_filename]["yanked"] is True


@pytest.mark.parametrize("name", ["Tiny.Thing", "tiny_thing", "TINY-THING", "tiny..thing"])
def test_a_non_normalized_name_redirects_to_the_normalized_url(index, name):
    app, _files = index
    response = app.get(f"/simple/{name}/", {"format": JSON}, status=301)
    location = urlsplit(response.location)
    assert location.path == "/simple/tiny-thing/" and parse_qs(location.query) == {"format": [JSON]}


def test_an_unknown_project_is_a_404(index):
    index[0].get("/simple/no-such-project/", status=404)


def test_seeded_files_without_content_are_not_listed_and_not_served(index):
    app, _files = index
    assert links(app.get("/simple/fetchwell/").text) == {}
    assert app.get("/simple/fetchwell/", headers={"Accept": JSON}).json["files"] == []
    with app.app.registry[ENGINE].connect() as connection:
        seeded = connection.execute(sa.select(File.filename, File.sha256).where(File.path.is_(None))).first()
    app.get(f"/packages/{seeded.sha256[:2]}/{seeded.sha256[2:4]}/{seeded.sha256}/{seeded.filename}", status=404)


def test_packages_serve_the_stored_files(index):
    app, files = index
    data = app.get("/simple/tiny-thing/", headers={"Accept": JSON}).json
    for file in data["files"]:
        url = file["url"].split("#")[0]
        response = app.get(url)
        assert response.body == files[file["filename"]]
        assert response.content_length == len(response.body)
        assert response.content_type == ("application/zip" if file["filename"].endswith(".whl") else "application/gzip")
        assert response.etag == file["hashes"]["sha256"]
        assert "immutable" in response.headers["Cache-Control"]
        app.get(url, headers={"If-None-Match": f'"{response.etag}"'}, status=304)
        assert app.head(url).content_length == len(response.body)


@pytest.mark.parametrize("path", ["/packages/", "/packages/../../etc/passwd", "/packages/ab/cd/nothing/x.whl",
                                  "/packages/%2e%2e/%2e%2e/companion.sqlite3"])
def test_packages_serve_nothing_else(index, path):
    index[0].get(path, status=404)
