from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Decision documents")

    def ready(self) -> None:
        from documents import pdf_signals  # noqa: F401  (every document gets its PDF copy)
