"""Reading and writing the spreadsheets that imports and exports exchange with offices.

Reading turns an uploaded ``.xlsx`` or ``.csv`` into a header line and numbered rows,
refusing anything else with a message a clerk can act on. CSV files from Chinese
offices come in UTF-8 (with or without BOM), GB18030 (Excel's "CSV" on a Chinese
Windows) or UTF-16 (Excel's "Unicode text"); all are accepted. Writing escapes cells
that a spreadsheet would run as a formula.
"""

import codecs
import csv
import datetime
import io
import itertools
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import BinaryIO

from django.utils.translation import gettext as _

from ..exceptions import RegistryError

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and other OLE documents)
HEADER_SEARCH_ROWS = 10
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CHUNK_BYTES = 1024 * 1024
BINARY_SAMPLE_CHARS = 65536


class SpreadsheetError(RegistryError):
    """The file as a whole cannot be read; no row was looked at."""

    code = "bad_spreadsheet"
    http_status = 400


@dataclass
class Table:
    """A sheet's header line and its non-blank rows, numbered as the user sees them.

    ``rows`` is a list from ``read_table`` and a one-pass iterator from ``open_table``.
    """

    header_row: int
    headers: list[str]
    rows: Iterable[tuple[int, list]] = field(default_factory=list)
    encoding: str = ""


def read_table(content: bytes, file_name: str, *, is_header: Callable[[list[str]], bool]) -> Table:
    """Parse ``content`` by its extension, checked against what the bytes really are.

    ``is_header`` recognises the header line among the first rows (a title line above
    it is allowed). Raises ``SpreadsheetError`` for empty, mislabelled or unreadable files.
    """
    table = open_table(io.BytesIO(content), file_name, is_header=is_header)
    table.rows = list(table.rows)
    return table


def open_table(
    stream: BinaryIO, file_name: str, *, is_header: Callable[[list[str]], bool], max_rows: int | None = None
) -> Table:
    """``read_table`` in streaming mode: the rows are read as they are iterated, once.

    ``stream`` is a seekable binary file; memory does not grow with the number of rows.
    Iterating may raise ``SpreadsheetError`` too: a workbook damaged further down, or a
    row beyond ``max_rows`` (the message names the limit).
    """
    if _blank_stream(stream):
        raise SpreadsheetError(_("The file is empty."))
    magic = stream.read(len(OLE_MAGIC))
    stream.seek(0)
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if magic.startswith(OLE_MAGIC):
        raise SpreadsheetError(_("This is an old Excel (.xls) file. Save it as .xlsx or CSV and upload it again."))
    if extension == "xlsx":
        lines, encoding = _xlsx_lines(stream), ""
    elif extension == "csv":
        if magic.startswith(XLSX_MAGIC):
            raise SpreadsheetError(
                _("This file is an Excel workbook named .csv. Rename it to .xlsx and upload it again.")
            )
        lines, encoding = _csv_lines(stream)
    else:
        raise SpreadsheetError(_("Only .xlsx and .csv files can be imported."))
    return _table_from_lines(iter(lines), is_header, encoding, max_rows)


def rows_estimate(stream: BinaryIO, file_name: str) -> int:
    """About how many lines the file holds, without parsing it: the workbook's recorded
    size (counted when it records none), or a CSV's line breaks. Leaves ``stream`` at 0."""
    try:
        if file_name.lower().endswith(".xlsx"):
            return _xlsx_rows_estimate(stream)
        count = 0
        for chunk in iter(lambda: stream.read(CHUNK_BYTES), b""):
            count += chunk.count(b"\n")
        return count
    finally:
        stream.seek(0)


def _xlsx_rows_estimate(stream: BinaryIO) -> int:
    from openpyxl import load_workbook

    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 -- the import itself says what is wrong with the file
        return 0
    try:
        sheet = book.worksheets[0]
        return sheet.max_row if sheet.max_row and sheet.max_row > 1 else sum(1 for _row in sheet.iter_rows())
    finally:
        book.close()


def too_many_rows_message(limit: int) -> str:
    return _(
        "The file has more than %(limit)s rows; at most %(limit)s rows can be imported at once. "
        "Split it and import the parts."
    ) % {"limit": f"{limit:,}"}


def _blank_stream(stream: BinaryIO) -> bool:
    try:
        for chunk in iter(lambda: stream.read(CHUNK_BYTES), b""):
            if chunk.strip():
                return False
        return True
    finally:
        stream.seek(0)


