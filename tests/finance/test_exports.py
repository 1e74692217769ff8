"""A payment batch's files for people (finance.exports): the record column names the decision
or agreement and the association, the headers come in the reader's language, and the XLSX
prints on one page width with its header row on every page."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone, translation

from finance import batches, payables
from finance.exports import batch_csv, batch_xlsx, columns, record_label
from finance.models import Payable, PaymentBatch, PaymentBatchItem

pytestmark = pytest.mark.django_db

NUMBER = "KH 12/2026 §"


@pytest.fixture
def batch(application, people) -> PaymentBatch:
    today = timezone.localdate()
    payable = payables.payable_open(
        application,
        source="grant",
        public_body_id=application.call.public_body_id,
        association_id=application.association_id,
        amount=Decimal("1500.00"),
        decision_number=NUMBER,
        decided_on=today,
        payable_on=today,
        title="Toiminta-avustus",
    )
    return batches.payment_batch_create(
        user=people["finance"],
        public_body_id=application.call.public_body_id,
        payable_ids=[payable.pk],
        execution_date=today,
    )


def csv_table(batch: PaymentBatch) -> list[list[str]]:
    return list(csv.reader(io.StringIO(batch_csv(batch).decode("utf-8-sig")), delimiter=";"))


def test_the_record_column_names_the_decision_and_the_association(batch, association):
    sheet = openpyxl.load_workbook(io.BytesIO(batch_xlsx(batch))).active

    expected = f"Avustuspäätös {NUMBER}, {association.name}"
    assert csv_table(batch)[1][0] == expected
    assert sheet.cell(row=2, column=1).value == expected


def test_an_agreement_instalment_is_named_by_the_agreement(association):
    instalment = PaymentBatchItem(
        payable=Payable(
            content_type=ContentType.objects.get(app_label="agreements", model="agreement")
        ),
        reference="SOP-2026-3",
        payee=association.name,
    )

    assert record_label(instalment) == f"Sopimuksen vuosierä SOP-2026-3, {association.name}"
    with translation.override("sv"):
        assert record_label(instalment) == (
            f"Avtalets årliga betalning SOP-2026-3, {association.name}"
        )


@pytest.mark.parametrize(
    ("language", "first", "total"),
    [("fi", "Kohde", "Yhteensä"), ("sv", "Ärende", "Totalt"), ("en", "Record", "Total")],
)
def test_the_headers_are_in_the_readers_language(batch, language, first, total):
    with translation.override(language):
        table = csv_table(batch)
        sheet = openpyxl.load_workbook(io.BytesIO(batch_xlsx(batch))).active
        header = columns()

    assert table[0] == header
    assert header[0] == first
    assert [cell.value for cell in sheet[1]] == header
    assert sheet.cell(row=3, column=1).value == total


def test_the_workbook_prints_on_one_page_width_with_its_header_on_every_page(batch):
    sheet = openpyxl.load_workbook(io.BytesIO(batch_xlsx(batch))).active

    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.page_setup.fitToWidth == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9  # A4
    assert sheet.print_title_rows == "$1:$1"
