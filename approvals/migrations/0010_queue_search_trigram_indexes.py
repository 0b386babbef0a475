"""Trigram indexes for the queue's search (PostgreSQL only; SQLite scans, which is fine at its sizes).

The search is ``UPPER(x) LIKE UPPER('%term%')`` on the task title and the enterprise name. With
100,000 open tasks a district's search scanned its ~12,000 tasks (~75 ms); with these indexes both
sides are index lookups (under 1 ms). pg_trgm splits Chinese text into trigrams as well (UTF-8
databases), so 企业 names are found the same way.
"""

from django.db import migrations

INDEXES = [
    ("queue_title_trgm_idx", "approvals_queuetask", "UPPER(title) gin_trgm_ops", "WHERE closed_at IS NULL"),
    ("enterprise_name_trgm_idx", "enterprises_enterprise", "UPPER(name) gin_trgm_ops", ""),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, expression, condition in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({expression}) {condition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, *_ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("approvals", "0009_expert_queue_role"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
