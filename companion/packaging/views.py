from pyramid.httpexceptions import HTTPMovedPermanently, HTTPNotFound
from pyramid.view import view_config

from companion.packaging.interfaces import IProjectService
from companion.paginate import page_number, paginate


def per_page(request) -> int:
    return int(request.registry.settings.get("companion.projects_per_page", 10))


@view_config(route_name="packaging.projects", renderer="packaging/projects.html", request_method=("GET", "HEAD"))
def project_list(request):
    projects = request.find_service(IProjectService)
    return {"page": paginate(projects.list_projects, page_number(request), per_page(request))}


@view_config(route_name="packaging.project", renderer="packaging/detail.html", request_method=("GET", "HEAD"))
def project_detail(request):
    name = request.matchdict["name"]
    project = request.find_service(IProjectService).get_project(name)
    if project is None:
        raise HTTPNotFound()
    if project.normalized_name != name:
        raise HTTPMovedPermanently(request.route_path("packaging.project", name=project.normalized_name))
    return {"project": project, "releases": project.releases, "latest": project.latest_release}
