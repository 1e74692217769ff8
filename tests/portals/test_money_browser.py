"""Issue 17's browser story in Chromium: an amendment raises the 2027 money of an agreement
already paid for that year and is signed; once its period for a request for rectification is
over, finance sees the supplementary payable with its reason in the inbox and pays it; the
yearly summary of 2027 then shows the paid total. Time is set with time-machine."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from agreements import instalments, scans, services
from agreements.models import Agreement
from finance import payables
from finance.models import Payable, Payment
from organisations.models import AssociationRole, OfficialRole
from tests.agreements.builders import act, at, terms, version_of
from tests.factories import UserFactory, chain_with_steps, represent
from tests.portals.conftest import login
from workflow.models import ApprovalChain

pytestmark = pytest.mark.browser

Role = OfficialRole.Role


def into_force(version, people, chain, signers):
    """Proposed by the liaison, accepted, reviewed, approved and signed by both sides."""
    version = act(version, "propose", people["liaison"])
    version = act(version, "accept", people["representative"])
    version = act(version, "submit_for_review", people["liaison"], chain_id=chain.pk)
    version = act(version, "record_step", people["preparer"], comment="Esitän hyväksymistä.")
    version = act(
        version, "decide", people["decision_maker"], outcome="approved", reasons="Tavoitteet."
    )
    for signer in signers:
        version = act(version, "sign", signer)
    return version


def test_an_amendment_raises_the_money_and_finance_pays_the_difference(
    page, portal_people, time_machine
):
    people = portal_people
    association = people["representative"].association_roles.get().association
    body = people["liaison"].official_roles.get().public_body
    steps = (Role.PREPARER,), (Role.DECISION_MAKER,)
    chain = chain_with_steps(body, *steps, kind=ApprovalChain.SubjectKind.AGREEMENT_VERSION)
    second = represent(UserFactory(username="sanna"), association, AssociationRole.Role.SIGNATORY)
    signers = [people["signatory"], second, people["decision_maker"]]

    time_machine.move_to(at(date(2026, 12, 1), 9))
    agreement = services.agreement_create(
        user=people["liaison"], public_body=body, associations=[association], terms_given=terms()
    )
    into_force(version_of(agreement), people, chain, signers)

    # In force from 1.1.2027; the 2027 instalment of 10 000 € is paid in February.
    time_machine.move_to(at(date(2027, 2, 2), 9))
    scans.activate_signed_agreements()
    instalments.open_due_instalments()
    (first,) = payables.payables_of(agreement)
    payables.payment_record_for(
        first.pk, user=people["finance"], amount=Decimal("10000.00"), paid_on=date(2027, 2, 2)
    )

    # The amendment raises 2027 to 13 000 € and is signed by both sides.
    time_machine.move_to(at(date(2027, 3, 1), 9))
    raised = terms()["resources"]
    raised[0]["amount"] = Decimal("13000.00")
    amendment = services.version_draft(
        Agreement.objects.get(pk=agreement.pk),
        user=people["liaison"],
        terms_given={"resources": raised},
        change_note="Lisärahoitus vuodelle 2027.",
    )
    amendment = into_force(amendment, people, chain, signers)
    time_machine.move_to(at(amendment.appeal_ends_on + timedelta(days=1), 9))
    assert instalments.open_due_instalments() == 1
    supplementary = payables.payables_of(agreement).exclude(pk=first.pk).get()
    assert (supplementary.amount, supplementary.kind) == (Decimal("3000.00"), Payable.Kind.PAYMENT)

    # Finance sees it in the inbox, with why it is there, and pays it in two steps.
    login(page, people["finance"])
    page.goto("/finance/")
    row = page.locator(f"#payable-{supplementary.pk}")
    shown = row.inner_text()
    for text in ("Peruste", "Sopimusmuutos", agreement.number):
        assert text in shown
    assert not page.locator(f"#payable-{first.pk}").count()  # paid in full already
    row.locator("summary").click()
    row.locator("input[name=amount]").fill("3000,00")
    row.locator("input[name=paid_on]").fill(timezone.localdate().isoformat())
    row.get_by_role("button", name="Tarkista maksu", exact=True).click()
    confirm = row.locator(".fin-confirm")
    confirm.wait_for()
    confirm.get_by_role("button", name="Kirjaa maksu", exact=True).click()
    page.locator("#messages").get_by_text("Maksu kirjattu").wait_for()
    (payment,) = Payment.objects.filter(payable=supplementary)
    assert payment.amount == Decimal("3000.00")

    # The welfare report's summary of 2027 shows what was paid: 10 000 € and 3 000 €.
    summary = page.request.get(f"/api/v1/agreements-summary/?public_body={body.pk}&year=2027")
    assert summary.status == 200
    assert summary.json()["total"]["money"] == "13000.00"
