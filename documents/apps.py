from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Decision documents")

    def ready(self) -> None:
        from documents import (  # noqa: F401  (documents follow the decisions; PDF copies)
            pdf_signals,
            signals,
        )
