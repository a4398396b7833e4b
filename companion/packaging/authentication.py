"""Who is uploading: HTTP Basic credentials turned into an :class:`Uploader`, or a refusal.

The username ``__token__`` means the password is an API token, checked by the
:class:`~companion.packaging.interfaces.IUploadTokenVerifier` registered for it (none yet: such
uploads are refused). Any other username is a password login, accepted only when the
``upload.password_login`` setting is true, counted by the login rate limiter, and refused for a
user with two-factor authentication (a password alone is not enough for them). A wrong password
is recorded on the user's security history at once, in its own transaction: the refused upload
itself rolls back.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from pyramid.authentication import extract_http_basic_credentials
from pyramid.settings import asbool

from companion.accounts.interfaces import IUserService
from companion.accounts.models import User
from companion.accounts.passwords import verify_password
from companion.accounts.ratelimit import ILoginRateLimiter
from companion.db import SESSION_FACTORY
from companion.events import CHAINER, record_event, request_origin
from companion.mfa.services import has_two_factor
from companion.packaging.interfaces import IUploadTokenVerifier, TokenRefused
from companion.packaging.models import Project, RoleName
from companion.packaging.refusals import INVALID_AUTHENTICATION, UploadRefused

TOKEN_USERNAME = "__token__"
PASSWORD_LOGIN = "upload.password_login"
UPLOAD_ROLES = frozenset({RoleName.OWNER, RoleName.MAINTAINER})


@dataclass(frozen=True)
class Uploader:
    """The user an upload is made as, and with what.

    ``token_id`` is None for a password; ``scope`` describes a token's reach for the events
    ("user", "project:NAME"). ``restriction``, given by a token verifier, is the token's own limit:
    called with what :meth:`may_upload` is, it returns a refusal reason or None.
    """

    user: User
    token_id: str | None = None
    scope: str | None = None
    restriction: Callable[[Project | str], str | None] | None = field(default=None, compare=False)

    @property
    def method(self) -> str:
        return "password" if self.token_id is None else "token"

    @property
    def actor(self) -> str:
        """The events' actor: the token when there is one, else the user."""
        return f"user:{self.user.id}" if self.token_id is None else f"token:{self.token_id}"

    def may_upload(self, project: Project | str) -> str | None:
        """Why this uploader may not upload to ``project`` (a Project, or the name of a new one); None if it may."""
        if self.restriction is not None and (reason := self.restriction(project)):
            return reason
        if isinstance(project, str):
            return None  # a new project: its first uploader becomes its owner
        if not any(role.user_id == self.user.id and role.role_name in UPLOAD_ROLES for role in project.roles):
            return f"The user '{self.user.username}' isn't allowed to upload to project '{project.name}'"
        return None


def authenticate_upload(request) -> Uploader | None:
    """The request's uploader; None without credentials; :class:`UploadRefused` for bad ones."""
    if not request.headers.get("Authorization"):
        return None
    credentials = extract_http_basic_credentials(request)
    if credentials is None or not credentials.username or not credentials.password:
        raise UploadRefused(403, f"{INVALID_AUTHENTICATION}: the Authorization header is not HTTP Basic "
                                 "credentials with a username and a password")
    if credentials.username == TOKEN_USERNAME:
        return _token_uploader(request, credentials.password)
    return _password_uploader(request, credentials.username, credentials.password)


def _token_uploader(request, token: str) -> Uploader:
    try:
        verifier = request.find_service(IUploadTokenVerifier)
    except LookupError:
        raise UploadRefused(403, INVALID_AUTHENTICATION) from None
    try:
        return verifier.verify(request, token)
    except TokenRefused as refusal:
        raise UploadRefused(403, refusal.reason) from None


def _password_uploader(request, username: str, password: str) -> Uploader:
    if not asbool(request.registry.settings.get(PASSWORD_LOGIN, False)):
        raise UploadRefused(403, "Uploading with a username and password is turned off on this index: "
                                 "upload with an API token (username __token__)")
    limiter = request.find_service(ILoginRateLimiter)
    if limiter.is_limited(username, request.client_addr):
        raise UploadRefused(429, "Too many failed login attempts: wait a few minutes, then try again")
    user = request.find_service(IUserService).get_user_by_username(username.strip())
    if not verify_password(user.password_hash if user is not None else None, password):
        limiter.fail(username, request.client_addr)
        if user is not None:
            _record_wrong_password(request, user)
        raise UploadRefused(403, f"{INVALID_AUTHENTICATION}: wrong username or password")
    limiter.clear(username)
    if has_two_factor(request, user):
        raise UploadRefused(403, f"User '{user.username}' has two-factor authentication enabled: "
                                 "upload with an API token instead of a password")
    return Uploader(user=user)


def _record_wrong_password(request, user: User) -> None:
    session = request.registry[SESSION_FACTORY]()
    try:
        record_event(session, "account:login:failure", user, request_origin(request, "anonymous"),
                     {"reason": "bad_password", "username": user.username, "via": "upload"})
        session.commit()
    finally:
        session.close()
    request.registry[CHAINER].after_commit()  # chained now, not at the next commit of another request
