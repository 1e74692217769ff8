"""The agreement document and an instalment's payment order as the contract between data and
templates has them: names in the lead association's language, the decision's section and
electronic signature; an instalment is paid on the agreement, on its own date."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from agreements import instalments
from agreements.documents import agreement_context
from agreements.models import Agreement, AgreementVersion
from finance.documents import payment_order
from finance.models import Payable
from finance.references import creditor_reference, printed
from organisations.models import OfficialRole
from tests.agreements.builders import at, fresh, version_of

pytestmark = pytest.mark.django_db


def test_a_swedish_partys_agreement_is_written_with_swedish_names(
    draft, association, body, people, advance
):
    association.language = "sv"
    association.save()
    body.name_sv = "Exempelby stad"
    body.save()
    AgreementVersion.objects.filter(agreement=draft).update(
        title_sv="Partnerskapsavtal om äldres motion"
    )
    OfficialRole.objects.filter(user=people["decision_maker"]).update(
        title="Palvelujohtaja", title_sv="Servicedirektör"
    )
    version = advance(
        version_of(draft), "propose", "accept", "submit_for_review", "record_step", "decide"
    )
    context = agreement_context(fresh(version), "sv")

    assert context["public_body"]["name"] == "Exempelby stad"
    assert context["agreement"]["title"] == "Partnerskapsavtal om äldres motion"
    decision = context["decision"]
    assert decision["section"] == version.decision_section != ""
    assert decision["maker_title"] == "Servicedirektör"
    assert decision["signed"] == {
        "name": people["decision_maker"].display_name,
        "title": "Servicedirektör",
        "at": fresh(version).decided_at,
    }
    # In Finnish the same agreement keeps its Finnish names.
    finnish = agreement_context(fresh(version), "fi")
    assert finnish["agreement"]["title"] == version.title
    assert finnish["decision"]["maker_title"] == "Palvelujohtaja"


@override_settings(FINANCE_DOCUMENT_LANGUAGE="fi")
def test_an_instalments_payment_order_is_paid_on_the_agreement(active, people, time_machine):
    time_machine.move_to(at(date(2027, 2, 2)), tick=False)
    instalments.open_due_instalments()
    payable = Payable.objects.get(object_id=active.pk, source="instalment:2027")
    agreement = Agreement.objects.get(pk=active.pk)
    version = agreement.in_force_version

    order = payment_order(payable)

    assert order["basis"] == {
        "kind": "agreement",
        "number": agreement.number,
        "date": timezone.localtime(version.decided_at).date(),
        "section": version.decision_section,
        "legally_valid_on": None,
        "amount": Decimal("10000.00"),
        "paid_before": Decimal(0),
    }
    assert order["payment"]["payable_on"] == date(2027, 2, 1)
    assert order["payment"]["reference"] == printed(creditor_reference(payable))
    assert agreement.number not in order["payment"]["message"]
    assert order["approver"]["name"] == people["decision_maker"].display_name
    assert order["approver"]["title"] != ""
    assert order["approver"]["approved_at"] == payable.created_at
