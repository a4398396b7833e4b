import pytest

from tests.sync.fake_transifex import FakeTransifex


@pytest.fixture
def fake_transifex():
    """A started, empty fake Transifex on 127.0.0.1 and a free port; stopped after the test.

    ``fake_transifex.base_url`` is the host to give the SDK, ``fake_transifex.token`` its token.
    Polls finish after one "processing" answer; tests pass ``interval=0.01`` to the SDK's
    ``upload``/``download`` to keep them fast.
    """
    server = FakeTransifex()
    server.start()
    try:
        yield server
    finally:
        server.stop()
    assert not server.server_errors, "the fake Transifex crashed:\n" + "\n".join(server.server_errors)


@pytest.fixture
def tx_api(fake_transifex):
    """The real SDK (``transifex.api.TransifexApi``) pointed at the fake."""
    from transifex.api import TransifexApi

    return TransifexApi(host=fake_transifex.base_url, auth=fake_transifex.token)


def write_tx_config(root, resource_id: str) -> None:
    """``root/.tx/config`` as the official client writes it: one PO resource under catalogs/."""
    (root / ".tx").mkdir(exist_ok=True)
    (root / ".tx" / "config").write_text(
        "[main]\nhost = https://app.transifex.com\n\n"
        f"[{resource_id}]\n"
        "file_filter = catalogs/<lang>/LC_MESSAGES/messages.po\n"
        "source_file = catalogs/messages.pot\n"
        "source_lang = en\n"
        "type        = PO\n", encoding="utf-8")
