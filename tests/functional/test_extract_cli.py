"""``i18n-tool extract`` end to end, through the click command."""

import os
import re
import textwrap

import pytest
from click.testing import CliRunner

from i18n_tool.catalog import pot
from i18n_tool.cli import cli

BABEL_CFG = """\
[python: **.py]
[jinja2: **/templates/**.html]
[jinja2: **/templates/email/**.txt]
"""


def write(root, files):
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {
        "babel.cfg": BABEL_CFG,
        "app/templates/index.html": """\
            {# Translators: page heading #}
            <h1>{% trans %}Welcome{% endtrans %}</h1>
            <p>{{ pgettext("menu", "Open") }}</p>
            """,
        "app/templates/email/hello/subject.txt": "{% trans %}Hello from us{% endtrans %}\n",
        "app/templates/email/hello/body.txt": "{% trans name=name %}Dear {{ name }}{% endtrans %}\n",
        "app/templates/email/hello/body.html": "<p>{% trans %}Dear friend{% endtrans %}</p>\n",
        "app/views.py": """\
            from pyramid.i18n import TranslationStringFactory
            _ = TranslationStringFactory("app")

            def view(request):
                return _("Hello ${name}", mapping={"name": request.user})
            """,
    })
    return tmp_path


def run(*args):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result


def extract(*extra):
    return run("extract", "-F", "babel.cfg", "-c", "Translators:", "-o", "messages.pot",
               "--cache-dir", ".cache", *extra, "app")


def messages(path="messages.pot"):
    return {pot.message_key(m): m for m in pot.read(path) if m.id}


def backdate(path):
    text = re.sub(r"POT-Creation-Date: [^\\]*", "POT-Creation-Date: 2001-01-01 00:00+0000", path.read_text())
    path.write_text(text)


def test_extracts_pages_emails_and_python(project):
    result = extract()
    assert result.exit_code == 0, result.stderr
    found = messages()
    assert set(found) == {
        (None, "Welcome"), ("menu", "Open"), (None, "Hello from us"), (None, "Dear %(name)s"),
        (None, "Dear friend"), (None, "Hello ${name}"),
    }
    assert found[(None, "Welcome")].auto_comments == ["page heading"]
    assert found[(None, "Welcome")].locations == [("app/templates/index.html", 2)]
    assert found[(None, "Hello ${name}")].flags == {"pyramid-format"}
    assert "python-format" in found[(None, "Dear %(name)s")].flags


def test_second_run_is_served_from_cache_and_writes_nothing(project):
    assert extract().exit_code == 0
    before = os.stat("messages.pot").st_mtime_ns
    result = extract()
    assert result.exit_code == 0
    assert "5 cached" in result.stderr
    assert "unchanged" in result.stderr
    assert os.stat("messages.pot").st_mtime_ns == before


def test_changed_file_is_extracted_again(project):
    extract()
    (project / "app/templates/index.html").write_text("{% trans %}Welcome back{% endtrans %}")
    result = extract()
    assert "4 cached" in result.stderr
    assert (None, "Welcome back") in messages()
    assert (None, "Welcome") not in messages()


def test_creation_date_kept_when_only_locations_move(project):
    extract("--no-cache")
    template = project / "messages.pot"
    backdate(template)
    (project / "app/templates/index.html").write_text(
        "\n\n" + (project / "app/templates/index.html").read_text())
    extract("--no-cache")
    text = template.read_text()
    assert "POT-Creation-Date: 2001-01-01 00:00+0000" in text
    assert "app/templates/index.html:4" in text


def test_creation_date_renewed_when_messages_change(project):
    extract()
    template = project / "messages.pot"
    backdate(template)
    (project / "app/templates/index.html").write_text("{% trans %}New text{% endtrans %}")
    extract()
    assert "2001-01-01" not in template.read_text()


def test_broken_old_template_is_replaced(project):
    (project / "messages.pot").write_text('msgid "unterminated\n')
    assert extract().exit_code == 0
    assert (None, "Welcome") in messages()


def test_check_lists_added_and_removed_messages_with_context(project):
    extract()
    (project / "app/templates/index.html").write_text(
        '{{ pgettext("menu", "Close") }} {% trans %}Welcome{% endtrans %}')
    before = (project / "messages.pot").read_bytes()
    result = extract("--check")
    assert result.exit_code == 1
    assert "+ [menu] 'Close'" in result.stdout
    assert "- [menu] 'Open'" in result.stdout
    assert (project / "messages.pot").read_bytes() == before


def test_check_passes_when_up_to_date(project):
    extract()
    result = extract("--check")
    assert result.exit_code == 0, result.stdout
    assert "up to date" in result.stderr


