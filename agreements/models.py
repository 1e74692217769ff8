"""Partnership agreements (kumppanuussopimus): the agreement, its versions of terms, the
signatures, cooperation meetings and yearly evaluations.

Three aggregates, each with its own lifecycle on the workflow engine:

- `AgreementVersion`: one version of the terms, from draft through negotiation, the public
  body's approval chain and the signatures into force. Counter-proposals and amendments are
  new versions; the version in force stays in force while an amendment is negotiated.
- `Agreement`: the relationship itself: draft until a version comes into force, then active,
  renewal due, renewed, terminating (notice given) and ended.
- `Evaluation`: the yearly evaluation: due when its period ends, submitted by the association
  with a figure for each goal's indicator, evaluated by the liaison at a cooperation meeting.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition

from agreements import cancellation, effects
from agreements import rules as sides
from agreements.rules import Side
from agreements.signatures import sign_refusal
from organisations.mandates import Act, mandate_require
from organisations.models import Association, PublicBody, Unit
from premises.models import Premises
from workflow import chains, deadlines
from workflow import rules as r
from workflow.chains import before_last_step, on_last_step
from workflow.models import ApprovalChain, ApprovalRun, AttachmentBase, Disqualification
from workflow.permissions import fsm_permission
from workflow.rectification import RectificationOutcome
from workflow.transitions import REFUSAL
from workflow.validation import future_due_date, require_choice, require_text

MONEY = {"max_digits": 12, "decimal_places": 2}
NOT_NEGATIVE = [MinValueValidator(Decimal(0))]


class Agreement(FSMModelMixin, models.Model):
    """A partnership agreement between a public body and one or more associations."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Being negotiated")
        # Signed before its term: in force from the term's first day (agreements.scans).
        SIGNED = "signed", _("Signed; in force from the term's first day")
        ACTIVE = "active", _("Active")
        RENEWAL_DUE = "renewal_due", _("Renewal due")
        TERMINATING = "terminating", _("Terminated; notice period running")
        RENEWED = "renewed", _("Renewed")
        ENDED = "ended", _("Ended")
        CANCELLED = "cancelled", _("Cancelled before it came into force")

    class EndReason(models.TextChoices):
        EXPIRED = "expired", _("Expired at the end of its term")
        RENEWED = "renewed", _("Followed by its renewal")
        TERMINATED = "terminated", _("Terminated")

    S = State
    IN_FORCE_STATES = (S.ACTIVE, S.RENEWAL_DUE, S.TERMINATING, S.RENEWED)
    # Signed, in force or ended: its terms bind both sides and its money may be paid.
    SIGNED_STATES = (S.SIGNED, *IN_FORCE_STATES, S.ENDED)

    public_body = models.ForeignKey(PublicBody, on_delete=models.PROTECT, related_name="agreements")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True)
    number = models.CharField(_("number"), max_length=30, blank=True)
    state = FSMField(default=S.DRAFT, choices=State.choices, protected=True, db_index=True)
    associations = models.ManyToManyField(
        Association, through="AgreementParty", related_name="agreements"
    )
    chain = models.ForeignKey(
        ApprovalChain,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("approval chain"),
    )
    liaison = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("the public body's liaison"),
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("the association's contact"),
    )
    public_body_signatures_required = models.PositiveSmallIntegerField(
        _("signatures required of the public body"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    predecessor = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successor",
        verbose_name=_("renews"),
    )
    in_force_version = models.ForeignKey(
        "AgreementVersion", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_side = models.CharField(max_length=20, choices=Side.choices)
    created_at = models.DateTimeField(default=timezone.now)
    # When the other side first saw it: a draft is its author's own until proposed.
    shared_at = models.DateTimeField(null=True, blank=True)
    activated_on = models.DateField(null=True, blank=True)
    notice_given_on = models.DateField(null=True, blank=True)
    notice_given_by = models.CharField(max_length=20, choices=Side.choices, blank=True)
    termination_reason = models.TextField(_("reason for termination"), blank=True)
    ends_early_on = models.DateField(_("ends after the notice period on"), null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    # Signed before its term, cancelled before it starts (agreements.cancellation): by one
    # side's proposal the other agrees to, or by the body's decision (its section).
    cancellation_side = models.CharField(
        _("cancellation proposed by"), max_length=20, choices=Side.choices, blank=True
    )
    cancellation_reason = models.TextField(_("reason for cancelling"), blank=True)
    cancellation_proposed_at = models.DateTimeField(null=True, blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancellation_section = models.CharField(_("section"), max_length=20, blank=True)
    # The body's decision to cancel counts as sent the day it is made: a party may request its
    # rectification until the last day (Local Government Act 134 §, 139 §); after the decision
    # on that request, the last day of the appeal to the administrative court (135 §).
    cancellation_deemed_received_on = models.DateField(null=True, blank=True)
    cancellation_appeal_ends_on = models.DateField(null=True, blank=True)

    # Where finance books the agreement's instalments (agreements.instalments).
    cost_centre = models.CharField(_("cost centre"), max_length=40, blank=True)
    account = models.CharField(_("account"), max_length=40, blank=True)

    disqualifications = GenericRelation(Disqualification)
    payables = GenericRelation("finance.Payable")

    lock_select_related = ("in_force_version",)

    class Meta:
        verbose_name = _("partnership agreement")
        verbose_name_plural = _("partnership agreements")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def association_ids(self) -> list[int]:
        return [p.association_id for p in self.parties.all()]

    @property
    def lead_association(self) -> Association:
        return self.parties.all()[0].association

    @property
    def terms(self) -> "AgreementVersion | None":
        """The version in force, or before that the newest version."""
        if self.in_force_version is not None:
            return self.in_force_version
        return max(self.versions.all(), key=lambda v: v.number, default=None)

    @property
    def title(self) -> str:
        terms = self.terms
        return terms.title if terms else ""

    @property
    def decision_document_source(self) -> str | None:
        """The agreement document finance gets with an instalment: the signed copy of the
        version in force (agreements.documents), not a newer amendment under signature."""
        if self.in_force_version is None:
            return None
        return f"v{self.in_force_version.number}:signed"

    @property
    def starts_on(self) -> date | None:
        """The first day in force: the term's first day, or the day of the last signature
        when the agreement was signed later (AgreementVersion.in_force_from)."""
        if self.activated_on is not None:
            return self.activated_on
        if self.in_force_version is None:
            return None
        return self.in_force_version.in_force_from

    @property
    def ends_on(self) -> date | None:
        """The last day in force: the term's end, or earlier after a notice of termination."""
        if self.in_force_version is None:
            return None
        if self.ends_early_on and self.ends_early_on < self.in_force_version.ends_on:
            return self.ends_early_on
        return self.in_force_version.ends_on

    # --- transitions, all run by workflow.transitions.transition_perform -------------------

    @transition(state, source=S.DRAFT, target=S.SIGNED, permission=fsm_permission(r.is_system))
    def await_term(self, *, actor: Any, comment: str) -> None:
        """Its first version is signed before its term: in force from the term's first day."""

    @transition(
        state,
        source=[S.DRAFT, S.SIGNED],
        target=S.ACTIVE,
        conditions=[effects.term_started],
        permission=fsm_permission(r.is_system),
    )
    def activate(self, *, actor: Any, comment: str) -> None:
        """In force: all signatures are in and the term has begun. Its meetings and
        evaluations were planned when it was signed (effects.version_enters_into_force)."""
        # The term's first day when the scan activates it; the day of the last signature
        # when that came later (in_force_from is saved only after this transition then).
        self.activated_on = self.in_force_version.in_force_from or timezone.localdate()
        cancellation.proposal_lapse(self)

    @transition(
        state,
        source=S.ACTIVE,
        target=S.RENEWAL_DUE,
        conditions=[effects.renewal_window_open],
        permission=fsm_permission(r.is_system | r.is_liaison),
    )
    def open_renewal(self, *, actor: Any, comment: str) -> None:
        effects.tell_parties(self, "agreement_renewal_due", key="renewal-due", ends_on=self.ends_on)

    @transition(
        state,
        source=[S.ACTIVE, S.RENEWAL_DUE],
        target=S.RENEWED,
        permission=fsm_permission(r.is_liaison),
    )
    def renew(
        self,
        *,
        actor: Any,
        comment: str,
        starts_on: date | None = None,
        ends_on: date | None = None,
    ) -> None:
        """Open the renewal: a new agreement linked to this one, its first version drafted
        from the terms in force. This one stays in force until its term ends."""
        effects.successor_create(self, actor=actor, starts_on=starts_on, ends_on=ends_on)

    @transition(
        state,
        source=[S.ACTIVE, S.RENEWAL_DUE],
        target=S.TERMINATING,
        permission=fsm_permission(r.is_liaison | r.is_representative),
    )
    def terminate(
        self, *, actor: Any, comment: str, reason: str, notice_given_on: date | None = None
    ) -> None:
        """Give notice: the agreement stays in force for its notice period, then ends."""
        require_text("reason", reason, _("Give the reason for terminating the agreement."))
        effects.notice_give(self, actor=actor, reason=reason, given_on=notice_given_on)

    @transition(
        state,
        source=[S.ACTIVE, S.RENEWAL_DUE, S.RENEWED, S.TERMINATING],
        target=S.ENDED,
        conditions=[effects.term_over],
        permission=fsm_permission(r.is_system | r.is_liaison),
    )
    def end(self, *, actor: Any, comment: str) -> None:
        self.end_reason = {
            self.S.RENEWED: self.EndReason.RENEWED,
            self.S.TERMINATING: self.EndReason.TERMINATED,
        }.get(self.state, self.EndReason.EXPIRED)
        self.ended_on = self.ends_on
        effects.term_ends(self)

    @transition(
        state,
        source=S.DRAFT,
        target=S.CANCELLED,
        conditions=[effects.nothing_awaiting_decision],
        permission=fsm_permission(sides.sees_agreement),
    )
    def cancel(self, *, actor: Any, comment: str) -> None:
        effects.open_versions_withdraw(self)

    # --- cancelled before its term (agreements.cancellation) ---------------------------------

    @transition(
        state,
        source=S.SIGNED,
        target=S.SIGNED,
        conditions=[cancellation.no_cancellation_proposed, effects.nothing_awaiting_decision],
        permission=fsm_permission(r.is_liaison | r.is_signatory),
    )
    def propose_cancellation(self, *, actor: Any, comment: str, reason: str) -> None:
        """One side proposes to cancel the agreement before its term starts."""
        cancellation.cancellation_propose(self, actor=actor, reason=reason)

    @transition(
        state,
        source=S.SIGNED,
        target=S.SIGNED,
        conditions=[cancellation.cancellation_proposed],
        permission=fsm_permission(sides.proposed_cancellation),
    )
    def withdraw_cancellation(self, *, actor: Any, comment: str) -> None:
        cancellation.cancellation_drop(self, actor=actor, declined=False)

    @transition(
        state,
        source=S.SIGNED,
        target=S.SIGNED,
        conditions=[cancellation.cancellation_proposed],
        permission=fsm_permission(sides.answers_cancellation),
    )
    def decline_cancellation(self, *, actor: Any, comment: str) -> None:
        cancellation.cancellation_drop(self, actor=actor, declined=True)

    @transition(
        state,
        source=S.SIGNED,
        target=S.CANCELLED,
        conditions=[cancellation.cancellation_proposed, effects.nothing_awaiting_decision],
        permission=fsm_permission(sides.answers_cancellation),
    )
    def agree_cancellation(self, *, actor: Any, comment: str) -> None:
        """The other side agrees: cancelled before its term, nothing of the term happens."""
        cancellation.cancellation_agree(self, actor=actor)

    @transition(
        state,
        source=S.SIGNED,
        target=S.CANCELLED,
        conditions=[effects.nothing_awaiting_decision],
        permission=fsm_permission(r.is_decision_maker),
    )
    def cancel_by_decision(self, *, actor: Any, comment: str, reasons: str) -> None:
        """The body decides to cancel the agreement before its term, with its reasons."""
        cancellation.cancellation_decide(self, actor=actor, reasons=reasons)

    # --- request for rectification of the decision to cancel (Local Government Act 134 §) ---

    @transition(
        state,
        source=S.CANCELLED,
        target=S.CANCELLED,
        conditions=[
            cancellation.cancelled_by_decision,
            cancellation.cancellation_rectification_not_requested,
        ],
        permission=fsm_permission(r.is_representative),
        custom={REFUSAL: cancellation.rectification_period_refusal},
    )
    def request_rectification(self, *, actor: Any, comment: str) -> None:
        """A party asks the body to review its decision to cancel, with its grounds
        (`comment`), within 14 days of being notified of it."""
        cancellation.cancellation_rectification_file(self, actor=actor, grounds=comment)

    @transition(
        state,
        source=S.CANCELLED,
        target=RETURN_VALUE(S.CANCELLED, S.SIGNED, S.ACTIVE),
        conditions=[cancellation.cancellation_rectification_pending],
        permission=fsm_permission(r.is_decision_maker),
    )
    def decide_rectification(self, *, actor: Any, comment: str, outcome: str, reasons: str) -> str:
        """The body upholds its decision to cancel (the agreement stays cancelled) or changes
        it (the cancellation is undone); a decision of its own, appealed to the court."""
        require_choice("outcome", outcome, RectificationOutcome)
        return cancellation.cancellation_rectification_decide(
            self, actor=actor, outcome=outcome, reasons=reasons
        )

    # --- money ------------------------------------------------------------------------------

    # Cancelled: money paid ahead of the term is claimed back, and finance records it repaid.
    MONEY_STATES = (*SIGNED_STATES, S.CANCELLED)

    @transition(
        state, source=MONEY_STATES, target=RETURN_VALUE(), permission=fsm_permission(r.is_finance)
    )
    def record_payment(
        self,
        *,
        actor: Any,
        comment: str,
        amount: Decimal,
        paid_on: date,
        reference: str = "",
        payable_id: int | None = None,
        batch_item_id: int | None = None,
    ) -> str:
        """An instalment paid: the agreement's state is unchanged."""
        effects.instalment_pay(
            self,
            actor=actor,
            payable_id=payable_id,
            amount=amount,
            paid_on=paid_on,
            reference=reference,
            batch_item_id=batch_item_id,
        )
        return self.state

    @transition(
        state, source=MONEY_STATES, target=RETURN_VALUE(), permission=fsm_permission(r.is_finance)
    )
    def reverse_payment(self, *, actor: Any, comment: str, payment_id: int, reason: str) -> str:
        """A wrong instalment payment corrected by a reversing entry: the instalment is to be
        paid again; the agreement's state does not depend on its money."""
        effects.instalment_reverse(self, actor=actor, payment_id=payment_id, reason=reason)
        return self.state


class AgreementParty(models.Model):
    """An association that is party to an agreement, and how many of its authorised
    signatories must sign jointly (its rules often require two)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    association = models.ForeignKey(Association, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=1)
    signatures_required = models.PositiveSmallIntegerField(
        _("signatures required"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    # The party's share of a joint agreement in the yearly summary, in per cent; blank: an
    # equal share with the other parties (agreements.summary).
    share = models.DecimalField(
        _("share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
    )

    class Meta:
        ordering = ["agreement", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "association"], name="one_party_entry")
        ]

    def __str__(self) -> str:
        return str(self.association)


class AgreementVersion(FSMModelMixin, models.Model):
    """One version of an agreement's terms. Never edited once proposed: a change is a new
    version, so what each side saw, agreed to and signed stays readable."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        NEGOTIATION = "negotiation", _("In negotiation")
        AGREED = "agreed", _("Agreed by both sides")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        AWAITING_SIGNATURES = "awaiting_signatures", _("Awaiting signatures")
        IN_FORCE = "in_force", _("In force")
        SUPERSEDED = "superseded", _("Superseded by an amendment")
        COUNTERED = "countered", _("Replaced by a counter-proposal")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    S = State
    OPEN_STATES = (S.DRAFT, S.NEGOTIATION, S.AGREED, S.IN_REVIEW, S.APPROVED)
    OPEN_STATES += (S.AWAITING_SIGNATURES,)
    # A decision was made on the version: a party may request its rectification.
    DECIDED_STATES = (S.APPROVED, S.AWAITING_SIGNATURES, S.IN_FORCE, S.REJECTED)

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    state = FSMField(default=S.DRAFT, choices=State.choices, protected=True, db_index=True)
    based_on = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    author_side = models.CharField(max_length=20, choices=Side.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    change_note = models.TextField(_("what this version changes"), blank=True)

    # The terms.
    title = models.CharField(_("title"), max_length=200)
    title_sv = models.CharField(_("title in Swedish"), max_length=200, blank=True)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    purpose = models.TextField(_("purpose"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    public_body_responsibilities = models.TextField(_("the public body's responsibilities"))
    association_responsibilities = models.TextField(_("the association's responsibilities"))
    meetings_per_year = models.PositiveSmallIntegerField(
        _("cooperation meetings a year"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    evaluation_every_months = models.PositiveSmallIntegerField(
        _("evaluation every (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )
    notice_period_months = models.PositiveSmallIntegerField(
        _("notice period (months)"), default=3, validators=[MaxValueValidator(24)]
    )

    # Proposal, acceptance, review and decision.
    proposed_at = models.DateTimeField(null=True, blank=True)
    agreed_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    # The section in the body's register of decisions ("§ 12/2026").
    decision_section = models.CharField(_("section"), max_length=20, blank=True)
    # Money in the agreement waits for the decision to become legally valid (Local
    # Government Act 134 §: 14 days for a request for rectification after notification).
    deemed_received_on = models.DateField(null=True, blank=True)
    appeal_ends_on = models.DateField(null=True, blank=True)
    in_force_from = models.DateField(null=True, blank=True)

    approval_runs = GenericRelation(ApprovalRun)
    disqualifications = GenericRelation(Disqualification)

    lock_select_related = ("agreement",)

    class Meta:
        verbose_name = _("agreement version")
        verbose_name_plural = _("agreement versions")
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="unique_version_number"),
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="version_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement.number} v{self.number}"

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("The term must end after it starts.")})

    @property
    def public_body_id(self) -> int:
        return self.agreement.public_body_id

    @property
    def association_ids(self) -> list[int]:
        return self.agreement.association_ids

    @property
    def money_total(self) -> Decimal:
        return sum(
            (x.amount for x in self.resources.all() if x.kind == Resource.Kind.MONEY), Decimal(0)
        )

    # --- negotiation -----------------------------------------------------------------------

    @transition(
        state,
        source=S.DRAFT,
        target=S.NEGOTIATION,
        permission=fsm_permission(sides.is_author_side),
    )
    def propose(self, *, actor: Any, comment: str) -> None:
        """Show the draft to the other side; it replaces any proposal still negotiated."""
        self.proposed_at = timezone.now()
        effects.proposal_made(self, actor=actor)

    @transition(
        state,
        source=S.NEGOTIATION,
        target=S.AGREED,
        permission=fsm_permission(sides.is_other_side),
    )
    def accept(self, *, actor: Any, comment: str) -> None:
        """The side that did not write this version agrees to it."""
        self.agreed_at = timezone.now()
        effects.contact_name(self, actor=actor)

    @transition(
        state,
        source=[S.NEGOTIATION, S.AGREED],
        target=S.COUNTERED,
        permission=fsm_permission(r.is_system),
    )
    def set_aside(self, *, actor: Any, comment: str) -> None:
        """A newer proposal (a counter-proposal) replaces this one."""

    @transition(
        state,
        source=[S.DRAFT, S.NEGOTIATION, S.AGREED],
        target=S.WITHDRAWN,
        permission=fsm_permission(sides.is_author_side | r.is_system),
    )
    def withdraw(self, *, actor: Any, comment: str) -> None:
        pass

    # --- review and decision ---------------------------------------------------------------

    @transition(state, source=S.AGREED, target=S.IN_REVIEW, permission=fsm_permission(r.is_liaison))
    def submit_for_review(self, *, actor: Any, comment: str, chain_id: int | None = None) -> None:
        chains.run_start(self, effects.review_chain(self, chain_id), amount=self.money_total)

    @transition(
        state,
        source=S.IN_REVIEW,
        target=S.IN_REVIEW,
        conditions=[before_last_step],
        permission=fsm_permission(r.acts_on_current_step),
    )
    def record_step(self, *, actor: Any, comment: str, reasons: str = "") -> None:
        """A step before the decision: the preparer's proposal, a superior's review."""
        chains.step_complete(
            self, actor=actor, outcome="proposed", comment=comment, data={"reasons": reasons}
        )

    @transition(
        state,
        source=S.IN_REVIEW,
        target=S.NEGOTIATION,
        permission=fsm_permission(r.acts_on_current_step),
    )
    def return_to_negotiation(self, *, actor: Any, comment: str) -> None:
        require_text("comment", comment, _("Say what should be negotiated again."))
        chains.run_cancel(self)
        self.agreed_at = None

    @transition(
        state,
        source=S.IN_REVIEW,
        target=RETURN_VALUE(S.APPROVED, S.REJECTED),
        conditions=[on_last_step],
        permission=fsm_permission(r.acts_on_current_step),
    )
    def decide(self, *, actor: Any, comment: str, outcome: str, reasons: str) -> str:
        effects.decision_facts_check(self, actor)
        require_choice("outcome", outcome, self.Outcome)
        # Administrative Procedure Act 45 §: a decision states its reasons.
        require_text("reasons", reasons, _("A decision must give its reasons."))
        chains.step_complete(
            self, actor=actor, outcome=outcome, comment=comment, data={"reasons": reasons}
        )
        effects.decision_record(self, actor=actor, outcome=outcome, reasons=reasons)
        return self.S.APPROVED if outcome == self.Outcome.APPROVED else self.S.REJECTED

    # --- signatures ------------------------------------------------------------------------

    @transition(
        state,
        source=[S.APPROVED, S.AWAITING_SIGNATURES],
        target=RETURN_VALUE(S.AWAITING_SIGNATURES, S.IN_FORCE),
        permission=fsm_permission(r.is_signatory | r.is_decision_maker),
        custom={REFUSAL: sign_refusal},
    )
    def sign(self, *, actor: Any, comment: str, side: str = "") -> str:
        """One signature; the version comes into force with the last one each side requires."""
        if effects.signature_add(self, actor=actor, side=side):
            effects.version_enters_into_force(self)
            return self.S.IN_FORCE
        return self.S.AWAITING_SIGNATURES

    @transition(
        state, source=S.IN_FORCE, target=S.SUPERSEDED, permission=fsm_permission(r.is_system)
    )
    def supersede(self, *, actor: Any, comment: str) -> None:
        """An amendment came into force."""

    # --- request for rectification (Local Government Act 134 §) ----------------------------

    @transition(
        state,
        source=DECIDED_STATES,
        target=RETURN_VALUE(),
        conditions=[effects.within_rectification_period, effects.rectification_not_requested],
        permission=fsm_permission(r.is_representative),
    )
    def request_rectification(self, *, actor: Any, comment: str) -> str:
        """A party asks the body to review its decision, with its grounds (`comment`), within
        14 days of being notified; the money waits for the answer."""
        effects.rectification_file(self, actor=actor, grounds=comment)
        return self.state

    @transition(
        state,
        source=DECIDED_STATES,
        target=RETURN_VALUE(),
        conditions=[effects.rectification_pending],
        permission=fsm_permission(r.is_decision_maker),
    )
    def decide_rectification(self, *, actor: Any, comment: str, outcome: str, reasons: str) -> str:
        """The body upholds its decision or changes it (an approval becomes a rejection, a
        rejection an approval); a decision of its own, appealed to the administrative court."""
        require_choice("outcome", outcome, RectificationOutcome)
        changed = outcome == RectificationOutcome.CHANGED
        return effects.rectification_decide(
            self, actor=actor, outcome=outcome, changed=changed, reasons=reasons
        )


class Goal(models.Model):
    """A shared goal with its indicator and the target value the indicator should reach."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("goal"), max_length=300)
    indicator = models.CharField(_("indicator"), max_length=300)
    target = models.DecimalField(_("target value"), validators=NOT_NEGATIVE, **MONEY)

    class Meta:
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="unique_goal_position")
        ]

    def __str__(self) -> str:
        return self.title


class Resource(models.Model):
    """What a side puts in for a year: money (paid as an instalment on a date), free premises
    (which, how many hours, valued in euros) or staff time."""

    class Kind(models.TextChoices):
        MONEY = "money", _("Money")
        PREMISES = "premises", _("Free premises")
        STAFF = "staff", _("Staff time")

    class Per(models.TextChoices):
        WEEK = "week", _("hours a week")
        YEAR = "year", _("hours a year")

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="resources"
    )
    position = models.PositiveSmallIntegerField()
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    provided_by = models.CharField(max_length=20, choices=Side.choices, default=Side.PUBLIC_BODY)
    description = models.CharField(_("description"), max_length=300, blank=True)
    # Money: the instalment; premises and staff time: their value in euros.
    amount = models.DecimalField(_("euros"), validators=NOT_NEGATIVE, default=0, **MONEY)
    hours = models.DecimalField(
        _("hours"), max_digits=8, decimal_places=1, null=True, blank=True, validators=NOT_NEGATIVE
    )
    hours_per = models.CharField(max_length=10, choices=Per.choices, blank=True)
    pays_on = models.DateField(_("paid on"), null=True, blank=True)
    # Free premises: the entry of the body's catalogue lent (premises.models); blank for
    # premises not in the catalogue, valued by `amount` alone.
    premises = models.ForeignKey(
        Premises,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreement_resources",
        verbose_name=_("premises"),
    )
    # Whom the money is paid to, of the association parties; blank: the lead association.
    payee = models.ForeignKey(
        Association,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("payee"),
    )

    class Meta:
        ordering = ["version", "year", "position"]
        constraints = [
            models.UniqueConstraint(fields=["version", "position"], name="unique_resource_position")
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()}: {self.description or self.amount}"

    @property
    def hours_per_year(self) -> Decimal:
        if self.hours is None:
            return Decimal(0)
        if self.hours_per == self.Per.WEEK:
            return self.hours * settings.AGREEMENT_WEEKS_PER_YEAR
        return self.hours


class VersionComment(models.Model):
    """A comment on a version, from either side; the negotiation's written record."""

    version = models.ForeignKey(AgreementVersion, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=20, choices=Side.choices)
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author} on {self.version}"


class Signature(models.Model):
    """Who signed a version, for which side and when."""

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.PROTECT, related_name="signatures"
    )
    side = models.CharField(max_length=20, choices=Side.choices)
    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "signer"], name="one_signature_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.signer} signed {self.version}"


class AgreementRectification(models.Model):
    """A party's request for rectification (oikaisuvaatimus) of the decision on a version,
    or of the body's decision to cancel the agreement signed on it (`subject`), and the
    body's decision on it (Local Government Act 134 §): a decision of its own, with its
    section in the body's register; the decision it reviews is kept as it stood."""

    class Subject(models.TextChoices):
        DECISION = "decision", _("Decision on the agreement")
        CANCELLATION = "cancellation", _("Decision to cancel the agreement")

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.PROTECT, related_name="rectifications"
    )
    association = models.ForeignKey(Association, on_delete=models.PROTECT, related_name="+")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(default=timezone.now)
    grounds = models.TextField(_("grounds"))
    subject = models.CharField(max_length=20, choices=Subject.choices, default=Subject.DECISION)
    # The decision as it stood when the request was filed (a decision to cancel has no
    # outcome: it cancelled).
    original_outcome = models.CharField(
        max_length=20, choices=AgreementVersion.Outcome.choices, blank=True
    )
    original_section = models.CharField(max_length=20, blank=True)
    original_decided_at = models.DateTimeField()
    outcome = models.CharField(max_length=20, choices=RectificationOutcome.choices, blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_section = models.CharField(_("section"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("request for rectification")
        verbose_name_plural = _("requests for rectification")
        ordering = ["version", "filed_at", "id"]
        constraints = [
            # One request per decision (the version's, or each decision to cancel, by its
            # section): after its decision the appeal goes to the court.
            models.UniqueConstraint(
                fields=["version", "subject", "original_section"],
                name="one_rectification_per_decision",
            )
        ]

    def __str__(self) -> str:
        return f"Rectification of {self.version} filed {self.filed_at:%Y-%m-%d}"


def minutes_path(instance: "Meeting", filename: str) -> str:
    return f"agreements/{instance.agreement_id}/meetings/{instance.pk}/{filename}"


class Meeting(models.Model):
    """A cooperation meeting the agreement promises; a deadline reminds of it, and one not
    held by its date is missed."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="meetings")
    due_on = models.DateField(_("to be held by"))
    held_on = models.DateField(_("held on"), null=True, blank=True)
    notes = models.TextField(_("record of the meeting"), blank=True)
    minutes = models.FileField(_("minutes"), upload_to=minutes_path, blank=True)
    cancelled = models.BooleanField(default=False)
    # Who scheduled it by hand (services.meeting_add); re-planning after an amendment or a
    # notice keeps such a meeting, while the plan's own meetings (none here) are its to move.
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("cooperation meeting")
        verbose_name_plural = _("cooperation meetings")
        ordering = ["agreement", "due_on", "id"]

    def __str__(self) -> str:
        return f"{self.agreement.number} meeting by {self.due_on}"

    @property
    def status(self) -> str:
        if self.cancelled:
            return "cancelled"
        if self.held_on is not None:
            return "held"
        return "missed" if self.due_on < timezone.localdate() else "scheduled"

    @property
    def public_body_id(self) -> int:
        return self.agreement.public_body_id

    @property
    def association_ids(self) -> list[int]:
        return self.agreement.association_ids


class Evaluation(FSMModelMixin, models.Model):
    """The evaluation of one period (a year by default) of an agreement's goals."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        DUE = "due", _("Due")
        SUBMITTED = "submitted", _("Submitted")
        EVALUATED = "evaluated", _("Evaluated")
        CANCELLED = "cancelled", _("Cancelled")

    S = State

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="evaluations")
    period_starts_on = models.DateField()
    period_ends_on = models.DateField()
    due_on = models.DateField(_("due on"))
    state = FSMField(default=S.SCHEDULED, choices=State.choices, protected=True, db_index=True)
    report = models.TextField(_("the association's report"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    assessment = models.TextField(_("the liaison's assessment"), blank=True)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="evaluations"
    )
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    evaluated_at = models.DateTimeField(null=True, blank=True)

    disqualifications = GenericRelation(Disqualification)

    lock_select_related = ("agreement", "agreement__in_force_version")

    class Meta:
        verbose_name = _("yearly evaluation")
        verbose_name_plural = _("yearly evaluations")
        ordering = ["agreement", "period_starts_on"]

    def __str__(self) -> str:
        return f"{self.agreement.number} {self.period_starts_on}–{self.period_ends_on}"

    @property
    def public_body_id(self) -> int:
        return self.agreement.public_body_id

    @property
    def association_ids(self) -> list[int]:
        return self.agreement.association_ids

    @transition(
        state,
        source=S.SCHEDULED,
        target=S.DUE,
        conditions=[effects.period_over],
        permission=fsm_permission(r.is_system | r.is_liaison),
    )
    def open(self, *, actor: Any, comment: str) -> None:
        effects.evaluation_deadline(self, self.due_on)

    @transition(
        state, source=S.DUE, target=S.SUBMITTED, permission=fsm_permission(r.is_representative)
    )
    def submit(
        self, *, actor: Any, comment: str, report: str, results: list[dict[str, Any]]
    ) -> None:
        """The association reports a figure for each goal's indicator."""
        mandate_require(actor, self, Act.REPORT)
        require_text("report", report, _("Describe how the year went."))
        effects.results_record(self, results)
        self.report = report
        self.submitted_by = actor
        self.submitted_at = timezone.now()
        deadlines.deadline_close(self, kind="evaluation_due")

    @transition(state, source=S.SUBMITTED, target=S.DUE, permission=fsm_permission(r.is_liaison))
    def return_evaluation(self, *, actor: Any, comment: str, due_on: date | None = None) -> None:
        require_text("comment", comment, _("Say what the evaluation lacks."))
        self.due_on = future_due_date(due_on)
        effects.evaluation_deadline(self, self.due_on)

    @transition(
        state, source=S.SUBMITTED, target=S.EVALUATED, permission=fsm_permission(r.is_liaison)
    )
    def evaluate(
        self, *, actor: Any, comment: str, assessment: str, meeting_id: int, goals_met: list[int]
    ) -> None:
        """The liaison's assessment, with the cooperation meeting where it was discussed."""
        require_text("assessment", assessment, _("Write the assessment."))
        effects.assessment_record(self, meeting_id=meeting_id, goals_met=goals_met)
        self.assessment = assessment
        self.evaluated_by = actor
        self.evaluated_at = timezone.now()

    @transition(
        state,
        source=[S.SCHEDULED, S.DUE],
        target=S.CANCELLED,
        permission=fsm_permission(r.is_system),
    )
    def cancel(self, *, actor: Any, comment: str) -> None:
        deadlines.deadline_close(self, kind="evaluation_due", status="cancelled")


class GoalResult(models.Model):
    """The association's figure for one goal's indicator, and whether the liaison found the
    goal met."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="results")
    goal = models.ForeignKey(Goal, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(_("indicator value"), validators=NOT_NEGATIVE, **MONEY)
    comment = models.TextField(blank=True)
    met = models.BooleanField(null=True)

    class Meta:
        ordering = ["evaluation", "goal__position"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "goal"], name="one_result_per_goal")
        ]

    def __str__(self) -> str:
        return f"{self.goal}: {self.value}"


class AgreementAttachment(AttachmentBase):
    owner_field = "agreement"
    upload_folder = "agreements"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="attachments")

    class Meta(AttachmentBase.Meta):
        pass
