"""Payments live on documents.Payable now (copied there by documents 0003)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0004_decision_number_and_original"),
        ("documents", "0003_payables_from_grants"),
    ]

    operations = [
        migrations.DeleteModel(
            name="Payment",
        ),
    ]
