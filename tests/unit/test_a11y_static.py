"""The audit's static rules: parse errors, duplicate ids, the page's language and direction, its title."""

import pytest

from i18n_tool.a11y import wcag
from i18n_tool.a11y.findings import IMPACTS
from i18n_tool.a11y.static import STATIC_RULES, static_findings
from i18n_tool.a11y.static_rules import CHECKS, MAX_PARSE_ERRORS
from i18n_tool.locales import tag_problem

BODY = '<main id="content"><h1>Projekte</h1><p>Alle <a href="/p/">Projekte</a> ansehen.</p></main>'


def page(body=BODY, *, lang="de", dir=None, title="Projekte · PyPI", doctype=True):
    attributes = (f' lang="{lang}"' if lang is not None else "") + (f' dir="{dir}"' if dir is not None else "")
    head = f"<title>{title}</title>" if title is not None else ""
    return (f"{'<!DOCTYPE html>' if doctype else ''}\n<html{attributes}><head><meta charset=\"utf-8\">{head}"
            f"</head>\n<body>{body}</body>\n</html>")


def audit(html, locale="de", source=True):
    return static_findings(html, url="/projects/", locale=locale, state="anonymous", route="/projects/",
                           source=source)


def rules(html, locale="de", source=True):
    return [finding.rule for finding in audit(html, locale, source)]


# -- the table --------------------------------------------------------------------------------------

def test_every_rule_has_a_check_and_every_check_a_rule():
    assert set(CHECKS) == set(STATIC_RULES)


@pytest.mark.parametrize("rule", STATIC_RULES.values(), ids=lambda rule: rule.id)
def test_rule_metadata_is_consistent(rule):
    assert rule is STATIC_RULES[rule.id]
    assert rule.wcag and all(criterion in wcag.BY_ID for criterion in rule.wcag)
    assert rule.impact in IMPACTS
    assert rule.description.strip()


# -- clean pages ------------------------------------------------------------------------------------

@pytest.mark.parametrize("source", [True, False])
@pytest.mark.parametrize("html, locale", [
    (page(), "de"),
    (page(lang="de-DE"), "de"),
    (page(lang="pt-BR"), "pt_BR"),
    (page(lang="ar", dir="rtl"), "ar"),
    (page(lang="ar-XB", dir="rtl"), "ar_XB"),
    (page(lang="en-XA"), "en_XA"),
    (page(lang="en"), None),
])
def test_clean_page_has_no_finding(html, locale, source):
    assert audit(html, locale, source) == []


def test_findings_carry_the_page_and_the_rule():
    [finding] = static_findings(page(title=None), url="https://example.test/p/requests/", locale="de",
                                state="logged-in", route="/p/{name}/", source=False)
    assert (finding.url, finding.locale, finding.state, finding.route) == (
        "https://example.test/p/requests/", "de", "logged-in", "/p/{name}/")
    assert (finding.engine, finding.rule, finding.wcag, finding.impact) == (
        "static", "title-missing", ("2.4.2",), STATIC_RULES["title-missing"].impact)


# -- each rule on its own page ----------------------------------------------------------------------

@pytest.mark.parametrize("html, locale, rule, criteria", [
    (page("<p>a</span></p>"), "de", "parse-error", ("4.1.1",)),
    (page('<p id="x">a</p><p id="x">b</p>'), "de", "id-duplicate", ("4.1.1",)),
    (page(lang=None), "de", "html-lang-missing", ("3.1.1",)),
    (page(lang="english"), None, "html-lang-invalid", ("3.1.1",)),
    (page(lang="en"), "de", "html-lang-mismatch", ("3.1.1",)),
    (page(lang="ar"), "ar", "html-dir-mismatch", ("1.3.2",)),
    (page('<p dir="right">a</p>'), "de", "dir-invalid", ("1.3.2",)),
    (page(title=None), "de", "title-missing", ("2.4.2",)),
])
def test_each_rule_is_found_with_its_criteria(html, locale, rule, criteria):
    [finding] = audit(html, locale)
    assert (finding.rule, finding.wcag) == (rule, criteria)


