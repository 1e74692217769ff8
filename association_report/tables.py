"""The yearly report as tables, one per section, in the language of the reader: what the
page shows, one sheet each in the XLSX workbook, and the rows of the CSV file (a long format:
one line per figure, see `report_csv`), so the three never disagree."""

import io
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from agreements.summary import COLUMNS as AGREEMENT_COLUMNS
from agreements.summary import Row as AgreementRow
from association_report.figures import GrantFigures, GrantRow, YearlyReport, category_label
from documents.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, csv_bytes, print_setup
from grants.indicators import LABELS as INDICATOR_LABELS
from workflow import formats

TEXT, COUNT, MONEY, HOURS, NUMBER = "text", "count", "money", "hours", "number"
EUROS = '#,##0.00 "€"'
NUMBER_FORMATS = {COUNT: "0", MONEY: EUROS, HOURS: "#,##0.0", NUMBER: "#,##0.##"}


@dataclass
class Column:
    header: str
    kind: str = TEXT


@dataclass
class Table:
    """A section's table: `labels` columns that name the row (its name, and a business ID
    when it is an association), then its figures (or texts: a meeting's place); the total
    row last, or none."""

    key: str
    title: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    total: list[Any] | None = None
    labels: int = 1


def _grant_columns(first: str, *, business_id: bool = False) -> list[Column]:
    return [
        Column(first),
        *([Column(_("Business ID"))] if business_id else []),
        Column(pgettext("report", "Applications"), COUNT),
        Column(pgettext("report", "Applied (€)"), MONEY),
        Column(pgettext("report", "Grants"), COUNT),
        Column(pgettext("report", "Granted (€)"), MONEY),
        Column(pgettext("report", "Paid (€)"), MONEY),
    ]


def _grant_values(figures: GrantFigures) -> list[Any]:
    return [
        figures.applied_count,
        figures.applied,
        figures.granted_count,
        figures.granted,
        figures.paid,
    ]


def _grant_table(
    key: str, title: str, first: str, rows: list[tuple[list[Any], GrantRow]], total: GrantFigures
) -> Table:
    business_id = key == "grants_by_association"
    total_labels = [pgettext("report", "Total"), *([""] if business_id else [])]
    return Table(
        key=key,
        title=title,
        columns=_grant_columns(first, business_id=business_id),
        rows=[[*labels, *_grant_values(row)] for labels, row in rows],
        total=[*total_labels, *_grant_values(total)],
        labels=2 if business_id else 1,
    )


def report_tables(report: YearlyReport, language: str) -> list[Table]:
    """Every section's table in `language` (fi, sv or en)."""
    with translation.override(language):
        grants = report.grants
        tables = [
            _grant_table(
                "grants_by_category",
                pgettext("report", "Grants by category"),
                pgettext("report", "Category"),
                [([category_label(row.key)], row) for row in grants.by_category],
                grants.total,
            ),
            _grant_table(
                "grants_by_call",
                pgettext("report", "Grants by call"),
                pgettext("report", "Call"),
                [([row.name_in(language)], row) for row in grants.by_call],
                grants.total,
            ),
            _grant_table(
                "grants_by_association",
                pgettext("report", "Grants by association"),
                pgettext("report", "Association"),
                [([row.name, row.business_id], row) for row in grants.by_association],
                grants.total,
            ),
        ]
        indicators = report.indicators
        tables.append(
            Table(
                key="indicators",
                title=pgettext("report", "Application indicators"),
                columns=[
                    Column(pgettext("report", "Call")),
                    Column(pgettext("report", "Applications"), COUNT),
                    *(Column(str(label), NUMBER) for label in INDICATOR_LABELS.values()),
                ],
                rows=[
                    [call.call_name, call.applications, *call.indicators.values()]
                    for call in indicators.calls
                ],
                total=[
                    pgettext("report", "Total"),
                    indicators.total.applications,
                    *indicators.total.indicators.values(),
                ],
            )
        )
        tables.append(_agreement_table(report, language))
        tables.extend(_premises_tables(report, language))
        tables.extend(_meeting_tables(report, language))
    return tables


