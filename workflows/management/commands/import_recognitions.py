"""``manage.py import_recognitions FILE``: record a published recognition list (xlsx or csv)."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from enterprises.exceptions import DomainError
from enterprises.management.reports import ImportCommand
from workflows.services.recognition_import import recognitions_import


class Command(ImportCommand):
    help = (
        "Record a published recognition list (.xlsx or .csv). Headers may be Chinese or English: 企业名称/name, "
        "层级/tier, 认定日期/recognized_on, 类型/kind (首次/复核), and optionally 统一社会信用代码/credit_code, "
        "批次/batch, 产品/product, 状态/status (公示/公布; final when absent). Rows are matched by code, else by "
        "normalised name; unsure rows wait in the reviewers' match queue. If any row is invalid nothing is written "
        "and the exit status is 1, unless --skip-invalid is given. Re-importing the same list changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the .xlsx or .csv file")
        parser.add_argument(
            "--skip-invalid", action="store_true",
            help="record the valid rows and save the rejects (with reasons) to a CSV beside the file",
        )
        parser.add_argument("--by", metavar="USERNAME", help="record as this user (a city reviewer); default: the system")
        parser.add_argument("--rejects", type=Path, help="where to save the rejected rows (default: FILE.rejects.csv)")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")

    def handle(self, *args, file: Path, skip_invalid, by, rejects, dry_run, **options):
        if not file.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": file})
        try:
            report = recognitions_import(
                rows_source=file, by=self.import_user(by), skip_invalid=skip_invalid, dry_run=dry_run,
                rejects_path=rejects or file.with_name(f"{file.stem}.rejects.csv"),
            )
        except DomainError as error:
            raise CommandError(str(error)) from None
        self.report_print(report)
        self.refuse_unless_written(report, skip_invalid=skip_invalid)
