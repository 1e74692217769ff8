"""A signed agreement cancelled before its term starts (agreements.cancellation): by one side's
proposal the other agrees to, or by the public body's decision with its reasons. Nothing of the
term happens: its meetings and evaluations are cancelled, unpaid instalments are not paid and
money paid ahead of the term becomes a recovery claim; both sides are told once, each in their
language, with the link to the agreement."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from rest_framework.test import APIClient

from agreements import instalments, scans, services
from agreements.models import Agreement, Evaluation
from agreements.summary import yearly_summary
from finance import batches, payables
from finance.models import Payable
from finance.reasons import reason_lines
from tests.agreements.builders import at, fresh, log_of, terms, version_of
from tests.conftest import as_user
from workflow.models import Deadline, Notification, TransitionLog
from workflow.transitions import available_transitions

pytestmark = pytest.mark.django_db

A = Agreement.State
URL = "/api/v1/agreements/"
REASON = "Seniorikeskuksen peruskorjaus viivästyy vuoteen 2028."
CANCELLATION = {
    "propose_cancellation",
    "withdraw_cancellation",
    "decline_cancellation",
    "agree_cancellation",
    "cancel_by_decision",
}


@pytest.fixture
def signed(draft, negotiate_to_force, time_machine):
    """Signed jointly on 6 December 2026; its term begins on 1 January 2027."""
    time_machine.move_to(at(date(2026, 12, 6)), tick=False)
    negotiate_to_force(version_of(draft))
    agreement = fresh(draft)
    assert agreement.state == A.SIGNED
    return agreement


def offered(agreement, user) -> set[str]:
    return set(available_transitions(fresh(agreement), user)) & CANCELLATION


def post(api, user, agreement, name, **params):
    return as_user(api, user).post(
        f"{URL}{agreement.pk}/transitions/",
        {"transition": name, **params},
        format="json",
        HTTP_ACCEPT_LANGUAGE=user.language or "fi",
    )


def kinds_to(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user, kind__startswith="agreement_cancel")
        .order_by("id")
        .values_list("kind", flat=True)
    )


def test_a_signed_agreement_offers_its_cancellation_not_a_notice(
    signed, people, representative, signatories
):
    """Before the term a notice of termination is not what either side may give."""
    assert offered(signed, people["liaison"]) == {"propose_cancellation"}
    assert offered(signed, signatories[0]) == {"propose_cancellation"}
    assert offered(signed, people["decision_maker"]) == {"cancel_by_decision"}
    # The representative negotiates but does not sign for the association.
    assert offered(signed, representative) == set()
    for person in (people["liaison"], representative, signatories[0]):
        assert "terminate" not in available_transitions(signed, person)


def test_both_sides_agree_to_cancel_and_nothing_of_the_term_happens(
    signed, api, people, representative, signatories
):
    representative.language = "sv"
    representative.save()
    signatory, liaison = signatories[0], people["liaison"]
    assert signed.meetings.filter(cancelled=False).exists()
    assert signed.evaluations.exclude(state=Evaluation.State.CANCELLED).exists()

    answer = post(api, signatory, signed, "propose_cancellation", reason=REASON)
    assert answer.status_code == 200, answer.content
    shown = answer.json()
    assert (shown["state"], shown["cancellation_side"]) == ("signed", "association")
    assert shown["available_transitions"] == ["withdraw_cancellation"]
    # The other side answers; a second proposal is not offered while one waits.
    assert offered(signed, liaison) == {"agree_cancellation", "decline_cancellation"}
    assert post(api, liaison, signed, "propose_cancellation", reason="x").status_code == 409

    answer = post(api, liaison, signed, "agree_cancellation")
    assert answer.status_code == 200, answer.content
    agreement = fresh(signed)
    assert (agreement.state, agreement.cancelled_on) == (A.CANCELLED, date(2026, 12, 6))
    assert agreement.cancellation_reason == REASON
    assert agreement.cancellation_section == ""
    assert not agreement.meetings.filter(cancelled=False).exists()
    assert not agreement.evaluations.exclude(state=Evaluation.State.CANCELLED).exists()
    assert not Deadline.objects.filter(
        object_id=agreement.pk, kind="agreement_ends", status="open"
    ).exists()
    assert available_transitions(agreement, liaison) == []
    assert log_of(agreement)[-2:] == ["propose_cancellation", "agree_cancellation"]

    # Each side told once of the proposal and once of the cancellation (but not of its own
    # act), in the person's language, with the link to the agreement.
    assert kinds_to(representative) == ["agreement_cancellation_proposed", "agreement_cancelled"]
    assert kinds_to(liaison) == ["agreement_cancellation_proposed"]
    told = Notification.objects.get(recipient=representative, kind="agreement_cancelled")
    assert told.language == "sv"
    assert told.context["path"] == reverse("partnerships:agreement", args=[agreement.pk])


def test_a_proposal_declined_leaves_it_signed_and_may_be_made_again(
    signed, api, people, representative, signatories
):
    liaison, signatory = people["liaison"], signatories[0]
    assert post(api, liaison, signed, "propose_cancellation", reason=REASON).status_code == 200
    assert offered(signed, liaison) == {"withdraw_cancellation"}
    assert offered(signed, signatory) == {"agree_cancellation", "decline_cancellation"}
    # Declined: the association's mandate to sign for it answers.
    assert post(api, signatory, signed, "decline_cancellation").status_code == 200
    agreement = fresh(signed)
    assert (agreement.state, agreement.cancellation_side) == (A.SIGNED, "")
    assert agreement.meetings.filter(cancelled=False).exists()

    assert post(api, liaison, signed, "propose_cancellation", reason=REASON).status_code == 200
    assert post(api, liaison, signed, "withdraw_cancellation").status_code == 200
    assert kinds_to(representative) == [
        "agreement_cancellation_proposed",
        "agreement_cancellation_dropped",
        "agreement_cancellation_proposed",
        "agreement_cancellation_dropped",
    ]
    declined, withdrawn = Notification.objects.filter(
        recipient=representative, kind="agreement_cancellation_dropped"
    ).order_by("id")
    assert (declined.context["declined"], withdrawn.context["declined"]) == (True, False)


def test_a_proposal_unanswered_when_the_term_begins_lapses(
    signed, api, people, representative, signatories, time_machine
):
    assert post(api, people["liaison"], signed, "propose_cancellation", reason=REASON).status_code
    time_machine.move_to(at(date(2027, 1, 1)), tick=False)
    assert scans.activate_signed_agreements() == 1
    agreement = fresh(signed)
    assert (agreement.state, agreement.cancellation_side) == (A.ACTIVE, "")
    assert offered(agreement, signatories[0]) == set()
    lapsed = Notification.objects.get(
        recipient=representative, kind="agreement_cancellation_dropped"
    )
    assert lapsed.context["lapsed"] is True


def test_a_proposal_needs_its_reason_and_nothing_is_saved_without_it(
    signed, api, people, representative
):
    answer = post(api, people["liaison"], signed, "propose_cancellation", reason="   ")
    assert answer.status_code == 400
    assert "reason" in answer.json()
    assert fresh(signed).cancellation_side == ""
    assert kinds_to(representative) == []


def test_the_body_cancels_it_by_a_decision_with_reasons_and_a_section(
    signed, api, people, representative
):
    maker = people["decision_maker"]
    assert post(api, maker, signed, "cancel_by_decision", reasons="").status_code == 400
    assert fresh(signed).state == A.SIGNED

    answer = post(api, maker, signed, "cancel_by_decision", reasons=REASON)
    assert answer.status_code == 200, answer.content
    agreement = fresh(signed)
    assert agreement.state == A.CANCELLED
    assert agreement.cancellation_section.startswith("§ ")
    assert answer.json()["cancellation_section"] == agreement.cancellation_section
    told = Notification.objects.get(recipient=representative, kind="agreement_cancelled")
    assert told.context["section"] == agreement.cancellation_section
    assert told.context["rectification_days"] == 14
    assert told.context["registry_email"] == signed.public_body.registry_email != ""


def test_once_in_force_it_is_terminated_not_cancelled(active, people, signatories):
    for person in (people["liaison"], signatories[0], people["decision_maker"]):
        assert offered(active, person) == set()


@pytest.fixture
def paid_ahead(body, association, representative, negotiate_to_force, people, time_machine):
    """Signed on 1 December 2026 with 2027's and 2028's money payable on 20 December, before
    the term; finance has paid 2027, 2028 waits in its inbox."""
    time_machine.move_to(at(date(2026, 12, 1)), tick=False)
    money = [
        {"year": year, "kind": "money", "amount": Decimal("10000.00"), "pays_on": pays_on}
        for year, pays_on in (
            (2027, date(2026, 12, 20)),
            (2028, date(2026, 12, 20)),
            (2029, date(2029, 2, 1)),
        )
    ]
    agreement = services.agreement_create(
        user=representative,
        public_body=body,
        associations=[association],
        terms_given=terms(resources=money),
    )
    negotiate_to_force(version_of(agreement))
    time_machine.move_to(at(date(2026, 12, 21)), tick=False)
    assert instalments.open_due_instalments() == 2
    first = payables.payables_of(agreement).get(source="instalment:2027")
    payables.payment_record_for(
        first.pk, user=people["finance"], amount=Decimal("10000.00"), paid_on=date(2026, 12, 21)
    )
    agreement = fresh(agreement)
    assert agreement.state == A.SIGNED
    return agreement


def test_no_money_is_paid_for_a_term_that_never_starts(
    paid_ahead, api, people, signatories, time_machine
):
    assert post(api, signatories[0], paid_ahead, "propose_cancellation", reason=REASON).status_code
    answer = post(api, people["liaison"], paid_ahead, "agree_cancellation")
    assert answer.status_code == 200, answer.content

    rows = {
        (p.source.split(":")[1], p.kind): p
        for p in payables.with_paid_amount(payables.payables_of(paid_ahead))
    }
    # 2028 was not paid: it owes nothing and leaves finance's inbox.
    assert rows[("2028", Payable.Kind.PAYMENT)].amount == Decimal(0)
    assert list(batches.payable_inbox(people["finance"])) == []
    # 2027 was paid ahead of the term: claimed back.
    claim = rows[("2027", Payable.Kind.RECOVERY)]
    assert (claim.amount, claim.association_id) == (
        Decimal("10000.00"),
        paid_ahead.lead_association.pk,
    )
    # Each says why in the reader's language: the cancellation, not an amendment.
    assert reason_lines(claim, "fi") == [
        f"Palautettava: sopimus {paid_ahead.number} peruttiin 21.12.2026 ennen sopimuskauden "
        "alkua, kun sen rahaa oli jo maksettu."
    ]
    assert reason_lines(rows[("2028", Payable.Kind.PAYMENT)], "en") == [
        f"Nothing to pay: agreement {paid_ahead.number} was cancelled on 21 December 2026 "
        "before its term started."
    ]
    # Finance's API reads the cancellation's reasons as facts.
    finance_api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    finance_api.force_authenticate(people["finance"])
    listed = finance_api.get("/api/v1/finance/payable/recovery-claims/")
    assert listed.status_code == 200, listed.content
    claimed = finance_api.get(f"/api/v1/finance/payable/{claim.pk}/")
    assert claimed.status_code == 200, claimed.content
    assert claimed.json()["reasons"][0]["cause"] == "cancellation"
    # Nothing more falls due later, and the scan does not undo the cancellation's money.
    assert instalments.open_due_instalments(date(2029, 2, 2)) == 0
    assert payables.payables_of(paid_ahead).count() == 3

    # Finance records the claim paid back on the cancelled agreement, in the next year.
    time_machine.move_to(at(date(2027, 1, 15)), tick=False)
    payables.payment_record_for(
        claim.pk, user=people["finance"], amount=Decimal("10000.00"), paid_on=date(2027, 1, 15)
    )
    assert payables.paid_total(claim) == Decimal("10000.00")

    # The yearly summary counts the money in the year it moved, and no day in force.
    paid_out, paid_back = (yearly_summary(paid_ahead.public_body_id, y) for y in (2026, 2027))
    assert (paid_out.total.agreements, paid_out.total.money) == (1, Decimal("10000.00"))
    assert (paid_back.total.agreements, paid_back.total.money) == (1, Decimal("-10000.00"))
    assert yearly_summary(paid_ahead.public_body_id, 2028).total.agreements == 0


def test_the_page_offers_the_cancellation_and_shows_it(signed, client, people, signatories):
    client.force_login(signatories[0])
    page = reverse("partnerships:agreement", args=[signed.pk])
    action = reverse("partnerships:agreement_action", args=[signed.pk, "propose_cancellation"])
    assert action in client.get(page).content.decode()

    assert client.post(action, {"reason": ""}).status_code == 400
    answer = client.post(action, {"reason": REASON})
    assert answer.status_code == 302
    assert fresh(signed).cancellation_side == "association"

    client.force_login(people["liaison"])
    text = client.get(page).content.decode()
    agree = reverse("partnerships:agreement_action", args=[signed.pk, "agree_cancellation"])
    assert agree in text
    assert REASON in text
    assert client.post(agree, {}).status_code == 302
    text = client.get(page).content.decode()
    assert fresh(signed).state == A.CANCELLED
    assert REASON in text
    assert agree not in text


# --- agreements 0006: agreements made active before their term are signed --------------------

BEFORE_SIGNED = [("agreements", "0005_resource_premises")]
AFTER_SIGNED = [("agreements", "0006_signed_cancellation_and_active_before_term")]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)  # a fresh loader sees what is applied now


@pytest.mark.django_db(transaction=True)
def test_agreements_active_before_their_term_become_signed_and_the_migration_reverses(
    draft, body, association, representative, negotiate_to_force, time_machine
):
    time_machine.move_to(at(date(2026, 12, 6)), tick=False)
    early = negotiate_to_force(version_of(draft)).agreement
    # As the code before the `signed` state left it: active from the day of the last signature.
    Agreement.objects.filter(pk=early.pk).update(state=A.ACTIVE, activated_on=date(2026, 12, 6))
    signed = services.agreement_create(
        user=representative, public_body=body, associations=[association], terms_given=terms()
    )
    negotiate_to_force(version_of(signed))
    begun = services.agreement_create(
        user=representative,
        public_body=body,
        associations=[association],
        terms_given=terms(starts_on=date(2026, 11, 1)),
    )
    negotiate_to_force(version_of(begun))
    # Only the columns 0006 knows: a later migration adds others to the model.
    states = lambda: {  # noqa: E731
        pk: (state, day)
        for pk, state, day in Agreement.objects.filter(pk__in=ids).values_list(
            "pk", "state", "activated_on"
        )
    }
    ids = [early.pk, signed.pk, begun.pk]
    try:
        _migrate(BEFORE_SIGNED)
        _migrate(AFTER_SIGNED)
        assert states() == {
            early.pk: (A.SIGNED, None),
            signed.pk: (A.SIGNED, None),
            begun.pk: (A.ACTIVE, date(2026, 12, 6)),
        }
        assert log_of(early)[-1] == "await_term"
        at_0006 = Agreement.objects.only("activated_on", "in_force_version").get(pk=early.pk)
        assert at_0006.starts_on == date(2027, 1, 1)

        _migrate(BEFORE_SIGNED)  # reversible: what it moved is active again, from its day
        rows = dict(Agreement.objects.filter(pk__in=ids).values_list("pk", "state"))
        assert rows == {early.pk: A.ACTIVE, signed.pk: A.SIGNED, begun.pk: A.ACTIVE}
        assert log_of(early)[-2:] == ["await_term", "activate"]  # both moves audited
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert states()[early.pk] == (A.SIGNED, None)
    # The daily scan brings both into force on the term's first day.
    time_machine.move_to(at(date(2027, 1, 1)), tick=False)
    assert scans.activate_signed_agreements() == 2
    assert states()[early.pk] == (A.ACTIVE, date(2027, 1, 1))


def test_the_association_cancels_on_its_mandate_to_sign_and_the_audit_says_so(
    signed, api, people, signatories, settings
):
    signatory = signatories[0]
    answer = post(api, signatory, signed, "propose_cancellation", reason=REASON)
    assert answer.status_code == 200, answer.content
    log = TransitionLog.objects.filter(object_id=signed.pk, transition="propose_cancellation")
    assert log.get().data["acted_on"]["role"] == "signatory"
    assert post(api, people["liaison"], signed, "decline_cancellation").status_code == 200

    # Where mandates come from Suomi.fi e-Authorizations, a signatory not strongly identified
    # is refused before anything is asked or saved.
    settings.MANDATES_SOURCE = "suomifi"
    answer = post(api, signatory, signed, "propose_cancellation", reason=REASON)
    assert answer.status_code == 403
    assert fresh(signed).cancellation_side == ""
    # The public body's side acts on its own roles.
    assert (
        post(api, people["liaison"], signed, "propose_cancellation", reason=REASON).status_code
        == 200
    )
