"""i18n_tool.config: the three config file kinds, discovery, mapping files and validation errors."""

import textwrap
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS

from i18n_tool.config import (
    DEFAULT_RULES,
    Output,
    Rule,
    find_config,
    load_config,
    load_mapping_file,
    unknown_method,
)
from i18n_tool.errors import InputError


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def error_of(path, **kwargs) -> InputError:
    with pytest.raises(InputError) as info:
        load_config(path, **kwargs)
    return info.value


# --- the three file kinds ----------------------------------------------------------------------------


def test_pyproject_table(tmp_path):
    config_path = write(
        tmp_path / "pyproject.toml",
        """
        [project]
        name = "companion"

        [tool.i18n-tool]
        catalogs = "locale"
        source-locale = "en_GB"
        locales = ["de", "fr", "ar"]
        sources = ["companion", "lib/helpers.py"]
        comment-tags = ["NOTE:", "Translators:"]
        strip-comment-tags = true
        ignore-dirs = ["node_modules", ".*"]
        pot = "locale/app.pot"

        [tool.i18n-tool.output]
        width = 100
        sort = "msgid"
        locations = "file"
        omit-header = true
        project = "companion"
        version = "1.0"
        copyright-holder = "ACME"
        msgid-bugs-address = "i18n@example.org"
        """,
    )
    config = load_config(config_path)
    assert config.root == tmp_path
    assert config.path == config_path
    assert config.catalogs == tmp_path / "locale"
    assert config.source_locale == "en_GB"
    assert config.locales == ("de", "fr", "ar")
    assert config.comment_tags == ("NOTE:", "Translators:")
    assert config.strip_comment_tags is True
    assert config.ignore_dirs == ("node_modules", ".*")
    assert list(config.domains) == ["messages"]
    messages = config.domains["messages"]
    assert messages.sources == (tmp_path / "companion", tmp_path / "lib" / "helpers.py")
    assert messages.rules == DEFAULT_RULES
    assert messages.pot == tmp_path / "locale" / "app.pot"
    assert config.output == Output(
        width=100,
        sort="msgid",
        locations="file",
        omit_header=True,
        project="companion",
        version="1.0",
        copyright_holder="ACME",
        msgid_bugs_address="i18n@example.org",
    )


def test_standalone_toml_is_the_table_itself(tmp_path):
    config_path = write(
        tmp_path / "i18n-tool.toml",
        """
        locales = ["de"]

        [output]
        wrap = false
        """,
    )
    config = load_config(config_path)
    assert config.locales == ("de",)
    assert config.output.width is None
    assert config.domains["messages"].sources == (tmp_path,)
    assert config.domains["messages"].pot == tmp_path / "catalogs" / "messages.pot"


def test_setup_cfg_sections_lists_and_booleans(tmp_path):
    write(tmp_path / "babel-email.cfg", "[jinja2: **.txt]\n")
    config_path = write(
        tmp_path / "setup.cfg",
        """
        [metadata]
        name = companion

        [i18n-tool]
        locales = de, fr
            pt-BR
        sources =
            companion
            lib
        keywords = _l lazy_ngettext:1,2
        strip-comment-tags = yes
        no-default-keywords = 0

        [i18n-tool.output]
        width = 0
        omit-header = true
        sort = file

        [i18n-tool.domains.emails]
        sources = companion/templates/email
        mapping-file = babel-email.cfg
        """,
    )
    config = load_config(config_path)
    assert config.locales == ("de", "fr", "pt_BR")
    assert config.domains["messages"].sources == (tmp_path / "companion", tmp_path / "lib")
    assert config.keywords["_l"] is None
    assert config.keywords["lazy_ngettext"] == (1, 2)
    assert config.keywords["gettext"] is None  # defaults kept
    assert config.strip_comment_tags is True
    assert config.output.width is None
    assert config.output.omit_header is True
    assert config.output.sort == "file"
    emails = config.domains["emails"]
    assert emails.sources == (tmp_path / "companion" / "templates" / "email",)
    assert [(r.pattern, r.method) for r in emails.rules] == [("**.txt", "jinja2")]


