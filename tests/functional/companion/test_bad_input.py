"""Hostile and malformed requests: a clear page in the visitor's language, the right status,
nothing stored, nothing echoed unescaped, no traceback."""

from __future__ import annotations

import pytest
import webtest
from webob import Request

from companion.seed import PROJECTS
from tests.functional.companion.test_accounts import form_for, messages, user_row

HOSTILE_LOCALES = ["../../etc/passwd", "de\r\nSet-Cookie: injected=1", "de\nX-Injected: 1", "x" * 10_000,
                   "<script>alert(1)</script>", "%00", "en_XA/../de"]
PAGES = ["/", "/projects/", f"/project/{PROJECTS[0].name}/", "/help/", "/account/login/"]


def raw_request(app: webtest.TestApp, path: str, headers=None, **kwargs):
    """The response to a request exactly as given (WebTest refuses to build undecodable ones)."""
    return Request.blank(path, headers=headers, **kwargs).get_response(app.app)


def assert_harmless(response, value: str) -> None:
    assert "Traceback" not in response.text
    assert value not in response.text or value.isalnum()
    for name, header in response.headerlist:
        assert "injected" not in header.lower() and "x-injected" not in name.lower()
        assert value not in header or value.isalnum()


@pytest.mark.parametrize("value", HOSTILE_LOCALES, ids=lambda v: repr(v[:20]))
def test_hostile_locale_values_are_ignored_everywhere(app, value):
    for page in PAGES:
        for response in (app.get(page, {"_LOCALE_": value}),
                         app.get(page, headers={"Cookie": f"_LOCALE_={value.encode('unicode_escape').decode()}"}),
                         app.get(page, headers={"Accept-Language": value.replace("\r", "").replace("\n", "")})):
            assert '<html lang="en" dir="ltr">' in response.text, page
            assert_harmless(response, value)


@pytest.mark.parametrize("path", ["/?q=%ff%fe", "/projects/?page=%ff", "/project/%ff/", "/user/%c0%af/",
                                  "/?_LOCALE_=%ff", "/account/login/?next=%e9"])
def test_undecodable_addresses_get_the_400_page_in_the_visitors_language(app, path):
    response = raw_request(app, path, {"Cookie": "_LOCALE_=de"})
    assert response.status_int == 400
    assert '<html lang="de" dir="ltr">' in response.text
    assert "Ungültige Anfrage" in response.text  # "Bad request"
    assert "Traceback" not in response.text and "UnicodeDecodeError" not in response.text


@pytest.mark.parametrize(("page", "status"), [("10000000", 404), ("9" * 40, 404), ("1e3", 400), ("", 400)])
def test_absurd_page_numbers(app, page, status):
    app.get("/projects/", {"page": page}, status=status)


def test_unknown_project_is_a_404_in_the_visitors_language(app):
    response = app.get("/project/no-such-project/", headers={"Cookie": "_LOCALE_=de"}, status=404)
    assert '<html lang="de" dir="ltr">' in response.text and "Seite nicht gefunden" in response.text


def test_a_missing_csrf_token_is_a_403_in_the_visitors_language(fresh_app, seeded_url, mail_dir):
    response = fresh_app.post("/account/register/", {"username": "eve", "email": "eve@example.com",
                                               "password": "long enough", "password_confirm": "long enough"},
                        headers={"Cookie": "_LOCALE_=de"}, status=403)
    assert '<html lang="de" dir="ltr">' in response.text and "Formular abgelaufen" in response.text
    assert user_row(seeded_url, "eve") is None and messages(mail_dir) == []


def csrf_token(app) -> str:
    return form_for(app.get("/account/register/"), "/account/register/")["csrf_token"].value


def test_a_post_missing_its_fields_is_refused_with_messages(fresh_app, seeded_url, mail_dir):
    response = fresh_app.post("/account/register/", {"csrf_token": csrf_token(fresh_app)}, status=400)
    assert "This field is required." in response.text
    assert messages(mail_dir) == []


def test_a_file_where_a_text_field_belongs_is_a_400(fresh_app, seeded_url, mail_dir):
    fields = {"csrf_token": csrf_token(fresh_app), "email": "eve@example.com", "password": "long enough",
              "password_confirm": "long enough"}
    response = fresh_app.post("/account/register/", fields, upload_files=[("username", "eve.txt", b"eve")],
                              status=400)
    assert "Traceback" not in response.text
    assert user_row(seeded_url, "eve") is None and messages(mail_dir) == []


def test_markup_and_overlong_values_are_refused_and_escaped(fresh_app, seeded_url, mail_dir):
    script = "<script>alert(1)</script>"
    fields = {"csrf_token": csrf_token(fresh_app), "username": script * 400, "email": f"{script}@example.com",
              "password": "long enough", "password_confirm": "long enough"}
    response = fresh_app.post("/account/register/", fields, status=400)
    assert script not in response.text and "&lt;script&gt;" in response.text
    assert user_row(seeded_url, script) is None and messages(mail_dir) == []


def test_a_post_that_is_not_a_form_is_refused(fresh_app, seeded_url):
    fresh_app.post("/account/register/", b'{"username": "eve"}', content_type="application/json", status=403)
    garbage = raw_request(fresh_app, "/account/register/", method="POST", body=b"\xff\xfe\x00garbage",
                          content_type="multipart/form-data; boundary=x")
    assert garbage.status_int == 403 and "Traceback" not in garbage.text
    assert user_row(seeded_url, "eve") is None


def test_a_file_as_the_locale_to_switch_to_is_a_400(fresh_app):
    fresh_app.post("/locale", {"csrf_token": csrf_token(fresh_app), "next": "/"},
                   upload_files=[("locale", "de", b"de")], status=400)
