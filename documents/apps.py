from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Decision documents")

    def ready(self) -> None:
        from django.urls import reverse

        from documents import (  # noqa: F401  (documents follow the decisions; PDF copies)
            pdf_signals,
            signals,
        )
        from documents.models import Payable
        from workflow.links import page_register

        # Finance reads a payable, whatever its subject, on the finance portal's page.
        page_register(Payable, finance=lambda p: reverse("finance:payable", args=[p.pk]))
