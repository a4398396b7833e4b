"""Settings from the environment: database URL, session secret, Redis, WebAuthn origin and RP ID."""

import stat

from companion import settings


def test_default_database_is_sqlite_under_var(tmp_path):
    url = settings.database_url({}, root=tmp_path)
    assert url == f"sqlite:///{tmp_path / 'var' / 'companion.sqlite3'}"
    assert (tmp_path / "var").is_dir()


def test_database_url_from_the_environment_uses_psycopg_for_postgresql(tmp_path):
    for given in ("postgres://u@h/db", "postgresql://u@h/db", "postgresql+psycopg://u@h/db"):
        assert settings.database_url({"DATABASE_URL": given}, root=tmp_path) == "postgresql+psycopg://u@h/db"
    assert settings.database_url({"DATABASE_URL": "sqlite:////x.db"}, root=tmp_path) == "sqlite:////x.db"
    assert not (tmp_path / "var").exists()


def test_session_secret_is_generated_once_and_kept_private(tmp_path):
    first = settings.session_secret({}, root=tmp_path)
    assert len(first) >= 32
    path = tmp_path / "var" / "secret"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert settings.session_secret({}, root=tmp_path) == first
    assert settings.session_secret({"COMPANION_SECRET": "given"}, root=tmp_path) == "given"
    assert [p.name for p in path.parent.iterdir()] == ["secret"]  # no temporary file left


def test_load_prefers_given_settings_and_computes_only_what_is_missing(tmp_path):
    environ = {"DATABASE_URL": "sqlite:////env.db", "COMPANION_SECRET": "env-secret", "REDIS_URL": "redis://r"}
    loaded = settings.load({"database.url": "postgres://u@h/given"}, environ=environ, root=tmp_path)
    assert loaded["database.url"] == "postgresql+psycopg://u@h/given"
    assert loaded["sessions.secret"] == "env-secret"
    assert loaded["redis.url"] == "redis://r"
    assert loaded["files.dir"] == str(tmp_path / "var" / "files")
    assert settings.load({}, environ={"DATABASE_URL": "sqlite:////x.db", "COMPANION_SECRET": "s"},
                         root=tmp_path)["redis.url"] is None
    assert not (tmp_path / "var").exists()


def test_webauthn_origin_and_rp_id_from_the_environment_unless_given(tmp_path):
    environ = {"DATABASE_URL": "sqlite:////x.db", "COMPANION_SECRET": "s",
               "WEBAUTHN_ORIGIN": " https://pypi.example ", "WEBAUTHN_RP_ID": "pypi.example"}
    loaded = settings.load({}, environ=environ, root=tmp_path)
    assert (loaded["webauthn.origin"], loaded["webauthn.rp_id"]) == ("https://pypi.example", "pypi.example")
    given = settings.load({"webauthn.origin": "https://given.example"}, environ=environ, root=tmp_path)
    assert given["webauthn.origin"] == "https://given.example"
    assert "webauthn.origin" not in settings.load({}, environ={"DATABASE_URL": "sqlite:////x.db",
                                                                "COMPANION_SECRET": "s"}, root=tmp_path)


def test_var_and_catalogs_are_the_working_directorys_not_the_packages(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    loaded = settings.load({}, environ={})
    assert loaded["database.url"] == f"sqlite:///{tmp_path / 'var' / 'companion.sqlite3'}"
    assert loaded["i18n_tool.catalogs"] == str(tmp_path / "catalogs")
    assert loaded["files.dir"] == str(tmp_path / "var" / "files")
    assert (tmp_path / "var" / "secret").is_file()


def test_var_and_catalogs_from_the_environment(tmp_path):
    environ = {"COMPANION_VAR_DIR": str(tmp_path / "state"), "COMPANION_CATALOGS": str(tmp_path / "po")}
    loaded = settings.load({}, environ=environ, root=tmp_path / "elsewhere")
    assert loaded["database.url"] == f"sqlite:///{tmp_path / 'state' / 'companion.sqlite3'}"
    assert loaded["i18n_tool.catalogs"] == str(tmp_path / "po")
    assert loaded["files.dir"] == str(tmp_path / "state" / "files")
    assert not (tmp_path / "elsewhere").exists()
