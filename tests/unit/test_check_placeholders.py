"""i18n_tool.checks.placeholders: the three placeholder syntaxes, damaged forms and plurals."""

import re

import pytest

from i18n_tool.catalog.model import Entry
from i18n_tool.checks import RULES
from i18n_tool.checks.placeholders import _source, check

PY = ["python-format"]
BRACE = ["python-brace-format"]
PYR = ["pyramid-format"]
PYR_BRACE = ["pyramid-format", "python-brace-format"]  # as pybabel + our extractor write them

UNKNOWN = "placeholder-unknown"
MISSING = "placeholder-missing"
MISMATCH = "placeholder-mismatch"
MANGLED = "placeholder-mangled"
SPACING = "placeholder-spacing"
CONVERSION = "placeholder-conversion"
PLURAL = "placeholder-missing-in-plural-form"

HREF = '<a href="%(href)s">Log in</a> to continue.'

# (id, msgid, msgstr, flags, expected [(code, form)])
SINGULAR = [
    # --- python-format, named ------------------------------------------------------------------
    ("py-named-clean", HREF, '<a href="%(href)s">Melden Sie sich an</a>, um fortzufahren.', PY, []),
    ("py-named-reordered", "%(user)s added %(project)s", "%(project)s wurde von %(user)s hinzugefügt", PY, []),
    ("py-named-twice-ok", "%(name)s", "%(name)s (%(name)s)", PY, []),
    ("py-named-missing", HREF, "Melden Sie sich an, um fortzufahren.", PY, [(MISSING, "msgstr")]),
    ("py-named-unknown", HREF, '<a href="%(link)s">Anmelden</a>', PY,
     [(UNKNOWN, "msgstr")]),
    ("py-named-renamed-one-of-two", "%(user)s added %(project)s", "%(benutzer)s hat etwas hinzugefügt", PY,
     [(UNKNOWN, "msgstr"), (MISSING, "msgstr")]),
    # %s formats any value: it renders where the source has %d; %d raises TypeError for a string
    ("py-named-conversion-to-s", "%(count)d projects", "%(count)s Projekte", PY, [(CONVERSION, "msgstr")]),
    ("py-named-conversion-from-s", "%(name)s's projects", "Projekte von %(name)d", PY, [(MISMATCH, "msgstr")]),
    ("py-named-compatible-conversion", "%(count)d projects", "%(count)i Projekte", PY, []),
    ("py-named-width-ok", "%(size).2f MB", "%(size)5.1f MB", PY, []),
    ("py-named-plus-unnamed", HREF, '<a href="%(href)s">Anmelden</a> %s', PY, [(UNKNOWN, "msgstr")]),
    ("py-escape-kept", "%(n)s: 50%% off", "%(n)s : remise de 50 %%", PY, []),
    ("py-escape-only-source", "100%% of %(n)s", "100%% von %(n)s", PY, []),
    ("py-lone-percent", "%(n)s: 50%% off", "%(n)s : remise de 50 %", PY, [(MANGLED, "msgstr")]),
    ("py-percent-space-letter", "%(n)s: 50%% off", "%(n)s : 50 % de remise", PY, [(MANGLED, "msgstr")]),
    ("py-babel-false-positive", "100% sure", "sûr à 100 %", PY, []),
    # --- python-format, positional -------------------------------------------------------------
    ("py-pos-clean", "%s of %d", "%s von %d", PY, []),
    ("py-pos-width", "%5.2f%%", "%5.2f %%", PY, []),
    ("py-pos-swapped-types", "%s of %d", "%d von %s", PY, [(MISMATCH, "msgstr"), (CONVERSION, "msgstr")]),
    ("py-pos-count", "%s of %d", "%s von", PY, [(MISMATCH, "msgstr")]),
    ("py-pos-extra", "%s files", "%s %s Dateien", PY, [(MISMATCH, "msgstr")]),
    ("py-pos-named-in-translation", "%s files", "%(n)s Dateien", PY, [(UNKNOWN, "msgstr")]),
    ("py-pos-lone-percent", "%s of %d", "%s von %", PY, [(MANGLED, "msgstr")]),
    ("py-star-width", "%*d items", "%*d Elemente", PY, []),
    ("py-star-width-dropped", "%*d items", "%d Elemente", PY, [(MISMATCH, "msgstr")]),
    # --- python-format, damaged ----------------------------------------------------------------
    ("py-fullwidth-named", HREF, '<a href="％(href)s">ログイン</a>', PY, [(MANGLED, "msgstr")]),
    ("py-fullwidth-parens", HREF, '<a href="%（href）s">ログイン</a>', PY, [(MANGLED, "msgstr")]),
    ("py-fullwidth-positional", "%s of %d", "%s / ％d", PY, [(MANGLED, "msgstr")]),
    ("py-spaced-all", HREF, '<a href="% (href) s">Anmelden</a>', PY, [(MANGLED, "msgstr")]),
    ("py-spaced-before-paren", HREF, '<a href="% (href)s">Anmelden</a>', PY, [(MANGLED, "msgstr")]),
    # the space is a conversion flag: Python renders %(href) s like %(href)s
    ("py-spaced-after-paren", HREF, '<a href="%(href) s">Anmelden</a>', PY, [(SPACING, "msgstr")]),
    ("py-spaced-after-paren-other-name", HREF, '<a href="%(link) s">Anmelden</a>', PY,
     [(SPACING, "msgstr"), (UNKNOWN, "msgstr")]),
    ("py-spaced-positional", "%s of %d", "% s von %d", PY, [(SPACING, "msgstr")]),
    ("py-spaced-positional-other-type", "%s of %d", "% d von %d", PY, [(SPACING, "msgstr"), (MISMATCH, "msgstr")]),
    ("py-spaced-flag-in-named-source", "%(n)s: 50%% off", "%(n)s : 50 % d", PY, [(MANGLED, "msgstr")]),
    ("py-spaced-in-source-too", "Hi %(name) s", "Hallo %(name) s", PY, []),
    ("py-spaced-in-name", HREF, '<a href="%( href )s">Anmelden</a>', PY, [(MANGLED, "msgstr")]),
    ("py-conversion-lost", HREF, '<a href="%(href)">Anmelden</a>', PY, [(MANGLED, "msgstr")]),
    ("py-conversion-lost-before-percent", "%(n)s: %(m)s", "%(n) %(m)s", PY, [(MANGLED, "msgstr")]),
    ("py-conversion-uppercased", HREF, '<a href="%(href)S">Anmelden</a>', PY, [(MANGLED, "msgstr")]),
    ("py-fullwidth-percent-parenthesis-text", "%(price)s incl. tax", "%(price)s 10％（税込）", PY, []),
    ("py-fullwidth-percent-as-text", "%(n)s done", "%(n)s 100％完了", PY, []),
    ("py-fullwidth-unknown-name", HREF, '<a href="%(href)s">％(x)s</a>', PY, [(MANGLED, "msgstr")]),
    # --- python-brace-format -------------------------------------------------------------------
    ("brace-clean", "Hello {name}", "Bonjour {name}", BRACE, []),
    ("brace-escapes", "Use {{ and }} in {name}", "Utilisez {{ et }} dans {name}", BRACE, []),
    ("brace-conversion-spec", "{name!r:>10} is {size:.2f}", "{name!r:>10} ist {size:.1f}", BRACE, []),
    ("brace-attribute", "{user.name} joined", "{user.name} a rejoint", BRACE, []),
    ("brace-attribute-other-part", "{user.name} joined", "{user.email} a rejoint", BRACE, []),
    ("brace-index", "{items[0]} first", "{items[1]} zuerst", BRACE, []),
    ("brace-nested-spec", "{value:{width}}", "{value:{width}}", BRACE, []),
    ("brace-nested-spec-dropped", "{value:{width}}", "{value}", BRACE, [(MISSING, "msgstr")]),
    ("brace-auto-reordered", "{} of {}", "{1} de {0}", BRACE, []),
    ("brace-auto-clean", "{} of {}", "{} de {}", BRACE, []),
    ("brace-auto-dropped", "{} of {}", "{} total", BRACE, [(MISSING, "msgstr")]),
    ("brace-auto-extra", "{} of {}", "{} de {} sur {}", BRACE, [(UNKNOWN, "msgstr")]),
    ("brace-auto-manual-mixed", "{} of {}", "{} de {0}", BRACE, [(MISMATCH, "msgstr")]),
    ("brace-unknown", "Hello {name}", "Bonjour {nom}", BRACE, [(UNKNOWN, "msgstr")]),
    ("brace-missing", "Hello {name}", "Bonjour", BRACE, [(MISSING, "msgstr")]),
    ("brace-single-close", "Hello {name}", "Bonjour {name}}", BRACE, [(MANGLED, "msgstr")]),
    ("brace-single-open", "Hello {name}", "Bonjour {name", BRACE, [(MANGLED, "msgstr")]),
    ("brace-spaced", "Hello {name}", "Bonjour { name }", BRACE, [(MANGLED, "msgstr")]),
    ("brace-fullwidth", "Hello {name}", "こんにちは｛name｝", BRACE, [(MANGLED, "msgstr")]),
    ("brace-half-fullwidth", "Hello {name}", "こんにちは{name｝", BRACE, [(MANGLED, "msgstr")]),
    ("brace-fullwidth-text", "Hello {name}", "こんにちは{name}｛注｝", BRACE, []),
    ("brace-fullwidth-auto", "{} of {}", "{} ｛｝", BRACE, [(MANGLED, "msgstr")]),
    ("brace-spaced-auto", "{} of {}", "{} de { }", BRACE, [(MANGLED, "msgstr")]),
    ("py-fullwidth-extra-positional", "%s files", "%s ％s Dateien", PY, [(MANGLED, "msgstr")]),
    ("py-spaced-other-conversion", "%(url)s here", "%(url) i hier", PY, [(MISMATCH, "msgstr")]),
    ("py-unescaped-in-positional", "%s: 50%% off", "%s : 50 % de remise", PY, [(MANGLED, "msgstr")]),
    ("brace-spaced-auto-among-autos", "{} of {} in {}", "{ } de {} en {}", BRACE, [(MANGLED, "msgstr")]),
    ("brace-source-not-parsable", "Hello {name", "Bonjour {nom", BRACE, []),
    ("brace-non-ascii-unknown", "Hallo {名前}", "こんにちは {名}", [], [(UNKNOWN, "msgstr")]),
    ("brace-non-ascii-clean", "Hallo {名前}", "こんにちは {名前}", [], []),
    ("brace-non-ascii-for-auto", "Hello {}", "こんにちは {名前}", [], [(UNKNOWN, "msgstr")]),
    ("brace-noflag-name-for-auto", "Hello {}", "Bonjour {name}", [], [(UNKNOWN, "msgstr")]),
    ("brace-pyramid-style-unknown", "Hello {name}", "Hallo ${nom}", [], [(UNKNOWN, "msgstr")]),
    # --- pyramid-format ------------------------------------------------------------------------
    ("pyr-clean", "Welcome, ${username}!", "Willkommen, ${username}!", PYR, []),
    ("pyr-dollar-name-form", "Welcome, ${username}!", "Willkommen, $username!", PYR, []),
    ("pyr-source-bare-form", "Welcome, $username!", "Willkommen, ${username}!", PYR, []),
    ("pyr-hyphen-name", "${project-name} released", "${project-name} veröffentlicht", PYR, []),
    ("pyr-unknown", "Welcome, ${name}!", "Willkommen, ${nome}!", PYR, [(UNKNOWN, "msgstr")]),
    ("pyr-unknown-bare", "Welcome, ${name}!", "Willkommen, $nome!", PYR,
     [(UNKNOWN, "msgstr")]),
    ("pyr-missing", "Welcome, ${name}!", "Willkommen!", PYR, [(MISSING, "msgstr")]),
    ("pyr-escaped", "Welcome, ${name}!", "Willkommen, $${name}!", PYR, [(MANGLED, "msgstr")]),
    ("pyr-dollar-amount", "Pay ${amount} now", "Zahlen Sie jetzt ${amount} $", PYR, []),
    ("pyr-fullwidth-dollar", "Welcome, ${name}!", "ようこそ、＄{name}!", PYR, [(MANGLED, "msgstr")]),
    ("pyr-fullwidth-braces", "Welcome, ${name}!", "ようこそ、$｛name｝!", PYR, [(MANGLED, "msgstr")]),
    ("pyr-spaced-dollar", "Welcome, ${name}!", "Willkommen, $ {name}!", PYR, [(MANGLED, "msgstr")]),
    ("pyr-spaced-inside", "Welcome, ${name}!", "Willkommen, ${ name }!", PYR, [(MANGLED, "msgstr")]),
    ("pyr-dropped-dollar", "Welcome, ${name}!", "Willkommen, {name}!", PYR, [(MANGLED, "msgstr")]),
    ("pyr-brace-flag-clean", "Welcome, ${name}!", "Willkommen, ${name}!", PYR_BRACE, []),
    ("pyr-brace-flag-unknown", "Welcome, ${name}!", "Willkommen, ${nome}!", PYR_BRACE,
     [(UNKNOWN, "msgstr")]),
    ("pyr-brace-flag-mangled", "Welcome, ${name}!", "Willkommen, ＄{name}!", PYR_BRACE, [(MANGLED, "msgstr")]),
    ("pyr-brace-flag-stray-brace-ignored", "Welcome, ${name}!", "Willkommen, ${name} {x}!", PYR_BRACE, []),
    ("pyr-and-real-brace-clean", "${name} has {count} messages", "${name} hat {count} Nachrichten", PYR_BRACE, []),
    ("pyr-and-real-brace-missing", "${name} has {count} messages", "${name} hat Nachrichten", PYR_BRACE,
     [(MISSING, "msgstr")]),
    ("pyr-and-real-brace-unbalanced", "${name} has {count} messages", "${name} hat {count Nachrichten",
     PYR_BRACE, [(MANGLED, "msgstr")]),
    # pybabel alone flags ${name} python-brace-format: the ${...} in the source still decides
    ("pybabel-brace-only-flag", "Welcome, ${name}!", "Willkommen, ${name}!", BRACE, []),
    ("pybabel-brace-only-flag-unknown", "Welcome, ${name}!", "Willkommen, ${nome}!", BRACE,
     [(UNKNOWN, "msgstr")]),
    # --- no flag: the source decides ----------------------------------------------------------
    ("noflag-pyramid-clean", "Hello ${name}", "Hallo ${name}", [], []),
    ("noflag-pyramid-unknown", "Hello ${name}", "Hallo ${nome}", [], [(UNKNOWN, "msgstr")]),
    ("noflag-pyramid-mangled", "Hello ${name}", "Hallo $ {name}", [], [(MANGLED, "msgstr")]),
    ("noflag-percent", "%(n)s files", "%(n)s Dateien", [], []),
    ("noflag-percent-missing", "%(n)s files", "Dateien", [], [(MISSING, "msgstr")]),
    ("noflag-brace", "Hello {name}", "Bonjour {nom}", [], [(UNKNOWN, "msgstr")]),
    ("noflag-introduced-pyramid", "Hello", "Hallo ${name}", [], [(UNKNOWN, "msgstr")]),
    ("noflag-introduced-percent", "Hello", "Hallo %(name)s", [], [(UNKNOWN, "msgstr")]),
    ("noflag-introduced-both", "Hello", "Hallo ${name} %(name)s", [], [(UNKNOWN, "msgstr"), (UNKNOWN, "msgstr")]),
    ("noflag-plain-percent-text", "100% sure", "100 % sûr", [], []),
    ("noflag-plain-dollar-text", "Costs $5", "Kostet 5 $", [], []),
    ("noflag-plain-braces-text", "Hello", "Hallo {name}", [], []),
    ("brace-flag-introduced-pyramid", "Hello {name}", "Hallo ${name}", BRACE, [(UNKNOWN, "msgstr")]),
    ("pyr-flag-introduced-percent", "Hello ${name}", "Hallo ${name} %(x)s", PYR, [(UNKNOWN, "msgstr")]),
    # --- no- flags turn a syntax off -----------------------------------------------------------
    ("no-python-format", "%(n)s files", "Dateien", ["no-python-format"], []),
    ("no-brace-format", "Hello {name}", "Bonjour {nom}", ["no-python-brace-format"], []),
    # --- nothing to check ---------------------------------------------------------------------
    ("untranslated", HREF, "", PY, []),
    ("plain", "Log in", "Anmelden", [], []),
    ("fuzzy-is-reported", "%(n)s files", "Dateien", ["fuzzy", "python-format"], [(MISSING, "msgstr")]),
]

