"""The caveats of an API token: JSON objects, each a condition every use must meet.

    {"user": 5}                       only for user 5 (every token has it)
    {"projects": [3, 9]}              only for these projects, by id (a rename changes nothing)
    {"project_names": ["fetchwell"]}  only for these projects, by normalized name (for holders
                                      narrowing a token offline, who know names, not ids)
    {"nbf": 1764547200}               not before this Unix time
    {"exp": 1767225600}               not after this Unix time (``nbf`` and ``exp`` may share one)

Caveats only narrow: a holder may add any of them to a token offline. Anything else — invalid
JSON, an unknown key, a value of the wrong type — makes the token invalid (fail closed).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from packaging.utils import canonicalize_name


@dataclass(frozen=True)
class Caveat:
    user: int | None = None
    projects: frozenset[int] | None = None
    project_names: frozenset[str] | None = None
    not_before: int | None = None
    expires: int | None = None


def _int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _ids(value) -> frozenset[int] | None:
    if isinstance(value, list) and value and all(_int(each) for each in value):
        return frozenset(value)
    return None


def _names(value) -> frozenset[str] | None:
    if isinstance(value, list) and value and all(isinstance(each, str) and each for each in value):
        return frozenset(canonicalize_name(each) for each in value)
    return None


def parse(text) -> Caveat | None:
    """The caveat ``text`` states, or None when it is not one we know exactly."""
    try:
        data = json.loads(text)
    except (TypeError, ValueError):
        return None
    if not isinstance(data, dict) or not data:
        return None
    keys = set(data)
    if keys == {"user"} and _int(data["user"]):
        return Caveat(user=data["user"])
    if keys == {"projects"} and (ids := _ids(data["projects"])):
        return Caveat(projects=ids)
    if keys == {"project_names"} and (names := _names(data["project_names"])):
        return Caveat(project_names=names)
    if keys <= {"nbf", "exp"} and all(_int(value) for value in data.values()):
        return Caveat(not_before=data.get("nbf"), expires=data.get("exp"))
    return None


def dump_user(user_id: int) -> str:
    return json.dumps({"user": user_id})


def dump_projects(project_ids) -> str:
    return json.dumps({"projects": sorted(project_ids)})


def dump_window(not_before: int | None = None, expires: int | None = None) -> str:
    return json.dumps({key: value for key, value in (("nbf", not_before), ("exp", expires)) if value is not None})


def refusal(caveat: Caveat, user_id: int, now: float) -> str | None:
    """Why ``caveat`` refuses a use by ``user_id`` at ``now`` (projects are checked later), or None."""
    if caveat.user is not None and caveat.user != user_id:
        return "invalid"
    if caveat.not_before is not None and now < caveat.not_before:
        return "not_yet_valid"
    if caveat.expires is not None and now > caveat.expires:
        return "expired"
    return None


def allows_project(caveat: Caveat, project_id: int | None, normalized_name: str) -> bool:
    """Whether ``caveat`` lets the token act on this project (``project_id`` None: a new project)."""
    if caveat.projects is not None:
        return project_id in caveat.projects
    if caveat.project_names is not None:
        return project_id is not None and normalized_name in caveat.project_names
    return True
