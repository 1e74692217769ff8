from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Partnership agreements")

    def ready(self) -> None:
        from django.urls import reverse

        from agreements import signals  # noqa: F401  (the agreement document follows approvals)
        from agreements.documents import payment_basis
        from agreements.models import Agreement, AgreementVersion, Evaluation, Meeting
        from agreements.selectors import agreements_for_user
        from documents.selectors import subject_register
        from finance.documents import payment_basis_register
        from workflow.deadlines import kind_register
        from workflow.links import page_register

        # Both sides read an agreement in the partnerships portal: the association's people
        # and the officials see the same pages.
        def both(page):
            return {"association": page, "officials": page}

        page_register(Agreement, **both(lambda a: reverse("partnerships:agreement", args=[a.pk])))
        page_register(
            AgreementVersion,
            **both(lambda v: reverse("partnerships:version", args=[v.agreement_id, v.number])),
        )
        page_register(
            Evaluation,
            **both(lambda e: reverse("partnerships:evaluation", args=[e.agreement_id, e.pk])),
        )
        page_register(
            Meeting,
            association=lambda m: reverse("partnerships:agreement", args=[m.agreement_id]),
            # The liaison records the meeting as held on its own page.
            officials=lambda m: reverse("partnerships:meeting_record", args=[m.agreement_id, m.pk]),
        )
        kind_register("meeting_due", _("Cooperation meeting due"))
        kind_register("evaluation_due", _("Yearly evaluation due"))
        kind_register("agreement_ends", _("Partnership agreement ends"))
        # Documents are made for agreements.
        subject_register(
            "agreement", Agreement, visible=agreements_for_user, body_field="public_body_id"
        )
        # What a payment order of an instalment names as its basis and approver.
        payment_basis_register(Agreement, payment_basis)