# (id, msgid, msgid_plural, forms, flags, expected)
PLURALS = [
    ("plural-clean", "%(count)d project", "%(count)d projects",
     ["%(count)d Projekt", "%(count)d Projekte"], PY, []),
    ("plural-one-drops-number", "One project", "%(count)d projects",
     ["Ein Projekt", "%(count)d Projekte"], PY, [(PLURAL, "msgstr[0]")]),
    ("plural-form-drops-from-both", "%(count)d project", "%(count)d projects",
     ["Ein Projekt", "%(count)d Projekte"], PY, [(PLURAL, "msgstr[0]")]),
    ("plural-singular-only-name-not-required", "%(user)s's project", "%(count)d projects",
     ["%(count)d Projekt", "%(count)d Projekte"], PY, []),
    ("plural-union-allows-singular-name", "%(user)s's project", "%(user)s's %(count)d projects",
     ["Projekt von %(user)s", "%(count)d Projekte von %(user)s"], PY, [(PLURAL, "msgstr[0]")]),
    ("plural-unknown-is-error", "%(count)d project", "%(count)d projects",
     ["%(count)d Projekt", "%(count)d Projekte", "%(cnt)d Projekte"], PY,
     [(UNKNOWN, "msgstr[2]")]),
    ("plural-mismatch-is-error", "%(name)s's project", "%(name)s's projects",
     ["%(name)d Projekt", "Projekte von %(name)s"], PY, [(MISMATCH, "msgstr[0]")]),
    ("plural-mangled-is-error", "%(count)d project", "%(count)d projects",
     ["%(count)d Projekt", "％(count)d Projekte"], PY, [(MANGLED, "msgstr[1]")]),
    # ngettext(...) % n raises TypeError ("not all arguments converted") when a form drops %d
    ("plural-positional-dropped-is-error", "%d file", "%d files",
     ["Eine Datei", "%d Dateien"], PY, [(MISMATCH, "msgstr[0]")]),
    ("plural-positional-clean", "%d file", "%d files", ["%d Datei", "%d Dateien"], PY, []),
    ("plural-brace-dropped", "{count} file", "{count} files", ["Eine Datei", "{count} Dateien"], BRACE,
     [(PLURAL, "msgstr[0]")]),
    ("plural-pyramid-dropped", "${count} file", "${count} files", ["Eine Datei", "${count} Dateien"], PYR,
     [(PLURAL, "msgstr[0]")]),
    ("plural-pyramid-unknown", "${count} file", "${count} files", ["${n} Datei", "${count} Dateien"], PYR,
     [(UNKNOWN, "msgstr[0]")]),
    ("plural-empty-forms-skipped", "%(count)d project", "%(count)d projects", ["", ""], PY, []),
    ("plural-one-empty-form", "%(count)d project", "%(count)d projects", ["%(count)d Projekt", ""], PY, []),
    ("plural-one-form-language", "%(count)d project", "%(count)d projects", ["%(count)d 件のプロジェクト"], PY, []),
    ("plural-noflag-pyramid", "${count} file", "${count} files", ["Eine Datei", "${nombre} Dateien"], [],
     [(PLURAL, "msgstr[0]"), (UNKNOWN, "msgstr[1]")]),
]

