"""How the partnership pages name states, sides, kinds, steps and audited actions (each
state with its badge's tone), and write people, figures, dates and money."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext as _

from agreements.models import Agreement, AgreementVersion, Evaluation, Resource, Side
from organisations.models import OfficialRole
from workflow import formats

S = AgreementVersion.State
A = Agreement.State
E = Evaluation.State


AGREEMENT_STATES = {
    A.DRAFT: (pgettext_lazy("agreement state", "Being negotiated"), "info"),
    A.SIGNED: (pgettext_lazy("agreement state", "Signed, not yet in force"), "info"),
    A.ACTIVE: (pgettext_lazy("agreement state", "Active"), "success"),
    A.RENEWAL_DUE: (pgettext_lazy("agreement state", "Renewal due"), "warning"),
    A.TERMINATING: (pgettext_lazy("agreement state", "Terminated, notice running"), "warning"),
    A.RENEWED: (pgettext_lazy("agreement state", "Renewed"), "success"),
    A.ENDED: (pgettext_lazy("agreement state", "Ended"), "neutral"),
    A.CANCELLED: (pgettext_lazy("agreement state", "Cancelled"), "neutral"),
}
VERSION_STATES = {
    S.DRAFT: (pgettext_lazy("version state", "Draft"), "neutral"),
    S.NEGOTIATION: (pgettext_lazy("version state", "In negotiation"), "info"),
    S.AGREED: (pgettext_lazy("version state", "Agreed by both sides"), "info"),
    S.IN_REVIEW: (pgettext_lazy("version state", "In review"), "info"),
    S.APPROVED: (pgettext_lazy("version state", "Approved"), "success"),
    S.AWAITING_SIGNATURES: (pgettext_lazy("version state", "Awaiting signatures"), "warning"),
    S.IN_FORCE: (pgettext_lazy("version state", "In force"), "success"),
    S.SUPERSEDED: (pgettext_lazy("version state", "Superseded by an amendment"), "neutral"),
    S.COUNTERED: (pgettext_lazy("version state", "Replaced by a counter-proposal"), "neutral"),
    S.REJECTED: (pgettext_lazy("version state", "Rejected"), "danger"),
    S.WITHDRAWN: (pgettext_lazy("version state", "Withdrawn"), "neutral"),
}
EVALUATION_STATES = {
    E.SCHEDULED: (pgettext_lazy("evaluation state", "Scheduled"), "neutral"),
    E.DUE: (pgettext_lazy("evaluation state", "Due"), "warning"),
    E.SUBMITTED: (pgettext_lazy("evaluation state", "Submitted"), "info"),
    E.EVALUATED: (pgettext_lazy("evaluation state", "Evaluated"), "success"),
    E.CANCELLED: (pgettext_lazy("evaluation state", "Cancelled"), "neutral"),
}
MEETING_STATUSES = {
    "scheduled": (pgettext_lazy("meeting", "Scheduled"), "info"),
    "held": (pgettext_lazy("meeting", "Held"), "success"),
    "missed": (pgettext_lazy("meeting", "Missed: not recorded as held"), "danger"),
    "cancelled": (pgettext_lazy("meeting", "Cancelled"), "neutral"),
}
SIDES = {
    Side.PUBLIC_BODY: pgettext_lazy("side", "The public body"),
    Side.ASSOCIATION: pgettext_lazy("side", "The association"),
}
KINDS = {
    Resource.Kind.MONEY: pgettext_lazy("resource kind", "Money"),
    Resource.Kind.PREMISES: pgettext_lazy("resource kind", "Free premises"),
    Resource.Kind.STAFF: pgettext_lazy("resource kind", "Staff time"),
}
HOURS_PER = {
    Resource.Per.WEEK: pgettext_lazy("hours", "a week"),
    Resource.Per.YEAR: pgettext_lazy("hours", "a year"),
}
OUTCOMES = {
    AgreementVersion.Outcome.APPROVED: pgettext_lazy("decision outcome", "Approved"),
    AgreementVersion.Outcome.REJECTED: pgettext_lazy("decision outcome", "Rejected"),
}
STEP_OUTCOMES = {
    "proposed": pgettext_lazy("step outcome", "Proposed"),
    **OUTCOMES,
}
ROLES = {
    OfficialRole.Role.PREPARER: pgettext_lazy("role", "Preparer"),
    OfficialRole.Role.DECISION_MAKER: pgettext_lazy("role", "Decision-maker"),
    OfficialRole.Role.LIAISON: pgettext_lazy("role", "Liaison"),
    OfficialRole.Role.FINANCE: pgettext_lazy("role", "Finance"),
    OfficialRole.Role.ADMINISTRATOR: pgettext_lazy("role", "Administrator"),
}
# What the history calls each audited action.
ACTIONS = {
    "create": pgettext_lazy("history", "Created"),
    "edit": pgettext_lazy("history", "Draft edited"),
    "comment": pgettext_lazy("history", "Commented"),
    "attach": pgettext_lazy("history", "File attached"),
    "propose": pgettext_lazy("history", "Proposed to the other side"),
    "accept": pgettext_lazy("history", "Accepted"),
    "set_aside": pgettext_lazy("history", "Replaced by a counter-proposal"),
    "withdraw": pgettext_lazy("history", "Withdrawn"),
    "submit_for_review": pgettext_lazy("history", "Submitted for review"),
    "record_step": pgettext_lazy("history", "Review step recorded"),
    "return_to_negotiation": pgettext_lazy("history", "Returned to negotiation"),
    "decide": pgettext_lazy("history", "Decided"),
    "sign": pgettext_lazy("history", "Signed"),
    "supersede": pgettext_lazy("history", "Superseded by an amendment"),
    "await_term": pgettext_lazy("history", "Signed; in force from the term's first day"),
    "activate": pgettext_lazy("history", "Came into force"),
    "open_renewal": pgettext_lazy("history", "Renewal due"),
    "renew": pgettext_lazy("history", "Renewal drafted"),
    "terminate": pgettext_lazy("history", "Notice of termination given"),
    "end": pgettext_lazy("history", "Ended"),
    "cancel": pgettext_lazy("history", "Cancelled"),
    "propose_cancellation": pgettext_lazy("history", "Cancellation proposed"),
    "withdraw_cancellation": pgettext_lazy("history", "Proposal to cancel withdrawn"),
    "decline_cancellation": pgettext_lazy("history", "Cancellation declined"),
    "agree_cancellation": pgettext_lazy("history", "Cancelled as both sides agreed"),
    "cancel_by_decision": pgettext_lazy("history", "Cancelled by the public body's decision"),
    "record_payment": pgettext_lazy("history", "Instalment paid"),
    "reverse_payment": pgettext_lazy("history", "Instalment payment reversed"),
    "record_meeting": pgettext_lazy("history", "Meeting recorded as held"),
    "schedule_meeting": pgettext_lazy("history", "Meeting scheduled"),
    "set_contacts": pgettext_lazy("history", "Contact person named"),
    "request_rectification": pgettext_lazy("history", "Request for rectification filed"),
    "decide_rectification": pgettext_lazy("history", "Request for rectification decided"),
    "open": pgettext_lazy("history", "Evaluation opened"),
    "submit": pgettext_lazy("history", "Evaluation submitted"),
    "return_evaluation": pgettext_lazy("history", "Evaluation returned"),
    "evaluate": pgettext_lazy("history", "Evaluated"),
    "declare_disqualification": pgettext_lazy("history", "Conflict of interest declared"),
}


@dataclass(frozen=True)
class Badge:
    label: Any
    tone: str


def badge(states: dict, value: str) -> Badge:
    label, tone = states.get(value, (value, "neutral"))
    return Badge(label, tone)


def agreement_badge(agreement: Agreement) -> Badge:
    """The agreement's state; a signed one says the day its term begins."""
    if agreement.state == A.SIGNED and agreement.starts_on is not None:
        label = _("Signed, starts on %(day)s") % {
            "day": formats.local_date(agreement.starts_on, get_language())
        }
        return Badge(label, "info")
    return badge(AGREEMENT_STATES, agreement.state)


def name_of(user: Any) -> str:
    if user is None:
        return _("System")
    return user.display_name


def figure(value: Decimal | None) -> str:
    """A target or a number of hours as the language writes it (workflow.formats.number)."""
    return formats.number(value, get_language())


def local_date(value: date | None) -> str:
    return formats.local_date(value, get_language())


def money(value: Decimal | None) -> str:
    return formats.money(value, get_language())
