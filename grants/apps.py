from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = _("Grants")

    def ready(self) -> None:
        from grants.notification import decision_message_prepare
        from workflow.messages import register_preparer

        register_preparer("decision_notified", decision_message_prepare)
