"""The round: a call's submitted applications proposed and decided together.

The preparer proposes an amount and reasons for every application of the round in one action,
and the decision-maker (alone, or recording a board's decision) decides them in one action.
Each application still goes through the one door, `workflow.transitions.transition_perform`,
with its own step record, decision, number, section and document; the round only puts them in
one transaction, so a round stands whole or not at all, and names the application that stopped
it.

Locks: the round locks its applications' rows in id order first, and the call's row only when
the first decision checks the budget (grants.effects._budget_check), the order a single
decision takes them in (its application, then the call). A single decision at the same moment
therefore waits for the round, or the round for it, and the budget rule is the one
`_budget_check` keeps for both.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.selectors import totals_for_call
from grants import effects, tasks
from grants.models import Application, Call, Channel, ReasonText, RoundDecision
from organisations.models import OfficialRole
from organisations.roles import roles_of
from workflow.enqueue import enqueue_on_commit
from workflow.errors import TransitionConflict
from workflow.locking import locked
from workflow.models import ApprovalRun, StepRecord
from workflow.transitions import transition_perform

S = Application.State
Role = OfficialRole.Role

# What the round page reads of each application.
ROW_FIELDS = (
    "state",
    "requested_amount",
    "granted_amount",
    "reasons",
    "decision_section",
    "call_id",
    "association__name",
    # The row marks an unregistered group (Association.is_unregistered_group).
    "association__business_id",
    "association__responsible_person",
)
RUNS = Prefetch("approval_runs", queryset=ApprovalRun.objects.prefetch_related("steps"))

STATE_LABELS = dict(S.choices)

# The applications a round still acts on: submitted, or proposed and waiting for the decision.
OPEN = (S.SUBMITTED, S.IN_REVIEW)


@dataclass(frozen=True)
class RoundLine:
    """One application of the round: the amount proposed or granted (0 rejects) and why."""

    application_id: int
    amount: Decimal
    reasons: str


@dataclass(frozen=True)
class Board:
    """The board whose decision the decision-maker records: its name, the day it met and the
    section of its minutes."""

    name: str
    meeting_date: date
    section: str


class RoundRefused(TransitionConflict):
    """One application of the round could not be proposed or decided: nothing was saved."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="round_refused")


# --- who may ------------------------------------------------------------------------------


def may_see_round(user: Any, call: Call) -> bool:
    return call.public_body_id in roles_of(user).all_public_bodies


def _require(user: Any, call: Call, *roles: str) -> None:
    if call.public_body_id not in roles_of(user).public_bodies(*roles):
        raise PermissionDenied(_("You may not act on this call's round."))


# --- reads --------------------------------------------------------------------------------


@dataclass
class RoundRow:
    application: Application
    score: Any
    proposed_amount: Decimal | None
    reasons: str

    # Read once from the application: django-fsm's descriptor costs a thousand rows dearly.
    state: str = ""

    def __post_init__(self) -> None:
        self.state = self.application.state

    @property
    def is_open(self) -> bool:
        return self.state in OPEN


@dataclass
class RoundView:
    call: Call
    rows: list[RoundRow]
    granted: Decimal
    reason_texts: list[ReasonText]
    decisions: list[RoundDecision]

    @property
    def proposed(self) -> Decimal:
        return sum((r.proposed_amount or Decimal(0) for r in self.rows if r.is_open), Decimal(0))

    @property
    def unspent(self) -> Decimal:
        """What the budget has left after the decisions made."""
        return self.call.budget - self.granted

    @property
    def left(self) -> Decimal:
        """What the budget has left once the proposals are granted too."""
        return self.unspent - self.proposed


def scores_for(call: Call) -> dict[int, Decimal | None]:
    """The assessment's weighted total (0–100) per application; None: not fully assessed."""
    return totals_for_call(call)


