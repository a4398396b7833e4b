"""The security history (/account/history/), a project's history, and the admin view of events."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from pyramid.httpexceptions import HTTPBadRequest, HTTPNotFound, HTTPSeeOther
from pyramid.response import Response
from pyramid.view import view_config

from companion.accounts.interfaces import IUserService
from companion.accounts.models import User
from companion.db import SESSION_FACTORY
from companion.events import services
from companion.events.models import SubjectKind
from companion.events.tags import TAGS, sentence
from companion.events.useragent import summary
from companion.packaging.interfaces import IProjectService
from companion.packaging.models import Project
from companion.tokens.models import APIToken
from i18n_tool.pyramid import _, translate

GET = ("GET", "HEAD")
HISTORY_DAYS = 90
PER_PAGE = 25
ADMIN_PER_PAGE = 50
MAX_ID = 2**63 - 1


def _before(request) -> int | None:
    raw = request.GET.get("before")
    if raw is None:
        return None
    if not raw.isdigit() or not 0 < int(raw) <= MAX_ID:
        raise HTTPBadRequest()
    return int(raw)


def _login_first(request):
    return HTTPSeeOther(request.route_path("accounts.login", _query={"next": request.path_qs}))


def _actor_ids(events, kinds: tuple[str, ...]) -> set[int]:
    ids = set()
    for event in events:
        kind, _sep, ident = event.actor.partition(":")
        if kind in kinds and ident.isdigit():
            ids.add(int(ident))
    return ids


def _names(request, events) -> dict[tuple[str, int], str]:
    """The usernames of the users and admins who acted, and the names of the tokens, in a query each."""
    names = {}
    if users := _actor_ids(events, ("user", "admin")):
        found = request.db.execute(sa.select(User.id, User.username).where(User.id.in_(users)))
        names.update({("user", ident): name for ident, name in found})
    if tokens := _actor_ids(events, ("token",)):
        found = request.db.execute(sa.select(APIToken.id, APIToken.description).where(APIToken.id.in_(tokens)))
        names.update({("token", ident): description for ident, description in found})
    return names


def _actor(request, actor: str, names: dict[tuple[str, int], str]) -> str:
    kind, _sep, ident = actor.partition(":")
    name = names.get(("token" if kind == "token" else "user", int(ident))) if ident.isdigit() else None
    if kind == "user" and name:
        return name
    if kind == "admin" and name:
        return translate(request, _("${username} (administrator)"), {"username": name})
    if kind == "token" and name:
        return translate(request, _("API token “${description}” (${token})"), {"description": name, "token": ident})
    if kind == "token":
        return translate(request, _("API token ${token}"), {"token": ident})
    if kind == "system":
        return translate(request, _("the site"))
    return translate(request, _("someone not logged in"))


def _subjects(request, events) -> dict[tuple[str, int], str]:
    """The username or project name of each event's subject."""
    wanted = {(event.subject_kind, event.subject_id) for event in events if event.subject_id is not None}
    names = {}
    for kind, model, column in (("user", User, User.username), ("project", Project, Project.name)):
        ids = [ident for subject_kind, ident in wanted if subject_kind == kind]
        if ids:
            found = request.db.execute(sa.select(model.id, column).where(model.id.in_(ids)))
            names.update({(kind, ident): name for ident, name in found})
    return names


def rows(request, events, subjects: bool = False) -> list[dict]:
    """What the history tables show of each event, in the request's language."""
    names = _names(request, events)
    subject_names = _subjects(request, events) if subjects else {}
    shown = []
    for event in events:
        message, mapping = sentence(event.tag, event.additional)
        client, system = summary(event.user_agent)
        if client and system:
            device = translate(request, _("${client} on ${system}"), {"client": client, "system": system})
        else:
            device = client or system
        shown.append({"event": event, "sentence": translate(request, message, mapping), "device": device,
                      "actor": _actor(request, event.actor, names),
                      "subject": subject_names.get((event.subject_kind, event.subject_id), "")})
    return shown


@view_config(route_name="events.account_history", renderer="events/account_history.html", request_method=GET)
def account_history(request):
    user = request.user
    if user is None:
        return _login_first(request)
    since = datetime.now(UTC) - timedelta(days=HISTORY_DAYS)
    query = services.subject_events(SubjectKind.USER, user.id, since)
    page = services.keyset_page(request.db, query, _before(request), PER_PAGE)
    return {"page": page, "rows": rows(request, page.events), "days": HISTORY_DAYS}


