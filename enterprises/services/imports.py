"""Importing official enterprise lists (xlsx/csv): validate every row, then write in bulk.

The command, the upload page and the API all call ``enterprises_import``. By default
one bad row stops the whole import and nothing is written; ``skip_invalid`` writes the
good rows and saves the rejects, with their reasons, to a CSV beside the report.
Re-importing updates the enterprise and that year's metrics; it never duplicates.

The file is read in streaming mode and handled a batch of rows at a time, all inside
one transaction: memory stays flat with the number of rows (what is kept per row is a
few hundred bytes to find the same enterprise twice), and a file with a bad row in its
last batch is rolled back whole. Files above ``TIDU_IMPORT_MAX_ROWS`` rows are refused.
"""

import contextlib
import csv
import datetime
import hashlib
import io
import itertools
import struct
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import BinaryIO, Self

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
from .registry import _after_metrics_saved, jurisdiction_moved
from .sheets import SpreadsheetError, cell_text, formula_escape, open_table

IMPORT_PERMISSION = "enterprises.import_enterprises"
PROFILE_FIELDS = [column.key for column in PROFILE_COLUMNS if column.key != "credit_code"]
KEPT_PROBLEMS = 1000  # the report keeps the first ones; the reject file has every rejected row
Progress = Callable[[int], None]  # called with the rows read so far, after each batch


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
    problems: list[RowProblem] = field(default_factory=list)  # the first KEPT_PROBLEMS
    problem_count: int = 0
    rejected_rows: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    written: bool = False
    enterprises_created: int = 0
    enterprises_updated: int = 0
    enterprises_moved: int = 0
    metrics_created: int = 0
    metrics_updated: int = 0
    rejects_path: Path | None = None

    @property
    def imported_rows(self) -> int:
        return self.rows - self.rejected_rows if self.written else 0

    @property
    def ok(self) -> bool:
        return not self.problem_count

    @property
    def rejects_name(self) -> str:
        return self.rejects_path.name if self.rejects_path else ""

    def add_problems(self, row: "_Row") -> None:
        self.rejected_rows += 1
        self.problem_count += len(row.problems)
        room = KEPT_PROBLEMS - len(self.problems)
        self.problems += [RowProblem(row.number, column, message) for column, message in row.problems[:room]]

    def as_dict(self) -> dict:
        """The report as JSON (an import job keeps it); ``from_dict`` reads it back."""
        data = asdict(self)
        data["rejects_path"] = str(self.rejects_path) if self.rejects_path else ""
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "ImportReport":
        data = dict(data)
        data["problems"] = [RowProblem(**problem) for problem in data.get("problems", [])]
        data["rejects_path"] = Path(data["rejects_path"]) if data.get("rejects_path") else None
        return cls(**data)

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
    progress: Progress | None = None,
) -> ImportReport:
    """Import an enterprise list; ``by=None`` is the system (no scope limit).

    ``rows_source`` is a path, bytes or an uploaded file. ``year`` fills a missing
    年度 column. Raises ``RegistryError`` when ``by`` may not import and
    ``SpreadsheetError`` for a file that cannot be read at all or has more than
    ``TIDU_IMPORT_MAX_ROWS`` rows; row problems are returned in the report. Everything
    is written in one transaction, with one approval step for the whole import;
    ``progress`` is told the rows read after each batch.
    """
    if by is not None and not by.has_perm(IMPORT_PERMISSION):
        raise RegistryError(_("You may not import enterprises."), code="forbidden", http_status=403)
    with opened_source(rows_source, file_name) as (stream, name):
        report = ImportReport(file_name=name, sha256=_sha256(stream))
        table = open_table(
            stream, name, is_header=_looks_like_header, max_rows=settings.TIDU_IMPORT_MAX_ROWS
        )
        layout = _layout(table.headers, year, garbled=table.encoding == "gb18030")
        report.ignored_columns = layout.ignored
        run = _Run(report, layout, by, Lookups.load(), year, skip_invalid=skip_invalid, dry_run=dry_run)
        with _Rejects(table.headers, rejects_path, by, report) as rejects:
            try:
                with transaction.atomic():
                    run.all_batches(table.rows, rejects, progress)
            except _NothingWritten:
                run.forget_writes()
    return report


