"""i18n_tool.sync.txconfig and i18n_tool.sync.credentials: .tx/config, ~/.transifexrc, TX_TOKEN."""

import copy
import os
import pickle
import textwrap
from pathlib import Path

import pytest

from i18n_tool.config import load_config
from i18n_tool.errors import InputError
from i18n_tool.sync.credentials import (
    DEFAULT_REST_HOSTNAME,
    Credentials,
    Secret,
    find_credentials,
    find_token,
    rest_hostname,
)
from i18n_tool.sync.txconfig import (
    DEFAULT_HOST,
    TxConfig,
    TxResource,
    find_txconfig,
    read_txconfig,
    render_txconfig,
    txconfig_from,
    write_txconfig,
)

TOKEN = "1/s3cr3t-0123456789abcdef"

# As the Go CLI writes it (go-ini aligns '=' within a section), with a comment added by hand.
CLI_CONFIG = """\
[main]
host     = https://app.transifex.com
lang_map = pt_BR: pt-br, zh_CN: zh-Hans

# The website's own messages
[o:acme:p:website:r:messages]
file_filter  = catalogs/<lang>/LC_MESSAGES/messages.po
source_file  = catalogs/messages.pot
source_lang  = en
type         = PO
minimum_perc = 80
lang_map     = pt_BR: pt, sr@latin: sr_Latn
trans.fr_CA  = catalogs/extra/fr_CA/LC_MESSAGES/messages.po

[o:acme:p:website:r:emails]
file_filter   = catalogs/<lang>/LC_MESSAGES/emails.po
source_file   = catalogs/emails.pot
source_lang   = en
type          = PO
resource_name = Account emails
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def txconfig(tmp_path: Path, text: str) -> Path:
    return write(tmp_path / ".tx" / "config", text)


def error_of(call, *args, **kwargs) -> InputError:
    with pytest.raises(InputError) as info:
        call(*args, **kwargs)
    return info.value


# --- reading .tx/config ---------------------------------------------------------------------------------------


def test_reads_the_cli_config(tmp_path):
    path = write(tmp_path / ".tx" / "config", CLI_CONFIG)
    config = read_txconfig(path)
    assert config.path == path
    assert config.root == tmp_path
    assert config.host == "https://app.transifex.com"
    assert config.lang_map == {"pt_BR": "pt-br", "zh_CN": "zh-Hans"}
    messages, emails = config.resources  # in file order
    assert messages.id == "o:acme:p:website:r:messages"
    assert messages.project_id == "o:acme:p:website"
    assert (messages.organization, messages.project, messages.slug) == ("acme", "website", "messages")
    assert messages.file_filter == "catalogs/<lang>/LC_MESSAGES/messages.po"
    assert messages.source_file == "catalogs/messages.pot"
    assert messages.source_path == tmp_path / "catalogs" / "messages.pot"
    assert messages.source_lang == "en"
    assert messages.type == "PO"
    assert messages.minimum_perc == 80
    assert messages.lang_map == {"pt_BR": "pt", "sr@latin": "sr_Latn"}
    assert messages.overrides == {"fr_CA": "catalogs/extra/fr_CA/LC_MESSAGES/messages.po"}
    assert messages.name is None
    assert messages.line == 6
    assert emails.line == 15
    assert emails.name == "Account emails"
    assert emails.minimum_perc is None
    assert emails.lang_map == {} and emails.overrides == {}


def test_language_codes_go_through_the_lang_maps(tmp_path):
    config = read_txconfig(txconfig(tmp_path, CLI_CONFIG))
    messages, emails = config.resources
    # The resource's entry for pt_BR wins over [main]'s; [main]'s other entries still apply.
    assert messages.effective_lang_map == {"pt_BR": "pt", "sr@latin": "sr_Latn", "zh_CN": "zh-Hans"}
    assert messages.local_language("pt_BR") == "pt"
    assert messages.remote_language("pt") == "pt_BR"
    assert messages.remote_language("pt-br") == "pt-br"  # [main]'s pt_BR entry is overridden here
    assert messages.local_language("zh_CN") == "zh-Hans"
    assert messages.remote_language("sr_Latn") == "sr@latin"
    assert messages.local_language("de") == "de" and messages.remote_language("de") == "de"
    assert emails.local_language("pt_BR") == "pt-br"
    assert emails.remote_language("pt-br") == "pt_BR"


def test_paths_for_languages(tmp_path):
    messages, emails = read_txconfig(txconfig(tmp_path, CLI_CONFIG)).resources
    assert messages.path_for("de") == tmp_path / "catalogs" / "de" / "LC_MESSAGES" / "messages.po"
    assert messages.path_for("fr_CA") == tmp_path / "catalogs" / "extra" / "fr_CA" / "LC_MESSAGES" / "messages.po"
    assert emails.path_for("fr_CA") == tmp_path / "catalogs" / "fr_CA" / "LC_MESSAGES" / "emails.po"
    assert messages.path_for(messages.local_language("pt_BR")) == tmp_path / "catalogs/pt/LC_MESSAGES/messages.po"


@pytest.mark.parametrize("code", ["../../etc", "de/../../x", ".", "..", "", "de fr"])
def test_path_for_refuses_codes_that_leave_the_directory(tmp_path, code):
    (messages, _) = read_txconfig(txconfig(tmp_path, CLI_CONFIG)).resources
    error = error_of(messages.path_for, code)
    assert "cannot be a language code" in str(error)


def test_local_files(tmp_path):
    messages, _ = read_txconfig(txconfig(tmp_path, CLI_CONFIG)).resources
    for code in ("de", "pt", "fr_CA"):
        write(tmp_path / "catalogs" / code / "LC_MESSAGES" / "messages.po", "")
    write(tmp_path / "catalogs/extra/fr_CA/LC_MESSAGES/messages.po", "")
    assert messages.local_files() == {
        "de": tmp_path / "catalogs/de/LC_MESSAGES/messages.po",
        "fr_CA": tmp_path / "catalogs/extra/fr_CA/LC_MESSAGES/messages.po",  # the override wins
        "pt": tmp_path / "catalogs/pt/LC_MESSAGES/messages.po",
    }


def test_defaults_and_the_cli_quirks(tmp_path):
    path = txconfig(tmp_path, """
        [o:acme:p:website:r:messages]
        file_filter = catalogs/<lang>/messages.po   ; a comment, as go-ini reads it
        source_file = `catalogs/messages;v2.pot`
        type = PO
        unknown_key = ignored, as the CLI ignores it
    """)
    config = read_txconfig(tmp_path)  # the project root works too
    assert config.path == path
    assert config.host == DEFAULT_HOST
    assert config.lang_map == {}
    (resource,) = config.resources
    assert resource.file_filter == "catalogs/<lang>/messages.po"
    assert resource.source_file == "catalogs/messages;v2.pot"
    assert resource.source_lang is None and resource.minimum_perc is None
    assert read_txconfig(tmp_path / ".tx") == config


def test_resource_lookup(tmp_path):
    config = read_txconfig(txconfig(tmp_path, CLI_CONFIG))
    assert config.resource("o:acme:p:website:r:emails").slug == "emails"
    assert config.resource("website.emails").slug == "emails"
    assert config.resource("messages").slug == "messages"
    error = error_of(config.resource, "nope")
    assert "resource 'nope' is not in .tx/config" in str(error)
    assert "o:acme:p:website:r:emails" in str(error)


def test_find_txconfig(tmp_path):
    path = txconfig(tmp_path, CLI_CONFIG)
    (tmp_path / "src" / "deep").mkdir(parents=True)
    assert find_txconfig(tmp_path / "src" / "deep") == path
    (tmp_path / "other" / ".git").mkdir(parents=True)
    assert find_txconfig(tmp_path / "other") is None


# --- every problem is one line with the file and the line ------------------------------------------------

RESOURCE = "[o:acme:p:website:r:messages]\n"
GOOD = "file_filter = catalogs/<lang>/messages.po\nsource_file = catalogs/messages.pot\ntype = PO\n"


@pytest.mark.parametrize(
    "text, line, fragment",
    [
        (RESOURCE + GOOD.replace("type = PO", "type = JSON"), 4, "type 'JSON' is not supported"),
        (RESOURCE + GOOD.replace("type = PO", "type = po"), 4, "did you mean 'PO'?"),
        (RESOURCE + GOOD.replace("type = PO\n", ""), 1, "has no 'type'"),
        (RESOURCE + GOOD.replace("file_filter = catalogs/<lang>/messages.po\n", ""), 1, "has no 'file_filter'"),
        (RESOURCE + GOOD.replace("file_filter", "file_filer"), 1, "did you mean 'file_filter' instead of"),
        (RESOURCE + GOOD.replace("source_file = catalogs/messages.pot\n", ""), 1, "has no 'source_file'"),
        (RESOURCE + GOOD.replace("catalogs/messages.pot", ""), 3, "'source_file' is empty"),
        (RESOURCE + GOOD.replace("<lang>", "de"), 2, "has no <lang>"),
        (RESOURCE + GOOD.replace("catalogs/<lang>", "/srv/catalogs/<lang>"), 2, "must be relative to the project"),
        (RESOURCE + GOOD + "minimum_perc = most\n", 5, "minimum_perc must be a whole number from 0 to 100"),
        (RESOURCE + GOOD + "minimum_perc = 101\n", 5, "minimum_perc must be a whole number"),
        (RESOURCE + GOOD + "minimum_perc = -1\n", 5, "minimum_perc must be a whole number"),
        (RESOURCE + GOOD + "minimum_perc = 50.5\n", 5, "minimum_perc must be a whole number"),
        (RESOURCE + GOOD + "lang_map = pt_BR pt-br\n", 5, "lang_map entry 'pt_BR pt-br' is not 'remote: local'"),
        (RESOURCE + GOOD + "lang_map = pt_BR: pt-br, de:\n", 5, "lang_map entry 'de:' is not"),
        (RESOURCE + GOOD + "lang_map = a: b: c\n", 5, "is not 'remote: local'"),
        (RESOURCE + GOOD + "lang_map = pt_BR: pt, pt_PT: pt\n", 5, "maps two Transifex languages to 'pt'"),
        (RESOURCE + GOOD + "lang_map = pt: x, pt: y\n", 5, "maps 'pt' twice"),
        (RESOURCE + GOOD + "lang_map = pt: ../x\n", 5, "'../x' is not a language code"),
        ("[main]\nhost = https://app.transifex.com\nlang_map = pt_BR=pt\n", 3, "is not 'remote: local'"),
        ("[main]\nhost = app.transifex.com\n", 2, "host 'app.transifex.com' is not a URL"),
        (RESOURCE + GOOD + "trans.pt/BR = x.po\n", 5, "'pt/BR' is not a language code"),
        (RESOURCE + GOOD + "trans.de =\n", 5, "'trans.de' has no path"),
        ("[main]\nhost = https://app.transifex.com\n\n[website]\n" + GOOD, 4, "is not a resource id like"),
        ("[o:acme:p:website]\n" + GOOD, 1, "is not a resource id like [o:organization:p:project:r:resource]"),
        ("[o:acme:p:web site:r:messages]\n" + GOOD, 1, "'web site' is not a project slug"),
        ("[website.messages]\n" + GOOD, 1, "run `tx migrate`"),
        ("host = x\n[main]\n", 1, "a key before the first [section]"),
        (RESOURCE + GOOD + RESOURCE + GOOD, 5, "section [o:acme:p:website:r:messages] appears twice"),
        (RESOURCE + GOOD + "type = PO\n", 5, "'type' is set twice"),
        (RESOURCE + GOOD + "just some words\n", 5, "this line is not 'key = value'"),
    ],
)
def test_errors_name_the_file_and_line(tmp_path, text, line, fragment):
    path = txconfig(tmp_path, text)
    error = error_of(read_txconfig, path)
    message = str(error)
    assert error.exit_code == 2
    assert "\n" not in message
    assert message.startswith(f"{path}:{line}: error: ")
    assert fragment in message


def test_legacy_section_points_to_tx_migrate(tmp_path):
    path = txconfig(tmp_path, "[main]\nhost = https://www.transifex.com\n\n[website.messages]\n" + GOOD)
    message = str(error_of(read_txconfig, path))
    assert message.startswith(f"{path}:4: error: [website.messages] is a section of the old Transifex client")
    assert "run `tx migrate`" in message
    assert "[o:ORGANIZATION:p:website:r:messages]" in message


def test_missing_and_unreadable_files(tmp_path):
    message = str(error_of(read_txconfig, tmp_path))
    assert message.startswith(f"{tmp_path / '.tx' / 'config'}: error: no Transifex config here")
    assert "tx init" in message
    path = tmp_path / ".tx" / "config"
    path.parent.mkdir()
    path.write_bytes(b"[main]\nhost = caf\xe9\n")
    assert "not UTF-8 text" in str(error_of(read_txconfig, path))


# --- writing .tx/config ----------------------------------------------------------------------------------------


def test_render_is_the_cli_layout(tmp_path):
    config = read_txconfig(txconfig(tmp_path, CLI_CONFIG))
    assert render_txconfig(config) == """\