def proposals_of(ids: Sequence[int]) -> dict[int, tuple[Decimal, str]]:
    """The amount and reasons of the latest proposal in the running chain of each application
    of `ids`: one query of plain values (a thousand rows of runs and steps as model instances would
    cost the page most of its time)."""
    steps = (
        StepRecord.objects.filter(
            run__content_type=ContentType.objects.get_for_model(Application),
            # The ids themselves, not a subquery: on fresh statistics PostgreSQL joined the
            # subquery in a nested loop over every run.
            run__object_id__in=ids,
            run__status=ApprovalRun.Status.IN_PROGRESS,
            status=StepRecord.Status.DONE,
            data__has_key="proposed_amount",
        )
        .order_by("position")
        .values_list("run__object_id", "data")
    )
    # Ordered by position: a later step's proposal replaces an earlier one's.
    return {pk: (Decimal(data["proposed_amount"]), data.get("reasons", "")) for pk, data in steps}


def round_view(call: Call) -> RoundView:
    """The round's page: every submitted application of the call still open or decided, with
    its proposal, in a constant number of queries."""
    applications = (
        Application.objects.filter(call=call, submitted_at__isnull=False)
        .exclude(state__in=[S.RETURNED, S.WITHDRAWN, S.EXPIRED])
        .select_related("association")
        .only(*ROW_FIELDS)
        .order_by("association__name", "pk")
    )
    applications = list(applications)
    scores = scores_for(call)
    proposals = proposals_of([a.pk for a in applications if a.granted_amount is None])
    rows = []
    for application in applications:
        if application.granted_amount is not None:
            amount, reasons = application.granted_amount, application.reasons
        else:
            amount, reasons = proposals.get(application.pk, (None, ""))
        rows.append(RoundRow(application, scores.get(application.pk), amount, reasons))
    granted = Application.objects.filter(call=call, granted_amount__isnull=False).aggregate(
        total=Sum("granted_amount")
    )["total"] or Decimal(0)
    return RoundView(
        call=call,
        rows=rows,
        granted=granted,
        reason_texts=list(ReasonText.objects.filter(public_body_id=call.public_body_id)),
        decisions=list(call.round_decisions.all()),
    )


# --- writes -------------------------------------------------------------------------------


def _lines_check(lines: Sequence[RoundLine]) -> None:
    if not lines:
        raise ValidationError({"applications": _("Choose at least one application.")})
    ids = [line.application_id for line in lines]
    if len(set(ids)) != len(ids):
        raise ValidationError({"applications": _("An application is in the round twice.")})


def _locked_applications(call: Call, lines: Sequence[RoundLine]) -> list[Application]:
    """The round's applications, their rows locked in id order (two rounds at once cannot
    deadlock), in the order of `lines`; an id that is not a submitted application of the call
    is refused."""
    ids = [line.application_id for line in lines]
    queryset = Application.objects.filter(call=call, pk__in=ids, submitted_at__isnull=False)
    found = {app.pk: app for app in locked(queryset.select_related("association").order_by("pk"))}
    missing = [str(pk) for pk in ids if pk not in found]
    if missing:
        raise ValidationError(
            {
                "applications": _("Not submitted applications of this call: %(ids)s.")
                % {"ids": ", ".join(missing)}
            }
        )
    return [found[pk] for pk in ids]


def _with_runs(call: Call) -> QuerySet[Application]:
    """What `transition_perform` locks each application of the round through: the call's
    applications, with their approval runs and steps loaded with the row, so the chain's
    conditions and permissions (workflow.chains) read them once instead of once each."""
    return Application.objects.filter(call=call).prefetch_related(RUNS)


@contextmanager
def _named(application: Application) -> Iterator[None]:
    """An application's refusal as the round's, naming the application."""
    name = application.association.name
    try:
        yield
    except (TransitionConflict, ValidationError) as error:
        message = (
            error.message if isinstance(error, TransitionConflict) else " ".join(error.messages)
        )
        raise RoundRefused(
            _("%(name)s (application %(id)s): %(message)s")
            % {"name": name, "id": application.pk, "message": message}
        ) from error
    except PermissionDenied as error:
        raise PermissionDenied(
            _("%(name)s (application %(id)s): %(message)s")
            % {"name": name, "id": application.pk, "message": str(error)}
        ) from error


