"""``/packages/...``: the stored files, for pip. Only a path a file row points at is served."""

from __future__ import annotations

import sqlalchemy as sa
from pyramid.httpexceptions import HTTPNotFound
from pyramid.response import FileResponse
from pyramid.view import view_config

from companion.packaging.interfaces import IFileStorage
from companion.packaging.models import File

CONTENT_TYPES = {".whl": "application/zip", ".tar.gz": "application/gzip"}
ONE_YEAR = 365 * 24 * 60 * 60


@view_config(route_name="packaging.file", request_method=("GET", "HEAD"))
def download(request):
    path = "/".join(request.matchdict["path"])
    file = request.db.scalars(sa.select(File).where(File.path == path)).one_or_none()
    storage = request.find_service(IFileStorage)
    if file is None or not storage.exists(path):
        # Returned, not raised: the not-found view would redirect to the address with a slash.
        return HTTPNotFound(text="Not found\n", content_type="text/plain")
    content_type = next((kind for end, kind in CONTENT_TYPES.items() if file.filename.endswith(end)),
                        "application/octet-stream")
    response = FileResponse(str(storage.local_path(path)), request=request, content_type=content_type)
    response.etag = file.sha256
    response.cache_control = f"public, max-age={ONE_YEAR}, immutable"  # the path names the content
    response.content_disposition = f'attachment; filename="{file.filename}"'
    return response
