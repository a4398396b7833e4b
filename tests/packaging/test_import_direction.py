"""Imports point down the layers (ARCHITECTURE.md): every import in i18n_tool, at any depth of a
module, read with ast. The core installs without the extras, so what an extra provides is imported
only by the package of that extra."""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path, module: str) -> set[str]:
    """The absolute names ``module`` (at ``path``) imports, relative imports resolved."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]) if node.level else ""
            stem = ".".join(filter(None, (base, node.module)))
            names.add(stem)
            names.update(f"{stem}.{alias.name}" for alias in node.names)  # `from pkg import module`
    return names


IMPORTS = {module_name(path): imported(path, module_name(path)) for path in sorted((ROOT / "i18n_tool").rglob("*.py"))}


def within(name: str, *packages: str) -> bool:
    return any(name == package or name.startswith(package + ".") for package in packages)


# (who may not import, what, unless the importer is within one of these)
RULES = [
    ("i18n_tool", ("i18n_tool.cli",), ("i18n_tool.cli", "i18n_tool.__main__")),
    ("i18n_tool", ("companion",), ()),
    ("i18n_tool", ("pyramid", "pyramid_jinja2", "webob", "wtforms", "translationstring", "zope", "sqlalchemy",
                   "i18n_tool.pyramid"), ("i18n_tool.pyramid",)),
    ("i18n_tool", ("selenium", "waitress"), ("i18n_tool.a11y", "i18n_tool.cli.audit")),
    # the configuration reads [tool.i18n-tool.audit] with the audit's schema, i18n_tool.a11y.config, and nothing else of it
    ("i18n_tool", ("i18n_tool.a11y",), ("i18n_tool.a11y", "i18n_tool.cli.audit", "i18n_tool.config")),
    ("i18n_tool", ("transifex", "requests", "i18n_tool.sync"), ("i18n_tool.sync", "i18n_tool.cli.sync")),
    ("i18n_tool.extractors", ("i18n_tool.a11y", "i18n_tool.sync"), ()),
    ("i18n_tool.checks", ("i18n_tool.a11y", "i18n_tool.sync"), ()),
    ("i18n_tool.catalog", ("i18n_tool.a11y", "i18n_tool.sync"), ()),
]


def arrows_back_up(importers, forbidden, allowed) -> list[str]:
    return sorted({f"{module} imports {package}" for module, names in IMPORTS.items()
                   if within(module, importers) and not within(module, *allowed)
                   for name in names for package in forbidden if within(name, package)})


@pytest.mark.parametrize("importers, forbidden, allowed", RULES, ids=[f"{r[0]}-{r[1][0]}" for r in RULES])
def test_no_import_points_back_up(importers, forbidden, allowed):
    assert arrows_back_up(importers, forbidden, allowed) == []


def reached(module: str) -> set[str]:
    """Every name ``module`` imports, and what the i18n_tool modules among them import, and so on."""
    seen, names, todo = set(), set(), [module]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for name in IMPORTS.get(current, ()):
            names.add(name)
            parts = name.split(".")  # importing a.b.c runs a/__init__ and a/b/__init__ too
            todo.extend(".".join(parts[:end]) for end in range(1, len(parts) + 1) if ".".join(parts[:end]) in IMPORTS)
    return names


WEB_FRAMEWORK = ("pyramid", "pyramid_jinja2", "webob", "wtforms", "translationstring", "zope", "i18n_tool.pyramid")
FRAMEWORK_FREE = [module for module in IMPORTS if within(module, "i18n_tool.a11y", "i18n_tool.checks")]


@pytest.mark.parametrize("module", FRAMEWORK_FREE)
def test_checks_and_audits_never_reach_the_web_framework(module):
    """Not even through another module: a static HTML check or a catalog check runs without Pyramid or WTForms."""
    assert sorted(name for name in reached(module) for package in WEB_FRAMEWORK if within(name, package)) == []


def test_the_configuration_takes_only_the_audits_schema_which_needs_no_browser():
    taken = {name for module, names in IMPORTS.items() if within(module, "i18n_tool.config")
             for name in names if within(name, "i18n_tool.a11y")}
    assert taken and all(within(name, "i18n_tool.a11y.config") for name in taken), taken
    assert [name for name in reached("i18n_tool.a11y.config") if within(name, "selenium", "waitress")] == []


def test_a_static_check_runs_without_importing_the_web_framework():
    program = (
        "import sys\n"
        "from i18n_tool.a11y.static import static_findings\n"
        "import i18n_tool.checks.runner\n"
        "found = static_findings('<!doctype html><html lang=de dir=rtl><title>x</title><p>x', url='/', locale='pt_BR',"
        " state='loaded', route='/', source=True)\n"
        "assert {f.rule for f in found} >= {'html-lang-mismatch', 'html-dir-mismatch'}, found\n"
        f"print(sorted(m for m in sys.modules if any(m == p or m.startswith(p + '.') for p in {WEB_FRAMEWORK!r})))\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "[]"


def test_the_walk_sees_the_imports():
    assert "i18n_tool.extractors" in IMPORTS["i18n_tool.extract"]
    assert "i18n_tool.a11y.targets" in IMPORTS["i18n_tool.cli.audit"]
    assert "pyramid.events" in IMPORTS["i18n_tool.pyramid"]
    assert arrows_back_up("i18n_tool.a11y", ("i18n_tool.locales",), ()) == [
        "i18n_tool.a11y.static imports i18n_tool.locales", "i18n_tool.a11y.static_rules imports i18n_tool.locales"]
    assert "babel.core" in reached("i18n_tool.a11y.static")  # through i18n_tool.locales
    assert "pyramid.events" in reached("i18n_tool.pyramid.request")  # through i18n_tool.pyramid/__init__
