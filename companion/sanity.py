"""Requests whose address cannot be decoded get the 400 page, not a 500.

WebOb decodes the path and the query string lazily, as UTF-8, so a request carrying ``%ff``
fails wherever it is first read: in a view, in the locale negotiator, or in the error page
itself (the language switcher links back to ``request.path_qs``). This tween reads both before
routing; when one fails, it blanks the undecodable parts so the error page can render, and raises
:class:`~pyramid.httpexceptions.HTTPBadRequest` for the exception view to show in the visitor's
language. (Form bodies are decoded with replacement characters, so they never fail here.)
"""

from __future__ import annotations

from pyramid.httpexceptions import HTTPBadRequest
from pyramid.tweens import EXCVIEW


def _undecodable(request) -> list[str]:
    """The parts of the request that are not valid UTF-8, each made harmless."""
    bad = []
    try:
        request.path_info  # noqa: B018 - decoding is the check
    except UnicodeDecodeError:
        request.environ["PATH_INFO"] = "/"
        bad.append("path")
    try:
        list(request.GET.items())
    except UnicodeDecodeError:
        request.environ["QUERY_STRING"] = ""
        bad.append("query")
    return bad


def sanity_tween_factory(handler, registry):
    def sanity_tween(request):
        if _undecodable(request):
            raise HTTPBadRequest()
        return handler(request)

    return sanity_tween


def includeme(config) -> None:
    config.add_tween("companion.sanity.sanity_tween_factory", under=EXCVIEW)
