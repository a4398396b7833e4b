"""Giving, changing and taking roles on projects, each recorded on the project's history."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from companion.accounts.models import User
from companion.events import Origin, record_event
from companion.packaging.models import Project, Role, RoleName, canonicalize_name


class RoleError(Exception):
    """The user, the project or the role is not what the action needs."""


def _one(session, model, where, what):
    found = session.scalars(sa.select(model).where(where)).one_or_none()
    if found is None:
        raise RoleError(f"no such {what}")
    return found


def apply(session: Session, action: str, username: str, project_name: str, role_name: str,
          admin_name: str | None = None) -> str:
    """Do ``action`` (add, change, remove) and record its event; a sentence saying what was done."""
    user = _one(session, User, sa.func.lower(User.username) == username.lower(), f"user {username!r}")
    project = _one(session, Project, Project.normalized_name == canonicalize_name(project_name),
                   f"project {project_name!r}")
    origin = Origin("system")
    if admin_name is not None:
        admin = _one(session, User, User.username == admin_name, f"user {admin_name!r}")
        if not admin.is_admin:
            raise RoleError(f"{admin_name} is not an administrator")
        origin = Origin(f"admin:{admin.id}")
    role = session.scalars(sa.select(Role).where(Role.user_id == user.id, Role.project_id == project.id)).first()
    details = {"username": user.username, "role": role_name}
    if action == "add":
        if role is not None:
            raise RoleError(f"{user.username} already has a role on {project.name}")
        session.add(Role(user=user, project=project, role_name=RoleName(role_name)))
    elif role is None:
        raise RoleError(f"{user.username} has no role on {project.name}")
    elif action == "change":
        details["old"] = str(role.role_name)
        role.role_name = RoleName(role_name)
    else:
        details["role"] = str(role.role_name)
        session.delete(role)
    session.flush()
    record_event(session, f"project:role:{action}", project, origin, details)
    return f"{action}: {user.username} on {project.name} ({details['role']})"