# Strings as they appear in Warehouse's catalogs.
WAREHOUSE = [
    ("wh-verify-email",
     'Verify your email to create an API token. <a href="%(href)s">Manage emails</a>',
     'Bestätigen Sie Ihre E-Mail-Adresse. <a href="%(href)s">E-Mails verwalten</a>', PY, []),
    ("wh-dead-link",
     'Verify your email to create an API token. <a href="%(href)s">Manage emails</a>',
     'Bestätigen Sie Ihre E-Mail-Adresse. <a href="">E-Mails verwalten</a>', PY, [(MISSING, "msgstr")]),
    ("wh-two-links",
     'You can <a href="%(reset_href)s">reset your password</a> or <a href="%(help_href)s">get help</a>.',
     'Puede <a href="%(help_href)s">obtener ayuda</a> o <a href="%(reset_href)s">restablecer</a>.', PY, []),
    ("wh-title-attr",
     '<a href="%(href)s" title="%(title)s">%(project_name)s</a>',
     '<a href="%(href)s" title="%(titre)s">%(project_name)s</a>', PY, [(UNKNOWN, "msgstr")]),
    ("wh-ja-fullwidth",
     '<a href="%(href)s">Learn more</a> about %(project_name)s.',
     '%(project_name)s について<a href="％(href)s">詳しく</a>。', PY, [(MANGLED, "msgstr")]),
    ("wh-pyramid-email", "Your username is ${username}.", "Tu nombre de usuario es ${username}.", PYR_BRACE, []),
]


