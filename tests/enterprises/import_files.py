"""Building the spreadsheets that import tests feed in: CSV in any encoding, real xlsx."""

import csv
import io

from openpyxl import Workbook

from enterprises.validators import credit_code_complete

HEADERS_ZH = ["统一社会信用代码", "企业名称", "所属地区", "年度", "营业收入（元）", "研发费用（元）", "职工总数"]


def code(serial: int, region: str = "321102") -> str:
    return credit_code_complete(f"91{region}TT{serial:07d}")


def wrong_check(valid: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return valid[:17] + alphabet[(alphabet.index(valid[17]) + 1) % len(alphabet)]


def csv_bytes(rows, *, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, *, number_formats: dict | None = None) -> bytes:
    """``number_formats`` maps (row, column), 1-based, to an Excel number format."""
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    for (row, column), number_format in (number_formats or {}).items():
        sheet.cell(row=row, column=column).number_format = number_format
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sample_rows(count: int = 3, *, start: int = 1, year: int = 2025):
    """Header plus ``count`` valid rows in 京口区 (321102)."""
    rows = [HEADERS_ZH]
    for serial in range(start, start + count):
        rows.append(
            [code(serial), f"镇江导入测试{serial}有限公司", "京口区", year, f"{8_000_000 + serial}.50", "400000", 120 + serial]
        )
    return rows
