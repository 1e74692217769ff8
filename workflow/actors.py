"""Who performs a transition: a signed-in person, or the system (scheduled scans)."""


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
