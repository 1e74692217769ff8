from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "workflow"
    verbose_name = _("Workflow engine")

    def ready(self) -> None:
        from workflow import transitions  # noqa: F401  (connects the direct-call guard)
        from workflow.converters import register

        register()  # before any URLconf reads `<record:pk>`