def labels(problems):
    return [(problem.code, re.match(r"msgstr(?:\[\d+\])?", problem.message).group()) for problem in problems]


@pytest.mark.parametrize("msgid, msgstr, flags, expected",
                         [case[1:] for case in SINGULAR + WAREHOUSE], ids=[c[0] for c in SINGULAR + WAREHOUSE])
def test_singular(msgid, msgstr, flags, expected):
    entry = Entry(msgid=msgid, msgstr=msgstr, flags=list(flags))
    assert labels(check(entry)) == expected


@pytest.mark.parametrize("msgid, plural, forms, flags, expected", [case[1:] for case in PLURALS],
                         ids=[case[0] for case in PLURALS])
def test_plural(msgid, plural, forms, flags, expected):
    entry = Entry(msgid=msgid, msgid_plural=plural, msgstr=list(forms), flags=list(flags))
    assert labels(check(entry)) == expected


def test_codes_and_severities_are_the_rule_tables():
    assert {code: RULES[code].severity for code in (UNKNOWN, MISSING, MISMATCH, MANGLED, PLURAL, SPACING,
                                                    CONVERSION)} == {
        UNKNOWN: "error", MISSING: "error", MISMATCH: "error", MANGLED: "error", PLURAL: "warning",
        SPACING: "warning", CONVERSION: "warning"}


