"""The round: a call's applications proposed and decided in one action each, all or nothing,
through the one transition service, within the call's budget."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from grants.choices import Outcome
from grants.models import Application, RoundDecision
from grants.rounds import Board, RoundLine, RoundRefused, round_decide, round_propose, round_view
from organisations.models import SectionRegister
from tests.factories import CallFactory
from tests.grants.round_helpers import lines, submitted
from workflow.models import StepRecord, TransitionLog

pytestmark = pytest.mark.django_db
S = Application.State


def states(apps):
    return [a.state for a in Application.objects.filter(pk__in=[a.pk for a in apps]).order_by("pk")]


def test_a_round_is_proposed_and_decided_each_application_with_its_own_decision(call, people):
    apps = submitted(call, 3)
    amounts = [Decimal("5000.00"), Decimal("3000.00"), Decimal("0")]
    proposal = [
        RoundLine(a.pk, amount, f"Perustelu {i}")
        for i, (a, amount) in enumerate(zip(apps, amounts, strict=True))
    ]

    round_propose(call, actor=people["preparer"], lines=proposal)

    assert states(apps) == [S.IN_REVIEW] * 3
    steps = StepRecord.objects.filter(
        status=StepRecord.Status.DONE, run__object_id__in=[a.pk for a in apps]
    )
    assert sorted(s.data["proposed_amount"] for s in steps) == ["0", "3000.00", "5000.00"]
    assert {s.actor_id for s in steps} == {people["preparer"].pk}

    record = round_decide(call, actor=people["decision_maker"], lines=proposal)

    decided = list(Application.objects.filter(pk__in=[a.pk for a in apps]).order_by("pk"))
    assert [a.state for a in decided] == [S.DECIDED] * 3
    assert [a.outcome for a in decided] == [
        Outcome.APPROVED,
        Outcome.PARTIALLY_APPROVED,
        Outcome.REJECTED,
    ]
    assert [a.granted_amount for a in decided] == amounts
    assert [a.reasons for a in decided] == ["Perustelu 0", "Perustelu 1", "Perustelu 2"]
    assert len({a.decision_number for a in decided}) == 3
    year = timezone.localdate().year
    assert sorted(a.decision_section for a in decided) == [f"§ {n}/{year}" for n in (1, 2, 3)]
    assert set(record.applications.all()) == set(decided)
    assert record.board == ""
    assert record.meeting_date is None
    logs = TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(Application), transition="decide"
    )
    assert logs.count() == 3


def test_a_round_of_200_is_decided_in_one_action(call, people):
    apps = submitted(call, 200, amount=Decimal("400.00"))
    round_propose(call, actor=people["preparer"], lines=lines(apps))

    round_decide(call, actor=people["decision_maker"], lines=lines(apps))

    assert states(apps) == [S.DECIDED] * 200
    sections = Application.objects.filter(call=call).values_list("decision_section", flat=True)
    assert len(set(sections)) == 200


def test_one_undecidable_application_rolls_back_the_round_and_is_named(call, people):
    apps = submitted(call, 3)
    round_propose(call, actor=people["preparer"], lines=lines(apps[:2]))
    # The third was never proposed: it waits for the preparer's step, not the decision.

    with pytest.raises(RoundRefused) as refused:
        round_decide(call, actor=people["decision_maker"], lines=lines(apps))

    assert apps[2].association.name in refused.value.message
    assert str(apps[2].pk) in refused.value.message
    assert states(apps) == [S.IN_REVIEW, S.IN_REVIEW, S.SUBMITTED]
    assert not RoundDecision.objects.exists()
    # The sections the first two took were given back with the rest.
    assert not SectionRegister.objects.filter(last_section__gt=0).exists()


def test_a_round_over_the_budget_is_refused_whole_naming_the_application_that_broke_it(
    people, body
):
    call = CallFactory(public_body=body, budget=Decimal("12000.00"))
    apps = submitted(call, 3)
    round_propose(call, actor=people["preparer"], lines=lines(apps))

    with pytest.raises(RoundRefused) as refused:
        round_decide(call, actor=people["decision_maker"], lines=lines(apps))

    assert apps[2].association.name in refused.value.message
    assert "2" in refused.value.message  # what is left: 2 000 €
    assert states(apps) == [S.IN_REVIEW] * 3


def test_the_proposal_is_all_or_nothing_too(call, people):
    apps = submitted(call, 2)
    too_much = [
        RoundLine(apps[0].pk, Decimal("100"), "x"),
        RoundLine(apps[1].pk, Decimal("9999"), "x"),
    ]

    with pytest.raises(RoundRefused) as refused:
        round_propose(call, actor=people["preparer"], lines=too_much)

    assert apps[1].association.name in refused.value.message
    assert states(apps) == [S.SUBMITTED] * 2
    assert not StepRecord.objects.filter(status=StepRecord.Status.DONE).exists()


def test_a_subset_of_the_round_is_decided_and_the_rest_waits(call, people):
    apps = submitted(call, 3)
    round_propose(call, actor=people["preparer"], lines=lines(apps))

    round_decide(call, actor=people["decision_maker"], lines=lines(apps[1:]))

    assert states(apps) == [S.IN_REVIEW, S.DECIDED, S.DECIDED]
    view = round_view(call)
    assert view.granted == Decimal("10000.00")
    assert view.proposed == Decimal("5000.00")
    assert view.left == call.budget - Decimal("15000.00")


def test_a_board_decision_records_the_meeting(call, people):
    apps = submitted(call, 1)
    round_propose(call, actor=people["preparer"], lines=lines(apps))
    met = timezone.localdate() - timedelta(days=1)

    record = round_decide(
        call,
        actor=people["decision_maker"],
        lines=lines(apps),
        board=Board("Sivistyslautakunta", met, "§ 45"),
    )

    record.refresh_from_db()
    assert (record.board, record.meeting_date, record.meeting_section) == (
        "Sivistyslautakunta",
        met,
        "§ 45",
    )


def test_a_board_cannot_have_met_in_the_future(call, people):
    apps = submitted(call, 1)
    round_propose(call, actor=people["preparer"], lines=lines(apps))
    board = Board("Lautakunta", timezone.localdate() + timedelta(days=1), "§ 1")

    with pytest.raises(ValidationError) as refused:
        round_decide(call, actor=people["decision_maker"], lines=lines(apps), board=board)

    assert "meeting_date" in refused.value.message_dict
    assert states(apps) == [S.IN_REVIEW]


@pytest.mark.parametrize("who", ["foreign_preparer", "liaison"])
def test_officials_without_the_role_in_the_body_are_refused(call, people, who):
    apps = submitted(call, 1)
    with pytest.raises(PermissionDenied):
        round_propose(call, actor=people[who], lines=lines(apps))
    assert states(apps) == [S.SUBMITTED]


def test_the_association_people_are_refused(call, people, representative):
    apps = submitted(call, 1)
    with pytest.raises(PermissionDenied):
        round_propose(call, actor=representative, lines=lines(apps))
    round_propose(call, actor=people["preparer"], lines=lines(apps))
    with pytest.raises(PermissionDenied):
        round_decide(call, actor=representative, lines=lines(apps))
    assert states(apps) == [S.IN_REVIEW]


def test_the_preparer_cannot_decide_the_round_they_proposed(call, people):
    apps = submitted(call, 1)
    round_propose(call, actor=people["preparer"], lines=lines(apps))
    with pytest.raises(PermissionDenied):
        round_decide(call, actor=people["preparer"], lines=lines(apps))


def test_applications_of_another_call_and_repeated_ones_are_refused(call, people, body):
    other = submitted(CallFactory(public_body=body), 1)
    apps = submitted(call, 1)
    with pytest.raises(ValidationError) as refused:
        round_propose(call, actor=people["preparer"], lines=lines(apps + other))
    assert str(other[0].pk) in str(refused.value)
    with pytest.raises(ValidationError):
        round_propose(call, actor=people["preparer"], lines=lines(apps + apps))
    with pytest.raises(ValidationError):
        round_propose(call, actor=people["preparer"], lines=[])
    assert states(apps + other) == [S.SUBMITTED, S.SUBMITTED]
