"""``config.include("i18n_tool.pyramid")`` on a tiny app (tests/functional/pyramid_app), through WebTest.

The app's catalogs are compiled here from tests/functional/pyramid_app/catalogs: de, ar (six
plural forms), pt_BR complete; ja 60 % (available at min_coverage 50); fr 20 % (not
available); the pseudo-locales en_XA and ar_XB built from the template.
"""

import re
import shutil
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from pyramid.config import Configurator
from pyramid.exceptions import ConfigurationError
from pyramid.i18n import TranslationString
from pyramid.request import Request
from webtest import TestApp

from i18n_tool import pseudo
from i18n_tool.catalog import po
from i18n_tool.catalog.lifecycle import new_header
from i18n_tool.catalog.mo import write_mo
from i18n_tool.pyramid import (
    bcp47,
    direction,
    display_name,
    get_localization,
    lazy_gettext,
    lazy_pgettext,
    match,
    negotiate,
    parse_accept_language,
    read_settings,
    safe_next,
    translate,
)
from tests.functional import pyramid_app

SOURCES = Path(pyramid_app.__file__).parent / "catalogs"
AVAILABLE = ("ar", "ar_XB", "de", "en", "en_XA", "ja", "pt_BR")


def build_catalogs(target: Path, domain: str = "messages") -> Path:
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy(SOURCES / "messages.pot", target / f"{domain}.pot")
    template = po.parse_file(SOURCES / "messages.pot")
    catalogs = {path.stem: po.parse_file(path) for path in SOURCES.glob("*.po")}
    for name in pseudo.PSEUDO_LOCALES:
        catalogs[name] = pseudo.build(template, name, new_header(template, name))
    for locale, catalog in catalogs.items():
        directory = target / locale / "LC_MESSAGES"
        directory.mkdir(parents=True)
        (directory / f"{domain}.mo").write_bytes(write_mo(catalog))
    return target


@pytest.fixture(scope="module")
def catalogs(tmp_path_factory):
    return build_catalogs(tmp_path_factory.mktemp("catalogs"))


def settings_for(catalogs, **extra):
    settings = {
        "i18n_tool.catalogs": str(catalogs),
        "i18n_tool.min_coverage": "50",
        "i18n_tool.user_locale": "tests.functional.pyramid_app.user_locale",
        "i18n_tool.save_user_locale": "tests.functional.pyramid_app.save_user_locale",
    }
    settings.update(extra)
    return settings


@pytest.fixture(scope="module")
def wsgi_app(catalogs):
    return pyramid_app.make_app(settings_for(catalogs))


@pytest.fixture
def app(wsgi_app):
    pyramid_app.USER_LOCALES.clear()
    pyramid_app.SAVED.clear()
    return TestApp(wsgi_app)


def text(response, element_id) -> str:
    found = re.search(rf'<p id="{element_id}">(.*?)</p>', response.text, re.S)
    assert found, f"no #{element_id} in the page"
    return found.group(1)


def locale_of(app, url="/whoami", **kwargs) -> str:
    return app.get(url, **kwargs).json["locale"]


def html_lang_dir(response) -> tuple[str, str]:
    found = re.search(r'<html lang="([^"]*)" dir="([^"]*)">', response.text)
    return found.groups()


# --- available locales --------------------------------------------------------------------------------


def test_available_locales_are_the_default_and_compiled_catalogs_over_min_coverage(wsgi_app):
    l10n = get_localization(wsgi_app.registry)
    assert l10n.available == AVAILABLE  # fr (20 %) below 50 %; ja (60 %) above
    assert l10n.default_locale == "en" and l10n.domain == "messages"


def test_min_coverage_zero_makes_every_compiled_catalog_available(catalogs):
    l10n = read_settings(settings_for(catalogs, **{"i18n_tool.min_coverage": "0"}))
    assert "fr" in l10n.available


def test_unreadable_or_unknown_catalogs_are_left_out(tmp_path):
    catalogs = build_catalogs(tmp_path / "catalogs")
    for name, data in (("xx_YY", b"not a locale"), ("pt-br", b""), ("it", b"\x00" * 10)):
        (catalogs / name / "LC_MESSAGES").mkdir(parents=True)
        (catalogs / name / "LC_MESSAGES" / "messages.mo").write_bytes(data)
    assert read_settings(settings_for(catalogs)).available == AVAILABLE


