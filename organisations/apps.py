from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "organisations"
    verbose_name = _("Organisations and people")

    def ready(self) -> None:
        # The mandate checks at sign-in and the act's basis in its audit record (signals).
        from organisations import mandates  # noqa: F401
