"""The simple repository API: ``/simple/`` and ``/simple/<project>/``, in HTML (PEP 503) or JSON
(PEP 691), chosen from the Accept header (q-values honoured; ``?format=`` overrides it).

The JSON is API version 1.1 (PEP 700: ``versions``, each file's ``size`` and ``upload-time``).
A project page lists only the files whose content is in the file storage: the seeded demo
files have none, and pip must not be sent to a file that is not there.
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from markupsafe import escape
from packaging.version import InvalidVersion, Version
from pyramid.httpexceptions import HTTPMovedPermanently, HTTPNotFound
from pyramid.response import Response
from pyramid.view import view_config

from companion.packaging.interfaces import IFileStorage, IProjectService
from companion.packaging.models import File, Project

JSON = "application/vnd.pypi.simple.v1+json"
HTML = "application/vnd.pypi.simple.v1+html"
TEXT_HTML = "text/html"
OFFERS = (TEXT_HTML, HTML, JSON)  # on a tie, plain HTML: what every client reads
LATEST = {"application/vnd.pypi.simple.latest+json": JSON, "application/vnd.pypi.simple.latest+html": HTML}
API_VERSION = "1.1"
GET = ("GET", "HEAD")


def negotiate(request) -> str | None:
    """The media type to answer with; None when the client accepts none of ours (406)."""
    asked = request.GET.get("format")
    if asked:
        return asked if asked in OFFERS else LATEST.get(asked)
    if not request.headers.get("Accept"):
        return TEXT_HTML
    offers = request.accept.acceptable_offers([*OFFERS, *LATEST])
    return LATEST.get(offers[0][0], offers[0][0]) if offers else None


def _not_acceptable() -> Response:
    return Response(status=406, text=f"Not acceptable: this index serves {', '.join(OFFERS)}\n",
                    content_type="text/plain", charset="utf-8")


def _respond(request, media_type: str, html: str, data: dict) -> Response:
    if media_type == JSON:
        body = json.dumps({"meta": {"api-version": API_VERSION}, **data}, ensure_ascii=False, sort_keys=True)
    else:
        body = html
    response = Response(body, content_type=media_type, charset="utf-8")
    response.vary = ("Accept",)
    response.cache_control = "max-age=60, public"
    response.md5_etag()
    response.conditional_response = True
    return response


def _page(title: str, lines: list[str]) -> str:
    links = "\n".join(f"    {line}<br>" for line in lines)
    return ("<!DOCTYPE html>\n<html>\n  <head>\n"
            f'    <meta name="pypi:repository-version" content="{API_VERSION}">\n'
            f"    <title>{escape(title)}</title>\n  </head>\n  <body>\n"
            f"    <h1>{escape(title)}</h1>\n{links}\n  </body>\n</html>\n")


@view_config(route_name="packaging.simple_index", request_method=GET)
def simple_index(request):
    media_type = negotiate(request)
    if media_type is None:
        return _not_acceptable()
    projects = request.db.execute(sa.select(Project.name, Project.normalized_name)
                                  .order_by(Project.normalized_name)).all()
    lines = [f'<a href="{escape(request.route_path("packaging.simple_project", name=normalized))}">{escape(name)}</a>'
             for name, normalized in projects]
    return _respond(request, media_type, _page("Simple index", lines),
                    {"projects": [{"name": name} for name, _normalized in projects]})


def _sort_key(version: str):
    try:
        return (0, Version(version), version)
    except InvalidVersion:
        return (1, None, version)


def stored_files(request, project: Project) -> list[File]:
    storage = request.find_service(IFileStorage)
    files = [file for release in project.releases for file in release.files
             if file.path is not None and storage.exists(file.path)]
    return sorted(files, key=lambda file: file.filename)


def _file_url(request, file: File) -> str:
    return f"{request.route_path('packaging.file', path=file.path.split('/'))}#sha256={file.sha256}"


def _file_link(request, file: File) -> str:
    attributes = [f'href="{escape(_file_url(request, file))}"']
    if file.release.requires_python:
        attributes.append(f'data-requires-python="{escape(file.release.requires_python)}"')
    if file.release.yanked:
        attributes.append('data-yanked=""')
    return f"<a {' '.join(attributes)}>{escape(file.filename)}</a>"


def _file_data(request, file: File) -> dict:
    return {"filename": file.filename, "url": _file_url(request, file), "hashes": {"sha256": file.sha256},
            "requires-python": file.release.requires_python, "yanked": file.release.yanked, "size": file.size,
            "upload-time": file.uploaded.strftime("%Y-%m-%dT%H:%M:%S.%fZ")}


@view_config(route_name="packaging.simple_project", request_method=GET)
def simple_project(request):
    name = request.matchdict["name"]
    project = request.find_service(IProjectService).get_project(name)
    if project is None:
        raise HTTPNotFound()
    if project.normalized_name != name:
        return HTTPMovedPermanently(request.route_path("packaging.simple_project", name=project.normalized_name,
                                                       _query=request.GET))
    media_type = negotiate(request)
    if media_type is None:
        return _not_acceptable()
    files = stored_files(request, project)
    versions = sorted({release.version for release in project.releases}, key=_sort_key)
    return _respond(request, media_type, _page(f"Links for {project.name}", [_file_link(request, f) for f in files]),
                    {"name": project.normalized_name, "versions": versions,
                     "files": [_file_data(request, file) for file in files]})
