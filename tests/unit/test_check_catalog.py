"""Header, entry-structure and catalog-level checks, and pseudo-locales passing every check."""

import pytest

from i18n_tool import pseudo
from i18n_tool.catalog import po
from i18n_tool.catalog.model import Entry, PoFile
from i18n_tool.checks import RULES, headers
from i18n_tool.checks.runner import check_po
from i18n_tool.config import CheckSettings

HEADER = ('msgid ""\nmsgstr ""\n"Language: de\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
          '"Content-Type: text/plain; charset=UTF-8\\n"\n\n')


def catalog(body: str, header: str = HEADER):
    return po.parse((header + body).encode(), "de/LC_MESSAGES/messages.po")


def codes(findings):
    return [(f.code, f.severity, f.line) for f in findings]


@pytest.mark.parametrize("header, expected", [
    ('msgid ""\nmsgstr ""\n"Language: de\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n',
     "the Content-Type header names no charset"),
    (HEADER.replace("UTF-8", "klingon-8"), "unknown charset 'klingon-8'"),
    (HEADER.replace('"Language: de\\n"\n', ""), "no Language header"),
    (HEADER.replace("Language: de", "Language: xx_QQ"), "Language 'xx_QQ' is not a locale"),
    (HEADER.replace("plural=(n != 1)", "plural=(n !== 1)"), "cannot parse the plural expression"),
    (HEADER.replace("nplurals=2", "nplurals=x"), "no usable nplurals"),
    (HEADER.replace("plural=(n != 1)", "plural=(n > 1 ? 2 : 0)"), "gives form 2 for n=2, but nplurals=2"),
])
def test_header_problems(header, expected):
    [problem] = headers.check(catalog('msgid "a"\nmsgstr "b"\n', header))
    assert expected in problem.message
    assert problem.line == 2


NO_PLURAL_FORMS = HEADER.replace('"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n', "")
PLURAL = 'msgid "file"\nmsgid_plural "files"\nmsgstr[0] "{0}"\nmsgstr[1] "{1}"\n'


@pytest.mark.parametrize("language, body, expected", [
    # gettext's default n != 1 would show msgstr[1] for n=0 in French, msgstr[1] for every n in Japanese
    ("fr", PLURAL.format("fichier", "fichiers"), ("header-plural-forms", "error")),
    ("ja", PLURAL.format("ファイル", "ファイル"), ("header-plural-forms", "error")),
    ("ru", PLURAL.format("файл", "файла"), ("header-plural-forms", "error")),
    # the default is German's rule, and an unknown language's rule is unknown: warnings
    ("de", PLURAL.format("Datei", "Dateien"), ("header-plural-forms-default", "warning")),
    ("en_XA", PLURAL.format("[ƒîļé]", "[ƒîļéš]"), ("header-plural-forms-default", "warning")),
    # the default is never used: no translated plural (untranslated, fuzzy, none at all)
    ("fr", PLURAL.format("", ""), None),
    ("fr", "#, fuzzy\n" + PLURAL.format("fichier", "fichiers"), None),
    ("ja", 'msgid "a"\nmsgstr "b"\n', None),
])
def test_missing_plural_forms_is_an_error_only_where_the_default_is_wrong(language, body, expected):
    header = NO_PLURAL_FORMS.replace("Language: de", f"Language: {language}")
    found = [(problem.code, RULES[problem.code].severity) for problem in headers.check(catalog(body, header))]
    assert found == ([expected] if expected else [])


def test_missing_plural_forms_names_the_rule_and_a_number_it_breaks():
    header = NO_PLURAL_FORMS.replace("Language: de", "Language: pl")
    [problem] = headers.check(catalog(PLURAL.format("plik", "pliki"), header))
    assert problem.message.startswith("no Plural-Forms header: gettext's default (n != 1) picks msgstr[1] for n=0, "
                                      "where pl needs msgstr[2]; add Plural-Forms: nplurals=3; plural=n == 1 ? 0 :")


def test_too_few_plural_forms_are_an_error_too_many_a_warning():
    three = 'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "a"\nmsgstr[1] "b"\nmsgstr[2] "c"\n'
    assert [(f.code, f.severity) for f in check_po(catalog(three), "de")] == [("plural-forms-extra", "warning")]
    extra_broken = three.replace('"c"', '"%(n)"').replace('msgid "one"', '#, python-format\nmsgid "%(n)s one"')
    assert [(f.code, f.severity) for f in check_po(catalog(extra_broken), "de")] == [
        ("plural-forms-extra", "warning")]  # gettext never shows msgstr[2]: it is not checked
    one = 'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "a"\n'
    assert [(f.code, f.severity) for f in check_po(catalog(one), "de")] == [("plural-forms-count", "error")]
    # without Plural-Forms gettext uses two forms (n != 1)
    assert ("plural-forms-count", "error") in [(f.code, f.severity) for f in check_po(catalog(one, NO_PLURAL_FORMS), "de")]


