"""API tokens as the upload API's credentials: the IUploadTokenVerifier for ``__token__`` logins.

Refusals read as twine prints them (the response's reason phrase): which check failed, never the
token. A token's projects become the Uploader's restriction, checked once the upload names its project.
"""

from __future__ import annotations

from packaging.utils import canonicalize_name
from zope.interface import implementer

from companion.packaging.authentication import Uploader
from companion.packaging.interfaces import IUploadTokenVerifier, TokenRefused
from companion.tokens import services

REASONS = {
    "malformed": "Invalid API token: this is not a token of this index",
    "invalid": "Invalid API token: unknown, or its signature or caveats do not match",
    "revoked": "Invalid API token: this token was revoked",
    "expired": "Invalid API token: this token has expired",
    "not_yet_valid": "Invalid API token: this token is not valid yet",
}


def _restriction(verified: services.VerifiedToken):
    def refusal(project) -> str | None:
        if isinstance(project, str):
            name = canonicalize_name(project)
            if verified.refusal_for(None, name):
                return f"This API token is scoped to other projects: it cannot create the project '{name}'"
            return None
        if verified.refusal_for(project.id, project.normalized_name):
            return f"This API token is not valid for project '{project.name}'"
        return None
    return refusal


@implementer(IUploadTokenVerifier)
class UploadTokenVerifier:
    def verify(self, request, token: str) -> Uploader:
        prefix = str(request.registry.settings.get("tokens.prefix") or services.DEFAULT_PREFIX)
        try:
            verified = services.verify(request.db, token, prefix=prefix)
        except services.TokenRefused as refused:
            raise TokenRefused(REASONS[refused.reason]) from None
        services.mark_used(verified.token)  # written only if the upload commits
        return Uploader(user=verified.token.user, token_id=str(verified.token.id), scope=verified.token.scope,
                        restriction=_restriction(verified))
