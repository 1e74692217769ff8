"""The move of grant payments to payables (documents 0002–0004, grants 0005) keeps every
payment, batch item and sent payment order, and can be undone."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from documents.models import GeneratedDocument
from finance.models import Payable, PaymentBatchItem
from finance.payables import payments_of
from grants.models import Application
from organisations.models import OfficialRole
from tests.factories import AssociationFactory, PublicBodyFactory, UserFactory, chain_with_steps

BEFORE = [("documents", "0001_initial"), ("grants", "0004_decision_number_and_original")]
DECIDED_AT = timezone.make_aware(datetime(2026, 3, 2, 10, 0))
VALID_ON = date(2026, 4, 1)


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)  # a fresh loader sees what is applied now


def _latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _granted(old, state: str, amount: str, **fields):
    """A decided application written through the models as they were at BEFORE (the grants
    tables of today have columns those migrations do not know yet)."""
    body = PublicBodyFactory()
    call = old.get_model("grants", "Call").objects.create(
        public_body_id=body.pk,
        name=f"Avustushaku {body.pk}",
        category="general",
        opens_at=DECIDED_AT,
        closes_at=DECIDED_AT + timedelta(days=30),
        budget=Decimal("100000.00"),
        max_per_application=Decimal("20000.00"),
        report_due_days=90,
        chain_id=chain_with_steps(body, (OfficialRole.Role.DECISION_MAKER,)).pk,
    )
    app = old.get_model("grants", "Application").objects.create(
        call=call,
        association_id=AssociationFactory().pk,
        created_by_id=UserFactory().pk,
        requested_amount=Decimal(amount),
        purpose="Kerhotoimintaa lapsille ja nuorille.",
        state=state,
        outcome="approved",
        granted_amount=Decimal(amount),
        decided_at=DECIDED_AT,
        **fields,
    )
    app.decision_number = f"AV-2026-{app.pk:05d}"
    app.save(update_fields=["decision_number"])
    return app


@pytest.mark.django_db(transaction=True)
def test_grant_payments_batches_and_orders_move_to_payables_and_back(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    old = _migrate(BEFORE).loader.project_state(BEFORE).apps
    try:
        finance = UserFactory()
        paid = _granted(old, "paid", "3000.00", legally_valid_on=VALID_ON)
        waiting = _granted(old, "legally_valid", "1500.00", legally_valid_on=VALID_ON)
        rejected = _granted(old, "closed", "0.00", legally_valid_on=VALID_ON)
        notified = _granted(old, "notified", "800.00")
        OldPayment = old.get_model("grants", "Payment")
        for amount, on in (("1000.00", date(2026, 4, 3)), ("2000.00", date(2026, 4, 20))):
            OldPayment.objects.create(
                application_id=paid.pk,
                amount=Decimal(amount),
                paid_on=on,
                reference="RF1",
                recorded_by_id=finance.pk,
            )
        Batch = old.get_model("documents", "PaymentBatch")
        Item = old.get_model("documents", "PaymentBatchItem")
        batch = Batch.objects.create(
            public_body_id=waiting.call.public_body_id,
            created_by_id=finance.pk,
            execution_date=VALID_ON,
        )
        Item.objects.create(
            batch=batch,
            application_id=waiting.pk,
            payee="Yhdistys",
            business_id="1234567-1",
            iban="FI2112345600000785",
            amount=Decimal("1500.00"),
            reference=waiting.decision_number,
        )
        Template = old.get_model("documents", "DocumentTemplate")
        Document = old.get_model("documents", "GeneratedDocument")
        template = Template.objects.create(
            kind="payment_order", language="fi", version=1, file="t.docx", sha256="0" * 64
        )
        application_type = old.get_model("contenttypes", "ContentType").objects.get_or_create(
            app_label="grants", model="application"
        )[0]
        Document.objects.create(
            content_type=application_type,
            object_id=waiting.pk,
            kind="payment_order",
            language="fi",
            version=1,
            template=template,
            data={},
            file=ContentFile(b"order", name="order.docx"),
            sha256="1" * 64,
            source=f"payable:{VALID_ON.isoformat()}",
            sent_to_finance_at=timezone.now(),
        )

        _migrate(_latest())

        # Paid or payable grants have their payable; the rejected and the notified none.
        assert not Payable.objects.filter(object_id__in=[rejected.pk, notified.pk]).exists()
        paid_payable = Payable.objects.get(object_id=paid.pk)
        assert (
            paid_payable.content_type,
            paid_payable.source,
            paid_payable.amount,
            paid_payable.decision_number,
            paid_payable.decided_on,
            paid_payable.payable_on,
            paid_payable.title,
            paid_payable.public_body_id,
            paid_payable.association_id,
        ) == (
            ContentType.objects.get_for_model(Application),
            f"decision:{paid.decision_number}",
            Decimal("3000.00"),
            paid.decision_number,
            date(2026, 3, 2),
            VALID_ON,
            paid.call.name,
            paid.call.public_body_id,
            paid.association_id,
        )
        assert [
            (p.amount, p.paid_on, p.reference, p.recorded_by_id)
            for p in payments_of(Application.objects.get(pk=paid.pk))
        ] == [
            (Decimal("1000.00"), date(2026, 4, 3), "RF1", finance.pk),
            (Decimal("2000.00"), date(2026, 4, 20), "RF1", finance.pk),
        ]
        assert Application.objects.get(pk=paid.pk).paid_total == Decimal("3000.00")
        waiting_payable = Payable.objects.get(object_id=waiting.pk)
        assert PaymentBatchItem.objects.get().payable == waiting_payable
        # The order already sent is the payable's: the sweep does not send it again.
        order = GeneratedDocument.objects.get(object_id=waiting.pk, kind="payment_order")
        assert order.source == f"payable:{waiting_payable.pk}"

        _migrate(BEFORE)
        old = MigrationExecutor(connection).loader.project_state(BEFORE).apps

        assert list(
            old.get_model("grants", "Payment")
            .objects.order_by("paid_on")
            .values_list("application_id", "amount")
        ) == [(paid.pk, Decimal("1000.00")), (paid.pk, Decimal("2000.00"))]
        item = old.get_model("documents", "PaymentBatchItem").objects.get()
        assert item.application_id == waiting.pk
        document = old.get_model("documents", "GeneratedDocument").objects.get()
        assert document.source == f"payable:{VALID_ON.isoformat()}"
    finally:
        _migrate(_latest())
