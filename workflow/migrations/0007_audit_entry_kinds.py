from django.db import migrations, models

# The audited actions written into the log before it told them from transitions: every name
# the callers of the former `audit_record` used (none is a transition of any model).
ACTIONS = [
    "attach",
    "comment",
    "create",
    "create_payment_batch",
    "decision_sent",
    "declare_disqualification",
    "edit",
    "instalment_payable",
    "issue_api_token",
    "record_meeting",
    "register",
    "rotate_calendar_token",
    "schedule_meeting",
    "update_details",
]


def name_the_actions(apps, schema_editor):
    TransitionLog = apps.get_model("workflow", "TransitionLog")
    TransitionLog.objects.filter(transition__in=ACTIONS).update(kind="action")


class Migration(migrations.Migration):
    dependencies = [("workflow", "0006_notifications_to_an_address")]

    operations = [
        # Every row written so far is a transition, but for the actions' names below.
        migrations.AddField(
            model_name="transitionlog",
            name="kind",
            field=models.CharField(
                choices=[("transition", "state change"), ("action", "audited action")],
                default="transition",
                max_length=10,
                verbose_name="kind of entry",
            ),
            preserve_default=False,
        ),
        # Backwards the column goes, and the kind with it.
        migrations.RunPython(name_the_actions, migrations.RunPython.noop),
    ]
