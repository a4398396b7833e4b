"""The rows an accepted upload adds (project, owner role, release, file) and their events.

Every event is on the project, with the uploader's user, token id and scope in ``additional``
and the token (or, for a password, the user) as the actor.
"""

from __future__ import annotations

from packaging.version import InvalidVersion, Version

from companion.packaging.authentication import Uploader
from companion.packaging.digests import Digests
from companion.packaging.metadata import UploadMetadata
from companion.packaging.models import File, PackageType, Project, Release, Role, RoleName


def _who(uploader: Uploader) -> dict:
    return {"submitted_by": uploader.user.username, "auth": uploader.method, "token_id": uploader.token_id,
            "scope": uploader.scope}


def create_project(request, uploader: Uploader, upload: UploadMetadata) -> Project:
    project = Project(name=upload.metadata.name)
    request.db.add(project)
    request.db.add(Role(user=uploader.user, project=project, role_name=RoleName.OWNER))
    request.db.flush()
    who = _who(uploader)
    request.record_event("project:create", project, {"created_by": who.pop("submitted_by"), **who},
                         actor=uploader.actor)
    request.record_event("project:role:add", project, {"username": uploader.user.username, "role": "Owner"},
                         actor=uploader.actor)
    return project


def _version(release: Release) -> Version | None:
    try:
        return Version(release.version)
    except InvalidVersion:
        return None


def find_release(project: Project, version: Version) -> Release | None:
    return next((release for release in project.releases if _version(release) == version), None)


def add_release(request, uploader: Uploader, project: Project, upload: UploadMetadata) -> Release:
    metadata = upload.metadata
    release = Release(project=project, version=str(upload.raw["version"]), summary=metadata.summary or "",
                      description=metadata.description or "",
                      description_content_type=metadata.description_content_type,
                      requires_python=upload.raw.get("requires_python"), core_metadata=upload.stored)
    request.db.add(release)
    newer = [v for v in map(_version, project.releases) if v is not None and v > metadata.version]
    if not newer:  # the project page shows its newest release's summary and description
        project.summary, project.description = release.summary, release.description
    request.db.flush()
    request.record_event("project:release:add", project, {"version": release.version, **_who(uploader)},
                         actor=uploader.actor)
    return release


def add_file(request, uploader: Uploader, release: Release, filename: str, packagetype: PackageType,
             python_version: str | None, digests: Digests, path: str) -> File:
    file = File(release=release, filename=filename, packagetype=packagetype, python_version=python_version,
                size=digests.size, sha256=digests.sha256, blake2_256=digests.blake2_256, path=path,
                uploaded_by=uploader.user, token_id=uploader.token_id)
    request.db.add(file)
    request.db.flush()
    request.record_event("project:release:file:add", release.project,
                         {"filename": filename, "version": release.version, "sha256": digests.sha256,
                          **_who(uploader)}, actor=uploader.actor)
    return file
