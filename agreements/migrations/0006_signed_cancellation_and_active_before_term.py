"""A signed agreement cancelled before its term (agreements.cancellation), and agreements made
`active` before their term by the code before the `signed` state moved to `signed`."""

from django.db import migrations, models
from django.utils import timezone

# The audit record of the move says it was this migration, so the reverse finds what it moved.
MIGRATED = "agreements.0006"


def _agreement_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="agreements", model="agreement")[0]


def active_before_term_to_signed(apps, schema_editor):
    """An agreement signed before its term became `active` on the day of its last signature;
    it is `signed`, in force from the term's first day, when the daily scan activates it
    (agreements.scans). Each move is audited, as the system, with the day it had."""
    Agreement = apps.get_model("agreements", "Agreement")
    TransitionLog = apps.get_model("workflow", "TransitionLog")
    today = timezone.localdate()
    early = Agreement.objects.filter(state="active", in_force_version__starts_on__gt=today)
    agreement_type = _agreement_type(apps)
    for agreement in early.order_by("pk"):
        TransitionLog.objects.create(
            content_type=agreement_type,
            object_id=agreement.pk,
            kind="transition",
            from_state="active",
            to_state="signed",
            transition="await_term",
            comment="Signed before its term: in force from the term's first day.",
            data={"migration": MIGRATED, "activated_on": agreement.activated_on},
        )
        # The state field is protected: a row update, as the transition service's save.
        Agreement.objects.filter(pk=agreement.pk).update(state="signed", activated_on=None)


def signed_back_to_active(apps, schema_editor):
    """Reversed: the agreements this migration moved and still `signed` are `active` again
    from the day they had, audited too (the log is append-only)."""
    Agreement = apps.get_model("agreements", "Agreement")
    TransitionLog = apps.get_model("workflow", "TransitionLog")
    agreement_type = _agreement_type(apps)
    moves = TransitionLog.objects.filter(
        content_type=agreement_type, transition="await_term", data__migration=MIGRATED
    ).order_by("pk")
    for move in moves:
        agreement = Agreement.objects.filter(pk=move.object_id, state="signed").first()
        if agreement is None:
            continue
        TransitionLog.objects.create(
            content_type=agreement_type,
            object_id=agreement.pk,
            kind="transition",
            from_state="signed",
            to_state="active",
            transition="activate",
            comment=f"Migration {MIGRATED} reversed.",
            data={"migration": MIGRATED},
        )
        Agreement.objects.filter(pk=agreement.pk).update(
            state="active", activated_on=move.data.get("activated_on")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0005_resource_premises"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("workflow", "0009_chain_subject_kind"),
    ]

    operations = [
        migrations.AddField(
            model_name="agreement",
            name="cancellation_proposed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="agreement",
            name="cancellation_reason",
            field=models.TextField(blank=True, verbose_name="reason for cancelling"),
        ),
        migrations.AddField(
            model_name="agreement",
            name="cancellation_section",
            field=models.CharField(blank=True, max_length=20, verbose_name="section"),
        ),
        migrations.AddField(
            model_name="agreement",
            name="cancellation_side",
            field=models.CharField(
                blank=True,
                choices=[("public_body", "Public body"), ("association", "Association")],
                max_length=20,
                verbose_name="cancellation proposed by",
            ),
        ),
        migrations.AddField(
            model_name="agreement",
            name="cancelled_on",
            field=models.DateField(blank=True, null=True, verbose_name="cancelled on"),
        ),
        migrations.RunPython(active_before_term_to_signed, signed_back_to_active),
    ]
