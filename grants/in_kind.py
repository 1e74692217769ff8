"""In-kind support of a grant: free use of an entry of the body's catalogue of premises for a
number of hours in a year (`PremisesUse`), set by the body's preparer or decision-maker with
the proposal and the decision, shown with the decision and counted in the yearly
association report (association_report.premises_hours). Each change is audited on the
application."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grants.choices import GRANTED
from grants.models import Application, PremisesUse
from premises.models import Premises
from premises.services import premises_of_body_check
from workflow import rules as r
from workflow.audit import action_record
from workflow.errors import TransitionConflict

# Where in-kind support may be set: with the proposal (in review), or on a decision that
# granted support; never on a withdrawn, expired or rejected application.
S = Application.State
AFTER_DECISION = (
    S.DECIDED,
    S.NOTIFIED,
    S.UNDER_RECTIFICATION,
    S.LEGALLY_VALID,
    S.PAID,
    S.REPORT_SUBMITTED,
    S.REPORT_RETURNED,
    S.CLOSED,
)
YEARS = range(2000, 2201)
MAX_HOURS = Decimal("8784")  # every hour of a leap year


def may_set(user: Any, application: Application) -> bool:
    """With the proposal (in review) the body's preparers and decision-makers set in-kind
    support; once decided, only a decision-maker: support given on a decision is the
    decision-maker's to give, as the decision is (Administrative Procedure Act 45 §). Nobody
    else, an association's people included."""
    if application.state == S.IN_REVIEW:
        return (r.is_preparer | r.is_decision_maker).test(user, application)
    return r.is_decision_maker.test(user, application)


def in_kind_stands(application: Application) -> bool:
    """Whether its in-kind support stands (is shown, and may be set): proposed while it is in
    review, granted on a decision that granted support; hours proposed for an application then
    rejected are not support. Only granted hours are counted
    (association_report.premises_hours)."""
    if application.state == S.IN_REVIEW:
        return True
    return application.state in AFTER_DECISION and application.outcome in GRANTED


@transaction.atomic
def in_kind_set(
    application: Application, *, user: Any, premises: Premises, year: int, hours: Decimal
) -> PremisesUse | None:
    """Set the hours of free use of `premises` in `year` granted with the application (0
    removes them). The entry must be an active one of the call's body's catalogue."""
    application = (
        Application.objects.select_for_update().select_related("call").get(pk=application.pk)
    )
    if not may_set(user, application):
        raise PermissionDenied(_("Only the public body's preparers and decision-makers do this."))
    if not in_kind_stands(application):
        raise TransitionConflict(
            _("In-kind support is set with the proposal or on a decision that grants support."),
            "not_granted",
        )
    premises_of_body_check(premises, application.public_body_id, field="premises")
    errors = {}
    if not premises.active:
        errors["premises"] = _("The premises “%(name)s” are no longer lent.") % {
            "name": premises.name
        }
    if year not in YEARS:
        errors["year"] = _("Give a year from 2000 to 2200.")
    if hours < 0 or hours > MAX_HOURS:
        errors["hours"] = _("Give the hours of the year, from 0 to 8784.")
    if errors:
        raise ValidationError(errors)
    data = {"premises": premises.pk, "year": year, "hours": str(hours)}
    if not hours:
        removed, _rows = PremisesUse.objects.filter(
            application=application, premises=premises, year=year
        ).delete()
        if removed:
            action_record(application, action="in_kind_remove", actor=user, data=data)
        return None
    use, _created = PremisesUse.objects.update_or_create(
        application=application, premises=premises, year=year, defaults={"hours": hours}
    )
    action_record(application, action="in_kind_set", actor=user, data=data)
    return use


def in_kind_of(application: Application) -> list[PremisesUse]:
    """The application's in-kind support, by year and premises name."""
    return list(
        application.premises_uses.select_related("premises").order_by("year", "premises__name")
    )
