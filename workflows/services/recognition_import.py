"""Importing a published recognition list (xlsx/csv) with the house import's rules.

The command, the upload page and the API call ``recognitions_import``. Files are read by
the enterprise import's readers (``enterprises.services.sheets`` and ``columns``). Every
row is checked first; by default one bad row stops the import and nothing is written;
``skip_invalid`` writes the good rows and saves the rejects with their reasons. Each good
row is matched (code, else normalised name): a sure match is recorded through
``recognition_record``, anything else is queued for a reviewer. Re-importing the same list
changes nothing.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.services import step_record
from enterprises.models import Tier, User
from enterprises.services.columns import CellProblem, Column, Kind, Lookups, header_key, read_cell
from enterprises.services.imports import RowProblem, rejects_dir, source_bytes
from enterprises.services.sheets import SpreadsheetError, cell_text, read_table, write_csv

from ..models import RecognitionKind, RecognitionStatus
from .recognition import (
    IMPORT_ACTION,
    EnterpriseMatcher,
    _require_recorder,
    recognition_match_queue,
    recognition_record,
)

COLUMNS = [
    Column("credit_code", Kind.CREDIT_CODE, gettext_lazy("unified social credit code"), False,
           ("统一社会信用代码", "信用代码", "社会信用代码", "credit code", "uscc")),
    Column("name", Kind.TEXT, gettext_lazy("enterprise name"), True,
           ("企业名称", "名称", "单位名称", "name", "name_as_published")),
    Column("tier", "tier", gettext_lazy("tier"), True, ("层级", "类别", "认定类别", "称号")),
    Column("recognized_on", Kind.DATE, gettext_lazy("recognized on"), True, ("认定日期", "认定时间", "公布日期")),
    Column("batch", Kind.TEXT, gettext_lazy("batch"), False, ("批次",)),
    Column("kind", "kind", gettext_lazy("kind"), True, ("类型", "认定类型")),
    Column("product", Kind.TEXT, gettext_lazy("product"), False, ("产品", "单项冠军产品")),
    Column("status", "status", gettext_lazy("status"), False, ("状态", "公示状态")),
]

# Every quote style a list may print around 小巨人 (“” "" 「」 『』 ‘’ '').
_QUOTES = re.compile("[\"'“”‘’「」『』〝〞＂]")
_TIER_WORDS = {
    "创新型中小": Tier.INNOVATIVE,
    "科技和创新型中小": Tier.INNOVATIVE,
    "专精特新中小": Tier.SRDI,
    "专精特新小巨人": Tier.LITTLE_GIANT,
    "小巨人": Tier.LITTLE_GIANT,
    "制造业单项冠军": Tier.CHAMPION,
    "单项冠军": Tier.CHAMPION,
}
_TIER_PREFIXES = ("国家级", "省级", "江苏省")
_TIER_SUFFIXES = ("示范企业", "企业", "产品")
_KIND_WORDS = {"first": RecognitionKind.FIRST, "首次": RecognitionKind.FIRST, "首次认定": RecognitionKind.FIRST,
               "新认定": RecognitionKind.FIRST, "renewal": RecognitionKind.RENEWAL, "复核": RecognitionKind.RENEWAL,
               "复核通过": RecognitionKind.RENEWAL}
_STATUS_WORDS = {"final": RecognitionStatus.FINAL, "公布": RecognitionStatus.FINAL, "认定": RecognitionStatus.FINAL,
                 "publicity": RecognitionStatus.PUBLICITY, "公示": RecognitionStatus.PUBLICITY,
                 "拟认定": RecognitionStatus.PUBLICITY}


@dataclass
class RecognitionImportReport:
    file_name: str
    sha256: str
    rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[RowProblem] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    written: bool = False
    recorded: int = 0
    unchanged: int = 0
    titles: int = 0
    queued: int = 0
    already_queued: int = 0
    rejects_path: Path | None = None

    @property
    def rejected_rows(self) -> int:
        return len({problem.row for problem in self.problems})

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def problem_count(self) -> int:  # every problem is kept, and shown up to the page's limit
        return len(self.problems)

    @property
    def rejects_name(self) -> str:
        return self.rejects_path.name if self.rejects_path else ""

    def summary(self) -> str:
        if not self.written:
            if not self.problems:
                return _("Every row is valid (dry run: nothing written).")
            return _(
                "Nothing was written: %(count)d rows have problems. Fix them, or choose to import only the valid rows."
            ) % {"count": self.rejected_rows}
        return _(
            "%(recorded)d results recorded (%(titles)d titles), %(unchanged)d already on record; %(queued)d rows "
            "queued for a reviewer to match (%(already)d already queued); %(rejected)d rows rejected."
        ) % {"recorded": self.recorded, "titles": self.titles, "unchanged": self.unchanged, "queued": self.queued,
             "already": self.already_queued, "rejected": self.rejected_rows}


@dataclass
class _Row:
    number: int
    cells: list
    values: dict = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)

    def published(self) -> dict:
        """The row's result as stored in a queued match (JSON)."""
        values = self.values
        return {"tier": values["tier"], "recognized_on": values["recognized_on"].isoformat(), "kind": values["kind"],
                "batch": values.get("batch", ""), "product": values.get("product", ""), "status": values["status"]}


