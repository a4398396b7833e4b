"""API token pages: the list, a new token (shown once), revoking one, and a project's tokens."""

from __future__ import annotations

from datetime import timedelta

from pyramid.httpexceptions import HTTPNotFound, HTTPSeeOther
from pyramid.view import view_config

from companion.accounts.interfaces import IUserService
from companion.accounts.views import FLASH, _form, _refused, require_reauthentication
from companion.db import utcnow
from companion.mfa.services import has_two_factor
from companion.packaging.interfaces import IProjectService
from companion.packaging.models import RoleName
from companion.tokens import services
from companion.tokens.forms import USER_WIDE, NewTokenForm
from companion.tokens.models import APIToken
from i18n_tool.pyramid import _, translate

GET = ("GET", "HEAD")


def _login_first(request):
    return HTTPSeeOther(request.route_path("accounts.login", _query={"next": request.path_qs}))


def _prefix(request) -> str:
    return str(request.registry.settings.get("tokens.prefix") or services.DEFAULT_PREFIX)


def _projects(request, user) -> list:
    """The projects the user has a role on: the scopes a token of theirs may have."""
    return [role.project for role in request.find_service(IUserService).roles_for_user(user)]


def _names(request, token: APIToken) -> list[str]:
    projects = {str(p.id): p.name for p in _projects(request, token.user)}
    return [projects.get(str(each), f"#{each}") for each in token.project_ids or ()]


@view_config(route_name="tokens.list", renderer="tokens/list.html", request_method=GET)
def token_list(request):
    user = request.user
    if user is None:
        return _login_first(request)
    tokens = services.active(request.db, user)
    return {"tokens": [(token, _names(request, token)) for token in tokens]}


@view_config(route_name="tokens.new", renderer="tokens/new.html", request_method=(*GET, "POST"))
def token_new(request):
    user = request.user
    if user is None:
        return _login_first(request)
    if (again := require_reauthentication(request, second_factor=has_two_factor(request, user))) is not None:
        return again
    projects = _projects(request, user)
    chosen = next((str(p.id) for p in projects if p.normalized_name == request.GET.get("project")), USER_WIDE)
    form = _form(request, NewTokenForm, scope=chosen)
    form.set_projects(projects)
    if request.method == "POST" and form.validate():
        description = form.description.data.strip()
        if any(token.description == description for token in services.active(request.db, user)):
            form.description.errors.append(translate(request, _("You already have a token with this name.")))
            return _refused(request, form=form)
        return _created(request, user, description, form)
    return _refused(request, form=form) if request.method == "POST" else {"form": form}


def _created(request, user, description: str, form) -> dict:
    project_ids = None if form.scope.data == USER_WIDE else [int(form.scope.data)]
    expires = utcnow() + timedelta(days=int(form.expires.data)) if form.expires.data else None
    raw, token = services.create(request.db, user, description, project_ids, expires, prefix=_prefix(request))
    request.record_event("account:api_token:created", user, services.event_details(token))
    request.response.headers["Cache-Control"] = "no-store"  # shown on this page only, once
    request.override_renderer = "tokens/created.html"
    return {"raw": raw, "token": token, "names": _names(request, token),
            "upload_url": request.route_url("packaging.upload"), "index_url": request.route_url("packaging.simple_index")}


@view_config(route_name="tokens.revoke", renderer="tokens/revoke.html", request_method=(*GET, "POST"))
def token_revoke(request):
    user = request.user
    if user is None:
        return _login_first(request)
    token = request.db.get(APIToken, int(request.matchdict["id"]))
    if token is None or token.user_id != user.id or token.revoked is not None:
        raise HTTPNotFound()
    if request.method == "POST":
        services.revoke(token, "user")
        request.record_event("account:api_token:removed", user, {**services.event_details(token), "reason": "user"})
        request.session.flash(translate(request, _("The token “${description}” was revoked."),
                                        {"description": token.description}), FLASH)
        return HTTPSeeOther(request.route_path("tokens.list"))
    return {"token": token, "names": _names(request, token)}


@view_config(route_name="tokens.project", renderer="tokens/project.html", request_method=GET)
def project_tokens(request):
    """A project's settings for its owners: their tokens for it, and a new one."""
    user = request.user
    project = request.find_service(IProjectService).get_project(request.matchdict["name"])
    if project is None:
        raise HTTPNotFound()
    if user is None:
        return _login_first(request)
    if not any(role.user_id == user.id and role.role_name == RoleName.OWNER for role in project.roles):
        raise HTTPNotFound()  # not revealed to who may not manage it
    tokens = [token for token in services.active(request.db, user) if project.id in (token.project_ids or ())]
    return {"project": project, "tokens": tokens}
