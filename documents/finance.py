"""Finance's side of a grant: the inbox of legally valid decisions awaiting payment, payment
batches and their exports to the bank (CSV, XLSX, SEPA pain.001).

Only the finance people (OfficialRole finance) of a public body see its payable decisions and
batches. Payments themselves are recorded through the `record_payment` transition
(workflow.transitions.transition_perform); a batch only says what is to be sent to the bank.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import DecimalField, F, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import iban as iban_number

from documents.models import GeneratedDocument, PaymentBatch, PaymentBatchItem
from grants.models import Application, Payment
from organisations.models import OfficialRole
from organisations.roles import roles_of
from workflow.locking import locked
from workflow.transitions import audit_record

MONEY_FIELD = DecimalField(max_digits=12, decimal_places=2)
CENT = Decimal("0.01")

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SEPA_CONTENT_TYPE = "application/xml"
SEPA_SCHEMA = "pain.001.001.03"

# The columns of the CSV and XLSX exports, in Finnish as the finance office reads them.
COLUMNS = [
    "Hakemus",
    "Maksunsaaja",
    "Y-tunnus",
    "IBAN",
    "Summa (€)",
    "Päätös",
    "Maksupäivä",
]


def finance_bodies(user: Any) -> frozenset[int]:
    """The public bodies where the person works in finance."""
    return roles_of(user).public_bodies(OfficialRole.Role.FINANCE)


def is_finance_person(user: Any) -> bool:
    return bool(finance_bodies(user))


# --- the inbox ------------------------------------------------------------------------------


@dataclass
class Payable:
    """A legally valid decision with money left to pay, as finance's inbox shows it."""

    application: Application
    paid: Decimal
    remaining: Decimal
    # The newest version of each of its documents (decision, payment order), by kind.
    documents: list[GeneratedDocument] = field(default_factory=list)
    # The payment batches it is already in, oldest first.
    batch_ids: list[int] = field(default_factory=list)


