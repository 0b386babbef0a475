"""The step log is the ground (DESIGN §7): it imports no app of ours, and the registry
imports nothing from the apps above it, so every app may write steps without a cycle."""

import ast
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

from steplog.models import Step
from steplog.services import step_record

ROOT = Path(__file__).resolve().parents[2]
OUR_APPS = {"enterprises", "steplog", "approvals", "documents", "rewards", "workflows", "notifications", "project"}
IMPORT_FUNCTIONS = {"import_module", "import_string", "__import__"}


def imported_modules(app: str) -> dict[str, set[str]]:
    """Every module each source file of ``app`` imports, relative imports resolved,
    including dotted paths given to ``import_module`` / ``import_string``."""
    found = {}
    for path in sorted((ROOT / app).rglob("*.py")):
        package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
        found[str(path.relative_to(ROOT))] = set(_imports(ast.parse(path.read_text(encoding="utf-8")), package))
    return found


def _imports(tree: ast.AST, package: str):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1]) if node.level else ""
            yield ".".join(part for part in (base, node.module) if part)
        elif isinstance(node, ast.Call) and _called_name(node.func) in IMPORT_FUNCTIONS and node.args:
            if isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                yield node.args[0].value


def _called_name(func: ast.expr) -> str:
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def offending(app: str, forbidden: set[str]) -> dict[str, list[str]]:
    return {
        path: sorted(module for module in modules if module.split(".")[0] in forbidden)
        for path, modules in imported_modules(app).items()
        if any(module.split(".")[0] in forbidden for module in modules)
    }


def test_the_scan_sees_absolute_relative_and_dynamic_imports():
    source = "import approvals.x\nfrom documents import y\nfrom ..models import Step\nimport_module('rewards.z')\n"
    assert set(_imports(ast.parse(source), "steplog.management")) == {
        "approvals.x", "documents", "steplog.models", "rewards.z"
    }


def test_the_step_log_imports_no_app_of_ours():
    assert imported_modules("steplog"), "no source files found"
    assert offending("steplog", OUR_APPS - {"steplog"}) == {}


def test_the_registry_imports_nothing_from_the_apps_above_it():
    assert offending("enterprises", {"approvals", "documents", "rewards", "workflows"}) == {}


def test_the_registry_writes_steps_through_the_step_log():
    modules = set().union(*imported_modules("enterprises").values())
    assert "steplog.services" in modules


def test_no_migration_cycle_between_the_step_log_and_the_registry():
    """steplog's state names the user model and the enterprise (lazily, no import); the
    registry's migrations must then never depend on steplog or anything above it."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    depends = {
        app: {parent[0] for node in graph.nodes if node[0] == app for parent in graph.node_map[node].parents}
        for app in ("steplog", "enterprises")
    }
    assert depends["steplog"] & OUR_APPS <= {"steplog", "enterprises"}
    assert depends["enterprises"] & OUR_APPS == {"enterprises"}


def test_steps_keep_their_tables_and_hashes():
    assert Step._meta.db_table == "approvals_step"
    assert "enterprise_id" in {field.attname for field in Step._meta.concrete_fields}


@pytest.mark.django_db
def test_the_audit_permission_belongs_to_the_step_log(cast):
    permission = Permission.objects.get(codename="audit")
    assert permission.content_type.app_label == "steplog"
    assert cast.auditor.has_perm("steplog.audit") and not cast.owner.has_perm("steplog.audit")


def test_moving_the_models_back_and_forth_keeps_an_existing_chain(step_log_flushable, cast):
    """Steps written, approvals' state-only move undone and redone: same rows, same hashes,
    the chain verifies, and the audit permission is the same row, back in steplog."""
    for n in range(3):
        step_record(action=f"test.move{n}", actor=cast.owner, obj=cast.own, comment=f"before {n}")
    before = list(Step.objects.order_by("seq").values_list("seq", "enterprise_id", "hash"))
    permission = Permission.objects.get(codename="audit")
    call_command("verify_audit")

    executor = MigrationExecutor(connection)
    executor.migrate([("approvals", "0007_one_active_task_per_case_and_kind"), ("steplog", None)])
    ContentType.objects.clear_cache()
    assert Permission.objects.get(pk=permission.pk).content_type.app_label == "approvals"
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    ContentType.objects.clear_cache()

    assert list(Step.objects.order_by("seq").values_list("seq", "enterprise_id", "hash")) == before
    assert Permission.objects.get(pk=permission.pk).content_type == ContentType.objects.get_for_model(Step)
    step_record(action="test.after_move", actor=cast.owner, obj=cast.own)
    call_command("verify_audit")