# -- 4.1.1: parse errors ----------------------------------------------------------------------------

BROKEN = page('<div>\n<p id="a">one</span></p><p id="a">two</p></div>')


def test_parse_error_names_line_and_column_and_the_element_the_parser_was_in():
    [error] = [f for f in audit(BROKEN) if f.rule == "parse-error"]
    assert error.message == "Parse error at line 4:20: Unexpected end tag (span). Ignored; fix the markup there"
    assert error.target == "body > div > p:nth-of-type(1)"
    assert error.html == '<p id="a">one</span></p><p id="a">two</p></div></body>'
    assert error.impact == "serious"


def test_parse_errors_only_in_the_source_but_the_dom_rules_still_run():
    assert rules(BROKEN, source=True) == ["parse-error", "id-duplicate"]
    assert rules(BROKEN, source=False) == ["id-duplicate"]
    assert rules(page(doctype=False), source=False) == []


def test_missing_doctype_is_a_parse_error_of_the_source():
    [finding] = audit(page(doctype=False))
    assert finding.rule == "parse-error" and "Expected DOCTYPE" in finding.message
    assert finding.target == "html"


def test_character_references_are_not_parse_errors():
    assert audit(page("<p>AT&T, R&D &copy 2024 &#xZZ;</p>")) == []


@pytest.mark.parametrize("count, listed", [(MAX_PARSE_ERRORS, MAX_PARSE_ERRORS), (MAX_PARSE_ERRORS + 30, 21)])
def test_parse_errors_are_capped_per_page(count, listed):
    findings = audit(page("".join(f"<p>{n}</nope>\n" for n in range(count))))
    assert [f.rule for f in findings] == ["parse-error"] * listed
    assert [f.message.startswith("Parse error at line ") for f in findings].count(True) == MAX_PARSE_ERRORS
    if count > MAX_PARSE_ERRORS:
        assert findings[-1].message == (
            "And 30 more parse errors from line 23:12 on (only the first 20 are listed): fix those and audit again")


# -- 4.1.1: duplicate ids ---------------------------------------------------------------------------

def test_every_duplicate_id_after_the_first_is_reported_with_a_path():
    html = page('<main id="content"><p id="x">a</p><div><p id="x">b</p></div><p id="x">c</p></main>')
    findings = audit(html)
    assert [(f.rule, f.target, f.html) for f in findings] == [
        ("id-duplicate", "#content > div > p", '<p id="x">'),
        ("id-duplicate", "#content > p:nth-of-type(2)", '<p id="x">'),
    ]
    assert findings[0].message == (
        'id="x" is used by 3 elements (the first is #content > p:nth-of-type(1)): give each element its own id')


def test_ids_differing_in_case_or_inside_a_template_are_not_duplicates():
    html = page('<p id="x">a</p><p id="X">b</p><template><p id="x">c</p></template>')
    assert audit(html) == []


# -- 3.1.1: the page's language ---------------------------------------------------------------------

@pytest.mark.parametrize("lang, shown", [(None, "<html>"), ("", '<html lang="">'), ("  ", '<html lang="  ">')])
def test_html_without_lang(lang, shown):
    [finding] = audit(page(lang=lang), "pt_BR")
    assert (finding.rule, finding.target) == ("html-lang-missing", "html")
    assert finding.message == f'{shown} has no language: set lang="pt-BR"'


def test_html_without_lang_on_a_plain_url_suggests_an_example():
    [finding] = audit(page(lang=None), None)
    assert finding.message == "<html> has no language: set the page's language, e.g. lang=\"en\""


