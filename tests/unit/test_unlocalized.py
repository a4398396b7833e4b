"""Finding text that was not localized on a page rendered in the en_XA pseudo-locale."""

from datetime import date, datetime, timedelta, timezone

import pytest
from babel.dates import format_date, format_datetime, format_time, format_timedelta
from babel.numbers import format_currency, format_decimal, format_percent

from i18n_tool.pseudo import accented as xa
from i18n_tool.unlocalized import LITERAL, find_unlocalized


def page(body, title="PyPI · The Python Package Index"):
    return f"""<!DOCTYPE html>
<html lang="en-XA"><head><meta charset="utf-8"><title>{xa(title)}</title>
<meta name="description" content="{xa('Find, install and publish Python packages')}">
<link rel="stylesheet" href="/static/css/main.css"></head>
<body><main id="content">{body}</main></body></html>"""


def found(body, **kwargs):
    return find_unlocalized(page(body), **kwargs)


def codes(body, **kwargs):
    return [finding.code for finding in found(body, **kwargs)]


LOCALIZED = f"""
<header><nav aria-label="{xa('Main navigation')}"><a href="/help/" title="{xa('Get help')}">{xa('Help')}</a>
  <a href="/sponsors/">{xa('Sponsors')}</a></nav></header>
<h1>{xa('Find, install and publish Python packages with the Python Package Index')}</h1>
<form action="/search/"><label for="q">{xa('Search PyPI')}</label>
  <input id="q" name="q" type="text" placeholder="{xa('Search projects')}" aria-description="{xa('Type to search')}">
  <input type="submit" value="{xa('Search')}"><input type="reset" value="{xa('Clear')}">
  <button type="submit" value="search" name="action">{xa('Go')}</button>
  <select name="o"><optgroup label="{xa('Order')}"><option value="">{xa('Relevance')}</option>
  <option value="-created" label="{xa('Date last updated')}"></option></optgroup></select></form>
<p>{xa('Or <a href="%(href)s">browse projects</a>.')}</p>
<p>{xa('Read the <strong>security policy</strong>, then <em>report</em> a vulnerability.')}</p>
<img src="/static/images/logo.svg" alt="{xa('PyPI logo')}">
<ul><li>{xa('%(count)s projects') % {'count': '581,245'}}</li>
  <li>{xa('%(count)s users') % {'count': '867,311'}}</li></ul>
<p>{xa('Use [optional] brackets')}</p>
<footer><p>{xa('Status:')} <span class="badge">{xa('All systems operational')}</span></p></footer>
"""


def test_fully_localized_page_has_no_finding():
    assert find_unlocalized(page(LOCALIZED)) == []


@pytest.mark.parametrize("body, where, text", [
    ("<p>Hello world</p>", "main#content > p", "Hello world"),
    (f"<p>{xa('First')}</p><p>Second paragraph</p>", "main#content > p:nth-of-type(2)", "Second paragraph"),
    ("<form><button type=submit>Sign in</button></form>", "main#content > form > button", "Sign in"),
    ("<input type=submit value='Log in'>", "main#content > input[value]", "Log in"),
    ("<input type=button value='Cancel'>", "main#content > input[value]", "Cancel"),
    ("<input name=q placeholder='Search projects'>", "main#content > input[placeholder]", "Search projects"),
    ("<img src=x.png alt='Project logo'>", "main#content > img[alt]", "Project logo"),
    (f"<a href=/ title='Go home'>{xa('Home')}</a>", "main#content > a[title]", "Go home"),
    (f"<button aria-label='Close dialog'>{xa('Close')}</button>", "main#content > button[aria-label]",
     "Close dialog"),
    (f"<select><option>{xa('Newest')}</option><option>Oldest first</option></select>",
     "main#content > select > option:nth-of-type(2)", "Oldest first"),
    (f"<select><optgroup label='Ordering'><option>{xa('Newest')}</option></optgroup></select>",
     "main#content > select > optgroup[label]", "Ordering"),
    ("<div><section><article><div><p>Deep text</p></div></article></section></div>",
     "section > article > div > p", "Deep text"),
])
def test_hard_coded_english_is_one_finding_where_it_is(body, where, text):
    [finding] = found(body, url="https://localhost/en_XA/")
    assert (finding.code, finding.severity, finding.path) == ("unlocalized-text", "error", "https://localhost/en_XA/")
    assert finding.message == f"text not localized in {where}: {text!r}"


def test_title_and_meta_description():
    html = page("").replace(xa("PyPI · The Python Package Index"), "PyPI · Home").replace(
        xa("Find, install and publish Python packages"), "The Python Package Index")
    assert [finding.message for finding in find_unlocalized(html)] == [
        "text not localized in head > title: 'PyPI · Home'",
        "text not localized in head > meta:nth-of-type(2)[content]: 'The Python Package Index'",
    ]
    # allowed strings decide whether text is reported, not how it is shown
    assert find_unlocalized(html, allowed=["PyPI"])[0].message == "text not localized in head > title: 'PyPI · Home'"
    assert len(find_unlocalized(html, allowed=["PyPI", "Home", "The Python Package Index"])) == 0