def recognitions_import(
    *,
    rows_source,
    by: User | None,
    skip_invalid: bool = False,
    file_name: str = "",
    dry_run: bool = False,
    rejects_path: Path | None = None,
) -> RecognitionImportReport:
    """Import a published list; ``by=None`` is the system. ``rows_source`` is a path, bytes or an upload.

    Raises ``CaseError`` when ``by`` may not record results and ``SpreadsheetError`` for a
    file that cannot be read; row problems and renewal warnings are in the report.
    """
    _require_recorder(by)
    content, file_name = source_bytes(rows_source, file_name)
    report = RecognitionImportReport(file_name=file_name, sha256=hashlib.sha256(content).hexdigest())
    table = read_table(content, file_name, is_header=_looks_like_header)
    layout = _layout(table.headers, report)
    rows = [_parse_row(number, cells, layout) for number, cells in table.rows]
    if not rows:
        raise SpreadsheetError(_("The file has a header line but no rows."))
    report.rows = len(rows)
    _check_duplicates(rows, layout)
    report.problems = [RowProblem(row.number, column, message) for row in rows for column, message in row.problems]
    if report.problems:
        report.rejects_path = _save_rejects(rows, table.headers, rejects_path, by, report)
    if dry_run or (report.problems and not skip_invalid):
        return report
    _write([row for row in rows if not row.problems], by, report)
    return report


@transaction.atomic
def _write(rows: list[_Row], by: User | None, report: RecognitionImportReport) -> None:
    matcher = EnterpriseMatcher()
    for row in rows:
        values = row.values
        match = matcher.match(name=values["name"], credit_code=values.get("credit_code", ""))
        if match.enterprise is None:
            _, created = recognition_match_queue(
                name=values["name"], credit_code=values.get("credit_code", ""), row=row.published(),
                reason=match.reason, candidates=match.candidates, source=report.file_name, row_number=row.number,
                by=by,
            )
            report.queued += created
            report.already_queued += not created
            continue
        recorded = recognition_record(
            enterprise=match.enterprise, tier=values["tier"], recognized_on=values["recognized_on"],
            kind=values["kind"], by=by, batch=values.get("batch", ""), product=values.get("product", ""),
            status=values["status"], source=report.file_name,
        )
        report.recorded += recorded.changed
        report.unchanged += not recorded.changed
        report.titles += recorded.changed and recorded.title is not None
        report.warnings += [RowProblem(row.number, values["name"], warning) for warning in recorded.warnings]
    report.written = True
    if report.recorded or report.queued:
        step_record(action=IMPORT_ACTION, actor=by, data={
            "file": report.file_name, "sha256": report.sha256, "rows": report.rows,
            "rejected_rows": report.rejected_rows, "recorded": report.recorded, "titles": report.titles,
            "unchanged": report.unchanged, "queued": report.queued,
        })


# ------------------------------------------------------------------------------------------ reading the file


@dataclass
class _Layout:
    columns: list[tuple[int, Column, str]]  # index, column, header as written

    def header_of(self, key: str) -> str:
        return next((header for _i, column, header in self.columns if column.key == key), key)


def _aliases(column: Column) -> set[str]:
    names = {column.key, column.key.replace("_", " "), *column.aliases}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            names.add(str(column.label))
    return {header_key(name) for name in names}


def _column_for(header: str) -> Column | None:
    key = header_key(header)
    return next((column for column in COLUMNS if key in _aliases(column)), None)


def _looks_like_header(texts: list[str]) -> bool:
    return any(getattr(_column_for(text), "key", None) == "name" for text in texts if text)


