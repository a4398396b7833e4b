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