def test_only_visible_attributes_count():
    body = (f"<a href='/project/requests/' class='package-snippet' data-original-title='Tooltip' "
            f"rel=nofollow id=x>{xa('Project')}</a><input type=text value='typed by the user' name=q>"
            f"<button value='delete' name=action>{xa('Delete')}</button>"
            f"<meta name=keywords content='python, packages'>")
    assert found(body) == []


def test_english_beside_a_translation_is_reported_alone():
    [finding] = found(f"<p>{xa('Released')} yesterday by {xa('the maintainers')}</p>")
    assert finding.message == "text not localized in main#content > p: 'yesterday by'"


def test_one_finding_per_element_and_problem():
    [finding] = found(f"<p>Hello <b>{xa('there')}</b> world</p>")
    assert finding.message == "text not localized in main#content > p: 'Hello … world'"
    assert [f.message for f in found("<p>Hello <b>brave</b> world</p>")] == [
        "text not localized in main#content > p: 'Hello … world'",
        "text not localized in main#content > p > b: 'brave'",
    ]


def test_long_text_is_trimmed_to_80_characters():
    [finding] = found("<p>" + "Lorem ipsum dolor sit amet, " * 10 + "</p>")
    text = finding.message.split(": ", 1)[1].strip("'")
    assert len(text) == 80 and text.endswith("…") and text.startswith("Lorem ipsum dolor sit amet")


def test_plain_brackets_do_not_make_a_translation():
    assert codes("<p>[Edit]</p><p>See [1] and [2].</p>") == ["unlocalized-text"] * 2


# -- user data, placeholders and values that are not prose ----------------------------------------------


USER_DATA = f"""
<h1>requests 2.31.0</h1>
<p>{xa('Maintained by %(user)s') % {'user': 'alice'}}</p>
<ul><li><a href="/user/alice/">alice</a></li><li><a href="mailto:alice@example.com">alice@example.com</a></li></ul>
<p>{xa('Owner')}: alice, {xa('contact')}: Alice Liddell &lt;alice@example.com&gt;</p>
<input value="requests" placeholder="requests" name=project>
"""
ALLOWED = ["requests", "alice", "2.31.0", "Alice Liddell", "alice@example.com"]


def test_seeded_user_data_is_allowed():
    assert found(USER_DATA, allowed=ALLOWED) == []


def test_user_data_not_seeded_is_reported():
    messages = [finding.message for finding in found(USER_DATA)]
    assert messages == [
        "text not localized in main#content > h1: 'requests 2.31.0'",
        "text not localized in main#content > ul > li:nth-of-type(1) > a: 'alice'",
        "text not localized in main#content > p:nth-of-type(2): ': alice, … : Alice Liddell <alice@example.com>'",
        "text not localized in main#content > input[placeholder]: 'requests'",
    ]


def test_allowed_strings_are_whole_words():
    assert codes("<p>malice</p>", allowed=["alice"]) == ["unlocalized-text"]
    assert codes("<p>alice’s</p>", allowed=["alice"]) == []


def test_placeholder_value_inside_a_translation_is_fine():
    welcome = xa("Welcome, %(name)s!") % {"name": "alice"}
    assert welcome.startswith("[Ŵéļçóɱé, alice! ")
    assert found(f"<p>{welcome}</p>") == []
    assert found(f"<p>{xa('Welcome, <strong>%(name)s</strong>!') % {'name': 'Bob Smith'}}</p>") == []
    assert found(f"<input placeholder='{xa('e.g. %(example)s') % {'example': 'django rest framework'}}'>") == []


def test_translation_across_inline_markup():
    text = xa('Read <a href="%(url)s">the <em>full</em> docs</a> and <code>pip install</code> now')
    assert found(f"<p>{text}</p>") == []


NOW = datetime(2024, 1, 5, 15, 30, 12, tzinfo=timezone.utc)


@pytest.mark.parametrize("value", [
    "42", "3.14", "-7", "1,234,567", "12 %", "(3)", "…", "—", "· / | • « »", "#1", "v", "x 2", "2.31.0",
    "https://pypi.org/project/requests/", "pypi.org", "files.pythonhosted.org/packages/",
    "alice@example.com", "/simple/requests/", "e3b0c44298fc1c149afbf4c8996fb924",
    format_decimal(1234567.891, locale="en"), format_percent(0.25, locale="en"),
    format_currency(1099.5, "USD", locale="en"), format_currency(3, "EUR", locale="en"),
    *(format_date(date(2024, 3, 9), width, locale="en") for width in ("short", "medium", "long", "full")),
    *(format_datetime(NOW, width, locale="en") for width in ("short", "medium", "long", "full")),
    format_time(NOW, locale="en"), "2024-01-05", "2024-01-05T15:30:12Z",
    format_timedelta(timedelta(days=3), locale="en"),
    format_timedelta(timedelta(hours=-2), add_direction=True, locale="en"),
    format_timedelta(timedelta(days=400), add_direction=True, locale="en"),
    format_timedelta(timedelta(minutes=5), format="short", locale="en"),
])
def test_numbers_dates_urls_and_punctuation_are_not_words(value):
    assert found(f"<p>{xa('Released')} <time>{value}</time></p><p>{value}</p>") == []


