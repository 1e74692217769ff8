"""What the agreement transitions do beyond changing their state, and the conditions they
check, by aggregate: the agreement, its versions, its evaluations. Called from the transition
methods in agreements.models, so always inside `transition_perform`'s transaction with the
subject's row locked.

The models import this module (their transitions name these functions), so it imports them
only for typing and reaches a model through the record it is given: `type(agreement)`, a
related manager (`version.signatures.create`, `evaluation.results.model`)."""

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements import schedule, signatures, terms
from agreements.rules import Side, side_of
from finance import payables
from organisations.facts import DECISION, facts_require
from organisations.mandates import Act, mandate_require
from organisations.models import AssociationRole, OfficialRole
from organisations.registers import section_take
from organisations.roles import roles_of
from organisations.selectors import officials_of, representatives_of
from workflow import chains, deadlines, outbox
from workflow.actors import SYSTEM
from workflow.audit import action_record
from workflow.errors import TransitionConflict
from workflow.links import Audience, page_path
from workflow.models import ApprovalChain
from workflow.reminders import schedule_for
from workflow.time_limits import appeal_dates
from workflow.transitions import transition_perform
from workflow.validation import require_text

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from agreements.models import Agreement, AgreementVersion, Evaluation, Meeting


# --- telling both sides -----------------------------------------------------------------------


def _parties_and_liaisons(agreement: "Agreement") -> list:
    people = {p.pk: p for p in officials_of(agreement.public_body_id, OfficialRole.Role.LIAISON)}
    for association_id in agreement.association_ids:
        people.update((p.pk, p) for p in representatives_of(association_id))
    return list(people.values())


def tell_parties(
    agreement: "Agreement", kind: str, *, key: str, page: Any = None, **context: Any
) -> None:
    """A message to both sides: the parties' representatives and the body's liaisons, linking
    to the page of `page` (a version, say), or of the agreement. Both sides read the same
    partnerships pages, so one path serves them all."""
    outbox.notify(
        _parties_and_liaisons(agreement),
        kind=kind,
        key=f"agreement:{agreement.pk}:{key}",
        context={
            "title": str(agreement),
            "path": page_path(page or agreement, Audience.ASSOCIATION),
            **context,
        },
        legally_significant=True,
    )


# === the agreement ============================================================================

# --- conditions (each says why it failed: the API's 409 message) ----------------------------


def renewal_window_open(agreement: "Agreement") -> bool:
    ends_on = agreement.ends_on
    notice = timedelta(days=settings.AGREEMENT_RENEWAL_NOTICE_DAYS)
    return ends_on is not None and timezone.localdate() >= ends_on - notice


renewal_window_open.message = gettext_lazy("It is too early to prepare the renewal.")


def term_over(agreement: "Agreement") -> bool:
    ends_on = agreement.ends_on
    return ends_on is not None and timezone.localdate() > ends_on


term_over.message = gettext_lazy("The agreement is still in force.")


def term_started(agreement: "Agreement") -> bool:
    version = agreement.in_force_version
    return version is not None and timezone.localdate() >= version.starts_on


term_started.message = gettext_lazy("The agreement's term has not begun yet.")


def nothing_awaiting_decision(agreement: "Agreement") -> bool:
    # From the versions already loaded when a list shows `available_transitions`.
    return not any(
        v.state in (v.S.IN_REVIEW, v.S.APPROVED, v.S.AWAITING_SIGNATURES)
        for v in agreement.versions.all()
    )


nothing_awaiting_decision.message = gettext_lazy(
    "A version is in review or awaiting signatures: it is decided or signed first."
)


# --- the term -----------------------------------------------------------------------------------


def _open_versions(agreement: "Agreement") -> "QuerySet[AgreementVersion]":
    S = agreement.versions.model.State
    return agreement.versions.filter(state__in=[S.DRAFT, S.NEGOTIATION, S.AGREED])


def open_versions_withdraw(agreement: "Agreement") -> None:
    for version in _open_versions(agreement):
        transition_perform(version, "withdraw", actor=SYSTEM, comment="cancelled")


