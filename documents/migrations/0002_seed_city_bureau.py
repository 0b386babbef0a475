"""Seeds the default issuer: the city bureau, 镇江市工业和信息化局, numbers 镇工信〔year〕N号.

Its seal is left empty, so documents carry the demo placeholder (a red ring marked
样章, "demo seal, no legal effect") until the bureau uploads its own image in admin.
"""

from django.db import migrations

CITY_BUREAU = {
    "name": "镇江市工业和信息化局",
    "mark_text": "镇江市工业和信息化局文件",
    "number_prefix": "镇工信",
    "office": "镇江市工业和信息化局办公室",
}


def seed(apps, schema_editor):
    Issuer = apps.get_model("documents", "Issuer")
    defaults = {key: value for key, value in CITY_BUREAU.items() if key != "number_prefix"}
    has_default = Issuer.objects.filter(is_default=True).exists()
    Issuer.objects.get_or_create(
        number_prefix=CITY_BUREAU["number_prefix"], defaults={**defaults, "is_default": not has_default}
    )


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
