"""i18n_tool.extract: which files are extracted, in which order, by the pool or from the cache."""

from babel.messages.extract import DEFAULT_KEYWORDS

from i18n_tool.config import Rule
from i18n_tool.extract import SERIAL_LIMIT, Settings, Source, find_files, run
from i18n_tool.extract_cache import ExtractCache

SETTINGS = Settings(dict(DEFAULT_KEYWORDS), ("Translators:",))


def tree(root, names):
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("{% trans %}" + name + "{% endtrans %}\n" if name.endswith(".html") else "x = 1\n")


def displays(jobs):
    return [job.display for job in jobs]


def test_first_matching_rule_wins_and_ignore_prunes(tmp_path):
    tree(tmp_path, ["app/a.html", "app/b.py", "app/vendor/c.html", "app/static/d.html", "app/.git/e.html"])
    rules = (Rule("vendor/**", "ignore", {}), Rule("**.html", "jinja2", {}), Rule("**.html", "python", {}))
    jobs, _ = find_files([Source("app", str(tmp_path / "app"))], rules)
    assert displays(jobs) == ["app/a.html", "app/static/d.html"]
    assert {job.method for job in jobs} == {"jinja2"}


def test_ignore_dirs_replace_the_dot_default(tmp_path):
    tree(tmp_path, ["app/.hidden/a.html", "app/node_modules/b.html", "app/c.html"])
    rules = (Rule("**.html", "jinja2", {}),)
    jobs, _ = find_files([Source("app", str(tmp_path / "app"))], rules, ignore_dirs=("node_*",))
    assert displays(jobs) == ["app/c.html", "app/.hidden/a.html"]


def test_underscore_directories_are_walked_with_a_note(tmp_path):
    tree(tmp_path, ["app/_partials/a.html", "app/b.html"])
    jobs, notes = find_files([Source("app", str(tmp_path / "app"))], (Rule("**.html", "jinja2", {}),))
    assert displays(jobs) == ["app/b.html", "app/_partials/a.html"]
    assert [(n.path, n.code) for n in notes] == [("app/_partials", "underscore-dir")]


def test_pool_gives_the_serial_result(tmp_path):
    names = [f"app/p{i:03}.html" for i in range(SERIAL_LIMIT * 3)]
    tree(tmp_path, names)
    jobs, _ = find_files([Source("app", str(tmp_path / "app"))], (Rule("**.html", "jinja2", {}),))
    serial, _ = run(jobs, SETTINGS, workers=1)
    pooled, _ = run(jobs, SETTINGS, workers=2)
    assert [r.messages for r in pooled] == [r.messages for r in serial]
    assert [r.messages[0][1] for r in pooled] == names


def test_cache_serves_unchanged_files_and_reports_progress(tmp_path):
    tree(tmp_path, ["app/a.html", "app/b.html", "app/c.html"])
    jobs, _ = find_files([Source("app", str(tmp_path / "app"))], (Rule("**.html", "jinja2", {}),))
    calls = []
    cache = ExtractCache(tmp_path / "cache", "out.pot")
    first, hits = run(jobs, SETTINGS, cache, progress=lambda done, total: calls.append((done, total)))
    cache.save()
    assert hits == 0 and calls == [(1, 3), (2, 3), (3, 3)]

    (tmp_path / "app/b.html").write_text("{% trans %}changed{% endtrans %}")
    calls.clear()
    second, hits = run(jobs, SETTINGS, ExtractCache(tmp_path / "cache", "out.pot"),
                       progress=lambda done, total: calls.append((done, total)))
    assert hits == 2 and calls == [(1, 1)]
    assert [r.messages[0][1] for r in second] == ["app/a.html", "changed", "app/c.html"]


def test_cache_is_keyed_by_keywords_too(tmp_path):
    tree(tmp_path, ["app/a.html"])
    jobs, _ = find_files([Source("app", str(tmp_path / "app"))], (Rule("**.html", "jinja2", {}),))
    cache = ExtractCache(tmp_path / "cache", "out.pot")
    run(jobs, SETTINGS, cache)
    cache.save()
    other = Settings({"_": None}, ())
    _, hits = run(jobs, other, ExtractCache(tmp_path / "cache", "out.pot"))
    assert hits == 0