def test_the_same_problem_in_several_forms_is_one_problem():
    entry = Entry(msgid="%(n)d file", msgid_plural="%(n)d files", flags=PY,
                  msgstr=["%(x)d Plik", "%(x)d Pliki", "%(x)d Plików", "%(n)d Pliku"])
    assert [p.message for p in check(entry)] == [
        "msgstr[0], msgstr[1], msgstr[2]: %(x)d is not in the source (instead of %(n)d?)"]


def test_messages_name_the_placeholder_and_the_form():
    entry = Entry(msgid="%(count)d project", msgid_plural="%(count)d projects",
                  msgstr=["Ein Projekt", "%(cnt)d Projekte"], flags=PY)
    messages = [problem.message for problem in check(entry)]
    assert messages[0].startswith("msgstr[0]") and "%(count)d" in messages[0]
    assert any(m.startswith("msgstr[1]") and "%(cnt)d" in m for m in messages)
    [mangled] = check(Entry(msgid=HREF, msgstr='<a href="％(href)s">x</a>', flags=PY))
    assert "％(href)s" in mangled.message and "%(href)s" in mangled.message
    assert mangled.line is None


def test_same_problem_twice_in_a_form_is_one_problem():
    entry = Entry(msgid="Hello ${name}", msgstr="${nome}, ${nome}!", flags=PYR)
    assert labels(check(entry)) == [(UNKNOWN, "msgstr")]


