"""The security history, a project's history, and the admin view with its exports."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from companion.db import create_engine
from companion.events import Origin, Subject, record_event
from companion.events.models import Event, SubjectKind
from companion.events.views import csv_cell
from companion.seed import DEMO_PASSWORD
from tests.functional.companion.events_helpers import events, user_id
from tests.functional.companion.test_accounts import log_in


@pytest.fixture
def app(fresh_app):
    return fresh_app


def add(url, tag, subject, origin=Origin("system"), additional=None, when=None, count=1):
    engine = create_engine(url)
    try:
        with Session(engine) as session, session.begin():
            for _ in range(count):
                event_id = record_event(session, tag, subject, origin, additional)
                if when is not None:
                    session.execute(sa.update(Event).where(Event.id == event_id).values(time=when))
    finally:
        engine.dispose()


def user(url, name):
    return Subject(SubjectKind.USER, user_id(url, name))


def test_the_security_history_needs_a_login(app):
    response = app.get("/account/history/", status=303)
    assert "/account/login/?next=%2Faccount%2Fhistory%2F" in response.location


def test_the_security_history_shows_ones_own_events_of_90_days(app, seeded_url):
    add(seeded_url, "account:password:change", user(seeded_url, "bob"), Origin("user:1", "198.51.100.4"),
        when=datetime.now(UTC) - timedelta(days=100))
    add(seeded_url, "account:email:verified", user(seeded_url, "alice"), Origin("system", "198.51.100.5"))
    log_in(app, "bob", DEMO_PASSWORD)
    page = app.get("/account/history/")
    assert "Logged in" in page.text and "Account created" in page.text
    assert "Password changed" not in page.text  # older than 90 days
    assert "198.51.100.5" not in page.text  # alice's


def test_the_security_history_is_in_the_visitors_language(app, seeded_url):
    log_in(app, "bob", DEMO_PASSWORD)
    app.set_cookie("_LOCALE_", "de")
    page = app.get("/account/history/")
    assert re.search(r"<time datetime=\"[^\"]+\">\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}:\d{2}</time>", page.text)
    assert "Logged in" not in page.text and "Sicherheitsverlauf" in page.text


def test_the_history_pages_with_older_links(app, seeded_url):
    add(seeded_url, "account:logout", user(seeded_url, "bob"), Origin("user:1"), count=40)
    log_in(app, "bob", DEMO_PASSWORD)
    first = app.get("/account/history/")
    assert first.text.count("<tr>") == 26  # the heading row and 25 events
    older = first.click(description="Older events")
    assert "before=" in older.request.url and older.text.count("<tr>") > 1
    assert "Newest events" in older.text
    app.get("/account/history/", {"before": "x"}, status=400)
    app.get("/account/history/", {"before": str(2**70)}, status=400)


def test_the_user_agent_is_summarized(app, seeded_url):
    firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
    add(seeded_url, "account:login:success", user(seeded_url, "bob"), Origin("user:1", "203.0.113.9", firefox))
    add(seeded_url, "account:logout", user(seeded_url, "bob"), Origin("user:1", "203.0.113.9", "twine/7.0.0 CPython/3.12"))
    log_in(app, "bob", DEMO_PASSWORD)
    page = app.get("/account/history/")
    assert "Firefox 128 on Windows" in page.text and "twine 7.0.0" in page.text


def test_project_history_for_its_members_only(app, seeded_url):
    app.get("/project/fetchwell/history/", status=303)
    log_in(app, "bob", DEMO_PASSWORD)  # a maintainer
    page = app.get("/project/fetchwell/history/")
    assert "alice was added to the project" in page.text and "bob was added to the project" in page.text
    assert "See who did what on this project" in app.get("/project/fetchwell/").text
    app.get("/project/no-such-project/history/", status=404)
    app.reset()
    log_in(app, "marie", DEMO_PASSWORD)
    app.get("/project/fetchwell/history/", status=404)
    assert "See who did what" not in app.get("/project/fetchwell/").text


@pytest.mark.parametrize("who", [None, "bob"])
def test_the_admin_view_is_not_found_for_everyone_else(app, who):
    if who:
        log_in(app, who, DEMO_PASSWORD)
    for path in ("/admin/events/", "/admin/events/export.csv", "/admin/events/export.json"):
        app.get(path, status=404)


@pytest.fixture
def admin(app):
    log_in(app, "admin", DEMO_PASSWORD)
    return app


def test_the_admin_view_filters(admin, seeded_url):
    add(seeded_url, "account:logout", user(seeded_url, "lena"), Origin("token:abc123", "192.0.2.44"))
    add(seeded_url, "account:logout", user(seeded_url, "marie"), Origin("user:2", "192.0.2.45"),
        when=datetime(2024, 3, 5, tzinfo=UTC))
    every = admin.get("/admin/events/")
    assert "Security events" in every.text and "192.0.2.44" in every.text
    assert "192.0.2.44" in admin.get("/admin/events/", {"user": "lena"}).text
    assert "192.0.2.44" not in admin.get("/admin/events/", {"user": "marie"}).text
    assert "192.0.2.44" in admin.get("/admin/events/", {"token": "abc123"}).text
    assert "192.0.2.44" in admin.get("/admin/events/", {"ip": "192.0.2.44"}).text
    assert "192.0.2.44" not in admin.get("/admin/events/", {"tag": "account:create"}).text
    assert "192.0.2.44" in admin.get("/admin/events/", {"tag": "account:"}).text  # a prefix
    dated = admin.get("/admin/events/", {"from": "2024-03-05", "to": "2024-03-05"}).text
    assert "192.0.2.45" in dated and "192.0.2.44" not in dated
    assert "Owner" not in admin.get("/admin/events/", {"project": "fetchwell", "tag": "account:"}).text
    assert "No events to show." in admin.get("/admin/events/", {"user": "no-such-user"}).text
    for bad in ({"from": "yesterday"}, {"to": "9999-12-31"}, {"from": "2024-02-30"}, {"user": "x" * 201}):
        admin.get("/admin/events/", bad, status=400)


def test_the_admin_view_shows_values_as_text(admin, seeded_url):
    hostile = 'evil\r\n<script>alert(1)</script><img src=x onerror="alert(2)">'
    add(seeded_url, "account:logout", user(seeded_url, "lena"), Origin("system", "192.0.2.60", hostile))
    page = admin.get("/admin/events/")
    assert "<script>alert(1)" not in page.text and "&lt;script&gt;" in page.text
    assert "<img src=x" not in page.text


def test_exports_are_the_filtered_events_and_record_an_event(admin, seeded_url):
    add(seeded_url, "account:logout", user(seeded_url, "lena"), Origin("system", "192.0.2.70", "=HYPERLINK(1)"))
    exported = json.loads(admin.get("/admin/events/export.json", {"user": "lena"}).text)
    lena = [event for event in events(seeded_url) if event.subject_id == user_id(seeded_url, "lena")
            and event.subject_kind == "user"]
    assert [row["id"] for row in exported] == [event.id for event in reversed(lena)]
    response = admin.get("/admin/events/export.csv", {"ip": "192.0.2.70"})
    assert response.content_type == "text/csv" and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][:3] == ["id", "time", "subject_kind"] and len(rows) == 2
    assert rows[1][7] == "'=HYPERLINK(1)"
    last = events(seeded_url)[-1]
    assert (last.tag, last.actor) == ("admin:events:export", f"admin:{user_id(seeded_url, 'admin')}")
    assert last.additional == {"format": "csv", "filters": {"ip": "192.0.2.70"}}


@pytest.mark.parametrize("value, cell", [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
                                         ("\tx", "'\tx"), ("plain", "plain"), (None, ""), (12, "12"),
                                         ({"b": 1, "a": "=x"}, '{"a": "=x", "b": 1}')])
def test_csv_cells_cannot_carry_a_formula(value, cell):
    assert csv_cell(value) == cell


def test_the_export_streams_in_batches(migrated_database_url):
    from companion.events import services

    add(migrated_database_url, "account:logout", Subject(SubjectKind.USER, 1), count=7)
    engine = create_engine(migrated_database_url)
    with Session(engine) as session:
        streamed = [event.id for event in services.stream(session, services.filtered(services.Filters()), batch=3)]
        assert streamed == sorted(session.scalars(sa.select(Event.id)), reverse=True)
    engine.dispose()
