"""Calls for applications, applications and their lifecycle, and follow-up reports. The money a
decision grants is paid through finance.payables, like every other payable."""

from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition

from application_forms import versions as forms
from application_forms.models import FormDefinition, FormVersion
from application_forms.validation import AttachedFile, answers_validate
from finance import payables as money
from grants import effects
from grants.choices import Channel, Outcome
from organisations.mandates import Act, mandate_require
from organisations.models import Association, OfficialRole, PublicBody, Unit
from organisations.selectors import officials_of
from premises.models import Premises
from workflow import chains, deadlines, outbox
from workflow import rules as r
from workflow.chains import before_last_step, on_last_step
from workflow.links import Audience, page_path
from workflow.models import (
    ApprovalChain,
    ApprovalRun,
    AttachmentBase,
    Deadline,
    Disqualification,
    ReminderPolicy,
)
from workflow.models import attachment_path as workflow_attachment_path
from workflow.permissions import fsm_permission
from workflow.rectification import RectificationOutcome
from workflow.reminders import schedule_for
from workflow.time_limits import next_working_day, time_limit_end
from workflow.validation import future_due_date, require_choice

MONEY = {"max_digits": 12, "decimal_places": 2}
POSITIVE = [MinValueValidator(Decimal("0.01"))]


class Call(models.Model):
    """A call for applications (avustushaku) with its budget and approval chain."""

    class Category(models.TextChoices):
        GENERAL = "general", _("General activity grant")
        PROJECT = "project", _("Project or event grant")
        PREMISES = "premises", _("Premises grant")

    public_body = models.ForeignKey(PublicBody, on_delete=models.PROTECT, related_name="calls")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True)
    name = models.CharField(_("name"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.TextField(_("description"), blank=True)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    budget = models.DecimalField(_("budget (€)"), validators=POSITIVE, **MONEY)
    max_per_application = models.DecimalField(
        _("maximum per application (€)"), validators=POSITIVE, **MONEY
    )
    chain = models.ForeignKey(
        ApprovalChain, on_delete=models.PROTECT, related_name="calls", verbose_name=_("chain")
    )
    # Where finance books the payments of this call.
    cost_centre = models.CharField(_("cost centre"), max_length=40, blank=True)
    account = models.CharField(_("account"), max_length=40, blank=True)
    reminder_policy = models.ForeignKey(
        ReminderPolicy,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("reminder policy"),
        help_text=_("Leave empty for the default reminders."),
    )
    # The follow-up report is due either on a fixed date or a number of days after payment.
    report_due_on = models.DateField(_("report due on"), null=True, blank=True)
    report_due_days = models.PositiveIntegerField(
        _("report due, days after the final payment"), null=True, blank=True
    )
    # The questions its applicants answer; a call made without one gets its own copy of the
    # default form (`save`). Calls older than forms have none and ask nothing more.
    form = models.ForeignKey(
        FormDefinition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="calls",
        verbose_name=_("application form"),
        help_text=_("Leave empty for a copy of the default form."),
    )

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="call_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(report_due_on__isnull=True) ^ Q(report_due_days__isnull=True),
                name="call_has_one_report_rule",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._state.adding and self.form_id is None and self.public_body_id:
            self.form = forms.default_copy(self.public_body, self.name)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("The call must close after it opens.")})
        if (self.report_due_on is None) == (self.report_due_days is None):
            raise ValidationError(
                _("Give either a fixed report due date or a number of days after payment.")
            )
        if (
            self.chain_id
            and self.public_body_id
            and self.chain.public_body_id != self.public_body_id
        ):
            raise ValidationError({"chain": _("The chain belongs to another public body.")})
        if self.form_id and self.public_body_id and self.form.public_body_id != self.public_body_id:
            raise ValidationError({"form": _("The form belongs to another public body.")})

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at

    def report_due_date(self, paid_on: date) -> date:
        if self.report_due_on is not None:
            return next_working_day(self.report_due_on)
        return time_limit_end(paid_on, self.report_due_days)


