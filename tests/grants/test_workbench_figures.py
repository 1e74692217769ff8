"""The workbench's figures read per call from the partial indexes (grants 0010): each call's
budget used and submitted applications are its own, a draft and another call's applications
never count, and a call with nothing yet reads zero rather than nothing."""

from decimal import Decimal

import pytest

from grants import workbench_selectors as selectors
from tests.factories import ApplicationFactory, CallFactory, PublicBodyFactory

pytestmark = pytest.mark.django_db


def test_each_call_counts_its_own_submitted_applications_and_granted_amounts(
    people, body, call, association, representative, walk
):
    def new(on):
        return ApplicationFactory(call=on, association=association, created_by=representative)

    walk(new(call), "submit", "start_review", "record_step", "decide")
    walk(new(call), "submit")
    new(call)  # a draft: the association's own, not counted
    empty = CallFactory(public_body=body)
    other = CallFactory(public_body=PublicBodyFactory())
    walk(ApplicationFactory(call=other, association=association, created_by=representative))

    calls = {c.pk: c for c in selectors.calls_for_official(people["preparer"])}

    assert set(calls) == {call.pk, empty.pk}
    assert (calls[call.pk].granted, calls[call.pk].application_count) == (Decimal(5000), 2)
    assert calls[call.pk].left == call.budget - Decimal(5000)
    assert (calls[empty.pk].granted, calls[empty.pk].application_count) == (Decimal(0), 0)
    assert calls[empty.pk].left == empty.budget


def test_the_queue_counts_and_the_states_chart_match_the_lists(
    people, call, association, representative, walk
):
    def submitted():
        return walk(
            ApplicationFactory(call=call, association=association, created_by=representative),
            "submit",
        )

    for _ in range(3):
        submitted()
    walk(submitted(), "start_review", "record_step", "decide")
    preparer = people["preparer"]

    counts = selectors.queue_counts(preparer)
    states = {bar.extra["state"]: bar.value for bar in selectors.applications_by_state(preparer)}

    assert counts["check"] == len(selectors.to_check(preparer)) == 3
    assert counts["send"] == len(selectors.decisions_to_send(preparer)) == 1
    assert counts["reports"] == 0
    assert states == {"submitted": 3, "decided": 1}