VALID_TAGS = ["en", "de", "pt-BR", "pt-br", "zh-Hant-TW", "en-XA", "ar-XB", "sr-Latn", "de-CH-1996", "es-419",
              "zh-yue-HK", "sl-rozaj-biske", "de-DE-u-co-phonebk", "en-US-x-twain", "haw", "ckb"]
# x-private is well-formed BCP 47, but as a page's language it names none a screen reader could use.
INVALID_TAGS = ["english", "en_US", "xx-", "123", "x-private", "und", "zxx", "xx", "qaa", "en--US", "-en",
                " en", "e", "\u212ao", "de-1996-1996", "en-a-bbb-a-ccc", "i-klingon", "en-US-", "toolongtag"]


@pytest.mark.parametrize("lang", VALID_TAGS)
def test_valid_language_tags(lang):
    assert tag_problem(lang) is None
    assert audit(page(lang=lang), None) == []


@pytest.mark.parametrize("lang", INVALID_TAGS)
def test_invalid_language_tags(lang):
    assert tag_problem(lang)
    [finding] = audit(page(lang=lang), None)
    assert (finding.rule, finding.target, finding.impact) == ("html-lang-invalid", "html", "serious")
    assert finding.message.startswith(f'<html lang="{lang}"> ')


@pytest.mark.parametrize("lang, locale, advice", [
    ("en_US", None, 'write lang="en-US"'),
    (" de ", "de", 'write lang="de"'),
    ("english", None, 'set the page\'s language, e.g. lang="en"'),
    ("english", "en_XA", 'set lang="en-XA"'),
])
def test_invalid_tag_message_says_what_to_write(lang, locale, advice):
    [finding] = audit(page(lang=lang), locale)
    assert finding.message.endswith(f": {advice}")


@pytest.mark.parametrize("locale, lang, expected", [
    ("de", "en", "de"),
    ("de", "en-DE", "de"),
    ("pt_BR", "pt", "pt-BR"),
    ("pt_BR", "pt-PT", "pt-BR"),
    ("en_XA", "en", "en-XA"),
    ("ar_XB", "ar", "ar-XB"),
    ("zh_Hant_TW", "zh-Hans-TW", "zh-Hant-TW"),
])
def test_lang_differing_from_the_served_locale(locale, lang, expected):
    html = page(lang=lang, dir="rtl" if locale.startswith("ar") else None)
    [finding] = audit(html, locale)
    assert (finding.rule, finding.target, finding.wcag) == ("html-lang-mismatch", "html", ("3.1.1",))
    assert finding.message == f'<html lang="{lang}"> on a page served in {locale}: set lang="{expected}"'


@pytest.mark.parametrize("locale, lang", [
    ("de", "de-DE"), ("de", "DE"), ("de", "de-AT"), ("pt_BR", "pt-BR"), ("pt_BR", "pt-BR-x-app"),
    ("zh_TW", "zh-Hant-TW"), ("en_XA", "en-XA"), (None, "fr"),
])
def test_lang_matching_the_served_locale(locale, lang):
    assert audit(page(lang=lang), locale) == []


def test_an_invalid_lang_is_reported_once_not_also_as_a_mismatch():
    assert rules(page(lang="en_US"), "de") == ["html-lang-invalid"]


# -- 1.3.2: direction -------------------------------------------------------------------------------

@pytest.mark.parametrize("locale", ["ar", "he", "fa", "ur", "ar_XB"])
def test_right_to_left_page_without_dir(locale):
    [finding] = audit(page(lang=locale.replace("_", "-")), locale)
    assert (finding.rule, finding.target, finding.wcag) == ("html-dir-mismatch", "html", ("1.3.2",))
    assert finding.message == f'<html> on a page served in {locale} (right-to-left): set dir="rtl"'


@pytest.mark.parametrize("dir", ["ltr", "auto"])
def test_right_to_left_page_with_another_dir(dir):
    [finding] = audit(page(lang="ar", dir=dir), "ar")
    assert finding.message == f'<html dir="{dir}"> on a page served in ar (right-to-left): set dir="rtl"'


