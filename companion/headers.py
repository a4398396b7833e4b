"""Security headers on every response the app sends, error pages and redirects included.

A view may set its own value for one of these headers; the defaults fill in what it left out.
"""

from __future__ import annotations

from pyramid.events import NewResponse

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
    "img-src 'self' data:",
    "script-src 'self'",
    "style-src 'self'",
])

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}


def add_security_headers(event: NewResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        event.response.headers.setdefault(name, value)


def includeme(config) -> None:
    config.add_subscriber(add_security_headers, NewResponse)
