"""Who performs a transition: a signed-in person, or the system (scheduled scans); and who is
acting right now, so that the messages an action causes are not sent to its own actor."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any


class SystemActor:
    """The actor of transitions nobody performs by hand, such as a draft expiring.

    It is not a user: it holds no organisation role, so only predicates that name it let it act,
    and the audit log records it as a null actor.
    """

    pk = None
    is_authenticated = False
    is_active = True
    is_superuser = False

    def __str__(self) -> str:
        return "system"


SYSTEM = SystemActor()

_acting_person: ContextVar[int | None] = ContextVar("acting_person", default=None)


@contextmanager
def acting(actor: Any) -> Iterator[None]:
    """While `actor`'s action runs. A transition the system performs inside it (a proposal sets
    the earlier one aside, the last signature activates the agreement) is still that person's
    action, so the system never takes the place of the person who started it."""
    if getattr(actor, "pk", None) is None:
        yield
        return
    token = _acting_person.set(actor.pk)
    try:
        yield
    finally:
        _acting_person.reset(token)


def acting_person_id() -> int | None:
    """The person whose action is running now, or None (the system, a scan)."""
    return _acting_person.get()
