"""Seed the criteria rule sets (version 1 of each) from ``workflows.criteria.definitions``."""

from django.db import migrations


def seed(apps, schema_editor):
    from workflows.criteria.definitions import RULESETS, ruleset_row

    RuleSet = apps.get_model("workflows", "RuleSet")
    Rule = apps.get_model("workflows", "Rule")
    for spec in RULESETS:
        fields, rules = ruleset_row(spec)
        if RuleSet.objects.filter(code=fields["code"], tier=fields["tier"]).exists():
            continue
        ruleset = RuleSet.objects.create(version=1, is_current=True, change_note="Seeded from DESIGN §4", **fields)
        Rule.objects.bulk_create(Rule(ruleset=ruleset, **rule) for rule in rules)


class Migration(migrations.Migration):
    dependencies = [("workflows", "0002_criteria_and_coaching")]

    # Unapplying 0002 drops the tables; nothing to undo here.
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
