"""The finance models as they were in documents (documents 0006): state only, on the tables
documents made; finance 0002 renames the tables."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import django_fsm
from decimal import Decimal
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('documents', '0006_finance_moves_out'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('organisations', '0005_association_address_and_consent'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Payable',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('object_id', models.PositiveBigIntegerField()),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=12, validators=[django.core.validators.MinValueValidator(Decimal('0.01'))], verbose_name='amount (€)')),
                        ('decision_number', models.CharField(max_length=40, verbose_name='decision number')),
                        ('decided_on', models.DateField(verbose_name='decided on')),
                        ('payable_on', models.DateField(verbose_name='payable on')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('cost_centre', models.CharField(blank=True, max_length=40, verbose_name='cost centre')),
                        ('account', models.CharField(blank=True, max_length=40, verbose_name='account')),
                        ('source', models.CharField(max_length=100)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('association', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.association')),
                        ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype')),
                        ('public_body', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.publicbody')),
                    ],
                    options={
                        'verbose_name': 'payable',
                        'verbose_name_plural': 'payables',
                        'db_table': 'documents_payable',
                        'ordering': ['payable_on', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='PaymentBatch',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('execution_date', models.DateField(verbose_name='requested execution date')),
                        ('state', django_fsm.FSMField(choices=[('made', 'Made, not yet sent'), ('sent', 'Sent to the bank')], default='made', max_length=50, protected=True)),
                        ('sent_on', models.DateField(blank=True, null=True, verbose_name='sent to the bank on')),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('public_body', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.publicbody')),
                        ('sent_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'payment batch',
                        'verbose_name_plural': 'payment batches',
                        'db_table': 'documents_paymentbatch',
                        'ordering': ['-created_at'],
                    },
                    bases=(django_fsm.FSMModelMixin, models.Model),
                ),
                migrations.CreateModel(
                    name='PaymentBatchItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('payee', models.CharField(max_length=200)),
                        ('business_id', models.CharField(max_length=9)),
                        ('iban', models.CharField(max_length=34)),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=12)),
                        ('reference', models.CharField(max_length=140)),
                        ('batch', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='finance.paymentbatch')),
                        ('payable', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='batch_items', to='finance.payable')),
                    ],
                    options={
                        'db_table': 'documents_paymentbatchitem',
                        'ordering': ['batch', 'id'],
                    },
                ),
                migrations.CreateModel(
                    name='Payment',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('amount', models.DecimalField(decimal_places=2, max_digits=12)),
                        ('paid_on', models.DateField()),
                        ('reference', models.CharField(blank=True, max_length=100)),
                        ('recorded_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('reason', models.TextField(blank=True, verbose_name='reason for the reversal')),
                        ('payable', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='payments', to='finance.payable')),
                        ('recorded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('reverses', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='reversal', to='finance.payment')),
                        ('batch_item', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='payment', to='finance.paymentbatchitem')),
                    ],
                    options={
                        'verbose_name': 'payment',
                        'verbose_name_plural': 'payments',
                        'db_table': 'documents_payment',
                        'ordering': ['paid_on', 'id'],
                    },
                ),
                migrations.AddIndex(
                    model_name='payable',
                    index=models.Index(fields=['public_body', 'payable_on'], name='payable_inbox'),
                ),
                migrations.AddConstraint(
                    model_name='payable',
                    constraint=models.UniqueConstraint(fields=('content_type', 'object_id', 'source'), name='one_payable_per_source'),
                ),
                migrations.AddConstraint(
                    model_name='paymentbatchitem',
                    constraint=models.UniqueConstraint(fields=('batch', 'payable'), name='one_item_per_payable'),
                ),
                migrations.AddConstraint(
                    model_name='payment',
                    constraint=models.CheckConstraint(condition=models.Q(models.Q(('amount__gt', 0), ('reason', ''), ('reverses__isnull', True)), models.Q(('amount__lt', 0), ('batch_item__isnull', True), ('reverses__isnull', False), models.Q(('reason', ''), _negated=True)), _connector='OR'), name='payment_positive_reversal_negative_with_reason'),
                ),
            ],
        ),
    ]
