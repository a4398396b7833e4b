"""Security events: every security-relevant action recorded in its own transaction, hash-chained.

``request.record_event(tag, subject, additional=None, actor=None)`` records an event for the
request's action (IP address, user agent, and the logged-in user as the actor unless given).
The request's events are written just before its transaction commits, in that transaction (a
request that fails writes none), and chained just after it commits, in a short transaction of
their own (:mod:`companion.events.chainer`; the request never waits for another chainer).
Scripts call :func:`companion.events.recorder.record_event` with a session and an ``Origin``,
then ``chainer.catch_up(engine)`` once they have committed.
"""

from companion.db import ENGINE
from companion.events import chainer
from companion.events.recorder import Origin, Subject, checked, record_event

__all__ = ["Origin", "Subject", "record_event", "request_origin"]


def request_origin(request, actor: str | None = None) -> Origin:
    if actor is None:
        user = request.identity  # not request.user: that is fixed before a login in this request
        actor = f"user:{user.id}" if user is not None else "anonymous"
    return Origin(actor=actor, ip=request.client_addr, user_agent=request.user_agent)


STAGED = "_companion_events"
CHAINER = "companion.events.chainer"


def _record(request, tag: str, subject, additional=None, actor: str | None = None) -> None:
    """Stage the event (checked now) to be written when the request's transaction commits, and
    chained once it has."""
    event = (tag, Subject.of(subject), request_origin(request, actor), checked(tag, additional))
    transaction = request.tm.get()
    owner, staged = request.__dict__.get(STAGED, (None, None))
    if owner is not transaction:
        staged = []
        request.__dict__[STAGED] = (transaction, staged)
        transaction.addBeforeCommitHook(_write_staged, (request.db, staged))
        transaction.addAfterCommitHook(request.registry[CHAINER].after_commit)
    staged.append(event)


def _write_staged(session, staged: list) -> None:
    for tag, subject, origin, additional in staged:
        record_event(session, tag, subject, origin, additional)
    staged.clear()


def includeme(config) -> None:
    config.registry[CHAINER] = chainer.Chainer(config.registry[ENGINE])
    config.add_request_method(_record, "record_event")
    config.scan(".views")
