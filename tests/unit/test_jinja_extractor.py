import io

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract
from jinja2.ext import babel_extract

from i18n_tool.extractors import jinja_templates

TEMPLATES = {
    "trans with variables": "{% trans user=user.name %}Hello {{ user }}!{% endtrans %}",
    "plural plain": "{% trans count=n %}One file{% pluralize %}{{ count }} files{% endtrans %}",
    "plural with variable": "{% trans n=files|length %}One{% pluralize n %}{{ n }} many{% endtrans %}",
    "trimmed": "{% trans trimmed %}\n  Some   long\n  text\n{% endtrans %}",
    "notrimmed": "{% trans notrimmed %}\n  kept  \n{% endtrans %}",
    "context": '{% trans "menu" %}Open{% endtrans %}',
    "context plural": '{% trans "files" count=n %}One{% pluralize %}{{ count }} many{% endtrans %}',
    "calls": (
        "<p>{{ _('Plain') }} {{ gettext('Other') }} {{ ngettext('one', '%(num)s many', n) }}</p>\n"
        "{{ pgettext('button', 'Save') }}\n{{ npgettext('c', 'an apple', '%(num)s apples', 3) }}"
    ),
    "comments": (
        "{# Translators: greeting #}\n<h1>{{ _('Hi') }}</h1>\n"
        "{# not a translator comment #}\n{{ _('Bye') }}\n"
        "{# Translators: the heading #}\n{% trans %}Heading{% endtrans %}"
    ),
    "non-ascii": "{% trans %}Über uns – “quoted” 日本{% endtrans %}",
    "placeholders": "{{ _('Hello {name}') }} {{ _('Hi ${name}') }} {% trans x=1 %}%%{{ x }}{% endtrans %}",
    "multiline call": "{{ _(\n  'spread'\n) }}\n\n{{ _('after') }}",
}


def ours(source, options=None, comment_tags=("Translators:",), keywords=DEFAULT_KEYWORDS):
    return list(extract(jinja_templates.extract, io.BytesIO(source.encode()), keywords,
                        comment_tags, options or {}))


def jinja_reference(source, options=None, comment_tags=("Translators:",), keywords=DEFAULT_KEYWORDS):
    return list(extract(babel_extract, io.BytesIO(source.encode()), keywords,
                        comment_tags, options or {}))


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_same_messages_as_jinja2_babel_extract(name):
    expected = jinja_reference(TEMPLATES[name])
    assert expected, "the fixture must hold messages"
    assert ours(TEMPLATES[name]) == expected


@pytest.mark.parametrize("options", [{"trimmed": "true"}, {"newstyle_gettext": "true"},
                                     {"extensions": "jinja2.ext.do"}, {"trim_blocks": "yes"}])
def test_same_messages_with_options(options):
    source = TEMPLATES["trimmed"] + "\n" + TEMPLATES["calls"] + "\n{% do x.append(1) %}" * (
        "do" in options.get("extensions", ""))
    assert ours(source, options) == jinja_reference(source, options)


def test_context_plural_is_extracted_with_context():
    [(lineno, message, comments, context)] = ours(TEMPLATES["context plural"])
    assert context == "files"
    assert message == ("One", "%(count)s many")


def test_translator_comments_attach_to_the_next_message():
    result = ours(TEMPLATES["comments"])
    assert [(m[1], m[2]) for m in result] == [("Hi", ["greeting"]), ("Bye", []), ("Heading", ["the heading"])]


def test_syntax_error_reported_with_line_not_skipped():
    source = "<p>\n{% if x %}\n{% trans %}Hi{% endtrans %}\n"
    scan = jinja_templates.scan(source, "templates/broken.html", DEFAULT_KEYWORDS, (), {})
    [finding] = scan.findings
    assert finding.severity == "error"
    assert finding.code == "syntax-error"
    assert (finding.path, finding.line) == ("templates/broken.html", 3)
    assert "endif" in finding.message


