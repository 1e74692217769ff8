"""Cancelling an agreement signed before its term, before the term starts.

A signed agreement binds both sides (Administrative Procedure Act 3 §: an administrative
contract), so neither side undoes it alone by a notice: the notice of termination belongs to
an agreement in force. Before its term it ends in one of two ways:

- **by agreement**: one side proposes the cancellation with its reason, the other side agrees
  to it (or declines it, and the proposing side may withdraw it). On the association's side a
  person who may sign for it acts, as when it signed, and the mandate is checked again
  (organisations.mandates, `Act.SIGN`); on the public body's side its liaison.
- **by the body's decision**: a decision-maker decides to cancel it, with the reasons
  (Administrative Procedure Act 44–45 §), taking a section of the body's register of
  decisions. As any municipal decision it may be the subject of a request for rectification
  within 14 days of notification (Local Government Act 134 §), which the message says.

Either way nothing of the term happens: the planned meetings and evaluations are cancelled,
the reminder of the last day closed, the open versions withdrawn, and no money is owed for it
(agreements.signals settles the payables in the same transaction through
agreements.instalments.instalments_cancel). Both sides are told once, each in their
language, with the link.

A party's request for rectification of the decision to cancel runs on the engine of the
request about a version's decision (agreements.effects, `AgreementRectification` of the
version signed): filed within the period by a representative whose mandate is asked, decided
by a decision-maker with its own section and the appeal to the administrative court (Local
Government Act 135 §). Upheld, the agreement stays cancelled; changed, the cancellation is
undone: the agreement is signed again, or in force when its term has begun meanwhile, its
term planned again, and its payables owe the terms again (agreements.signals, through
agreements.instalments.instalments_restore).

The models import this module (their transitions name these functions), so, like
agreements.effects, it reaches the models only through the record it is given."""

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements import effects, schedule
from agreements.rules import Side, cancelling_side
from organisations.facts import DECISION, facts_require
from organisations.mandates import Act, mandate_require
from organisations.registers import section_take
from workflow import deadlines, formats
from workflow.actors import SYSTEM
from workflow.models import TransitionLog
from workflow.rectification import RectificationOutcome
from workflow.time_limits import appeal_dates
from workflow.transitions import transition_perform
from workflow.validation import require_text

if TYPE_CHECKING:
    from agreements.models import Agreement


# --- conditions (each says why it failed: the API's 409 message) ----------------------------


def no_cancellation_proposed(agreement: "Agreement") -> bool:
    return not agreement.cancellation_side


no_cancellation_proposed.message = gettext_lazy(
    "A cancellation has already been proposed: the other side agrees to it or declines it."
)


def cancellation_proposed(agreement: "Agreement") -> bool:
    return bool(agreement.cancellation_side)


cancellation_proposed.message = gettext_lazy("No cancellation of the agreement has been proposed.")


# --- by agreement -------------------------------------------------------------------------------


def _acting_side(agreement: "Agreement", actor: Any) -> str:
    """The side the person acts for; on the association's side their mandate to sign for
    it is asked again (a revoked one is a 403, nothing saved)."""
    side = cancelling_side(actor, agreement)
    if side == Side.ASSOCIATION:
        mandate_require(actor, agreement, Act.SIGN)
    return side


def _proposal_key(agreement: "Agreement", *, new: bool) -> str:
    """A proposal withdrawn may be made again: each one, and its answer, is told of once,
    numbered by the proposals in the agreement's audit log."""
    made = TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(agreement),
        object_id=agreement.pk,
        transition="propose_cancellation",
    ).count()
    return str(made + 1 if new else made)


def cancellation_propose(agreement: "Agreement", *, actor: Any, reason: str) -> None:
    require_text("reason", reason, _("Give the reason for cancelling the agreement."))
    agreement.cancellation_side = _acting_side(agreement, actor)
    agreement.cancellation_reason = reason
    agreement.cancellation_proposed_at = timezone.now()
    effects.tell_parties(
        agreement,
        "agreement_cancellation_proposed",
        key=f"cancellation-proposed:{_proposal_key(agreement, new=True)}",
        reason=reason,
        side=agreement.cancellation_side,
        starts_on=agreement.starts_on,
    )


