"""Security events: every security-relevant action recorded in its own transaction, hash-chained.

``request.record_event(tag, subject, additional=None, actor=None)`` records an event for the
request's action (IP address, user agent, and the logged-in user as the actor unless given);
scripts call :func:`companion.events.recorder.record_event` with a session and an ``Origin``.
"""

from companion.events.recorder import Origin, Subject, record_event

__all__ = ["Origin", "Subject", "record_event", "request_origin"]


def request_origin(request, actor: str | None = None) -> Origin:
    if actor is None:
        user = request.identity  # not request.user: that is fixed before a login in this request
        actor = f"user:{user.id}" if user is not None else "anonymous"
    return Origin(actor=actor, ip=request.client_addr, user_agent=request.user_agent)


def _record(request, tag: str, subject, additional=None, actor: str | None = None):
    return record_event(request.db, tag, subject, request_origin(request, actor), additional)


def includeme(config) -> None:
    config.add_request_method(_record, "record_event")
    config.scan(".views")