def test_a_renamed_placeholder_is_one_problem_naming_both():
    [problem] = check(Entry(msgid="Hi %(name)s", msgstr="Hallo %(nom)s", flags=PY))
    assert problem.code == UNKNOWN and "%(nom)s" in problem.message and "%(name)s" in problem.message
    problems = check(Entry(msgid="%(user)s added %(project)s", msgstr="%(benutzer)s", flags=PY))
    assert [p.message for p in problems] == [
        "msgstr: %(benutzer)s is not in the source (instead of %(project)s?)", "msgstr drops %(user)s"]


def test_source_flags_from_the_template_are_added():
    entry = Entry(msgid="Hello", msgstr="Hallo ${x}")
    assert labels(check(entry)) == [(UNKNOWN, "msgstr")]
    entry = Entry(msgid="%s of %s", msgstr="%s von")
    assert labels(check(entry, source_flags={"no-python-format"})) == []


def test_source_parse_is_cached():
    _source.cache_clear()
    for _ in range(40):
        list(check(Entry(msgid=HREF, msgstr='<a href="%(href)s">Anmelden</a>', flags=PY)))
    info = _source.cache_info()
    assert info.misses == 1 and info.hits == 39


def test_entries_without_placeholder_characters_skip_the_source_parse():
    _source.cache_clear()
    assert list(check(Entry(msgid="Log in", msgstr="Anmelden", flags=PY))) == []
    assert _source.cache_info().misses == 0


