"""An agreement's lifecycle beyond the happy path: amendments while the old terms stay in
force, joint signatures, renewal, termination with a notice period, negotiation and review,
and the yearly evaluation."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agreements import services, terms
from agreements.models import (
    Agreement,
    AgreementVersion,
    Evaluation,
    GoalResult,
    Meeting,
    Resource,
)
from organisations.models import AssociationRole, OfficialRole
from tests.agreements.builders import act, at, fresh, log_of, version_of
from tests.agreements.builders import terms as terms_given
from tests.factories import AssociationFactory, UserFactory, grant_role, represent
from workflow.actors import SYSTEM
from workflow.disqualification import disqualification_declare
from workflow.errors import TransitionConflict
from workflow.models import ApprovalRun, Deadline, TransitionLog
from workflow.transitions import available_transitions

A = Agreement.State
V = AgreementVersion.State
E = Evaluation.State
pytestmark = pytest.mark.django_db

REVIEWED = ("propose", "accept", "submit_for_review")
DECIDED = (*REVIEWED, "record_step", "decide")


def money_in_force(agreement: Agreement, year: int) -> Decimal:
    """The year's instalment as the finance path reads it: from the version in force."""
    return Resource.objects.get(
        version__agreement=agreement,
        version__state=V.IN_FORCE,
        kind=Resource.Kind.MONEY,
        year=year,
    ).amount


def hold_meetings(agreement: Agreement, liaison, year: int) -> list[Meeting]:
    meetings = list(agreement.meetings.filter(due_on__year=year, cancelled=False))
    for meeting in meetings:
        services.meeting_record(
            meeting, user=liaison, held_on=meeting.due_on, notes="Käytiin tavoitteet läpi."
        )
    return meetings


def submit(evaluation: Evaluation, representative, *values: int) -> Evaluation:
    goals = evaluation.agreement.in_force_version.goals.all()
    return act(
        evaluation,
        "submit",
        representative,
        report="Ryhmät kokoontuivat joka viikko.",
        results=[{"goal": g.pk, "value": Decimal(v)} for g, v in zip(goals, values, strict=True)],
    )


def open_deadline(record, kind: str) -> Deadline:
    return Deadline.objects.get(object_id=record.pk, kind=kind, status=Deadline.Status.OPEN)


# --- amendment ---------------------------------------------------------------------------------


