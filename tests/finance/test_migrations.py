"""The finance models move from documents to finance (documents 0006, finance 0001–0002)
without losing a row, and back: the payables, the ledger, the batches and their items, and the
content types that generic references (the audit log, permissions) point at."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from finance.models import Payable, Payment, PaymentBatch, PaymentBatchItem
from tests.factories import ApplicationFactory, UserFactory

DOCUMENTS_BEFORE = ("documents", "0005_payment_ledger_and_batch_lifecycle")
BEFORE = [DOCUMENTS_BEFORE, ("finance", None)]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)  # a fresh loader sees what is applied now


def _latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _rows(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
        return cursor.fetchone()[0]


@pytest.mark.django_db(transaction=True)
def test_the_finance_tables_move_with_their_rows_and_back():
    batch_type = ContentType.objects.get_for_model(PaymentBatch)
    old = _migrate(BEFORE).loader.project_state(DOCUMENTS_BEFORE).apps
    try:
        application = ApplicationFactory()
        person = UserFactory()
        OldPayable = old.get_model("documents", "Payable")
        payable = OldPayable.objects.create(
            content_type_id=ContentType.objects.get_for_model(application).pk,
            object_id=application.pk,
            public_body_id=application.call.public_body_id,
            association_id=application.association_id,
            amount=Decimal("5000.00"),
            decision_number="AV-2026-00007",
            decided_on=date(2026, 3, 2),
            payable_on=date(2026, 4, 1),
            title="Toiminta-avustus",
            source="decision:AV-2026-00007",
        )
        batch = old.get_model("documents", "PaymentBatch").objects.create(
            public_body_id=application.call.public_body_id,
            created_by_id=person.pk,
            execution_date=date(2026, 4, 3),
            state="sent",
            sent_on=date(2026, 4, 3),
            sent_by_id=person.pk,
        )
        item = old.get_model("documents", "PaymentBatchItem").objects.create(
            batch=batch,
            payable=payable,
            payee="Esimerkkilän Seniorit ry",
            business_id="1234567-1",
            iban="FI2112345600000785",
            amount=Decimal("5000.00"),
            reference="AV-2026-00007",
        )
        OldPayment = old.get_model("documents", "Payment")
        paid = OldPayment.objects.create(
            payable=payable,
            amount=Decimal("5000.00"),
            paid_on=date(2026, 4, 3),
            recorded_by_id=person.pk,
            batch_item=item,
        )
        OldPayment.objects.create(
            payable=payable,
            amount=Decimal("-5000.00"),
            paid_on=date(2026, 4, 3),
            recorded_by_id=person.pk,
            reverses=paid,
            reason="Väärä tili.",
        )
        # The content types are the documents app's while the models are.
        assert ContentType.objects.get(pk=batch_type.pk).app_label == "documents"

        _migrate(_latest())

        moved = Payable.objects.get()
        assert (moved.pk, moved.amount, moved.subject) == (
            payable.pk,
            Decimal("5000.00"),
            application,
        )
        assert [(p.amount, p.reverses_id, p.batch_item_id) for p in Payment.objects.all()] == [
            (Decimal("5000.00"), None, item.pk),
            (Decimal("-5000.00"), paid.pk, None),
        ]
        assert PaymentBatchItem.objects.get().batch == PaymentBatch.objects.get(pk=batch.pk)
        assert PaymentBatch.objects.get().sent_by == person
        assert ContentType.objects.get(pk=batch_type.pk).app_label == "finance"
        assert "documents_payable" not in connection.introspection.table_names()

        _migrate(BEFORE)

        assert [_rows(f"documents_{name}") for name in ("payable", "payment")] == [1, 2]
        assert [_rows(f"documents_{name}") for name in ("paymentbatch", "paymentbatchitem")] == [
            1,
            1,
        ]
        assert ContentType.objects.get(pk=batch_type.pk).app_label == "documents"
        assert "finance_payable" not in connection.introspection.table_names()
    finally:
        _migrate(_latest())
        ContentType.objects.clear_cache()
