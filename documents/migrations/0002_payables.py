"""Payables and their payments: what finance must pay, whatever it comes from."""

from decimal import Decimal

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

POSITIVE = [django.core.validators.MinValueValidator(Decimal("0.01"))]


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("documents", "0001_initial"),
        ("grants", "0004_decision_number_and_original"),
        ("organisations", "0004_contact_details"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Payable",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("object_id", models.PositiveBigIntegerField()),
                (
                    "amount",
                    models.DecimalField(
                        decimal_places=2,
                        max_digits=12,
                        validators=POSITIVE,
                        verbose_name="amount (€)",
                    ),
                ),
                (
                    "decision_number",
                    models.CharField(max_length=40, verbose_name="decision number"),
                ),
                ("decided_on", models.DateField(verbose_name="decided on")),
                ("payable_on", models.DateField(verbose_name="payable on")),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                (
                    "cost_centre",
                    models.CharField(blank=True, max_length=40, verbose_name="cost centre"),
                ),
                ("account", models.CharField(blank=True, max_length=40, verbose_name="account")),
                ("source", models.CharField(max_length=100)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "association",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisations.association",
                    ),
                ),
                (
                    "content_type",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="contenttypes.contenttype",
                    ),
                ),
                (
                    "public_body",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="organisations.publicbody",
                    ),
                ),
            ],
            options={
                "verbose_name": "payable",
                "verbose_name_plural": "payables",
                "ordering": ["payable_on", "id"],
                "indexes": [
                    models.Index(fields=["public_body", "payable_on"], name="payable_inbox")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("content_type", "object_id", "source"),
                        name="one_payable_per_source",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Payment",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "amount",
                    models.DecimalField(decimal_places=2, max_digits=12, validators=POSITIVE),
                ),
                ("paid_on", models.DateField()),
                ("reference", models.CharField(blank=True, max_length=100)),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "payable",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="payments",
                        to="documents.payable",
                    ),
                ),
                (
                    "recorded_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "payment",
                "verbose_name_plural": "payments",
                "ordering": ["paid_on", "id"],
            },
        ),
        # Null until 0003 fills it from the item's application; 0004 drops the application,
        # nullable here so that undoing 0004 can add it back before 0003 is undone.
        migrations.AlterField(
            model_name="paymentbatchitem",
            name="application",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="grants.application",
            ),
        ),
        migrations.AddField(
            model_name="paymentbatchitem",
            name="payable",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="batch_items",
                to="documents.payable",
            ),
        ),
    ]