def test_an_amendment_comes_into_force_only_with_its_last_signature(
    active, advance, people, representative, signatories, time_machine
):
    liaison = people["liaison"]
    v1 = active.in_force_version
    # The first year is behind: its meetings were held and its evaluation submitted.
    time_machine.move_to(at(date(2028, 1, 20)))
    held = hold_meetings(active, liaison, 2027)
    first_evaluation = act(active.evaluations.get(period_starts_on__year=2027), "open", SYSTEM)
    first_evaluation = submit(first_evaluation, representative, 110, 8)
    planned = set(active.meetings.filter(due_on__year__gte=2028).values_list("pk", flat=True))
    later_evaluations = set(
        active.evaluations.filter(period_starts_on__year__gte=2028).values_list("pk", flat=True)
    )

    # The liaison drafts version 2: more money for 2028 and a higher target for goal 1.
    time_machine.move_to(at(date(2028, 3, 1)))
    old = terms.terms_of(v1)
    goals = [{**old["goals"][0], "target": Decimal(150)}, old["goals"][1]]
    resources = [
        {**r, "amount": Decimal("12000.00")} if (r["kind"], r["year"]) == ("money", 2028) else r
        for r in old["resources"]
    ]
    v2 = services.version_draft(
        active,
        user=liaison,
        terms_given={"goals": goals, "resources": resources},
        change_note="Lisärahoitus vuodelle 2028.",
    )
    assert (v2.number, v2.based_on, v2.author_side) == (2, v1, "public_body")
    assert [c["field"] for c in terms.diff(v1, v2)] == ["goals[1]", "resources[3]"]

    v2 = advance(v2, *REVIEWED)
    assert v2.state == V.IN_REVIEW
    agreement = fresh(active)
    assert (agreement.state, agreement.in_force_version, agreement.terms) == (A.ACTIVE, v1, v1)
    assert money_in_force(agreement, 2028) == Decimal("10000.00")

    v2 = advance(v2, "record_step", "decide")
    v2 = act(v2, "sign", signatories[0])
    assert v2.state == V.AWAITING_SIGNATURES
    agreement = fresh(active)
    assert (agreement.in_force_version, fresh(v1).state) == (v1, V.IN_FORCE)
    assert agreement.terms.goals.get(position=1).target == Decimal(120)
    assert money_in_force(agreement, 2028) == Decimal("10000.00")

    v2 = act(v2, "sign", signatories[1])
    v2 = act(v2, "sign", people["decision_maker"])

    agreement = fresh(active)
    assert (v2.state, v2.in_force_from) == (V.IN_FORCE, date(2028, 3, 1))
    assert fresh(v1).state == V.SUPERSEDED
    assert log_of(v1)[-1] == "supersede"
    assert (agreement.state, agreement.in_force_version) == (A.ACTIVE, v2)
    assert agreement.terms.goals.get(position=1).target == Decimal(150)
    assert money_in_force(agreement, 2028) == Decimal("12000.00")

    # What was held or submitted stays; the meetings still planned stay where v2 plans them
    # too (its cadence is the same), so no period gets a second one.
    assert all(fresh(m).held_on == m.due_on and not fresh(m).cancelled for m in held)
    assert fresh(first_evaluation).state == E.SUBMITTED
    replanned = agreement.meetings.filter(cancelled=False, held_on__isnull=True)
    assert {m.pk for m in replanned} == planned
    assert [m.due_on for m in replanned] == [
        date(2028, 6, 30),
        date(2029, 1, 2),  # 31 Dec 2028 is a Sunday, 1 Jan a holiday
        date(2029, 7, 2),  # 30 June 2029 is a Saturday
        date(2029, 12, 31),
    ]
    assert (
        Deadline.objects.filter(
            object_id__in=planned, kind="meeting_due", status=Deadline.Status.OPEN
        ).count()
        == 4
    )
    assert {e.state for e in Evaluation.objects.filter(pk__in=later_evaluations)} == {E.CANCELLED}
    assert [
        (e.period_starts_on.year, e.state)
        for e in agreement.evaluations.exclude(state=E.CANCELLED).order_by("period_starts_on")
    ] == [(2027, E.SUBMITTED), (2028, E.SCHEDULED), (2029, E.SCHEDULED)]


# --- signatures --------------------------------------------------------------------------------


def test_two_signatories_sign_jointly_for_the_association_and_the_decision_maker_for_the_body(
    draft, advance, association, representative, signatories, people, time_machine
):
    assert draft.parties.get().signatures_required == 2
    assert draft.public_body_signatures_required == 1
    time_machine.move_to(at(date(2026, 12, 14), 9), tick=False)
    version = advance(version_of(draft), *DECIDED)
    first, second = signatories

    version = act(version, "sign", first)
    assert version.state == V.AWAITING_SIGNATURES
    assert fresh(draft).state == A.DRAFT

    with pytest.raises(TransitionConflict) as twice:
        act(version, "sign", first)
    assert twice.value.code == "already_signed"
    # A representative is no authorised signatory.
    assert "sign" not in available_transitions(version, representative)
    with pytest.raises(PermissionDenied):
        act(version, "sign", representative)
    assert version.signatures.count() == 1

    time_machine.move_to(at(date(2026, 12, 15), 10))
    version = act(version, "sign", second)
    third = represent(UserFactory(username="signer3"), association, AssociationRole.Role.SIGNATORY)
    with pytest.raises(TransitionConflict) as complete:
        act(version, "sign", third)
    assert complete.value.code == "signatures_complete"
    assert fresh(version).state == V.AWAITING_SIGNATURES
    assert version.signatures.count() == 2

    time_machine.move_to(at(date(2026, 12, 16), 14))
    version = act(version, "sign", people["decision_maker"])

    assert version.state == V.IN_FORCE
    agreement = fresh(draft)
    # Signed before its term: in force from the term's first day (tests/agreements/
    # test_timeline.py follows it there).
    assert (agreement.state, agreement.in_force_version) == (A.SIGNED, version)
    assert (agreement.activated_on, agreement.starts_on) == (None, date(2027, 1, 1))
    assert [
        (s.side, s.association_id, s.signer, s.signed_at) for s in version.signatures.all()
    ] == [
        ("association", association.pk, first, at(date(2026, 12, 14), 9)),
        ("association", association.pk, second, at(date(2026, 12, 15), 10)),
        ("public_body", None, people["decision_maker"], at(date(2026, 12, 16), 14)),
    ]
    assert log_of(version).count("sign") == 3