def test_left_to_right_page_with_dir_rtl():
    [finding] = audit(page(dir="rtl"), "de")
    assert finding.message == (
        '<html dir="rtl"> on a page served in de (left-to-right): set dir="ltr" (or leave dir out)')


def test_body_dir_overriding_the_page_direction():
    [finding] = audit(page(lang="ar", dir="rtl").replace("<body>", '<body dir="ltr">'), "ar")
    assert (finding.rule, finding.target, finding.html) == ("html-dir-mismatch", "body", '<body dir="ltr">')


def test_direction_is_case_insensitive_and_not_checked_without_a_locale():
    assert audit(page(lang="ar", dir="RTL"), "ar") == []
    assert audit(page(lang="ar"), None) == []


def test_a_dir_with_spaces_gives_no_direction():
    assert rules(page(lang="ar", dir="rtl "), "ar") == ["html-dir-mismatch", "dir-invalid"]


@pytest.mark.parametrize("value, advice", [
    ("right", "use ltr, rtl or auto, or leave dir out"),
    ("", "use ltr, rtl or auto, or leave dir out"),
    ("rtl ", 'write dir="rtl"'),
])
def test_invalid_dir_values(value, advice):
    [finding] = audit(page(f'<p>a <bdi dir="{value}">b</bdi></p>'))
    assert (finding.rule, finding.target, finding.impact) == ("dir-invalid", "body > p > bdi", "moderate")
    assert finding.message == f'dir="{value}" is not ltr, rtl or auto, so browsers ignore it: {advice}'


@pytest.mark.parametrize("value", ["ltr", "rtl", "auto", "LTR", "Auto"])
def test_valid_dir_values(value):
    assert audit(page(f'<p dir="{value}">a</p>')) == []


# -- 2.4.2: title -----------------------------------------------------------------------------------

@pytest.mark.parametrize("title, target, message", [
    (None, "html", "The page has no <title>: add one that says what the page is"),
    ("", "head > title", "The page's <title> is empty: say what the page is"),
    (" \n\t", "head > title", "The page's <title> is empty: say what the page is"),
])
def test_no_or_empty_title(title, target, message):
    [finding] = audit(page(title=title))
    assert (finding.rule, finding.wcag, finding.target, finding.message) == ("title-missing", ("2.4.2",), target,
                                                                            message)


def test_an_svg_title_is_not_the_page_title():
    [finding] = audit(page('<svg><title>Logo</title></svg>', title=None))
    assert (finding.rule, finding.target) == ("title-missing", "html")


# -- order, snippets ------------------------------------------------------------------------------

def test_findings_come_in_document_order_then_rule_order():
    html = page('<p id="x">a</p><p id="x" dir="up">b</p>', lang="en", title="")
    findings = audit(html, "ar")
    assert [(f.target, f.rule) for f in findings] == [
        ("html", "html-lang-mismatch"),
        ("html", "html-dir-mismatch"),
        ("head > title", "title-missing"),
        ("body > p:nth-of-type(2)", "id-duplicate"),
        ("body > p:nth-of-type(2)", "dir-invalid"),
    ]
    assert audit(html, "ar") == findings


def test_snippet_is_the_start_tag_truncated():
    [finding] = audit(page(f'<p dir="x" title="{"a" * 300}">b</p>'))
    assert len(finding.html) == 200 and finding.html.startswith('<p dir="x" title="aaa') and finding.html.endswith("…")


def test_applicable_rules_leave_out_what_cannot_run():
    from i18n_tool.a11y.static import applicable_rules

    everything = {rule.id for rule in applicable_rules("de", True)}
    assert everything == set(STATIC_RULES)
    assert everything - {rule.id for rule in applicable_rules(None, True)} == {"html-lang-mismatch", "html-dir-mismatch"}
    assert everything - {rule.id for rule in applicable_rules("de", False)} == {"parse-error"}
