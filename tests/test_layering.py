"""The project is the top of the house: it includes each app's API URLs, and no app imports
from ``project`` (no shared router, no project helpers), so an app can be read, tested and
moved on its own."""

import ast
import importlib
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[1]
OUR_APPS = sorted(app for app in settings.INSTALLED_APPS if "." not in app and (ROOT / app / "apps.py").exists())
IMPORT_FUNCTIONS = {"import_module", "import_string", "__import__"}


def imports_of(path: Path, source: str | None = None) -> set[str]:
    """Modules a source file imports: absolute, relative (resolved) and dotted strings given to
    ``import_module`` / ``import_string``."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = set()
    for node in ast.walk(ast.parse(source if source is not None else path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]) if node.level else ""
            found.add(".".join(part for part in (base, node.module) if part))
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in IMPORT_FUNCTIONS and isinstance(node.args[0].value, str):
                found.add(node.args[0].value)
    return found


def test_the_apps_are_found():
    assert {"enterprises", "approvals", "documents", "workflows", "rewards", "notifications"} <= set(OUR_APPS)


def test_the_scan_sees_absolute_relative_and_dynamic_imports():
    assert "approvals.selectors" in imports_of(ROOT / "approvals" / "api.py")
    source = "import project.api\nfrom project import urls\nfrom ..x import y\nimport_string('project.z.q')\n"
    probe = ROOT / "workflows" / "views" / "probe.py"
    assert imports_of(probe, source) == {"project.api", "project", "workflows.x", "project.z.q"}


@pytest.mark.parametrize("app", OUR_APPS)
def test_no_app_imports_from_project(app):
    offending = {
        str(path.relative_to(ROOT)): sorted(m for m in imports_of(path) if m.split(".")[0] == "project")
        for path in sorted((ROOT / app).rglob("*.py"))
    }
    assert {path: modules for path, modules in offending.items() if modules} == {}


def test_project_keeps_no_router():
    api = importlib.import_module("project.api")
    assert not hasattr(api, "router")
    assert callable(api.exception_handler)


@pytest.mark.parametrize("module", ["approvals.api", "documents.api", "enterprises.api", "workflows.api", "rewards.api",
                                    "notifications.api"])
def test_each_app_exposes_its_own_api_urls(module):
    api = importlib.import_module(module)
    assert api.urlpatterns and api.router.registry
    for prefix, _viewset, basename in api.router.registry:
        if "(?P<" not in prefix:
            name = f"{basename}-list" if not getattr(api, "app_name", None) else f"{api.app_name}:{basename}-list"
            assert reverse(name).startswith("/api/")


@pytest.mark.django_db
def test_the_api_root_lists_every_app(client, cast):
    client.force_login(cast.city)
    root = client.get("/api/").json()
    for endpoint in ("queue", "documents", "enterprises", "pool-entries", "applications", "reward-policies",
                     "notifications"):
        assert root[endpoint].endswith(f"/api/{endpoint}/")
