"""Every domain's models, imported together so the mappers and ``Base.metadata`` are complete.

Alembic's env.py, the seed and the app import this module; a new domain adds its line here.
"""

from companion.accounts.models import User
from companion.db import Base
from companion.events.models import Event
from companion.mfa.models import RecoveryCode, TOTPCredential, WebAuthnChallenge, WebAuthnCredential
from companion.packaging.models import File, PackageType, Project, Release, Role, RoleName
from companion.tokens.models import APIToken

__all__ = ["APIToken", "Base", "Event", "File", "PackageType", "Project", "RecoveryCode", "Release", "Role",
           "RoleName", "TOTPCredential", "User", "WebAuthnChallenge", "WebAuthnCredential"]