def test_catalogs_as_an_asset_spec_and_another_domain():
    # WTForms ships <locale>/LC_MESSAGES/wtforms.mo and wtforms.pot
    l10n = read_settings({"i18n_tool.catalogs": "wtforms:locale", "i18n_tool.domain": "wtforms"})
    assert {"ar", "de", "ja", "pt", "zh_TW", "en"} <= set(l10n.available)


def test_project_config_file_gives_catalogs_default_and_per_locale_coverage(catalogs, tmp_path):
    project = tmp_path / "pyproject.toml"
    project.write_text(f'[tool.i18n-tool]\ncatalogs = "{catalogs}"\nsource-locale = "de"\n'
                       '[tool.i18n-tool.check]\nmin-coverage = { "*" = 10, ja = 90 }\n')
    l10n = read_settings({"i18n_tool.config": str(project)})
    assert l10n.default_locale == "de"
    assert "ja" not in l10n.available and "fr" in l10n.available and "en" not in l10n.available


@pytest.mark.parametrize("key, value", [
    ("i18n_tool.default_locale", "klingon"),
    ("i18n_tool.default_locale", "pt-BR"),
    ("i18n_tool.min_coverage", "most"),
    ("i18n_tool.min_coverage", "150"),
    ("i18n_tool.catalogs", "/no/such/directory"),
    ("i18n_tool.domain", "../messages"),
    ("i18n_tool.switch_path", "locale"),
])
def test_bad_settings_fail_at_startup(catalogs, key, value):
    with pytest.raises(ConfigurationError):
        read_settings(settings_for(catalogs, **{key: value}))


def test_available_locales_are_named_in_their_own_language(app):
    available = {code: [tag, name] for code, tag, name in app.get("/whoami").json["available"]}
    assert available["de"] == ["de", "Deutsch"]
    assert available["ar"] == ["ar", "العربية"]
    assert available["ja"] == ["ja", "日本語"]
    assert available["pt_BR"] == ["pt-BR", "Português (Brasil)"]
    assert available["en_XA"] == ["en-XA", pseudo.accented("en-XA pseudo-locale (accented, 35 % longer, in brackets)")]
    page = app.get("/").text
    assert '<option value="pt_BR" lang="pt-BR">Português (Brasil)</option>' in page
    assert ">Français<" not in page and 'value="fr"' not in page


# --- negotiation ------------------------------------------------------------------------------------------


def test_precedence_query_cookie_user_accept_language_default(app):
    headers = {"X-User": "ada", "Accept-Language": "ja"}
    pyramid_app.USER_LOCALES["ada"] = "pt_BR"
    app.set_cookie("_LOCALE_", "ar")
    assert locale_of(app, "/whoami?_LOCALE_=de", headers=headers) == "de"
    assert locale_of(app, headers=headers) == "ar"
    app.reset()
    assert locale_of(app, headers=headers) == "pt_BR"
    assert locale_of(app, headers={"Accept-Language": "ja"}) == "ja"
    assert locale_of(app) == "en"


@pytest.mark.parametrize("header, expected", [
    ("de-AT", "de"),
    ("pt-BR", "pt_BR"),
    ("pt", "pt_BR"),
    ("fr, ja;q=0.5", "ja"),  # fr is not available
    ("ja;q=0.3, de;q=0.8", "de"),
    ("de;q=0, ja", "ja"),
    ("ar-EG", "ar"),  # not the pseudo-locale ar_XB
    ("en-XA", "en_XA"),
    ("*", "en"),
    ("xx-YY", "en"),
])
def test_accept_language(app, header, expected):
    assert locale_of(app, headers={"Accept-Language": header}) == expected


def test_query_and_cookie_are_normalised(app):
    assert locale_of(app, "/whoami?_LOCALE_=pt-BR") == "pt_BR"
    assert locale_of(app, "/whoami?_LOCALE_=PT_br") == "pt_BR"
    app.set_cookie("_LOCALE_", "en-xa")
    assert locale_of(app) == "en_XA"


