"""Scoring within the scale, the weighted totals and the ranking, and a disqualified
reviewer's scores kept but not counted (Administrative Procedure Act 28 §)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import selectors
from assessments.models import Criterion, Reviewer, Score
from assessments.services import Given, reviewer_assign, scores_record
from tests.factories import ApplicationFactory
from workflow.disqualification import disqualification_declare
from workflow.errors import TransitionConflict
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


def full(criteria, first: int, second: int, comment: str = "") -> list[Given]:
    return [Given(criteria[0].pk, first, comment), Given(criteria[1].pk, second, comment)]


def test_a_score_outside_the_scale_is_refused_and_nothing_saved(submitted, criteria, reviewers):
    with pytest.raises(ValidationError) as refused:
        scores_record(submitted, reviewer=reviewers["preparer"], given=full(criteria, 5, 0))
    assert "scores.1.value" in refused.value.message_dict
    assert not Score.objects.exists()
    for value in (-1, 6):
        with pytest.raises(ValidationError):
            scores_record(
                submitted, reviewer=reviewers["preparer"], given=[Given(criteria[0].pk, value)]
            )
    assert not Score.objects.exists()


def test_the_scale_bounds_themselves_are_accepted(submitted, criteria, reviewers):
    scores_record(submitted, reviewer=reviewers["preparer"], given=full(criteria, 0, 10))
    assert sorted(Score.objects.values_list("value", flat=True)) == [0, 10]


def test_a_criterion_of_another_call_is_refused(submitted, criteria, reviewers):
    other = ApplicationFactory(call__public_body=submitted.call.public_body)
    foreign = Criterion.objects.create(call=other.call, name="Muu", scale_max=3)
    with pytest.raises(ValidationError) as refused:
        scores_record(submitted, reviewer=reviewers["preparer"], given=[Given(foreign.pk, 1)])
    assert "scores.0.criterion" in refused.value.message_dict


def test_weighted_total_normalises_each_scale_to_0_100(submitted, criteria, reviewers):
    # impact 4/5 → 0.8 ×2, cost 7 on 1–10 → 6/9 ×1: (1.6 + 0.6667) / 3 × 100 = 75.56
    scores_record(submitted, reviewer=reviewers["preparer"], given=full(criteria, 4, 7))
    assert selectors.totals_for_call(submitted.call) == {submitted.pk: Decimal("75.56")}


def test_the_total_is_none_until_every_criterion_is_scored(submitted, criteria, reviewers):
    scores_record(submitted, reviewer=reviewers["preparer"], given=[Given(criteria[0].pk, 5)])
    assert selectors.totals_for_call(submitted.call) == {submitted.pk: None}


def test_reviewers_are_averaged_and_rescoring_replaces_with_an_audit(
    submitted, criteria, reviewers
):
    scores_record(submitted, reviewer=reviewers["preparer"], given=full(criteria, 5, 10))
    scores_record(submitted, reviewer=reviewers["preparer2"], given=full(criteria, 0, 1))
    assert selectors.totals_for_call(submitted.call)[submitted.pk] == Decimal("50.00")
    scores_record(submitted, reviewer=reviewers["preparer2"], given=full(criteria, 5, 10, "Uusi"))
    assert selectors.totals_for_call(submitted.call)[submitted.pk] == Decimal("100.00")
    assert Score.objects.count() == 4
    last = TransitionLog.objects.filter(transition="score").latest("pk")
    assert last.actor == reviewers["preparer2"]
    assert [s["previous"] for s in last.data["scores"]] == [0, 1]


def submitted_in(call) -> object:
    application = ApplicationFactory(call=call)
    selectors.application_model().objects.filter(pk=application.pk).update(state="submitted")
    application.refresh_from_db()
    return application


def test_ranking_orders_by_total_and_puts_the_unassessed_last(call, criteria, reviewers):
    low, high, unassessed = (submitted_in(call) for _ in range(3))
    scores_record(low, reviewer=reviewers["preparer"], given=full(criteria, 1, 2))
    scores_record(high, reviewer=reviewers["preparer"], given=full(criteria, 5, 9))
    ranking = selectors.ranking_for_call(call)
    assert [row.application.pk for row in ranking] == [high.pk, low.pk, unassessed.pk]
    assert ranking[2].total is None


def test_a_disqualified_reviewer_cannot_score_and_earlier_scores_do_not_count(
    submitted, criteria, reviewers
):
    scores_record(submitted, reviewer=reviewers["preparer"], given=full(criteria, 0, 1))
    scores_record(submitted, reviewer=reviewers["preparer2"], given=full(criteria, 5, 10))
    disqualification_declare(submitted, user=reviewers["preparer"], reason="Hallituksen jäsen.")
    with pytest.raises(PermissionDenied):
        scores_record(submitted, reviewer=reviewers["preparer"], given=full(criteria, 5, 10))
    # Only preparer2's scores count; preparer's stay for the audit.
    assert selectors.totals_for_call(submitted.call)[submitted.pk] == Decimal("100.00")
    assert Score.objects.filter(reviewer=reviewers["preparer"], value=0).exists()
    sheet = selectors.sheet(submitted)
    assert sheet.total == Decimal("100.00")
    assert [row.disqualified for row in sheet.rows] == [True, False]


def test_only_assigned_reviewers_score(submitted, criteria, people):
    with pytest.raises(PermissionDenied):
        scores_record(submitted, reviewer=people["liaison"], given=full(criteria, 1, 1))
    reviewer_assign(
        submitted.call, people["liaison"], actor=people["preparer"], application=submitted
    )
    scores_record(submitted, reviewer=people["liaison"], given=full(criteria, 1, 1))
    assert TransitionLog.objects.filter(transition="assign_reviewer").count() == 1


def test_a_reviewer_is_an_official_of_the_calls_body_assigned_by_its_preparer(
    call, people, representative
):
    with pytest.raises(ValidationError):
        reviewer_assign(call, representative, actor=people["preparer"])
    with pytest.raises(ValidationError):
        reviewer_assign(call, people["foreign_preparer"], actor=people["preparer"])
    with pytest.raises(PermissionDenied):
        reviewer_assign(call, people["liaison"], actor=people["foreign_preparer"])
    reviewer_assign(call, people["liaison"], actor=people["preparer"])
    with pytest.raises(ValidationError):
        reviewer_assign(call, people["liaison"], actor=people["preparer"])
    assert Reviewer.objects.count() == 1


def test_a_draft_is_not_scored(application, criteria, reviewers):
    with pytest.raises(TransitionConflict):
        scores_record(application, reviewer=reviewers["preparer"], given=full(criteria, 1, 1))
    assert not Score.objects.exists()


def test_totals_for_call_takes_a_constant_number_of_queries(call, criteria, reviewers):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            selectors.totals_for_call(call)
        return len(captured)

    def add(count: int) -> None:
        for _ in range(count):
            app = submitted_in(call)
            scores_record(app, reviewer=reviewers["preparer"], given=full(criteria, 3, 5))

    add(1)
    few = queries()
    add(10)
    assert queries() == few
    assert len(selectors.totals_for_call(call)) == 11


def test_the_scale_rises_and_a_criterion_weighs_something(call):
    for bad in ({"scale_min": 5, "scale_max": 5}, {"weight": 0}):
        with pytest.raises(ValidationError):
            Criterion(call=call, name="K", **bad).full_clean()


def test_a_scale_cannot_shrink_under_scores_already_given(submitted, criteria, reviewers):
    scores_record(submitted, reviewer=reviewers["preparer"], given=full(criteria, 5, 10))
    criteria[0].scale_max = 4
    with pytest.raises(ValidationError):
        criteria[0].full_clean()
    criteria[0].scale_max = 6
    criteria[0].full_clean()


def test_drafts_and_withdrawn_applications_are_not_in_the_totals(call, criteria, application):
    withdrawn = submitted_in(call)
    selectors.application_model().objects.filter(pk=withdrawn.pk).update(state="withdrawn")
    kept = submitted_in(call)
    assert selectors.totals_for_call(call) == {kept.pk: None}
