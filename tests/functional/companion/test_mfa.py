"""Two-factor authentication with real clients: oathtool as the authenticator app, the login's
second step, recovery codes, the shared failure limiter, re-authentication and the admin's reset."""

from __future__ import annotations

import html
import logging
import re
import shutil
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
import sqlalchemy as sa

from companion.accounts import security, tokens
from companion.mfa import recovery, totp
from companion.seed import DEMO_PASSWORD, DEMO_TOTP_SECRET
from tests.conftest import require
from tests.functional.companion.conftest import SECRET, make_app
from tests.functional.companion.events_helpers import events, last_id, user_id
from tests.functional.companion.test_accounts import (
    REDIS_URL,
    form_for,
    log_in,
    log_out,
    messages,
    redis_available,
    text_body,
)

NOW = 1_796_000_015  # a fixed time, 15 s into its 30 s step: every code below is asked of oathtool for it


@pytest.fixture
def app(fresh_app):
    return fresh_app


class Clock:
    """The app's TOTP clock, held still (at NOW unless moved); the re-authentication clock runs on."""

    def __init__(self):
        self.now = NOW

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    held = Clock()
    monkeypatch.setattr(totp, "clock", held)
    return held


def oathtool(secret: str, at: float) -> str:
    """The code a real authenticator (oathtool) shows at ``at``."""
    require("oathtool", shutil.which("oathtool") is not None, "apt-get install oathtool")
    result = subprocess.run(["oathtool", "--totp", "-b", "-N", f"@{int(at)}", secret],
                            check=True, capture_output=True, text=True)
    return result.stdout.strip()


def otpauth_uri(page) -> str:
    return html.unescape(re.search(r'href="(otpauth://[^"]+)"', page.text).group(1))


def secret_of(uri: str) -> str:
    return parse_qs(urlsplit(uri).query)["secret"][0]


def second_step_form(page, method: str):
    return next(form for form in page.forms.values() if "method" in form.fields and form["method"].value == method)


def submit_code(page, code: str, status: int | str = "*", method: str = "totp", **kwargs):
    form = second_step_form(page, method)
    form["code" if method == "totp" else "recovery_code"] = code
    return form.submit(status=status, **kwargs)


def password_step(app, username: str, **kwargs):
    """Log in with the password; the second step's page."""
    response = log_in(app, username, DEMO_PASSWORD, **kwargs)
    assert "/account/login/two-factor/?token=" in response.location
    return response.follow(**kwargs)


ENROLLED = NOW - 300  # enrolment happens five minutes before the logins of the tests


def enrol(app, clock):
    """The logged-in user sets up an authenticator app (oathtool) at ENROLLED: (secret, the page of
    recovery codes); the clock is back at NOW after."""
    clock.now = ENROLLED
    page = app.get("/account/two-factor/totp/")
    secret = secret_of(otpauth_uri(page))
    form = form_for(page, "/account/two-factor/totp/")
    form["code"] = oathtool(secret, ENROLLED)
    shown = form.submit(status=200)
    clock.now = NOW
    return secret, shown


def codes_on(page) -> list[str]:
    return re.findall(r"cprc_[a-z2-7]{4}(?:-[a-z2-7]{4}){3}", page.text)


def confirm_codes(app, code: str):
    page = app.get("/account/two-factor/recovery-codes/")
    form = next(f for f in page.forms.values() if "action" in f.fields and f["action"].value == "confirm")
    form["recovery_code"] = code
    return form.submit(status="*")


# --- enrolment with oathtool -----------------------------------------------------------------------------------


def test_enrolment_page_has_the_key_three_ways_and_a_one_time_code_field(app, clock):
    log_in(app, "bob", DEMO_PASSWORD)
    page = app.get("/account/two-factor/totp/")
    uri = otpauth_uri(page)
    parts = urlsplit(uri)
    query = parse_qs(parts.query)
    assert (parts.scheme, parts.netloc, unquote(parts.path)) == ("otpauth", "totp", "/Companion:bob")
    assert query["issuer"] == ["Companion"] and query["algorithm"] == ["SHA1"]
    assert query["digits"] == ["6"] and query["period"] == ["30"]
    secret = query["secret"][0]
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)  # 160 bits
    assert totp.grouped(secret) in page.text  # the manual key, in groups of four
    assert 'src="data:image/svg+xml;base64,' in page.text
    field = re.search(r"<input[^>]*name=\"code\"[^>]*>", page.text).group()
    assert 'autocomplete="one-time-code"' in field and 'inputmode="numeric"' in field
    # The same secret until it is confirmed (it lives in the session).
    assert secret_of(otpauth_uri(app.get("/account/two-factor/totp/"))) == secret


