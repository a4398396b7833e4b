"""API tokens: macaroons scoped to a user or to projects, their pages, and the upload API's check."""

from companion.packaging.interfaces import IUploadTokenVerifier
from companion.tokens.upload import UploadTokenVerifier


def includeme(config) -> None:
    verifier = UploadTokenVerifier()
    config.register_service_factory(lambda context, request: verifier, IUploadTokenVerifier)
    config.scan(".views")