def test_clean_header_and_pseudo_language():
    assert list(headers.check(catalog(""))) == []
    assert list(headers.check(catalog("", HEADER.replace("Language: de", "Language: ar_XB")))) == []
    assert list(headers.check(po.parse(b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=CHARSET\\n"\n'),
                              template=True)) != []


def test_missing_header():
    findings = check_po(po.parse(b'msgid "a"\nmsgstr "b"\n', "x.po"), "de")
    assert ("header-missing", "error", 1) in codes(findings)


def test_plural_count_duplicates_newlines_fuzzy():
    findings = check_po(catalog(
        'msgid "one"\nmsgid_plural "many"\nmsgstr[0] "eins"\n\n'          # 1 form, nplurals 2
        'msgid "a"\nmsgstr "x"\n\nmsgid "a"\nmsgstr "y"\n\n'                # duplicate at line 14
        'msgid "line\\n"\nmsgstr "Zeile"\n\n'                               # newline mismatch
        '#, fuzzy\nmsgid "old"\nmsgstr "alt"\n'), "de")
    assert codes(findings) == [
        ("plural-forms-count", "error", 9),
        ("duplicate-entry", "error", 14),
        ("newline-mismatch", "warning", 18),
        ("fuzzy", "warning", 22),
    ]
    assert "line 11" in findings[1].message
    assert all(f.locale == "de" and f.path.endswith("messages.po") for f in findings)


def test_errors_in_fuzzy_entries_are_warnings():
    findings = check_po(catalog('#, fuzzy, python-format\nmsgid "Hi %(name)s"\nmsgstr "Hallo %(nom)s"\n'), "de")
    assert {(f.code, f.severity) for f in findings} == {("fuzzy", "warning"), ("placeholder-unknown", "warning")}


def test_template_line_is_named():
    findings = check_po(catalog('#: templates/a.html:12\n#, python-format\nmsgid "Hi %(name)s"\n'
                                'msgstr "Hallo %(nom)s"\n'), "de")
    assert findings[0].message.endswith("(used at templates/a.html:12)")
    assert findings[0].msgid == "Hi %(name)s"


def test_coverage_and_obsolete_limits():
    body = 'msgid "a"\nmsgstr "x"\n\nmsgid "b"\nmsgstr ""\n\n#~ msgid "c"\n#~ msgstr "z"\n'
    settings = CheckSettings(min_coverage={"*": 80.0, "fr": 10.0}, obsolete_limit=0)
    findings = check_po(catalog(body), "de", settings)
    assert [(f.code, f.severity) for f in findings] == [
        ("coverage-below-minimum", "error"), ("obsolete-piling-up", "warning")]
    assert "50.0 % translated, below the minimum of 80 %" in findings[0].message
    assert check_po(catalog(body), "fr", CheckSettings(min_coverage={"fr": 10.0})) == []


def test_every_code_is_in_the_rule_table():
    assert all(rule.severity in ("error", "warning") for rule in RULES.values())
    assert len(RULES) == len({rule.code for rule in RULES.values()})


SOURCES = [
    ("Welcome back, %(name)s!", None, ["python-format"]),
    ('<a href="%(href)s">Learn more</a> about <strong>{project}</strong> &amp; more', None, ["python-brace-format"]),
    ("Hello ${user}", None, ["pyramid-format"]),
    ("\nIndented text\n", None, []),
    ("%(num)d file", "%(num)d files", ["python-format"]),
    ("100%% sure", None, ["python-format"]),
]


@pytest.mark.parametrize("name", sorted(pseudo.PSEUDO_LOCALES))
def test_pseudo_locales_keep_placeholders_and_markup_and_pass_check(name):
    template = PoFile("messages.pot", Entry("", "Content-Type: text/plain; charset=UTF-8\n"),
                      [Entry(msgid, [""] * 2 if plural else "", msgid_plural=plural, flags=flags)
                       for msgid, plural, flags in SOURCES])
    header = Entry("", f"Language: {name}\nPlural-Forms: {pseudo.PLURAL_FORMS}\n"
                       "Content-Type: text/plain; charset=UTF-8\n")
    built = po.parse(po.write(pseudo.build(template, name, header)), f"{name}.po")
    assert check_po(built, name) == []
    for entry in built.entries:
        for form in entry.forms:
            assert form != entry.msgid
            assert [part for kept, part in pseudo.segments(form) if kept] == [
                part for kept, part in pseudo.segments(entry.msgid if form is entry.forms[0] else entry.msgid_plural)
                if kept]


def test_accented_is_about_a_third_longer_and_bracketed():
    text = "Your account settings have been saved successfully"
    result = pseudo.accented(text)
    assert result.startswith("[Ýóúŕ áççóúñţ") and result.endswith("]")
    assert 1.3 <= (len(result) - 2) / len(text) <= 1.45


def test_right_to_left_wraps_words_only():
    assert pseudo.right_to_left("Hi %(name)s <b>there</b>") == (
        "\u202eHi\u202c %(name)s <b>\u202ethere\u202c</b>")


def test_every_rule_is_in_the_readme_with_its_severity():
    from pathlib import Path

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Checks"):readme.index("### In CI")]
    warnings = section[section.index("Warnings (it renders"):]
    for rule in RULES.values():
        assert f"`{rule.code}`" in section, rule.code
        assert (f"`{rule.code}`" in warnings) == (rule.severity == "warning"), rule.code
