"""Packaging: projects, releases, files and their maintainers."""

from companion.packaging.interfaces import IProjectService
from companion.packaging.services import database_project_factory


def includeme(config) -> None:
    config.register_service_factory(database_project_factory, IProjectService)
    config.scan(".views")
