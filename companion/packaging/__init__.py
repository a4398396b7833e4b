"""Packaging: projects, releases, files and their maintainers; the upload API and the simple index."""

from companion.packaging import storage
from companion.packaging.interfaces import IFileStorage, IProjectService
from companion.packaging.services import database_project_factory


def includeme(config) -> None:
    config.register_service_factory(database_project_factory, IProjectService)
    files = storage.from_settings(config.get_settings())  # one per app, as the rate limiter
    config.register_service_factory(lambda context, request: files, IFileStorage)
    config.scan(".views")
    config.scan(".upload")
    config.scan(".refusals")
    config.scan(".simple")
    config.scan(".downloads")
