"""Why a payable's sum is not simply its decision's: stored as facts (`Payable.reasons`, a list
of entries), never as text in one language, and rendered in the reader's language on every
page, message and API answer (fi, sv, en).

An entry names the kind of change and the amendment that made it:

    {"change": "supplement" | "reduction" | "recovery",
     "number": "<the agreement's number>", "version": <the amendment's version number>,
     "decided_on": "YYYY-MM-DD", "before": "<amount>", "after": "<amount>"}

or the cancellation of an agreement before its term, which owes nothing for the term:

    {"change": "reduction" | "recovery", "cause": "cancellation",
     "number": "<the agreement's number>", "decided_on": "<the day it was cancelled>", ...}

or the decision to cancel changed on a request for rectification, which owes the terms again
(a supplementary payable, or a recovery claim withdrawn):

    {"change": "supplement" | "reduction", "cause": "restored",
     "number": "<the agreement's number>", "decided_on": "<the day of the change>", ...}

`before` and `after` (a reduction's old and new amount) are there for reductions made since
finance 0005; an entry converted from the text written before it has none."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from workflow import formats


class Change:
    SUPPLEMENT = "supplement"
    REDUCTION = "reduction"
    RECOVERY = "recovery"


CHANGES = (Change.SUPPLEMENT, Change.REDUCTION, Change.RECOVERY)
CANCELLATION = "cancellation"
RESTORED = "restored"


def amendment_reason(
    change: str,
    *,
    number: str,
    version: int,
    decided_on: date,
    before: Decimal | None = None,
    after: Decimal | None = None,
) -> dict[str, Any]:
    """The entry for a change an amendment made (see the module's docstring)."""
    if change not in CHANGES:
        raise ValueError(f"Unknown change {change!r}")
    entry: dict[str, Any] = {
        "change": change,
        "number": number,
        "version": version,
        "decided_on": decided_on.isoformat(),
    }
    if before is not None and after is not None:
        entry["before"] = f"{before:.2f}"
        entry["after"] = f"{after:.2f}"
    return entry


def cancellation_reason(change: str, *, number: str, cancelled_on: date) -> dict[str, Any]:
    """The entry for a change the agreement's cancellation before its term made: a reduction
    of what was unpaid, or a recovery claim for what was paid ahead of the term."""
    if change not in (Change.REDUCTION, Change.RECOVERY):
        raise ValueError(f"A cancellation makes no {change!r}")
    return {
        "change": change,
        "cause": CANCELLATION,
        "number": number,
        "decided_on": cancelled_on.isoformat(),
    }


def restoration_reason(change: str, *, number: str, decided_on: date) -> dict[str, Any]:
    """The entry for a change made when a decision to cancel the agreement was changed on a
    request for rectification: the money is owed again."""
    if change not in (Change.SUPPLEMENT, Change.REDUCTION):
        raise ValueError(f"Restoring makes no {change!r}")
    return {
        "change": change,
        "cause": RESTORED,
        "number": number,
        "decided_on": decided_on.isoformat(),
    }


def reason_text(entry: dict[str, Any], language: str | None = None) -> str:
    """One entry as a sentence in `language` (the active one by default)."""
    language = language or translation.get_language()
    with translation.override(language):
        facts = {
            "number": entry.get("number", ""),
            "version": entry.get("version", ""),
            "day": formats.local_date(entry.get("decided_on"), language),
        }
        change = entry.get("change")
        if entry.get("cause") == CANCELLATION:
            return _cancellation_text(change, facts)
        if entry.get("cause") == RESTORED:
            return (
                _(
                    "Owed again: the decision to cancel agreement %(number)s was changed on "
                    "%(day)s on a request for rectification."
                )
                % facts
            )
        if change == Change.SUPPLEMENT:
            return (
                _(
                    "Supplementary payment: amendment %(number)s (version %(version)s), "
                    "decided on %(day)s, raised the year's money."
                )
                % facts
            )
        if change == Change.RECOVERY:
            return (
                _(
                    "To be paid back: amendment %(number)s (version %(version)s), decided on "
                    "%(day)s, lowered the year's money below what was already paid."
                )
                % facts
            )
        if entry.get("before") is not None and entry.get("after") is not None:
            return _(
                "Reduced from %(before)s to %(after)s: amendment %(number)s (version "
                "%(version)s), decided on %(day)s, lowered the year's money."
            ) % {
                **facts,
                "before": formats.money(Decimal(entry["before"]), language),
                "after": formats.money(Decimal(entry["after"]), language),
            }
        return (
            _(
                "Reduced: amendment %(number)s (version %(version)s), decided on %(day)s, "
                "lowered the year's money."
            )
            % facts
        )


def _cancellation_text(change: str | None, facts: dict[str, Any]) -> str:
    if change == Change.RECOVERY:
        return (
            _(
                "To be paid back: agreement %(number)s was cancelled on %(day)s before its "
                "term started, after money had been paid for it."
            )
            % facts
        )
    return (
        _("Nothing to pay: agreement %(number)s was cancelled on %(day)s before its term started.")
        % facts
    )


def reason_lines(payable: Any, language: str | None = None) -> list[str]:
    """Every reason of the payable, oldest first, in `language` (the active one by default);
    text written before the reasons were facts comes first, as written."""
    written = [line for line in (payable.reason or "").splitlines() if line.strip()]
    return [*written, *(reason_text(entry, language) for entry in payable.reasons or [])]
