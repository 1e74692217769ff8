"""Every grant application that finance has paid, batched or must pay gets its payable; its
payments move from grants.Payment, its batch items point at the payable, and its payment order
is known as the payable's (GeneratedDocument.source "payable:<id>", the key that keeps the
hand-over from sending it twice; the document's bytes and data stay as they were).

Its own migration: on PostgreSQL, altering a table in the transaction that changed its rows
fails ("pending trigger events"), so the schema changes around it are in 0002 and 0004.
"""

from decimal import Decimal

from django.db import migrations
from django.db.models import Q
from django.utils import timezone


def payables_from_grants(apps, schema_editor):
    Application = apps.get_model("grants", "Application")
    OldPayment = apps.get_model("grants", "Payment")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Payable = apps.get_model("documents", "Payable")
    Payment = apps.get_model("documents", "Payment")
    Item = apps.get_model("documents", "PaymentBatchItem")
    GeneratedDocument = apps.get_model("documents", "GeneratedDocument")

    applications = (
        Application.objects.filter(
            Q(pk__in=OldPayment.objects.values("application_id"))
            | Q(pk__in=Item.objects.values("application_id"))
            | Q(state="legally_valid", granted_amount__gt=0)
        )
        .select_related("call")
        .order_by("pk")
    )
    if not applications.exists():
        return
    application_type, _created = ContentType.objects.get_or_create(
        app_label="grants", model="application"
    )
    for app in applications.iterator():
        payments = list(OldPayment.objects.filter(application_id=app.pk).order_by("paid_on", "pk"))
        decided_on = timezone.localtime(app.decided_at).date() if app.decided_at else None
        payable_on = app.legally_valid_on or decided_on or timezone.localdate()
        payable, _created = Payable.objects.get_or_create(
            content_type=application_type,
            object_id=app.pk,
            source=f"decision:{app.decision_number}",
            defaults={
                "public_body_id": app.call.public_body_id,
                "association_id": app.association_id,
                "amount": app.granted_amount or sum((p.amount for p in payments), Decimal(0)),
                "decision_number": app.decision_number,
                "decided_on": decided_on or payable_on,
                "payable_on": payable_on,
                "title": app.call.name,
                "cost_centre": app.call.cost_centre,
                "account": app.call.account,
            },
        )
        Payment.objects.bulk_create(
            Payment(
                payable=payable,
                amount=p.amount,
                paid_on=p.paid_on,
                reference=p.reference,
                recorded_by_id=p.recorded_by_id,
                recorded_at=p.recorded_at,
            )
            for p in payments
        )
        Item.objects.filter(application_id=app.pk).update(payable=payable)
        if app.legally_valid_on:
            GeneratedDocument.objects.filter(
                content_type=application_type,
                object_id=app.pk,
                kind="payment_order",
                source=f"payable:{app.legally_valid_on.isoformat()}",
            ).update(source=f"payable:{payable.pk}")


def grants_from_payables(apps, schema_editor):
    """Undo: the applications' payments, batch items and order sources as they were."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    OldPayment = apps.get_model("grants", "Payment")
    Payable = apps.get_model("documents", "Payable")
    Payment = apps.get_model("documents", "Payment")
    Item = apps.get_model("documents", "PaymentBatchItem")
    GeneratedDocument = apps.get_model("documents", "GeneratedDocument")
    application_type = ContentType.objects.filter(app_label="grants", model="application").first()
    if application_type is None:
        return
    for payable in Payable.objects.filter(content_type=application_type).order_by("pk"):
        OldPayment.objects.bulk_create(
            OldPayment(
                application_id=payable.object_id,
                amount=p.amount,
                paid_on=p.paid_on,
                reference=p.reference,
                recorded_by_id=p.recorded_by_id,
                recorded_at=p.recorded_at,
            )
            for p in Payment.objects.filter(payable=payable).order_by("paid_on", "pk")
        )
        Item.objects.filter(payable=payable).update(application_id=payable.object_id)
        GeneratedDocument.objects.filter(
            content_type=application_type,
            object_id=payable.object_id,
            kind="payment_order",
            source=f"payable:{payable.pk}",
        ).update(source=f"payable:{payable.payable_on.isoformat()}")


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0002_payables"),
        ("grants", "0004_decision_number_and_original"),
    ]

    operations = [migrations.RunPython(payables_from_grants, grants_from_payables)]