def test_attribute_inside_trans_is_a_lint_warning_with_line():
    source = "<p>\n\n{% trans %}Hi {{ user.name }}{% endtrans %}</p>"
    scan = jinja_templates.scan(source, "t.html", DEFAULT_KEYWORDS, (), {})
    codes = [(f.code, f.line) for f in scan.findings]
    assert ("expression-in-trans", 3) in codes
    assert ("syntax-error", 3) in codes


def test_plain_variable_inside_trans_is_fine():
    scan = jinja_templates.scan("{% trans %}Hi {{ user }}{% endtrans %}", "t.html", DEFAULT_KEYWORDS, (), {})
    assert scan.findings == []
    assert scan.messages


@pytest.mark.parametrize("expression, code", [
    ("_(name)", "non-literal-msgid"),
    ('_("a" ~ b)', "non-literal-msgid"),
    ('_("a %s" % x)', "formatted-msgid"),
    ('_("a {}".format(x))', "formatted-msgid"),
    ('ngettext(one, "many", n)', "non-literal-msgid"),
    ('pgettext("ctx", label)', "non-literal-msgid"),
])
def test_non_literal_arguments_are_lint_warnings(expression, code):
    source = "<p>\n{{ %s }}</p>" % expression
    scan = jinja_templates.scan(source, "t.html", DEFAULT_KEYWORDS, (), {})
    assert [(f.code, f.line, f.severity) for f in scan.findings] == [(code, 2, "warning")]


def test_literal_arguments_raise_no_lint():
    scan = jinja_templates.scan(TEMPLATES["calls"], "t.html", DEFAULT_KEYWORDS, (), {})
    assert scan.findings == []


@pytest.mark.parametrize("name", ["jinja2.ext.autoescape", "jinja2.ext.with_"])
def test_extensions_removed_in_jinja3_are_not_fatal(name):
    classes, failed = jinja_templates.load_extensions([name, "jinja2.ext.do"])
    assert [n for n, _ in failed] == [name]
    assert "removed in Jinja2 3.0" in failed[0][1]
    source = "{% autoescape true %}{% with a=1 %}{{ _('inside') }}{% endwith %}{% endautoescape %}"
    assert [m[1] for m in ours(source, {"extensions": name})] == ["inside"]


def test_tags_of_a_missing_extension_are_parsed_leniently():
    source = ('{% csi "/nav" %}\n<p>{{ _("Loading") }}</p>\n{% endcsi %}\n'
              '{% cache 60 %}{% trans %}Cached{% endtrans %}{% endcache %}\n{% standalone arg %}')
    options = {"extensions": "nowhere.to.be:Found"}
    assert [m[1] for m in ours(source, options)] == ["Loading", "Cached"]


def test_unknown_tag_is_still_an_error_when_every_extension_loaded():
    scan = jinja_templates.scan('{% csi "/x" %}{% endcsi %}', "t.html", DEFAULT_KEYWORDS, (), {})
    assert [f.code for f in scan.findings] == ["syntax-error"]


def test_prescan_never_misses_a_message():
    for source in TEMPLATES.values():
        assert jinja_templates.could_contain_messages(source, DEFAULT_KEYWORDS)
    assert not jinja_templates.could_contain_messages("<p>{{ user.name }}</p>", DEFAULT_KEYWORDS)
    assert jinja_templates.could_contain_messages("{{ my_kw('x') }}", {"my_kw": None})


def test_babel_entry_point_reports_errors_and_honours_silent(capsys):
    broken = io.BytesIO(b"{% if %}")
    broken.name = "broken.html"
    assert list(jinja_templates.extract(broken, DEFAULT_KEYWORDS, [], {})) == []
    assert "broken.html:1: error:" in capsys.readouterr().err
    with pytest.raises(Exception, match="Expected an expression"):
        list(jinja_templates.extract(io.BytesIO(b"{% if %}"), DEFAULT_KEYWORDS, [], {"silent": "false"}))