def test_each_association_of_a_joint_agreement_signs_for_itself(
    body, association, advance, signatories, people, time_machine
):
    time_machine.move_to(at(date(2026, 11, 2)), tick=False)
    other = AssociationFactory()
    other_signatory = represent(
        UserFactory(username="other_signer"), other, AssociationRole.Role.SIGNATORY
    )
    agreement = services.agreement_create(
        user=people["liaison"],
        public_body=body,
        associations=[association, other],
        terms_given=terms_given(),
        signatures_required={association.pk: 2, other.pk: 1},
    )
    assert [(p.association, p.signatures_required) for p in agreement.parties.all()] == [
        (association, 2),
        (other, 1),
    ]
    version = advance(version_of(agreement), *DECIDED)

    for signer in (people["decision_maker"], *signatories):
        version = act(version, "sign", signer)
    # The association and the body have signed; the other association has not.
    assert version.state == V.AWAITING_SIGNATURES
    assert fresh(agreement).state == A.DRAFT
    third = represent(UserFactory(username="signer3"), association, AssociationRole.Role.SIGNATORY)
    with pytest.raises(TransitionConflict):
        act(version, "sign", third)

    version = act(version, "sign", other_signatory)

    assert version.state == V.IN_FORCE
    assert fresh(agreement).state == A.SIGNED
    assert sorted(
        (s.association_id or 0, s.signer.username) for s in version.signatures.all()
    ) == sorted(
        [
            (0, "dm"),
            (association.pk, "signer1"),
            (association.pk, "signer2"),
            (other.pk, "other_signer"),
        ]
    )


# --- renewal -----------------------------------------------------------------------------------


def test_renewal_creates_a_linked_agreement_and_the_old_one_ends_when_its_term_does(
    active, association, people, time_machine
):
    liaison = people["liaison"]
    old_terms = active.in_force_version
    # The window opens AGREEMENT_RENEWAL_NOTICE_DAYS (180) before 31.12.2029: on 4.7.2029.
    time_machine.move_to(at(date(2029, 7, 3)))
    with pytest.raises(TransitionConflict):
        act(active, "open_renewal", SYSTEM)
    time_machine.move_to(at(date(2029, 7, 10)))
    agreement = act(active, "open_renewal", SYSTEM)
    assert agreement.state == A.RENEWAL_DUE

    agreement = act(agreement, "renew", liaison)

    assert agreement.state == A.RENEWED
    successor = Agreement.objects.get(predecessor=active)
    assert (successor.state, successor.public_body, successor.chain) == (
        A.DRAFT,
        active.public_body,
        active.chain,
    )
    assert list(successor.parties.values_list("association", "signatures_required")) == [
        (association.pk, 2)
    ]
    assert log_of(successor) == ["create"]
    draft = successor.versions.get()
    assert (draft.number, draft.state, draft.author_side) == (1, V.DRAFT, "public_body")
    assert (draft.starts_on, draft.ends_on) == (date(2030, 1, 1), date(2032, 12, 31))
    assert terms.terms_of(draft)["goals"] == terms.terms_of(old_terms)["goals"]
    assert [(r.year, r.kind, r.amount, r.pays_on) for r in draft.resources.all()] == [
        (2030, "money", Decimal("10000.00"), date(2030, 2, 1)),
        (2030, "premises", Decimal("3000.00"), None),
        (2031, "money", Decimal("10000.00"), date(2031, 2, 1)),
        (2032, "money", Decimal("10000.00"), date(2032, 2, 1)),
    ]

    # The old agreement stays in force until its term ends, and is renewed only once.
    assert (agreement.in_force_version, agreement.ends_on) == (old_terms, date(2029, 12, 31))
    with pytest.raises(TransitionConflict):
        act(agreement, "renew", liaison)
    assert Agreement.objects.filter(predecessor=active).count() == 1
    time_machine.move_to(at(date(2029, 12, 31)))
    with pytest.raises(TransitionConflict):
        act(agreement, "end", SYSTEM)

    time_machine.move_to(at(date(2030, 1, 1)))
    agreement = act(agreement, "end", SYSTEM)

    assert agreement.state == A.ENDED
    assert (agreement.end_reason, agreement.ended_on) == (
        Agreement.EndReason.RENEWED,
        date(2029, 12, 31),
    )
    assert fresh(successor).predecessor == agreement


