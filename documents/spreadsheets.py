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
