"""Reading and writing the spreadsheets that imports and exports exchange with offices.

Reading turns an uploaded ``.xlsx`` or ``.csv`` into a header line and numbered rows,
refusing anything else with a message a clerk can act on. CSV files from Chinese
offices come in UTF-8 (with or without BOM), GB18030 (Excel's "CSV" on a Chinese
Windows) or UTF-16 (Excel's "Unicode text"); all are accepted. Writing escapes cells
that a spreadsheet would run as a formula.
"""

import csv
import datetime
import io
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from ..exceptions import RegistryError

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and other OLE documents)
HEADER_SEARCH_ROWS = 10
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class SpreadsheetError(RegistryError):
    """The file as a whole cannot be read; no row was looked at."""

    code = "bad_spreadsheet"
    http_status = 400


@dataclass
class Table:
    """A sheet's header line and its non-blank rows, numbered as the user sees them."""

    header_row: int
    headers: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)
    encoding: str = ""


def read_table(content: bytes, file_name: str, *, is_header: Callable[[list[str]], bool]) -> Table:
    """Parse ``content`` by its extension, checked against what the bytes really are.

    ``is_header`` recognises the header line among the first rows (a title line above
    it is allowed). Raises ``SpreadsheetError`` for empty, mislabelled or unreadable files.
    """
    if not content.strip():
        raise SpreadsheetError(_("The file is empty."))
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if content.startswith(OLE_MAGIC):
        raise SpreadsheetError(_("This is an old Excel (.xls) file. Save it as .xlsx or CSV and upload it again."))
    if extension == "xlsx":
        lines, encoding = _xlsx_lines(content), ""
    elif extension == "csv":
        if content.startswith(XLSX_MAGIC):
            raise SpreadsheetError(
                _("This file is an Excel workbook named .csv. Rename it to .xlsx and upload it again.")
            )
        lines, encoding = _csv_lines(content)
    else:
        raise SpreadsheetError(_("Only .xlsx and .csv files can be imported."))
    return _table_from_lines(lines, is_header, encoding)


def _table_from_lines(lines: list[list], is_header, encoding: str) -> Table:
    texts = [[cell_text(cell) for cell in cells] for cells in lines[:HEADER_SEARCH_ROWS]]
    header_index = next((i for i, line in enumerate(texts) if is_header(line)), None)
    if header_index is None:
        # No recognisable header: take the first non-blank line; the caller names what is missing.
        header_index = next((i for i, cells in enumerate(lines) if not _blank(cells)), None)
        if header_index is None:
            raise SpreadsheetError(_("The file is empty."))
    table = Table(header_row=header_index + 1, headers=[cell_text(c) for c in lines[header_index]], encoding=encoding)
    table.rows = [
        (number, cells)
        for number, cells in enumerate(lines[header_index + 1 :], start=header_index + 2)
        if not _blank(cells)
    ]
    return table


def _blank(cells: Sequence) -> bool:
    return all(cell_text(cell) == "" for cell in cells)


def _xlsx_lines(content: bytes):
    if not content.startswith(XLSX_MAGIC) or not zipfile.is_zipfile(io.BytesIO(content)):
        raise SpreadsheetError(
            _("This file is not a real Excel workbook (.xlsx). Open it in Excel and save it as .xlsx.")
        )
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        # Some writers record a wrong sheet size; recount from the cells themselves.
        sheet.reset_dimensions()
        return [[_xlsx_cell_value(cell) for cell in row] for row in sheet.iter_rows()]
    except Exception as exc:  # openpyxl raises a zoo of types for damaged files
        raise SpreadsheetError(
            _("The Excel workbook could not be read (%(reason)s). Open it in Excel and save it again.")
            % {"reason": exc.__class__.__name__}
        ) from None


def _xlsx_cell_value(cell):
    """The cell's value; a number shown as a percentage (0.65 shown as 65%) becomes "65%"."""
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in getattr(cell, "number_format", ""):
        return f"{Decimal(repr(value)) * 100}%"
    return value


def _csv_lines(content: bytes) -> tuple[list[list[str]], str]:
    text, encoding = _decode(content)
    # The delimiter that occurs most in the first lines (a title line above the header has none).
    head = "\n".join(text.split("\n", HEADER_SEARCH_ROWS)[:HEADER_SEARCH_ROWS])
    delimiter = max(",\t;", key=head.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)), encoding
    except csv.Error as exc:
        raise SpreadsheetError(_("The CSV file is malformed: %(reason)s") % {"reason": exc}) from None


def _decode(content: bytes) -> tuple[str, str]:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8-sig", "gb18030"]
    for encoding in candidates:
        try:
            text = content.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            break
        return text, encoding
    raise SpreadsheetError(
        _("This file is not a readable CSV text file. Save it from Excel as CSV (UTF-8) or as .xlsx.")
    )


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    return any(unicodedata.category(ch) == "Cc" and ch not in "\t\r\n" for ch in sample)


def cell_text(value) -> str:
    """A cell as the text the user typed: numbers without Excel's ``.0``, dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


def formula_escape(value):
    """Text a spreadsheet would execute (``=``, ``+``, ``-``, ``@`` first) gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def formula_unescape(text: str) -> str:
    """Undo ``formula_escape`` so that an exported file imports back unchanged."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text


@dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: Iterable[Sequence]
    widths: dict[int, int] = field(default_factory=dict)


def write_workbook(sheets: list[Sheet]) -> bytes:
    """An .xlsx of ``sheets``, every text cell formula-escaped, headers bold and frozen."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    for sheet in sheets:
        worksheet = book.create_sheet(title=sheet.title)
        worksheet.freeze_panes = "A2"
        for index, width in sheet.widths.items():
            worksheet.column_dimensions[get_column_letter(index + 1)].width = width
        header_cells = []
        for header in sheet.headers:
            cell = WriteOnlyCell(worksheet, value=formula_escape(header))
            cell.font = Font(bold=True)
            header_cells.append(cell)
        worksheet.append(header_cells)
        for row in sheet.rows:
            worksheet.append([formula_escape(value) for value in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 with BOM (so Excel opens the Chinese correctly), formula-escaped."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([formula_escape(h) for h in headers])
    for row in rows:
        writer.writerow([formula_escape("" if value is None else value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")