# --- termination -------------------------------------------------------------------------------


def test_termination_needs_a_reason(active, representative, time_machine):
    time_machine.move_to(at(date(2028, 3, 15)))
    logged = TransitionLog.objects.count()

    with pytest.raises(ValidationError) as error:
        act(active, "terminate", representative, reason="  ")

    assert "reason" in error.value.message_dict
    agreement = fresh(active)
    assert agreement.state == A.ACTIVE
    assert (agreement.notice_given_on, agreement.ends_early_on, agreement.termination_reason) == (
        None,
        None,
        "",
    )
    assert TransitionLog.objects.count() == logged


def test_termination_keeps_the_agreement_in_force_for_its_notice_period(
    active, representative, time_machine
):
    notice_period = active.in_force_version.notice_period_months
    assert notice_period == 3
    time_machine.move_to(at(date(2028, 3, 16)))

    agreement = act(
        active,
        "terminate",
        representative,
        reason="Yhdistys lopettaa ryhmätoiminnan.",
        notice_given_on=date(2028, 3, 15),
    )

    assert agreement.state == A.TERMINATING
    assert (agreement.notice_given_on, agreement.notice_given_by) == (
        date(2028, 3, 15),
        "association",
    )
    assert agreement.termination_reason == "Yhdistys lopettaa ryhmätoiminnan."
    assert agreement.ends_on == date(2028, 6, 15)
    assert agreement.in_force_version == active.in_force_version
    # Nothing is planned after the last day: no reminders of meetings that will not be held.
    assert not agreement.meetings.filter(cancelled=False, due_on__gt=date(2028, 6, 15)).exists()

    time_machine.move_to(at(date(2028, 6, 15)))
    with pytest.raises(TransitionConflict):
        act(agreement, "end", SYSTEM)
    assert fresh(agreement).state == A.TERMINATING

    time_machine.move_to(at(date(2028, 6, 16)))
    agreement = act(agreement, "end", SYSTEM)

    assert agreement.state == A.ENDED
    assert (agreement.end_reason, agreement.ended_on) == (
        Agreement.EndReason.TERMINATED,
        date(2028, 6, 15),
    )
    meetings = agreement.meetings.all()
    assert {m.due_on.year for m in meetings if not m.cancelled} == {2027}
    assert all(m.cancelled for m in meetings if m.due_on > date(2028, 6, 15))
    assert not Deadline.objects.filter(
        object_id__in=[m.pk for m in meetings if m.cancelled],
        kind="meeting_due",
        status=Deadline.Status.OPEN,
    ).exists()
    # The period the last day falls in is still evaluated, up to that day; later ones are not.
    assert [(e.period_ends_on, e.state) for e in agreement.evaluations.all()] == [
        (date(2027, 12, 31), E.SCHEDULED),
        (date(2028, 6, 15), E.SCHEDULED),
        (date(2029, 12, 31), E.CANCELLED),
    ]