class Application(FSMModelMixin, models.Model):
    """An association's grant application (avustushakemus), from draft to closed."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for completion")
        IN_REVIEW = "in_review", _("In review")
        DECIDED = "decided", _("Decided")
        NOTIFIED = "notified", _("Notified")
        UNDER_RECTIFICATION = "under_rectification", _("Under rectification")
        LEGALLY_VALID = "legally_valid", _("Legally valid")
        PAID = "paid", _("Paid; report due")
        REPORT_SUBMITTED = "report_submitted", _("Report submitted")
        REPORT_RETURNED = "report_returned", _("Report returned")
        CLOSED = "closed", _("Closed")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        EXPIRED = "expired", _("Expired")

    S = State

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    association = models.ForeignKey(
        Association, on_delete=models.PROTECT, related_name="applications"
    )
    state = FSMField(default=S.DRAFT, choices=State.choices, protected=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    requested_amount = models.DecimalField(_("requested amount (€)"), validators=POSITIVE, **MONEY)
    purpose = models.TextField(_("purpose"))
    # The form version the application was started on, kept when the call's form changes
    # (application_forms.versions), and the answers to it, checked against it
    # (`answers_check`). None: the call had no form.
    form_version = models.ForeignKey(
        FormVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("form version"),
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    completion_request = models.TextField(_("request for completion"), blank=True)
    completion_due_on = models.DateField(null=True, blank=True)

    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    granted_amount = models.DecimalField(null=True, blank=True, **MONEY)
    reasons = models.TextField(_("reasons"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=30, blank=True)
    # The section in the body's register of decisions ("§ 12/2026").
    decision_section = models.CharField(_("section"), max_length=20, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    notified_on = models.DateField(_("decision sent on"), null=True, blank=True)
    notification_channel = models.CharField(max_length=20, choices=Channel.choices, blank=True)
    deemed_received_on = models.DateField(null=True, blank=True)
    appeal_ends_on = models.DateField(null=True, blank=True)
    legally_valid_on = models.DateField(null=True, blank=True)
    report_due_on = models.DateField(null=True, blank=True)

    approval_runs = GenericRelation(ApprovalRun)
    disqualifications = GenericRelation(Disqualification)
    payables = GenericRelation("finance.Payable")

    # What the permissions and conditions read, loaded with the row the engine locks.
    lock_select_related = ("call", "association", "call__reminder_policy")

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["call", "state"]),
            # The workbench's counts of submitted applications (per call, per state, the
            # lists' totals) read this index alone: an index-only scan, not the wide rows.
            models.Index(
                fields=["call", "state"],
                condition=Q(submitted_at__isnull=False),
                name="application_submitted",
            ),
            # The work queue's lists, one state each, oldest first: read in order from the
            # index and stopped at the page's end instead of sorting the whole state; with the
            # call included, the queues' counts are index only too.
            models.Index(
                fields=["state", "submitted_at", "id"],
                include=["call"],
                condition=Q(submitted_at__isnull=False),
                name="application_queue",
            ),
            models.Index(
                fields=["state", "decided_at", "id"],
                condition=Q(submitted_at__isnull=False),
                name="application_decided_queue",
            ),
            # The budget used per call (granted amounts summed), also from the index alone.
            models.Index(
                fields=["call"],
                include=["granted_amount"],
                condition=Q(granted_amount__isnull=False),
                name="application_granted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.association} – {self.call}"

    @property
    def unit(self) -> Unit | None:
        """The unit that handles the application: its call's."""
        return self.call.unit

    @property
    def public_body_id(self) -> int:
        return self.call.public_body_id

    @property
    def association_ids(self) -> tuple[int]:
        return (self.association_id,)

    @property
    def rectification_decided(self) -> bool:
        return any(r.decided_at is not None for r in self.rectifications.all())

    @property
    def payments(self) -> list[Any]:
        """The payments on the application's payables that stand, oldest first: one reversed
        and its reversing entry are finance's ledger (finance.payables), not money paid.
        Reads the prefetched `payables__payments` when the caller loaded them (lists do)."""
        entries = [p for payable in self.payables.all() for p in payable.payments.all()]
        return sorted(money.standing(entries), key=lambda p: (p.paid_on, p.pk))

    @property
    def paid_total(self) -> Decimal:
        return sum((p.amount for p in self.payments), Decimal(0))

    @property
    def appeal_period_days(self) -> int:
        """After a rectification decision the next appeal goes to the administrative court
        (Local Government Act 135 §, 30 days); otherwise a request for rectification (134 §)."""
        if self.rectification_decided:
            return settings.ADMINISTRATIVE_COURT_APPEAL_DAYS
        return settings.RECTIFICATION_PERIOD_DAYS

    @property
    def title(self) -> str:
        return f"{self.call.name}: {self.association.name}"

    def answers_check(self, answers: Any = None, *, complete: bool = False) -> dict[str, Any]:
        """The answers (by default the stored ones) checked against the application's form
        version and requested amount: returned cleaned, or `AnswersInvalid` with messages by
        path. `complete` for sending, when every question that applies must be answered."""
        answers = self.answers if answers is None else answers
        if self.form_version is None:
            return answers_validate({"sections": []}, answers, requested_amount=None)
        attachments = (
            {a.pk: AttachedFile(a.name, a.size) for a in self.attachments.all()} if self.pk else {}
        )
        return answers_validate(
            self.form_version.content,
            answers,
            requested_amount=self.requested_amount,
            attachments=attachments,
            complete=complete,
        )

    def open_deadline(self, kind: str, due_on: date) -> None:
        """Open (or move) a deadline of this application, reminded by the call's policy.

        A draft's deadline belongs to the association alone: officials learn of an
        application when it is submitted (see grants.selectors), calendars included.
        """
        deadlines.deadline_set(
            self,
            kind=kind,
            due_on=due_on,
            title=self.title,
            association_id=self.association_id,
            public_body_id=None if self.submitted_at is None else self.call.public_body_id,
            schedule=schedule_for(kind, self.call.reminder_policy),
        )

    # --- applicant -------------------------------------------------------------------------

    @transition(
        state,
        source=S.DRAFT,
        target=S.SUBMITTED,
        conditions=[effects.call_is_open],
        permission=fsm_permission(r.is_representative),
    )
    def submit(self, *, actor: Any, comment: str) -> None:
        mandate_require(actor, self, Act.APPLY)
        effects.request_check(self)
        self.answers_check(complete=True)
        self.submitted_at = timezone.now()
        deadlines.deadline_close(self, kind="call_closes")

    @transition(
        state, source=S.RETURNED, target=S.SUBMITTED, permission=fsm_permission(r.is_representative)
    )
    def resubmit(self, *, actor: Any, comment: str) -> None:
        mandate_require(actor, self, Act.APPLY)
        effects.request_check(self)
        self.answers_check(complete=True)
        deadlines.deadline_close(self, kind="completion_due")

    @transition(
        state,
        source=[S.DRAFT, S.SUBMITTED, S.RETURNED, S.IN_REVIEW],
        target=S.WITHDRAWN,
        permission=fsm_permission(r.is_representative),
    )
    def withdraw(self, *, actor: Any, comment: str) -> None:
        chains.run_cancel(self)
        for kind in ("call_closes", "completion_due"):
            deadlines.deadline_close(self, kind=kind, status="cancelled")

    @transition(
        state,
        source=S.DRAFT,
        target=S.EXPIRED,
        conditions=[effects.call_has_closed],
        permission=fsm_permission(r.is_system),
    )
    def expire(self, *, actor: Any, comment: str) -> None:
        deadlines.deadline_close(self, kind="call_closes", status="cancelled")

    # --- preparation and review ------------------------------------------------------------

    @transition(
        state, source=S.SUBMITTED, target=S.RETURNED, permission=fsm_permission(r.is_preparer)
    )
    def request_completion(self, *, actor: Any, comment: str, due_on: date | None = None) -> None:
        if not comment.strip():
            raise ValidationError({"comment": _("Say what the applicant should complete.")})
        self.completion_request = comment
        self.completion_due_on = future_due_date(due_on)
        self.open_deadline("completion_due", self.completion_due_on)
        effects.tell_association(
            self,
            "completion_requested",
            f"completion:{timezone.now().isoformat()}",
            request=comment,
            due_on=self.completion_due_on,
        )

    @transition(
        state, source=S.SUBMITTED, target=S.IN_REVIEW, permission=fsm_permission(r.is_preparer)
    )
    def start_review(self, *, actor: Any, comment: str) -> None:
        chains.run_start(self, self.call.chain, amount=self.requested_amount)

    @transition(
        state,
        source=S.IN_REVIEW,
        target=S.IN_REVIEW,
        conditions=[before_last_step],
        permission=fsm_permission(r.acts_on_current_step),
    )
    def record_step(
        self, *, actor: Any, comment: str, proposed_amount: Decimal, reasons: str = ""
    ) -> None:
        """A step before the decision: the preparer's proposal, a superior's review."""
        if proposed_amount > self.requested_amount:
            raise ValidationError({"proposed_amount": _("More than was applied for.")})
        chains.step_complete(
            self,
            actor=actor,
            outcome="proposed",
            comment=comment,
            data={"proposed_amount": str(proposed_amount), "reasons": reasons},
        )

    @transition(
        state,
        source=S.IN_REVIEW,
        target=S.DECIDED,
        conditions=[on_last_step],
        permission=fsm_permission(r.acts_on_current_step),
    )
    def decide(
        self,
        *,
        actor: Any,
        comment: str,
        outcome: str,
        granted_amount: Decimal,
        reasons: str,
        conditions: str = "",
    ) -> None:
        effects.decision_facts_check(self, actor)
        granted_amount = effects.decision_check(self, outcome, granted_amount, reasons)
        chains.step_complete(
            self,
            actor=actor,
            outcome=outcome,
            comment=comment,
            data={"granted_amount": str(granted_amount), "reasons": reasons},
        )
        effects.decision_record(self, actor, outcome, granted_amount, reasons, at=timezone.now())
        self.conditions = conditions

    # --- notification, appeal and legal validity ------------------------------------------

    @transition(
        state,
        source=S.DECIDED,
        target=S.NOTIFIED,
        permission=fsm_permission(r.is_preparer | r.is_decision_maker),
    )
    def notify(
        self, *, actor: Any, comment: str, channel: str, sent_on: date | None = None
    ) -> None:
        """Send the decision to the association (tiedoksianto), which starts the appeal period.

        Electronically (Act 13/2003 19 §, with the association's consent) the decision goes
        now as a message to its representatives and its contact address, with the document
        enclosed; its day is the day that message goes (`grants.notification` moves the dates
        if the outbox sends it on a later day). By letter, the registry posts the printed
        decision and records the day it was posted (Administrative Procedure Act 59 §).
        """
        effects.notification_facts_check(self)
        require_choice("channel", channel, Channel)
        today = timezone.localdate()
        if channel == Channel.ELECTRONIC:
            if not self.association.accepts_electronic_notification:
                raise ValidationError(
                    {"channel": _("The association has not consented to electronic notification.")}
                )
            if sent_on not in (None, today):
                raise ValidationError(
                    {"sent_on": _("An electronic notification goes now: it takes no other day.")}
                )
        elif not self.association.address_lines:
            raise ValidationError(
                {
                    "channel": _(
                        "The association has no postal address for a letter: its "
                        "representatives add it to the association's details."
                    )
                }
            )
        sent_on = sent_on or today
        if sent_on > today:
            raise ValidationError({"sent_on": _("A decision cannot be sent in the future.")})
        if sent_on < self.decided_at.astimezone(timezone.get_current_timezone()).date():
            raise ValidationError({"sent_on": _("A decision cannot be sent before it was made.")})
        self.notification_channel = channel
        effects.sending_record(self, sent_on)
        if channel == Channel.ELECTRONIC:
            effects.decision_send(self)

    @property
    def decision_message_key(self) -> str:
        """The outbox key of this decision's message: one per decision, so a decision on a
        request for rectification is sent anew."""
        return f"application:{self.pk}:decision:{self.decided_at.isoformat()}"

    @transition(
        state,
        source=S.NOTIFIED,
        target=S.UNDER_RECTIFICATION,
        conditions=[effects.within_appeal_period, effects.rectification_not_yet_decided],
        permission=fsm_permission(r.is_representative),
    )
    def file_rectification(self, *, actor: Any, comment: str) -> None:
        mandate_require(actor, self, Act.RECTIFY)
        if not comment.strip():
            raise ValidationError({"comment": _("Give the grounds of the request.")})
        Rectification.objects.create(
            application=self,
            filed_by=actor,
            grounds=comment,
            original_decided_at=self.decided_at,
            original_granted_amount=self.granted_amount,
        )
        deadlines.deadline_close(self, kind="appeal_period_ends")

    @transition(
        state,
        source=S.UNDER_RECTIFICATION,
        target=S.DECIDED,
        permission=fsm_permission(r.is_decision_maker),
    )
    def decide_rectification(
        self,
        *,
        actor: Any,
        comment: str,
        outcome: str,
        reasons: str,
        granted_amount: Decimal | None = None,
    ) -> None:
        effects.decision_facts_check(self, actor)
        require_choice("outcome", outcome, RectificationOutcome)
        now = timezone.now()  # one moment: the rectification and the decision it changes
        rectification = self.rectifications.get(decided_at__isnull=True)
        if outcome == RectificationOutcome.CHANGED:
            if granted_amount is None:
                raise ValidationError({"granted_amount": _("Give the changed amount.")})
            new_outcome = effects.outcome_for(self, granted_amount)
            granted_amount = effects.decision_check(self, new_outcome, granted_amount, reasons)
            effects.decision_record(self, actor, new_outcome, granted_amount, reasons, at=now)
        elif not reasons.strip():
            raise ValidationError({"reasons": _("A decision must give its reasons.")})
        else:
            effects.decision_record(
                self, actor, self.outcome, self.granted_amount, self.reasons, at=now
            )
        effects.rectification_record(rectification, actor, outcome, reasons, at=now)

    @transition(
        state,
        source=S.NOTIFIED,
        target=S.LEGALLY_VALID,
        conditions=[effects.appeal_period_passed],
        permission=fsm_permission(r.is_system | r.is_preparer),
    )
    def become_legally_valid(self, *, actor: Any, comment: str) -> None:
        self.legally_valid_on = timezone.localdate()
        deadlines.deadline_close(self, kind="appeal_period_ends")
        if self.granted_amount:
            payable = effects.decision_payable(self)
            outbox.notify(
                officials_of(self.call.public_body_id, OfficialRole.Role.FINANCE),
                kind="decision_payable",
                key=f"application:{self.pk}:payable:{self.legally_valid_on.isoformat()}",
                context={
                    "title": self.title,
                    "decision_number": self.decision_number,
                    "amount": str(self.granted_amount),
                    "association": self.association.name,
                    "valid_on": self.legally_valid_on,
                    "path": page_path(payable, Audience.FINANCE),
                },
                legally_significant=True,
            )

    # --- payment, report, closing ----------------------------------------------------------

    @transition(
        state,
        source=S.LEGALLY_VALID,
        target=RETURN_VALUE(S.LEGALLY_VALID, S.PAID),
        conditions=[effects.has_money_to_pay],
        permission=fsm_permission(r.is_finance),
    )
    def record_payment(
        self,
        *,
        actor: Any,
        comment: str,
        payable_id: int | None = None,
        amount: Decimal,
        paid_on: date,
        reference: str = "",
        batch_item_id: int | None = None,
    ) -> str:
        """A payment on the decision's payable (or the one named); paid in full, the
        application waits for its report."""
        if payable_id is None:
            payable = effects.decision_payable(self)
        else:
            payable = self.payables.filter(pk=payable_id).first()
            if payable is None:
                raise ValidationError({"payable_id": _("Not a payable of this application.")})
        money.payment_record(
            payable,
            actor=actor,
            amount=amount,
            paid_on=paid_on,
            reference=reference,
            batch_item_id=batch_item_id,
        )
        if any(p.amount > money.paid_total(p) for p in self.payables.all()):
            return self.S.LEGALLY_VALID
        self.report_due_on = self.call.report_due_date(paid_on)
        self.open_deadline("report_due", self.report_due_on)
        return self.S.PAID

    @transition(
        state,
        source=[S.LEGALLY_VALID, S.PAID, S.REPORT_SUBMITTED, S.REPORT_RETURNED, S.CLOSED],
        target=RETURN_VALUE(S.LEGALLY_VALID),
        permission=fsm_permission(r.is_finance),
    )
    def reverse_payment(self, *, actor: Any, comment: str, payment_id: int, reason: str) -> str:
        """A wrong payment corrected by a reversing entry. Money is left to pay again, so an
        application paid in full is legally valid again, waiting for its money, and its report
        deadline is cancelled: the report is due a set time after the payment
        (Call.report_due_date), which is still to be made. Once the association has reported
        on the money the payment stands: reversing it would undo what the report accounts
        for."""
        if FollowUpReport.objects.filter(application=self).exists():
            raise ValidationError(
                _(
                    "The association has already reported on the use of this grant, so its "
                    "payments can no longer be reversed."
                )
            )
        money.payment_reverse(self, actor=actor, payment_id=payment_id, reason=reason)
        if self.state == self.S.PAID:
            self.report_due_on = None
            deadlines.deadline_close(self, kind="report_due", status=Deadline.Status.CANCELLED)
        return self.S.LEGALLY_VALID

    @transition(
        state,
        source=[S.PAID, S.REPORT_RETURNED],
        target=S.REPORT_SUBMITTED,
        permission=fsm_permission(r.is_representative),
    )
    def submit_report(
        self, *, actor: Any, comment: str, activities: str, amount_used: Decimal
    ) -> None:
        mandate_require(actor, self, Act.REPORT)
        if amount_used < 0:
            raise ValidationError({"amount_used": _("The amount used cannot be negative.")})
        if not activities.strip():
            raise ValidationError({"activities": _("Describe what the grant was used for.")})
        if amount_used > self.granted_amount:
            raise ValidationError({"amount_used": _("More than was granted.")})
        FollowUpReport.objects.update_or_create(
            application=self,
            defaults={
                "activities": activities,
                "amount_used": amount_used,
                "submitted_by": actor,
                "submitted_at": timezone.now(),
            },
        )
        deadlines.deadline_close(self, kind="report_due")

    @transition(
        state,
        source=S.REPORT_SUBMITTED,
        target=S.REPORT_RETURNED,
        permission=fsm_permission(r.is_preparer),
    )
    def return_report(self, *, actor: Any, comment: str, due_on: date | None = None) -> None:
        if not comment.strip():
            raise ValidationError({"comment": _("Say what the report lacks.")})
        self.report_due_on = future_due_date(due_on)
        self.open_deadline("report_due", self.report_due_on)
        effects.tell_association(
            self,
            "report_returned",
            f"report-returned:{timezone.now().isoformat()}",
            request=comment,
            due_on=self.report_due_on,
        )

    @transition(
        state, source=S.REPORT_SUBMITTED, target=S.CLOSED, permission=fsm_permission(r.is_preparer)
    )
    def accept_report(self, *, actor: Any, comment: str) -> None:
        FollowUpReport.objects.filter(application=self).update(
            accepted_by=actor, accepted_at=timezone.now()
        )

    @transition(
        state,
        source=S.LEGALLY_VALID,
        target=S.CLOSED,
        conditions=[effects.nothing_granted],
        permission=fsm_permission(r.is_system | r.is_preparer),
    )
    def close(self, *, actor: Any, comment: str) -> None:
        pass


