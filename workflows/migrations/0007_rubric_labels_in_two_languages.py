"""The default rubric's labels read "专业化 Specialisation" in every language; keep the two apart
(``label`` and ``label_en``) so each reader reads their own. A label the city typed in one
language is left as it is."""

import re

from django.db import migrations

BILINGUAL = re.compile(r"^([\u3400-\u9fff]+)\s+([A-Za-z][A-Za-z &-]*)$")


def split_labels(apps, schema_editor):
    ApplicationBatch = apps.get_model("workflows", "ApplicationBatch")
    for batch in ApplicationBatch.objects.all():
        changed = False
        for item in batch.rubric:
            match = BILINGUAL.match(item.get("label", ""))
            if match and "label_en" not in item:
                item["label"], item["label_en"] = match.groups()
                changed = True
        if changed:
            batch.save(update_fields=["rubric"])


def join_labels(apps, schema_editor):
    ApplicationBatch = apps.get_model("workflows", "ApplicationBatch")
    for batch in ApplicationBatch.objects.all():
        for item in batch.rubric:
            if "label_en" in item:
                item["label"] = f"{item['label']} {item.pop('label_en')}"
        batch.save(update_fields=["rubric"])


class Migration(migrations.Migration):
    dependencies = [("workflows", "0006_pool_entry_evidence")]
    operations = [migrations.RunPython(split_labels, join_labels)]
