"""``POST /_/secret-scanning/report``: GitHub's secret scanning reports leaked API tokens here.

Called by GitHub, not a browser: no session, no CSRF token (the body's signature is what is
checked, see :mod:`companion.tokens.leaks`). A 404 until ``secret_scanning.keys_file`` is set.
"""

from __future__ import annotations

import logging

from pyramid.httpexceptions import HTTPNotFound
from pyramid.response import Response
from pyramid.view import view_config

from companion.tokens import leaks

log = logging.getLogger(__name__)


def _refused(reason: str) -> Response:
    log.warning("secret scanning: report refused (%s)", reason)
    return Response(json_body={"error": reason}, status=400)


@view_config(route_name="tokens.secret_scanning_report", request_method="POST", require_csrf=False)
def secret_scanning_report(request):
    key_file = leaks.keys_from(request.registry)
    if key_file is None:
        raise HTTPNotFound()
    if request.content_length is None or request.content_length > leaks.MAX_BODY:
        return _refused("too_large" if request.content_length else "no_length")
    body = request.body
    try:
        leaks.check_signature(key_file.keys(), request.headers.get(leaks.KEY_ID_HEADER),
                              request.headers.get(leaks.SIGNATURE_HEADER), body)
        matches = leaks.parse_report(body)
    except leaks.ReportRefused as exc:
        return _refused(exc.reason)
    return Response(json_body=leaks.handle_report(request, matches), status=200)
