"""Browser tests: the fixture pages over HTTP on 127.0.0.1, and one Chromium session for all tests."""

import html
import http.server
import socket
import threading
from pathlib import Path

import pytest

from i18n_tool.a11y.axe import AxeNotFound, load_axe_source
from i18n_tool.a11y.browser import BrowserNotFound, Session, find_browser
from tests.conftest import require

FIXTURES = Path(__file__).parent / "fixtures"


class FixtureHandler(http.server.SimpleHTTPRequestHandler):
    """The files in fixtures/, and /echo-cookies: a page showing the request's Cookie header."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, directory=str(FIXTURES), **kwargs)

    def do_GET(self):
        if self.path.split("?")[0] != "/echo-cookies":
            return super().do_GET()
        cookies = html.escape(self.headers.get("Cookie", ""))
        body = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Cookies</title></head>'
                f'<body><main><h1>Cookies</h1><p id="cookies">{cookies}</p></main></body></html>').encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def fixture_server():
    """The base URL ("http://127.0.0.1:PORT/") of the fixture pages."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), FixtureHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def silent_port():
    """A port on 127.0.0.1 that takes connections and never answers them."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(16)
        yield listener.getsockname()[1]


@pytest.fixture(scope="session")
def browser_paths():
    try:
        return find_browser()
    except BrowserNotFound:
        require("Chromium and chromedriver", False, "apt-get install chromium chromium-driver")


@pytest.fixture(scope="session")
def axe_source():
    try:
        return load_axe_source()
    except AxeNotFound:
        require("axe-core", False, "npm ci")


@pytest.fixture(scope="session")
def session(browser_paths):
    with Session() as session:
        yield session


@pytest.fixture
def browser(session):
    """The shared session, with fresh cookies and storage."""
    timeout = session.page_load_timeout
    session.reset()
    yield session
    session.page_load_timeout = timeout
