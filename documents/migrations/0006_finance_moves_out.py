"""Payables, payments and payment batches move to the finance app (finance 0001): only
Django's idea of which app holds them changes here; the tables stay until finance 0002
renames them."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0005_payment_ledger_and_batch_lifecycle'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='payment',
                    name='payable',
                ),
                migrations.RemoveField(
                    model_name='paymentbatchitem',
                    name='payable',
                ),
                migrations.RemoveField(
                    model_name='payment',
                    name='batch_item',
                ),
                migrations.RemoveField(
                    model_name='payment',
                    name='recorded_by',
                ),
                migrations.RemoveField(
                    model_name='payment',
                    name='reverses',
                ),
                migrations.RemoveField(
                    model_name='paymentbatch',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='paymentbatch',
                    name='public_body',
                ),
                migrations.RemoveField(
                    model_name='paymentbatch',
                    name='sent_by',
                ),
                migrations.RemoveField(
                    model_name='paymentbatchitem',
                    name='batch',
                ),
                migrations.DeleteModel(
                    name='Payable',
                ),
                migrations.DeleteModel(
                    name='Payment',
                ),
                migrations.DeleteModel(
                    name='PaymentBatch',
                ),
                migrations.DeleteModel(
                    name='PaymentBatchItem',
                ),
            ],
        ),
    ]
