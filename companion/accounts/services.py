from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload
from zope.interface import implementer

from companion.accounts.interfaces import IUserService
from companion.accounts.passwords import hash_password
from companion.accounts.models import User
from companion.packaging.models import Project, Role


@implementer(IUserService)
class DatabaseUserService:
    def __init__(self, session: Session):
        self.db = session

    def get_user_by_username(self, username: str) -> User | None:
        return self.db.scalars(
            sa.select(User).where(sa.func.lower(User.username) == username.lower())
        ).one_or_none()

    def get_user(self, user_id: int) -> User | None:
        return self.db.get(User, user_id)

    def get_user_by_email(self, email: str) -> User | None:
        return self.db.scalars(
            sa.select(User).where(sa.func.lower(User.email) == email.strip().lower())
        ).first()

    def create_user(self, username: str, email: str, password: str, preferred_locale: str | None = None) -> User:
        user = User(username=username, email=email, password_hash=hash_password(password),
                    preferred_locale=preferred_locale)
        self.db.add(user)
        self.db.flush()
        return user

    def count_users(self) -> int:
        return self.db.scalar(sa.select(sa.func.count()).select_from(User))

    def roles_for_user(self, user: User) -> list[Role]:
        return list(self.db.scalars(
            sa.select(Role).join(Role.project).where(Role.user_id == user.id)
            .options(joinedload(Role.project)).order_by(Project.normalized_name)
        ))


def database_user_factory(context, request) -> DatabaseUserService:
    return DatabaseUserService(request.db)
