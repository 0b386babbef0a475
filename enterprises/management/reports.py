"""What every list-import command prints: one shape of row report for enterprises, recognitions and the rest."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from enterprises.models import User

SHOWN_PROBLEMS = 200


class ImportCommand(BaseCommand):
    """A command that imports a list: ``--by USERNAME`` and the row report printed the same way."""

    def import_user(self, username: str | None) -> User | None:
        """The user an import acts as (their scope applies); None is the system."""
        if not username:
            return None
        try:
            return User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(_("No such user: %(username)s") % {"username": username}) from None

    def report_print(self, report) -> None:
        """The file and its hash, ignored columns, problems (the first 200), warnings, the rejects file, the summary."""
        heading = _("%(file)s (sha256 %(sha)s): %(rows)d rows.")
        self.stdout.write(heading % {"file": report.file_name, "sha": report.sha256[:12], "rows": report.rows})
        if report.ignored_columns:
            ignored = "、".join(report.ignored_columns)
            self.stderr.write(_("Ignored columns (not recognised): %(columns)s") % {"columns": ignored})
        for problem in report.problems[:SHOWN_PROBLEMS]:
            self.stderr.write(_("Row %(row)d, %(column)s: %(message)s") % problem.__dict__)
        if len(report.problems) > SHOWN_PROBLEMS:
            self.stderr.write(_("… and %(count)d more problems.") % {"count": len(report.problems) - SHOWN_PROBLEMS})
        for warning in getattr(report, "warnings", ()):
            self.stdout.write(self.style.WARNING(_("Row %(row)d, %(column)s: %(message)s") % warning.__dict__))
        if report.rejects_path:
            self.stderr.write(_("Rejected rows with reasons: %(path)s") % {"path": report.rejects_path})
        if report.written or not report.problems:
            self.stdout.write(self.style.SUCCESS(report.summary()))

    def refuse_unless_written(self, report, *, skip_invalid: bool) -> None:
        """Exit 1 when invalid rows stopped an all-or-nothing import."""
        if report.problems and not skip_invalid:
            message = _(
                "Nothing was written: %(count)d rows have problems. "
                "Fix them, or use --skip-invalid to import the valid rows."
            )
            raise CommandError(message % {"count": report.rejected_rows})
