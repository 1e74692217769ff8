"""The sweeps' loop: what a lost task would have done, done now for each record it missed."""

import logging
from collections.abc import Callable, Iterable
from typing import Any

log = logging.getLogger(__name__)


def catch_up(ids: Iterable[int], work: Callable[[int], Any], what: str) -> int:
    """Runs `work(id)` for each id; one that fails is logged (`what` names the work and takes
    the id) and skipped, so one broken record does not hold up the rest. How many succeeded."""
    done = 0
    for pk in list(ids):
        try:
            work(pk)
            done += 1
        except Exception:
            log.exception(what, pk)
    return done