# --- negotiation and review --------------------------------------------------------------------


def test_a_counter_proposal_sets_the_proposal_under_negotiation_aside(
    draft, advance, people, representative
):
    liaison = people["liaison"]
    v1 = advance(version_of(draft), "propose")

    v2 = services.version_draft(
        draft,
        user=liaison,
        terms_given={"meetings_per_year": 4},
        change_note="Tavataan neljännesvuosittain.",
    )
    assert (v2.based_on, v2.author_side) == (v1, "public_body")
    assert fresh(v1).state == V.NEGOTIATION  # a draft is not yet a counter-proposal
    v2 = act(v2, "propose", liaison)

    assert v2.state == V.NEGOTIATION
    assert fresh(v1).state == V.COUNTERED
    entry = TransitionLog.objects.filter(object_id=v1.pk, transition="set_aside").get()
    assert (entry.actor, entry.from_state, entry.to_state) == (None, V.NEGOTIATION, V.COUNTERED)
    with pytest.raises(TransitionConflict):
        act(v1, "accept", liaison)
    # The counter-proposal is the liaison's: the association accepts it, not the liaison.
    with pytest.raises(PermissionDenied):
        act(v2, "accept", liaison)
    assert act(v2, "accept", representative).state == V.AGREED


def test_a_rejected_version_is_decided_with_reasons_and_the_agreement_can_be_called_off(
    draft, advance, people, signatories
):
    version = advance(version_of(draft), *REVIEWED, "record_step")
    decision_maker = people["decision_maker"]
    with pytest.raises(ValidationError):
        act(version, "decide", decision_maker, outcome="rejected", reasons=" ")
    assert fresh(version).state == V.IN_REVIEW
    # Nothing in review is called off before it is decided.
    with pytest.raises(TransitionConflict):
        act(draft, "cancel", people["liaison"])

    version = act(
        version, "decide", decision_maker, outcome="rejected", reasons="Määräraha ei riitä."
    )

    assert version.state == V.REJECTED
    assert (version.outcome, version.decided_by) == ("rejected", decision_maker)
    with pytest.raises(TransitionConflict):
        act(version, "sign", signatories[0])
    agreement = act(draft, "cancel", people["liaison"], comment="Ei rahoitusta.")
    assert agreement.state == A.CANCELLED


def test_after_a_rejection_the_parties_negotiate_again_from_the_rejected_terms(
    draft, advance, people, representative
):
    rejected = advance(version_of(draft), *REVIEWED, "record_step")
    rejected = act(
        rejected, "decide", people["decision_maker"], outcome="rejected", reasons="Liian kallis."
    )

    again = services.version_draft(
        draft, user=representative, terms_given={"title": "Kevyempi ehdotus"}, change_note="-20 %"
    )

    assert (again.state, again.based_on, again.number) == (V.DRAFT, rejected, 2)
    assert fresh(draft).state == A.DRAFT
    again = act(act(again, "propose", representative), "accept", people["liaison"])
    assert again.state == V.AGREED  # and on to a review and a decision of its own
    assert fresh(rejected).state == V.REJECTED


def test_returned_to_negotiation_the_version_is_agreed_and_reviewed_again(
    draft, advance, people, agreement_chain
):
    version = advance(version_of(draft), *REVIEWED)
    with pytest.raises(ValidationError):
        act(version, "return_to_negotiation", people["preparer"], comment="")
    assert fresh(version).state == V.IN_REVIEW

    version = advance(version, "return_to_negotiation")

    assert (version.state, version.agreed_at) == (V.NEGOTIATION, None)
    assert list(version.approval_runs.values_list("status", flat=True)) == [
        ApprovalRun.Status.CANCELLED
    ]
    version = advance(version, "accept", "submit_for_review")
    assert version.state == V.IN_REVIEW
    assert sorted(version.approval_runs.values_list("status", flat=True)) == sorted(
        [ApprovalRun.Status.CANCELLED, ApprovalRun.Status.IN_PROGRESS]
    )
    assert advance(version, "record_step", "decide").state == V.APPROVED


