from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "agreements"
    verbose_name = _("Partnership agreements")

    def ready(self) -> None:
        # The agreement document follows approvals and signatures; importing the signals also
        # registers agreements.doc_tasks, which Celery's autodiscovery (tasks.py) does not.
        from agreements import signals  # noqa: F401
