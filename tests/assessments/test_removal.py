"""Removing a reviewer's assignment (issue 14): the preparer removes it on the page or through
the API, audited; the reviewer's scores are kept for the audit but no longer count, and an
assignment of another body's call is not found."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from assessments import selectors
from assessments.models import Reviewer, Score
from assessments.services import Given, reviewer_remove, scores_record
from tests.conftest import as_user
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_scored(submitted, criteria, reviewers):
    """The preparer gives full marks, the second preparer the lowest: the total is 50."""
    scores_record(
        submitted,
        reviewer=reviewers["preparer"],
        given=[Given(criteria[0].pk, 5), Given(criteria[1].pk, 10)],
    )
    scores_record(
        submitted,
        reviewer=reviewers["preparer2"],
        given=[Given(criteria[0].pk, 0, "Heikko"), Given(criteria[1].pk, 1)],
    )
    assert selectors.totals_for_call(submitted.call)[submitted.pk] == Decimal("50.00")
    return submitted


def assignment_of(call, user) -> Reviewer:
    return Reviewer.objects.get(call=call, user=user)


def test_a_removed_reviewers_scores_stay_but_no_longer_count(two_scored, reviewers):
    removed = assignment_of(two_scored.call, reviewers["preparer2"])
    reviewer_remove(removed, actor=reviewers["preparer"])
    assert selectors.totals_for_call(two_scored.call)[two_scored.pk] == Decimal("100.00")
    assert Score.objects.filter(reviewer=reviewers["preparer2"]).count() == 2
    sheet = selectors.sheet(two_scored)
    assert sheet.total == Decimal("100.00")
    assert [(row.reviewer, row.removed) for row in sheet.rows] == [
        (reviewers["preparer"], False),
        (reviewers["preparer2"], True),
    ]
    [record] = TransitionLog.objects.filter(transition="remove_reviewer")
    assert record.actor == reviewers["preparer"]
    assert record.data == {"reviewer": reviewers["preparer2"].pk}
    # Assigned again, the same scores count again: nothing was deleted.
    Reviewer.objects.create(call=two_scored.call, user=reviewers["preparer2"])
    assert selectors.totals_for_call(two_scored.call)[two_scored.pk] == Decimal("50.00")


def test_an_application_assignment_counts_only_for_its_application(two_scored, reviewers, criteria):
    call_wide = assignment_of(two_scored.call, reviewers["preparer2"])
    Reviewer.objects.create(
        call=two_scored.call, application=two_scored, user=reviewers["preparer2"]
    )
    reviewer_remove(call_wide, actor=reviewers["preparer"])
    # Still assigned to this application itself: the scores count.
    assert selectors.totals_for_call(two_scored.call)[two_scored.pk] == Decimal("50.00")


def test_only_the_preparer_removes_and_a_refusal_changes_nothing(two_scored, reviewers):
    with pytest.raises(PermissionDenied):
        reviewer_remove(
            assignment_of(two_scored.call, reviewers["preparer2"]), actor=reviewers["liaison"]
        )
    assert Reviewer.objects.count() == 2
    assert not TransitionLog.objects.filter(transition="remove_reviewer").exists()


def test_the_preparer_removes_a_reviewer_on_the_page(client, two_scored, reviewers):
    call = two_scored.call
    removed = assignment_of(call, reviewers["preparer2"])
    url = reverse("assessments:reviewer-remove", args=[call.pk, removed.pk])
    client.force_login(reviewers["preparer"])
    page = client.get(reverse("assessments:reviewers", args=[call.pk])).content.decode()
    assert url in page
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not Reviewer.objects.filter(pk=removed.pk).exists()
    panel = client.get(reverse("officials:application", args=[two_scored.pk])).content.decode()
    assert "ei enää arvioija: ei lasketa" in panel


def test_others_may_not_remove_on_the_page(client, two_scored, reviewers, representative):
    call = two_scored.call
    removed = assignment_of(call, reviewers["preparer2"])
    url = reverse("assessments:reviewer-remove", args=[call.pk, removed.pk])
    client.force_login(reviewers["liaison"])
    assert url not in client.get(reverse("assessments:reviewers", args=[call.pk])).content.decode()
    assert client.post(url).status_code == 403
    client.force_login(reviewers["foreign_preparer"])
    assert client.post(url).status_code == 404
    client.force_login(representative)
    assert client.post(url).status_code == 403
    # An assignment is found only under its own call.
    client.force_login(reviewers["preparer"])
    other_call = reverse("assessments:reviewer-remove", args=[call.pk + 1000, removed.pk])
    assert client.post(other_call).status_code == 404
    assert Reviewer.objects.filter(pk=removed.pk).exists()


def test_the_preparer_removes_a_reviewer_through_the_api(api, two_scored, reviewers):
    call = two_scored.call
    removed = assignment_of(call, reviewers["preparer2"])
    url = f"/api/v1/calls/{call.pk}/reviewers/{removed.pk}/"
    assert as_user(api, reviewers["foreign_preparer"]).delete(url).status_code == 404
    assert as_user(api, reviewers["liaison"]).delete(url).status_code == 403
    assert (
        as_user(api, reviewers["preparer"]).delete("/api/v1/calls/1/reviewers/x/").status_code
        == 404
    )
    assert as_user(api, reviewers["preparer"]).get(url).status_code == 405
    assert as_user(api, reviewers["preparer"]).delete(url).status_code == 204
    assert as_user(api, reviewers["preparer"]).delete(url).status_code == 404
    scores = as_user(api, reviewers["preparer"]).get(
        f"/api/v1/applications/{two_scored.pk}/scores/"
    )
    assert scores.json()["total"] == "100.00"
    assert [row["removed"] for row in scores.json()["rows"]] == [False, True]