def cancellation_drop(agreement: "Agreement", *, actor: Any, declined: bool) -> None:
    """The proposing side withdraws its proposal, or the other side declines it: the
    agreement stays signed and comes into force on the term's first day."""
    _acting_side(agreement, actor)
    _proposal_close(agreement, declined=declined, lapsed=False)


def proposal_lapse(agreement: "Agreement") -> None:
    """The term began with a proposal unanswered: the agreement is in force, and from now on
    it ends by a notice of termination; the proposal lapses, and both sides are told."""
    if agreement.cancellation_side:
        _proposal_close(agreement, declined=False, lapsed=True)


def _proposal_close(agreement: "Agreement", *, declined: bool, lapsed: bool) -> None:
    effects.tell_parties(
        agreement,
        "agreement_cancellation_dropped",
        key=f"cancellation-dropped:{_proposal_key(agreement, new=False)}",
        declined=declined,
        lapsed=lapsed,
        starts_on=agreement.starts_on,
    )
    agreement.cancellation_side = ""
    agreement.cancellation_reason = ""
    agreement.cancellation_proposed_at = None


def cancellation_agree(agreement: "Agreement", *, actor: Any) -> None:
    """The other side agrees: the agreement is cancelled on the reason proposed."""
    _acting_side(agreement, actor)
    _before_term_cancel(agreement, reason=agreement.cancellation_reason, section="")


# --- by the body's decision ---------------------------------------------------------------------


def cancellation_decide(agreement: "Agreement", *, actor: Any, reasons: str) -> None:
    # Administrative Procedure Act 44 §: the decision states the body's facts and its maker.
    facts_require(
        agreement.public_body,
        DECISION,
        maker=actor,
        language=effects.matter_language(agreement),
    )
    # Administrative Procedure Act 45 §: a decision states its reasons.
    require_text("reasons", reasons, _("A decision must give its reasons."))
    section = section_take(agreement.public_body, timezone.localdate())
    _before_term_cancel(agreement, reason=reasons, section=section)
    # Local Government Act 134 §, 139 §: counted as if the decision was sent today.
    _appeal_period_start(agreement, settings.RECTIFICATION_PERIOD_DAYS)


def _appeal_period_start(agreement: "Agreement", days: int) -> None:
    electronic = agreement.lead_association.accepts_electronic_notification
    agreement.cancellation_deemed_received_on, agreement.cancellation_appeal_ends_on = appeal_dates(
        timezone.localdate(), electronic=electronic, period_days=days
    )


# --- request for rectification of the decision to cancel (Local Government Act 134 §) ------

CANCELLATION = "cancellation"


def _requests(agreement: "Agreement") -> list[Any]:
    """The requests about this decision to cancel (told apart from an earlier one, undone,
    by its section)."""
    return [
        r
        for r in agreement.in_force_version.rectifications.all()
        if r.subject == CANCELLATION and r.original_section == agreement.cancellation_section
    ]


def cancelled_by_decision(agreement: "Agreement") -> bool:
    return bool(agreement.cancellation_section) and agreement.in_force_version_id is not None


cancelled_by_decision.message = gettext_lazy(
    "The agreement was cancelled by both sides, not by a decision of the public body: there "
    "is no decision to request rectification of."
)


def cancellation_rectification_not_requested(agreement: "Agreement") -> bool:
    return not _requests(agreement)


cancellation_rectification_not_requested.message = gettext_lazy(
    "A request for rectification of this decision has already been made."
)


def cancellation_rectification_pending(agreement: "Agreement") -> bool:
    return any(r.decided_at is None for r in _requests(agreement))


cancellation_rectification_pending.message = gettext_lazy(
    "No request for rectification is waiting."
)


def rectification_period_refusal(agreement: "Agreement", user: Any) -> ValidationError | None:
    """After the period a request is refused with its last day (a 400, so the page and the API
    say when it ended), and not offered."""
    last_day = agreement.cancellation_appeal_ends_on
    if last_day is not None and timezone.localdate() <= last_day:
        return None
    return ValidationError(
        {
            "comment": _(
                "The period for a request for rectification of the decision to cancel the "
                "agreement ended on %(day)s."
            )
            % {"day": formats.local_date(last_day, None) if last_day else "-"}
        }
    )