def test_template_syntax_error_reported_and_others_extracted(project):
    write(project, {"app/templates/broken.html": "<p>\n{% trans %}Hi {{ user.name }}{% endtrans %}\n"})
    result = extract()
    assert result.exit_code == 1
    assert "app/templates/broken.html:2: error:" in result.stderr
    assert "app/templates/broken.html:2: warning: only plain names" in result.stderr
    assert (None, "Welcome") in messages()


def test_non_utf8_template_is_exit_2_and_output_untouched(project):
    extract()
    before = (project / "messages.pot").read_bytes()
    write(project, {"app/templates/latin1.html": "<p>\n{% trans %}Caf\xe9{% endtrans %}".encode("latin-1")})
    result = extract("--no-cache")
    assert result.exit_code == 2
    assert "app/templates/latin1.html:2:15: error: not valid utf-8 (byte 0xe9)" in result.stderr
    assert (project / "messages.pot").read_bytes() == before


def test_unreadable_file_is_exit_2(project):
    # a dangling link is listed by the walk but cannot be opened, even by root
    os.symlink("nowhere.html", project / "app/templates/dangling.html")
    result = run("extract", "-F", "babel.cfg", "-o", "out.pot", "--no-cache", "app")
    assert result.exit_code == 2
    assert "app/templates/dangling.html: error: cannot read: No such file or directory" in result.stderr
    assert not (project / "out.pot").exists()


def test_missing_source_dir_is_exit_2(project):
    result = run("extract", "-F", "babel.cfg", "-o", "out.pot", "nowhere")
    assert result.exit_code == 2
    assert result.stderr.strip() == "nowhere: error: source path does not exist"
    assert not (project / "out.pot").exists()


def test_mapping_rule_with_unknown_method_matching_a_file_is_exit_2_with_line(project):
    write(project, {"bad.cfg": "[python: **.py]\n\n[jinja: **.html]\n"})
    result = run("extract", "-F", "bad.cfg", "-o", "out.pot", "app")
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    assert first.startswith("bad.cfg:3: error: unknown extraction method 'jinja' (did you mean 'jinja2'?)")
    assert "it matches app/templates/index.html and 1 more" in first
    assert not (project / "out.pot").exists()


def test_mapping_rule_with_unknown_method_matching_nothing_is_a_warning(project):
    write(project, {"old.cfg": "[python: **.py]\n\n[genshi: **/legacy/**.xml]\n"})
    result = run("extract", "-F", "old.cfg", "-o", "out.pot", "app")
    assert result.exit_code == 0, result.stderr
    assert "old.cfg:3: warning: unknown extraction method 'genshi'" in result.stderr
    assert "matches no file" in result.stderr
    assert "Hello ${name}" in (project / "out.pot").read_text()
    assert run("extract", "-F", "old.cfg", "-o", "out.pot", "--strict", "app").exit_code == 1


def test_config_typo_is_exit_2_naming_nearest_key(project):
    write(project, {"pyproject.toml": '[tool.i18n-tool]\nlocales = ["de"]\nsourcs = ["app"]\n'})
    result = run("extract")
    assert result.exit_code == 2
    assert "pyproject.toml:3" in result.stderr
    assert "'sourcs'" in result.stderr and "'sources'" in result.stderr


def test_traceback_only_with_debug(project):
    write(project, {"pyproject.toml": '[tool.i18n-tool]\nsourcs = ["app"]\n'})
    assert "Traceback" not in run("extract").stderr
    assert "Traceback" in run("--debug", "extract").stderr


def test_underscore_directories_are_extracted_with_a_note(project):
    write(project, {"app/templates/_partials/nav.html": "{% trans %}Menu{% endtrans %}"})
    result = extract()
    assert (None, "Menu") in messages()
    assert "app/templates/_partials: note: extracted, though pybabel skips" in result.stderr


def test_unmapped_email_template_is_a_warning(project):
    write(project, {"babel.cfg": "[jinja2: **/templates/**.html]\n"})
    result = extract()
    assert "app/templates/email/hello/subject.txt: warning: looks like an email template" in result.stderr


def test_config_mode_writes_every_domain(project):
    write(project, {"pyproject.toml": """\
        [tool.i18n-tool]
        sources = ["app"]
        mapping-file = "babel.cfg"
        comment-tags = ["Translators:"]

        [tool.i18n-tool.output]
        locations = "file"
        """})
    result = run("extract")
    assert result.exit_code == 0, result.stderr
    text = (project / "catalogs/messages.pot").read_text()
    assert "#: app/templates/index.html\n" in text
    assert "#. page heading" in text