def test_enrol_with_oathtool_then_log_in_with_its_codes(app, seeded_url, mail_dir, clock):
    log_in(app, "bob", DEMO_PASSWORD)
    clock.now = ENROLLED
    page = app.get("/account/two-factor/totp/")
    secret = secret_of(otpauth_uri(page))
    form = form_for(page, "/account/two-factor/totp/")
    form["code"] = oathtool(secret, ENROLLED - 90)
    assert "This code is not right." in form.submit(status=400).text
    form = form_for(page, "/account/two-factor/totp/")
    form["code"] = oathtool(secret, ENROLLED)
    shown = form.submit(status=200)
    clock.now = NOW
    codes = codes_on(shown)
    assert len(codes) == 8 and "Save these recovery codes now." in shown.text
    assert app.get("/account/two-factor/totp/", status=303)  # already set up
    for later in ("/account/two-factor/", "/account/", "/account/history/", "/account/two-factor/recovery-codes/"):
        text = app.get(later).text
        assert secret not in text and totp.grouped(secret) not in text and codes[0] not in text, later
    assert "Two-factor authentication is on." in app.get("/account/").text
    subjects = [message["Subject"] for message in messages(mail_dir)]
    assert subjects == ["A second factor was added to your account", "New recovery codes for your account"]
    log_out(app)

    step = password_step(app, "bob")
    assert "Logged in as" not in app.get("/").text  # the password alone did not log in
    assert "The password of bob is right." in step.text
    for offset in (-90, 90):
        refused = submit_code(step, oathtool(secret, NOW + offset), status=400)
        assert "This code is not right." in refused.text
    done = submit_code(refused, oathtool(secret, NOW - 30), status=303)  # one step late: accepted
    assert done.location.endswith("/account/two-factor/recovery-codes/")  # codes not confirmed yet
    assert "Logged in as bob" in app.get("/account/").text
    log_out(app)

    step = password_step(app, "bob")
    again = submit_code(step, oathtool(secret, NOW - 30), status=400)  # the same code again
    assert "This code was already used." in again.text
    submit_code(again, oathtool(secret, NOW), status=303)
    log_out(app)
    step = password_step(app, "bob")
    older = submit_code(step, oathtool(secret, NOW - 30), status=400)  # the previous step after a newer one
    assert "This code was already used." in older.text
    assert "This code was already used." in submit_code(older, oathtool(secret, NOW), status=400).text

    bob = user_id(seeded_url, "bob")
    failures = [event.additional for event in events(seeded_url)
                if event.tag == "account:two_factor:login:failure" and event.subject_id == bob]
    assert failures == [{"method": "totp", "reason": "invalid_code"}] * 2 + [
        {"method": "totp", "reason": "reused_code"}] * 3
    reuses = [event for event in events(seeded_url) if event.tag == "account:two_factor:code_reuse"]
    assert len(reuses) == 3 and all(event.additional == {"method": "totp"} for event in reuses)
    reuse_mails = [m for m in messages(mail_dir) if m["Subject"] == "A code of your authenticator app was used twice"]
    assert len(reuse_mails) == 3 and reuse_mails[0]["To"] == "bob@example.com"


def test_the_demo_user_logs_in_with_the_documented_secret(app, clock):
    step = password_step(app, "sam")
    submit_code(step, oathtool(DEMO_TOTP_SECRET, NOW), status=303)
    assert "Logged in as sam" in app.get("/account/").text


# --- the second step's token -------------------------------------------------------------------------------------