HOSTILE = [
    "../../etc/passwd",
    "de/../../../etc/passwd",
    "de\r\nSet-Cookie: pwned=1",
    "de\n",
    "de;",
    "<script>alert(1)</script>",
    "d" * 10_000,
    "fr",  # compiled, but below min_coverage
    "xx",
    "",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_are_ignored_and_not_echoed(app, value):
    responses = [
        app.get("/?_LOCALE_=" + quote(value), headers={"Accept-Language": "de"}),
        app.get("/", extra_environ={"HTTP_COOKIE": "_LOCALE_=" + value, "HTTP_ACCEPT_LANGUAGE": "de"}),
        app.get("/", extra_environ={"HTTP_ACCEPT_LANGUAGE": value}),
    ]
    pyramid_app.USER_LOCALES["mallory"] = value
    responses.append(app.get("/", headers={"X-User": "mallory"}))
    # around a header's value white space does not count: Accept-Language "de\n" is "de"
    header_choice = "de" if value == "de\n" else "en"
    for response, expected in zip(responses, ["de", "de", header_choice, "en"]):
        assert response.status_int == 200
        assert html_lang_dir(response)[0] == expected  # the next candidate was used
        if value not in ("", "de\n", "de;", "fr", "xx"):
            assert value not in response.text
            assert all(value not in header for header in response.headers.values())
        assert "pwned" not in str(response.headers)


def test_query_string_that_is_not_utf8_is_ignored(app):
    assert app.get("/whoami?_LOCALE_=%ff%fe", headers={"Accept-Language": "ja"}).json["tag"] == "ja"


def test_broken_user_locale_lookup_does_not_break_pages(catalogs):
    settings = settings_for(catalogs, **{"i18n_tool.user_locale": "tests.functional.pyramid_app.broken_user_locale"})
    app = TestApp(pyramid_app.make_app(settings))
    assert locale_of(app, headers={"X-User": "ada", "Accept-Language": "de"}) == "de"


@pytest.mark.parametrize("locale, tag, dir_", [
    ("en", "en", "ltr"), ("de", "de", "ltr"), ("pt_BR", "pt-BR", "ltr"), ("ja", "ja", "ltr"),
    ("ar", "ar", "rtl"), ("ar_XB", "ar-XB", "rtl"), ("en_XA", "en-XA", "ltr"),
])
def test_html_lang_and_dir(app, locale, tag, dir_):
    response = app.get(f"/?_LOCALE_={locale}")
    assert html_lang_dir(response) == (tag, dir_)
    assert app.get(f"/whoami?_LOCALE_={locale}").json["tag"] == tag


def test_pseudo_locales_render_their_catalogs(app):
    assert "\u202eWelcome\u202c" in app.get("/?_LOCALE_=ar_XB").text
    assert "[Ŵéļçóɱé" in app.get("/?_LOCALE_=en_XA").text


# --- Vary ---------------------------------------------------------------------------------------------------


def test_negotiated_html_varies_on_accept_language_and_cookie(app):
    assert set(app.get("/").headers["Vary"].replace(" ", "").split(",")) >= {"Accept-Language", "Cookie"}


def test_existing_vary_is_kept(app):
    assert app.get("/vary").headers["Vary"].replace(" ", "").split(",") == ["Origin", "Accept-Language", "Cookie"]


def test_no_vary_without_negotiation_or_html(app):
    assert "Accept-Language" not in app.get("/plain").headers.get("Vary", "")
    assert "Accept-Language" not in app.get("/whoami").headers.get("Vary", "")  # JSON


# --- the switcher ---------------------------------------------------------------------------------------------


def switch(app, locale="de", next_="/", token=None, **kwargs):
    page = app.get("/")
    if token is None:
        token = page.forms["switch"]["csrf_token"].value
    return app.post("/locale", {"csrf_token": token, "locale": locale, "next": next_}, **kwargs)


def test_switch_sets_cookie_and_redirects(app):
    response = switch(app, "pt_BR", "/form?x=1")
    assert response.status_int == 303
    location = urlsplit(response.headers["Location"])
    assert location.netloc in ("", "localhost:80", "localhost") and (location.path, location.query) == ("/form", "x=1")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("_LOCALE_=pt_BR;")
    attributes = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")[1:]}
    assert attributes["path"] == "Path=/"
    assert attributes["samesite"].lower() == "samesite=lax"
    assert "httponly" in attributes and "secure" not in attributes
    assert attributes["max-age"] == "Max-Age=31536000"
    assert html_lang_dir(app.get("/")) == ("pt-BR", "ltr")  # the cookie is used


def test_switch_over_https_sets_a_secure_cookie(app):
    environ = {"wsgi.url_scheme": "https", "HTTP_HOST": "localhost:443"}
    page = app.get("/", extra_environ=environ)
    response = app.post("/locale", {"csrf_token": page.forms["switch"]["csrf_token"].value, "locale": "de"},
                        extra_environ=environ, headers={"Origin": "https://localhost"})
    assert response.status_int == 303 and "secure" in response.headers["Set-Cookie"].lower()


def test_switch_from_another_origin_over_https_is_forbidden(app):
    environ = {"wsgi.url_scheme": "https", "HTTP_HOST": "localhost:443"}
    page = app.get("/", extra_environ=environ)
    response = app.post("/locale", {"csrf_token": page.forms["switch"]["csrf_token"].value, "locale": "de"},
                        extra_environ=environ, headers={"Origin": "https://evil.com"}, status=403)
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("token", ["", "wrong"])
def test_switch_without_the_csrf_token_is_forbidden(app, token):
    response = switch(app, token=token, status=403)
    assert "_LOCALE_" not in response.headers.get("Set-Cookie", "")
    assert pyramid_app.SAVED == []


def test_switch_without_any_token_field_is_forbidden(app):
    app.get("/")
    app.post("/locale", {"locale": "de"}, status=403)


@pytest.mark.parametrize("locale", ["fr", "xx", "../../etc/passwd", "de\r\nSet-Cookie: pwned=1", "<b>x</b>", ""])
def test_switch_to_an_unavailable_locale_is_bad_request(app, locale):
    response = switch(app, locale, status=400)
    assert "Set-Cookie" not in response.headers or "_LOCALE_" not in response.headers["Set-Cookie"]
    if locale:
        assert locale not in response.text
    assert pyramid_app.SAVED == []


@pytest.mark.parametrize("next_", [
    "//evil.com", "https://evil.com", "/\\evil.com", "\\\\evil.com", "javascript:alert(1)", "evil.com",
    "/\t/evil.com", "/\r\nSet-Cookie: pwned=1", "///evil.com", "http:/evil.com", "",
])
def test_switch_never_redirects_off_site(app, next_):
    response = switch(app, "de", next_)
    location = urlsplit(response.headers["Location"])
    assert location.netloc in ("", "localhost:80", "localhost") and location.path == "/" and not location.query
    assert "pwned" not in str(response.headers)


def test_switch_saves_the_users_preference(app):
    switch(app, "ja", headers={"X-User": "ada"})
    assert pyramid_app.SAVED == [("ada", "ja")]
    app.reset()  # no cookie: the saved preference is used
    assert locale_of(app, headers={"X-User": "ada", "Accept-Language": "de"}) == "ja"


def test_get_on_the_switch_path_is_not_a_switch(app):
    assert app.get("/locale?locale=de", status=404).headers.get("Set-Cookie") is None


# --- Jinja2: gettext callables and filters ----------------------------------------------------------------


def test_gettext_in_templates(app):
    de = app.get("/?_LOCALE_=de&n=1")
    assert "<title>Willkommen</title>" in de.text
    assert text(de, "hello") == "Hallo, &lt;b&gt;Ada&lt;/b&gt;!"  # the value is escaped, not the message
    assert text(de, "packages") == "1 Paket"
    assert text(de, "verb") == "Öffnen"  # pgettext
    assert text(de, "adjective") == "Offen"  # {% trans "ctx" %}
    assert text(de, "items") == text(de, "items-tag") == "1 Ware im Korb"  # npgettext, {% trans "ctx" count %}
    assert text(de, "guide") == 'Lies die <a href="/guide?a=1&amp;b=&#34;2&#34;">Anleitung</a>.'
    de3 = app.get("/?_LOCALE_=de&n=3")
    assert (text(de3, "packages"), text(de3, "items"), text(de3, "items-tag")) == (
        "3 Pakete", "3 Waren im Korb", "3 Waren im Korb")


def test_messages_fall_back_to_the_source_text(app):
    en = app.get("/?n=3")
    assert (text(en, "verb"), text(en, "adjective"), text(en, "items"), text(en, "packages")) == (
        "Open", "Open", "3 items", "3 packages")
    ja = app.get("/?_LOCALE_=ja&n=3")  # ja has no "cart" translation
    assert (text(ja, "verb"), text(ja, "items"), text(ja, "packages")) == ("開く", "3 items", "3 個のパッケージ")


@pytest.mark.parametrize("n, expected", [
    (0, "لا توجد حزم"), (1, "حزمة واحدة"), (2, "حزمتان"), (3, "3 حزم"), (11, "11 حزمةً"), (100, "100 حزمة"),
])
def test_arabic_six_plural_forms(app, n, expected):
    assert text(app.get(f"/?_LOCALE_=ar&n={n}"), "packages") == expected


def test_another_domain_with_its_own_plural_rule(tmp_path):
    catalogs = build_catalogs(tmp_path / "catalogs", domain="app")
    app = TestApp(pyramid_app.make_app(settings_for(catalogs, **{"i18n_tool.domain": "app"})))
    ar = app.get("/?_LOCALE_=ar&n=11")
    assert (text(ar, "packages"), text(ar, "items"), text(ar, "verb")) == ("11 حزمةً", "11 عنصراً", "افتح")
    assert app.post("/form?_LOCALE_=de", {}).json["errors"]["email"] == ["Dieses Feld wird benötigt."]


def test_include_before_pyramid_jinja2(catalogs):
    config = Configurator(settings=settings_for(catalogs))
    config.include("i18n_tool.pyramid")
    config.include("pyramid_jinja2")
    config.commit()
    env = config.get_jinja2_environment()
    assert env.newstyle_gettext and env.globals["npgettext"] is not None and "format_date" in env.filters


def test_pyramid_jinja2_alone_has_no_pgettext():
    config = Configurator(settings={})
    config.include("pyramid_jinja2")
    config.commit()
    env = config.get_jinja2_environment()
    assert env.globals.get("pgettext") is None and env.globals.get("npgettext") is None


def test_filters_in_german_and_english(app):
    en, de = app.get("/"), app.get("/?_LOCALE_=de")
    assert (text(en, "date"), text(de, "date")) == ("Mar 5, 2024", "05.03.2024")
    assert (text(en, "number"), text(de, "number")) == ("1,234.5", "1.234,5")
    assert (text(en, "decimal"), text(de, "decimal")) == ("0.5", "0,5")
    assert (text(en, "percent"), text(de, "percent").replace("\xa0", " ")) == ("25%", "25 %")
    assert (text(en, "currency"), text(de, "currency").replace("\xa0", " ")) == ("€1,234.50", "1.234,50 €")
    assert text(de, "datetime") == "05.03.24, 14:30"
    assert (text(en, "time").replace("\u202f", " "), text(de, "time")) == ("2:30 PM", "14:30")
    assert (text(en, "ago"), text(de, "ago")) == ("3 days ago", "vor 3 Tagen")
    assert (text(en, "span"), text(de, "span")) == ("2 hours", "2 Stunden")


# --- WTForms -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/form", "/form-threadlocal"])
def test_wtforms_messages_and_lazy_labels_in_german(app, url):
    result = app.post(f"{url}?_LOCALE_=de", {"email": "", "confirm": "", "invited": "bob@example.org"}).json
    assert result["labels"] == {"email": "E-Mail", "confirm": "E-Mail", "invited": "Invited"}
    assert result["errors"] == {
        "email": ["Dieses Feld wird benötigt."],  # WTForms' own catalog
        "confirm": ["Bitte gib deine E-Mail-Adresse ein."],  # the app's lazy message
        "invited": ["Nicht auf der Liste."],  # raised lazily by a validator function
    }


def test_wtforms_in_english_and_arabic(app):
    form = {"email": "", "confirm": "", "invited": ""}
    en = app.post("/form", form).json
    assert en["labels"]["email"] == "Email" and en["errors"]["email"] == ["This field is required."]
    ar = app.post("/form?_LOCALE_=ar", form).json
    assert ar["labels"]["email"] == "البريد الإلكتروني" and ar["errors"]["confirm"] == ["يرجى إدخال بريدك الإلكتروني."]
    assert ar["errors"]["email"] != ["This field is required."]


def test_translate_helper_and_lazy_strings(wsgi_app):
    request = Request.blank("/?_LOCALE_=de")
    request.registry = wsgi_app.registry
    assert translate(request, lazy_gettext("Email")) == "E-Mail"
    assert translate(request, lazy_pgettext("adjective", "Open")) == "Offen"
    assert translate(request, "Welcome") == "Willkommen"
    assert translate(request, "Hi, ${name}", mapping={"name": "Ada"}) == "Hi, Ada"
    assert translate(request, lazy_gettext("Hi, ${name}", mapping={"name": "Ada"})) == "Hi, Ada"
    assert translate(request, TranslationString("This field is required.", domain="wtforms")) == (
        "Dieses Feld wird benötigt.")


# --- the functions, without Pyramid -------------------------------------------------------------------------


@pytest.mark.parametrize("url, expected", [
    ("/", "/"), ("/account/settings?tab=2#x", "/account/settings?tab=2#x"), ("/%2F%2Fevil.com", "/%2F%2Fevil.com"),
    ("//evil.com", "/"), ("///evil.com", "/"), ("https://evil.com", "/"), ("/\\evil.com", "/"),
    ("javascript:alert(1)", "/"), ("evil.com/", "/"), ("/a\x00b", "/"), ("/a\nb", "/"), ("/a b", "/"),
    ("/caf\u00e9", "/"), ("/" + "a" * 5000, "/"), (None, "/"), (["/"], "/"),
])
def test_safe_next(url, expected):
    assert safe_next(url) == expected


def test_match_and_negotiate():
    available = AVAILABLE
    assert match("pt-br", available) == "pt_BR" and match("DE", available) == "de"
    assert match("de\n", available) is None and match("de-AT", available) is None and match(None, available) is None
    assert negotiate(["de-CH", "ja"], available) == "de"
    assert negotiate(["fr", "pt"], available) == "pt_BR"
    assert negotiate(["ar-SA"], ["ar_XB", "en"]) is None  # a pseudo-locale only when asked for exactly
    assert negotiate(["../x", "d" * 100], available) is None
    assert parse_accept_language("ja;q=0.3, de-AT, *;q=0.5, fr;q=0") == ["de-AT", "ja"]
    assert parse_accept_language("de\r\nx") == [] and parse_accept_language("de," * 5000) == []


def test_tags_directions_names():
    assert [bcp47(code) for code in ("pt_BR", "en_XA", "zh_Hant_TW", "de")] == ["pt-BR", "en-XA", "zh-Hant-TW", "de"]
    assert [direction(code) for code in ("ar", "he", "fa", "ar_XB", "en_XA", "de", "nonsense")] == [
        "rtl", "rtl", "rtl", "rtl", "ltr", "ltr", "ltr"]
    assert [display_name(code) for code in ("de", "ar", "ja")] == ["Deutsch", "العربية", "日本語"]


@pytest.mark.parametrize("next_, expected", [
    ("/?_LOCALE_=de", "/"),
    ("/form?_LOCALE_=de&x=1", "/form?x=1"),
    ("/form?x=1&_LOCALE_=de&y=%C3%A9&_LOCALE_=ja", "/form?x=1&y=%C3%A9"),
    ("/form?%5FLOCALE%5F=de&x=a+b", "/form?x=a+b"),
    ("/form?_LOCALE=de&LOCALE_=x&_LOCALE_x=1", "/form?_LOCALE=de&LOCALE_=x&_LOCALE_x=1"),
    ("/form?x=_LOCALE_", "/form?x=_LOCALE_"),
])
def test_switch_drops_only_the_locale_parameter_from_next(app, next_, expected):
    response = switch(app, "pt_BR", next_)
    location = urlsplit(response.headers["Location"])
    assert location.path + (f"?{location.query}" if location.query else "") == expected


def test_switching_back_from_a_page_reached_with_the_query_takes_the_new_locale(app):
    page = app.get("/?_LOCALE_=de")
    assert html_lang_dir(page) == ("de", "ltr")
    form = page.forms["switch"]
    form["locale"] = "pt_BR"
    assert form["next"].value == "/"
    landed = form.submit().follow()
    assert html_lang_dir(landed) == ("pt-BR", "ltr")