class BudgetLine(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="budget_lines"
    )
    position = models.PositiveSmallIntegerField()
    description = models.CharField(_("description"), max_length=300)
    amount = models.DecimalField(_("amount (€)"), validators=POSITIVE, **MONEY)

    class Meta:
        ordering = ["application", "position"]
        constraints = [
            models.UniqueConstraint(fields=["application", "position"], name="unique_budget_line")
        ]

    def __str__(self) -> str:
        return f"{self.description}: {self.amount} €"


class PremisesUse(models.Model):
    """In-kind support of a granted application: free use of an entry of the body's catalogue
    of premises (premises.models) for a number of hours in a year, set by the body's officials
    (grants.in_kind) and counted in the yearly association report."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="premises_uses"
    )
    premises = models.ForeignKey(
        Premises,
        on_delete=models.PROTECT,
        related_name="grant_uses",
        verbose_name=_("premises"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=8,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.1"))],
    )

    class Meta:
        verbose_name = _("in-kind premises use")
        verbose_name_plural = _("in-kind premises uses")
        ordering = ["application", "year", "premises"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "premises", "year"], name="unique_premises_use"
            ),
            models.CheckConstraint(condition=Q(hours__gt=0), name="premises_use_hours_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.premises} {self.year}: {self.hours} h"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # Named by the migrations that created the table; new uploads use the engine's path.
    return workflow_attachment_path(instance, filename)


class Attachment(AttachmentBase):
    owner_field = "application"
    upload_folder = "attachments"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments"
    )

    class Meta(AttachmentBase.Meta):
        pass


class Rectification(models.Model):
    """A request for rectification (oikaisuvaatimus) and its decision."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="rectifications"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    filed_at = models.DateTimeField(default=timezone.now)
    grounds = models.TextField()
    # The decision as it stood when the request was filed; deciding the request changes it.
    original_decided_at = models.DateTimeField(null=True, blank=True)
    original_granted_amount = models.DecimalField(null=True, blank=True, **MONEY)
    outcome = models.CharField(max_length=20, choices=RectificationOutcome.choices, blank=True)
    reasons = models.TextField(blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # A rectification decision is a decision of its own: its own number and section.
    decision_number = models.CharField(_("decision number"), max_length=30, blank=True)
    decision_section = models.CharField(_("section"), max_length=20, blank=True)

    class Meta:
        ordering = ["filed_at"]

    def __str__(self) -> str:
        return f"Rectification of {self.application_id} filed {self.filed_at:%Y-%m-%d}"


class FollowUpReport(models.Model):
    """The association's report (loppuselvitys) on how the grant was used."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="report")
    activities = models.TextField(_("what was done"))
    amount_used = models.DecimalField(_("amount used (€)"), **MONEY)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Report on application {self.application_id}"


class RoundDecision(models.Model):
    """One action that decided a call's applications together (grants.rounds): by the
    decision-maker on their own, or recorded by them for a board, whose meeting date and the
    section of its minutes are kept (Local Government Act 140 §: the minutes are the board's
    record). Each application still has its own decision, number and section."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="round_decisions")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now)
    board = models.CharField(_("board"), max_length=200, blank=True)
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    meeting_section = models.CharField(_("section of the minutes"), max_length=20, blank=True)
    applications = models.ManyToManyField(Application, related_name="round_decisions")

    class Meta:
        verbose_name = _("round decision")
        verbose_name_plural = _("round decisions")
        ordering = ["-decided_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(board="", meeting_date__isnull=True, meeting_section="")
                | (~Q(board="") & Q(meeting_date__isnull=False) & ~Q(meeting_section="")),
                name="round_board_has_meeting",
            )
        ]

    def __str__(self) -> str:
        return f"{self.call} {self.decided_at:%Y-%m-%d}"


class ReasonText(models.Model):
    """A reason the body gives often ("The activity is not within the call's purpose."),
    picked on the round page instead of typed anew."""

    public_body = models.ForeignKey(
        PublicBody, on_delete=models.CASCADE, related_name="reason_texts"
    )
    text = models.TextField(_("text"))
    text_sv = models.TextField(_("text in Swedish"), blank=True)

    class Meta:
        verbose_name = _("reason text")
        verbose_name_plural = _("reason texts")
        ordering = ["public_body", "text"]

    def __str__(self) -> str:
        return self.text[:60]
