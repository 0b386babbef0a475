"""The step log's models leave approvals for the ``steplog`` app, in the migration state only.

Nothing in the database changes: the tables keep their names (the models in ``steplog``
declare ``db_table``), and so do the rows, indexes and append-only triggers (0003). The
content types move with the models, so the permissions attached to them (``audit``,
``view_step``, …) and anything pointing at those content types follow to ``steplog``.
"""

from django.db import migrations

MOVED = ("step", "chainhead", "checkpoint", "chainverification")


def move_content_types(apps, from_label: str, to_label: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model in MOVED:
        source = ContentType.objects.filter(app_label=from_label, model=model).first()
        if source is None:  # a fresh database: content types are made after migrating
            continue
        target = ContentType.objects.filter(app_label=to_label, model=model).first()
        if target is None:
            source.app_label = to_label
            source.save(update_fields=["app_label"])
            continue
        # Made by an earlier partial migrate: keep the original permission rows (and their
        # grants), dropping the fresh duplicates; the old content type is left stale.
        codenames = Permission.objects.filter(content_type=source).values_list("codename", flat=True)
        Permission.objects.filter(content_type=target, codename__in=list(codenames)).delete()
        Permission.objects.filter(content_type=source).update(content_type=target)


def to_steplog(apps, schema_editor):
    move_content_types(apps, "approvals", "steplog")


def back_to_approvals(apps, schema_editor):
    move_content_types(apps, "steplog", "approvals")


class Migration(migrations.Migration):
    dependencies = [
        ("approvals", "0007_one_active_task_per_case_and_kind"),
        ("steplog", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.DeleteModel(name="Step"),
                migrations.DeleteModel(name="ChainHead"),
                migrations.DeleteModel(name="Checkpoint"),
                migrations.DeleteModel(name="ChainVerification"),
            ],
        ),
        migrations.RunPython(to_steplog, back_to_approvals),
    ]
