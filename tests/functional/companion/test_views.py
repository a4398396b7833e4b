"""Every page on the seeded data, on SQLite and PostgreSQL, through WebTest."""

import re

import pytest
import sqlalchemy as sa
from pyramid.httpexceptions import HTTPForbidden
from sqlalchemy.orm import Session

import companion
from companion.db import create_engine
from companion.headers import SECURITY_HEADERS
from companion.models import User

from .conftest import app_settings, running_app

STACK_TRACE = re.compile(r"Traceback|File \"|line \d+, in ")


def links(response, prefix: str) -> list[str]:
    return [a.get("href") for a in response.html.find_all("a") if a.get("href", "").startswith(prefix)]


def project_links(response) -> list[str]:
    return [href.split("/")[2] for href in links(response, "/project/")]


# -- home and search --------------------------------------------------------------------


def test_home_shows_the_project_count_and_recent_releases(app):
    response = app.get("/")
    assert response.html.html["lang"] == "en" and response.html.html["dir"] == "ltr"
    assert response.html.title.text.strip() == "Home · Companion package index"
    assert "13 projects are hosted here." in response.text
    assert response.html.find("form", role="search")
    recent = [a.text for a in response.html.select(".recent-releases a")]
    assert recent[:2] == ["yaml-tidy 0.4.0", "asyncpipe 1.1.0"]
    assert len(recent) == 10
    assert "asyncpipe 1.0.1" not in recent  # yanked


def test_home_search_matches_names_and_summaries(app):
    response = app.get("/", params={"q": "numbra"})
    assert "Search results" in response.html.h1.text
    assert project_links(response) == ["numbra"]
    assert "1 project matches “numbra”." in response.text

    by_summary = app.get("/", params={"q": "TABLES"})  # "…analysing tables…", any case
    assert project_links(by_summary) == ["tabulary"]


def test_search_page_is_the_same_search(app):
    assert project_links(app.get("/search/", params={"q": "fetch"})) == ["fetchwell"]
    empty = app.get("/search/")
    assert "Type part of a project's name or summary." in empty.text
    assert not empty.html.select(".project-list")


def test_search_normalizes_names_and_puts_the_exact_match_first(app):
    assert project_links(app.get("/", params={"q": "zope_demo.UTILS"})) == ["zope-demo-utils"]
    # "pixelkit" is in one name; "kit" is in more than one, and no name is exactly "kit"
    assert project_links(app.get("/", params={"q": "pixelkit"})) == ["pixelkit"]


def test_search_without_results_and_with_like_wildcards(app):
    for query in ("no-such-thing", "%", "y%l", "y_ml"):  # unescaped, LIKE would match "yaml"
        response = app.get("/", params={"q": query})
        assert f"No project matches “{query}”." in response.text
        assert project_links(response) == []


def test_search_escapes_the_query(app):
    response = app.get("/", params={"q": "<script>alert(1)</script>"})
    assert "<script>" not in response.text
    assert "&lt;script&gt;" in response.text


def test_search_is_paginated(app):
    first = app.get("/", params={"q": "demo project"})
    assert "13 projects match “demo project”." in first.text
    assert len(project_links(first)) == 10
    next_link = first.html.find("a", rel="next")["href"]
    assert "q=demo+project" in next_link and "page=2" in next_link
    second = app.get(next_link)
    assert len(project_links(second)) == 3
    assert not second.html.find("a", rel="next")
    assert set(project_links(first)).isdisjoint(project_links(second))


# -- projects -------------------------------------------------------------------------


def test_project_list_is_paginated_in_name_order(app):
    first = app.get("/projects/")
    names = project_links(first)
    assert names[:3] == ["asyncpipe", "checkmate-test", "clickety"] and len(names) == 10
    assert "Showing 1–10 of 13 projects" in first.text
    assert first.html.find(attrs={"aria-current": "page"}).text == "Page 1 of 2"
    second = app.get(first.html.find("a", rel="next")["href"])
    assert project_links(second) == ["templar-lite", "yaml-tidy", "zope-demo-utils"]
    assert "Showing 11–13 of 13 projects" in second.text
    assert second.html.find("a", rel="prev")


@pytest.mark.parametrize(("page", "status"), [("3", 404), ("abc", 400), ("0", 400), ("-1", 400)])
def test_project_list_refuses_bad_pages(app, page, status):
    response = app.get("/projects/", params={"page": page}, status=status)
    assert not STACK_TRACE.search(response.text)
    assert response.html.find("main")


