from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "finance"
    verbose_name = _("Finance")

    def ready(self) -> None:
        from django.urls import reverse

        from documents.selectors import visibility_register
        from finance.documents import documents_finance_sees
        from finance.models import Payable
        from workflow.links import page_register

        # Finance reads a payable, whatever its subject, on the finance portal's page.
        page_register(Payable, finance=lambda p: reverse("finance:payable", args=[p.pk]))
        # Finance sees every document of a subject with a payable of its bodies.
        visibility_register(documents_finance_sees)
