from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Grants")

    def ready(self) -> None:
        from django.urls import reverse

        from documents.generation import decision_maker_register
        from documents.selectors import subject_register
        from finance.documents import payment_basis_register
        from grants import signals  # noqa: F401  (the decision document follows the decision)
        from grants.documents import decision_document_generate, payment_basis
        from grants.models import Application
        from grants.notification import decision_message_prepare
        from grants.selectors import applications_for_user
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
        # Documents are made for applications; its decision is made anew if its task was lost.
        subject_register(
            "application",
            Application,
            visible=applications_for_user,
            body_field="call__public_body_id",
        )
        decision_maker_register(Application, lambda app: decision_document_generate(app.pk))
        # What a payment order of a grant names as its basis and approver.
        payment_basis_register(Application, payment_basis)
