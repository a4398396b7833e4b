"""The ``python`` method: Babel's results for ordinary code, Pyramid i18n, lint, pre-scan."""

from io import BytesIO

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract

from i18n_tool.extractors import python_source as ps
from i18n_tool.extractors import resolve

KEYWORDS = ps.keywords_for(DEFAULT_KEYWORDS, {})
TAGS = ("Translators:", "NOTE:")


def ours(src: bytes, keywords=KEYWORDS, options=None, tags=TAGS, strip=False):
    return list(extract(ps.extract, BytesIO(src), keywords, tags, options, strip))


def babel(src: bytes, keywords=KEYWORDS, options=None, tags=TAGS, strip=False):
    return list(extract("python", BytesIO(src), keywords, tags, options, strip))


# -- faithful to pybabel for ordinary code ---------------------------------------------------

ORDINARY = {
    "gettext family": b"""\
a = gettext('Hello')
b = _('Bye')
c = ngettext('one file', 'many files', n)
d = pgettext('menu', 'Open')
e = npgettext('menu', 'one item', 'many items', n)
f = dgettext('admin', 'Users')
g = dngettext('admin', 'one user', 'users', n)
h = dpgettext('admin', 'verb', 'Save')
i = dnpgettext('admin', 'noun', 'one save', 'saves', n)
j = ugettext('old') + ungettext('s', 'p', 2)
k = N_('deferred')
""",
    "translator comments": b"""\
# Translators: shown on the login page
x = _('Log in')

# NOTE: first line
# second line
y = _('Sign up')

# Translators: too far away

z = _('Not commented')
w = _('Trailing')  # Translators: not a leading comment
# Translators: before a multi-line call
v = ngettext(
    'one',
    'many',
    n,
)
""",
    "multi-line calls": b"""\
message = _(
    'A message '
    'on several lines'
)
other = ngettext('singular',
                 'plural',
                 count)
third = pgettext(
    'ctx',
    'text')
""",
    "implicit concatenation and string kinds": b"""\
a = _('one' "two" '''three''')
b = _(r'raw \\n' u'unicode')
c = _(\"\"\"triple
quoted\"\"\")
d = _('caf\\u00e9 \xc3\xa9')
""",
    "nested calls": b"""\
a = _('outer', _('inner'))
b = ngettext(_('singular'), 'plural', n)
c = foo(_('inside foo'), bar(gettext('deeper')))
d = _('with dict', mapping={'name': _('value')})
""",
    "definitions and attribute calls": b"""\
def _(message):
    return message

def gettext(message='not a message'):
    return message

class Thing(object):
    label = _('Label')

obj._('attribute call')
self.request.gettext('method call')
for _ in range(3):
    pass
f = _
""",
    "dynamic arguments": b"""\
a = _(name)
b = _('a %s' % x)
c = _('a {}'.format(x))
d = _('a' + b)
e = _(f'f {x}')
f = _(f'plain f-string')
g = ngettext(s, p, n)
h = _()
i = _(*args)
j = s.translate(table)
k = text.pluralize(word)
""",
    "pyramid calls with literal arguments": b"""\
from pyramid.i18n import TranslationString
a = TranslationString('Save')
b = request.localizer.translate('Hello')
c = request.localizer.pluralize('${n} file', '${n} files', n, mapping={'n': n})
d = _('Hello ${name}', mapping={'name': user.name})
e = request.localizer.translate(_('Welcome'))
""",
    "python 2 source": b"""\
print _('hello')
print ngettext('a', 'b', 2)
""",
    "encoding cookie": b"""\
# -*- coding: latin-1 -*-
a = _('caf\xe9')
""",
    "empty": b"",
}


@pytest.mark.parametrize("name", sorted(ORDINARY))
@pytest.mark.parametrize("strip", [False, True])
def test_ordinary_code_matches_pybabel(name, strip):
    src = ORDINARY[name]
    assert ours(src, strip=strip) == babel(src, strip=strip)


@pytest.mark.parametrize("name", sorted(ORDINARY))
def test_ordinary_code_matches_pybabel_with_default_keywords(name):
    src = ORDINARY[name]
    assert ours(src, DEFAULT_KEYWORDS) == babel(src, DEFAULT_KEYWORDS)


