"""``manage.py export_enterprises FILE``: write the registry (or one user's scope) to .xlsx or .csv."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from enterprises.models import Role, User
from enterprises.services.exports import EXPORT_FORMATS, enterprises_export


class Command(BaseCommand):
    help = (
        "Export enterprises with one year's metrics to .xlsx or .csv (chosen by the file's extension), under the "
        "import template's headers. Formula-like text is escaped."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="where to write: enterprises.xlsx or enterprises.csv")
        parser.add_argument("--year", type=int, help="the metrics' year (default: the latest on file)")
        parser.add_argument("--by", metavar="USERNAME", help="export what this user may see (default: everything)")

    def handle(self, *args, file: Path, year, by, **options):
        file_format = file.suffix.lstrip(".").lower()
        if file_format not in EXPORT_FORMATS:
            raise CommandError(_("The file must end in .xlsx or .csv."))
        content = enterprises_export(user=self._user(by), year=year, file_format=file_format)
        file.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(_("Written: %(path)s") % {"path": file}))

    def _user(self, username):
        if not username:
            # The whole registry, read as the auditor reads it: everything, changing nothing.
            return User(username="export", role=Role.AUDITOR, is_active=True)
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(_("No such user: %(username)s") % {"username": username}) from None
