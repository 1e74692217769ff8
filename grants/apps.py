from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Grants")

    def ready(self) -> None:
        from django.urls import reverse

        from grants.models import Application
        from grants.notification import decision_message_prepare
        from workflow.deadlines import kind_register
        from workflow.links import page_register
        from workflow.messages import register_preparer

        # The page a message or a calendar event about an application links to.
        page_register(
            Application,
            association=lambda app: reverse("associations:application", args=[app.pk]),
            officials=lambda app: reverse("officials:application", args=[app.pk]),
        )
        kind_register("call_closes", _("Call closes"))
        kind_register("completion_due", _("Completion due"))
        # The period for a request for rectification, or after a rectification decision for
        # an appeal to the administrative court: both are the decision's appeal period.
        kind_register("appeal_period_ends", _("Appeal period ends"))
        kind_register("report_due", _("Report due"))
        # The decision's message encloses its document and records the day it was sent.
        register_preparer("decision_notified", decision_message_prepare)