def round_propose(call: Call, *, actor: Any, lines: Sequence[RoundLine]) -> list[Application]:
    """The preparer's proposal for each application of the round, in one transaction: a
    submitted application is taken into review first. All or nothing."""
    _require(actor, call, Role.PREPARER)
    _lines_check(lines)
    proposed = []
    within = _with_runs(call)
    with transaction.atomic():
        for application, line in zip(_locked_applications(call, lines), lines, strict=True):
            with _named(application):
                if application.state == S.SUBMITTED:
                    application = transition_perform(
                        application, "start_review", actor=actor, within=within
                    )
                proposed.append(
                    transition_perform(
                        application,
                        "record_step",
                        actor=actor,
                        within=within,
                        params={"proposed_amount": line.amount, "reasons": line.reasons},
                    )
                )
    return proposed


def _board_check(board: Board | None) -> None:
    if board is None:
        return
    errors = {}
    if not board.name.strip():
        errors["board"] = _("Name the board.")
    if not board.section.strip():
        errors["meeting_section"] = _("Give the section of the board's minutes.")
    if board.meeting_date > timezone.localdate():
        errors["meeting_date"] = _("The board cannot have met in the future.")
    if errors:
        raise ValidationError(errors)


def round_decide(
    call: Call, *, actor: Any, lines: Sequence[RoundLine], board: Board | None = None
) -> RoundDecision:
    """The decision on each application of the round (any subset of those proposed), in one
    transaction: each through the single decision's path, so each has its decision, number,
    section and document, and the budget is checked as for any decision. All or nothing."""
    _require(actor, call, Role.DECISION_MAKER)
    _lines_check(lines)
    _board_check(board)
    within = _with_runs(call)
    with transaction.atomic():
        decided = []
        for application, line in zip(_locked_applications(call, lines), lines, strict=True):
            with _named(application):
                decided.append(
                    transition_perform(
                        application,
                        "decide",
                        actor=actor,
                        within=within,
                        params={
                            "outcome": effects.outcome_for(application, line.amount),
                            "granted_amount": line.amount,
                            "reasons": line.reasons,
                        },
                    )
                )
        record = RoundDecision.objects.create(
            call=call,
            decided_by=actor,
            board=board.name.strip() if board else "",
            meeting_date=board.meeting_date if board else None,
            meeting_section=board.section.strip() if board else "",
        )
        record.applications.set(decided)
        # The list the decision-maker or the board signs, in Finnish and Swedish.
        enqueue_on_commit(tasks.generate_round_decision_lists, record.pk)
    return record


# --- sending the round's decisions ---------------------------------------------------------


@dataclass(frozen=True)
class RoundSent:
    """What notifying the round did: the decisions sent now, and those left for a letter
    (their association has not consented to electronic notification; the registry posts
    them from its list of letters and records the day, which starts their appeal period)."""

    sent: list[Application]
    by_letter: list[Application]


def round_notify(record: RoundDecision, *, actor: Any) -> RoundSent:
    """Send each decision of the round electronically, in one transaction, each through the
    single decision's `notify` (Act 13/2003 19 §: its own message to the association, in its
    language, linking to its page, with the document enclosed, and its audit record). All or
    nothing: a decision that cannot be sent names its application. A decision already sent,
    or changed since by a decision on a request for rectification, is left as it is, so a
    second call sends nothing twice."""
    call = record.call
    # Those who may send a single decision (Application.notify).
    _require(actor, call, Role.PREPARER, Role.DECISION_MAKER)
    within = _with_runs(call)
    sent, by_letter = [], []
    with transaction.atomic():
        waiting = locked(
            record.applications.filter(state=S.DECIDED, rectifications__isnull=True)
            .select_related("association")
            .order_by("pk")
        )
        for application in waiting:
            if not application.association.accepts_electronic_notification:
                by_letter.append(application)
                continue
            with _named(application):
                sent.append(
                    transition_perform(
                        application,
                        "notify",
                        actor=actor,
                        within=within,
                        params={"channel": Channel.ELECTRONIC},
                    )
                )
    return RoundSent(sent, by_letter)
