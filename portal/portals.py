"""The portals and who may enter them: one registry for the navigation, the home page's
redirect and the views' access checks.

A portal is a URL namespace. Its views are guarded with `portal_required(namespace)` (function
views) or `PortalMixin` (class-based views); which records a person then sees inside it is the
selectors' business (docs/architecture.md, invariant 2).
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from organisations.models import OfficialRole
from organisations.roles import Roles, roles_of

Role = OfficialRole.Role
_WORKBENCH_ROLES = (Role.PREPARER, Role.DECISION_MAKER, Role.LIAISON, Role.ADMINISTRATOR)


@dataclass(frozen=True)
class Portal:
    namespace: str
    label: str | Promise
    description: str | Promise
    admits: Callable[[Roles], bool]
    # A landing portal: `home` sends a person with exactly one of these straight to it.
    landing: bool = True

    @property
    def url(self) -> str:
        return reverse(f"{self.namespace}:home")


PORTALS: tuple[Portal, ...] = (
    Portal(
        "associations",
        _("Association portal"),
        _("Applications, reports and decisions of your association."),
        lambda roles: bool(roles.all_associations),
    ),
    Portal(
        "officials",
        _("Official workbench"),
        _("Applications to prepare and decide, calls and deadlines."),
        lambda roles: bool(roles.public_bodies(*_WORKBENCH_ROLES)),
    ),
    Portal(
        "finance",
        _("Finance"),
        _("Payable decisions, payments and payment batches."),
        lambda roles: bool(roles.public_bodies(Role.FINANCE)),
    ),
    Portal(
        "partnerships",
        _("Partnership agreements"),
        _("Agreements, their goals, meetings and yearly evaluations."),
        lambda roles: bool(roles.all_associations or roles.public_bodies(*_WORKBENCH_ROLES)),
        landing=False,
    ),
)
_BY_NAMESPACE = {portal.namespace: portal for portal in PORTALS}


def portals_for(user) -> list[Portal]:
    """The portals the person may enter, in navigation order."""
    roles = roles_of(user)
    return [portal for portal in PORTALS if portal.admits(roles)]


def may_enter(user, namespace: str) -> bool:
    return _BY_NAMESPACE[namespace].admits(roles_of(user))


def portal_required(namespace: str):
    """Decorates a view of the portal: anonymous people go to sign in, people without a role
    that admits them get 403."""
    if namespace not in _BY_NAMESPACE:
        raise ValueError(f"Unknown portal {namespace!r}")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not may_enter(request.user, namespace):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class PortalMixin(LoginRequiredMixin):
    """For class-based views: `portal = "officials"`."""

    portal: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not may_enter(request.user, self.portal):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def safe_next(request: HttpRequest, default: str) -> str:
    """Where a form asks to go after it is done (`next`), when that is a page of this site;
    `default` otherwise, so a link cannot send a person elsewhere (an open redirect)."""
    target = (request.POST if request.method == "POST" else request.GET).get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
