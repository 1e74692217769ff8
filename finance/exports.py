"""A payment batch as files for people: CSV and XLSX, one row per transfer, with the column
headers in the reader's language. The XLSX prints on one page width with its header row on
every page; the first column names the record (the decision or agreement number and the
association), as finance and the auditor find it in the register, never an internal id."""

import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from documents.spreadsheets import csv_bytes, print_setup
from finance.forms import SUBJECT_KINDS
from finance.models import PaymentBatch, PaymentBatchItem

CENT = Decimal("0.01")


def columns() -> list[str]:
    """The CSV's and XLSX's header, in the active language."""
    return [
        pgettext("export", "Record"),
        pgettext("export", "Payee"),
        pgettext("export", "Business ID"),
        pgettext("export", "IBAN"),
        pgettext("export", "Amount (€)"),
        pgettext("export", "Decision"),
        pgettext("export", "Payment date"),
    ]


def record_label(item: PaymentBatchItem) -> str:
    """The record a transfer pays, as a person looks it up: its kind, the decision or
    agreement number and the association, as the batch took them ("Avustuspäätös 12/2026,
    Urheiluseura ry")."""
    model = item.payable.content_type.model
    return _("%(kind)s %(number)s, %(association)s") % {
        "kind": SUBJECT_KINDS.get(model, model),
        "number": item.reference,
        "association": item.payee,
    }


def _items(batch: PaymentBatch) -> Iterable[PaymentBatchItem]:
    return batch.items.select_related("payable__content_type")


def _rows(batch: PaymentBatch) -> list[list[Any]]:
    return [
        [
            record_label(item),
            item.payee,
            item.business_id,
            item.iban,
            item.amount,
            item.reference,
            batch.execution_date,
        ]
        for item in _items(batch)
    ]


def batch_csv(batch: PaymentBatch) -> bytes:
    """One row per transfer after a header, as Finnish Excel opens it: UTF-8 with a byte order
    mark, semicolons, decimal comma, dates as d.m.yyyy. No total row: the file is data."""
    rows = [[*row[:4], row[4].quantize(CENT), *row[5:]] for row in _rows(batch)]
    return csv_bytes(columns(), rows)


def batch_xlsx(batch: PaymentBatch) -> bytes:
    """A workbook with a header row, one row per transfer (amounts as numbers shown in euros)
    and a total row, set up to print on one page width."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    euros = '#,##0.00 "€"'
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Payment batch %(number)s") % {"number": batch.pk}
    sheet.append(columns())
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rows = _rows(batch)
    for row in rows:
        sheet.append(row)
        line = sheet[sheet.max_row]
        for cell in (line[0], line[1], line[5]):
            cell.data_type = "s"  # a name starting with "=" stays text, never a formula
            # A long record or name wraps inside its column instead of widening the page.
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        line[4].number_format = euros
        line[6].number_format = "d.m.yyyy"
    sheet.append(
        [pgettext("export", "Total"), None, None, None, sum((r[4] for r in rows), Decimal(0))]
    )
    total = sheet[sheet.max_row]
    total[0].font = total[4].font = Font(bold=True)
    total[4].number_format = euros
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFG", (36, 32, 11, 22, 13, 16, 11), strict=True):
        sheet.column_dimensions[letter].width = width
    print_setup(sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