def _layout(headers: list[str], report: RecognitionImportReport) -> _Layout:
    columns, seen = [], {}
    for index, header in enumerate(headers):
        column = _column_for(header) if header else None
        if column is None:
            if header:
                report.ignored_columns.append(header)
            continue
        if column.key in seen:
            raise SpreadsheetError(
                _("The columns “%(first)s” and “%(second)s” both fill %(field)s; keep one.")
                % {"first": seen[column.key], "second": header, "field": column.chinese_header()}
            )
        seen[column.key] = header
        columns.append((index, column, header))
    missing = [column.chinese_header() for column in COLUMNS if column.required and column.key not in seen]
    if missing:
        raise SpreadsheetError(
            _("Required columns are missing: %(missing)s. The header line found reads: %(found)s.")
            % {"missing": "、".join(missing), "found": " | ".join(h for h in headers if h) or "—"}
        )
    return _Layout(columns=columns)


def _parse_row(number: int, cells: list, layout: _Layout) -> _Row:
    row = _Row(number=number, cells=cells)
    for index, column, header in layout.columns:
        raw = cells[index] if index < len(cells) else None
        try:
            value = _read(column, raw)
        except CellProblem as problem:
            row.problems.append((header, str(problem)))
            continue
        if value is None and column.required:
            row.problems.append((header, _("This column must not be empty.")))
        elif value is not None:
            row.values[column.key] = value
    row.values.setdefault("status", RecognitionStatus.FINAL)
    if row.values.get("product") and row.values.get("tier") not in (None, Tier.CHAMPION):
        row.problems.append((layout.header_of("product"), _("Only a single-champion result may name a product.")))
    return row


def _read(column: Column, raw):
    if column.kind not in ("tier", "kind", "status"):
        return read_cell(column, raw, scale=1, lookups=_NO_LOOKUPS)
    text = cell_text(raw)
    if not text:
        return None
    return {"tier": tier_from_text, "kind": _kind_from_text, "status": _status_from_text}[column.kind](text)


_NO_LOOKUPS = Lookups(jurisdictions={}, chains={})


def tier_from_text(text: str) -> str:
    """A tier from its code or its Chinese name, with or without 企业, in any quote style."""
    folded = _QUOTES.sub("", header_key(text))
    if folded in Tier.values:
        return folded
    for prefix in _TIER_PREFIXES:
        folded = folded.removeprefix(prefix)
    for suffix in _TIER_SUFFIXES:
        folded = folded.removesuffix(suffix)
    tier = _TIER_WORDS.get(folded)
    if tier is None:
        raise CellProblem(_("“%(value)s” is not a tier; write innovative, srdi, little_giant, champion or the "
                            "Chinese name (创新型中小企业, 专精特新中小企业, 专精特新“小巨人”企业, 制造业单项冠军).")
                          % {"value": text})
    return tier


def _kind_from_text(text: str) -> str:
    kind = _KIND_WORDS.get(header_key(text))
    if kind is None:
        raise CellProblem(_("“%(value)s” is not a kind; write first (首次) or renewal (复核).") % {"value": text})
    return kind


def _status_from_text(text: str) -> str:
    status = _STATUS_WORDS.get(header_key(text))
    if status is None:
        raise CellProblem(_("“%(value)s” is not a status; write 公示 (publicity) or 公布 (final).") % {"value": text})
    return status


def _check_duplicates(rows: list[_Row], layout: _Layout) -> None:
    from .recognition import name_key

    first: dict[tuple, _Row] = {}
    for row in rows:
        if row.problems:
            continue
        values = row.values
        key = (values.get("credit_code") or name_key(values["name"]), values["tier"], values["recognized_on"],
               values.get("product", ""), values["kind"])
        if key in first:
            message = _("The same result appears twice in this file (first in row %(row)d).")
            row.problems.append((layout.header_of("name"), message % {"row": first[key].number}))
        else:
            first[key] = row


def _save_rejects(rows: list[_Row], headers, path: Path | None, by, report: RecognitionImportReport) -> Path:
    if path is None:
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = rejects_dir(by) / f"{stamp}-{report.sha256[:8]}-rejects.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = (
        [row.number, *[cell_text(cell) for cell in row.cells], "；".join(f"{c}：{m}" for c, m in row.problems)]
        for row in rows if row.problems
    )
    path.write_bytes(write_csv([_("row"), *headers, _("reason")], lines))
    return path


__all__ = ["RecognitionImportReport", "recognitions_import", "tier_from_text"]