def opened_source(rows_source, file_name: str) -> contextlib.AbstractContextManager[tuple[BinaryIO, str]]:
    """``rows_source`` (a path, bytes or an uploaded file) as a seekable binary stream and its name.

    Raises ``SpreadsheetError`` for a file larger than ``TIDU_MAX_IMPORT_BYTES``.
    """
    if isinstance(rows_source, (str, Path)):
        path = Path(rows_source)
        _refuse_above_size(path.stat().st_size)
        return _path_stream(path, file_name or path.name)
    if isinstance(rows_source, bytes):
        _refuse_above_size(len(rows_source))
        return contextlib.nullcontext((io.BytesIO(rows_source), file_name))
    file_name = file_name or Path(getattr(rows_source, "name", "") or "").name
    rows_source.seek(0, io.SEEK_END)
    _refuse_above_size(rows_source.tell())
    rows_source.seek(0)
    return contextlib.nullcontext((rows_source, file_name))


@contextlib.contextmanager
def _path_stream(path: Path, file_name: str) -> Iterator[tuple[BinaryIO, str]]:
    with path.open("rb") as stream:
        yield stream, file_name


def _refuse_above_size(size: int) -> None:
    if size > settings.TIDU_MAX_IMPORT_BYTES:
        raise SpreadsheetError(too_large_message())


def _sha256(stream: BinaryIO) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def source_bytes(rows_source, file_name: str) -> tuple[bytes, str]:
    """The whole file as bytes and its name (for short lists read at once, e.g. recognitions)."""
    with opened_source(rows_source, file_name) as (stream, name):
        return stream.read(), name


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


class _SeenRows:
    """The rows read so far, kept compactly, to find the same enterprise (and year) twice.

    Per credit code, one bytes value: the first row's number and year and a hash of each
    profile field (0: empty), not the row itself, so a 100,000-row file keeps about 20 MB
    here rather than its rows.
    """

    def __init__(self):
        self.first_by_code: dict[str, bytes] = {}
        self.first_by_key: dict[tuple, int] = {}  # only for codes seen in more than one year
        self.packing = struct.Struct(f"<iH{len(PROFILE_FIELDS)}q")

    def check(self, row: _Row, layout: _Layout) -> None:
        code = row.profile.get("credit_code")
        if code is None:
            return
        digest = [hash(_comparable(row.profile[name])) or 1 if name in row.profile else 0 for name in PROFILE_FIELDS]
        first = self.first_by_code.get(code)
        if first is None:
            self.first_by_code[code] = self.packing.pack(row.number, row.year or 0, *digest)
            return
        first_number, first_year, *first_digest = self.packing.unpack(first)
        key = (code, row.year)
        earlier = first_number if (row.year or 0) == first_year else self.first_by_key.get(key)
        if earlier is not None:
            message = _("The same credit code appears twice in this file (first in row %(row)d).")
            if row.year is not None:
                message = _("The same credit code and year appear twice in this file (first in row %(row)d).")
            row.problems.append((layout.header_of("credit_code"), message % {"row": earlier}))
            return
        self.first_by_key[key] = row.number
        for name, mine, theirs in zip(PROFILE_FIELDS, digest, first_digest, strict=True):
            if mine and theirs and mine != theirs:
                message = _("Differs from row %(row)d for the same enterprise.") % {"row": first_number}
                row.problems.append((layout.header_of(name), message))


def _comparable(value):
    return ("pk", value.pk) if hasattr(value, "pk") else value


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


class _NothingWritten(Exception):
    """Raised inside the import's transaction to roll back what earlier batches wrote."""