def test_setup_cfg_has_no_inline_mapping(tmp_path):
    config_path = write(tmp_path / "setup.cfg", "[i18n-tool]\nlocales = de\nmapping = python: **.py\n")
    error = error_of(config_path)
    assert error.message == "unknown key 'mapping' in [i18n-tool]"
    assert error.line == 3
    assert error.hint == "did you mean 'mapping-file'?"


def test_setup_cfg_unknown_key_in_subsection(tmp_path):
    config_path = write(
        tmp_path / "setup.cfg", "[i18n-tool]\nlocales = de\n\n[i18n-tool.output]\nsort = msgid\nwidht = 3\n"
    )
    error = error_of(config_path)
    assert (error.message, error.line, error.hint) == (
        "unknown key 'widht' in [i18n-tool.output]",
        6,
        "did you mean 'width'?",
    )


def test_setup_cfg_bad_boolean(tmp_path):
    config_path = write(tmp_path / "setup.cfg", "[i18n-tool]\nstrip-comment-tags = maybe\n")
    error = error_of(config_path)
    assert error.message == "'strip-comment-tags' must be true or false, not str"
    assert error.line == 2


def test_explicit_pyproject_without_table(tmp_path):
    config_path = write(tmp_path / "pyproject.toml", '[tool.i18n_tool]\nlocales = ["de"]\n')
    error = error_of(config_path)
    assert error.message == "no [tool.i18n-tool] table in pyproject.toml"
    assert error.hint == "did you mean 'i18n_tool'?"


# --- discovery and defaults ----------------------------------------------------------------------------


def test_find_config_walks_upward(tmp_path):
    (tmp_path / ".git").mkdir()
    config_path = write(tmp_path / "pyproject.toml", '[tool.i18n-tool]\nlocales = ["de"]\n')
    nested = tmp_path / "companion" / "templates"
    nested.mkdir(parents=True)
    assert find_config(nested) == config_path
    config = load_config(start=nested)
    assert config.path == config_path
    assert config.root == tmp_path
    assert config.locales == ("de",)


def test_find_config_skips_files_without_our_table(tmp_path):
    config_path = write(tmp_path / "setup.cfg", "[i18n-tool]\nlocales = fr\n")
    project = tmp_path / "project"
    write(project / "pyproject.toml", '[project]\nname = "x"\n')
    write(project / "setup.cfg", "[metadata]\nname = x\n")
    assert find_config(project) == config_path


def test_find_config_prefers_standalone_file(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.i18n-tool]\nlocales = ["de"]\n')
    standalone = write(tmp_path / "i18n-tool.toml", 'locales = ["fr"]\n')
    assert find_config(tmp_path) == standalone


def test_find_config_stops_at_git_directory(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.i18n-tool]\nlocales = ["de"]\n')
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "src").mkdir()
    assert find_config(repo / "src") is None


def test_defaults_without_config(tmp_path):
    (tmp_path / ".git").mkdir()
    config = load_config(start=tmp_path)
    assert config.path is None
    assert config.root == tmp_path
    assert config.catalogs == tmp_path / "catalogs"
    assert config.source_locale == "en"
    assert config.locales == ()
    assert config.keywords == DEFAULT_KEYWORDS
    assert config.comment_tags == ("Translators:",)
    assert config.strip_comment_tags is False
    assert config.ignore_dirs == ()
    assert config.output == Output()
    assert list(config.domains) == ["messages"]
    messages = config.domains["messages"]
    assert messages.sources == (tmp_path,)
    assert messages.rules == DEFAULT_RULES
    assert [(r.pattern, r.method) for r in DEFAULT_RULES] == [
        ("**.py", "python"),
        ("**/templates/**.html", "jinja2"),
        ("**/templates/**.txt", "jinja2"),
    ]


# --- mappings ---------------------------------------------------------------------------------------------


