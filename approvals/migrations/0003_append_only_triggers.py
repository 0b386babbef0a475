"""Database triggers that refuse UPDATE and DELETE on the step log, on SQLite and PostgreSQL.

Row triggers only: TRUNCATE (how Django's test runner empties tables on PostgreSQL) is
left alone; the hash chain and exported checkpoints detect whatever a DBA does beyond this.
"""

from django.db import migrations

SQLITE_CREATE = [
    """CREATE TRIGGER approvals_step_no_update BEFORE UPDATE ON approvals_step
       BEGIN SELECT RAISE(ABORT, 'approvals_step is append-only'); END""",
    """CREATE TRIGGER approvals_step_no_delete BEFORE DELETE ON approvals_step
       BEGIN SELECT RAISE(ABORT, 'approvals_step is append-only'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS approvals_step_no_update",
    "DROP TRIGGER IF EXISTS approvals_step_no_delete",
]
POSTGRES_CREATE = [
    """CREATE OR REPLACE FUNCTION approvals_step_refuse_change() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'approvals_step is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER approvals_step_no_update BEFORE UPDATE OR DELETE ON approvals_step
       FOR EACH ROW EXECUTE FUNCTION approvals_step_refuse_change()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS approvals_step_no_update ON approvals_step",
    "DROP FUNCTION IF EXISTS approvals_step_refuse_change()",
]


def statements_for(vendor: str, create: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_CREATE if create else SQLITE_DROP
    if vendor == "postgresql":
        return POSTGRES_CREATE if create else POSTGRES_DROP
    raise RuntimeError(f"no append-only triggers written for {vendor}")


def install(apps, schema_editor):
    for sql in statements_for(schema_editor.connection.vendor, create=True):
        schema_editor.execute(sql)


def remove(apps, schema_editor):
    for sql in statements_for(schema_editor.connection.vendor, create=False):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("approvals", "0002_initial")]
    operations = [migrations.RunPython(install, remove)]