class _Run:
    """One import going through its rows a batch at a time, inside the caller's transaction."""

    def __init__(self, report, layout, by, lookups, year, *, skip_invalid: bool, dry_run: bool):
        self.report, self.layout, self.by, self.lookups, self.year = report, layout, by, lookups, year
        self.skip_invalid, self.dry_run = skip_invalid, dry_run
        self.seen = _SeenRows()
        self.created: set[int] = set()
        self.changed: set[int] = set()

    def all_batches(self, numbered_rows, rejects: "_Rejects", progress: Progress | None) -> None:
        for batch in _batches(numbered_rows, BATCH_SIZE):
            rows = [_parse_row(number, cells, self.layout, self.year, self.lookups) for number, cells in batch]
            for row in rows:
                self.seen.check(row, self.layout)
            _check_scope(rows, self.layout, self.by)
            self.report.rows += len(rows)
            for row in rows:
                if row.problems:
                    self.report.add_problems(row)
                    rejects.add(row)
            if self._writing():
                self._write_batch([row for row in rows if not row.problems])
            if progress is not None:
                progress(self.report.rows)
        if not self.report.rows:
            raise SpreadsheetError(_("The file has a header line but no rows."))
        if not self._writing():
            raise _NothingWritten
        self._finish()

    def _writing(self) -> bool:
        return not self.dry_run and (self.skip_invalid or self.report.ok)

    def _write_batch(self, rows: list[_Row]) -> None:
        report = self.report
        profiles: dict[str, dict] = {}
        for row in rows:
            profiles.setdefault(row.profile["credit_code"], {}).update(row.profile)
        written = enterprises_upsert(profiles)
        report.enterprises_created += len(written.created)
        report.enterprises_updated += written.updated
        report.enterprises_moved += written.moved
        self.created |= written.created
        for move in written.moves:
            jurisdiction_moved(move=move, by=self.by)
        pks = {code: enterprise.pk for code, enterprise in written.enterprises.items()}
        wanted = {(pks[row.profile["credit_code"]], row.year): row.metrics for row in rows if row.metrics}
        created, updated, changed = metrics_upsert(wanted)
        report.metrics_created += created
        report.metrics_updated += updated
        self.changed |= changed

    def _finish(self) -> None:
        report = self.report
        report.written = True
        step_record(
            action="enterprise.import",
            actor=self.by,
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
        for chunk in chunks(sorted(self.changed - self.created), BATCH_SIZE):
            for enterprise in Enterprise.objects.filter(pk__in=chunk).order_by("pk"):
                _after_metrics_saved(enterprise, self.by)

    def forget_writes(self) -> None:
        """The transaction was rolled back: the report must not count what it undid."""
        report = self.report
        report.written = False
        report.enterprises_created = report.enterprises_updated = report.enterprises_moved = 0
        report.metrics_created = report.metrics_updated = 0


def _batches(items, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def rejects_dir(user: User | None) -> Path:
    """Where a user's reject files live (outside MEDIA_ROOT: they are served only to their owner)."""
    owner = f"user-{user.pk}" if user is not None else "system"
    return Path(settings.VAR_DIR) / "imports" / owner


class _Rejects:
    """The rejected rows as they were, with the row number and the reasons, as CSV written as they come.

    The file exists only if a row was rejected; its path is then on the report.
    """

    def __init__(self, headers: list[str], path: Path | None, by: User | None, report: ImportReport):
        self.headers, self.path, self.by, self.report = headers, path, by, report
        self.file = self.writer = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info) -> None:
        if self.file is not None:
            self.file.close()

    def add(self, row: _Row) -> None:
        if self.writer is None:
            self._open()
        reason = "；".join(f"{column}：{message}" for column, message in row.problems)
        self.writer.writerow([formula_escape(v) for v in [row.number, *[cell_text(c) for c in row.cells], reason]])

    def _open(self) -> None:
        if self.path is None:
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
            self.path = rejects_dir(self.by) / f"{stamp}-{self.report.sha256[:8]}-rejects.csv"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.file = self.path.open("w", encoding="utf-8-sig", newline="")
        self.writer = csv.writer(self.file)
        self.writer.writerow([formula_escape(h) for h in [_("row"), *self.headers, _("reason")]])
        self.report.rejects_path = self.path
