"""Markup checks: html-unbalanced, html-unsafe, html-differs, as a browser's tokenizer reads them."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from i18n_tool.catalog.model import Entry
from i18n_tool.checks import RULES, markup
from i18n_tool.checks.markup import analyze, check, url_scheme

U, X, D = "html-unbalanced", "html-unsafe", "html-differs"


def codes(msgid, msgstr, msgid_plural=None):
    return [problem.code for problem in check(Entry(msgid, msgstr, msgid_plural=msgid_plural))]


def messages(msgid, msgstr, msgid_plural=None):
    return [problem.message for problem in check(Entry(msgid, msgstr, msgid_plural=msgid_plural))]


CASES = [
    # -- balanced, realistic (Warehouse) -------------------------------------------------------------
    ("plain text", "Hello", "Hallo", []),
    ("link with placeholder", '<a href="%(href)s">Learn more</a>', '<a href="%(href)s">Mehr erfahren</a>', []),
    ("strong name", "<strong>%(name)s</strong> was yanked", "<strong>%(name)s</strong> wurde zurückgezogen", []),
    ("code", "Run <code>pip install</code>", "<code>pip install</code> ausführen", []),
    ("reordered tags", "<b>a</b> and <i>b</i>", "<i>b</i> und <b>a</b>", []),
    ("case of names", "<strong>x</strong>", "<STRONG>x</Strong>", []),
    ("attribute order and quoting", '<a class="btn" href="%(u)s">x</a>', "<a href='%(u)s' class=btn>y</a>", []),
    ("brace placeholder", '<a href="{url}">x</a>', '<a href="{url}">y</a>', []),
    ("pyramid placeholder", '<a href="${url}">x</a>', '<a href="${url}">y</a>', []),
    ("renamed placeholder is the placeholder check's", '<a href="%(url)s">x</a>', '<a href="%(link)s">y</a>', []),
    ("two links swapped", '<a href="%(a)s">A</a> or <a href="%(b)s">B</a>',
     '<a href="%(b)s">B</a> oder <a href="%(a)s">A</a>', []),
    ("translated title and alt", '<abbr title="Python Package Index">PyPI</abbr> <img alt="Logo" src="%(s)s">',
     '<abbr title="Index des paquets Python">PyPI</abbr> <img alt="Logo PyPI" src="%(s)s">', []),
    ("comment", "x", "x <!-- note -->", []),
    # -- void elements and self-closing syntax ----------------------------------------------------------
    ("br", "Line<br>next", "Zeile<br>nächste", []),
    ("br written self-closing", "Line<br>next", "Zeile<br/>nächste", []),
    ("img input hr wbr", '<img src="%(s)s"> <input name="q"> <hr> a<wbr>b',
     '<img src="%(s)s"/> <input name="q" /> <hr/> a<wbr>b', []),
    ("span/ stays open in HTML", "<span>x</span>", "<span/>x", [U]),
    ("</br> is not an end tag", "a<br>b", "a</br>b", [U]),
    ("</img> for a void element", '<img src="%(s)s">', '<img src="%(s)s"></img>', [U]),
    # -- unbalanced -------------------------------------------------------------------------------------
    ("unclosed", "<strong>x</strong>", "<strong>x", [U]),
    ("two unclosed, two problems", "<b><i>x</i></b>", "<b><i>x", [U, U]),
    ("stray end tag", "<b>x</b>", "<b>x</b></b>", [U]),
    ("misnested, one problem", "<b><i>x</i></b>", "<b><i>x</b></i>", [U]),
    ("crossed and never closed, one problem", "<b><i>x</i></b>", "<b><i>x</b>", [U]),
    ("added unclosed p", "Text", "<p>Texte", [U]),
    ("unfinished tag: missing quote", '<a href="%(u)s">x</a>', '<a href="%(u)s>x</a>', [U]),
    ("unfinished tag: missing >", "<b>x</b>", "<b>x</b", [U]),
    ("unfinished start tag", "<b>x</b> <i>y</i>", "<b>x</b> <i", [U]),
    ("</ at the end", "<b>x</b>", "<b>x</b> </", [U]),
    ("prose a<b at the end is an open tag", "if a < b", "wenn a<b", [U]),
    ("unclosed comment", "x", "x <!-- y", [U]),
    ("unclosed p with placeholders in attributes", '<p class="{c}">x</p>', '<p class="{c}">x', [U]),
    # -- `< / a>` is text, `</ strong>` a bogus comment ---------------------------------------------------
    ("</ strong> in translation", "<strong>x</strong>", "<strong>x</ strong>", [U]),
    ("< / a> in translation", '<a href="%(u)s">x</a>', '<a href="%(u)s">x< / a>', [U]),
    ("< / a> in source is text", "Type < / a> here", "Tippen Sie < / a> hier", []),
    ("</ strong> in source is a comment", "a </ strong> b", "a </ strong> b", []),
    ("real end tag where the source has a comment", "a </ strong> b", "a </strong> b", [U]),
    # -- the source has the problem too ------------------------------------------------------------------
    ("source unclosed p", "<p>Text", "<p>Texte", []),
    ("source unclosed p, translation closes it", "<p>Text", "<p>Texte</p>", []),
    ("source with < / a>", '<a href="x">x< / a>', '<a href="x">y< / a>', []),
    ("source stray end tag", "x</div>", "y</div>", []),
    ("source stray, translation two", "x</div>", "y</div></div>", [U]),
    ("source misnested", "<b><i>x</b></i>", "<b><i>y</b></i>", []),
    # -- text with < and & ----------------------------------------------------------------------------
    ("a < b in prose", "a < b", "a < b", []),
    ("x<3 is text", "x < 3", "x<3", []),
    ("escaped markup is text", "&lt;script&gt;", "&lt;script&gt; (de)", []),
    ("entities are not reported", "AT&T &copy; R&D", "AT&T &copy R&D &foo; &#0; &#x110000;", []),
    ("entities inside tags", "<b>AT&amp;T</b>", "<b>AT&T &nbps;</b>", []),
    # -- unsafe elements --------------------------------------------------------------------------------
    ("script", "x", "<script>alert(1)</script>", [X]),
    ("SCRIPT upper case", "x", "<SCRIPT>alert(1)</SCRIPT>", [X]),
    ("script data is not markup", "x", "<script>if (a<b) go()</script>", [X]),
    ("style", "x", "<style>a<b{color:red}</style>", [X]),
    ("iframe", "x", '<iframe src="https://example.com/"></iframe>', [X]),
    ("frame", "x", '<frame src="https://example.com/">', [X]),
    ("frameset", "x", "<frameset></frameset>", [X]),
    ("object", "x", '<object data="x.swf"></object>', [X]),
    ("embed", "x", '<embed src="x.swf">', [X]),
    ("applet", "x", "<applet></applet>", [X]),
    ("base", "x", '<base href="https://evil.example/">', [X]),
    ("meta refresh", "x", '<meta http-equiv="refresh" content="0;url=https://evil.example/">', [X]),
    ("link", "x", '<link rel="stylesheet" href="https://evil.example/x.css">', [X]),
    ("form", "x", '<form action="https://evil.example/"><input name="password"></form>', [X]),
    ("svg", "x", '<svg><path d="M0 0"/></svg>', [X]),
    ("math", "x", "<math><mi>x</mi></math>", [X]),
    ("svg with a script, each reported", "x", "<svg><script>alert(1)</script></svg>", [X, X]),
    ("noscript", "x", "<noscript><b></b></noscript>", [X]),
    # Rawtext ends at the first </noscript>, inside the attribute: the img is real, the last end tag stray.
    ("noscript mutation XSS", "x", "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
     [U, X, X]),
    ("template", "x", "<template><b>x</b></template>", [X]),
    ("unclosed script is both", "x", "<script>alert(1)", [U, X]),
    ("source has the element", "<style>p{}</style>x", "<style>p{}</style>y", []),
    ("textarea content is text", "x", "<textarea><b></textarea>", [D]),
    # -- unsafe attributes ------------------------------------------------------------------------------
    ("onerror", '<img src="%(s)s">', '<img src="%(s)s" onerror="alert(1)">', [X]),
    ("OnMouseOver", '<a href="%(u)s">x</a>', '<a href="%(u)s" OnMouseOver="alert(1)">x</a>', [X]),
    ("slash before handler", '<a href="%(u)s">x</a>', '<a/onclick="alert(1)" href="%(u)s">x</a>', [X]),
    ("source has the handler", '<a onclick="go()">x</a>', '<a onclick="go()">y</a>', []),
    ("srcdoc", "x", '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>', [X, X]),
    ("javascript: href", '<a href="https://pypi.org/">x</a>', '<a href="javascript:alert(1)">x</a>', [X]),
    ("JaVaScRiPt:", '<a href="%(u)s">x</a>', '<a href="JaVaScRiPt:alert(1)">x</a>', [X]),
    ("tab entity inside", '<a href="%(u)s">x</a>', '<a href="java&#x09;script:alert(1)">x</a>', [X]),
    ("raw newline inside", '<a href="%(u)s">x</a>', '<a href="java\nscript:alert(1)">x</a>', [X]),
    ("numeric entity", '<a href="%(u)s">x</a>', '<a href="&#106;avascript:alert(1)">x</a>', [X]),
    ("leading space and control", '<a href="%(u)s">x</a>', '<a href=" &#x01;javascript:alert(1)">x</a>', [X]),
    ("&colon;", '<a href="%(u)s">x</a>', '<a href="javascript&colon;alert(1)">x</a>', [X]),
    ("unquoted", '<a href="%(u)s">x</a>', "<a href=javascript:alert(1)>x</a>", [X]),
    ("vbscript:", '<a href="%(u)s">x</a>', '<a href="vbscript:msgbox(1)">x</a>', [X]),
    ("data: src", '<img src="%(s)s">', '<img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;">', [X]),
    ("form action javascript:", "x", '<form action="javascript:alert(1)"></form>', [X, X]),
    ("formaction", "<button>Go</button>", '<button formaction="javascript:alert(1)">Los</button>', [X]),
    ("svg xlink:href", "x", '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', [X, X]),
    ("javascript: in a text attribute is harmless", '<a href="%(u)s" title="t">x</a>',
     '<a href="%(u)s" title="javascript:">y</a>', []),
    ("javascript: path is not a scheme", '<a href="/p">x</a>', '<a href="/p?x=javascript:">y</a>', [D]),
    ("source has the javascript: link", '<a href="javascript:void(0)">x</a>', '<a href="javascript:void(0)">y</a>',
     []),
    ("style expression()", "<span>x</span>", '<span style="width: expression(alert(1))">x</span>', [X]),
    ("style url(javascript:)", "<span>x</span>", "<span style=\"background: url('javascript:alert(1)')\">x</span>",
     [X]),
    ("style CSS escape", "<span>x</span>", '<span style="width: e\\78 pression(alert(1))">x</span>', [X]),
    ("style CSS comment", "<span>x</span>", '<span style="width: ex/**/pression(alert(1))">x</span>', [X]),
    ("style -moz-binding", "<span>x</span>", '<span style="-moz-binding: url(x.xml#xss)">x</span>', [X]),
    ("harmless style attribute differs", "<span>x</span>", '<span style="color: red">x</span>', [D]),
    # -- link targets -----------------------------------------------------------------------------------
    ("placeholder href hard-coded", '<a href="%(url)s">x</a>', '<a href="https://evil.example/">x</a>', [X]),
    ("placeholder src hard-coded", '<img src="{src}">', '<img src="/static/x.png">', [X]),
    ("literal href changed", '<a href="https://pypi.org/help/">x</a>', '<a href="https://pypi.org/help/de/">x</a>',
     [D]),
    ("literal href to another host", '<a href="https://pypi.org/help/">x</a>', '<a href="https://evil.example/">x</a>',
     [D]),
    ("path around a placeholder changed", '<a href="/project/%(name)s/">x</a>', '<a href="/projekt/%(name)s/">x</a>',
     [D]),
    # -- differs ----------------------------------------------------------------------------------------
    ("markup dropped", "<strong>Warning:</strong> x", "Warnung: x", [D]),
    ("markup added", "x", "<em>x</em>", [D]),
    ("attribute added", '<a href="%(u)s">x</a>', '<a href="%(u)s" target="_blank">x</a>', [D]),
    ("class changed", '<span class="badge">x</span>', '<span class="badge-danger">x</span>', [D]),
    ("tag replaced", "<b>x</b>", "<strong>x</strong>", [D]),
    ("whitespace in a value", '<span class="a b">x</span>', '<span class="a  b">x</span>', []),
    ("no differs next to an error", "<b>x</b>", "<i>x", [U]),
    ("no differs next to an unsafe tag", "x", "<b>x</b><script>x</script>", [X]),
]


@pytest.mark.parametrize("msgid, msgstr, expected", [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_codes(msgid, msgstr, expected):
    assert codes(msgid, msgstr) == expected


PLURALS = [
    ("same markup", "One <b>file</b>", "<b>%(n)s</b> files", ["Eine <b>Datei</b>", "<b>%(n)s</b> Dateien"], []),
    ("one form broken", "One <b>file</b>", "<b>%(n)s</b> files", ["Eine <b>Datei</b>", "<b>%(n)s Dateien"], [U]),
    ("empty forms skipped", "One <b>file</b>", "<b>%(n)s</b> files", ["", "<b>%(n)s</b> Dateien"], []),
    ("all empty", "One <b>file</b>", "<b>%(n)s</b> files", ["", ""], []),
    ("each form matches one source", "One file", "<em>%(n)s</em> files", ["Eine Datei", "<em>%(n)s</em> Dateien"],
     []),
    ("one form (ja) like the plural", "One file", "<em>%(n)s</em> files", ["<em>%(n)s</em> ファイル"], []),
    ("matches neither source", "One file", "<em>%(n)s</em> files", ["Eine Datei", "<b>%(n)s</b> Dateien"], [D]),
    ("union of the sources' problems", "<p>One file", "<p>%(n)s files</p>", ["<p>Eine Datei", "<p>%(n)s Dateien"],
     []),
    ("unsafe in one form", "One file", "%(n)s files", ["Eine Datei", "%(n)s <script>x</script>"], [X]),
    ("element of the plural allowed in every form", "One file", "<style>p{}</style>%(n)s",
     ["<style>p{}</style>1", "<style>p{}</style>%(n)s"], []),
    # a dropped or damaged link placeholder is the placeholder checks' finding, not a hijacked link
    ("emptied link in a form", '<a href="%(u)s">One</a> file', '<a href="%(u)s">%(n)s</a> files',
     ['<a href="">Eine</a> Datei', '<a href="%(u)s">%(n)s</a> Dateien'], []),
    ("damaged link placeholder", '<a href="%(u)s">One</a> file', '<a href="%(u)s">%(n)s</a> files',
     ['<a href="％(u)s">Eine</a> Datei', '<a href="%(u)s">%(n)s</a> Dateien'], []),
    ("pyramid bare $name in a link", '<a href="${user-url}">One</a>', '<a href="${user-url}">${n}</a>',
     ['<a href="$user-url">Eine</a>', '<a href="${user-url}">${n}</a>'], []),
    ("the same problem in two forms is one", "One file", "%(n)s files", ["<b>Eine", "<b>%(n)s"], [U]),
    ("different problems in two forms", "One file", "%(n)s files", ["<b>Eine", "<i>%(n)s"], [U, U]),
]


@pytest.mark.parametrize("msgid, msgid_plural, forms, expected", [case[1:] for case in PLURALS],
                         ids=[case[0] for case in PLURALS])
def test_plural_codes(msgid, msgid_plural, forms, expected):
    assert codes(msgid, forms, msgid_plural) == expected


def test_plural_messages_name_the_form():
    assert messages("One <b>file</b>", ["Eine <b>Datei</b>", "<b>%(n)s Dateien"], "<b>%(n)s</b> files") == [
        "msgstr[1]: <b> is never closed"]
    assert messages("One file", ["<b>Eine Datei", "<b>%(n)s Dateien", "<b>%(n)s Datei"], "%(n)s files") == [
        "msgstr[0], msgstr[1], msgstr[2]: <b> is never closed"]


@pytest.mark.parametrize("msgid, msgstr, expected", [
    ("<strong>x</strong>", "<strong>x</ strong>",
     "<strong> is never closed (`</ strong>` is not an end tag to a browser: no space after `<` or `</`)"),
    ('<a href="%(u)s">x</a>', '<a href="%(u)s">x< / a>',
     "<a> is never closed (`< / a>` is not an end tag to a browser: no space after `<` or `</`)"),
    ("<span>x</span>", "<span/>x",
     "<span> is never closed (`<span/>` opens a <span> in HTML: the slash is ignored on non-void elements)"),
    ("<b>x</b>", "<b>x</b></b>", "</b> closes no open element"),
    ("a<br>b", "a</br>b", "</br>: <br> is a void element and has no end tag (browsers read </br> as another <br>)"),
    ("<b><i>x</i></b>", "<b><i>x</b></i>",
     "misnested tags: </b> closes <b> while <i> inside it is still open"),
    ('<a href="%(u)s">x</a>', '<a href="%(u)s>x</a>',
     "the translation ends inside <a (an unclosed quote or a missing '>'): "
     "in the page it swallows the markup that follows"),
    ("<b>x</b>", "<b>x</b", "the translation ends inside </b (an unclosed quote or a missing '>'): "
     "in the page it swallows the markup that follows"),
    ("<b>x</b>", "<b>x</b> </", "the translation ends inside </ (an unclosed quote or a missing '>'): "
     "in the page it swallows the markup that follows"),
    ("x", "a <!-- b", "the translation ends inside an unclosed comment (`<!--` without `-->`): "
     "in the page it hides the markup that follows"),
    ("x", "<script>alert(1)</script>", "the translation adds <script>, which runs script"),
    ('<img src="%(s)s">', '<img src="%(s)s" onerror="alert(1)">',
     "the translation adds an event handler onerror= on <img> (runs script)"),
    ('<a href="%(u)s">x</a>', '<a href="java&#x09;script:alert(1)">x</a>',
     "the translation adds a javascript: URL in <a href> (runs script or loads inline content)"),
    ('<a href="%(url)s">x</a>', '<a href="https://evil.example/">x</a>',
     'the translation hard-codes the link target of <a href>: "https://evil.example/" where the source has '
     '"%(url)s", which the application supplies (link hijacking)'),
    ('<a href="https://pypi.org/help/">x</a>', '<a href="https://evil.example/">x</a>',
     'the translation changes <a href>: "https://evil.example/" where the source has "https://pypi.org/help/" '
     "(another host: evil.example)"),
    ("<strong>Warning:</strong> see <a href=\"%(u)s\">x</a>", "Achtung: <em>x</em>",
     "the translation's markup differs from the source's: it lacks <a href>, <strong> and adds <em>"),
])
def test_messages(msgid, msgstr, expected):
    assert messages(msgid, msgstr) == [expected]


@pytest.mark.parametrize("value, scheme", [
    ("javascript:alert(1)", "javascript"),
    ("JaVaScRiPt:x", "javascript"),
    ("  \x01\x1fjavascript:x", "javascript"),
    ("java\tscr\nipt:x", "javascript"),
    ("java\x0bscript:x", None),  # vertical tab is removed only at the ends
    ("java\ufffdscript:x", None),  # what a NUL becomes
    ("https://pypi.org/javascript:x", "https"),
    ("/path?next=javascript:x", None),
    ("%(url)s", None),
    ("{url}", None),
    ("data:text/html,x", "data"),
])
def test_url_scheme(value, scheme):
    assert url_scheme(value) == scheme


def test_tokenizer_reads_like_a_browser():
    assert list(markup._SpecTokenizer("< / a>")) == [("error", "expected-tag-name", None)]
    assert list(markup._SpecTokenizer("</ strong>")) == [
        ("error", "expected-closing-tag-but-got-char", None), ("comment", " strong")]
    assert [t for t in markup._SpecTokenizer('<A HREF="%(u)s">x</A>') if t[0] != "error"] == [
        ("start", "a", {"href": "%(u)s"}, False), ("end", "a")]


def test_text_without_lt_is_not_tokenized():
    assert analyze("AT&T &foo; no markup") is markup.EMPTY


def test_source_analysis_is_cached():
    markup.analyze_source.cache_clear()
    for locale in range(40):
        list(check(Entry('<a href="%(href)s">Learn more</a>', f'<a href="%(href)s">{locale}</a>')))
    info = markup.analyze_source.cache_info()
    assert (info.misses, info.hits) == (1, 39)


def test_header_is_skipped():
    assert codes("", "Last-Translator: FULL NAME <EMAIL@ADDRESS>\n") == []


def test_accepts_source_flags():
    assert list(check(Entry("<b>x</b>", "<b>x"), ["python-format"]))[0].code == U


def test_codes_are_rules():
    assert {U, X, D} <= RULES.keys()
    assert (RULES[U].severity, RULES[X].severity, RULES[D].severity) == ("error", "error", "warning")


MARKUP_BITS = ["<", ">", "</", "/", "a", "b", "br", "script", "svg", "textarea", '"', "'", "=", " ", "&", "#x6a;",
               "<!--", "-->", "%(u)s", "{u}", "href", "onclick", "style", "javascript:", "\x00", "\n", "x"]


@given(st.lists(st.sampled_from(MARKUP_BITS), max_size=30).map("".join),
       st.lists(st.sampled_from(MARKUP_BITS), max_size=30).map("".join))
@settings(max_examples=300, deadline=None)
def test_any_input_is_checked_and_a_copy_of_the_source_passes(source, translation):
    source = source or "x"
    for problem in check(Entry(source, translation)):
        assert problem.code in (U, X, D)
    assert codes(source, source) == []
    assert codes(source, [source, source], source + "s") == []
