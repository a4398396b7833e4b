"""Site-wide pages: home and search, help, and the error pages."""

import logging

from pyramid.httpexceptions import HTTPBadRequest, HTTPException, HTTPMovedPermanently
from pyramid.view import exception_view_config, forbidden_view_config, notfound_view_config, view_config

from companion.packaging.interfaces import IProjectService
from companion.packaging.views import per_page
from companion.paginate import page_number, paginate

log = logging.getLogger(__name__)

RECENT_RELEASES = 10


@view_config(route_name="index", renderer="home.html", request_method=("GET", "HEAD"))
def index(request):
    if request.params.get("q", "").strip():
        request.override_renderer = "search.html"
        return search(request)
    projects = request.find_service(IProjectService)
    return {"project_count": projects.count_projects(), "recent_releases": projects.recent_releases(RECENT_RELEASES)}


@view_config(route_name="search", renderer="search.html", request_method=("GET", "HEAD"))
def search(request):
    query = request.params.get("q", "").strip()
    if not query:
        return {"query": "", "page": None}
    projects = request.find_service(IProjectService)
    page = paginate(lambda offset, limit: projects.search(query, offset, limit), page_number(request),
                    per_page(request))
    return {"query": query, "page": page}


@view_config(route_name="help", renderer="help.html", request_method=("GET", "HEAD"))
def help_page(request):
    return {}


@notfound_view_config(renderer="errors/404.html", append_slash=HTTPMovedPermanently)
def not_found(request):
    request.response.status_int = 404
    return {}


@forbidden_view_config(renderer="errors/403.html")
def forbidden(request):
    request.response.status_int = 403
    return {}


@exception_view_config(HTTPBadRequest, renderer="errors/400.html")
def bad_request(request):
    request.response.status_int = 400
    return {}


@exception_view_config(Exception, renderer="errors/500.html")
def server_error(exc, request):
    if isinstance(exc, HTTPException):  # redirects and the like are responses, not failures
        return exc
    # The traceback goes to the log, never to the page.
    log.error("unhandled error on %s %s", request.method, request.path, exc_info=exc)
    request.response.status_int = 500
    return {}
