from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationFormsConfig(AppConfig):
    name = "application_forms"
    verbose_name = _("Application forms")
