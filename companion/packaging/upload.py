"""``POST /legacy/``: the upload API twine speaks (PyPI's legacy ``file_upload`` action).

The order of the checks: the body's size, who uploads, the form and its metadata, whether the
uploader may upload to the project, the file name, the file's size and digests, duplicates. Only
then are rows added and flushed, and the content written to the file storage (before the commit,
so a committed row never points at a file that is not there); if the transaction does not commit
after all, the file is deleted again at the end of the request, unless a committed row points at
it (the same content, uploaded at the same time under the same name).
"""

from __future__ import annotations

import sqlalchemy as sa
from pyramid.response import Response
from pyramid.view import view_config

from companion.db import SESSION_FACTORY
from companion.packaging import publish
from companion.packaging.authentication import Uploader, authenticate_upload
from companion.packaging.digests import Digests, TooLarge, digest
from companion.packaging.filenames import filename_problem
from companion.packaging.interfaces import IFileStorage, IProjectService
from companion.packaging.metadata import MetadataRefused, UploadMetadata, parse_metadata
from companion.packaging.models import File, PackageType, Project
from companion.packaging.refusals import INVALID_AUTHENTICATION, UploadRefused
from companion.packaging.storage import content_path

MAX_SIZE = "upload.max_size"
DEFAULT_MAX_SIZE = 100 * 1024 * 1024  # bytes per file
FORM_ALLOWANCE = 10 * 1024 * 1024  # what the body may hold beside the file: metadata, description
DIGEST_FIELDS = ("sha256_digest", "blake2_256_digest", "md5_digest")
MAGIC = {PackageType.SDIST: b"\x1f\x8b", PackageType.BDIST_WHEEL: b"PK\x03\x04"}  # gzip, zip


def max_size(request) -> int:
    return int(request.registry.settings.get(MAX_SIZE) or DEFAULT_MAX_SIZE)


def _form(request):
    limit = max_size(request)
    if request.content_length is not None and request.content_length > limit + FORM_ALLOWANCE:
        raise UploadRefused(413, f"Upload too large: files may be at most {limit} bytes")
    if request.content_type != "multipart/form-data":
        raise UploadRefused(400, "Invalid request: expected a multipart/form-data body")
    try:
        form = request.POST
    except Exception:  # the multipart parser's errors have no common class
        raise UploadRefused(400, "Invalid request: the multipart body could not be read") from None
    if form.get(":action") != "file_upload":
        raise UploadRefused(400, "Invalid request: unsupported :action (expected file_upload)")
    if form.get("protocol_version", "1") != "1":
        raise UploadRefused(400, "Invalid request: unsupported protocol_version (expected 1)")
    return form


def _packagetype(form) -> PackageType:
    try:
        return PackageType(form.get("filetype", ""))
    except ValueError:
        raise UploadRefused(400, "Invalid value for filetype: expected sdist or bdist_wheel") from None


def _content(form):
    content = form.get("content")
    if content is None or isinstance(content, str) or not getattr(content, "filename", None):
        raise UploadRefused(400, "Upload payload does not have a file")
    return content


def _digests(request, form, content) -> Digests:
    limit = max_size(request)
    try:
        digests = digest(content.file, limit)
    except TooLarge:
        raise UploadRefused(400, f"File too large: files may be at most {limit} bytes") from None
    given = {field: form[field] for field in DIGEST_FIELDS if isinstance(form.get(field), str) and form[field]}
    if not given.keys() & {"sha256_digest", "blake2_256_digest"}:
        raise UploadRefused(400, "Missing digest: send sha256_digest or blake2_256_digest")
    mismatched = digests.mismatch(given)
    if mismatched:
        raise UploadRefused(400, f"The {mismatched} does not match the uploaded file (was it cut short?)")
    return digests


def _check_content(content, packagetype: PackageType) -> None:
    start = content.file.read(4)
    content.file.seek(0)
    if not start.startswith(MAGIC[packagetype]):
        kind = "a gzip-compressed tar" if packagetype is PackageType.SDIST else "a zip"
        raise UploadRefused(400, f"Invalid distribution file: {content.filename!r} is not {kind} archive")


def _pyversion(form) -> str | None:
    value = form.get("pyversion")
    return value[:50] if isinstance(value, str) and value else None


def _duplicates(request, filename: str, digests: Digests) -> None:
    same = request.db.execute(sa.select(File.filename, File.sha256).where(
        sa.or_(File.filename == filename, File.sha256 == digests.sha256))).first()
    if same is None:
        return
    if same.filename == filename:
        raise UploadRefused(409, f"File already exists: {filename!r}")
    raise UploadRefused(409, f"File content already exists as {same.filename!r}: the same file under another name")


def _project(request, uploader: Uploader, upload: UploadMetadata) -> Project | None:
    project = request.find_service(IProjectService).get_project(upload.metadata.name)
    reason = uploader.may_upload(project if project is not None else upload.metadata.name)
    if reason:
        raise UploadRefused(403, reason)
    return project


def _check_release(project: Project | None, upload: UploadMetadata, packagetype: PackageType):
    release = publish.find_release(project, upload.metadata.version) if project is not None else None
    if release is not None and packagetype is PackageType.SDIST and any(
            file.packagetype is PackageType.SDIST for file in release.files):
        raise UploadRefused(400, "Only one sdist may be uploaded per release")
    return release


def _forget_unless_committed(request, path: str) -> None:
    """Delete the written content at the end of the request unless its transaction committed
    (a view error, a failed commit, or a before-commit hook that raised: none of them store it)."""
    committed = []
    request.tm.get().addAfterCommitHook(committed.append)
    storage = request.find_service(IFileStorage)

    def forget(request):
        if committed == [True]:
            return
        session = request.registry[SESSION_FACTORY]()
        try:
            if session.scalar(sa.select(File.id).where(File.path == path)) is None:
                storage.remove(path)
        finally:
            session.close()

    request.add_finished_callback(forget)


@view_config(route_name="packaging.upload", request_method="POST", require_csrf=False)
def upload(request):
    uploader = authenticate_upload(request)
    form = _form(request)
    if uploader is None:
        raise UploadRefused(403, INVALID_AUTHENTICATION)
    if not uploader.user.email_verified:
        raise UploadRefused(400, f"User '{uploader.user.username}' has no verified email address: "
                                 "verify it in the account settings before uploading")
    try:
        metadata = parse_metadata(form)
    except MetadataRefused as refusal:
        raise UploadRefused(400, str(refusal)) from None
    project = _project(request, uploader, metadata)
    packagetype, content = _packagetype(form), _content(form)
    problem = filename_problem(content.filename, packagetype, metadata.metadata.name, metadata.metadata.version)
    if problem:
        raise UploadRefused(400, problem)
    digests = _digests(request, form, content)
    _check_content(content, packagetype)
    _duplicates(request, content.filename, digests)
    release = _check_release(project, metadata, packagetype)

    path = content_path(digests.sha256, content.filename)
    try:
        if project is None:
            project = publish.create_project(request, uploader, metadata)
        if release is None:
            release = publish.add_release(request, uploader, project, metadata)
        publish.add_file(request, uploader, release, content.filename, packagetype, _pyversion(form), digests, path)
    except sa.exc.IntegrityError:  # another upload of the same project, release or file got there first
        raise UploadRefused(409, "Conflict with an upload made at the same time: try again") from None
    _forget_unless_committed(request, path)
    request.find_service(IFileStorage).store(path, content.file)
    return Response("OK\n", content_type="text/plain", charset="utf-8")
