"""Importing past awards (before the system, or from other levels) with the registry's import machinery.

Columns (Chinese or English headers): 统一社会信用代码/credit_code, 层级/tier, 金额/amount
(yuan), 级别/level, 发放日期/awarded_on. Every row is checked first; by default one bad
row stops the import and nothing is written, ``skip_invalid`` writes the good rows and
saves the rejects with their reasons. Re-importing the same award adds nothing.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from approvals.services import step_record
from enterprises.models import Enterprise, Tier, User
from enterprises.services.columns import CellProblem, Column, Kind, Lookups, header_key, read_cell
from enterprises.services.imports import RowProblem, rejects_dir, too_large_message
from enterprises.services.sheets import SpreadsheetError, cell_text, read_table, write_csv

from ..exceptions import RewardError
from ..models import AwardLevel, PastAward
from ..selectors import user_may_edit_policies

COLUMNS = [
    Column("credit_code", Kind.CREDIT_CODE, gettext_lazy("unified social credit code"), True, ("统一社会信用代码",)),
    Column("tier", Kind.TEXT, gettext_lazy("tier"), True, ("层级",)),
    Column("amount", Kind.MONEY, gettext_lazy("amount"), True, ("金额",)),
    Column("level", Kind.TEXT, gettext_lazy("level"), True, ("级别",)),
    Column("awarded_on", Kind.DATE, gettext_lazy("awarded on"), True, ("发放日期",)),
]
LEVEL_WORDS = {"国家级": AwardLevel.NATIONAL, "省级": AwardLevel.PROVINCIAL, "市级": AwardLevel.CITY,
               "区级": AwardLevel.DISTRICT, "县级": AwardLevel.DISTRICT}
TIER_WORDS = {"创新型中小企业": Tier.INNOVATIVE, "专精特新中小企业": Tier.SRDI, "小巨人": Tier.LITTLE_GIANT,
              "专精特新小巨人": Tier.LITTLE_GIANT, "单项冠军": Tier.CHAMPION, "制造业单项冠军": Tier.CHAMPION}


@dataclass
class AwardImportReport:
    file_name: str
    sha256: str
    rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    written: bool = False
    created: int = 0
    already_known: int = 0
    rejects_path: Path | None = None

    @property
    def rejected_rows(self) -> int:
        return len({problem.row for problem in self.problems})

    def summary(self) -> str:
        if not self.written:
            return _("Nothing was written: %(count)d rows have problems.") % {"count": self.rejected_rows}
        return _("%(created)d past awards imported, %(known)d already known; %(rejected)d rows rejected.") % {
            "created": self.created, "known": self.already_known, "rejected": self.rejected_rows,
        }


@dataclass
class _Row:
    number: int
    cells: list
    values: dict = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)


def _words(choices, extra: dict) -> dict[str, str]:
    words = {header_key(word): value for word, value in extra.items()}
    for value, label in choices.choices:
        words[header_key(value)] = value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                words[header_key(str(label))] = value
    return words


def _alias_table() -> dict[str, Column]:
    table = {}
    for column in COLUMNS:
        for alias in (column.key, *column.aliases):
            table[header_key(alias)] = column
    return table


def _column_for(header: str) -> Column | None:
    key = header_key(header)
    for unit in ("(元)", "/元"):
        key = key.removesuffix(unit)
    return _alias_table().get(key)


def past_awards_import(*, path: Path, by: User | None, skip_invalid: bool = False,
                       rejects_path: Path | None = None) -> AwardImportReport:
    """Import past awards from ``path`` (.xlsx/.csv); ``by=None`` is the system.

    Raises ``RewardError`` when ``by`` may not import, ``SpreadsheetError`` for an
    unreadable file or missing columns; row problems are in the report. One step per write.
    """
    if by is not None and not user_may_edit_policies(by):
        raise RewardError(_("Only the city bureau imports past awards."), code="forbidden", http_status=403)
    if path.stat().st_size > settings.TIDU_MAX_IMPORT_BYTES:
        raise SpreadsheetError(too_large_message())
    content = path.read_bytes()
    report = AwardImportReport(file_name=path.name, sha256=hashlib.sha256(content).hexdigest())
    table = read_table(content, path.name, is_header=lambda texts: any(_column_for(t) for t in texts if t))
    layout = _layout(table.headers)
    rows = [_parse(number, cells, layout) for number, cells in table.rows]
    if not rows:
        raise SpreadsheetError(_("The file has a header line but no rows."))
    _match_enterprises(rows, layout)
    report.rows = len(rows)
    report.problems = [RowProblem(row.number, column, message) for row in rows for column, message in row.problems]
    if report.problems:
        default_path = rejects_dir(by) / f"{report.sha256[:8]}-awards-rejects.csv"
        report.rejects_path = _save_rejects(rows, table.headers, rejects_path or default_path)
        if not skip_invalid:
            return report
    _write([row for row in rows if not row.problems], by, report)
    return report


def _layout(headers: list[str]) -> list[tuple[int, Column, str]]:
    layout = [(i, column, header) for i, header in enumerate(headers) if header for column in [_column_for(header)]
              if column]
    missing = [column.aliases[0] for column in COLUMNS if column not in {c for _i, c, _h in layout}]
    if missing:
        raise SpreadsheetError(_("Required columns are missing: %(missing)s. The header line found reads: %(found)s.")
                               % {"missing": "、".join(missing), "found": " | ".join(h for h in headers if h) or "—"})
    return layout


def _parse(number: int, cells: list, layout) -> _Row:
    row = _Row(number=number, cells=cells)
    words = {"tier": _words(Tier, TIER_WORDS), "level": _words(AwardLevel, LEVEL_WORDS)}
    for index, column, header in layout:
        raw = cells[index] if index < len(cells) else None
        try:
            value = read_cell(column, raw, scale=1, lookups=Lookups({}, {}))
            if value is not None and column.key in words:
                value = _word(words[column.key], value)
        except CellProblem as problem:
            row.problems.append((header, str(problem)))
            continue
        if value is None:
            row.problems.append((header, _("This column must not be empty.")))
        row.values[column.key] = value
    return row


def _word(words: dict, text: str) -> str:
    value = words.get(header_key(text))
    if value is None:
        allowed = "、".join(sorted(set(words.values())))
        raise CellProblem(_("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": allowed})
    return value


def _match_enterprises(rows: list[_Row], layout) -> None:
    header = next(h for _i, c, h in layout if c.key == "credit_code")
    codes = {row.values.get("credit_code") for row in rows} - {None}
    known = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=codes)}
    for row in rows:
        code = row.values.get("credit_code")
        if code is not None and code not in known:
            row.problems.append((header, _("No enterprise with this credit code is registered.")))
        row.values["enterprise"] = known.get(code)


@transaction.atomic
def _write(rows: list[_Row], by: User | None, report: AwardImportReport) -> None:
    for row in rows:
        values = row.values
        _award, created = PastAward.objects.get_or_create(
            enterprise=values["enterprise"], tier=values["tier"], level=values["level"],
            awarded_on=values["awarded_on"], amount=values["amount"], defaults={"source": report.file_name},
        )
        report.created += created
        report.already_known += not created
    report.written = True
    step_record(
        action="past_award.import",
        actor=by,
        data={"file": report.file_name, "sha256": report.sha256, "rows": report.rows,
              "rejected_rows": report.rejected_rows, "created": report.created, "already_known": report.already_known},
    )


def _save_rejects(rows: list[_Row], headers: list[str], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ([row.number, *[cell_text(c) for c in row.cells], "；".join(f"{c}：{m}" for c, m in row.problems)]
             for row in rows if row.problems)
    path.write_bytes(write_csv([_("row"), *headers, _("reason")], lines))
    return path
