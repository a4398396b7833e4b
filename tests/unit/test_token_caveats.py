"""The caveat vocabulary of API tokens: what parses, what fails closed, what each one allows."""

import json

import pytest

from companion.tokens import caveats


@pytest.mark.parametrize("text, expected", [
    ('{"user": 5}', caveats.Caveat(user=5)),
    ('{"projects": [3, 9, 3]}', caveats.Caveat(projects=frozenset({3, 9}))),
    ('{"project_names": ["Fetch_Well"]}', caveats.Caveat(project_names=frozenset({"fetch-well"}))),
    ('{"nbf": 10, "exp": 20}', caveats.Caveat(not_before=10, expires=20)),
    ('{"exp": 20}', caveats.Caveat(expires=20)),
])
def test_known_caveats_parse(text, expected):
    assert caveats.parse(text) == expected


@pytest.mark.parametrize("text", [
    "", "not json", "[]", "{}", "null", '"user"', '{"user": "5"}', '{"user": true}', '{"user": 5, "projects": [1]}',
    '{"projects": []}', '{"projects": [1, "2"]}', '{"projects": 1}', '{"project_names": [""]}',
    '{"exp": 1.5}', '{"exp": 20, "scope": "all"}', '{"permissions": "user", "version": 1}', b"\xff",
])
def test_anything_else_fails_closed(text):
    assert caveats.parse(text) is None


def test_time_window_and_user():
    window = caveats.Caveat(not_before=100, expires=200)
    assert caveats.refusal(window, 1, 99) == "not_yet_valid"
    assert caveats.refusal(window, 1, 150) is None
    assert caveats.refusal(window, 1, 201) == "expired"
    assert caveats.refusal(caveats.Caveat(user=1), 2, 150) == "invalid"


def test_project_caveats_by_id_survive_a_rename_and_never_allow_a_new_project():
    by_id = caveats.parse(caveats.dump_projects([7]))
    assert caveats.allows_project(by_id, 7, "renamed-project")
    assert not caveats.allows_project(by_id, 8, "other")
    assert not caveats.allows_project(by_id, None, "new-project")
    by_name = caveats.parse(json.dumps({"project_names": ["fetchwell"]}))
    assert caveats.allows_project(by_name, 3, "fetchwell")
    assert not caveats.allows_project(by_name, None, "fetchwell")
    assert caveats.allows_project(caveats.Caveat(user=1), None, "new-project")  # user-wide


def test_dumped_caveats_parse_back():
    assert caveats.parse(caveats.dump_user(4)) == caveats.Caveat(user=4)
    assert caveats.parse(caveats.dump_window(expires=30)) == caveats.Caveat(expires=30)