def test_project_page_shows_releases_files_description_and_maintainers(app):
    response = app.get("/project/fetchwell/")
    assert response.html.h1.text.split() == ["fetchwell", "2.32.3"]  # the newest release not yanked
    assert "HTTP for people" in response.text
    assert "fetchwell sends HTTP/1.1 requests" in response.text
    maintainers = {a.text: a["href"] for a in response.html.select("#maintainers ~ ul a")}
    assert maintainers == {"Alice Nakamura": "/user/alice/", "Bob Okafor": "/user/bob/"}
    assert "(Owner)" in response.text and "(Maintainer)" in response.text
    versions = [h3.contents[0].strip() for h3 in response.html.select(".release h3")]
    assert versions == ["2.32.3", "2.32.0", "2.31.0", "2.30.0"]
    yanked = response.html.select(".release .yanked")
    assert len(yanked) == 1 and yanked[0].find_parent("h3").contents[0].strip() == "2.32.0"
    rows = response.html.select(".release")[0].select("tbody tr")
    assert [row.th.text for row in rows] == ["fetchwell-2.32.3.tar.gz", "fetchwell-2.32.3-py3-none-any.whl"]
    assert [cells[0].text for cells in (row.find_all("td") for row in rows)] == ["Source", "Wheel"]
    assert re.fullmatch(r"\d+(\.\d)? kB", rows[0].find_all("td")[1].text)
    assert re.fullmatch(r"[0-9a-f]{64}", rows[0].find_all("td")[2].text)
    assert "Requires Python &gt;=3.8" in response.text


def test_project_page_for_big_platform_wheels(app):
    response = app.get("/project/numbra/")
    sizes = [row.find_all("td")[1].text for row in response.html.select(".release")[0].select("tbody tr")]
    assert len(sizes) == 5 and all(size.endswith(" MB") for size in sizes)


def test_project_names_redirect_to_their_normalized_form(app):
    response = app.get("/project/Zope.Demo_Utils/", status=301)
    assert response.location.endswith("/project/zope-demo-utils/")
    assert "Zope.Demo_Utils" in response.follow().html.h1.text
    assert app.get("/project/FETCHWELL/", status=301).location.endswith("/project/fetchwell/")


def test_addresses_without_the_trailing_slash_redirect(app):
    assert app.get("/project/fetchwell", status=301).location.endswith("/project/fetchwell/")
    assert app.get("/projects", status=301).location.endswith("/projects/")


# -- users ------------------------------------------------------------------------------


def test_user_profile_lists_projects_and_hides_the_email(app):
    response = app.get("/user/alice/")
    assert response.html.h1.text == "Alice Nakamura"
    assert project_links(response) == ["asyncpipe", "fetchwell", "flasket"]
    assert "3 projects" in response.html.find(id="projects").text
    assert "@example.com" not in response.text


def test_user_profile_in_other_scripts(app):
    assert app.get("/user/fatima/").html.h1.text == "فاطمة الزهراء"
    assert app.get("/user/haruto/").html.h1.text == "佐藤 陽翔"


def test_usernames_redirect_to_their_spelling(app):
    assert app.get("/user/ALICE/", status=301).location.endswith("/user/alice/")


def test_help_page(app):
    response = app.get("/help/")
    assert response.html.h1.text == "Help"
    assert "How do I install a package?" in response.text


def test_head_requests(app):
    assert app.head("/projects/").status_int == 200


# -- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/project/no-such-project/", "/user/nobody/", "/no/such/page"])
def test_unknown_addresses_get_the_404_page(app, path):
    response = app.get(path, status=404)
    assert response.html.h1.text == "Page not found"
    assert response.html.title.text.startswith("Page not found")
    assert not STACK_TRACE.search(response.text)


@pytest.fixture(scope="module")
def failing_app(seeded_database_url):
    """The app plus views that fail: one raises, one refuses, one writes and then raises."""

    def boom(request):
        raise RuntimeError("secret internal detail")

    def refuse(request):
        raise HTTPForbidden()

    def write_then_fail(request):
        request.db.add(User(username="rolled-back", email="rolled-back@example.com"))
        request.db.flush()
        raise RuntimeError("after the write")

    config = companion.configure(app_settings(seeded_database_url))
    for name, view in (("boom", boom), ("refuse", refuse), ("write", write_then_fail)):
        config.add_route(f"test.{name}", f"/_test/{name}/")
        config.add_view(view, route_name=f"test.{name}")
    with running_app(config) as testapp:
        yield testapp


def test_errors_show_the_500_page_without_a_traceback(failing_app, caplog):
    response = failing_app.get("/_test/boom/", status=500)
    assert response.html.h1.text == "Something went wrong"
    assert "secret internal detail" not in response.text
    assert not STACK_TRACE.search(response.text)
    assert "secret internal detail" in caplog.text  # logged instead


def test_forbidden_shows_the_403_page(failing_app):
    response = failing_app.get("/_test/refuse/", status=403)
    assert response.html.h1.text == "Access denied"


def test_a_failed_request_writes_nothing(failing_app, seeded_database_url):
    failing_app.get("/_test/write/", status=500)
    engine = create_engine(seeded_database_url)
    try:
        with Session(engine) as session:
            assert session.scalar(sa.select(User).where(User.username == "rolled-back")) is None
    finally:
        engine.dispose()


@pytest.mark.parametrize(("path", "status"), [
    ("/", 200), ("/project/fetchwell/", 200), ("/project/Fetchwell/", 301), ("/nowhere/", 404),
    ("/projects/?page=x", 400), ("/_test/refuse/", 403), ("/_test/boom/", 500),
])
def test_security_headers_on_every_response(failing_app, path, status):
    response = failing_app.get(path, status=status)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers[name] == value
    csp = response.headers["Content-Security-Policy"]
    assert csp.startswith("default-src 'self'; frame-ancestors 'none'")
