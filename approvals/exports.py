"""CSV and XLSX exports of the step log, safe to open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@`` or a tab/carriage return would be run as
a formula by Excel or WPS (CSV injection): such cells get a leading apostrophe. Comments
are typed by users, so this matters.
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from steplog.models import Step

from .actions import action_label

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# An XLSX file is built in memory; beyond this, export CSV (which streams).
XLSX_MAX_ROWS = 100_000


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def header() -> list[str]:
    return [
        _("sequence"), _("time"), _("actor"), _("actor's role"), _("actor's jurisdiction"), _("enterprise"),
        _("jurisdiction of the object"), _("object type"), _("object id"), _("action"), _("action code"),
        _("state before"), _("state after"), _("comment"), _("request id"), _("client address"), _("details"),
        _("hash"),
    ]


def step_row(step: Step) -> list[str]:
    return [
        safe_cell(value)
        for value in (
            step.seq,
            timezone.localtime(step.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            step.actor_name,
            step.actor_role,
            step.actor_jurisdiction,
            step.enterprise.name if step.enterprise_id and step.enterprise else "",
            step.jurisdiction,
            step.object_type,
            step.object_id,
            action_label(step.action),
            step.action,
            step.state_before,
            step.state_after,
            step.comment,
            step.request_id,
            step.client_ip or "",
            json.dumps(step.data, ensure_ascii=False) if step.data else "",
            step.hash,
        )
    ]


class _Echo:
    def write(self, value):
        return value


def csv_lines(steps: Iterable[Step]) -> Iterator[str]:
    """The CSV, line by line (UTF-8 with a BOM so Excel reads the Chinese)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(header())
    for step in steps:
        yield writer.writerow(step_row(step))


def xlsx_bytes(steps: Iterable[Step]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Audit trail"))
    sheet.append(header())
    for step in steps:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell) for cell in step_row(step)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