def test_an_agreement_that_never_came_into_force_is_cancelled_with_its_open_versions(
    draft, advance, representative
):
    version = advance(version_of(draft), "propose")

    agreement = act(draft, "cancel", representative, comment="Toiminta päättyy.")

    assert agreement.state == A.CANCELLED
    assert fresh(version).state == V.WITHDRAWN
    with pytest.raises(TransitionConflict):
        services.version_draft(agreement, user=representative, terms_given={})


def test_an_agreement_in_force_is_not_cancelled(active, representative):
    with pytest.raises(TransitionConflict):
        act(active, "cancel", representative)
    assert fresh(active).state == A.ACTIVE


def test_the_chain_decides_only_on_its_last_step_and_records_only_before_it(draft, advance, people):
    version = advance(version_of(draft), *REVIEWED)
    # The preparer acts on the first step, which is not the deciding one.
    with pytest.raises(TransitionConflict):
        act(version, "decide", people["preparer"], outcome="approved", reasons="Hyvä.")

    version = advance(version, "record_step")
    with pytest.raises(TransitionConflict):
        act(version, "record_step", people["decision_maker"])

    assert fresh(version).state == V.IN_REVIEW
    assert "decide" in available_transitions(version, people["decision_maker"])
    assert "record_step" not in available_transitions(version, people["decision_maker"])


def test_whoever_recorded_a_step_does_not_also_decide(draft, advance, body, people):
    both = grant_role(
        grant_role(UserFactory(username="both"), body, OfficialRole.Role.PREPARER),
        body,
        OfficialRole.Role.DECISION_MAKER,
    )
    version = advance(version_of(draft), *REVIEWED)
    version = act(version, "record_step", both, comment="Esitän.")

    assert "decide" not in available_transitions(version, both)
    with pytest.raises(PermissionDenied):
        act(version, "decide", both, outcome="approved", reasons="Hyvä.")
    assert advance(version, "decide").decided_by == people["decision_maker"]


def test_a_disqualified_official_is_refused_and_another_acts(draft, advance, people):
    version = advance(version_of(draft), *REVIEWED)
    preparer = people["preparer"]
    disqualification_declare(version, user=preparer, reason="Olen yhdistyksen hallituksessa.")

    assert available_transitions(version, preparer) == []
    with pytest.raises(PermissionDenied):
        act(version, "record_step", preparer)
    assert log_of(version)[-1] == "declare_disqualification"

    version = act(version, "record_step", people["preparer2"])
    assert advance(version, "decide").state == V.APPROVED


# --- the yearly evaluation ---------------------------------------------------------------------


def test_an_evaluation_opens_only_after_its_period(active, time_machine):
    evaluation = active.evaluations.get(period_starts_on__year=2027)
    time_machine.move_to(at(date(2027, 12, 31)))
    with pytest.raises(TransitionConflict):
        act(evaluation, "open", SYSTEM)

    time_machine.move_to(at(date(2028, 1, 1)))
    evaluation = act(evaluation, "open", SYSTEM)

    assert evaluation.state == E.DUE
    # AGREEMENT_EVALUATION_DUE_DAYS (60) after 31.12.2027 is Tuesday 29.2.2028.
    assert evaluation.due_on == date(2028, 2, 29)
    assert open_deadline(evaluation, "evaluation_due").due_on == date(2028, 2, 29)


