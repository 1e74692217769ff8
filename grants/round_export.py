"""The round's export with the answers, for the body's officials: every submitted application of
the call as one row (its number, association, business ID, state, amounts, assessment total)
with a column per question of its form, as CSV and XLSX (documents.spreadsheets). A table's
answer is counted in rows, a file named; figures, amounts and dates stay numbers and dates, so
a spreadsheet sums and sorts them. In a constant number of queries whatever the call's size."""

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from application_forms import definition as d
from application_forms.models import FormVersion
from application_forms.summary import answer_text
from documents.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_bytes, print_setup
from grants.models import Application, Attachment, Call
from grants.rounds import STATE_LABELS, proposals_of, scores_for


@dataclass(frozen=True)
class Export:
    header: list[str]
    rows: list[list[Any]]
    # The columns holding amounts (for the XLSX number format).
    money: frozenset[int]


def _questions(versions: list[FormVersion]) -> list[dict[str, Any]]:
    """Every question of the forms the applications were made on, each key once: the newest
    version's in its order, then those only older versions asked."""
    seen: dict[str, dict[str, Any]] = {}
    for version in sorted(versions, key=lambda v: (v.definition_id, -v.number)):
        for section in version.content.get("sections", []):
            for field in section["fields"]:
                seen.setdefault(field["key"], field)
    return list(seen.values())


def answer_cell(field: dict[str, Any], value: Any, files: dict[int, str]) -> Any:
    """One answer as a spreadsheet cell: a table as its number of rows, a file by its name,
    a figure or an amount as a number, a date as a date, anything else as it reads
    (application_forms.summary)."""
    if value is None or value in ("", []):
        return ""
    kind = field["type"]
    if kind == d.TABLE:
        return len(value)
    if kind in (d.MONEY, d.NUMBER):
        return Decimal(str(value))
    if kind == d.COUNT:
        return int(value)
    if kind == d.DATE:
        return date.fromisoformat(str(value))
    return answer_text(field, value, files)


def round_export(call: Call) -> Export:
    """The call's submitted applications with their answers, in the active language."""
    applications = list(
        Application.objects.filter(call=call, submitted_at__isnull=False)
        .select_related("association")
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.only("pk", "name", "application"))
        )
        .only(
            "state",
            "requested_amount",
            "granted_amount",
            "answers",
            "form_version_id",
            "association__name",
            "association__business_id",
            "association__responsible_person",
        )
        .order_by("association__name", "pk")
    )
    version_ids = {a.form_version_id for a in applications if a.form_version_id}
    questions = _questions(list(FormVersion.objects.filter(pk__in=version_ids)))
    scores = scores_for(call)
    proposals = proposals_of([a.pk for a in applications if a.granted_amount is None])
    header = [
        _("Application number"),
        pgettext("workbench", "Association"),
        _("Business ID"),
        pgettext("workbench", "State"),
        _("Requested (€)"),
        _("Proposed or granted (€)"),
        pgettext("assessment total", "Score"),
        *(d.text(field["label"]) for field in questions),
    ]
    rows = []
    for application in applications:
        files = {attachment.pk: attachment.name for attachment in application.attachments.all()}
        amount = application.granted_amount
        if amount is None:
            amount = proposals.get(application.pk, (None, ""))[0]
        score = scores.get(application.pk)
        rows.append(
            [
                application.pk,
                application.association.name,
                application.association.business_id or application.association.unregistered_label,
                str(STATE_LABELS[application.state]),
                application.requested_amount,
                "" if amount is None else amount,
                "" if score is None else score,
                *(
                    answer_cell(field, application.answers.get(field["key"]), files)
                    for field in questions
                ),
            ]
        )
    money = {4, 5} | {
        7 + index for index, field in enumerate(questions) if field["type"] == d.MONEY
    }
    return Export(header, rows, frozenset(money))


def round_export_csv(export: Export) -> bytes:
    """As Finnish Excel opens a CSV (documents.spreadsheets)."""
    return csv_bytes(export.header, export.rows)


def round_export_xlsx(export: Export, title: str) -> bytes:
    """A workbook with a bold header row, one row per application; amounts in euros, dates as
    dates, text never run as a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    # A sheet's title is at most 31 characters and has no []:*?/\ in it.
    sheet.title = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "Round"
    sheet.append(export.header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in export.rows:
        sheet.append(row)
        for index, cell in enumerate(sheet[sheet.max_row]):
            if isinstance(row[index], str):
                cell.data_type = "s"  # a text starting with "=" stays text, never a formula
            elif index in export.money:
                cell.number_format = '#,##0.00 "€"'
            elif isinstance(row[index], date):
                cell.number_format = "d.m.yyyy"
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["B"].width = 36
    print_setup(sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# Each file kind: how it is written and its content type.
EXPORTS = {
    "csv": (lambda export, title: round_export_csv(export), CSV_CONTENT_TYPE),
    "xlsx": (round_export_xlsx, XLSX_CONTENT_TYPE),
}


def export_response(call: Call, kind: str) -> HttpResponse:
    """The round's export as a download (`kind` csv or xlsx), in the active language: the
    round page's and the API's."""
    write, content_type = EXPORTS[kind]
    response = HttpResponse(write(round_export(call), call.name), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="round-{call.pk}.{kind}"'
    return response
