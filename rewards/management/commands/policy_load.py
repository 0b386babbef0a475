"""``manage.py policy_load FILE``: create or correct one reward policy version from YAML or JSON."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rewards.exceptions import RewardError
from rewards.services import reward_policy_load


class Command(BaseCommand):
    help = (
        "Load one reward policy (YAML or JSON) with the keys code, name, jurisdictions (codes), recognized_from, "
        "recognized_to, first_time and renewal (tier → yuan), top_up, champion_basis (enterprise/product), "
        "cap_counts_other_levels, notice_working_days, fund, and optionally supersedes (the code it replaces, "
        "which then ends the day before). Overlaps within a fund and changes to a policy that produced "
        "entitlements are refused."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": file})
        try:
            policy = reward_policy_load(path=file, by=None)
        except RewardError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(_("Policy %(code)s saved.") % {"code": policy.code}))