def successor_create(
    agreement: "Agreement", *, actor: Any, starts_on: date | None, ends_on: date | None
) -> "Agreement":
    """The renewal: a new agreement between the same parties, its first version a draft of
    the terms in force moved to the new term (by default as long as the old one)."""
    if hasattr(agreement, "successor"):
        raise TransitionConflict(_("The agreement has already been renewed."), "renewed")
    old = agreement.in_force_version
    starts_on = starts_on or old.ends_on + timedelta(days=1)
    ends_on = ends_on or starts_on + (old.ends_on - old.starts_on)
    if starts_on <= old.starts_on or ends_on <= starts_on:
        raise ValidationError(
            {"ends_on": _("The new term must start later and end after it starts.")}
        )
    successor = terms.agreement_copy(agreement, actor=actor, starts_on=starts_on, ends_on=ends_on)
    action_record(successor, action="create", actor=actor, data={"renews": agreement.pk})
    tell_parties(
        agreement,
        "agreement_renewed",
        key="renewed",
        successor=successor.number,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    return successor


def notice_give(agreement: "Agreement", *, actor: Any, reason: str, given_on: date | None) -> None:
    """Notice of termination: in force for the notice period agreed in the terms."""
    today = timezone.localdate()
    given_on = given_on or today
    if given_on > today:
        raise ValidationError({"notice_given_on": _("Notice cannot be given in the future.")})
    if given_on < agreement.activated_on:
        raise ValidationError({"notice_given_on": _("Notice cannot precede the agreement.")})
    months = agreement.in_force_version.notice_period_months
    agreement.notice_given_on = given_on
    agreement.notice_given_by = side_of(actor, agreement) or ""
    agreement.termination_reason = reason
    agreement.ends_early_on = schedule.add_months(given_on, months)
    # The last day is known now: nothing after it is planned or reminded of any more.
    schedule.plan_cut(agreement, agreement.ends_on)
    schedule.end_deadline(agreement)
    tell_parties(
        agreement,
        "agreement_terminated",
        key="terminated",
        reason=reason,
        ends_on=agreement.ends_on,
    )


def term_ends(agreement: "Agreement") -> None:
    """Nothing after the end: meetings and evaluations of later periods are cancelled."""
    schedule.plan_cut(agreement, agreement.ends_on)
    deadlines.deadline_close(agreement, kind="agreement_ends")
    for version in _open_versions(agreement):
        transition_perform(version, "withdraw", actor=SYSTEM, comment="ended")


def instalment_pay(
    agreement: "Agreement",
    *,
    actor: Any,
    payable_id: int | None,
    amount: Decimal,
    paid_on: date,
    reference: str,
    batch_item_id: int | None = None,
) -> None:
    payable = agreement.payables.filter(pk=payable_id).first() if payable_id else None
    if payable is None:
        raise ValidationError({"payable_id": _("Name the instalment being paid.")})
    payables.payment_record(
        payable,
        actor=actor,
        amount=amount,
        paid_on=paid_on,
        reference=reference,
        batch_item_id=batch_item_id,
    )


def instalment_reverse(agreement: "Agreement", *, actor: Any, payment_id: int, reason: str) -> None:
    """A wrong payment corrected by a reversing entry: the instalment is to be paid again."""
    payables.payment_reverse(agreement, actor=actor, payment_id=payment_id, reason=reason)


# === a version ================================================================================

# --- negotiation ------------------------------------------------------------------------------


def _check_terms(version: "AgreementVersion") -> None:
    """What a proposal must contain before the other side is asked to agree to it."""
    errors: dict[str, str] = {}
    if not version.goals.exists():
        errors["goals"] = _("Name at least one goal with its indicator and target.")
    years = range(version.starts_on.year, version.ends_on.year + 1)
    money_years = [r.year for r in version.resources.all() if r.kind == r.Kind.MONEY]
    for resource in version.resources.all():
        if resource.year not in years:
            errors["resources"] = _("A resource is for a year outside the term.")
        elif resource.kind == resource.Kind.MONEY and resource.pays_on is None:
            errors["resources"] = _("Give the payment date of each instalment.")
        elif resource.payee_id and resource.payee_id not in version.agreement.association_ids:
            # An instalment is paid to one of the association parties (agreements.instalments).
            errors["resources"] = _("The payee of an instalment is one of the associations.")
    if len(money_years) != len(set(money_years)):
        # Finance pays one instalment a year (agreements.instalments).
        errors["resources"] = _("Give the money of a year as one instalment.")
    if errors:
        raise ValidationError(errors)


def contact_name(version: "AgreementVersion", *, actor: Any) -> None:
    """Whoever first proposes or accepts for a side becomes its named contact person (the
    liaison, the association's contact) unless one is named; the admin can change them."""
    field = {Side.PUBLIC_BODY: "liaison", Side.ASSOCIATION: "contact"}.get(side_of(actor, version))
    agreement = version.agreement
    if field and getattr(agreement, f"{field}_id") is None:
        setattr(agreement, field, actor)
        type(agreement).objects.filter(pk=agreement.pk).update(**{field: actor})


def proposal_made(version: "AgreementVersion", *, actor: Any) -> None:
    _check_terms(version)
    contact_name(version, actor=actor)
    agreement = version.agreement
    if agreement.shared_at is None:
        agreement.shared_at = timezone.now()
        type(agreement).objects.filter(pk=agreement.pk).update(shared_at=agreement.shared_at)
    # A counter-proposal replaces whatever was on the table before it.
    earlier = agreement.versions.filter(
        state__in=[version.S.NEGOTIATION, version.S.AGREED]
    ).exclude(pk=version.pk)
    for other in earlier:
        transition_perform(other, "set_aside", actor=SYSTEM, comment=f"v{version.number}")
    tell_parties(
        agreement,
        "agreement_proposed",
        key=f"proposed:v{version.number}",
        page=version,
        version=version.number,
    )


# --- review and decision ----------------------------------------------------------------------


def review_chain(version: "AgreementVersion", chain_id: int | None) -> ApprovalChain:
    """The chain the version goes through: the one named now, or the agreement's; one of the
    body's chains that reviews agreement versions (a grants' chain is refused, naming it)."""
    agreement = version.agreement
    if chain_id is None and agreement.chain_id is None:
        raise ValidationError({"chain_id": _("Choose the approval chain.")})
    chain = (
        ApprovalChain.objects.filter(
            pk=chain_id or agreement.chain_id, public_body_id=agreement.public_body_id
        )
        .prefetch_related("steps")
        .first()
    )
    if chain is None:
        raise ValidationError({"chain_id": _("No such approval chain in this public body.")})
    mismatch = chains.kind_mismatch(chain, version)
    if mismatch:
        raise ValidationError({"chain_id": mismatch})
    if agreement.chain_id != chain.pk:
        agreement.chain_id = chain.pk
        type(agreement).objects.filter(pk=agreement.pk).update(chain_id=chain.pk)
    return chain


def matter_language(agreement: "Agreement") -> str:
    """The language the agreement's matter is handled and its documents written in: the lead
    association's (Language Act 423/2003 10 §), the first party, who negotiated it; a second
    party in another language reads the same agreement."""
    return agreement.lead_association.language


def decision_facts_check(version: "AgreementVersion", maker: Any) -> None:
    """The decision states the body's facts and its maker's title (Administrative Procedure
    Act 44 §), and counts as sent the day it is made (`decision_record`), so it names the
    registry where a request for rectification is filed: refused while any is missing."""
    agreement = version.agreement
    facts_require(agreement.public_body, DECISION, maker=maker, language=matter_language(agreement))


def _appeal_period_start(version: "AgreementVersion", days: int) -> None:
    """The decision counts as sent today: deemed received (Local Government Act 139 §) and the
    last day of its appeal period, which the money waits for (agreements.instalments)."""
    electronic = version.agreement.lead_association.accepts_electronic_notification
    version.deemed_received_on, version.appeal_ends_on = appeal_dates(
        timezone.localdate(), electronic=electronic, period_days=days
    )


def decision_record(version: "AgreementVersion", *, actor: Any, outcome: str, reasons: str) -> None:
    """Record the decision with its section in the body's register of decisions; it starts
    the period for a request for rectification (Local Government Act 134 §), counted as if
    the decision was sent today."""
    version.outcome = outcome
    version.reasons = reasons
    version.decided_at = timezone.now()
    version.decided_by = actor
    agreement = version.agreement
    version.decision_section = section_take(
        agreement.public_body, timezone.localtime(version.decided_at).date()
    )
    # A rejection too may be the subject of a request for rectification.
    _appeal_period_start(version, settings.RECTIFICATION_PERIOD_DAYS)
    tell_parties(
        agreement,
        "agreement_decided",
        key=f"decided:v{version.number}",
        page=version,
        version=version.number,
        outcome=outcome,
    )


# --- request for rectification (Local Government Act 134 §) -----------------------------------


def within_rectification_period(version: "AgreementVersion") -> bool:
    return version.appeal_ends_on is not None and timezone.localdate() <= version.appeal_ends_on


within_rectification_period.message = gettext_lazy(
    "The period for a request for rectification has ended."
)


# The rectifications a list prefetched (agreements.selectors), or one query for one version.


def rectification_not_requested(version: "AgreementVersion") -> bool:
    return not any(r.subject == "decision" for r in version.rectifications.all())


rectification_not_requested.message = gettext_lazy(
    "A request for rectification of this decision has already been made."
)


def rectification_pending(version: "AgreementVersion") -> bool:
    return any(
        r.decided_at is None and r.subject == "decision" for r in version.rectifications.all()
    )


rectification_pending.message = gettext_lazy("No request for rectification is waiting.")


def rectification_open(
    version: "AgreementVersion",
    *,
    actor: Any,
    grounds: str,
    subject: str,
    original: tuple[str, str, Any],
) -> Any:
    """The request, for the party the person represents (the first, when several), whose
    mandate to request rectification for it is asked (a revoked one is a 403, nothing
    saved); `original` the decision reviewed as it stands: (outcome, section, decided at).
    The engine of both requests: of the decision on a version, and of the body's decision to
    cancel the agreement signed on it (agreements.cancellation)."""
    require_text("comment", grounds, _("Give the grounds of the request."))
    agreement = version.agreement
    represented = roles_of(actor).associations(AssociationRole.Role.REPRESENTATIVE)
    association_id = next(a for a in agreement.association_ids if a in represented)
    mandate_require(actor, agreement, Act.RECTIFY, association_id)
    outcome, section, decided_at = original
    return version.rectifications.create(
        association_id=association_id,
        filed_by=actor,
        grounds=grounds,
        subject=subject,
        original_outcome=outcome,
        original_section=section,
        original_decided_at=decided_at,
    )


def rectification_file(version: "AgreementVersion", *, actor: Any, grounds: str) -> None:
    rectification_open(
        version,
        actor=actor,
        grounds=grounds,
        subject="decision",
        original=(version.outcome, version.decision_section, version.decided_at),
    )
    tell_parties(
        version.agreement,
        "agreement_rectification_requested",
        key=f"rectification:v{version.number}",
        page=version,
        version=version.number,
    )


def rectification_decision_check(agreement: "Agreement", maker: Any, reasons: str) -> None:
    """A decision on a request states the body's facts and its maker (Administrative
    Procedure Act 44 §) and its reasons (45 §)."""
    facts_require(agreement.public_body, DECISION, maker=maker, language=matter_language(agreement))
    require_text("reasons", reasons, _("A decision must give its reasons."))


def rectification_decision_record(
    rectification: Any, *, agreement: "Agreement", actor: Any, outcome: str, reasons: str
) -> None:
    """The decision on the request, with its own section in the body's register."""
    rectification.outcome = outcome
    rectification.reasons = reasons
    rectification.decided_by = actor
    rectification.decided_at = timezone.now()
    rectification.decision_section = section_take(
        agreement.public_body, timezone.localtime(rectification.decided_at).date()
    )
    rectification.save()


def rectification_decide(
    version: "AgreementVersion", *, actor: Any, outcome: str, changed: bool, reasons: str
) -> str:
    """Uphold or change the decision; returns the version's state. A change turns an
    approval into a rejection (refused once the version is in force: its end is a notice of
    termination) or a rejection into an approval, which goes to the signatures. The decision
    has its own section; the appeal now goes to the administrative court (Local Government
    Act 135 §: 30 days), and the money waits for that period (agreements.instalments)."""
    rectification_decision_check(version.agreement, actor, reasons)
    S = version.S
    state = version.state
    if changed:
        if state == S.IN_FORCE:
            raise ValidationError(
                {
                    "outcome": _(
                        "The version is in force: a changed decision is carried out by "
                        "terminating or amending the agreement."
                    )
                }
            )
        approved = version.outcome != version.Outcome.APPROVED
        version.outcome = version.Outcome.APPROVED if approved else version.Outcome.REJECTED
        version.reasons = reasons
        state = S.APPROVED if approved else S.REJECTED
    rectification = version.rectifications.get(subject="decision", decided_at__isnull=True)
    rectification_decision_record(
        rectification, agreement=version.agreement, actor=actor, outcome=outcome, reasons=reasons
    )
    version.decided_at = rectification.decided_at
    version.decided_by = actor
    _appeal_period_start(version, settings.ADMINISTRATIVE_COURT_APPEAL_DAYS)
    tell_parties(
        version.agreement,
        "agreement_rectification_decided",
        key=f"rectification-decided:v{version.number}",
        page=version,
        version=version.number,
        outcome=outcome,
    )
    return state


# --- signatures -------------------------------------------------------------------------------


def signature_add(version: "AgreementVersion", *, actor: Any, side: str) -> bool:
    """Add the person's signature (agreements.signatures says for which side; the engine
    refused a person with none to give); True when it was the last one required."""
    sides = signatures.signing_sides(version, actor)
    if side and side not in sides:
        raise ValidationError({"side": _("You cannot sign for that side.")})
    slots = signatures.signature_slots(version)
    slot = signatures.slot_to_fill(slots, sides, side)
    if slot is None:
        # The side named is complete, though another the person signs for is not.
        raise signatures.side_complete()
    if slot.association_id is not None:
        mandate_require(actor, version, Act.SIGN, slot.association_id)
    version.signatures.create(side=slot.side, association_id=slot.association_id, signer=actor)
    return signatures.missing_count(slots) == 1


def version_enters_into_force(version: "AgreementVersion") -> None:
    """The last signature: this version replaces the one in force (an amendment), or the
    agreement becomes active (its first version)."""
    agreement = version.agreement
    Agreement = type(agreement)
    version.in_force_from = max(timezone.localdate(), version.starts_on)
    previous = agreement.in_force_version
    if previous is not None:
        transition_perform(previous, "supersede", actor=SYSTEM, comment=f"v{version.number}")
    Agreement.objects.filter(pk=agreement.pk).update(in_force_version=version)
    agreement = Agreement.objects.select_related("in_force_version").get(pk=agreement.pk)
    # The version's own row is saved by the transition service after this effect: the plan
    # reads its term from the instance.
    agreement.in_force_version = version
    # The whole term is planned once signed, so both sides see its meetings from the start.
    schedule.plan_refresh(agreement)
    if agreement.state == Agreement.State.DRAFT:
        # In force from the term's first day: today, or by the daily scan on that day.
        first = "activate" if version.starts_on <= timezone.localdate() else "await_term"
        transition_perform(agreement, first, actor=SYSTEM)
    tell_parties(
        agreement,
        "agreement_in_force",
        key=f"in-force:v{version.number}",
        page=version,
        version=version.number,
        starts_on=version.in_force_from,
        ends_on=version.ends_on,
    )


# === an evaluation ============================================================================


def period_over(evaluation: "Evaluation") -> bool:
    return timezone.localdate() > evaluation.period_ends_on


period_over.message = gettext_lazy("The period to evaluate has not ended yet.")


def evaluation_deadline(evaluation: "Evaluation", due_on: date) -> None:
    agreement = evaluation.agreement
    deadlines.deadline_set(
        evaluation,
        kind="evaluation_due",
        due_on=due_on,
        title=str(agreement),
        association_id=agreement.association_ids[0],
        public_body_id=agreement.public_body_id,
        schedule=schedule_for("evaluation_due"),
    )


def results_record(evaluation: "Evaluation", results: list[dict[str, Any]]) -> None:
    """One figure per goal of the terms in force; a resubmission replaces the earlier ones."""
    goals = {g.pk: g for g in evaluation.agreement.in_force_version.goals.all()}
    given = [r["goal"] for r in results]
    if sorted(given) != sorted(goals):
        raise ValidationError(
            {"results": _("Give exactly one figure for each goal of the agreement.")}
        )
    evaluation.results.all().delete()
    GoalResult = evaluation.results.model
    GoalResult.objects.bulk_create(
        GoalResult(
            evaluation=evaluation,
            goal=goals[r["goal"]],
            value=r["value"],
            comment=r.get("comment", ""),
        )
        for r in results
    )


def assessment_record(evaluation: "Evaluation", *, meeting_id: int, goals_met: list[int]) -> None:
    meeting: Meeting | None = evaluation.agreement.meetings.filter(pk=meeting_id).first()
    if meeting is None or meeting.held_on is None:
        raise ValidationError(
            {"meeting_id": _("Name a cooperation meeting of this agreement that was held.")}
        )
    results = list(evaluation.results.all())
    unknown = set(goals_met) - {r.goal_id for r in results}
    if unknown:
        raise ValidationError(
            {
                "goals_met": _("Not goals of this evaluation: %(ids)s.")
                % {"ids": ", ".join(map(str, sorted(unknown)))}
            }
        )
    for result in results:
        result.met = result.goal_id in goals_met
        result.save(update_fields=["met"])
    evaluation.meeting = meeting
