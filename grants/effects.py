"""What the application's transitions do beyond changing its state, and the conditions they
check: called from the transition methods in grants.models, so always inside
`transition_perform`'s transaction with the application's row locked (the same pattern as
agreements.effects).

The model imports this module (its transitions name these functions), so it imports the models
only for typing and reaches a model through the record it is given (`type(app)`,
`type(app.call)`)."""

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from finance import payables
from grants.choices import Channel, Outcome
from organisations.facts import DECISION, NOTIFICATION, facts_require
from organisations.registers import section_take
from organisations.selectors import representatives_of
from workflow import formats, outbox
from workflow.links import Audience, page_path
from workflow.time_limits import appeal_dates
from workflow.validation import require_choice

if TYPE_CHECKING:
    from grants.models import Application, Rectification


def _money(amount: Decimal) -> str:
    """A sum in a message, the way the person reading it writes money (5 000,00 €, €5,000.00)."""
    return formats.money(amount, translation.get_language())


# --- conditions (each says why it failed: the API's 409 message) ------------------------------


def call_is_open(app: "Application") -> bool:
    return app.call.is_open()


call_is_open.message = _("The call is not open for applications.")


def call_has_closed(app: "Application") -> bool:
    return timezone.now() >= app.call.closes_at


call_has_closed.message = _("The call has not closed yet.")


def within_appeal_period(app: "Application") -> bool:
    return app.appeal_ends_on is not None and timezone.localdate() <= app.appeal_ends_on


within_appeal_period.message = _("The period for a request for rectification has ended.")


def rectification_not_yet_decided(app: "Application") -> bool:
    return not app.rectification_decided


rectification_not_yet_decided.message = _(
    "A request for rectification was already decided; the next step is the administrative court."
)


def appeal_period_passed(app: "Application") -> bool:
    return app.appeal_ends_on is not None and timezone.localdate() > app.appeal_ends_on


appeal_period_passed.message = _("The appeal period has not ended yet.")


def has_money_to_pay(app: "Application") -> bool:
    return (app.granted_amount or 0) > 0


has_money_to_pay.message = _("Nothing was granted, so nothing is to be paid.")


def nothing_granted(app: "Application") -> bool:
    return app.granted_amount == 0


nothing_granted.message = _(
    "Money was granted: the application closes when its report is accepted."
)


def decision_facts_check(app: "Application", maker: Any) -> None:
    """A decision states the body's facts and its maker's title in the association's
    language (Administrative Procedure Act 44 §): refused while any is missing."""
    facts_require(app.call.public_body, DECISION, maker=maker, language=app.association.language)


def notification_facts_check(app: "Application") -> None:
    """The decision sent says where a request for rectification is filed (Local Government
    Act 134 §, 139 §): refused while the body has no registry to name."""
    facts_require(app.call.public_body, NOTIFICATION)


# --- telling the association -----------------------------------------------------------------


def tell_association(app: "Application", kind: str, key: str, **context: Any) -> None:
    """A legally significant message to the association's representatives about the
    application, once per `key`, linking to its page."""
    outbox.notify(
        representatives_of(app.association_id),
        kind=kind,
        key=f"application:{app.pk}:{key}",
        context={
            "title": app.title,
            "path": page_path(app, Audience.ASSOCIATION),
            **context,
        },
        legally_significant=True,
    )


def current_decision_number(app: "Application") -> str:
    """The number of the application's latest decision: a decision on a request for
    rectification has its own (`rectification_record`), made at the same moment it changed
    or upheld the grant decision; else the grant decision's."""
    rectification = app.rectifications.filter(decided_at=app.decided_at).first()
    return rectification.decision_number if rectification else app.decision_number


def decision_send(app: "Application") -> None:
    """The decision as a message to the association's representatives and its contact
    address, once per decision (Act 13/2003 19 §); grants.notification encloses the document
    and records the day it goes."""
    context = {
        "title": app.title,
        "application_id": app.pk,
        "decision_number": current_decision_number(app),
        "path": page_path(app, Audience.ASSOCIATION),
    }
    message = {"kind": "decision_notified", "key": app.decision_message_key}
    outbox.notify(
        representatives_of(app.association_id),
        context=context,
        legally_significant=True,
        **message,
    )
    outbox.notify_address(
        app.association.email,
        language=app.association.language,
        context=context,
        **message,
    )


# --- the application and the decision --------------------------------------------------------


def request_check(app: "Application") -> None:
    """What an application must say before it is sent: its purpose, an amount the call
    allows, and a budget whose costs cover it."""
    if not app.purpose.strip():
        raise ValidationError({"purpose": _("Describe what the grant is for.")})
    if app.requested_amount > app.call.max_per_application:
        raise ValidationError(
            {
                "requested_amount": _("The call grants at most %(maximum)s per application.")
                % {"maximum": _money(app.call.max_per_application)}
            }
        )
    costs = sum((line.amount for line in app.budget_lines.all()), Decimal(0))
    if costs < app.requested_amount:
        raise ValidationError(
            {
                "budget_lines": _("The budget's costs (%(costs)s) must cover the requested amount.")
                % {"costs": _money(costs)}
            }
        )