def test_inline_mapping_converts_options(tmp_path):
    config_path = write(
        tmp_path / "pyproject.toml",
        """
        [tool.i18n-tool]
        locales = ["de"]

        [[tool.i18n-tool.mapping]]
        pattern = "**.py"
        method = "python"

        [[tool.i18n-tool.mapping]]
        pattern = "**/templates/**.html"
        method = "jinja2"
        options = { extensions = ["jinja2.ext.do", "jinja2.ext.loopcontrols"], trimmed = true, silent = false, n = 3 }

        [[tool.i18n-tool.mapping]]
        pattern = ["**/email/**.txt", "**/email/**.html"]
        method = "jinja2"
        options = { keywords = "_l ngettext:1,2", add_comments = ["NOTE to translators:"] }
        """,
    )
    rules = load_config(config_path).domains["messages"].rules
    assert rules == (
        Rule("**.py", "python", {}, str(config_path), 4),
        Rule(
            "**/templates/**.html",
            "jinja2",
            {"extensions": "jinja2.ext.do,jinja2.ext.loopcontrols", "trimmed": "true", "silent": "false", "n": "3"},
            str(config_path),
            8,
        ),
        Rule(
            "**/email/**.txt",
            "jinja2",
            {"keywords": {"_l": None, "ngettext": (1, 2)}, "add_comments": ["NOTE to translators:"]},
            str(config_path),
            13,
        ),
        Rule(
            "**/email/**.html",
            "jinja2",
            {"keywords": {"_l": None, "ngettext": (1, 2)}, "add_comments": ["NOTE to translators:"]},
            str(config_path),
            13,
        ),
    )


def test_inline_mapping_unknown_method_points_at_method_key(tmp_path):
    config_path = write(
        tmp_path / "i18n-tool.toml",
        """
        [[mapping]]
        pattern = "**.py"
        method = "python"

        [[mapping]]
        pattern = "**.html"
        method = "jinja"
        """,
    )
    error = error_of(config_path)
    assert error.message == "unknown extraction method 'jinja'"
    assert error.line == 7
    assert error.hint == "did you mean 'jinja2'?"


def test_inline_mapping_entry_needs_method(tmp_path):
    config_path = write(tmp_path / "i18n-tool.toml", '[[mapping]]\npattern = "**.py"\n')
    error = error_of(config_path)
    assert (error.message, error.line) == ("mapping entry has no 'method'", 1)


def test_inline_mapping_unknown_entry_key(tmp_path):
    config_path = write(tmp_path / "i18n-tool.toml", '[[mapping]]\npattern = "**.py"\nmethd = "python"\n')
    error = error_of(config_path)
    assert error.message == "unknown key 'methd' in [[mapping]]"
    assert (error.line, error.hint) == (3, "did you mean 'method'?")


def test_mapping_file_cfg_with_extractor_aliases(tmp_path):
    mapping = write(
        tmp_path / "babel.cfg",
        """
        [extractors]
        custom = i18n_tool.extractors.jinja_templates:extract

        # Python sources
        [python: **.py]

        [custom: **/templates/**.html]
        extensions = jinja2.ext.do
        keywords = _l lazy_ngettext:1,2
        add_comments = NOTE:, Translators:

        [ignore: **/node_modules/**]
        """,
    )
    rules = load_mapping_file(mapping)
    assert rules == (
        Rule("**.py", "python", {}, str(mapping), 5),
        Rule(
            "**/templates/**.html",
            "i18n_tool.extractors.jinja_templates:extract",
            {
                "extensions": "jinja2.ext.do",
                "keywords": {"_l": None, "lazy_ngettext": (1, 2)},
                "add_comments": ["NOTE:,", "Translators:"],  # whitespace-split, exactly as Babel does
            },
            str(mapping),
            7,
        ),
        Rule("**/node_modules/**", "ignore", {}, str(mapping), 12),
    )


def test_mapping_file_cfg_matches_babel(tmp_path):
    from babel.messages.frontend import parse_mapping_cfg

    mapping = write(
        tmp_path / "babel.cfg",
        "[extractors]\nj = i18n_tool.extractors.jinja_templates:extract\n[python: **.py]\n[j: **.html]\nsilent = false\n",
    )
    with mapping.open() as handle:
        method_map, options_map = parse_mapping_cfg(handle, str(mapping))
    rules = load_mapping_file(mapping)
    assert [(r.pattern, r.method) for r in rules] == method_map
    assert {r.pattern: r.options for r in rules} == options_map


