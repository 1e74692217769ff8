"""What a public body must have on record before it may decide, notify or pay.

A decision states who decided and where to appeal (Administrative Procedure Act 44 §, Local
Government Act 133 §); a notification says where a request for rectification is filed; a
payment file names the payer's account. `missing_facts` names what is still to be filled in,
in the reader's language, so the refusal can say exactly that (docs/domain.md).
"""

from typing import Any

from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisations.languages import BASE_LANGUAGE, in_language
from organisations.models import OfficialRole, PublicBody
from workflow.errors import TransitionConflict

DECISION = "decision"
NOTIFICATION = "notification"
PAYMENT = "payment"

# purpose -> (field, what to fill in); a value the settings supply for every body is not here.
REQUIRED = {
    DECISION: [
        ("name", gettext_lazy("name")),
        ("business_id", gettext_lazy("business ID")),
        ("registry_address", gettext_lazy("registry address")),
        ("registry_email", gettext_lazy("registry email")),
    ],
    NOTIFICATION: [
        ("registry_address", gettext_lazy("registry address")),
        ("registry_email", gettext_lazy("registry email")),
    ],
    PAYMENT: [
        ("payer_iban", gettext_lazy("payer IBAN")),
        ("payer_bic", gettext_lazy("payer BIC")),
    ],
}

# What the refusal asks for, per purpose (the facts go in as "registry address and email").
ASK = {
    DECISION: gettext_lazy("Fill in the body's %(facts)s before deciding."),
    NOTIFICATION: gettext_lazy("Fill in the body's %(facts)s before sending the decision."),
}


def missing_facts(body: PublicBody, purpose: str) -> list[str]:
    """What `body` lacks for `purpose` (DECISION, NOTIFICATION, PAYMENT), named for a person."""
    return [str(label) for field, label in REQUIRED[purpose] if not _value(body, field)]


def _value(body: PublicBody, field: str) -> str:
    # The payer's account may still be the process default (PublicBody.payer).
    if field.startswith("payer_"):
        return getattr(body.payer, field.removeprefix("payer_"))
    return getattr(body, field)


def official_title(user: Any, body: PublicBody, language: str = BASE_LANGUAGE) -> str:
    """The title a document states under the person's name in `body`'s matters, in `language`
    or else in Finnish (organisations.languages): of their decision-maker role, or else of
    any role they hold in the body with a title; "" when none has one."""
    if user is None or getattr(user, "pk", None) is None:
        return ""
    roles = OfficialRole.objects.filter(user_id=user.pk, public_body=body)
    titles = [
        in_language(role, "title", language)
        for role in sorted(roles, key=lambda role: role.role != OfficialRole.Role.DECISION_MAKER)
    ]
    return next((title for title in titles if title), "")


def facts_require(
    body: PublicBody, purpose: str, *, maker: Any = None, language: str = BASE_LANGUAGE
) -> None:
    """Refuse (TransitionConflict, a 409 whose message the pages show) a decision or a
    notification while `body` lacks what the document must state, or, when a decision's
    `maker` is given, while the decision-maker has no title to sign with (Administrative
    Procedure Act 44 §: a decision names who made it). Raised inside the transition, so
    nothing it wrote is saved; not declared as the transition's condition, which would take
    the action off the page instead of saying what to fill in."""
    reasons = []
    missing = missing_facts(body, purpose)
    if missing:
        reasons.append(ASK[purpose] % {"facts": get_text_list(missing, _("and"))})
    if maker is not None and not official_title(maker, body, language):
        reasons.append(
            _("Fill in the decision-maker's title in their official role before deciding.")
        )
    if reasons:
        raise TransitionConflict(" ".join(reasons), "missing_facts")
