"""Files for spreadsheets, the way a Finnish office opens them: CSV as Finnish Excel reads it
(UTF-8 with a byte order mark, semicolons, decimal comma) and XLSX; both guarded against text
that a spreadsheet would run as a formula (CSV injection). Used by finance's payment batches
and the agreements' yearly summary."""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_text(value: str) -> str:
    """Text a spreadsheet must not run as a formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def csv_cell(value: Any) -> str:
    """A value as a Finnish CSV cell: decimal comma, d.m.yyyy dates, guarded text."""
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    if isinstance(value, date):
        return f"{value.day}.{value.month}.{value.year}"
    if isinstance(value, str):
        return safe_text(value)
    return str(value)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def print_setup(sheet: Any, *, header_rows: int = 1, landscape: bool = True) -> None:
    """An XLSX sheet that prints the way an office files it: A4, every column on one page
    width (as many pages down as it takes), the header rows repeated on each page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    # fitToHeight 0: no limit on the pages down; without fitToPage the two are ignored.
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = f"1:{header_rows}"
