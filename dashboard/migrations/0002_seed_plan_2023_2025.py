"""The city's 2023–2025 action plan (seed/, issued 2023-06-26): its targets as the first plan period."""

from decimal import Decimal

from django.db import migrations

PLAN_2023_2025 = {
    "name": "镇江市专精特新企业培育三年行动计划",
    "from_year": 2023,
    "to_year": 2025,
    "source": "镇江市人民政府办公室 2023年6月26日印发《镇江市专精特新企业培育三年行动计划(2023—2025年)》",
    "champions": 12,
    "little_giants": 50,
    "srdi": 300,
    "innovative": 1000,
    "pool": 1500,
    "rd_intensity": Decimal("4.00"),
    "invention_patents_per_firm": Decimal("5.00"),
    "cnc_rate": Decimal("65.00"),
    "digital_management_rate": Decimal("80.00"),
    "digital_rd_tools_rate": Decimal("90.00"),
    "smart_workshops": 50,
    "green_factories": 50,
    "listed_firms": 15,
    "equity_board_firms": 80,
    "jiangsu_premium": 10,
    "design_centres": 30,
}


def seed(apps, schema_editor):
    PlanPeriod = apps.get_model("dashboard", "PlanPeriod")
    values = dict(PLAN_2023_2025)
    PlanPeriod.objects.get_or_create(name=values.pop("name"), defaults=values)


def unseed(apps, schema_editor):
    apps.get_model("dashboard", "PlanPeriod").objects.filter(name=PLAN_2023_2025["name"]).delete()


class Migration(migrations.Migration):
    dependencies = [("dashboard", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
