from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "publicity"
    verbose_name = _("Public pages")

    def ready(self) -> None:
        from publicity import signals  # noqa: F401  (a decision is published when it is sent)
