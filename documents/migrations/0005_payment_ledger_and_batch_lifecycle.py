"""A payment batch's lifecycle (made, then sent to the bank on a day, by someone), a payment
tied to the batch item it paid, and reversing entries: a negative payment that names the one it
reverses and why. Existing batches are made, not yet sent; existing payments stay as they are.
Every step is reversible (no data moves)."""

import django.db.models.deletion
import django_fsm
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('documents', '0004_batch_items_pay_payables'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='payment',
            name='batch_item',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='payment', to='documents.paymentbatchitem'),
        ),
        migrations.AddField(
            model_name='payment',
            name='reason',
            field=models.TextField(blank=True, verbose_name='reason for the reversal'),
        ),
        migrations.AddField(
            model_name='payment',
            name='reverses',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reversal', to='documents.payment'),
        ),
        migrations.AddField(
            model_name='paymentbatch',
            name='sent_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='paymentbatch',
            name='sent_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='paymentbatch',
            name='sent_on',
            field=models.DateField(blank=True, null=True, verbose_name='sent to the bank on'),
        ),
        migrations.AddField(
            model_name='paymentbatch',
            name='state',
            field=django_fsm.FSMField(choices=[('made', 'Made, not yet sent'), ('sent', 'Sent to the bank')], default='made', max_length=50, protected=True),
        ),
        migrations.AlterField(
            model_name='payment',
            name='amount',
            field=models.DecimalField(decimal_places=2, max_digits=12),
        ),
        migrations.AddConstraint(
            model_name='payment',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('amount__gt', 0), ('reason', ''), ('reverses__isnull', True)), models.Q(('amount__lt', 0), ('batch_item__isnull', True), ('reverses__isnull', False), models.Q(('reason', ''), _negated=True)), _connector='OR'), name='payment_positive_reversal_negative_with_reason'),
        ),
    ]