def test_mapping_file_cfg_unknown_method_is_read_with_its_line(tmp_path):
    """pybabel loads a method only for a file its rule matches: extraction judges it (test_extract_engine)."""
    mapping = write(tmp_path / "babel.cfg", "[python: **.py]\n\n[jinja: **/templates/**.html]\ntrimmed = true\n")
    rules = load_mapping_file(mapping)
    assert rules[1] == Rule("**/templates/**.html", "jinja", {"trimmed": "true"}, str(mapping), 3)
    assert unknown_method("jinja") == ("unknown extraction method 'jinja'", "did you mean 'jinja2'?")
    assert unknown_method("python") is None and unknown_method("pkg.module:function") is None


def test_unknown_method_without_close_match_lists_known():
    message, hint = unknown_method("zzzzzz")
    assert "python" in hint and "jinja2" in hint
    assert hint.endswith("or module:function")


def test_mapping_file_cfg_section_without_pattern(tmp_path):
    mapping = write(tmp_path / "babel.cfg", "[python: **.py]\n[python]\n")
    with pytest.raises(InputError) as info:
        load_mapping_file(mapping)
    assert (info.value.message, info.value.line) == ("section [python] is not [method: pattern]", 2)


def test_mapping_file_cfg_syntax_error(tmp_path):
    mapping = write(tmp_path / "babel.cfg", "[python: **.py]\nkeywords = _\nkeywords = gettext\n")
    with pytest.raises(InputError) as info:
        load_mapping_file(mapping)
    assert info.value.message == "'keywords' appears twice in [python: **.py]"
    assert info.value.line == 3


def test_mapping_file_toml_standalone(tmp_path):
    mapping = write(
        tmp_path / "babel.toml",
        """
        [extractors]
        custom = "i18n_tool.extractors.jinja_templates:extract"

        [[mappings]]
        method = "python"
        pattern = "**.py"
        keywords = ["_l", "lazy_ngettext:1,2"]

        [[mappings]]
        method = "custom"
        pattern = ["**.html", "**.txt"]
        trimmed = true
        """,
    )
    assert load_mapping_file(mapping) == (
        Rule("**.py", "python", {"keywords": {"_l": None, "lazy_ngettext": (1, 2)}}, str(mapping), 4),
        Rule("**.html", "i18n_tool.extractors.jinja_templates:extract", {"trimmed": "true"}, str(mapping), 9),
        Rule("**.txt", "i18n_tool.extractors.jinja_templates:extract", {"trimmed": "true"}, str(mapping), 9),
    )


def test_mapping_file_pyproject_toml(tmp_path):
    mapping = write(
        tmp_path / "sub" / "pyproject.toml",
        """
        [project]
        name = "x"

        [[tool.babel.mappings]]
        method = "jinja2"
        pattern = "**.html"

        [[tool.babel.mappings]]
        method = "jinj2"
        pattern = "**.txt"
        """,
    )
    rules = load_mapping_file(mapping)
    assert [(rule.method, rule.line) for rule in rules] == [("jinja2", 4), ("jinj2", 8)]


def test_mapping_file_toml_syntax_error(tmp_path):
    mapping = write(tmp_path / "babel.toml", '[[mappings]]\nmethod = "python"\npattern = \n')
    with pytest.raises(InputError) as info:
        load_mapping_file(mapping)
    assert info.value.message == "invalid TOML: Invalid value"
    assert (info.value.line, info.value.col) == (3, 11)


def test_config_with_mapping_file(tmp_path):
    mapping = write(tmp_path / "babel.toml", '[[mappings]]\nmethod = "jinja2"\npattern = "**.html"\n')
    config_path = write(tmp_path / "i18n-tool.toml", 'mapping-file = "babel.toml"\n')
    assert load_config(config_path).domains["messages"].rules == (Rule("**.html", "jinja2", {}, str(mapping), 1),)


def test_missing_mapping_file(tmp_path):
    config_path = write(tmp_path / "pyproject.toml", '[tool.i18n-tool]\nlocales = ["de"]\nmapping-file = "babel.cfg"\n')
    error = error_of(config_path)
    assert (error.message, error.path, error.line) == ("mapping file 'babel.cfg' does not exist", config_path, 3)