@pytest.mark.parametrize("options, expected", [
    (["--no-location"], lambda text: "#:" not in text),
    (["--omit-header"], lambda text: 'msgid ""\nmsgstr ""\n"Project' not in text),
    (["--sort-output"], lambda text: text.index('"Dear %(name)s"') < text.index('"Welcome"')),
    (["-w", "10"], lambda text: 'msgid "Hello from us"' not in text and '"Hello "' in text),
    ([], lambda text: 'msgid "Hello from us"' in text),
])
def test_pybabel_output_options(project, options, expected):
    assert extract(*options).exit_code == 0
    assert expected((project / "messages.pot").read_text())


@pytest.mark.parametrize("command", [[], ["init"], ["update"], ["compile"], ["stats"]])
def test_help_and_version_on_every_level(command):
    assert run(*command, "--help").exit_code == 0
    assert run(*command, "-h").output == run(*command, "--help").output  # -h as in pybabel
    result = run(*command, "--version")
    assert result.exit_code == 0
    assert "i18n-tool, version" in result.stdout


@pytest.mark.parametrize("option", ["--version", "--project-version"])
def test_extract_version_takes_the_project_version_as_pybabel(project, option):
    assert run("extract", "--help").exit_code == 0
    assert extract(option, "2.5").exit_code == 0
    assert '"Project-Id-Version: PROJECT 2.5\\n"' in (project / "messages.pot").read_text()


def test_extract_header_options_and_charset(project):
    write(project, {"app/greet.py": '_("Grüße")\n'})
    result = extract("--charset", "latin-1", "--last-translator", "Ana <ana@example.org>",
                     "--header-comment", "# Messages of PROJECT VERSION.", "--project", "shop", "--version", "3")
    assert result.exit_code == 0, result.stderr
    data = (project / "messages.pot").read_bytes()
    assert data.startswith(b"# Messages of shop 3.\n")
    assert b'"Last-Translator: Ana <ana@example.org>\\n"' in data
    assert b"charset=latin-1" in data and "Grüße".encode("latin-1") in data
    assert extract("--charset", "klingon").exit_code == 2


def test_pybabel_spellings_and_input_dirs(project):
    write(project, {"lib/util.py": '_("From lib")\n'})
    result = run("extract", "--mapping", "babel.cfg", "--output", "other.pot", "--keywords", "_l",
                 "--strip-comment-tags", "-c", "Translators:", "--input-dirs", "app, lib/util.py")
    assert result.exit_code == 0, result.stderr
    text = (project / "other.pot").read_text()
    assert "#. page heading" in text and "Hello ${name}" in text and "#: lib/util.py:1" in text
    assert run("extract", "-F", "babel.cfg", "-o", "x.pot", "--input-dirs", "app", "app").exit_code == 2


@pytest.mark.parametrize("extension, expected", [
    ("jinja2.ext.autoescape", "removed in Jinja2 3.0"),
    ("warehouse.utils.html:ClientSideIncludeExtension", "parsed leniently"),
])
def test_missing_jinja_extension_is_a_warning_at_its_mapping_line(project, extension, expected):
    write(project, {
        "babel.cfg": f"[python: **.py]\n\n[jinja2: **/templates/**.html]\nextensions = {extension}\n",
        "app/templates/csi.html": '{% csi "/nav" %}{% trans %}Inside a tag{% endtrans %}{% endcsi %}',
    })
    result = extract()
    assert f"babel.cfg:3: warning: Jinja2 extension '{extension}' cannot be imported" in result.stderr
    assert expected in result.stderr
    if "autoescape" not in extension:
        assert result.exit_code == 0, result.stderr
        assert (None, "Inside a tag") in messages()


def test_check_without_a_template_is_exit_2(project):
    result = extract("--check")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "messages.pot: error: no template to check: run `i18n-tool extract` and commit it")


def test_many_unmapped_email_templates_are_one_warning_with_the_rule_to_add(project):
    write(project, {"babel.cfg": "[jinja2: **/templates/**.html]\n"})
    write(project, {f"app/templates/email/mail{n:02}/{part}": "{% trans %}Hi{% endtrans %}\n"
                    for n in range(40) for part in ("subject.txt", "body.txt")})
    result = extract()
    lines = [line for line in result.stderr.splitlines() if "unmapped-email-template" in line]
    assert len(lines) == 1
    assert lines[0].startswith("warning: 82 files look like email templates")
    assert "app/templates/email/hello/body.txt, app/templates/email/hello/subject.txt, " \
           "app/templates/email/mail00/body.txt, …" in lines[0]
    assert "add the mapping rule [jinja2: **/templates/email/**.txt]" in lines[0]
    assert "--verbose" in lines[0]
    verbose = extract("--verbose")
    listed = [line for line in verbose.stderr.splitlines() if "unmapped-email-template" in line]
    assert len(listed) == 82
    assert listed[0].startswith("app/templates/email/hello/body.txt: warning: looks like an email template")
