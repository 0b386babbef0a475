"""The eight jurisdictions of Zhenjiang (DESIGN §2) and the city's industry chains.

Both are data: administrators correct them in the admin. Items marked (verify) in
DESIGN — the zones' reward coverage and the chain list — are seeded as best known.
"""

from django.db import migrations

JURISDICTIONS = [
    # code, name, English, kind, covered by the city reward policy
    ("321102", "京口区", "Jingkou District", "district", True),
    ("321111", "润州区", "Runzhou District", "district", True),
    ("321112", "丹徒区", "Dantu District", "district", True),
    ("321171", "镇江新区", "Zhenjiang New Area (ETDZ)", "zone", True),
    ("ZJ-HTZ", "镇江高新区", "Zhenjiang High-tech Zone", "zone", True),
    ("321181", "丹阳市", "Danyang", "county_city", False),
    ("321182", "扬中市", "Yangzhong", "county_city", False),
    ("321183", "句容市", "Jurong", "county_city", False),
]

INDUSTRY_CHAINS = [
    ("智能电气", "Smart electrical equipment"),
    ("航空航天", "Aerospace"),
    ("高端装备", "High-end equipment"),
    ("海工装备与船舶", "Marine engineering and shipbuilding"),
    ("高性能材料", "High-performance materials"),
    ("新能源", "New energy (PV and storage)"),
    ("生物医药与医疗器械", "Biomedicine and medical devices"),
    ("数字经济", "Digital economy"),
]


def seed(apps, schema_editor):
    Jurisdiction = apps.get_model("enterprises", "Jurisdiction")
    IndustryChain = apps.get_model("enterprises", "IndustryChain")
    for order, (code, name, name_en, kind, covered) in enumerate(JURISDICTIONS):
        Jurisdiction.objects.update_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "kind": kind, "reward_covered": covered, "sort_order": order},
        )
    for order, (name, name_en) in enumerate(INDUSTRY_CHAINS):
        IndustryChain.objects.update_or_create(name=name, defaults={"name_en": name_en, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