def test_mapping_and_mapping_file_together(tmp_path):
    write(tmp_path / "babel.cfg", "[python: **.py]\n")
    config_path = write(
        tmp_path / "pyproject.toml",
        """
        [tool.i18n-tool]
        mapping-file = "babel.cfg"

        [[tool.i18n-tool.mapping]]
        pattern = "**.py"
        method = "python"
        """,
    )
    error = error_of(config_path)
    assert error.message == "'mapping' and 'mapping-file' cannot both be given"
    assert error.line == 2


# --- validation ---------------------------------------------------------------------------------------


def test_unknown_key_names_nearest_key_and_line(tmp_path):
    config_path = write(
        tmp_path / "pyproject.toml",
        """
        [project]
        name = "companion"
        locales = "not ours"

        [tool.i18n-tool]
        catalogs = "catalogs"
        localse = ["de"]
        """,
    )
    error = error_of(config_path)
    assert error.message == "unknown key 'localse' in [tool.i18n-tool]"
    assert (error.path, error.line, error.hint) == (config_path, 7, "did you mean 'locales'?")
    assert str(error) == (
        f"{config_path}:7: error: unknown key 'localse' in [tool.i18n-tool] (did you mean 'locales'?)"
    )


def test_unknown_key_without_close_match_lists_valid_keys(tmp_path):
    config_path = write(tmp_path / "i18n-tool.toml", "zzz = 1\n")
    error = error_of(config_path)
    assert error.message == "unknown key 'zzz' in i18n-tool.toml"
    assert error.hint.startswith("valid keys: catalogs, source-locale, locales, sources, mapping,")


def test_nested_unknown_key_in_output(tmp_path):
    config_path = write(
        tmp_path / "pyproject.toml",
        """
        [tool.i18n-tool]
        locales = ["de"]

        [tool.i18n-tool.output]
        width = 80
        omit-headers = true
        """,
    )
    error = error_of(config_path)
    assert error.message == "unknown key 'omit-headers' in [tool.i18n-tool.output]"
    assert (error.line, error.hint) == (6, "did you mean 'omit-header'?")


def test_unknown_key_in_inline_table_points_at_the_table(tmp_path):
    config_path = write(tmp_path / "pyproject.toml", '[tool.i18n-tool]\n\noutput = { sortt = "msgid" }\n')
    error = error_of(config_path)
    assert error.message == "unknown key 'sortt' in [tool.i18n-tool.output]"
    assert (error.line, error.hint) == (3, "did you mean 'sort'?")


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('sort = "alpha"', "'sort' must be one of none, msgid, file, not 'alpha'"),
        ("sort = 1", "'sort' must be one of none, msgid, file, not 1"),
        ('locations = "line"', "'locations' must be one of full, file, none, not 'line'"),
        ("width = -1", "'width' must be a whole number >= 0"),
        ("width = 7.5", "'width' must be a whole number >= 0"),
        ('width = "76"', "'width' must be a whole number >= 0"),
        ("width = true", "'width' must be a whole number >= 0"),
        ('wrap = "no"', "'wrap' must be true or false, not str"),
        ("project = 3", "'project' must be a string, not int"),
    ],
)
def test_bad_output_values(tmp_path, setting, message):
    config_path = write(tmp_path / "pyproject.toml", f"[tool.i18n-tool.output]\n{setting}\n")
    error = error_of(config_path)
    assert (error.message, error.line) == (message, 2)


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("locales = 3", "'locales' must be a list of strings, not int"),
        ('locales = "de"', "'locales' must be a list of strings, not str"),
        ('locales = ["de", 3]', "'locales' must be a list of strings, but has a int item 3"),
        ('sources = { a = "b" }', "'sources' must be a list of strings, not table"),
        ("catalogs = false", "'catalogs' must be a string, not bool"),
        ('no-default-keywords = "yes"', "'no-default-keywords' must be true or false, not str"),
        ("output = 3", "'output' must be a table, not int"),
        ('mapping = "babel.cfg"', "'mapping' must be a list of tables, not str"),
        ('locales = ["xx_QQ"]', "'locales': 'xx_QQ' is not a locale (Babel knows no such locale)"),
        ('locales = ["de DE"]', "'locales': 'de DE' is not a locale identifier"),
        ('locales = ["de", "de_DE", "de"]', "'locales': 'de' is listed twice"),
        ('source-locale = "klingon"', "'source-locale': 'klingon' is not a locale (Babel knows no such locale)"),
        ('keywords = ["_l", "f:x"]', "'keywords': bad keyword spec 'f:x'"),
        ('keywords = ["f:1,"]', "'keywords': bad keyword spec 'f:1,'"),
        ('keywords = [":1"]', "'keywords': bad keyword spec ':1'"),
    ],
)
def test_bad_top_level_values(tmp_path, setting, message):
    config_path = write(tmp_path / "pyproject.toml", f'[project]\nname = "x"\n\n[tool.i18n-tool]\n{setting}\n')
    error = error_of(config_path)
    assert (error.message, error.path, error.line) == (message, config_path, 5)