def _decided_at(agreement: "Agreement") -> Any:
    """When the decision to cancel was made: its entry in the agreement's audit log."""
    entry = (
        TransitionLog.objects.filter(
            content_type=ContentType.objects.get_for_model(agreement),
            object_id=agreement.pk,
            transition="cancel_by_decision",
        )
        .order_by("-at", "-id")
        .first()
    )
    return entry.at if entry is not None else timezone.now()


def cancellation_rectification_file(agreement: "Agreement", *, actor: Any, grounds: str) -> None:
    rectification = effects.rectification_open(
        agreement.in_force_version,
        actor=actor,
        grounds=grounds,
        subject=CANCELLATION,
        original=("", agreement.cancellation_section, _decided_at(agreement)),
    )
    effects.tell_parties(
        agreement,
        "agreement_cancel_rectification_requested",
        key=f"cancellation-rectification:{rectification.pk}",
        section=agreement.cancellation_section,
    )


def cancellation_rectification_decide(
    agreement: "Agreement", *, actor: Any, outcome: str, reasons: str
) -> str:
    """Uphold the decision to cancel, or change it and undo the cancellation; returns the
    agreement's state. The appeal now goes to the administrative court (Local Government Act
    135 §: 30 days from this decision)."""
    effects.rectification_decision_check(agreement, actor, reasons)
    (rectification,) = [r for r in _requests(agreement) if r.decided_at is None]
    effects.rectification_decision_record(
        rectification, agreement=agreement, actor=actor, outcome=outcome, reasons=reasons
    )
    _appeal_period_start(agreement, settings.ADMINISTRATIVE_COURT_APPEAL_DAYS)
    state = agreement.S.CANCELLED
    if outcome == RectificationOutcome.CHANGED:
        state = _cancellation_undo(agreement)
    effects.tell_parties(
        agreement,
        "agreement_cancel_rectification_decided",
        key=f"cancellation-rectification-decided:{rectification.pk}",
        section=rectification.original_section,
        outcome=outcome,
        starts_on=agreement.starts_on,
    )
    return state


def _cancellation_undo(agreement: "Agreement") -> str:
    """The decision to cancel is changed: the agreement binds again as signed, in force from
    its term's first day (today's, when that has passed meanwhile), its meetings and
    evaluations planned again from today. Its money: agreements.signals."""
    agreement.cancelled_on = None
    agreement.cancellation_reason = ""
    agreement.cancellation_section = ""
    schedule.plan_refresh(agreement)
    if not effects.term_started(agreement):
        return agreement.S.SIGNED
    agreement.activated_on = agreement.in_force_version.in_force_from
    return agreement.S.ACTIVE


# --- what a cancellation does -------------------------------------------------------------------


def _before_term_cancel(agreement: "Agreement", *, reason: str, section: str) -> None:
    Evaluation = agreement.evaluations.model
    agreement.cancelled_on = timezone.localdate()
    agreement.cancellation_reason = reason
    agreement.cancellation_section = section
    for meeting in agreement.meetings.filter(held_on__isnull=True, cancelled=False):
        schedule.meeting_cancel(meeting)
    for evaluation in agreement.evaluations.filter(
        state__in=[Evaluation.State.SCHEDULED, Evaluation.State.DUE]
    ):
        transition_perform(evaluation, "cancel", actor=SYSTEM, comment="agreement cancelled")
    deadlines.deadline_close(agreement, kind="agreement_ends", status="cancelled")
    effects.open_versions_withdraw(agreement)
    effects.tell_parties(
        agreement,
        "agreement_cancelled",
        key="cancelled",
        reason=reason,
        section=section,
        starts_on=agreement.starts_on,
        rectification_days=settings.RECTIFICATION_PERIOD_DAYS,
        # Administrative Procedure Act 47 §: where a request for rectification is filed.
        registry_address=agreement.public_body.registry_address if section else "",
        registry_email=agreement.public_body.registry_email if section else "",
    )