def _premises_tables(report: YearlyReport, language: str) -> list[Table]:
    premises = report.premises
    figures = [
        Column(pgettext("report", "Hours"), HOURS),
        Column(pgettext("report", "Value (€)"), MONEY),
    ]
    total = [pgettext("report", "Total"), premises.total.hours, premises.total.value]
    not_listed = pgettext("report", "Premises named in an agreement, not in the catalogue")
    return [
        Table(
            key="premises_by_association",
            title=pgettext("report", "Free premises by association"),
            columns=[Column(pgettext("report", "Association")), Column(_("Business ID")), *figures],
            rows=[[r.name, r.business_id, r.hours, r.value] for r in premises.by_association],
            total=[total[0], "", *total[1:]],
            labels=2,
        ),
        Table(
            key="premises_by_entry",
            title=pgettext("report", "Free premises by premises"),
            columns=[Column(pgettext("report", "Premises")), *figures],
            rows=[
                [r.name_in(language) if r.key else not_listed, r.hours, r.value]
                for r in premises.by_premises
            ],
            total=total,
        ),
    ]


def _meeting_tables(report: YearlyReport, language: str) -> list[Table]:
    held = report.meetings.held

    def day(meeting: Any) -> str:
        return formats.local_date(timezone.localdate(meeting.starts_at), language)

    return [
        Table(
            key="meetings",
            title=pgettext("report", "Association meetings held"),
            columns=[
                Column(pgettext("report", "Date")),
                Column(pgettext("report", "Place")),
                Column(pgettext("report", "Matters raised"), COUNT),
            ],
            rows=[[day(m), m.place, m.matters_count] for m in held],
            total=[pgettext("report", "Total"), "", report.meetings.matters_count],
        ),
        Table(
            key="matters",
            title=pgettext("report", "Matters raised at the meetings"),
            columns=[
                Column(pgettext("report", "Date")),
                Column(pgettext("report", "Association")),
                Column(pgettext("report", "Matter raised")),
                Column(pgettext("report", "Response")),
            ],
            rows=[
                [
                    day(m),
                    matter.association.name if matter.association else "",
                    matter.matter,
                    matter.response,
                ]
                for m in held
                for matter in m.matters.all()
            ],
        ),
    ]


def _agreement_table(report: YearlyReport, language: str) -> Table:
    headers = AGREEMENT_COLUMNS[language]
    kinds = [TEXT, TEXT, COUNT, COUNT, COUNT, MONEY, HOURS, MONEY, HOURS, COUNT, COUNT]
    summary = report.agreements

    def values(row: AgreementRow) -> list[Any]:
        return row.values()[2:]

    return Table(
        key="agreements",
        title=pgettext("report", "Partnership agreements"),
        columns=[Column(h, k) for h, k in zip(headers, kinds, strict=True)],
        rows=[[row.association_name, row.business_id, *values(row)] for row in summary.rows],
        total=[pgettext("report", "Total"), "", *values(summary.total)],
        labels=2,
    )


# --- files ----------------------------------------------------------------------------------


def csv_header() -> list[str]:
    return [
        pgettext("report", "Section"),
        pgettext("report", "Name"),
        _("Business ID"),
        pgettext("report", "Figure"),
        pgettext("report", "Value"),
    ]


def report_csv(report: YearlyReport, language: str = "fi") -> bytes:
    """The long format: one line per figure (section, the row's name, its business ID when
    it is an association, the figure's name, the value), the total rows included, named
    "Total" in the file's language. One file holds every section, whatever their columns."""
    lines = []
    for table in report_tables(report, language):
        for values in [*table.rows, *([table.total] if table.total else [])]:
            name = values[0]
            business_id = values[1] if table.labels > 1 else ""
            for column, value in zip(
                table.columns[table.labels :], values[table.labels :], strict=True
            ):
                lines.append([table.title, name, business_id, column.header, value])
    with translation.override(language):
        return csv_bytes(csv_header(), lines)


def report_xlsx(report: YearlyReport, language: str = "fi") -> bytes:
    """A workbook with a sheet per section: a bold header row, the rows with figures as
    numbers and their number formats, a bold total row, printed on A4."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for table in report_tables(report, language):
        sheet = workbook.create_sheet(table.title[:31])
        sheet.append([c.header for c in table.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for values in [*table.rows, *([table.total] if table.total else [])]:
            sheet.append(values)
            for cell, column in zip(sheet[sheet.max_row], table.columns, strict=True):
                if column.kind == TEXT:
                    cell.data_type = "s"  # a name starting with "=" stays text, never a formula
                else:
                    cell.number_format = NUMBER_FORMATS[column.kind]
        if table.total:
            for cell in sheet[sheet.max_row]:
                cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        sheet.column_dimensions["A"].width = 40
        print_setup(sheet)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


EXPORTS = {"xlsx": (report_xlsx, XLSX_CONTENT_TYPE), "csv": (report_csv, CSV_CONTENT_TYPE)}