def test_ordinary_results_are_not_trivial():
    assert babel(ORDINARY["gettext family"])[:4] == [
        (1, "Hello", [], None),
        (2, "Bye", [], None),
        (3, ("one file", "many files"), [], None),
        (4, "Open", [], "menu"),
    ]
    assert ours(ORDINARY["translator comments"])[0] == (2, "Log in", ["Translators: shown on the login page"], None)


def test_registered_as_python_and_i18n_python():
    assert resolve("python") is ps.extract
    assert resolve("i18n_python") is ps.extract
    src = b"x = _('Save', context='button')\n"
    assert list(extract("i18n_python", BytesIO(src), DEFAULT_KEYWORDS)) == [(1, "Save", [], "button")]


def test_reads_from_a_real_file(tmp_path):
    path = tmp_path / "views.py"
    path.write_bytes(b"\xef\xbb\xbfx = _('Save', context='button')\n")
    with open(path, "rb") as fileobj:
        assert list(extract(ps.extract, fileobj, KEYWORDS)) == [(1, "Save", [], "button")]


# -- Pyramid -------------------------------------------------------------------------------


def test_translation_string_context():
    src = b"from pyramid.i18n import TranslationString\nb = TranslationString('Save', context='button')\n"
    assert babel(src) == [(2, "Save", [], None)]
    assert ours(src) == [(2, "Save", [], "button")]


def test_underscore_context_with_mapping_and_domain():
    src = b"x = _('Hello ${name}', domain='app', mapping={'name': n}, context='greeting')\n"
    assert ours(src) == [(1, "Hello ${name}", [], "greeting")]


def test_context_on_a_multi_line_call_keeps_babels_line():
    src = b"# Translators: a button\nx = _(\n    'Save',\n    context='button',\n)\n"
    assert babel(src) == [(3, "Save", ["Translators: a button"], None)]
    assert ours(src) == [(3, "Save", ["Translators: a button"], "button")]


def test_context_on_a_plural_keyword():
    src = b"x = ngettext('one', 'many', n, context='files')\n"
    assert ours(src) == [(1, ("one", "many"), [], "files")]


def test_positional_context_wins_over_a_context_keyword_argument():
    src = b"x = pgettext('menu', 'Open', context='ignored')\n"
    assert ours(src) == babel(src) == [(1, "Open", [], "menu")]


def test_two_calls_on_one_line_keep_their_own_contexts():
    src = b"x = (_('Open', context='verb'), _('Open', context='adjective'), _('Open'))\n"
    assert ours(src) == [(1, "Open", [], "verb"), (1, "Open", [], "adjective"), (1, "Open", [], None)]


def test_context_after_a_nested_keyword_call():
    src = b"x = _('Hi ${who}', mapping={'who': _('friend')}, context='greeting')\n"
    assert ours(src) == [(1, "Hi ${who}", [], "greeting"), (1, "friend", [], None)]


def test_non_literal_context_and_default_leave_babels_result():
    src = b"x = _('Save', context=ctx, default=text)\n"
    assert ours(src) == babel(src) == [(1, "Save", [], None)]


def test_default_becomes_a_comment_after_translator_comments():
    src = b"""\
# Translators: the home page title
msg = _('welcome-id', default='Welcome ${name}', mapping={'name': n})
"""
    assert babel(src) == [(2, "welcome-id", ["Translators: the home page title"], None)]
    assert ours(src) == [(2, "welcome-id", ["Translators: the home page title", "Default: Welcome ${name}"], None)]


def test_default_with_context_and_stripped_tags():
    src = b"# NOTE: dialog\nb = TranslationString('save-id', default='Save', context='button')\n"
    assert ours(src, strip=True) == [(2, "save-id", ["dialog", "Default: Save"], "button")]


def test_default_equal_to_the_msgid_adds_no_comment():
    src = b"x = _('Save', default='Save')\n"
    assert ours(src) == [(1, "Save", [], None)]


def test_implicitly_concatenated_default():
    src = b"x = _('long-id',\n      default='A long '\n              'default')\n"
    assert ours(src) == [(1, "long-id", ["Default: A long default"], None)]