def _table_from_lines(lines: Iterator[list], is_header, encoding: str, max_rows: int | None) -> Table:
    head = list(itertools.islice(lines, HEADER_SEARCH_ROWS))
    texts = [[cell_text(cell) for cell in cells] for cells in head]
    header_index = next((i for i, line in enumerate(texts) if is_header(line)), None)
    if header_index is None:
        # No recognisable header: take the first non-blank line; the caller names what is missing.
        header_index = next((i for i, cells in enumerate(head) if not _blank(cells)), None)
        while header_index is None:
            cells = next(lines, None)
            if cells is None:
                raise SpreadsheetError(_("The file is empty."))
            head.append(cells)
            header_index = len(head) - 1 if not _blank(cells) else None
    table = Table(header_row=header_index + 1, headers=[cell_text(c) for c in head[header_index]], encoding=encoding)
    rest = itertools.chain(head[header_index + 1 :], lines)
    table.rows = _numbered_rows(rest, header_index + 2, max_rows)
    return table


def _numbered_rows(lines: Iterable[list], first_number: int, max_rows: int | None) -> Iterator[tuple[int, list]]:
    count = 0
    for number, cells in enumerate(lines, start=first_number):
        if _blank(cells):
            continue
        count += 1
        if max_rows is not None and count > max_rows:
            raise SpreadsheetError(too_many_rows_message(max_rows))
        yield number, cells


def _blank(cells: Sequence) -> bool:
    return all(cell_text(cell) == "" for cell in cells)


def _xlsx_lines(stream: BinaryIO) -> Iterator[list]:
    if not stream.read(len(XLSX_MAGIC)).startswith(XLSX_MAGIC) or not zipfile.is_zipfile(stream):
        raise SpreadsheetError(
            _("This file is not a real Excel workbook (.xlsx). Open it in Excel and save it as .xlsx.")
        )
    stream.seek(0)
    from openpyxl import load_workbook

    try:
        book = load_workbook(stream, read_only=True, data_only=True)
        sheet = book.worksheets[0]
        # Some writers record a wrong sheet size; recount from the cells themselves.
        sheet.reset_dimensions()
    except Exception as exc:  # noqa: BLE001 -- openpyxl raises a zoo of types for damaged files
        raise _unreadable_workbook(exc) from None
    return _xlsx_rows(book, sheet)


def _xlsx_rows(book, sheet) -> Iterator[list]:
    try:
        for row in sheet.iter_rows():
            yield [_xlsx_cell_value(cell) for cell in row]
    except SpreadsheetError:
        raise
    except Exception as exc:  # noqa: BLE001 -- as above, for a sheet damaged further down
        raise _unreadable_workbook(exc) from None
    finally:
        book.close()


def _unreadable_workbook(exc: Exception) -> SpreadsheetError:
    return SpreadsheetError(
        _("The Excel workbook could not be read (%(reason)s). Open it in Excel and save it again.")
        % {"reason": exc.__class__.__name__}
    )


def _xlsx_cell_value(cell):
    """The cell's value; a number shown as a percentage (0.65 shown as 65%) becomes "65%"."""
    value = cell.value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in getattr(cell, "number_format", ""):
        return f"{Decimal(repr(value)) * 100}%"
    return value


def _csv_lines(stream: BinaryIO) -> tuple[Iterator[list[str]], str]:
    encoding = _encoding(stream)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    head = list(itertools.islice(text, HEADER_SEARCH_ROWS))
    # The delimiter that occurs most in the first lines (a title line above the header has none).
    delimiter = max(",\t;", key="".join(head).count)
    return _csv_rows(csv.reader(itertools.chain(head, text), delimiter=delimiter)), encoding


def _csv_rows(reader) -> Iterator[list[str]]:
    try:
        yield from reader
    except csv.Error as exc:
        raise SpreadsheetError(_("The CSV file is malformed: %(reason)s") % {"reason": exc}) from None


def _encoding(stream: BinaryIO) -> str:
    """The first candidate encoding that decodes the whole file, checked chunk by chunk."""
    bom = stream.read(2)
    candidates = ["utf-16"] if bom in (b"\xff\xfe", b"\xfe\xff") else ["utf-8-sig", "gb18030"]
    try:
        for encoding in candidates:
            stream.seek(0)
            sample = _decoded_sample(stream, encoding)
            if sample is None:
                continue
            if _looks_binary(sample):
                break
            return encoding
    finally:
        stream.seek(0)
    raise SpreadsheetError(
        _("This file is not a readable CSV text file. Save it from Excel as CSV (UTF-8) or as .xlsx.")
    )


def _decoded_sample(stream: BinaryIO, encoding: str) -> str | None:
    """The first 64k characters if the whole stream decodes as ``encoding``, else None."""
    decoder = codecs.getincrementaldecoder(encoding)()
    sample = ""
    try:
        for chunk in iter(lambda: stream.read(CHUNK_BYTES), b""):
            text = decoder.decode(chunk)
            if len(sample) < BINARY_SAMPLE_CHARS:
                sample += text[: BINARY_SAMPLE_CHARS - len(sample)]
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return None
    return sample


def _looks_binary(text: str) -> bool:
    sample = text[:BINARY_SAMPLE_CHARS]
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
