"""A batch item pays a payable (filled in 0003), no longer an application."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0003_payables_from_grants"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="paymentbatchitem",
            name="one_item_per_decision",
        ),
        migrations.RemoveField(
            model_name="paymentbatchitem",
            name="application",
        ),
        migrations.AlterField(
            model_name="paymentbatchitem",
            name="payable",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="batch_items",
                to="documents.payable",
            ),
        ),
        migrations.AddConstraint(
            model_name="paymentbatchitem",
            constraint=models.UniqueConstraint(
                fields=("batch", "payable"), name="one_item_per_payable"
            ),
        ),
    ]
