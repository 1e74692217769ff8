"""Bridges `rules` predicates to django-fsm-2's `permission=` callables."""

from collections.abc import Callable
from typing import Any

import rules


def fsm_permission(predicate: rules.Predicate) -> Callable[[Any, Any], bool]:
    """django-fsm-2 calls permission(instance, user); rules predicates take (user, obj).

    Calling the predicate directly (not `user.has_perm`) keeps superusers from acting in a
    role they do not hold: an administrator configures, but does not decide grants.
    """

    def check(instance: Any, user: Any) -> bool:
        return bool(predicate.test(user, instance))

    check.__name__ = f"permission_{predicate.name}"
    return check
