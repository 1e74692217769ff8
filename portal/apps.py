from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The people's web layer: the front door, the association home, notifications, calendar,
    and what every portal's pages share (access, forms, posting a transition, template tags)."""

    name = "portal"
