from django.conf import settings
from django.utils.functional import SimpleLazyObject

from portal.portals import portals_for


def portals(request):
    """`nav_portals`: the portals in the header, each with `current` when the page is in it;
    `service_owner`: the public body that runs the service."""

    def navigation():
        match = getattr(request, "resolver_match", None)
        namespace = (match.namespace if match else "").split(":")[0]
        return [
            {"url": portal.url, "label": portal.label, "current": portal.namespace == namespace}
            for portal in portals_for(getattr(request, "user", None))
        ]

    return {
        "nav_portals": SimpleLazyObject(navigation),
        "service_owner": settings.SERVICE_OWNER,
    }