def payable_applications(user: Any) -> QuerySet[Application]:
    """Legally valid applications of the person's finance bodies with money left to pay,
    oldest legally valid first. Each row carries `paid_amount` (the sum of its payments)."""
    paid = (
        Payment.objects.filter(application=OuterRef("pk"))
        .values("application")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return (
        Application.objects.filter(
            state=Application.State.LEGALLY_VALID,
            call__public_body_id__in=finance_bodies(user),
            granted_amount__gt=0,
        )
        .annotate(paid_amount=Coalesce(Subquery(paid), Value(Decimal(0)), output_field=MONEY_FIELD))
        .filter(granted_amount__gt=F("paid_amount"))
        .select_related("call", "association")
        .order_by("legally_valid_on", "id")
    )


def payables(applications: Iterable[Application]) -> list[Payable]:
    """The rows of `payable_applications` with their documents and batches: two queries
    whatever their number."""
    applications = list(applications)
    ids = [a.pk for a in applications]
    documents: dict[int, dict[str, GeneratedDocument]] = {}
    batches: dict[int, list[int]] = {}
    if ids:
        rows = (
            GeneratedDocument.objects.filter(
                content_type=ContentType.objects.get_for_model(Application), object_id__in=ids
            )
            .defer("data")
            .order_by("object_id", "kind", "-version")
        )
        for document in rows:
            documents.setdefault(document.object_id, {}).setdefault(document.kind, document)
        for application_id, batch_id in (
            PaymentBatchItem.objects.filter(application_id__in=ids)
            .order_by("batch_id")
            .values_list("application_id", "batch_id")
        ):
            batches.setdefault(application_id, []).append(batch_id)
    result = []
    for application in applications:
        paid = Decimal(application.paid_amount).quantize(CENT)
        result.append(
            Payable(
                application=application,
                paid=paid,
                remaining=application.granted_amount - paid,
                documents=list(documents.get(application.pk, {}).values()),
                batch_ids=batches.get(application.pk, []),
            )
        )
    return result


# --- payment batches ------------------------------------------------------------------------


def batches_for(user: Any) -> QuerySet[PaymentBatch]:
    """The payment batches of the person's finance bodies, newest first."""
    return (
        PaymentBatch.objects.filter(public_body_id__in=finance_bodies(user))
        .select_related("public_body", "created_by")
        .prefetch_related("items")
    )


def payment_batch_create(
    *, user: Any, public_body_id: int, application_ids: Sequence[int], execution_date: date
) -> PaymentBatch:
    """A batch of transfers for the body's payable applications, each for what is left to pay.

    PermissionDenied unless the person works in the body's finance; ValidationError (nothing
    saved) for an application that is not one of the body's payable ones, whether it is
    another body's, not legally valid, fully paid or missing: the message does not say which.

    An application already in another batch may be batched again (say the bank refused the
    first file): nothing here records that a batch was paid. Finance records each payment with
    the `record_payment` transition, which is what lowers the remaining amount; the inbox shows
    the batches an application is already in, so a second transfer is a visible choice.
    """
    if public_body_id not in finance_bodies(user):
        raise PermissionDenied(_("You do not handle the payments of this public body."))
    ids = list(dict.fromkeys(application_ids))
    if not ids:
        raise ValidationError({"applications": _("Choose at least one application.")})
    if execution_date < timezone.localdate():
        raise ValidationError({"execution_date": _("The execution date cannot be in the past.")})
    with transaction.atomic():
        # Lock the applications: a payment recorded meanwhile waits, so the amounts are right.
        applications = {
            a.pk: a
            for a in locked(
                payable_applications(user).filter(call__public_body_id=public_body_id, pk__in=ids)
            )
        }
        missing = [pk for pk in ids if pk not in applications]
        if missing:
            raise ValidationError(
                {
                    "applications": _("Not payable by this public body: %(ids)s.")
                    % {"ids": ", ".join(str(pk) for pk in missing)}
                }
            )
        batch = PaymentBatch.objects.create(
            public_body_id=public_body_id, created_by=user, execution_date=execution_date
        )
        items = []
        for pk in ids:
            application = applications[pk]
            association = application.association
            items.append(
                PaymentBatchItem(
                    batch=batch,
                    application=application,
                    payee=association.name,
                    business_id=association.business_id,
                    iban=iban_number.compact(association.iban),
                    amount=application.granted_amount
                    - Decimal(application.paid_amount).quantize(CENT),
                    reference=application.decision_number,
                )
            )
        PaymentBatchItem.objects.bulk_create(items)
        audit_record(
            batch,
            transition="create_payment_batch",
            source="",
            target="created",
            actor=user,
            data={
                "applications": ids,
                "execution_date": execution_date,
                "total": sum((i.amount for i in items), Decimal(0)),
            },
        )
    return batch


def batch_total(batch: PaymentBatch) -> Decimal:
    return sum((item.amount for item in batch.items.all()), Decimal(0))


# --- exports --------------------------------------------------------------------------------


def _text(value: str) -> str:
    """Text a spreadsheet must not run as a formula (CSV injection)."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _rows(batch: PaymentBatch) -> list[list[Any]]:
    return [
        [
            item.application_id,
            item.payee,
            item.business_id,
            item.iban,
            item.amount,
            item.reference,
            batch.execution_date,
        ]
        for item in batch.items.all()
    ]


def batch_csv(batch: PaymentBatch) -> bytes:
    """One row per transfer after a header, as Finnish Excel opens it: UTF-8 with a byte order
    mark, semicolons, decimal comma, dates as d.m.yyyy. No total row: the file is data."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in _rows(batch):
        application_id, payee, business_id, iban, amount, reference, on = row
        writer.writerow(
            [
                application_id,
                _text(payee),
                business_id,
                iban,
                f"{amount:.2f}".replace(".", ","),
                _text(reference),
                f"{on.day}.{on.month}.{on.year}",
            ]
        )
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def batch_xlsx(batch: PaymentBatch) -> bytes:
    """A workbook with a header row, one row per transfer (amounts as numbers shown in euros)
    and a total row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    euros = '#,##0.00 "€"'
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Maksuerä {batch.pk}"
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    rows = _rows(batch)
    for row in rows:
        sheet.append(row)
        line = sheet[sheet.max_row]
        for cell in (line[1], line[5]):
            cell.data_type = "s"  # a name starting with "=" stays text, never a formula
        line[4].number_format = euros
        line[6].number_format = "d.m.yyyy"
    sheet.append(["Yhteensä", None, None, None, sum((r[4] for r in rows), Decimal(0))])
    total = sheet[sheet.max_row]
    total[0].font = total[4].font = Font(bold=True)
    total[4].number_format = euros
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFG", (10, 40, 12, 24, 14, 18, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cents(amount: Decimal) -> int:
    return int((amount * 100).to_integral_value())


def batch_sepa(batch: PaymentBatch) -> bytes:
    """A SEPA credit transfer initiation (pain.001.001.03) from the payer account in settings:
    one transfer per item to the association's IBAN, the decision number as its end-to-end
    id and message, on the batch's execution date. Validated against the schema."""
    from sepaxml import SepaTransfer

    transfer = SepaTransfer(
        {
            "name": settings.PAYER_NAME,
            "IBAN": iban_number.compact(settings.PAYER_IBAN),
            "BIC": settings.PAYER_BIC.replace(" ", "").upper(),
            "batch": True,
            "currency": "EUR",
        },
        schema=SEPA_SCHEMA,
    )
    for item in batch.items.all():
        transfer.add_payment(
            {
                "name": item.payee,
                "IBAN": iban_number.compact(item.iban),
                "amount": _cents(item.amount),
                "execution_date": batch.execution_date,
                "description": item.reference,
                "endtoend_id": item.reference[:35] or "NOTPROVIDED",
            }
        )
    return transfer.export(validate=True)


EXPORTS = {
    "csv": (batch_csv, CSV_CONTENT_TYPE, "csv"),
    "xlsx": (batch_xlsx, XLSX_CONTENT_TYPE, "xlsx"),
    "sepa": (batch_sepa, SEPA_CONTENT_TYPE, "pain001.xml"),
}


def batch_export(batch: PaymentBatch, export_format: str) -> tuple[bytes, str, str]:
    """The file of a batch in `export_format` (csv, xlsx, sepa): bytes, content type, name."""
    if export_format not in EXPORTS:
        raise ValidationError(
            {"format": _("Choose one of: %(formats)s.") % {"formats": ", ".join(EXPORTS)}}
        )
    render, content_type, extension = EXPORTS[export_format]
    return render(batch), content_type, f"maksuera-{batch.pk}.{extension}"
