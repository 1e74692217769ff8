from django.db import migrations, models
from django.db.models import Q

AGREEMENT_VERSION = "agreements.agreementversion"


def kind_from_use(apps, schema_editor):
    """A chain an agreement names, or whose runs reviewed agreement versions, reviews agreement
    versions, unless a call also names it (it stays the grants', as it was made for them);
    every other chain reviews grant applications (the field's default)."""
    ApprovalChain = apps.get_model("workflow", "ApprovalChain")
    ApprovalChain.objects.filter(
        Q(agreements__isnull=False)
        | Q(runs__content_type__app_label="agreements", runs__content_type__model="agreementversion")
    ).exclude(calls__isnull=False).update(subject_kind=AGREEMENT_VERSION)


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0008_names_in_swedish_and_sections"),
        ("contenttypes", "0002_remove_content_type_name"),
        # Their chain fields: which chains agreements and calls name.
        ("agreements", "0001_initial"),
        ("grants", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="approvalchain",
            name="subject_kind",
            field=models.CharField(
                choices=[
                    ("grants.application", "Grant applications"),
                    ("agreements.agreementversion", "Agreement versions"),
                ],
                db_index=True,
                default="grants.application",
                max_length=40,
                verbose_name="reviews",
            ),
        ),
        # Reversed, the field goes and with it the kinds: nothing to undo.
        migrations.RunPython(kind_from_use, migrations.RunPython.noop),
    ]