def test_bad_keyword_spec_in_mapping_options(tmp_path):
    config_path = write(
        tmp_path / "i18n-tool.toml",
        '[[mapping]]\npattern = "**.py"\nmethod = "python"\noptions = { keywords = "_ f:1:2" }\n',
    )
    error = error_of(config_path)
    assert (error.message, error.line) == ("'keywords': bad keyword spec 'f:1:2'", 4)


def test_locale_normalisation(tmp_path):
    config_path = write(
        tmp_path / "i18n-tool.toml", 'source-locale = "en-US"\nlocales = ["pt-BR", "zh_hant_tw", "de"]\n'
    )
    config = load_config(config_path)
    assert config.source_locale == "en_US"
    assert config.locales == ("pt_BR", "zh_Hant_TW", "de")


def test_toml_syntax_error_has_line_and_column(tmp_path):
    config_path = write(tmp_path / "pyproject.toml", '[tool.i18n-tool]\nlocales = ["de"\nsources = []\n')
    error = error_of(config_path)
    assert error.message.startswith("invalid TOML: ")
    assert (error.path, error.line, error.col) == (config_path, 3, 1)


def test_unknown_config_file_kind(tmp_path):
    config_path = write(tmp_path / "i18n.json", "{}")
    assert error_of(config_path).message == "unknown kind of config file"


# --- keywords -----------------------------------------------------------------------------------------


def test_keywords_are_added_to_the_defaults(tmp_path):
    config_path = write(tmp_path / "i18n-tool.toml", 'keywords = ["_l", "lazy_ngettext:1,2", "pgettext:1c,2,2t"]\n')
    keywords = load_config(config_path).keywords
    assert keywords == {
        **DEFAULT_KEYWORDS,
        "_l": None,
        "lazy_ngettext": (1, 2),
        "pgettext": {2: ((1, "c"), 2)},
    }


def test_no_default_keywords(tmp_path):
    config_path = write(tmp_path / "i18n-tool.toml", 'no-default-keywords = true\nkeywords = ["_l"]\n')
    assert load_config(config_path).keywords == {"_l": None}


# --- domains ------------------------------------------------------------------------------------------


def test_additional_domains(tmp_path):
    write(tmp_path / "babel-email.cfg", "[jinja2: **.txt]\n")
    config_path = write(
        tmp_path / "pyproject.toml",
        """
        [tool.i18n-tool]
        catalogs = "locale"
        sources = ["companion"]

        [tool.i18n-tool.domains.emails]
        sources = ["companion/templates/email"]
        mapping-file = "babel-email.cfg"

        [tool.i18n-tool.domains.admin]
        sources = ["admin"]
        pot = "admin/admin.pot"
        [[tool.i18n-tool.domains.admin.mapping]]
        pattern = "**.html"
        method = "jinja2"
        """,
    )
    config = load_config(config_path)
    assert list(config.domains) == ["messages", "emails", "admin"]
    assert config.domains["messages"].sources == (tmp_path / "companion",)
    emails = config.domains["emails"]
    assert emails.sources == (tmp_path / "companion" / "templates" / "email",)
    assert emails.rules == (Rule("**.txt", "jinja2", {}, str(tmp_path / "babel-email.cfg"), 1),)
    assert emails.pot == tmp_path / "locale" / "emails.pot"
    admin = config.domains["admin"]
    assert admin.pot == tmp_path / "admin" / "admin.pot"
    assert admin.rules == (Rule("**.html", "jinja2", {}, str(config_path), 12),)


