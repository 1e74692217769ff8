"""A grant's documents as the contract between data and templates has them: every name in
the language of the matter (Swedish names, else the Finnish ones), the decision's section and
electronic signature, a rectification decision's own number beside the original's, and the
payment order's basis, payment and approver."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from finance.documents import payment_order
from finance.references import creditor_reference, printed
from grants.documents import grant_decision, rectification_decision
from grants.models import Application
from organisations.models import OfficialRole
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db

DECIDED = ("submit", "start_review", "record_step", "decide")


@pytest.fixture
def swedish(association):
    association.language = "sv"
    association.save()
    return association


@pytest.fixture
def named_in_swedish(body, call, people):
    body.name, body.name_sv = "Esimerkkilän kaupunki", "Exempelby stad"
    body.save()
    call.unit = UnitFactory(public_body=body, name="Kulttuuripalvelut", name_sv="Kulturtjänster")
    call.name, call.name_sv = "Toiminta-avustukset 2027", "Verksamhetsbidrag 2027"
    call.save()
    OfficialRole.objects.filter(user=people["decision_maker"]).update(
        title="Kulttuurijohtaja", title_sv="Kulturdirektör"
    )


def fresh(application: Application) -> Application:
    return Application.objects.get(pk=application.pk)


def test_a_swedish_matter_names_the_body_unit_call_and_maker_in_swedish(
    application, swedish, named_in_swedish, people, walk
):
    app = fresh(walk(application, *DECIDED))
    context = grant_decision(app)

    assert (context["public_body"]["name"], context["public_body"]["unit"]) == (
        "Exempelby stad",
        "Kulturtjänster",
    )
    assert context["application"]["call"] == "Verksamhetsbidrag 2027"
    decision = context["decision"]
    assert (decision["maker"], decision["maker_title"]) == (
        people["decision_maker"].display_name,
        "Kulturdirektör",
    )
    assert decision["signed"] == {
        "name": people["decision_maker"].display_name,
        "title": "Kulturdirektör",
        "at": app.decided_at,
    }
    assert decision["section"] == f"§ 1/{timezone.localdate().year}"
    assert decision["number"] == app.decision_number


def test_a_finnish_matter_of_the_same_body_is_named_in_finnish(application, named_in_swedish, walk):
    context = grant_decision(fresh(walk(application, *DECIDED)))
    assert context["public_body"]["name"] == "Esimerkkilän kaupunki"
    assert context["application"]["call"] == "Toiminta-avustukset 2027"
    assert context["decision"]["maker_title"] == "Kulttuurijohtaja"


def test_a_name_missing_in_swedish_falls_back_to_finnish(
    application, swedish, body, call, people, walk
):
    body.name, body.name_sv = "Pikkukunta", ""
    body.save()
    OfficialRole.objects.filter(user=people["decision_maker"]).update(
        title="Sivistysjohtaja", title_sv=""
    )
    context = grant_decision(fresh(walk(application, *DECIDED)))
    assert context["public_body"]["name"] == "Pikkukunta"
    assert context["application"]["call"] == call.name
    assert context["decision"]["maker_title"] == "Sivistysjohtaja"


def test_the_body_states_its_registry_for_a_request_for_rectification(application, body, walk):
    body.phone, body.registry_address = "", "Kirjaamo, PL 9, 00099 KUNTA"
    body.save()
    context = grant_decision(fresh(walk(application, *DECIDED)))
    assert context["public_body"]["phone"] == ""
    assert context["public_body"]["registry_address"] == "Kirjaamo, PL 9, 00099 KUNTA"
    assert context["appeal"]["address"] == "Kirjaamo, PL 9, 00099 KUNTA"
    assert context["public_body"]["email"] == body.registry_email


def test_a_rectification_decision_has_its_own_number_and_names_the_original(application, walk):
    app = walk(application, *DECIDED, "notify")
    original = fresh(app)
    app = walk(
        app,
        "file_rectification",
        "decide_rectification",
        decide_rectification={"params": {"outcome": "upheld", "reasons": "Ei uutta."}},
    )
    app = fresh(app)
    rectification = app.rectifications.get()
    context = rectification_decision(app, rectification)

    assert (context["decision"]["number"], context["decision"]["section"]) == (
        rectification.decision_number,
        rectification.decision_section,
    )
    assert context["decision"]["number"] != original.decision_number
    assert context["original"]["number"] == original.decision_number
    assert context["original"]["section"] == original.decision_section
    assert context["decision"]["signed"]["at"] == rectification.decided_at


@override_settings(FINANCE_DOCUMENT_LANGUAGE="fi")
def test_a_grants_payment_order_names_its_decision_reference_and_approver(
    application, people, walk
):
    app = walk(application, *DECIDED, "notify")
    with time_machine.travel(timezone.now() + timedelta(days=40)):
        app = fresh(walk(app, "become_legally_valid"))
        payable = app.payables.get()
        order = payment_order(payable)

    assert order["basis"] == {
        "kind": "grant_decision",
        "number": app.decision_number,
        "date": timezone.localtime(app.decided_at).date(),
        "section": app.decision_section,
        "legally_valid_on": app.legally_valid_on,
        "amount": Decimal("5000.00"),
        "paid_before": Decimal(0),
    }
    payment = order["payment"]
    assert payment["reference"] == printed(creditor_reference(payable))
    assert payment["reference"][:5] == "RF" + creditor_reference(payable)[2:4] + " "
    assert payment["payable_on"] == app.legally_valid_on
    assert app.decision_number not in payment["message"]
    role = OfficialRole.objects.get(user=people["decision_maker"])
    assert order["approver"] == {
        "name": people["decision_maker"].display_name,
        "title": role.title,
        "approved_at": payable.created_at,
    }
    assert "decision" not in order
