"""``manage.py whitelist_token BANK_NAME``: issue a bank a white-list token and print its key once.

``--revoke PREFIX`` revokes the bank's token whose key starts with PREFIX instead.
"""

from django.core.management.base import BaseCommand, CommandError

from dashboard.exceptions import DashboardError
from dashboard.models import WhiteListToken
from dashboard.services import white_list_token_issue, white_list_token_revoke


class Command(BaseCommand):
    help = "Issue a financial institution a token for GET /api/white-list/ (the key is printed once), or revoke one."

    def add_arguments(self, parser):
        parser.add_argument("bank_name", help="the financial institution, e.g. 中国工商银行镇江分行")
        parser.add_argument("--revoke", metavar="PREFIX", help="revoke this bank's token whose key starts with PREFIX")

    def handle(self, *args, bank_name, revoke=None, **options):
        try:
            if revoke:
                self._revoke(bank_name, revoke)
                return
            token, key = white_list_token_issue(bank_name=bank_name, by=None)
        except DashboardError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(key)
        self.stderr.write(f"Issued to {token.bank_name}; store the key now: it is not kept and cannot be shown again.")

    def _revoke(self, bank_name: str, prefix: str) -> None:
        tokens = list(WhiteListToken.objects.filter(bank_name=bank_name, key_prefix__startswith=prefix[:8], active=True))
        if len(tokens) != 1:
            raise CommandError(f"{len(tokens)} active tokens of {bank_name} start with {prefix!r}; name exactly one.")
        white_list_token_revoke(token=tokens[0], by=None)
        self.stdout.write(f"Revoked {tokens[0]}.")