@pytest.mark.parametrize("text", ["Jan", "May I help?", "in the box", "at home", "PM the patch"])
def test_date_words_without_a_number_are_words(text):
    assert codes(f"<p>{text}</p>") == ["unlocalized-text"]


# -- what is not shown, or not translated --------------------------------------------------------------


def test_code_is_literal():
    body = ("<pre>$ python -m pip install requests</pre><p><code>import requests</code></p>"
            "<p><kbd>Ctrl</kbd> + <kbd>Enter</kbd></p><samp>Successfully installed</samp>")
    assert found(body) == []
    assert set(LITERAL) == {"code", "pre", "kbd", "samp"}
    [finding] = found(body, literal={"pre", "kbd", "samp"})
    assert finding.message == "text not localized in main#content > p:nth-of-type(1) > code: 'import requests'"


def test_code_tail_is_text():
    assert codes("<p><code>pip</code> is the installer</p>") == ["unlocalized-text"]
    assert found(f"<p><code>pip</code> {xa('is the installer')}</p>") == []


def test_scripts_styles_templates_and_comments_are_not_shown():
    body = ("<script>document.title = 'Loading'</script><style>p::after { content: 'Note' }</style>"
            "<template><p>Template text</p></template><noscript><p>Enable JavaScript</p></noscript>"
            f"<!-- Hard-coded comment --><p>{xa('Text')}<!-- comment --> {xa('after')}</p>"
            "<script type='application/ld+json'>{\"name\": \"PyPI\"}</script>")
    assert found(body) == []


def test_hidden_elements_and_hidden_inputs_are_not_shown():
    body = ("<input type=hidden name=csrf value='Some token' placeholder='Hidden field'>"
            "<input type=HIDDEN title='Shouted'>"
            "<div hidden><p>Not shown</p><img alt='Hidden image'></div>"
            f"<p hidden>Secret</p> <p>{xa('Shown')}</p>")
    assert found(body) == []


def test_aria_hidden_is_still_visible():
    assert [f.message for f in found("<span aria-hidden='true'>Decorative text</span>")] == [
        "text not localized in main#content > span: 'Decorative text'"]


def test_svg_text_is_visible():
    [finding] = found(f"<svg><title>{xa('Chart')}</title><text x=1>Downloads</text></svg>")
    assert finding.message == "text not localized in main#content > svg > text: 'Downloads'"


# -- cut translations ---------------------------------------------------------------------------------


def test_truncated_translation_is_a_warning():
    cut = xa("This project has no description")[:20] + "..."
    [finding] = found(f"<section><p class='summary'>{cut}</p></section>", url="/project/x/")
    assert (finding.severity, finding.code, finding.path) == ("warning", "truncated-translation", "/project/x/")
    assert finding.message == f"translation cut short in main#content > section > p: {cut!r}"


def test_truncated_attribute():
    cut = xa("Search projects, users and organizations")[:15]
    [finding] = found(f"<input placeholder='{cut}'>")
    assert finding.code == "truncated-translation"
    assert finding.message.startswith("translation cut short in main#content > input[placeholder]")


def test_cut_does_not_hide_text_in_other_nodes():
    cut = xa("Description")[:6]
    findings = found(f"<p>{cut}</p><p>Hard-coded</p><p>{cut}<b>Bold English</b></p>")
    assert [(f.code, f.message.split(": ")[0]) for f in findings] == [
        ("truncated-translation", "translation cut short in main#content > p:nth-of-type(1)"),
        ("unlocalized-text", "text not localized in main#content > p:nth-of-type(2)"),
        ("truncated-translation", "translation cut short in main#content > p:nth-of-type(3)"),
        ("unlocalized-text", "text not localized in main#content > p:nth-of-type(3) > b"),
    ]


def test_a_cut_ends_at_the_next_translation():
    cut = xa("Description")[:6]
    findings = found(f"<p>{cut}{xa('Next')}</p>")
    assert [f.code for f in findings] == ["truncated-translation"]


def test_cut_at_the_start():
    tail = xa("Long description text")[8:]
    assert codes(f"<p>{tail}</p>") == ["truncated-translation"]


def test_brackets_split_by_a_block_are_cut():
    text = xa("Read this")
    [finding] = found(f"<div>{text[:5]}<p>{xa('Inner')}</p>{text[5:]}</div>")
    assert finding.message == f"translation cut short in main#content > div: {text[:5] + ' … ' + text[5:].strip()!r}"


def test_a_bracket_without_pseudo_letters_is_not_a_cut():
    assert found("<p>[</p><p>]</p><p>(1 [2</p>") == []


def test_text_marked_as_another_language_is_not_page_text():
    page = ('<html lang="en-XA"><body><select><option lang="de">Deutsch</option>'
            '<option lang="en-XA">English here</option></select></body></html>')
    findings = find_unlocalized(page)
    assert [f.message for f in findings] == ["text not localized in select > option:nth-of-type(2): 'English here'"]