def test_the_second_step_needs_a_good_token(app, seeded_url, clock):
    step = password_step(app, "sam")
    token = parse_qs(urlsplit(step.request.url).query)["token"][0]
    sam = user_id(seeded_url, "sam")
    bob = user_id(seeded_url, "bob")
    user, expires, signature = token.split(".")
    expired = tokens.make_token(SECRET, "two-factor-login", sam, "", 300, now=time.time() - 600)
    for bad in (f"{bob}.{expires}.{signature}", f"{user}.{int(expires) + 60}.{signature}", "garbage", expired,
                tokens.make_token(SECRET, tokens.RESET_PASSWORD, sam, "", 300)):
        page = app.get("/account/login/two-factor/", {"token": bad}, status=400)
        assert "This step of logging in has expired or was already completed." in page.text
    submit_code(step, oathtool(DEMO_TOTP_SECRET, NOW), status=303)
    log_out(app)
    # Once used, the token stops working (it is signed over the last accepted step).
    assert app.get(step.request.url, status=400)


def test_the_second_step_goes_on_to_next(app, clock):
    form = form_for(app.get("/account/login/", {"next": "/projects/"}), "/account/login/")
    form["username"], form["password"] = "sam", DEMO_PASSWORD
    step = form.submit(status=303).follow()
    confirm = app.get("/account/login/two-factor/", status=400)  # no token
    assert confirm.status_int == 400
    done = submit_code(step, oathtool(DEMO_TOTP_SECRET, NOW), status=303)
    assert done.location.endswith("/account/two-factor/recovery-codes/")  # sam has no saved codes yet


# --- throttling: one limiter for every method ---------------------------------------------------------------------


def test_wrong_codes_hit_429_within_the_limit_and_lock_out_the_right_code(app, seeded_url, clock):
    step = password_step(app, "sam")
    statuses = []
    page = step
    for attempt in range(12):
        page = submit_code(page if page.status_int != 429 else step, "000000" if attempt % 2 else "999999")
        statuses.append(page.status_int)
        if page.status_int == 429:
            break
    assert statuses == [400] * 10 + [429]  # at most 10 failures per user per 5 minutes
    assert 0 < int(page.headers["Retry-After"]) <= 300
    assert "Too many failed attempts at the second step." in page.text
    locked = submit_code(step, oathtool(DEMO_TOTP_SECRET, NOW), status=429)  # the right code, while locked
    assert "Too many failed attempts" in locked.text
    assert "Logged in as" not in app.get("/").text
    sam = user_id(seeded_url, "sam")
    reasons = [event.additional["reason"] for event in events(seeded_url)
               if event.tag == "account:two_factor:login:failure" and event.subject_id == sam]
    assert reasons == ["invalid_code"] * 10 + ["rate_limited"] * 2


def test_recovery_codes_share_the_limiter(app, clock):
    step = password_step(app, "sam")
    # sam has no recovery codes: the form is not offered, but a posted one counts all the same.
    for _ in range(5):
        submit_code(step, "000000", status=400)
    log_in(app, "bob", DEMO_PASSWORD, extra_environ={"REMOTE_ADDR": "192.0.2.50"})
    secret, shown = enrol(app, clock)
    codes = codes_on(shown)
    log_out(app)
    step = password_step(app, "bob")
    for _ in range(10):
        submit_code(step, "cprc_aaaa-aaaa-aaaa-aaaa", method="recovery_code", status=400)
    assert "Too many failed attempts" in submit_code(step, oathtool(secret, NOW + 30), status=429).text
    submit_code(step, codes[0], method="recovery_code", status=429)


def test_the_per_address_limit(seeded_url, mail_dir, compiled_catalogs, clock):
    with make_app(seeded_url, mail_dir, **{"mfa.ip_limit": "3 per 5 minutes",
                                           "i18n_tool.catalogs": str(compiled_catalogs)}) as app:
        here = {"REMOTE_ADDR": "203.0.113.1"}
        step = password_step(app, "sam", extra_environ=here)
        for _ in range(3):
            submit_code(step, "000000", status=400, extra_environ=here)
        submit_code(step, oathtool(DEMO_TOTP_SECRET, NOW), status=429, extra_environ=here)
        elsewhere = {"REMOTE_ADDR": "203.0.113.2"}
        submit_code(step, oathtool(DEMO_TOTP_SECRET, NOW), status=303, extra_environ=elsewhere)