@view_config(route_name="events.project_history", renderer="events/project_history.html", request_method=GET)
def project_history(request):
    user = request.user
    if user is None:
        return _login_first(request)
    project = request.find_service(IProjectService).get_project(request.matchdict["name"])
    if project is None or not any(role.user_id == user.id for role in project.roles):
        raise HTTPNotFound()
    page = services.keyset_page(request.db, services.subject_events(SubjectKind.PROJECT, project.id),
                                _before(request), PER_PAGE)
    return {"project": project, "page": page, "rows": rows(request, page.events)}


# --- the admin view ------------------------------------------------------------------------------------------


def _admin(request):
    if request.user is None or not request.user.is_admin:
        raise HTTPNotFound()  # the view's existence is not revealed
    return request.user


def _day(raw: str, days_after: int = 0) -> datetime | None:
    """The start of the day ``raw`` (YYYY-MM-DD), or of the day ``days_after`` it; 400 if it is none."""
    if not raw:
        return None
    try:
        return datetime.combine(date.fromisoformat(raw) + timedelta(days=days_after), datetime.min.time(), UTC)
    except (ValueError, OverflowError):
        raise HTTPBadRequest() from None


FILTERS = ("user", "project", "tag", "ip", "token", "from", "to")
NO_MATCH = -1  # the id filtered on when the named user or project does not exist


def _filter_id(name: str, find) -> int | None:
    if not name:
        return None
    found = find(name)
    return found.id if found is not None else NO_MATCH


def admin_filters(request) -> services.Filters:
    values = {key: (request.GET.get(key) or "").strip() for key in FILTERS}
    if any(len(value) > 200 for value in values.values()):
        raise HTTPBadRequest()
    return services.Filters(
        user_id=_filter_id(values["user"], request.find_service(IUserService).get_user_by_username),
        project_id=_filter_id(values["project"], request.find_service(IProjectService).get_project),
        tag=values["tag"] or None, ip=values["ip"] or None,
        actor=f"token:{values['token']}" if values["token"] else None,
        since=_day(values["from"]), until=_day(values["to"], days_after=1),
    )


@view_config(route_name="events.admin", renderer="events/admin.html", request_method=GET)
def admin_events(request):
    _admin(request)
    filters = admin_filters(request)
    page = services.keyset_page(request.db, services.filtered(filters), _before(request), ADMIN_PER_PAGE)
    tags = [(tag, translate(request, *sentence(tag, {}))) for tag in sorted(TAGS)]
    return {"page": page, "rows": rows(request, page.events, subjects=True), "tags": tags,
            "values": {key: request.GET.get(key, "") for key in FILTERS}}


FIELDS = ("id", "time", "subject_kind", "subject_id", "actor", "tag", "ip", "user_agent", "additional", "position",
          "hash")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _record(event) -> dict:
    return {"id": event.id, "time": event.time.astimezone(UTC).isoformat(), "subject_kind": event.subject_kind,
            "subject_id": event.subject_id, "actor": event.actor, "tag": event.tag, "ip": event.ip,
            "user_agent": event.user_agent, "additional": event.additional,
            "position": event.position, "hash": event.hash}


def csv_cell(value) -> str:
    """A cell a spreadsheet shows as text: one starting like a formula gets a leading quote (OWASP)."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False) if isinstance(value, dict) else (
        "" if value is None else str(value))
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def _csv_lines(events):
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(FIELDS)
    yield buffer.getvalue().encode()
    for event in events:
        buffer.seek(0)
        buffer.truncate()
        record = _record(event)
        writer.writerow([csv_cell(record[name]) for name in FIELDS])
        yield buffer.getvalue().encode()


def _json_lines(events):
    yield b"["
    for index, event in enumerate(events):
        yield (",\n" if index else "\n").encode() + json.dumps(_record(event), ensure_ascii=False).encode()
    yield b"\n]\n"


def _streamed(request, query):
    """Events read in their own session after the request's transaction has ended."""
    session = request.registry[SESSION_FACTORY]()
    try:
        yield from services.stream(session, query)
    finally:
        session.close()


@view_config(route_name="events.admin_export", request_method=GET)
def admin_export(request):
    admin = _admin(request)
    fmt = request.matchdict["format"]
    filters = admin_filters(request)
    asked = {key: value for key, value in request.GET.items() if key in FILTERS}
    request.record_event("admin:events:export", admin, {"format": fmt, "filters": asked}, actor=f"admin:{admin.id}")
    events = _streamed(request, services.filtered(filters))
    body = _csv_lines(events) if fmt == "csv" else _json_lines(events)
    content_type = "text/csv" if fmt == "csv" else "application/json"
    response = Response(app_iter=body, content_type=content_type, charset="utf-8")
    response.content_disposition = f'attachment; filename="events.{fmt}"'
    return response