def test_localizer_translate_and_pluralize():
    src = b"""\
a = request.localizer.translate('Hello')
b = localizer.pluralize('${n} file', '${n} files', n, domain='app', mapping={'n': n})
c = request.localizer.translate(_('Welcome'), mapping={'x': 1})
"""
    assert ours(src) == [
        (1, "Hello", [], None),
        (2, ("${n} file", "${n} files"), [], None),
        (3, "Welcome", [], None),
    ]


def test_str_translate_is_not_a_message():
    src = b"""\
a = s.translate(table)
b = 'abc'.translate({ord('a'): 'b'})
c = 'abc'.translate(str.maketrans('ab', 'cd'))
d = inflect.pluralize(word, {'x': 'y'})
"""
    assert babel(src) == [(2, "b", [], None)]  # the tokenizer's false positive
    assert ours(src) == []


def test_bare_translate_only_when_it_is_a_keyword():
    src = b"a = translate('Hello')\nb = x.translate('World')\n"
    assert ours(src) == [(1, "Hello", [], None), (2, "World", [], None)]
    assert ours(src, DEFAULT_KEYWORDS) == []


def test_only_the_pyramid_adjustments_differ_from_babel():
    src = b"""\
# Translators: greeting
a = _('welcome-id', default='Welcome ${name}', mapping={'name': n})
b = TranslationString('Save', context='button')
c = request.localizer.translate('Hello')
d = 'abc'.translate({ord('a'): 'b'})
e = ngettext('a', 'b', n)
f = pgettext('menu', 'Open')
"""
    plain, adjusted = babel(src), ours(src)
    assert [r for r in adjusted if r[0] not in (2, 3)] == [r for r in plain if r[0] not in (2, 3, 5)]
    assert adjusted[:2] == [
        (2, "welcome-id", ["Translators: greeting", "Default: Welcome ${name}"], None),
        (3, "Save", [], "button"),
    ]


def test_context_reaches_babel_through_pgettext_without_private_keywords():
    src = b"a = _('Save', context='button')\nb = ngettext('a', 'b', n, context='files')\n"
    assert ours(src, DEFAULT_KEYWORDS) == [(1, "Save", [], "button"), (2, ("a", "b"), [], "files")]


def test_context_is_dropped_when_no_keyword_can_carry_it():
    src = b"a = _('Save', context='button', default='Save it')\n"
    assert ours(src, {"_": None}) == [(1, "Save", ["Default: Save it"], None)]


def test_a_same_named_keyword_with_another_spec_does_not_carry_context():
    src = b"a = _('Save', context='button')\n"
    keywords = {"_": None, "pgettext": (1,), "_i18n_ctx": (1,)}
    assert ours(src, keywords) == [(1, "Save", [], None)]


def test_direct_call_with_keyword_names_only():
    src = b"a = _('Save', context='button')\n"
    assert list(ps.extract(BytesIO(src), ["_", "_i18n_ctx"], [], {})) == [(1, "_i18n_ctx", ("button", "Save"), [])]


def test_custom_keyword_spec_positions():
    src = b"a = lazy('domain', 'Save', context='button')\n"
    keywords = {**KEYWORDS, "lazy": (2,)}
    assert ours(src, keywords) == [(1, "Save", [], "button")]


def test_unparsable_source_keeps_babels_result():
    src = b"print _('hello', context='greeting', default='Hi')\n"
    assert ours(src) == babel(src) == [(1, "hello", [], None)]


def test_encoding_cookie_with_non_ascii_context():
    src = "# -*- coding: latin-1 -*-\na = _('caf\xe9', context='boisson', default='Caf\xe9')\n".encode("latin-1")
    assert ours(src) == [(2, "caf\xe9", ["Default: Caf\xe9"], "boisson")]


@pytest.mark.parametrize("value", ["false", "False", "0", "no", "off", False])
def test_pyramid_false_is_exactly_babel(value):
    src = b"""\
a = _('welcome-id', default='Welcome ${name}')
b = TranslationString('Save', context='button')
d = 'abc'.translate({ord('a'): 'b'})
"""
    options = {"pyramid": value}
    assert ours(src, options=options) == babel(src, options=options)
    assert ours(src, options=options)[1] == (2, "Save", [], None)