def test_an_evaluation_is_submitted_returned_resubmitted_and_evaluated_at_a_meeting(
    active, body, representative, people, time_machine
):
    liaison = people["liaison"]
    goals = list(active.in_force_version.goals.all())
    time_machine.move_to(at(date(2028, 1, 10)))
    evaluation = act(active.evaluations.get(period_starts_on__year=2027), "open", SYSTEM)

    with pytest.raises(ValidationError):
        act(
            evaluation,
            "submit",
            representative,
            report="Puolet vuodesta.",
            results=[{"goal": goals[0].pk, "value": Decimal(90)}],
        )
    assert fresh(evaluation).state == E.DUE
    assert not GoalResult.objects.filter(evaluation=evaluation).exists()

    evaluation = submit(evaluation, representative, 90, 8)
    assert evaluation.state == E.SUBMITTED
    assert evaluation.submitted_by == representative
    assert not Deadline.objects.filter(
        object_id=evaluation.pk, kind="evaluation_due", status=Deadline.Status.OPEN
    ).exists()

    with pytest.raises(ValidationError):
        act(evaluation, "return_evaluation", liaison, comment=" ", due_on=date(2028, 3, 10))
    evaluation = act(
        evaluation,
        "return_evaluation",
        liaison,
        comment="Kerro osallistujat ryhmittäin.",
        due_on=date(2028, 3, 10),
    )
    assert (evaluation.state, evaluation.due_on) == (E.DUE, date(2028, 3, 10))
    assert open_deadline(evaluation, "evaluation_due").due_on == date(2028, 3, 10)

    evaluation = submit(evaluation, representative, 125, 9)
    assert [(r.goal, r.value) for r in evaluation.results.all()] == [
        (goals[0], Decimal(125)),
        (goals[1], Decimal(9)),
    ]

    # The assessment names a cooperation meeting of this agreement that was held.
    planned = active.meetings.filter(due_on__gt=date(2028, 1, 10)).first()
    other = services.agreement_create(
        user=liaison,
        public_body=body,
        associations=list(active.associations.all()),
        terms_given=terms_given(),
    )
    elsewhere = Meeting.objects.create(
        agreement=other, due_on=date(2027, 12, 31), held_on=date(2027, 12, 20), notes="Muu."
    )
    for meeting in (planned, elsewhere):
        with pytest.raises(ValidationError):
            act(
                evaluation,
                "evaluate",
                liaison,
                assessment="Hyvä vuosi.",
                meeting_id=meeting.pk,
                goals_met=[goals[0].pk],
            )
    assert fresh(evaluation).state == E.SUBMITTED
    held = hold_meetings(active, liaison, 2027)[-1]

    evaluation = act(
        evaluation,
        "evaluate",
        liaison,
        assessment="Liikuntaryhmät ylittivät tavoitteen, ohjaajia koulutettiin vähemmän.",
        meeting_id=held.pk,
        goals_met=[goals[0].pk],
    )

    assert evaluation.state == E.EVALUATED
    assert (evaluation.meeting, evaluation.evaluated_by) == (held, liaison)
    assert [(r.goal, r.met) for r in evaluation.results.all()] == [
        (goals[0], True),
        (goals[1], False),
    ]


def test_an_amendment_signed_during_the_notice_period_plans_nothing_after_the_last_day(
    active, advance, people, representative, signatories, time_machine
):
    time_machine.move_to(at(date(2028, 3, 1)))
    amendment = services.version_draft(
        active, user=people["liaison"], terms_given={"meetings_per_year": 4}
    )
    amendment = advance(amendment, *DECIDED)
    agreement = act(active, "terminate", representative, reason="Ryhmät siirtyvät seurakunnalle.")
    assert agreement.ends_on == date(2028, 6, 1)

    for signer in (*signatories, people["decision_maker"]):
        amendment = act(amendment, "sign", signer)

    agreement = fresh(agreement)
    assert (agreement.state, agreement.in_force_version) == (A.TERMINATING, amendment)
    assert agreement.ends_on == date(2028, 6, 1)
    assert [m.due_on for m in agreement.meetings.filter(cancelled=False, due_on__year=2028)] == [
        date(2028, 3, 31)
    ]
    assert not agreement.evaluations.filter(
        period_starts_on__gt=date(2028, 6, 1), state__in=[E.SCHEDULED, E.DUE]
    ).exists()
