from zope.interface import Interface


class IProjectService(Interface):
    def get_project(name):
        """The project whose PEP 503-normalized name matches ``name``'s; None if there is none."""

    def count_projects():
        """How many projects there are."""

    def list_projects(offset, limit):
        """``(total, projects)``: projects ordered by normalized name, with their latest releases."""

    def search(query, offset, limit):
        """``(total, projects)`` whose name or summary contains ``query``; exact name matches first."""

    def recent_releases(limit):
        """The newest releases that are not yanked, each with its project."""
