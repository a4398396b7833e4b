"""A test-only Pyramid app hosting the WebAuthn ceremony pages over companion.mfa.webauthn.

Keys live in a dict per user and events in a list, on a :class:`Lab` the tests inspect and change
(its settings are read on every request). The app sends the companion's security headers, so the
pages work under its Content-Security-Policy (no inline script).
"""

from __future__ import annotations

import secrets
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import escape

from pyramid.config import Configurator
from pyramid.response import Response
from pyramid.session import SignedCookieSessionFactory

from companion.mfa import webauthn

ERRORS = {
    "error-not-allowed": "The key did not answer, or you cancelled.",
    "error-invalid-state": "This key is already registered.",
    "error-security": "This page's address does not match the site.",
    "error-unsupported": "This browser cannot use security keys.",
    "error-other": "The security key failed.",
}


@dataclass
class Lab:
    settings: dict
    keys: dict[str, list[webauthn.StoredCredential]] = field(default_factory=dict)
    events: list[dict] = field(default_factory=list)
    base: str = ""  # the URL the tests open, set once served

    def record(self, event: str, user: str, **details):
        self.events.append({"event": event, "user": user, **details})


def page(title: str, body: str, status: int = 200) -> Response:
    html = (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f'<script type="module" src="/static/webauthn.js"></script></head>'
            f'<body><main><h1>{escape(title)}</h1>{body}</main></body></html>')
    return Response(html, status=status, content_type="text/html", charset="utf-8")


def ceremony_form(kind: str, options_json: str, fields: str = "") -> str:
    errors = " ".join(f'data-{name}="{escape(text)}"' for name, text in ERRORS.items())
    return (f'<form method="post" data-webauthn="{kind}" data-options="{escape(options_json)}" {errors}>'
            f'{fields}<input type="hidden" name="credential" value="">'
            f'<button type="submit">Use security key</button>'
            f'<p role="alert" id="error" hidden></p></form>')


def outcome(title: str, code: str, status: int) -> Response:
    return page(title, f'<p id="outcome" data-code="{escape(code)}">{escape(code)}</p>', status)


def register_view(request):
    lab, user = request.registry.lab, request.matchdict["user"]
    keys = lab.keys.setdefault(user, [])
    if request.method == "POST":
        return register(request, lab, user, keys)
    options, challenge = webauthn.registration_options(lab.settings, user, user, user.title(), keys)
    webauthn.remember_challenge(request.session, webauthn.REGISTER, challenge)
    label = '<label for="label">Label</label><input id="label" name="label" required maxlength="64">'
    return page("Add a security key", ceremony_form("create", options, label))


def register(request, lab, user, keys):
    try:
        challenge = webauthn.take_challenge(request.session, webauthn.REGISTER)
        key = webauthn.verify_registration(lab.settings, request.POST.get("credential", ""), challenge,
                                           request.POST.get("label"), keys, user_id=user)
    except webauthn.WebAuthnError as error:
        lab.record("webauthn:register:failure", user, reason=error.code)
        return outcome("Key refused", error.code, 400)
    keys.append(key)
    lab.record("webauthn:register", user, label=key.label)
    return outcome("Key added", "registered", 200)


def login_view(request):
    lab, user = request.registry.lab, request.matchdict["user"]
    keys = lab.keys.setdefault(user, [])
    if request.method == "POST":
        return login(request, lab, user, keys)
    options, challenge = webauthn.authentication_options(lab.settings, keys)
    webauthn.remember_challenge(request.session, webauthn.AUTHENTICATE, challenge)
    return page("Log in with a security key", ceremony_form("get", options))


def login(request, lab, user, keys):
    try:
        challenge = webauthn.take_challenge(request.session, webauthn.AUTHENTICATE)
        key, sign_count = webauthn.verify_authentication(lab.settings, request.POST.get("credential", ""),
                                                         challenge, keys)
    except webauthn.WebAuthnError as error:
        label = error.credential.label if error.credential else None
        lab.record("webauthn:login:failure", user, reason=error.code, label=label)
        return outcome("Login refused", error.code, 400)
    key.sign_count = sign_count
    lab.record("webauthn:login", user, label=key.label)
    return page("Logged in", f'<p id="outcome" data-code="logged-in">{escape(key.label)}</p>')


def make_app(lab: Lab):
    config = Configurator(settings={})
    config.registry.lab = lab
    config.set_session_factory(SignedCookieSessionFactory(secrets.token_hex(32), httponly=True, samesite="Lax"))
    config.include("companion.headers")
    config.add_static_view("static", "companion:static", cache_max_age=0)
    config.add_route("register", "/register/{user}/")
    config.add_route("login", "/login/{user}/")
    config.add_view(register_view, route_name="register", request_method=("GET", "POST"))
    config.add_view(login_view, route_name="login", request_method=("GET", "POST"))
    return config.make_wsgi_app()


@contextmanager
def serve(lab: Lab):
    """The app on 127.0.0.1, yielding its port (open it as http://localhost:PORT: a secure context)."""
    import waitress.server

    server = waitress.server.create_server(make_app(lab), host="127.0.0.1", port=0, threads=2,
                                           ident="webauthn-lab")
    thread = threading.Thread(target=server.run, name="webauthn-lab", daemon=True)
    thread.start()
    try:
        yield server.effective_port
    finally:
        server.close()
        thread.join(timeout=5)