# --- what passes the check works at run time ------------------------------------------------------


class _Anything:
    """A value every placeholder accepts: attributes, items, any format spec, numbers."""

    def __getattr__(self, name):
        return self

    def __getitem__(self, key):
        return self

    def __format__(self, spec):
        return "V"

    def __int__(self):
        return 1

    def __index__(self):
        return 1

    def __float__(self):
        return 1.0


def _render(msgid, text, flags):
    """``text`` formatted the way the application formats ``msgid`` (what the flags say)."""
    from translationstring import TranslationString, _interp_regex

    if "pyramid-format" in flags:
        names = {m.group(2) or m.group(3) for m in _interp_regex.finditer(msgid)}
        text = TranslationString(msgid, mapping={n: "V" for n in names}).interpolate(text)
        assert "${" not in text
    if "python-format" in flags:
        if "%(" in msgid:
            class Mapping(dict):
                def __missing__(self, key):
                    raise KeyError(key)
            names = set(re.findall(r"%\((\w+)\)", msgid))
            text = text % Mapping({n: 1 for n in names})
        else:
            count = len(re.findall(r"%[-#0 +]*(\*)?\d*(?:\.\d+)?[diouxXeEfFgGcrsa]", msgid))
            count += msgid.count("*")
            text = text % ((1,) * count)
    if flags == BRACE:
        text.format(*[_Anything()] * msgid.count("{}"), **{
            m: _Anything() for m in re.findall(r"\{(\w+)", msgid)})
    return text


CLEAN = [case for case in SINGULAR + WAREHOUSE
         if not case[4] and case[3] in (PY, BRACE, PYR, PYR_BRACE) and case[2]
         and case[0] not in ("py-babel-false-positive", "brace-source-not-parsable")]


@pytest.mark.parametrize("msgid, msgstr, flags", [case[1:4] for case in CLEAN], ids=[c[0] for c in CLEAN])
def test_what_passes_formats_at_run_time(msgid, msgstr, flags):
    _render(msgid, msgid, flags)
    _render(msgid, msgstr, flags)

