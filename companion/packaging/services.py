from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, contains_eager, selectinload
from zope.interface import implementer

from companion.packaging.interfaces import IProjectService
from companion.packaging.models import Project, Release, Role, canonicalize_name

MAX_QUERY_LENGTH = 200


@implementer(IProjectService)
class DatabaseProjectService:
    def __init__(self, session: Session):
        self.db = session

    def get_project(self, name: str) -> Project | None:
        return self.db.scalars(
            sa.select(Project).where(Project.normalized_name == canonicalize_name(name)).options(
                selectinload(Project.releases).selectinload(Release.files),
                selectinload(Project.roles).joinedload(Role.user),
            )
        ).one_or_none()

    def count_projects(self) -> int:
        return self.db.scalar(sa.select(sa.func.count()).select_from(Project))

    def _page(self, where, order_by, offset: int, limit: int) -> tuple[int, list[Project]]:
        total = self.db.scalar(sa.select(sa.func.count()).select_from(Project).where(where))
        projects = self.db.scalars(
            sa.select(Project).where(where).order_by(*order_by).offset(offset).limit(limit)
            .options(selectinload(Project.releases))
        ).all()
        return total, list(projects)

    def list_projects(self, offset: int, limit: int) -> tuple[int, list[Project]]:
        return self._page(sa.true(), (Project.normalized_name,), offset, limit)

    def search(self, query: str, offset: int, limit: int) -> tuple[int, list[Project]]:
        query = query.strip()[:MAX_QUERY_LENGTH]
        normalized = canonicalize_name(query)
        where = sa.or_(
            Project.name.icontains(query, autoescape=True),
            Project.normalized_name.contains(normalized, autoescape=True),
            Project.summary.icontains(query, autoescape=True),
        )
        exact_first = sa.case((Project.normalized_name == normalized, 0), else_=1)
        return self._page(where, (exact_first, Project.normalized_name), offset, limit)

    def recent_releases(self, limit: int) -> list[Release]:
        return list(self.db.scalars(
            sa.select(Release).join(Release.project).where(sa.not_(Release.yanked))
            .options(contains_eager(Release.project))
            .order_by(Release.created.desc(), Release.id.desc()).limit(limit)
        ))


def database_project_factory(context, request) -> DatabaseProjectService:
    return DatabaseProjectService(request.db)