def outcome_for(app: "Application", amount: Decimal) -> str:
    """The outcome a granted amount makes: nothing is a rejection, what was applied for an
    approval, anything between a partial approval."""
    if amount == 0:
        return Outcome.REJECTED
    if amount == app.requested_amount:
        return Outcome.APPROVED
    return Outcome.PARTIALLY_APPROVED


def decision_check(app: "Application", outcome: str, amount: Decimal, reasons: str) -> Decimal:
    """The amount a decision grants, checked against what was applied for and the call's
    budget."""
    require_choice("outcome", outcome, Outcome)
    # Administrative Procedure Act 45 §: a decision states its reasons.
    if not reasons.strip():
        raise ValidationError({"reasons": _("A decision must give its reasons.")})
    if outcome == Outcome.REJECTED:
        return Decimal(0)
    if amount <= 0:
        raise ValidationError({"granted_amount": _("Grant a positive amount, or reject.")})
    if amount > app.requested_amount:
        raise ValidationError({"granted_amount": _("More than was applied for.")})
    if outcome == Outcome.APPROVED and amount != app.requested_amount:
        raise ValidationError({"outcome": _("Granting less than requested is a partial approval.")})
    if outcome == Outcome.PARTIALLY_APPROVED and amount == app.requested_amount:
        raise ValidationError({"outcome": _("The full amount is an approval.")})
    _budget_check(app, amount)
    return amount


def _budget_check(app: "Application", amount: Decimal) -> None:
    # Locking the call serialises every decision in it, so two decisions committing at the
    # same moment cannot both fit into the same remaining budget.
    call = type(app.call).objects.select_for_update().get(pk=app.call_id)
    granted = type(app).objects.filter(call=call, granted_amount__isnull=False).exclude(
        pk=app.pk
    ).aggregate(total=Sum("granted_amount"))["total"] or Decimal(0)
    if granted + amount > call.budget:
        raise ValidationError(
            {
                "granted_amount": _("Only %(left)s of the call's budget is left.")
                % {"left": _money(call.budget - granted)}
            }
        )


def decision_record(
    app: "Application", actor: Any, outcome: str, amount: Decimal, reasons: str, at: datetime
) -> None:
    """The decision's facts on the application; its number and its section in the body's
    register of decisions are given once, for good."""
    app.outcome = outcome
    app.granted_amount = amount
    app.reasons = reasons
    app.decided_at = at
    app.decided_by = actor
    # The grant decision's number and section name it for good: a decision on a request for
    # rectification changes or upholds it under a number of its own (rectification_record).
    if not app.decision_number:
        day = timezone.localtime(at).date()
        app.decision_number = f"AV-{day:%Y}-{app.pk:05d}"
        app.decision_section = section_take(app.call.public_body, day)
    app.notified_on = app.deemed_received_on = app.appeal_ends_on = None
    app.notification_channel = ""


def rectification_record(
    rectification: "Rectification", actor: Any, outcome: str, reasons: str, at: datetime
) -> None:
    """The decision on a request for rectification: a decision of its own, with its own
    number (OV-, the grant decision's scheme with the rectification's own sequence) and the
    next section of the body's register; the decision it reviews keeps its number."""
    rectification.outcome = outcome
    rectification.reasons = reasons
    rectification.decided_by = actor
    rectification.decided_at = at
    day = timezone.localtime(at).date()
    rectification.decision_number = f"OV-{day:%Y}-{rectification.pk:05d}"
    rectification.decision_section = section_take(rectification.application.call.public_body, day)
    rectification.save()


def sending_record(app: "Application", sent_on: date) -> None:
    """The day the decision was sent, and the dates that follow from it: deemed received
    (Local Government Act 139 §: the 7th day after a letter, the 3rd after an electronic
    message) and the last day of the appeal period, whose deadline moves with them."""
    app.notified_on = sent_on
    app.deemed_received_on, app.appeal_ends_on = appeal_dates(
        sent_on,
        electronic=app.notification_channel == Channel.ELECTRONIC,
        period_days=app.appeal_period_days,
    )
    app.open_deadline("appeal_period_ends", app.appeal_ends_on)


# --- money -------------------------------------------------------------------------------------


def decision_payable(app: "Application") -> Any:
    """The granted money as finance's payable, opened once per decision (a rectification
    keeps the decision number and comes before legal validity)."""
    return payables.payable_open(
        app,
        source=f"decision:{app.decision_number}",
        public_body_id=app.call.public_body_id,
        association_id=app.association_id,
        amount=app.granted_amount,
        decision_number=app.decision_number,
        decided_on=timezone.localtime(app.decided_at).date(),
        payable_on=app.legally_valid_on,
        title=app.call.name,
        cost_centre=app.call.cost_centre,
        account=app.call.account,
    )
