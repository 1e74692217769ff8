"""The finance tables get finance's names, and the content types of the four models move to the
finance app, so that every generic reference (the audit log's entries about a payment batch,
permissions) keeps pointing at the same rows. Reversible: both move back."""

from django.db import migrations

MODELS = ["payable", "payment", "paymentbatch", "paymentbatchitem"]


def _move_content_types(apps, schema_editor, source: str, target: str) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        # A fresh database has none yet (they are made after migrating), or only the target's.
        if content_type.objects.filter(app_label=target, model=model).exists():
            continue
        content_type.objects.filter(app_label=source, model=model).update(app_label=target)


def content_types_to_finance(apps, schema_editor) -> None:
    _move_content_types(apps, schema_editor, "documents", "finance")


def content_types_to_documents(apps, schema_editor) -> None:
    _move_content_types(apps, schema_editor, "finance", "documents")


class Migration(migrations.Migration):

    dependencies = [
        ('finance', '0001_initial'),
    ]

    operations = [
        migrations.RunPython(content_types_to_finance, content_types_to_documents),
        migrations.AlterModelTable(
            name='payable',
            table=None,
        ),
        migrations.AlterModelTable(
            name='payment',
            table=None,
        ),
        migrations.AlterModelTable(
            name='paymentbatch',
            table=None,
        ),
        migrations.AlterModelTable(
            name='paymentbatchitem',
            table=None,
        ),
    ]