def test_keywords_for():
    assert ps.keywords_for(DEFAULT_KEYWORDS, {"pyramid": "false"}) == DEFAULT_KEYWORDS
    merged = ps.keywords_for({**DEFAULT_KEYWORDS, "translate": (2,)}, {"pyramid": "true"})
    assert merged["translate"] == (2,)  # the user's spec wins
    assert merged["_i18n_ctx"] == ((1, "c"), 2) and merged["_i18n_nctx"] == ((1, "c"), 2, 3)
    assert merged["TranslationString"] is None and merged["pluralize"] == (1, 2)
    assert set(ps.PYRAMID_KEYWORDS) == {"TranslationString", "translate", "pluralize", "_i18n_ctx", "_i18n_nctx"}


# -- lint ----------------------------------------------------------------------------------


def codes(source, keywords=KEYWORDS):
    return [(f.line, f.code) for f in ps.lint(source, "views.py", keywords)]


def test_lint_codes_and_lines():
    source = """\
a = _(name)
b = _(f"Hello {name}")
c = _("a %s" % x)
d = _("a {}".format(x))
e = _("a" + b)
f = _("a" "b")
g = _(f"plain")
h = _(
    message,
)
"""
    assert codes(source) == [
        (1, "non-literal-msgid"),
        (2, "fstring-msgid"),
        (3, "formatted-msgid"),
        (4, "formatted-msgid"),
        (5, "non-literal-msgid"),
        (9, "non-literal-msgid"),
    ]


def test_lint_messages():
    found = ps.lint("x = 1\nlabel = _(name)\n", "views.py", KEYWORDS)
    assert found == [
        ps.Finding(
            "views.py", 2, "warning", "non-literal-msgid",
            "_() called with a variable: 'name' cannot be extracted; pass a string literal", 11,
        )
    ]
    assert found[0].format_text().startswith("views.py:2:11: warning: _() called with a variable")
    [fstring] = ps.lint("_(f'{a}')", "v.py", KEYWORDS)
    assert "formatted before translation" in fstring.message
    [percent] = ps.lint("_('%s' % a)", "v.py", KEYWORDS)
    assert "move '% ...' outside the call" in percent.message
    [concat] = ps.lint("_('a' + b)", "v.py", KEYWORDS)
    assert "concatenation" in concat.message


def test_lint_follows_the_keyword_spec_positions():
    source = """\
a = ngettext('one', plural, n)
b = dgettext(domain, 'Fine')
c = pgettext(ctx, 'Open')
d = npgettext('menu', 'one', f'{n} many', n)
e = dngettext(d, 'one', 'many', count)
"""
    assert codes(source) == [(1, "non-literal-msgid"), (3, "non-literal-msgid"), (4, "fstring-msgid")]


def test_lint_ignores_what_it_cannot_judge():
    source = """\
a = _(*args)
b = _()
c = _(msgid=name)
d = unknown(name)
e = s.translate(table)
f = request.localizer.translate(ts)
g = localizer.pluralize(singular, plural, n)
h = ngettext('one', *forms)
"""
    assert codes(source) == []


def test_lint_translate_with_a_formatted_literal():
    assert codes("x = localizer.translate(f'Hi {name}')\n") == [(1, "fstring-msgid")]


def test_lint_attribute_calls_and_custom_keywords():
    keywords = {"lazy_gettext": (2,), "_": None}
    source = "a = self._(name)\nb = lazy_gettext(x, y)\nc = gettext(name)\n"
    assert codes(source, keywords) == [(1, "non-literal-msgid"), (2, "non-literal-msgid")]


def test_lint_arity_dependent_spec():
    keywords = {"t": {None: (1,), 3: (1, 2)}}
    assert codes("t(a)\nt('s', p, n)\nt('s', p)\n", keywords) == [(1, "non-literal-msgid"), (2, "non-literal-msgid")]


def test_lint_column_counts_characters():
    [finding] = ps.lint("x = ('é', _(name))\n", "v.py", KEYWORDS)
    assert finding.col == 13  # 14 if the UTF-8 bytes of 'é' were counted


def test_lint_syntax_error():
    [finding] = ps.lint("x = 1\ny = _(\n", "views.py", KEYWORDS)
    assert (finding.severity, finding.code, finding.line, finding.col) == ("error", "syntax-error", 2, 6)
    [null] = ps.lint("x = 1\0\n", "views.py", KEYWORDS)
    assert (null.severity, null.code) == ("error", "syntax-error")


