"""Importing official enterprise lists (xlsx/csv): validate every row, then write in bulk.

The command, the upload page and the API all call ``enterprises_import``. By default
one bad row stops the whole import and nothing is written; ``skip_invalid`` writes the
good rows and saves the rejects, with their reasons, to a CSV beside the report.
Re-importing updates the enterprise and that year's metrics; it never duplicates.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from steplog.services import step_record

from ..exceptions import RegistryError
from ..models import AnnualMetrics, Enterprise, User
from ..selectors import scope_to_user, user_can_create_enterprise
from .bulk import BATCH_SIZE, chunks, enterprises_upsert, existing_enterprises, metrics_upsert
from .columns import PROFILE_COLUMNS, YEAR_COLUMN, CellProblem, Column, Lookups, column_for_header, read_cell
from .registry import _after_metrics_saved
from .sheets import SpreadsheetError, cell_text, read_table, write_csv

IMPORT_PERMISSION = "enterprises.import_enterprises"
PROFILE_FIELDS = [column.key for column in PROFILE_COLUMNS if column.key != "credit_code"]


@dataclass
class RowProblem:
    row: int  # as the user sees it in the sheet: the header is row 1
    column: str  # the header as written in the file
    message: str


@dataclass
class ImportReport:
    file_name: str
    sha256: str
    rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    written: bool = False
    enterprises_created: int = 0
    enterprises_updated: int = 0
    enterprises_moved: int = 0
    metrics_created: int = 0
    metrics_updated: int = 0
    rejects_path: Path | None = None

    @property
    def rejected_rows(self) -> int:
        return len({problem.row for problem in self.problems})

    @property
    def imported_rows(self) -> int:
        return self.rows - self.rejected_rows if self.written else 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """One sentence for the user: what was written, or why nothing was."""
        if not self.written:
            if not self.problems:
                return _("Every row is valid (dry run: nothing written).")
            return _(
                "Nothing was written: %(count)d rows have problems. Fix them, or choose to import only the valid rows."
            ) % {"count": self.rejected_rows}
        return _(
            "Imported %(imported)d rows: %(created)d enterprises created, %(updated)d updated (%(moved)d moved), "
            "%(metrics_created)d metric years created, %(metrics_updated)d updated; %(rejected)d rows rejected."
        ) % {
            "imported": self.imported_rows,
            "created": self.enterprises_created,
            "updated": self.enterprises_updated,
            "moved": self.enterprises_moved,
            "metrics_created": self.metrics_created,
            "metrics_updated": self.metrics_updated,
            "rejected": self.rejected_rows,
        }


@dataclass
class _Row:
    number: int
    cells: list
    profile: dict = field(default_factory=dict)
    metrics: dict = field(default_factory=dict)
    year: int | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class _Layout:
    """Which column of the file fills which field, and with which unit."""

    columns: list[tuple[int, Column, int, str]]  # index, column, unit scale, header as written
    ignored: list[str]

    def header_of(self, key: str) -> str:
        return next((header for _i, column, _s, header in self.columns if column.key == key), key)


def enterprises_import(
    *,
    rows_source,
    by: User | None,
    skip_invalid: bool = False,
    year: int | None = None,
    file_name: str = "",
    dry_run: bool = False,
    rejects_path: Path | None = None,
) -> ImportReport:
    """Import an enterprise list; ``by=None`` is the system (no scope limit).

    ``rows_source`` is a path, bytes or an uploaded file. ``year`` fills a missing
    年度 column. Raises ``RegistryError`` when ``by`` may not import and
    ``SpreadsheetError`` for a file that cannot be read at all; row problems are
    returned in the report. Writes one approval step for the whole import.
    """
    if by is not None and not by.has_perm(IMPORT_PERMISSION):
        raise RegistryError(_("You may not import enterprises."), code="forbidden", http_status=403)
    content, file_name = _read_source(rows_source, file_name)
    report = ImportReport(file_name=file_name, sha256=hashlib.sha256(content).hexdigest())
    table = read_table(content, file_name, is_header=_looks_like_header)
    layout = _layout(table.headers, year, garbled=table.encoding == "gb18030")
    report.ignored_columns = layout.ignored
    lookups = Lookups.load()
    rows = [_parse_row(number, cells, layout, year, lookups) for number, cells in table.rows]
    report.rows = len(rows)
    if not rows:
        raise SpreadsheetError(_("The file has a header line but no rows."))
    _check_across_rows(rows, layout)
    _check_scope(rows, layout, by)
    report.problems = [RowProblem(row.number, column, message) for row in rows for column, message in row.problems]
    if report.problems:
        report.rejects_path = _save_rejects(rows, table.headers, rejects_path, by, report)
    if dry_run or (report.problems and not skip_invalid):
        return report
    _write([row for row in rows if not row.problems], by, report)
    return report


def _read_source(rows_source, file_name: str) -> tuple[bytes, str]:
    limit = settings.TIDU_MAX_IMPORT_BYTES
    if isinstance(rows_source, (str, Path)):
        path = Path(rows_source)
        file_name = file_name or path.name
        content = path.read_bytes() if path.stat().st_size <= limit else b"x" * (limit + 1)
    elif isinstance(rows_source, bytes):
        content = rows_source
    else:
        file_name = file_name or Path(getattr(rows_source, "name", "") or "").name
        content = rows_source.read(limit + 1)
    if len(content) > limit:
        raise SpreadsheetError(too_large_message())
    return content, file_name


def too_large_message() -> str:
    limit = filesizeformat(settings.TIDU_MAX_IMPORT_BYTES)
    return _("The file is larger than %(limit)s. Split it and import the parts.") % {"limit": limit}


def _looks_like_header(texts: list[str]) -> bool:
    return any(getattr(column_for_header(text)[0], "key", None) == "credit_code" for text in texts if text)


def _layout(headers: list[str], default_year: int | None, *, garbled: bool) -> _Layout:
    columns, ignored, seen = [], [], {}
    for index, header in enumerate(headers):
        if not header:
            continue
        column, scale = column_for_header(header)
        if column is None:
            ignored.append(header)
            continue
        if column.key in seen:
            raise SpreadsheetError(
                _("The columns “%(first)s” and “%(second)s” both fill %(field)s; keep one.")
                % {"first": seen[column.key], "second": header, "field": column.chinese_header()}
            )
        seen[column.key] = header
        columns.append((index, column, scale, header))
    _require_columns(seen, columns, default_year, headers, garbled)
    return _Layout(columns=columns, ignored=ignored)


def _require_columns(seen, columns, default_year, headers, garbled) -> None:
    missing = [column.chinese_header() for column in PROFILE_COLUMNS if column.required and column.key not in seen]
    if missing:
        message = _("Required columns are missing: %(missing)s. The header line found reads: %(found)s.") % {
            "missing": "、".join(missing),
            "found": " | ".join(h for h in headers if h) or "—",
        }
        if garbled:
            message += " " + _("If the headers look garbled, save the file as CSV (UTF-8) and try again.")
        raise SpreadsheetError(message)
    has_metrics = any(column.is_metric for _i, column, _s, _h in columns)
    if has_metrics and "year" not in seen and default_year is None:
        raise SpreadsheetError(
            _("The file has metric columns but no “%(year)s” column: add one, or give the year when importing.")
            % {"year": YEAR_COLUMN.chinese_header()}
        )


def _parse_row(number: int, cells: list, layout: _Layout, default_year, lookups: Lookups) -> _Row:
    row = _Row(number=number, cells=cells, year=default_year)
    for index, column, scale, header in layout.columns:
        raw = cells[index] if index < len(cells) else None
        try:
            value = read_cell(column, raw, scale=scale, lookups=lookups)
        except CellProblem as problem:
            row.problems.append((header, str(problem)))
            continue
        if value is None:
            if column.required:
                row.problems.append((header, _("This column must not be empty.")))
        elif column.key == "year":
            row.year = value
        elif column.is_metric:
            row.metrics[column.key] = value
        else:
            row.profile[column.key] = value
    if row.metrics and row.year is None:
        row.problems.append((layout.header_of("year"), _("The row has metrics but no year.")))
    for key, message in AnnualMetrics.cross_field_problems(row.metrics).items():
        row.problems.append((layout.header_of(key), message))
    return row


def _check_across_rows(rows: list[_Row], layout: _Layout) -> None:
    """The same enterprise (and year) twice, or the same enterprise described two ways."""
    first_by_key: dict[tuple, _Row] = {}
    first_by_code: dict[str, _Row] = {}
    for row in rows:
        code = row.profile.get("credit_code")
        if code is None:
            continue
        key = (code, row.year)
        if key in first_by_key:
            message = _("The same credit code appears twice in this file (first in row %(row)d).")
            if row.year is not None:
                message = _("The same credit code and year appear twice in this file (first in row %(row)d).")
            row.problems.append((layout.header_of("credit_code"), message % {"row": first_by_key[key].number}))
            continue
        first_by_key[key] = row
        first = first_by_code.setdefault(code, row)
        if first is row:
            continue
        for name in PROFILE_FIELDS:
            if name in row.profile and name in first.profile and row.profile[name] != first.profile[name]:
                message = _("Differs from row %(row)d for the same enterprise.") % {"row": first.number}
                row.problems.append((layout.header_of(name), message))


def _check_scope(rows: list[_Row], layout: _Layout, by: User | None) -> None:
    """A district reviewer imports only enterprises of its own jurisdiction."""
    if by is None:
        return
    codes = {row.profile["credit_code"] for row in rows if "credit_code" in row.profile}
    existing = existing_enterprises(codes)
    in_scope = set()
    for chunk in chunks(list(existing.values()), BATCH_SIZE):
        visible = scope_to_user(Enterprise.objects.filter(pk__in=[e.pk for e in chunk]), by, enterprise_path="")
        in_scope.update(visible.values_list("pk", flat=True))
    for row in rows:
        jurisdiction = row.profile.get("jurisdiction")
        enterprise = existing.get(row.profile.get("credit_code"))
        if enterprise is not None and enterprise.pk not in in_scope:
            row.problems.append(
                (layout.header_of("credit_code"), _("This enterprise is registered outside your jurisdiction."))
            )
        elif jurisdiction is not None and not user_can_create_enterprise(by, jurisdiction.pk):
            row.problems.append(
                (
                    layout.header_of("jurisdiction"),
                    _("You may import only enterprises of %(jurisdiction)s.") % {"jurisdiction": by.jurisdiction},
                )
            )


@transaction.atomic
def _write(rows: list[_Row], by: User | None, report: ImportReport) -> None:
    profiles: dict[str, dict] = {}
    for row in rows:
        profiles.setdefault(row.profile["credit_code"], {}).update(row.profile)
    written = enterprises_upsert(profiles)
    report.enterprises_created, report.enterprises_updated, report.enterprises_moved = (
        len(written.created), written.updated, written.moved
    )
    pks = {code: enterprise.pk for code, enterprise in written.enterprises.items()}
    wanted = {(pks[row.profile["credit_code"]], row.year): row.metrics for row in rows if row.metrics}
    report.metrics_created, report.metrics_updated, changed = metrics_upsert(wanted)
    report.written = True
    step_record(
        action="enterprise.import",
        actor=by,
        data={
            "file": report.file_name,
            "sha256": report.sha256,
            "rows": report.rows,
            "rejected_rows": report.rejected_rows,
            "enterprises_created": report.enterprises_created,
            "enterprises_updated": report.enterprises_updated,
            "enterprises_moved": report.enterprises_moved,
            "metrics_created": report.metrics_created,
            "metrics_updated": report.metrics_updated,
        },
    )
    # An enterprise this import created has nothing above it yet (no plan, no case) to tell.
    by_pk = {enterprise.pk: enterprise for enterprise in written.enterprises.values()}
    for pk in sorted(changed - written.created):
        _after_metrics_saved(by_pk[pk], by)


def rejects_dir(user: User | None) -> Path:
    """Where a user's reject files live (outside MEDIA_ROOT: they are served only to their owner)."""
    owner = f"user-{user.pk}" if user is not None else "system"
    return Path(settings.VAR_DIR) / "imports" / owner


def _save_rejects(rows: list[_Row], headers: list[str], path: Path | None, by, report: ImportReport) -> Path:
    """The rejected rows as they were, with the row number and the reasons, as CSV."""
    if path is None:
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = rejects_dir(by) / f"{stamp}-{report.sha256[:8]}-rejects.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    rejected = [row for row in rows if row.problems]
    lines = (
        [row.number, *[cell_text(cell) for cell in row.cells], "；".join(f"{c}：{m}" for c, m in row.problems)]
        for row in rejected
    )
    path.write_bytes(write_csv([_("row"), *headers, _("reason")], lines))
    return path
