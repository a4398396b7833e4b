"""A refused upload: a short text response whose HTTP reason phrase says why (twine prints it).

Raising :class:`UploadRefused` ends the request through an exception view, so pyramid_tm rolls
the transaction back: nothing of a refused upload is stored.
"""

from __future__ import annotations

import re

from pyramid.response import Response
from pyramid.view import exception_view_config

INVALID_AUTHENTICATION = "Invalid or non-existent authentication information"
_UNSAFE = re.compile(r"[^\x20-\x7e]")  # a reason phrase is one line of printable ASCII
MAX_PHRASE = 300


class UploadRefused(Exception):
    def __init__(self, status: int, reason: str):
        super().__init__(f"{status} {reason}")
        self.status = status
        self.reason = reason


def reason_phrase(reason: str) -> str:
    return _UNSAFE.sub("?", reason)[:MAX_PHRASE]


@exception_view_config(UploadRefused)
def refused(exc: UploadRefused, request) -> Response:
    response = Response(status=f"{exc.status} {reason_phrase(exc.reason)}", text=exc.reason + "\n",
                        content_type="text/plain", charset="utf-8")
    if exc.status == 429:
        response.headers["Retry-After"] = "900"
    return response