def test_explicit_messages_domain(tmp_path):
    config_path = write(
        tmp_path / "i18n-tool.toml",
        """
        locales = ["de"]

        [domains.emails]
        sources = ["mail"]

        [domains.messages]
        sources = ["web"]
        """,
    )
    config = load_config(config_path)
    assert list(config.domains) == ["messages", "emails"]
    assert config.domains["messages"].sources == (tmp_path / "web",)


def test_top_level_sources_conflict_with_messages_domain(tmp_path):
    config_path = write(
        tmp_path / "pyproject.toml",
        """
        [tool.i18n-tool]
        sources = ["web"]

        [tool.i18n-tool.domains.messages]
        sources = ["web"]
        """,
    )
    error = error_of(config_path)
    assert error.message == "'sources' cannot be used together with [tool.i18n-tool.domains.messages]"
    assert (error.line, error.hint) == (2, "move it into that table")


def test_unknown_key_in_domain(tmp_path):
    config_path = write(tmp_path / "pyproject.toml", '[tool.i18n-tool.domains.emails]\nsource = ["mail"]\n')
    error = error_of(config_path)
    assert error.message == "unknown key 'source' in [tool.i18n-tool.domains.emails]"
    assert (error.line, error.hint) == (2, "did you mean 'sources'?")


def test_domain_must_be_a_table(tmp_path):
    config_path = write(tmp_path / "i18n-tool.toml", "[domains]\nemails = 3\n")
    error = error_of(config_path)
    assert (error.message, error.line) == ("'emails' must be a table, not int", 2)


def test_pyproject_table_must_be_a_table(tmp_path):
    config_path = write(tmp_path / "pyproject.toml", '[tool]\ni18n-tool = "yes"\n')
    error = error_of(config_path)
    assert (error.message, error.line) == ("'tool.i18n-tool' must be a table, not str", 2)


# --- [tool.i18n-tool.check] and pseudo-locales ---------------------------------------------------------


def test_check_settings_and_pseudo_locales(tmp_path):
    path = write(tmp_path / "i18n-tool.toml", """
        locales = ["de", "fr"]
        pseudo-locales = ["en_XA"]

        [check]
        min-coverage = { de = 100, "*" = 80.5 }
        required-locales = ["de"]
        obsolete-limit = 10
        """)
    config = load_config(path)
    assert config.pseudo_locales == ("en_XA",)
    assert config.checks.required_locales == ("de",)
    assert config.checks.obsolete_limit == 10
    assert (config.checks.coverage_for("de"), config.checks.coverage_for("fr")) == (100.0, 80.5)


def test_single_min_coverage_applies_to_every_locale(tmp_path):
    path = write(tmp_path / "i18n-tool.toml", 'locales = ["de"]\n[check]\nmin-coverage = 90\n')
    assert load_config(path).checks.coverage_for("ja") == 90.0


@pytest.mark.parametrize("text, line, message", [
    ('locales = ["de"]\n[check]\nmin-coverage = 120\n', 3, "'min-coverage' must be a percentage from 0 to 100"),
    ('locales = ["de"]\n[check]\nrequired-locales = ["fr"]\n', 3, "required locale 'fr' is not in 'locales'"),
    ('locales = ["de"]\n[check]\nmin-coverag = 1\n', 3, "unknown key 'min-coverag'"),
    ('pseudo-locales = ["en_XX"]\n', 1, "'en_XX' is not a pseudo-locale"),
])
def test_check_settings_errors(tmp_path, text, line, message):
    error = error_of(write(tmp_path / "i18n-tool.toml", text))
    assert error.line == line
    assert message in error.message
