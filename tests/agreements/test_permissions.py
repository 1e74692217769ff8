"""Who may perform which transition of an agreement version, an agreement and an evaluation.

For every transition the record is first brought to the transition's source state, then every
role tries it in a savepoint that is rolled back: the allowed ones change the state and leave
exactly one audit row, the others get PermissionDenied and nothing is saved, and
`available_transitions` offers the transition to exactly the allowed ones. A version's
negotiation depends on who wrote it, so the version's matrix runs for a version written by the
association and for one written by the public body.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from agreements import services
from agreements.models import (
    Agreement,
    AgreementVersion,
    Evaluation,
    GoalResult,
    Meeting,
    Signature,
    VersionComment,
)
from organisations.models import AssociationRole, OfficialRole
from tests.agreements.builders import act, at, fresh, log_of, version_of
from tests.factories import PublicBodyFactory, UserFactory, grant_role, represent
from workflow.actors import SYSTEM
from workflow.models import Deadline, Notification, TransitionLog
from workflow.transitions import available_transitions, transition_names, transition_perform

pytestmark = pytest.mark.django_db

ROLES = [
    "representative",
    "signatory",  # signs for the association, does not negotiate
    "foreign_representative",  # represents (and signs for) another association
    "liaison",
    "preparer",
    "decision_maker",
    "finance",
    "administrator",
    "foreign_official",  # holds every official role, in another public body
    "system",
]

# The side that wrote the version acts through its people: the representative for the
# association, the liaison for the public body. "author" and "other" stand for them.
SIDE_ROLE = {"association": "representative", "public_body": "liaison"}
OTHER_SIDE = {"association": "public_body", "public_body": "association"}

VERSION_ALLOWED: dict[str, set[str]] = {
    "propose": {"author"},
    "accept": {"other"},
    "set_aside": {"system"},  # only as the effect of a counter-proposal
    "withdraw": {"author", "system"},
    "submit_for_review": {"liaison"},
    # The agreement chain: the preparer proposes (record_step), the decision-maker decides.
    "record_step": {"preparer"},
    "return_to_negotiation": {"preparer"},
    "decide": {"decision_maker"},
    "sign": {"signatory", "decision_maker"},
    "supersede": {"system"},  # only as the effect of an amendment coming into force
    # A party requests the rectification of the decision; a decision-maker decides on it.
    "request_rectification": {"representative"},
    "decide_rectification": {"decision_maker"},
}

_REVIEW = ["propose", "accept", "submit_for_review"]
_DECIDED = [*_REVIEW, "record_step", "decide"]
VERSION_PATHS: dict[str, list[str]] = {
    "propose": [],
    "accept": ["propose"],
    "set_aside": ["propose"],
    "withdraw": [],
    "submit_for_review": ["propose", "accept"],
    "record_step": _REVIEW,
    "return_to_negotiation": _REVIEW,
    "decide": [*_REVIEW, "record_step"],
    "sign": _DECIDED,
    "supersede": [*_DECIDED, "sign"],
    "request_rectification": _DECIDED,
    "decide_rectification": [*_DECIDED, "request_rectification"],
}

V = AgreementVersion.State
VERSION_TARGET = {
    "propose": V.NEGOTIATION,
    "accept": V.AGREED,
    "set_aside": V.COUNTERED,
    "withdraw": V.WITHDRAWN,
    "submit_for_review": V.IN_REVIEW,
    "record_step": V.IN_REVIEW,
    "return_to_negotiation": V.NEGOTIATION,
    "decide": V.APPROVED,
    # One signature of the three required: the version waits for the rest.
    "sign": V.AWAITING_SIGNATURES,
    "supersede": V.SUPERSEDED,
    "request_rectification": V.APPROVED,
    "decide_rectification": V.APPROVED,  # upheld
}

AGREEMENT_ALLOWED: dict[str, set[str]] = {
    # Only as the effect of the first version's last signature, or by the daily scan.
    "await_term": {"system"},
    "activate": {"system"},
    "open_renewal": {"system", "liaison"},
    "renew": {"liaison"},
    "terminate": {"liaison", "representative"},
    "end": {"system", "liaison"},
    "cancel": {"liaison", "representative"},
    # Signed before its term: a side proposes its cancellation (the association through
    # those who sign for it), the other agrees or declines; or the body decides to cancel it.
    "propose_cancellation": {"liaison", "signatory"},
    "withdraw_cancellation": {"signatory"},  # proposed by the association's signatory
    "decline_cancellation": {"liaison"},
    "agree_cancellation": {"liaison"},
    "cancel_by_decision": {"decision_maker"},
    # The body's decision to cancel: a party requests its rectification, the body decides it.
    "request_rectification": {"representative"},
    "decide_rectification": {"decision_maker"},
    "record_payment": {"finance"},
    "reverse_payment": {"finance"},
}

A = Agreement.State
AGREEMENT_TARGET = {
    "await_term": A.SIGNED,
    "activate": A.ACTIVE,
    "open_renewal": A.RENEWAL_DUE,
    "renew": A.RENEWED,
    "terminate": A.TERMINATING,
    "end": A.ENDED,
    "cancel": A.CANCELLED,
    "propose_cancellation": A.SIGNED,
    "withdraw_cancellation": A.SIGNED,
    "decline_cancellation": A.SIGNED,
    "agree_cancellation": A.CANCELLED,
    "cancel_by_decision": A.CANCELLED,
    "request_rectification": A.CANCELLED,
    "decide_rectification": A.CANCELLED,  # upheld
    "record_payment": A.ACTIVE,
    "reverse_payment": A.ACTIVE,
}

# The payment itself (the payable it is recorded on, the payment reversed) is tested with the
# finance path; here only that finance, and nobody else, gets past the permission check.
PERMISSION_ONLY = {"record_payment", "reverse_payment"}

EVALUATION_ALLOWED: dict[str, set[str]] = {
    "open": {"system", "liaison"},
    "submit": {"representative"},
    "return_evaluation": {"liaison"},
    "evaluate": {"liaison"},
    "cancel": {"system"},  # only as the effect of a re-plan or the agreement's end
}

E = Evaluation.State
EVALUATION_TARGET = {
    "open": E.DUE,
    "submit": E.SUBMITTED,
    "return_evaluation": E.DUE,
    "evaluate": E.EVALUATED,
    "cancel": E.CANCELLED,
}


@pytest.fixture
def actors(people, representative, signatories, foreign_association, foreign_representative):
    foreign_body = PublicBodyFactory()
    foreign_official = UserFactory(username="foreign_official")
    for role in OfficialRole.Role.values:
        grant_role(foreign_official, foreign_body, role)
    represent(foreign_representative, foreign_association, AssociationRole.Role.SIGNATORY)
    return {
        "representative": representative,
        "signatory": signatories[0],
        "foreign_representative": foreign_representative,
        "liaison": people["liaison"],
        "preparer": people["preparer"],
        "decision_maker": people["decision_maker"],
        "finance": people["finance"],
        "administrator": people["administrator"],
        "foreign_official": foreign_official,
        "system": SYSTEM,
    }


def _saved_rows() -> dict[str, int]:
    """What a refused transition must leave as it was."""
    models = (
        TransitionLog,
        Agreement,
        AgreementVersion,
        Signature,
        VersionComment,
        GoalResult,
        Deadline,
        Notification,
    )
    return {m.__name__: m.objects.count() for m in models}


def _attempt(record, name: str, actor, params: dict, target: str) -> str:
    """Try the transition in a savepoint that is rolled back, so every role starts alike."""
    source = record.state
    own_log = len(log_of(record))
    before = _saved_rows()
    comment = params.pop("comment", "")
    with transaction.atomic():
        try:
            done = transition_perform(record, name, actor=actor, comment=comment, params=params)
        except PermissionDenied:
            assert fresh(record).state == source
            assert _saved_rows() == before
            result = "refused"
        except Exception as exc:
            # Anything else is a wrong answer (shown by its name), except where only the
            # permission is tested: there any other outcome means the check was passed.
            result = "allowed" if name in PERMISSION_ONLY else type(exc).__name__
        else:
            assert done.state == target
            assert len(log_of(record)) == own_log + 1
            result = "allowed"
        transaction.set_rollback(True)
    return result


def _check(record, name: str, allowed: set[str], actors, params, target: str) -> None:
    expected = {role: "allowed" if role in allowed else "refused" for role in ROLES}
    offered = {role: name in available_transitions(record, actors[role]) for role in ROLES}
    performed = {
        role: _attempt(record, name, actors[role], params(record), target) for role in ROLES
    }
    assert performed == expected
    assert offered == {role: role in allowed for role in ROLES}


def test_matrix_covers_every_transition():
    assert set(VERSION_ALLOWED) == set(transition_names(AgreementVersion))
    assert set(VERSION_PATHS) == set(VERSION_ALLOWED) == set(VERSION_TARGET)
    assert set(AGREEMENT_ALLOWED) == set(transition_names(Agreement)) == set(AGREEMENT_TARGET)
    assert set(EVALUATION_ALLOWED) == set(transition_names(Evaluation)) == set(EVALUATION_TARGET)


# --- versions ---------------------------------------------------------------------------------


def _version_params(name: str, chain_id: int):
    params = {
        "submit_for_review": {"chain_id": chain_id},
        "return_to_negotiation": {"comment": "Neuvotellaan vuoden 2028 rahoituksesta."},
        "decide": {"outcome": "approved", "reasons": "Tavoitteet tukevat hyvinvointisuunnitelmaa."},
        "request_rectification": {"comment": "Päätöksestä puuttuu vuoden 2028 rahoitus."},
        "decide_rectification": {"outcome": "upheld", "reasons": "Rahoitus on päätöksessä."},
    }
    return lambda version: dict(params.get(name, {}))


@pytest.mark.parametrize("side", ["association", "public_body"])
@pytest.mark.parametrize("name", list(VERSION_ALLOWED))
def test_version_transition_is_performed_only_by_its_roles(
    name, side, request, advance, actors, agreement_chain, time_machine
):
    time_machine.move_to(at(date(2026, 11, 2)), tick=False)
    agreement = request.getfixturevalue("draft" if side == "association" else "body_draft")
    version = advance(version_of(agreement), *VERSION_PATHS[name])
    roles = {"author": SIDE_ROLE[side], "other": SIDE_ROLE[OTHER_SIDE[side]]}
    allowed = {roles.get(role, role) for role in VERSION_ALLOWED[name]}

    _check(
        version,
        name,
        allowed,
        actors,
        _version_params(name, agreement_chain.pk),
        VERSION_TARGET[name],
    )


# --- agreements -------------------------------------------------------------------------------


SIGNED_SOURCE = {
    "propose_cancellation",
    "withdraw_cancellation",
    "decline_cancellation",
    "agree_cancellation",
    "cancel_by_decision",
}


def _agreement_at_source(name: str, request, advance, time_machine) -> Agreement:
    if name == "cancel":
        # Shown to both sides (proposed), so either side may call it off.
        draft = request.getfixturevalue("draft")
        advance(version_of(draft), "propose")
        return fresh(draft)
    if name in ("await_term", "activate"):
        # The moment between the first version's last signature and the state it leads to:
        # the version is in force, the agreement still a draft (signed before its term), or
        # signed on the term's first day (the daily scan activates it).
        time_machine.move_to(at(date(2026, 12, 15)), tick=False)
        draft = request.getfixturevalue("draft")
        version = advance(version_of(draft), *_DECIDED)
        AgreementVersion.objects.filter(pk=version.pk).update(
            state=V.IN_FORCE, in_force_from=version.starts_on
        )
        Agreement.objects.filter(pk=draft.pk).update(in_force_version=version)
        if name == "activate":
            Agreement.objects.filter(pk=draft.pk).update(state=A.SIGNED)
            time_machine.move_to(at(date(2027, 1, 1)), tick=False)
        return fresh(draft)
    if name in SIGNED_SOURCE:
        # Signed on 15 December 2026, its term begins on 1 January 2027.
        time_machine.move_to(at(date(2026, 12, 15)), tick=False)
        draft = request.getfixturevalue("draft")
        advance(version_of(draft), *_DECIDED, "sign")
        if name in ("withdraw_cancellation", "decline_cancellation", "agree_cancellation"):
            signatory = request.getfixturevalue("signatories")[0]
            act(fresh(draft), "propose_cancellation", signatory, reason="Tilat eivät valmistu.")
        return fresh(draft)
    if name in ("request_rectification", "decide_rectification"):
        # Cancelled by the body's decision on 15 December 2026, within the period.
        time_machine.move_to(at(date(2026, 12, 15)), tick=False)
        draft = request.getfixturevalue("draft")
        advance(version_of(draft), *_DECIDED, "sign")
        maker = request.getfixturevalue("people")["decision_maker"]
        act(fresh(draft), "cancel_by_decision", maker, reasons="Määrärahaa ei myönnetty.")
        if name == "decide_rectification":
            representative = request.getfixturevalue("representative")
            act(fresh(draft), "request_rectification", representative, comment="Tilat valmistuvat.")
        return fresh(draft)
    active = request.getfixturevalue("active")
    if name == "open_renewal":
        time_machine.move_to(at(date(2029, 7, 10)))  # within 180 days of the term's end
    elif name == "end":
        time_machine.move_to(at(date(2030, 1, 2)))  # the term ended on 31 December 2029
    return active


def _agreement_params(name: str):
    params = {
        "terminate": {"reason": "Yhdistys lopettaa toimintansa."},
        "propose_cancellation": {"reason": "Tilat eivät valmistu."},
        "cancel_by_decision": {"reasons": "Määrärahaa ei myönnetty."},
        "request_rectification": {"comment": "Tilat valmistuvat ajallaan."},
        "decide_rectification": {"outcome": "upheld", "reasons": "Määrärahaa ei ole."},
        "record_payment": {"amount": Decimal("10000.00"), "paid_on": date(2027, 2, 1)},
        "reverse_payment": {"payment_id": 1, "reason": "Väärä maksu."},
    }
    return lambda agreement: dict(params.get(name, {}))


@pytest.mark.parametrize("name", list(AGREEMENT_ALLOWED))
def test_agreement_transition_is_performed_only_by_its_roles(
    name, request, advance, actors, time_machine
):
    agreement = _agreement_at_source(name, request, advance, time_machine)

    _check(
        agreement,
        name,
        AGREEMENT_ALLOWED[name],
        actors,
        _agreement_params(name),
        AGREEMENT_TARGET[name],
    )


def test_the_public_body_cannot_cancel_an_association_draft_it_has_not_been_shown(
    draft, people, representative
):
    liaison = people["liaison"]
    assert "cancel" not in available_transitions(draft, liaison)
    with pytest.raises(PermissionDenied):
        act(draft, "cancel", liaison)
    assert fresh(draft).state == A.DRAFT
    assert version_of(draft).state == V.DRAFT

    assert act(draft, "cancel", representative).state == A.CANCELLED


# --- evaluations ------------------------------------------------------------------------------


def _evaluation_at_source(name: str, active: Agreement, actors, time_machine) -> Evaluation:
    evaluation = active.evaluations.order_by("period_starts_on").first()  # 2027
    if name == "cancel":
        return evaluation
    time_machine.move_to(at(date(2028, 1, 10)))  # the 2027 period is over
    if name == "open":
        return evaluation
    evaluation = act(evaluation, "open", SYSTEM)
    if name in ("return_evaluation", "evaluate"):
        evaluation = act(
            evaluation,
            "submit",
            actors["representative"],
            **_evaluation_params("submit")(evaluation),
        )
    return evaluation


def _evaluation_params(name: str):
    def params(evaluation: Evaluation) -> dict:
        goals = evaluation.agreement.in_force_version.goals.all()
        if name == "submit":
            return {
                "report": "Ryhmiä oli kuusi, ohjaajia koulutettiin kahdeksan.",
                "results": [{"goal": g.pk, "value": Decimal(100)} for g in goals],
            }
        if name == "return_evaluation":
            return {"comment": "Kerro osallistujamäärät ryhmittäin.", "due_on": date(2028, 3, 1)}
        if name == "evaluate":
            meeting = Meeting.objects.get(agreement=evaluation.agreement, held_on__isnull=False)
            return {
                "assessment": "Liikuntaryhmien tavoite jäi vajaaksi.",
                "meeting_id": meeting.pk,
                "goals_met": [goals[1].pk],
            }
        return {}

    return params


@pytest.mark.parametrize("name", list(EVALUATION_ALLOWED))
def test_evaluation_transition_is_performed_only_by_its_roles(
    name, active, actors, people, time_machine
):
    evaluation = _evaluation_at_source(name, active, actors, time_machine)
    if name == "evaluate":
        services.meeting_record(
            active.meetings.order_by("due_on").first(),
            user=people["liaison"],
            held_on=date(2028, 1, 9),
            notes="Käytiin vuosi läpi.",
        )

    _check(
        evaluation,
        name,
        EVALUATION_ALLOWED[name],
        actors,
        _evaluation_params(name),
        EVALUATION_TARGET[name],
    )
