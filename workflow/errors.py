"""Errors the engine raises; `workflow.api.exception_handler` maps them to HTTP statuses."""


class TransitionConflict(Exception):
    """The transition is not available now: wrong state, an unmet condition, or a concurrent
    change got there first. HTTP 409."""

    def __init__(self, message: str, code: str = "conflict") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class UnknownTransition(Exception):
    """No transition of that name exists on the record. HTTP 400."""