def test_lint_clean_file():
    assert ps.lint(ORDINARY["gettext family"].decode(), "v.py", KEYWORDS) == []


# -- pre-scan ------------------------------------------------------------------------------

PRESCAN_POSITIVE = [
    b"_('x')",
    b"x = _ ('x')",
    b"x = _\\\n('x')",
    b"x = _(\n'x')",
    b"x = obj._('x')",
    b"x = obj . _ ('x')",
    b"x=(_('x'))",
    b"x = N_('x')",
    b"x = [gettext('x')]",
    b"\tngettext('a', 'b', n)",
    b"y = 1; npgettext('c', 'a', 'b', n)",
    b"request.localizer.translate('Hello')",
    b"localizer.pluralize('a', 'b', n)",
    b"TranslationString('Save', context='button')",
    b"# -*- coding: latin-1 -*-\n_('caf\xe9')",
    b"\xef\xbb\xbf_('bom')",
    b"x = '\xc3\xa9'; _('after non-ascii')",
    b"print _('py2')",
]


@pytest.mark.parametrize("src", PRESCAN_POSITIVE)
def test_prescan_never_misses_a_message(src):
    assert ours(src) or babel(src), "the case must be a real message"
    assert ps.could_contain_messages(src, KEYWORDS)


@pytest.mark.parametrize("name", sorted(ORDINARY))
def test_prescan_on_ordinary_sources(name):
    src = ORDINARY[name]
    if babel(src):
        assert ps.could_contain_messages(src, KEYWORDS)


@pytest.mark.parametrize("keyword", sorted(KEYWORDS))
@pytest.mark.parametrize("before", ["", " ", "\t", "x.", "(", "[", ",", "=", "\n", ";", "\\\n "])
@pytest.mark.parametrize("after", ["(", " (", "\\\n("])
def test_prescan_every_keyword_in_every_position(keyword, before, after):
    closing = {"(": ")", "[": "]"}.get(before, "")
    src = f"{before}{keyword}{after}'c', 'a', 'b', 'd'){closing}\n".encode()
    assert babel(src, KEYWORDS, tags=())
    assert ps.could_contain_messages(src, KEYWORDS)


def test_prescan_custom_keywords():
    keywords = {"lazy_gettext": None, "_l": (1, 2)}
    assert ps.could_contain_messages(b"x = lazy_gettext('x')", keywords)
    assert ps.could_contain_messages(b"x = forms._l('a', 'b')", keywords)
    assert not ps.could_contain_messages(b"x = _('x')", keywords)
    assert not ps.could_contain_messages(b"x = gettext('x')", keywords)


@pytest.mark.parametrize(
    "src, keywords",
    [
        (b"x = N_('x')", {"_": None}),
        (b"x = gettext_lazy('x')", {"gettext": None}),
        (b"x = my_gettext('x')", {"gettext": None}),
        (b"x = _1('x')", {"_": None}),
        (b"import os\nprint(os.getcwd())\n", KEYWORDS),
        (b"", KEYWORDS),
        (b"_('x')", {}),
    ],
)
def test_prescan_says_no_when_babel_finds_nothing(src, keywords):
    assert babel(src, keywords) == []
    assert not ps.could_contain_messages(src, keywords)


def test_prescan_non_ascii_keyword_in_any_encoding():
    keywords = {"übersetze": None}
    for encoding in ("utf-8", "latin-1"):
        src = f"# -*- coding: {encoding} -*-\nx = übersetze('Hallo')\n".encode(encoding)
        assert babel(src, keywords) == [(2, "Hallo", [], None)]
        assert ps.could_contain_messages(src, keywords)
    assert not ps.could_contain_messages(b"x = 1\n", keywords)


def test_prescan_utf16_is_answered_conservatively():
    src = "x = gettext('Hello')\n".encode("utf-16")
    assert ps.could_contain_messages(src, KEYWORDS)


def test_prescan_accepts_any_collection_of_names():
    src = b"x = _('x')"
    assert ps.could_contain_messages(src, ["_"])
    assert ps.could_contain_messages(src, {"_": None}.keys())
    assert not ps.could_contain_messages(src, frozenset({"gettext"}))
