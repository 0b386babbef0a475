"""The city's policy ZJ-2023 (DESIGN §5; the seed's 保障措施(二)) and its fund.

Urban districts (jurisdictions with ``reward_covered``), recognitions dated
2023-01-01 … 2025-12-31: a first-time little giant ¥300,000, a first-time single
champion ¥500,000, a rewarded little giant topped up to ¥500,000; renewals earn nothing.
Administrators correct it by loading a new version that supersedes it.
"""

import datetime

from django.db import migrations

FUND = ("ZJ-CITY-SRDI", "市级专精特新奖励资金")
POLICY = {
    "code": "ZJ-2023",
    "name": "镇江市专精特新企业奖励（2023—2025年行动方案 保障措施(二)）",
    "level": "city",
    "recognized_from": datetime.date(2023, 1, 1),
    "recognized_to": datetime.date(2025, 12, 31),
    "first_time": {"little_giant": "300000.00", "champion": "500000.00"},
    "renewal": {},
    "top_up": True,
    "champion_basis": "enterprise",
    "cap_counts_other_levels": False,
    "notice_working_days": 5,
    "revocation_ban_years": 3,
}


def seed(apps, schema_editor):
    Fund = apps.get_model("rewards", "Fund")
    RewardPolicy = apps.get_model("rewards", "RewardPolicy")
    Jurisdiction = apps.get_model("enterprises", "Jurisdiction")
    if RewardPolicy.objects.filter(code=POLICY["code"]).exists():
        return
    fund, _created = Fund.objects.get_or_create(code=FUND[0], defaults={"name": FUND[1]})
    policy = RewardPolicy.objects.create(fund=fund, **POLICY)
    policy.jurisdictions.set(Jurisdiction.objects.filter(reward_covered=True))


class Migration(migrations.Migration):
    dependencies = [("rewards", "0001_initial"), ("enterprises", "0002_seed_jurisdictions_and_chains")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