OTHER_PROCESS = f"""
import sys, pyotp, webtest, companion
url, prefix, catalogs, mail = sys.argv[1:5]
app = webtest.TestApp(companion.configure({{"database.url": url, "sessions.secret": "another-process-secret",
    "redis.url": "{REDIS_URL}", "accounts.ratelimit_prefix": prefix, "i18n_tool.catalogs": catalogs,
    "mail.dir": mail}}).make_wsgi_app())
page = app.get("/account/login/")
form = [f for f in page.forms.values() if f.action == "/account/login/"][0]
form["username"], form["password"] = "sam", "{DEMO_PASSWORD}"
answer = form.submit()
print(answer.status_int)
step = answer.follow()
form = [f for f in step.forms.values() if "method" in f.fields and f["method"].value == "totp"][0]
form["code"] = pyotp.TOTP("{DEMO_TOTP_SECRET}").now()
print(form.submit(status="*").status_int)
"""


def test_the_limit_holds_across_two_processes_with_redis(seeded_url, mail_dir, compiled_catalogs, clock):
    require("Redis", redis_available(), "not running on 127.0.0.1:6379")
    prefix = f"companion-test-{uuid.uuid4().hex}"
    settings = {"redis.url": REDIS_URL, "accounts.ratelimit_prefix": prefix,
                "i18n_tool.catalogs": str(compiled_catalogs)}
    with make_app(seeded_url, mail_dir, **settings) as first, make_app(seeded_url, mail_dir, **settings) as second:
        step = password_step(first, "sam")
        for _ in range(10):
            submit_code(step, "000000", status=400)
        other = password_step(second, "sam")  # another app, another session
        submit_code(other, oathtool(DEMO_TOTP_SECRET, NOW), status=429)
        # And another operating-system process, logging in with the right code of now.
        result = subprocess.run([sys.executable, "-c", OTHER_PROCESS, seeded_url, prefix, str(compiled_catalogs),
                                 str(mail_dir)], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert result.stdout.split() == ["303", "429"]  # its password step passes, its code is refused
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{prefix}*"))
    assert any(b"2fa-user" in key for key in keys)
    client.delete(*keys)


# --- recovery codes --------------------------------------------------------------------------------------------


def test_recovery_codes_are_shown_once_confirmed_single_use_and_replaced(app, seeded_url, mail_dir, clock):
    log_in(app, "bob", DEMO_PASSWORD)
    secret, shown = enrol(app, clock)
    codes = codes_on(shown)
    assert all(recovery.PATTERN.fullmatch(code) for code in codes)
    page = app.get("/account/two-factor/recovery-codes/")
    assert "You have 8 unused recovery codes." in page.text and codes[0] not in page.text
    assert "Confirm that you saved them" in page.text
    assert confirm_codes(app, "cprc_aaaa-aaaa-aaaa-aaaa").status_int == 400
    assert confirm_codes(app, codes[3].upper()).status_int == 303
    assert "Confirm that you saved them" not in app.get("/account/two-factor/recovery-codes/").text
    engine = sa.create_engine(seeded_url)
    with engine.connect() as connection:
        hashes = connection.execute(sa.text("SELECT code_hash FROM recovery_codes")).scalars().all()
    engine.dispose()
    assert len(hashes) == 8 and all(value.startswith("$argon2id$") for value in hashes)
    log_out(app)

    step = password_step(app, "bob")
    assert 'name="recovery_code"' in step.text
    done = submit_code(step, codes[0], method="recovery_code", status=303)
    assert done.location.endswith("/account/")
    page = app.get("/account/two-factor/")
    assert "You have 7 unused recovery codes." in page.text
    used = [m for m in messages(mail_dir) if m["Subject"] == "A recovery code was used to log in"]
    assert len(used) == 1 and "You have 7 unused recovery codes left." in text_body(used[0])
    log_out(app)
    step = password_step(app, "bob")
    again = submit_code(step, codes[0], method="recovery_code", status=400)
    assert "This recovery code was already used." in again.text

    submit_code(again, oathtool(secret, NOW), status=303)
    page = app.get("/account/two-factor/recovery-codes/")
    new = codes_on(next(f for f in page.forms.values() if "action" in f.fields
                        and f["action"].value == "generate").submit(status=200))
    assert len(new) == 8 and not set(new) & set(codes)
    log_out(app)
    step = password_step(app, "bob")
    assert "This is not one of your recovery codes." in submit_code(step, codes[1], method="recovery_code",
                                                                      status=400).text
    bob = user_id(seeded_url, "bob")
    tags = [event.tag for event in events(seeded_url) if event.subject_id == bob and "recovery_codes" in event.tag]
    assert tags == ["account:recovery_codes:generated", "account:recovery_codes:confirm_failure",
                    "account:recovery_codes:confirmed", "account:recovery_codes:used",
                    "account:recovery_codes:regenerated"]


# --- re-authentication and removal ------------------------------------------------------------------------------


def later(monkeypatch, seconds: int) -> None:
    start = time.time()
    monkeypatch.setattr(security, "now", lambda: start + seconds)


def test_removal_needs_the_password_again_after_30_minutes(app, seeded_url, mail_dir, clock, monkeypatch):
    log_in(app, "bob", DEMO_PASSWORD)
    enrol(app, clock)
    assert app.get("/account/two-factor/totp/remove/").status_int == 200  # just logged in
    later(monkeypatch, 31 * 60)
    again = app.get("/account/two-factor/totp/remove/", status=303)
    assert "/account/reauthenticate/?next=" in again.location
    page = again.follow()
    form = form_for(page, "/account/reauthenticate/")
    form["password"] = "wrong"
    assert "The password is not correct." in form.submit(status=400).text
    form = form_for(page, "/account/reauthenticate/")
    form["password"] = DEMO_PASSWORD
    back = form.submit(status=303)
    assert back.location.endswith("/account/two-factor/totp/remove/")
    confirm = back.follow()
    form_for(confirm, "/account/two-factor/totp/remove/").submit(status=303)
    assert "Two-factor authentication is off." in app.get("/account/").text
    assert messages(mail_dir)[-1]["Subject"] == "A second factor was removed from your account"
    log_out(app)
    assert log_in(app, "bob", DEMO_PASSWORD).location.endswith("/account/")  # the password alone again
    bob = user_id(seeded_url, "bob")
    tags = [(event.tag, event.additional) for event in events(seeded_url) if event.subject_id == bob]
    assert ("account:reauthenticate:failure", {"reason": "bad_password"}) in tags
    assert ("account:two_factor:method_added", {"method": "totp"}) in tags
    assert ("account:two_factor:method_removed", {"method": "totp"}) in tags


def test_adding_a_method_also_needs_a_recent_password(app, clock, monkeypatch):
    log_in(app, "bob", DEMO_PASSWORD)
    later(monkeypatch, 31 * 60)
    assert "/account/reauthenticate/" in app.get("/account/two-factor/totp/", status=303).location


# --- the admin's reset -----------------------------------------------------------------------------------------------


def test_an_admin_resets_a_locked_out_users_second_factor(app, seeded_url, mail_dir, clock):
    log_in(app, "bob", DEMO_PASSWORD)
    app.get("/admin/users/sam/two-factor/", status=404)  # not for users
    log_out(app)
    log_in(app, "admin", DEMO_PASSWORD)
    page = app.get("/admin/users/sam/two-factor/")
    assert "Two-factor authentication of sam" in page.text and "Authenticator app" in page.text
    assert "Demo security key" in page.text
    app.get("/admin/users/nobody-here/two-factor/", status=404)
    form = form_for(page, "/admin/users/sam/two-factor/")
    refused = form.submit(status=400)
    assert "Confirm that you checked the person&#39;s identity." in refused.text
    form = form_for(refused, "/admin/users/sam/two-factor/")
    form["identity_checked"] = True
    done = form.submit(status=303).follow()
    assert "The second factor of sam was reset." in done.text and "This user has no second factor." in done.text
    [reset] = [event for event in events(seeded_url) if event.tag == "admin:two_factor:reset"]
    assert reset.actor == f"admin:{user_id(seeded_url, 'admin')}" and reset.subject_id == user_id(seeded_url, "sam")
    assert reset.additional == {"methods": ["totp", "webauthn"], "labels": ["Demo security key"], "recovery_codes": 0}
    mail = messages(mail_dir)[-1]
    assert mail["To"] == "sam@example.com" and mail["Subject"] == "The second factor of your account was reset"
    log_out(app)
    assert log_in(app, "sam", DEMO_PASSWORD).location.endswith("/account/")


# --- no secret after the page that shows it --------------------------------------------------------------------------


def test_no_secret_in_logs_events_emails_or_later_pages(app, seeded_url, mail_dir, clock, caplog):
    caplog.set_level(logging.DEBUG)
    log_in(app, "bob", DEMO_PASSWORD)
    secret, shown = enrol(app, clock)
    codes = codes_on(shown)
    used = [oathtool(secret, NOW)]
    assert confirm_codes(app, codes[1]).status_int == 303
    log_out(app)
    step = password_step(app, "bob")
    token = parse_qs(urlsplit(step.request.url).query)["token"][0]
    submit_code(step, "123456", status="*")
    submit_code(step, codes[0], method="recovery_code", status=303)
    pages = [app.get(path).text for path in ("/account/", "/account/two-factor/", "/account/history/",
                                             "/account/two-factor/recovery-codes/")]
    log_out(app)
    step = password_step(app, "bob")
    used.append(oathtool(secret, NOW + 30))
    submit_code(step, used[-1], status=303)
    log_out(app)
    log_in(app, "admin", DEMO_PASSWORD)
    exports = app.get("/admin/events/export.json").text
    pages.append(app.get("/admin/events/?user=bob").text)
    texts = {"the logs": "\n".join(record.getMessage() for record in caplog.records),
             "the events": "\n".join(str(event.additional) for event in events(seeded_url)) + exports,
             "the emails": "\n".join(message.as_string() for message in messages(mail_dir)),
             "a later page": "\n".join(pages)}
    secrets = [secret, totp.grouped(secret), token, *codes, *(c.split("_")[1].replace("-", "") for c in codes)]
    for where, text in texts.items():
        for value in secrets:
            assert value not in text, f"a secret ({value[:6]}…) appears in {where}"
    assert "account:two_factor:login:success" in texts["the events"]


def test_two_factor_emails_are_in_the_recipients_language(app, seeded_url, mail_dir, clock):
    from tests.functional.companion.test_accounts import update_user

    update_user(seeded_url, "sam", preferred_locale="ar")
    update_user(seeded_url, "bob", preferred_locale="de")
    log_in(app, "bob", DEMO_PASSWORD)
    enrol(app, clock)
    log_out(app)
    log_in(app, "admin", DEMO_PASSWORD)
    form = form_for(app.get("/admin/users/sam/two-factor/"), "/admin/users/sam/two-factor/")
    form["identity_checked"] = True
    form.submit(status=303)
    added, generated, reset = messages(mail_dir)
    assert (added["Content-Language"], added["Subject"]) == ("de", "Ihrem Konto wurde ein zweiter Faktor hinzugefügt")
    assert generated["Subject"] == "Neue Wiederherstellungscodes für Ihr Konto"
    assert (reset["Content-Language"], reset["Subject"]) == ("ar", "أُعيد تعيين العامل الثاني لحسابك")
    assert "مرحبًا sam،" in text_body(reset)


def test_bad_input_at_the_second_step_is_a_400_page_in_the_visitors_language(app, clock):
    app.set_cookie("_LOCALE_", "de")
    step = password_step(app, "sam")
    url = step.request.url
    token = second_step_form(step, "totp")["csrf_token"].value
    for data in ({"method": "nope"}, {}, {"method": "totp", "code": "9" * 5000},
                 {"method": "recovery_code", "recovery_code": "x" * 5000}):
        page = app.post(url, {**data, "csrf_token": token}, status=400)
        assert '<html lang="de" dir="ltr">' in page.text and "Traceback" not in page.text
    page = app.post(url, {"method": "totp", "csrf_token": token}, upload_files=[("code", "code.txt", b"123456")],
                    status=400)
    assert '<html lang="de" dir="ltr">' in page.text
    app.post(url, {"method": "totp", "code": oathtool(DEMO_TOTP_SECRET, NOW)}, status=403)  # no CSRF token
    submit_code(step, oathtool(DEMO_TOTP_SECRET, NOW), status=303)


# --- another kind of second factor plugs in (as WebAuthn does) ----------------------------------------------------


class FakeKeys:
    """A second kind of method, kept in memory: what companion/mfa/webauthn.py provides for real."""

    kind = "fake"
    login_template = "fake_login.html"
    settings_template = "fake_settings.html"
    keys: dict = {}  # user id -> [labels]

    def methods(self, user):
        from companion.mfa.services import Method

        return [Method(self.kind, index, label, datetime.now(UTC), None)
                for index, label in enumerate(self.keys.get(user.id, []))]

    def login_context(self, request, user):
        return {"heading": "Fake keys", "methods": self.methods(user)}

    def remove_all(self, user):
        removed = self.methods(user)
        self.keys.pop(user.id, None)
        return removed

    def token_state(self, user):
        return "fake:" + ",".join(self.keys.get(user.id, []))


@pytest.fixture
def app_with_fake_keys(seeded_url, mail_dir, compiled_catalogs):
    import companion
    from zope.interface import classImplements

    from companion.mfa.interfaces import ITwoFactorMethod
    from tests.functional.companion.conftest import app_settings, running_app

    classImplements(FakeKeys, ITwoFactorMethod)
    FakeKeys.keys = {user_id(seeded_url, "alice"): ["Key A", "Key B"]}
    config = companion.configure(app_settings(seeded_url, **{"mail.dir": str(mail_dir), "redis.url": None,
                                                            "i18n_tool.catalogs": str(compiled_catalogs)}))
    config.add_jinja2_search_path("tests.functional.companion:templates", name=".html")
    config.add_two_factor_method("fake", lambda context, request: FakeKeys(), order=20)
    with running_app(config) as testapp:
        yield testapp


def test_another_kind_of_method_appears_everywhere_without_changes(app_with_fake_keys, seeded_url, mail_dir):
    app = app_with_fake_keys
    keys = dict(FakeKeys.keys)
    FakeKeys.keys = {}
    log_in(app, "alice", DEMO_PASSWORD)
    FakeKeys.keys = keys
    overview = app.get("/account/two-factor/")
    assert "Two-factor authentication is on" in overview.text and overview.text.count('class="fake-key"') == 2
    assert "Set up an authenticator app" in overview.text  # the TOTP section is there too
    assert "Two-factor authentication is on." in app.get("/account/").text
    log_out(app)
    step = password_step(app, "alice")  # her only methods are fake keys: the second step is asked for
    assert "Fake keys" in step.text and "Key AKey B" in step.text
    assert 'name="code"' not in step.text  # no authenticator app: no TOTP form
    app.post(step.request.url, {"method": "totp", "code": "123456",
                                "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', step.text).group(1)},
             status=400)
    log_in(app, "admin", DEMO_PASSWORD)
    page = app.get("/admin/users/alice/two-factor/")
    assert "Security key “Key A”" in page.text and "Security key “Key B”" in page.text
    form = form_for(page, "/admin/users/alice/two-factor/")
    form["identity_checked"] = True
    form.submit(status=303)
    [reset] = [event for event in events(seeded_url) if event.tag == "admin:two_factor:reset"]
    assert reset.additional == {"methods": ["fake"], "labels": ["Key A", "Key B"], "recovery_codes": 0}
    log_out(app)
    assert log_in(app, "alice", DEMO_PASSWORD).location.endswith("/account/")
    FakeKeys.keys = {user_id(seeded_url, "alice"): ["Key C"]}
    log_out(app)
    password_step(app, "alice")


def test_enrolment_and_the_second_step_record_exactly_their_events(app, seeded_url, clock):
    log_in(app, "bob", DEMO_PASSWORD)
    before = last_id(seeded_url)
    secret, _shown = enrol(app, clock)
    bob = user_id(seeded_url, "bob")
    sent = "account:email:sent"
    assert [(event.tag, event.actor, event.additional) for event in events(seeded_url, before)] == [
        ("account:two_factor:method_added", f"user:{bob}", {"method": "totp"}),
        (sent, f"user:{bob}", {"template": "two-factor-added", "recipient": "bob@example.com"}),
        ("account:recovery_codes:generated", f"user:{bob}", {"count": 8}),
        (sent, f"user:{bob}", {"template": "recovery-codes-generated", "recipient": "bob@example.com"}),
    ]
    log_out(app)
    step = password_step(app, "bob")
    before = last_id(seeded_url)
    submit_code(step, oathtool(secret, NOW), status=303)
    assert [(event.tag, event.actor, event.additional) for event in events(seeded_url, before)] == [
        ("account:two_factor:login:success", f"user:{bob}", {"method": "totp"})]
