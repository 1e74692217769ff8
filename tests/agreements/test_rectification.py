"""A request for rectification of an agreement decision (Local Government Act 134 §), on the
engine as the grants' one: a party requests it within the period, the body upholds or changes
the decision, and the money waits while it is pending (issue 17)."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from agreements import instalments
from agreements.models import AgreementRectification, AgreementVersion
from tests.agreements.builders import act, at, fresh, log_of, version_of
from tests.conftest import as_user
from workflow.transitions import available_transitions

pytestmark = pytest.mark.django_db
V = AgreementVersion.State
DECIDED = ("propose", "accept", "submit_for_review", "record_step", "decide")
VERSIONS = "/api/v1/agreement-versions/"
GROUNDS = "Päätöksestä puuttuu vuoden 2028 rahoitus, josta neuvoteltiin."


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(at(date(2026, 12, 15)), tick=False)
    return time_machine


@pytest.fixture
def approved(draft, advance, clock) -> AgreementVersion:
    return advance(version_of(draft), *DECIDED)


def request(api, version, user, grounds=GROUNDS):
    return as_user(api, user).post(
        f"{VERSIONS}{version.pk}/transitions/",
        {"transition": "request_rectification", "comment": grounds},
    )


def decide(api, version, user, outcome, reasons="Perustelut."):
    return as_user(api, user).post(
        f"{VERSIONS}{version.pk}/transitions/",
        {"transition": "decide_rectification", "outcome": outcome, "reasons": reasons},
    )


def test_a_party_requests_rectification_within_the_period_and_the_body_upholds(
    api, approved, representative, people, association, clock
):
    assert "request_rectification" in available_transitions(approved, representative)
    answer = request(api, approved, representative)
    assert answer.status_code == 200, answer.content
    assert "request_rectification" not in answer.json()["available_transitions"]
    (rectification,) = AgreementRectification.objects.all()
    assert (rectification.association, rectification.grounds, rectification.original_outcome) == (
        association,
        GROUNDS,
        "approved",
    )
    assert "decide_rectification" in available_transitions(
        fresh(approved), people["decision_maker"]
    )

    clock.move_to(at(date(2026, 12, 20)), tick=False)
    answer = decide(api, approved, people["decision_maker"], "upheld", "Rahoitus on päätöksessä.")
    assert answer.status_code == 200, answer.content
    version = fresh(approved)
    assert (version.state, version.outcome) == (V.APPROVED, "approved")
    rectification.refresh_from_db()
    assert (rectification.outcome, rectification.decided_by) == ("upheld", people["decision_maker"])
    assert rectification.decision_section
    # The appeal now goes to the administrative court (Local Government Act 135 §: 30 days),
    # counted from the rectification decision; the money waits for it.
    assert version.appeal_ends_on > date(2026, 12, 20) + timedelta(days=30)
    assert log_of(version)[-2:] == ["request_rectification", "decide_rectification"]


def test_a_changed_decision_turns_an_approval_into_a_rejection(
    api, approved, representative, people
):
    request(api, approved, representative)
    answer = decide(api, approved, people["decision_maker"], "changed", "Ehdot eivät täyty.")
    assert answer.status_code == 200, answer.content
    version = fresh(approved)
    assert (version.state, version.outcome, version.reasons) == (
        V.REJECTED,
        "rejected",
        "Ehdot eivät täyty.",
    )
    assert "sign" not in answer.json()["available_transitions"]


def test_a_changed_decision_turns_a_rejection_into_an_approval(
    api, draft, advance, people, representative, clock
):
    version = advance(version_of(draft), "propose", "accept", "submit_for_review", "record_step")
    version = act(version, "decide", people["decision_maker"], outcome="rejected", reasons="Ei.")
    assert version.appeal_ends_on is not None  # a rejection may be reviewed too
    request(api, version, representative)
    answer = decide(api, version, people["decision_maker"], "changed", "Tavoitteet täyttyvät.")
    assert answer.status_code == 200, answer.content
    version = fresh(version)
    assert (version.state, version.outcome) == (V.APPROVED, "approved")


def test_after_the_period_the_request_is_refused(api, approved, representative, clock):
    clock.move_to(at(approved.appeal_ends_on + timedelta(days=1)), tick=False)
    assert "request_rectification" not in available_transitions(approved, representative)
    answer = request(api, approved, representative)
    assert answer.status_code == 409
    assert not AgreementRectification.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [({"outcome": "maybe", "reasons": "x"}, "outcome"), ({"outcome": "upheld"}, "reasons")],
)
def test_a_bad_decision_is_a_400_and_saves_nothing(
    api, approved, representative, people, data, field
):
    request(api, approved, representative)
    answer = as_user(api, people["decision_maker"]).post(
        f"{VERSIONS}{approved.pk}/transitions/", {"transition": "decide_rectification", **data}
    )
    assert answer.status_code == 400
    assert field in answer.json()
    assert AgreementRectification.objects.get().decided_at is None


def test_only_a_party_requests_and_only_a_decision_maker_decides(
    api, approved, representative, foreign_representative, people
):
    assert request(api, approved, foreign_representative).status_code == 404
    assert request(api, approved, people["liaison"]).status_code == 403
    assert request(api, approved, representative, grounds=" ").status_code == 400
    request(api, approved, representative)
    assert decide(api, approved, representative, "upheld").status_code == 403
    assert decide(api, approved, people["foreign_preparer"], "upheld").status_code == 404
    assert AgreementRectification.objects.get().decided_at is None


def test_the_money_waits_while_the_request_is_pending(
    approved, representative, people, signatories, clock
):
    act(approved, "request_rectification", representative, comment=GROUNDS)
    for signer in (*signatories, people["decision_maker"]):
        act(approved, "sign", signer)
    clock.move_to(at(date(2027, 2, 1)), tick=False)
    assert fresh(approved).appeal_ends_on < date(2027, 2, 1)
    assert instalments.open_due_instalments() == 0

    act(approved, "decide_rectification", people["decision_maker"], outcome="upheld", reasons="R.")
    # The rectification decision's own appeal period (30 days) comes first.
    assert instalments.open_due_instalments() == 0
    clock.move_to(at(fresh(approved).appeal_ends_on + timedelta(days=1)), tick=False)
    assert instalments.open_due_instalments() == 1


def test_the_version_page_offers_the_request_and_the_decision(
    client, approved, representative, people
):
    page = reverse("partnerships:version", args=[approved.agreement_id, approved.number])
    action = reverse(
        "partnerships:version_action",
        args=[approved.agreement_id, approved.number, "request_rectification"],
    )
    client.force_login(representative)
    assert action in client.get(page).content.decode()
    # Without grounds: the form again with its message, nothing saved.
    assert client.post(action, {"request_rectification-comment": " "}).status_code == 400
    assert not AgreementRectification.objects.exists()
    answer = client.post(action, {"request_rectification-comment": GROUNDS})
    assert answer.status_code == 302
    assert AgreementRectification.objects.get().grounds == GROUNDS
    assert action not in client.get(page).content.decode()

    client.force_login(people["decision_maker"])
    decide_action = reverse(
        "partnerships:version_action",
        args=[approved.agreement_id, approved.number, "decide_rectification"],
    )
    assert decide_action in client.get(page).content.decode()
    answer = client.post(
        decide_action,
        {"decide_rectification-outcome": "upheld", "decide_rectification-reasons": "Pysyy."},
    )
    assert answer.status_code == 302
    assert AgreementRectification.objects.get().outcome == "upheld"