[main]
host     = https://app.transifex.com
lang_map = pt_BR: pt-br, zh_CN: zh-Hans

[o:acme:p:website:r:emails]
file_filter   = catalogs/<lang>/LC_MESSAGES/emails.po
source_file   = catalogs/emails.pot
source_lang   = en
type          = PO
resource_name = Account emails

[o:acme:p:website:r:messages]
file_filter  = catalogs/<lang>/LC_MESSAGES/messages.po
source_file  = catalogs/messages.pot
source_lang  = en
type         = PO
minimum_perc = 80
lang_map     = pt_BR: pt, sr@latin: sr_Latn
trans.fr_CA  = catalogs/extra/fr_CA/LC_MESSAGES/messages.po
"""


def test_render_read_round_trip(tmp_path):
    original = read_txconfig(txconfig(tmp_path, CLI_CONFIG))
    text = render_txconfig(original)
    again = read_txconfig(txconfig(tmp_path, text))
    assert sorted(again.resources, key=lambda r: r.id) == sorted(original.resources, key=lambda r: r.id)
    assert (again.host, again.lang_map) == (original.host, original.lang_map)
    assert render_txconfig(again) == text


def test_render_quotes_like_go_ini(tmp_path):
    resource = TxResource("acme", "website", "messages", "catalogs/<lang>/m;1.po", "catalogs/m#1.pot",
                          source_lang="en", name=" padded ")
    config = TxConfig(tmp_path / ".tx" / "config", resources=(resource,))
    text = render_txconfig(config)
    assert "file_filter   = `catalogs/<lang>/m;1.po`" in text
    assert 'resource_name = " padded "' in text
    write_txconfig(config.path, config)
    (again,) = read_txconfig(config.path).resources
    assert (again.file_filter, again.source_file, again.name) == ("catalogs/<lang>/m;1.po", "catalogs/m#1.pot",
                                                                 " padded ")


def test_write_is_atomic_validated_and_never_overwrites_unasked(tmp_path):
    config = read_txconfig(txconfig(tmp_path / "a", CLI_CONFIG))
    path = tmp_path / "b" / ".tx" / "config"
    data = write_txconfig(path, config)
    assert data == render_txconfig(config).encode() == path.read_bytes()
    before = path.stat().st_mtime_ns
    assert write_txconfig(path, config) is None  # same content: untouched
    assert path.stat().st_mtime_ns == before
    changed = TxConfig(config.path, host="https://tx.example.com", lang_map={}, resources=config.resources)
    error = error_of(write_txconfig, path, changed)
    assert "exists" in str(error) and str(error).startswith(f"{path}: error:")
    assert path.read_bytes() == data
    assert write_txconfig(path, changed, overwrite=True) == render_txconfig(changed).encode()
    assert read_txconfig(path).host == "https://tx.example.com"
    assert [p.name for p in path.parent.iterdir()] == ["config"]  # no temp file left behind


def test_an_invalid_config_is_never_written(tmp_path):
    bad = TxResource("acme", "website", "messages", "catalogs/<lang>.json", "catalogs/en.json", type="KEYVALUEJSON")
    path = tmp_path / ".tx" / "config"
    error = error_of(write_txconfig, path, TxConfig(path, resources=(bad,)))
    assert "type 'KEYVALUEJSON' is not supported" in str(error)
    assert not path.exists()


# --- a .tx/config from the i18n-tool config ----------------------------------------------------------------------


def project(tmp_path) -> Path:
    return write(tmp_path / "i18n-tool.toml", """
        catalogs = "locale"
        source-locale = "en"
        locales = ["de", "pt_BR"]
        sources = ["app"]

        [domains.emails]
        sources = ["app/templates/email"]
        pot = "locale/templates/emails.pot"
    """)


def test_txconfig_from_a_config(tmp_path):
    config = load_config(project(tmp_path))
    tx = txconfig_from(config, "acme", "website")
    assert tx.path == tmp_path / ".tx" / "config"
    assert tx.host == DEFAULT_HOST
    assert [r.id for r in tx.resources] == ["o:acme:p:website:r:emails", "o:acme:p:website:r:messages"]
    emails, messages = tx.resources
    assert messages.file_filter == "locale/<lang>/LC_MESSAGES/messages.po"
    assert messages.source_file == "locale/messages.pot"
    assert emails.file_filter == "locale/<lang>/LC_MESSAGES/emails.po"
    assert emails.source_file == "locale/templates/emails.pot"
    assert {r.source_lang for r in tx.resources} == {"en"}
    assert {r.type for r in tx.resources} == {"PO"}
    assert messages.path_for("pt_BR") == tmp_path / "locale" / "pt_BR" / "LC_MESSAGES" / "messages.po"
    assert messages.source_path == config.domains["messages"].pot

    write_txconfig(tx.path, tx)
    back = read_txconfig(tx.path)
    assert back == tx
    assert render_txconfig(back) == render_txconfig(tx) == tx.path.read_text()
    assert render_txconfig(txconfig_from(config, "acme", "website")) == tx.path.read_text()  # deterministic


def test_txconfig_from_with_resource_slugs_and_lang_map(tmp_path):
    config = load_config(project(tmp_path))
    tx = txconfig_from(config, "acme", "website", {"messages": "website-ui"}, lang_map={"pt_BR": "pt-br"},
                       minimum_perc=50)
    assert [r.slug for r in tx.resources] == ["emails", "website-ui"]
    assert tx.lang_map == {"pt_BR": "pt-br"}
    assert all(r.minimum_perc == 50 for r in tx.resources)
    assert tx.resources[1].remote_language("pt-br") == "pt_BR"
    tx = txconfig_from(config, "acme", "website", lambda domain: f"web-{domain}")
    assert [r.slug for r in tx.resources] == ["web-emails", "web-messages"]


@pytest.mark.parametrize(
    "args, fragment",
    [
        (("acme corp", "website"), "'acme corp' is not a Transifex organization slug"),
        (("acme", "web:site"), "'web:site' is not a Transifex project slug"),
        (("acme", "website", {"emails": "e.mails"}), "'e.mails' is not a Transifex resource slug"),
        (("acme", "website", {"emails": "messages"}), "would both be resource 'messages'"),
    ],
)
def test_txconfig_from_errors(tmp_path, args, fragment):
    config = load_config(project(tmp_path))
    assert fragment in str(error_of(txconfig_from, config, *args))


# --- credentials ----------------------------------------------------------------------------------------------


@pytest.fixture
def home(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    return home


def rc(home: Path, text: str, mode: int = 0o600) -> Path:
    path = write(home / ".transifexrc", text)
    path.chmod(mode)
    return path


def test_token_from_the_environment_first(home):
    rc(home, f"[https://app.transifex.com]\nrest_hostname = https://rest.api.transifex.com\ntoken = other-{TOKEN}\n")
    credentials = find_credentials(environ={"HOME": str(home), "TX_TOKEN": TOKEN})
    assert credentials.token.reveal() == TOKEN
    assert credentials.source == "TX_TOKEN"
    assert credentials.rest_hostname == DEFAULT_REST_HOSTNAME


def test_token_from_the_rc_file(home):
    rc(home, f"""
        [https://www.transifex.com]
        token = old-{TOKEN}

        [https://app.transifex.com]
        rest_hostname = http://127.0.0.1:8099
        token         = {TOKEN}
    """)
    environ = {"HOME": str(home)}
    credentials = find_credentials("https://app.transifex.com", environ=environ)
    assert credentials.token.reveal() == TOKEN
    assert credentials.source == "~/.transifexrc [https://app.transifex.com]"
    assert credentials.rest_hostname == "http://127.0.0.1:8099"
    assert credentials.warnings == ()
    assert find_token("https://app.transifex.com", environ=environ).reveal() == TOKEN
    assert rest_hostname("https://app.transifex.com", environ=environ) == "http://127.0.0.1:8099"
    assert find_token("https://www.transifex.com", environ=environ).reveal() == f"old-{TOKEN}"
    assert find_token("https://app.transifex.com/", environ=environ).reveal() == TOKEN


def test_www_and_app_stand_in_for_each_other(home):
    rc(home, f"[https://www.transifex.com]\ntoken = {TOKEN}\n")
    assert find_token("https://app.transifex.com", environ={"HOME": str(home)}).reveal() == TOKEN


def test_an_explicit_rc_path(tmp_path):
    path = rc(tmp_path / "elsewhere", f"[https://app.transifex.com]\ntoken = {TOKEN}\n")
    assert find_token(environ={}, rc_path=path).reveal() == TOKEN


@pytest.mark.parametrize(
    "text, expected",
    [
        (None, "error: no Transifex API token for https://app.transifex.com"),
        ("[https://tx.example.com]\ntoken = x\n", "error: no Transifex API token for https://app.transifex.com"),
        ("[https://app.transifex.com]\nrest_hostname = https://rest.api.transifex.com\n", ":1: error: "
         "[https://app.transifex.com] in ~/.transifexrc has no token"),
    ],
)
def test_missing_token_says_what_to_do(home, text, expected):
    if text is not None:
        rc(home, text)
    message = str(error_of(find_token, "https://app.transifex.com", environ={"HOME": str(home)}))
    assert expected in message
    assert message.endswith("(set TX_TOKEN, or add a token to ~/.transifexrc under [https://app.transifex.com])")
    assert "\n" not in message


def test_old_username_and_password_point_to_tx_migrate(home):
    rc(home, f"[https://www.transifex.com]\nhostname = https://www.transifex.com\nusername = api\n"
             f"password = {TOKEN}\ntoken =\n")
    message = str(error_of(find_token, "https://www.transifex.com", environ={"HOME": str(home)}))
    assert "has the old client's username and password" in message and "tx migrate" in message
    assert TOKEN not in message


def test_rest_hostname(home):
    environ = {"HOME": str(home)}
    assert rest_hostname(environ=environ) == DEFAULT_REST_HOSTNAME  # no rc file at all
    rc(home, f"[https://app.transifex.com]\nrest_hostname = http://127.0.0.1:8099/\ntoken = {TOKEN}\n"
             "[staging]\nrest_hostname = https://rest.staging.example.com\ntoken = staging-token\n")
    assert rest_hostname(environ=environ) == "http://127.0.0.1:8099"
    assert rest_hostname("https://tx.example.com", environ=environ) == DEFAULT_REST_HOSTNAME
    # TX_HOSTNAME: a section's name, a section's rest_hostname, or the API host itself
    staging = find_credentials(environ={**environ, "TX_HOSTNAME": "staging"})
    assert (staging.rest_hostname, staging.token.reveal()) == ("https://rest.staging.example.com", "staging-token")
    by_rest = find_credentials(environ={**environ, "TX_HOSTNAME": "https://rest.staging.example.com"})
    assert by_rest.token.reveal() == "staging-token"
    assert rest_hostname(environ={**environ, "TX_HOSTNAME": "http://localhost:9000"}) == "http://localhost:9000"


def test_bad_rest_hostname(home):
    path = rc(home, f"[https://app.transifex.com]\ntoken = {TOKEN}\nrest_hostname = rest.api.transifex.com\n")
    message = str(error_of(rest_hostname, environ={"HOME": str(home)}))
    assert message.startswith(f"{path}:3: error: rest_hostname is not a URL")
    message = str(error_of(rest_hostname, environ={"HOME": str(home), "TX_HOSTNAME": "localhost"}))
    assert message.startswith("error: TX_HOSTNAME is not a URL")


# --- the token never shows ------------------------------------------------------------------------------------


def test_secret_never_shows_its_value():
    secret = Secret(TOKEN)
    for shown in (str(secret), repr(secret), f"{secret}", f"{secret!r}", f"{secret:>30}", "%s %r" % (secret, secret),
                  repr([secret]), repr({"token": secret}), format(secret)):
        assert TOKEN not in shown
        assert "Secret('****')" in shown
    assert secret.reveal() == TOKEN
    assert secret == Secret(TOKEN) and secret != Secret("other") and secret != TOKEN
    assert bool(secret) and not Secret("")
    assert copy.deepcopy(secret).reveal() == TOKEN
    with pytest.raises(TypeError):
        pickle.dumps(secret)
    with pytest.raises(AttributeError):
        secret.__dict__
    credentials = Credentials(secret, DEFAULT_REST_HOSTNAME, "TX_TOKEN")
    assert TOKEN not in repr(credentials) and TOKEN not in str(credentials)


@pytest.mark.parametrize(
    "text",
    [
        f"{TOKEN}\n[https://app.transifex.com]\ntoken = {TOKEN}\n",  # a token pasted before any section
        f"[https://app.transifex.com]\n{TOKEN}\n",  # a token pasted without 'token ='
        f"[https://app.transifex.com]\ntoken = {TOKEN}\ntoken = {TOKEN}\n",
        f"[https://app.transifex.com]\ntoken = {TOKEN[:8]} {TOKEN[8:]}\n",
        f"[https://app.transifex.com]\ntoken = {TOKEN}\n[https://app.transifex.com]\ntoken = {TOKEN}\n",
        f"[https://app.transifex.com]\ntoken = {TOKEN}\nrest_hostname = {TOKEN}\n",
        f"[{TOKEN}]\ntoken = x\n[{TOKEN}]\ntoken = y\n",
        f"[https://app.transifex.com]\n{TOKEN} = x\n{TOKEN} = y\n",
    ],
)
def test_errors_never_contain_the_token(home, text):
    rc(home, text)
    error = error_of(find_credentials, environ={"HOME": str(home)})
    for shown in (str(error), repr(error), error.message, str(error.hint), str(error.args)):
        assert TOKEN not in shown
        assert TOKEN[:8] not in shown and TOKEN[8:] not in shown
    assert str(error).startswith(f"{home / '.transifexrc'}:")


def test_env_token_with_spaces_is_refused_without_showing_it(home):
    error = error_of(find_token, environ={"HOME": str(home), "TX_TOKEN": f"{TOKEN}\nX-Evil: 1"})
    assert "TX_TOKEN has spaces or control characters" in str(error)
    assert TOKEN not in str(error)


# --- the token never comes from the repository -----------------------------------------------------------------


def test_refuses_an_rc_file_inside_the_project(tmp_path, home):
    project_root = tmp_path / "project"
    inside = rc(project_root / ".tx", f"[https://app.transifex.com]\ntoken = {TOKEN}\n")
    message = str(error_of(find_token, environ={"HOME": str(home)}, rc_path=inside, project_root=project_root))
    assert message.startswith(f"{inside}: error: refusing to read a Transifex token from a file inside the project")
    assert "TX_TOKEN or ~/.transifexrc" in message and TOKEN not in message
    # ~/.transifexrc as a symlink into the repository is inside it too
    (home / ".transifexrc").symlink_to(inside)
    assert "refusing" in str(error_of(find_token, environ={"HOME": str(home)}, project_root=project_root))


def test_an_rc_file_lying_in_the_project_is_reported_not_read(tmp_path, home):
    project_root = tmp_path / "project"
    rc(project_root / ".tx", f"[https://app.transifex.com]\ntoken = repo-{TOKEN}\n")
    rc(home, f"[https://app.transifex.com]\ntoken = {TOKEN}\n")
    credentials = find_credentials(environ={"HOME": str(home)}, project_root=project_root)
    assert credentials.token.reveal() == TOKEN
    (warning,) = credentials.warnings
    assert "ignored" in warning and str(project_root / ".tx" / ".transifexrc") in warning
    assert TOKEN not in warning


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_warns_when_the_rc_file_is_readable_by_others(home):
    rc(home, f"[https://app.transifex.com]\ntoken = {TOKEN}\n", mode=0o644)
    credentials = find_credentials(environ={"HOME": str(home)})
    (warning,) = credentials.warnings
    assert warning == "~/.transifexrc can be read or changed by other users (mode 0644): run chmod 600 ~/.transifexrc"
    (home / ".transifexrc").chmod(0o600)
    assert find_credentials(environ={"HOME": str(home)}).warnings == ()
