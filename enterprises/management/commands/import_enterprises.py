"""``manage.py import_enterprises FILE``: import an official enterprise list (xlsx or csv)."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from enterprises.exceptions import RegistryError
from enterprises.management.reports import ImportCommand
from enterprises.services import enterprises_import
from enterprises.services.sheets import rows_estimate


class Command(ImportCommand):
    help = (
        "Import enterprises (and one year's metrics) from an .xlsx or .csv list. Headers may be Chinese or "
        "English: 统一社会信用代码/credit_code, 企业名称/name, 所属地区/jurisdiction (code or name), then any "
        "metric columns with 年度/year. Every row is checked first: if any row is invalid nothing is written "
        "and the exit status is 1, unless --skip-invalid is given. Re-importing updates; it never duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="the .xlsx or .csv file")
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="write the valid rows and save the rejects (with reasons) to a CSV beside the file",
        )
        parser.add_argument("--year", type=int, help="the metrics' year when the file has no 年度/year column")
        parser.add_argument(
            "--by", metavar="USERNAME", help="import as this user (their scope applies); default: the system"
        )
        parser.add_argument("--rejects", type=Path, help="where to save the rejected rows (default: FILE.rejects.csv)")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")

    def handle(self, *args, file: Path, skip_invalid, year, by, rejects, dry_run, **options):
        if not file.is_file():
            raise CommandError(_("No such file: %(path)s") % {"path": file})
        try:
            report = enterprises_import(
                rows_source=file,
                by=self.import_user(by),
                skip_invalid=skip_invalid,
                year=year,
                dry_run=dry_run,
                rejects_path=rejects or file.with_name(f"{file.stem}.rejects.csv"),
                progress=self._progress_printer(file),
            )
        except RegistryError as error:
            raise CommandError(str(error)) from None
        self.report_print(report)
        self.refuse_unless_written(report, skip_invalid=skip_invalid)

    def _progress_printer(self, file: Path):
        """A line on stderr each time another tenth of the file has been read."""
        with file.open("rb") as stream:
            total = max(rows_estimate(stream, file.name) - 1, 1)
        shown = {"tenths": 0}

        def progress(rows: int) -> None:
            tenths = min(rows * 10 // total, 10)
            if tenths > shown["tenths"]:
                shown["tenths"] = tenths
                line = _("Read %(rows)s of about %(total)s rows (%(percent)d%%).")
                self.stderr.write(line % {"rows": f"{rows:,}", "total": f"{total:,}", "percent": tenths * 10})

        return progress
