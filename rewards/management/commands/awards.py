"""``manage.py awards CREDIT_CODE [--format json]``: what each recognition of an enterprise earned, and why."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from enterprises.models import Enterprise
from enterprises.validators import normalise_credit_code
from rewards.selectors import enterprise_awards


class Command(BaseCommand):
    help = "List an enterprise's recognitions with their policy, amount (yuan), status and explanation."

    def add_arguments(self, parser):
        parser.add_argument("credit_code")
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args, credit_code: str, format: str, **options):
        enterprise = Enterprise.objects.filter(credit_code=normalise_credit_code(credit_code)).first()
        if enterprise is None:
            raise CommandError(_("No enterprise with the credit code %(code)s.") % {"code": credit_code})
        lines = enterprise_awards(enterprise=enterprise)
        if format == "json":
            self.stdout.write(json.dumps([line.as_dict() for line in lines], ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"{enterprise.name} ({enterprise.credit_code})")
        for line in lines:
            self.stdout.write(
                f"{line.title.recognized_on}  {line.title.get_tier_display()}  {line.policy_code or '—'}  "
                f"{line.amount:>12,.2f}  {line.status_label}  {line.explanation}"
            )
        if not lines:
            self.stdout.write(_("No recognitions recorded."))
