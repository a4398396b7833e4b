"""API tokens: macaroons with caveats (models, caveats, services), their pages, the upload API's
check, operators' commands, and leak reports."""

from companion.packaging.interfaces import IUploadTokenVerifier
from companion.tokens.upload import UploadTokenVerifier


def includeme(config) -> None:
    verifier = UploadTokenVerifier()
    config.register_service_factory(lambda context, request: verifier, IUploadTokenVerifier)
    config.include("companion.tokens.leaks")
    config.scan(".views")
    config.scan(".leak_views")
