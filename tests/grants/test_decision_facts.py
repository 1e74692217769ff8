"""A decision names its section in the body's register, its maker's title and where to ask
for rectification: refused (409, saying what to fill in, nothing saved) while the body or the
decision-maker lacks them; a rectification decision is a decision of its own."""

import pytest
from django.utils import timezone, translation

from grants.models import Application, Rectification
from organisations.models import OfficialRole, SectionRegister
from tests.conftest import DECIDE, as_user
from tests.factories import ApplicationFactory
from workflow.errors import TransitionConflict
from workflow.models import Notification, StepRecord, TransitionLog

pytestmark = pytest.mark.django_db

URL = "/api/v1/applications/"
TO_DECIDE = ("submit", "start_review", "record_step")


def test_decisions_take_the_next_sections_of_the_bodys_register(
    application, call, association, representative, walk
):
    second = ApplicationFactory(call=call, association=association, created_by=representative)
    first = walk(application, *TO_DECIDE, "decide")
    second = walk(second, *TO_DECIDE, "decide")
    year = timezone.localdate().year
    assert (first.decision_section, second.decision_section) == (f"§ 1/{year}", f"§ 2/{year}")


def test_a_decision_is_refused_while_the_body_lacks_its_registry(
    application, body, people, walk, api
):
    application = walk(application, *TO_DECIDE)
    body.registry_address = body.registry_email = ""
    body.save()
    response = as_user(api, people["decision_maker"]).post(
        f"{URL}{application.pk}/transitions/",
        {"transition": "decide", **DECIDE},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Fill in the body's registry address and registry email before deciding."
    )
    application.refresh_from_db()
    assert application.state == Application.State.IN_REVIEW
    assert (application.decision_number, application.decision_section) == ("", "")
    assert not SectionRegister.objects.filter(public_body=body).exists()
    assert not StepRecord.objects.filter(outcome="approved").exists()


def test_the_refusal_speaks_the_persons_language(application, body, people, walk):
    application = walk(application, *TO_DECIDE)
    body.registry_email = ""
    body.save()
    with translation.override("sv"), pytest.raises(TransitionConflict) as refused:
        walk(application, "decide")
    assert "registratorskontorets e-postadress" in refused.value.message


def test_a_decision_is_refused_while_the_decision_maker_has_no_title(
    application, body, people, walk
):
    application = walk(application, *TO_DECIDE)
    OfficialRole.objects.filter(user=people["decision_maker"]).update(title="")
    with translation.override("en"), pytest.raises(TransitionConflict) as refused:
        walk(application, "decide")
    assert refused.value.message == (
        "Fill in the decision-maker's title in their official role before deciding."
    )
    assert Application.objects.get(pk=application.pk).state == Application.State.IN_REVIEW


def test_a_title_in_another_language_alone_does_not_do(application, association, people, walk):
    """In a Swedish matter the Swedish title is used, else the Finnish one: a title in
    English only is no title for it."""
    association.language = "sv"
    association.save()
    application = walk(application, *TO_DECIDE)
    OfficialRole.objects.filter(user=people["decision_maker"]).update(title="", title_en="Head")
    with pytest.raises(TransitionConflict):
        walk(application, "decide")
    OfficialRole.objects.filter(user=people["decision_maker"]).update(title_sv="Kulturdirektör")
    assert walk(application, "decide").state == Application.State.DECIDED


def test_sending_the_decision_is_refused_while_the_body_lacks_its_registry(application, body, walk):
    application = walk(application, *TO_DECIDE, "decide")
    body.registry_address = ""
    body.save()
    with translation.override("en"), pytest.raises(TransitionConflict) as refused:
        walk(application, "notify")
    assert refused.value.message == (
        "Fill in the body's registry address before sending the decision."
    )
    application.refresh_from_db()
    assert application.state == Application.State.DECIDED
    assert application.notified_on is None


def test_a_rectification_decision_has_its_own_number_and_section(application, walk):
    application = walk(application, *TO_DECIDE, "decide", "notify", "file_rectification")
    original = (application.decision_number, application.decision_section)
    application = walk(
        application,
        "decide_rectification",
        decide_rectification={"params": {"outcome": "upheld", "reasons": "Ei uutta selvitystä."}},
    )
    rectification = Rectification.objects.get(application=application)
    year = timezone.localdate().year
    assert rectification.decision_section == f"§ 2/{year}"
    assert rectification.decision_number == f"OV-{year}-{rectification.pk:05d}"
    assert rectification.decision_number != original[0]
    # The decision it reviewed keeps its own.
    assert (application.decision_number, application.decision_section) == original


def test_a_rectification_decision_is_refused_while_the_body_lacks_its_facts(
    application, body, walk
):
    application = walk(application, *TO_DECIDE, "decide", "notify", "file_rectification")
    body.registry_email = ""
    body.save()
    with pytest.raises(TransitionConflict):
        walk(
            application,
            "decide_rectification",
            decide_rectification={"params": {"outcome": "upheld", "reasons": "Ei muutosta."}},
        )
    rectification = Rectification.objects.get(application=application)
    assert (rectification.decided_at, rectification.decision_number) == (None, "")
    assert not TransitionLog.objects.filter(transition="decide_rectification").exists()


def test_the_rectification_decision_is_sent_under_its_own_number(application, walk):
    application = walk(application, *TO_DECIDE, "decide", "notify", "file_rectification")
    application = walk(
        application,
        "decide_rectification",
        "notify",
        decide_rectification={"params": {"outcome": "upheld", "reasons": "Ei uutta selvitystä."}},
    )
    own = Rectification.objects.get(application=application).decision_number
    sent = Notification.objects.filter(kind="decision_notified").order_by("pk").last()
    assert sent.context["decision_number"] == own
