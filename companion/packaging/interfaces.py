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


class TokenRefused(Exception):
    """An API token that does not authenticate an upload; ``reason`` is what twine shows."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class IUploadTokenVerifier(Interface):
    """Checks the API tokens twine sends as the password of the user ``__token__``.

    Registered with ``config.register_service_factory(factory, IUploadTokenVerifier)``; while none
    is, token uploads are refused.
    """

    def verify(request, token):
        """The :class:`companion.packaging.authentication.Uploader` the token stands for.

        Raises :class:`TokenRefused` for a token that is unknown, malformed, expired or revoked.
        Limits the token carries (its projects) go in the Uploader's ``restriction``.
        """


class IFileStorage(Interface):
    """Where uploaded files' content is kept, by relative path (see ``storage.content_path``)."""

    def store(path, source):
        """Write the binary file object ``source`` at ``path``, atomically."""

    def exists(path):
        """Whether content is stored at ``path``."""

    def local_path(path):
        """The absolute filesystem path of ``path``, for serving it."""

    def remove(path):
        """Delete the content at ``path``, if there is any."""
