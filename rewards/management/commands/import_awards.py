"""``manage.py import_awards FILE``: past awards (before the system, other levels) from .xlsx or .csv."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from enterprises.exceptions import DomainError
from rewards.services import past_awards_import


class Command(BaseCommand):
    help = (
        "Import past awards: 统一社会信用代码/credit_code, 层级/tier, 金额/amount (yuan), 级别/level "
        "(national/provincial/city/district or 国家级/省级/市级/区级), 发放日期/awarded_on. If any row is invalid "
        "nothing is written and the exit status is 1, unless --skip-invalid is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--skip-invalid", action="store_true", help="write the valid rows, save the rejects")
        parser.add_argument("--rejects", type=Path, help="where to save the rejected rows (default: FILE.rejects.csv)")

    def handle(self, *args, file: Path, skip_invalid, rejects, **options):
        if not file.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": file})
        try:
            report = past_awards_import(path=file, by=None, skip_invalid=skip_invalid,
                                        rejects_path=rejects or file.with_name(f"{file.stem}.rejects.csv"))
        except DomainError as error:
            raise CommandError(str(error)) from None
        for problem in report.problems:
            self.stderr.write(_("Row %(row)d, %(column)s: %(message)s") % problem.__dict__)
        if report.rejects_path:
            self.stderr.write(_("Rejected rows with reasons: %(path)s") % {"path": report.rejects_path})
        if not report.written:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
