"""The association portal through Django's test client: every page and form, bad input (400,
nothing saved), other associations' records (404), and constant queries on the lists."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements import services as agreement_services
from agreements.scans import open_due_evaluations
from documents.models import GeneratedDocument, Kind
from grants import services
from grants.documents import decision_document_generate
from grants.models import Application, Attachment, BudgetLine, FollowUpReport
from grants.portal import actions as portal_views
from organisations.models import AssociationRole, OfficialRole
from portal.forms import plain_amount
from tests.agreements.builders import act, terms, version_of
from tests.factories import (
    ApplicationFactory,
    AssociationFactory,
    CallFactory,
    UserFactory,
    chain_with_steps,
    grant_role,
    represent,
)
from workflow import outbox
from workflow.models import ApprovalChain, CalendarFeed, Notification, TransitionLog

AGREEMENT = ApprovalChain.SubjectKind.AGREEMENT_VERSION

S = Application.State
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def signed_in(user, language: str = "en") -> Client:
    """A client signed in as `user`, whose pages are in `language` (English by default, so the
    assertions read the source strings)."""
    user.language = language
    user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def rep(representative) -> Client:
    return signed_in(representative)


def url(name: str, *args) -> str:
    return reverse(f"associations:{name}", args=args)


def form_data(amount="5000", purpose="Kerhotoimintaa.", lines=(("Tilavuokra", "5000"),), **extra):
    """The application form as a browser sends it: the budget lines as a formset."""
    data = {
        "requested_amount": amount,
        "purpose": purpose,
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "100",
    }
    for i, (description, line_amount) in enumerate(lines):
        data[f"lines-{i}-description"] = description
        data[f"lines-{i}-amount"] = line_amount
    data.update(extra)
    return data


def pdf(name="talousarvio.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def snapshot(application: Application) -> tuple:
    """What a rejected form must leave as it was."""
    application.refresh_from_db()
    return (
        application.state,
        application.requested_amount,
        application.purpose,
        list(application.budget_lines.values_list("description", "amount")),
        application.attachments.count(),
        TransitionLog.objects.filter(object_id=application.pk).count(),
    )


def text(response) -> str:
    """The page's text with tags and runs of white space collapsed, for assertions."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", body)


# --- who may enter -------------------------------------------------------------------------

PAGES = ["home", "calls", "applications", "notifications"]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_people_are_sent_to_sign_in(client, db, name):
    response = client.get(url(name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", PAGES)
def test_people_without_an_association_get_403(people, name):
    response = signed_in(people["preparer"]).get(url(name))

    assert response.status_code == 403


# --- home ----------------------------------------------------------------------------------


def test_home_lists_the_associations_and_what_needs_attention(
    rep, representative, association, application, call, walk
):
    returned = walk(
        ApplicationFactory(call=call, association=association, created_by=representative),
        "submit",
        "request_completion",
    )
    outbox.notify(
        [representative],
        kind="completion_requested",
        key="test:1",
        context={"title": "Kesäleiri", "request": "Liitä budjetti.", "due_on": "2026-12-01"},
    )

    response = rep.get(url("home"))

    assert response.status_code == 200
    page = text(response)
    assert association.name in page
    assert "Draft: submit it before the call closes" in page
    assert url("application", application.pk) in response.content.decode()
    assert "Request for completion: complete and send the application" in page
    assert url("edit", returned.pk) in response.content.decode()
    assert "2 unread" in page  # the request for completion, and the message above
    feed = CalendarFeed.objects.get(association=association)
    assert feed.token in response.content.decode()


def test_home_lists_a_report_due(rep, application, walk):
    paid(walk, application)

    response = rep.get(url("home"))

    assert "Follow-up report due" in text(response)
    assert url("report", application.pk) in response.content.decode()


def closing_soon(call):
    """The call closes in an hour (a session lasts longer than that)."""
    call.closes_at = timezone.now() + timedelta(hours=1)
    call.save()
    return call.closes_at + timedelta(minutes=1)


def test_home_leaves_out_drafts_of_a_call_that_has_closed(rep, application, call):
    with time_machine.travel(closing_soon(call)):
        response = rep.get(url("home"))

    assert "Draft: submit it" not in text(response)
    assert "Nothing needs your attention right now." in text(response)


def test_home_shows_another_associations_applications_to_nobody(
    rep, foreign_association, foreign_representative, call
):
    ApplicationFactory(
        call=call, association=foreign_association, created_by=foreign_representative
    )

    response = rep.get(url("home"))

    assert foreign_association.name not in text(response)
    assert "Nothing needs your attention right now." in text(response)


@pytest.fixture
def body_version(body, association, people):
    """An agreement version the public body's liaison drafted and proposed to the association."""
    agreement = agreement_services.agreement_create(
        user=people["liaison"], public_body=body, associations=[association], terms_given=terms()
    )
    return act(version_of(agreement), "propose", people["liaison"])


def test_home_lists_an_agreement_proposal_and_then_the_signature_it_awaits(
    rep, body_version, association, people, representative, body
):
    signatory = represent(UserFactory(), association, AssociationRole.Role.SIGNATORY)
    chain = chain_with_steps(body, (OfficialRole.Role.DECISION_MAKER,), kind=AGREEMENT)
    version_url = reverse(
        "partnerships:version", args=[body_version.agreement_id, body_version.number]
    )

    proposal = rep.get(url("home"))
    version = act(body_version, "accept", representative)
    version = act(version, "submit_for_review", people["liaison"], chain_id=chain.pk)
    act(version, "decide", people["decision_maker"], outcome="approved", reasons="Hyvä.")
    to_sign = signed_in(signatory).get(url("home"))
    after = rep.get(url("home"))

    assert "Agreement proposal to read, comment on and accept" in text(proposal)
    assert version_url in proposal.content.decode()
    assert "Agreement awaiting your signature" in text(to_sign)
    assert version_url in to_sign.content.decode()
    assert "Agreement awaiting your signature" not in text(after)  # not a signatory


def test_home_lists_an_agreements_yearly_evaluation_due(
    body_version, association, people, representative, body
):
    chain = chain_with_steps(body, (OfficialRole.Role.DECISION_MAKER,), kind=AGREEMENT)
    signatories = [
        represent(UserFactory(), association, AssociationRole.Role.SIGNATORY) for _ in range(2)
    ]
    version = act(body_version, "accept", representative)
    version = act(version, "submit_for_review", people["liaison"], chain_id=chain.pk)
    version = act(version, "decide", people["decision_maker"], outcome="approved", reasons="Hyvä.")
    for signer in (*signatories, people["decision_maker"]):
        version = act(version, "sign", signer)
    evaluation = version.agreement.evaluations.order_by("period_starts_on").first()

    with time_machine.travel(evaluation.period_ends_on + timedelta(days=2)):
        open_due_evaluations()
        response = signed_in(representative).get(url("home"))

    assert "Yearly evaluation of the agreement due" in text(response)
    assert (
        reverse("partnerships:evaluation", args=[evaluation.agreement_id, evaluation.pk])
        in response.content.decode()
    )


def many_records(call, association, representative, count):
    for i in range(count):
        ApplicationFactory(call=call, association=association, created_by=representative)
        outbox.notify(
            [representative],
            kind="completion_requested",
            key=f"test:{i}",
            context={"title": f"Hakemus {i}", "request": "Liitä.", "due_on": "2026-12-01"},
        )


@pytest.mark.parametrize("name", PAGES)
def test_list_pages_run_a_constant_number_of_queries(name, representative, association, call, walk):
    client = signed_in(representative)
    many_records(call, association, representative, 1)
    walk(
        ApplicationFactory(call=call, association=association, created_by=representative),
        "submit",
        "request_completion",
    )
    client.get(url(name))  # the feeds and the session are made on the first visit
    with CaptureQueriesContext(connection) as one:
        assert client.get(url(name)).status_code == 200

    many_records(call, association, representative, 8)
    for _ in range(3):
        walk(
            ApplicationFactory(call=call, association=association, created_by=representative),
            "submit",
            "request_completion",
        )
        CallFactory(public_body=call.public_body)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url(name)).status_code == 200

    assert len(many) == len(one), "\n".join(q["sql"] for q in many.captured_queries)


# --- the calendar feed -----------------------------------------------------------------------


def test_a_representative_gives_the_calendar_a_new_address(rep, representative, association):
    rep.get(url("home"))
    feed = CalendarFeed.objects.get(association=association)
    old = feed.token

    response = rep.post(url("calendar_rotate"), {"feed": feed.pk})

    assert response.status_code == 302
    feed.refresh_from_db()
    assert feed.token != old
    assert feed.token in rep.get(url("home")).content.decode()


def test_a_signatory_sees_the_calendar_address_but_may_not_change_it(signatory, association):
    client = signed_in(signatory)
    page = client.get(url("home")).content.decode()
    feed = CalendarFeed.objects.get(association=association)

    assert feed.token in page
    assert url("calendar_rotate") not in page
    assert client.post(url("calendar_rotate"), {"feed": feed.pk}).status_code == 403


@pytest.mark.parametrize("feed", ["", "abc", "99999999999999999999999"])
def test_rotating_a_feed_that_is_not_given_is_404(rep, feed):
    assert rep.post(url("calendar_rotate"), {"feed": feed}).status_code == 404


def test_rotating_another_associations_feed_is_404(rep, foreign_association):
    feed = CalendarFeed.objects.create(association=foreign_association)
    old = feed.token

    assert rep.post(url("calendar_rotate"), {"feed": feed.pk}).status_code == 404
    feed.refresh_from_db()
    assert feed.token == old


# --- calls -----------------------------------------------------------------------------------


def test_open_calls_are_listed_and_closed_or_future_ones_are_not(rep, call, body):
    closed = CallFactory(
        public_body=body,
        opens_at=timezone.now() - timedelta(days=30),
        closes_at=timezone.now() - timedelta(days=1),
    )
    future = CallFactory(
        public_body=body,
        opens_at=timezone.now() + timedelta(days=1),
        closes_at=timezone.now() + timedelta(days=30),
    )

    page = text(rep.get(url("calls")))

    assert call.name in page
    assert closed.name not in page
    assert future.name not in page


def test_a_calls_page_says_what_how_much_and_until_when(rep, call, application):
    call.description = "Avustusta lasten ja nuorten harrastuksiin."
    call.save()

    response = rep.get(url("call", call.pk))

    page = text(response)
    assert response.status_code == 200
    assert call.description in page
    assert "€20,000.00" in page
    assert url("apply", call.pk) in response.content.decode()
    assert url("application", application.pk) in response.content.decode()


def test_a_signatory_reads_a_call_but_is_not_offered_to_apply(signatory, call):
    client = signed_in(signatory)

    page = client.get(url("call", call.pk)).content.decode()

    assert url("apply", call.pk) not in page
    assert client.get(url("apply", call.pk)).status_code == 403


@pytest.mark.parametrize("pk", [0, 999999, 99999999999999999999999])
def test_an_unknown_call_is_404(rep, pk):
    assert rep.get(f"/association/calls/{pk}/").status_code == 404
    assert rep.get(f"/association/calls/{pk}/apply/").status_code == 404


# --- a new application -----------------------------------------------------------------------


def test_the_application_form_offers_budget_lines_that_sum(rep, call):
    response = rep.get(url("apply", call.pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('data-sum="budget"') == 3 + 1  # three empty lines and the template
    assert 'data-sum-total="budget"' in html
    assert 'name="lines-TOTAL_FORMS"' in html
    assert "data-formset-template" in html
    assert "At most 10.0 MB per file" in text(response)


def test_a_draft_is_created_with_its_budget_lines(rep, representative, call, association):
    data = form_data(
        amount="1 234,50",
        lines=[("Tilavuokra", "1 000"), ("Tarvikkeet", "234,50"), ("", "")],
        association=association.pk,
    )

    response = rep.post(url("apply", call.pk), data)

    application = Application.objects.get()
    assert response.status_code == 302
    assert response.url == url("edit", application.pk)
    assert application.state == S.DRAFT
    assert application.association == association
    assert application.requested_amount == Decimal("1234.50")
    assert list(application.budget_lines.values_list("description", "amount")) == [
        ("Tilavuokra", Decimal("1000.00")),
        ("Tarvikkeet", Decimal("234.50")),
    ]
    assert TransitionLog.objects.filter(object_id=application.pk, transition="create").exists()
    assert "€1,234.50" in text(rep.get(response.url))


def test_an_application_is_created_with_an_attachment_and_submitted_at_once(rep, call, association):
    data = form_data(association=association.pk, send="1", files=pdf())

    response = rep.post(url("apply", call.pk), data)

    application = Application.objects.get()
    assert response.status_code == 302
    assert response.url == url("receipt", application.pk)
    assert application.state == S.SUBMITTED
    assert application.attachments.get().name == "talousarvio.pdf"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (form_data(amount="paljon"), "requested_amount"),
        (form_data(amount="0"), "requested_amount"),
        (form_data(amount="1,2345"), "requested_amount"),  # four decimals
        (form_data(purpose=""), "purpose"),
        (form_data(purpose="x" * 20001), "purpose"),
        (form_data(lines=[("Vuokra", "")]), "lines-0-amount"),
        (form_data(lines=[("", "100")]), "lines-0-description"),
        (form_data(lines=[("Vuokra", "-5")]), "lines-0-amount"),
        (form_data(lines=[("x" * 301, "5")]), "lines-0-description"),
    ],
)
def test_bad_input_is_400_with_the_error_by_its_field_and_nothing_saved(
    rep, call, association, data, field
):
    data["association"] = association.pk

    response = rep.post(url("apply", call.pk), data)

    assert response.status_code == 400
    assert Application.objects.count() == 0
    html = response.content.decode()
    assert "data-error-summary" in html
    assert f'href="#id_{field}"' in html  # the summary links to the field
    assert re.search(rf'id="id_{field}"[^>]*aria-invalid="true"', html) or re.search(
        rf'aria-invalid="true"[^>]*id="id_{field}"', html
    )


def test_a_foreign_association_cannot_be_chosen(rep, call, foreign_association):
    response = rep.post(url("apply", call.pk), form_data(association=foreign_association.pk))

    assert response.status_code == 400
    assert Application.objects.count() == 0


def test_sending_an_application_whose_budget_does_not_cover_it_saves_nothing(
    rep, call, association
):
    data = form_data(amount="5000", lines=[("Vuokra", "100")], association=association.pk, send="1")

    response = rep.post(url("apply", call.pk), data)

    assert response.status_code == 400
    assert Application.objects.count() == 0
    assert "must cover the requested amount" in text(response)
    assert 'href="#budget"' in response.content.decode()


def test_more_than_the_call_grants_is_refused_when_sending(rep, call, association):
    data = form_data(
        amount="25000", lines=[("Vuokra", "25000")], association=association.pk, send="1"
    )

    response = rep.post(url("apply", call.pk), data)

    assert response.status_code == 400
    assert Application.objects.count() == 0
    assert 'href="#id_requested_amount"' in response.content.decode()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("ohjelma.exe", b"MZ\x90\x00"), "allowed file types"),
        (SimpleUploadedFile("tyhja.pdf", b""), "is empty"),
        (SimpleUploadedFile("kuva.pdf", b"\x89PNG\r\n\x1a\n...."), "not a .pdf file"),
    ],
)
def test_a_bad_attachment_is_400_and_nothing_is_saved(rep, call, association, upload, message):
    data = form_data(association=association.pk, files=upload)

    response = rep.post(url("apply", call.pk), data)

    assert response.status_code == 400
    assert Application.objects.count() == 0
    assert Attachment.objects.count() == 0
    assert message in text(response)
    assert 'href="#id_files"' in response.content.decode()
    assert "choose them again" in text(response)


def test_an_attachment_over_the_size_limit_is_refused(rep, call, association, settings):
    settings.ATTACHMENT_MAX_BYTES = 10

    response = rep.post(url("apply", call.pk), form_data(association=association.pk, files=pdf()))

    assert response.status_code == 400
    assert "is larger than 10" in text(response)
    assert Application.objects.count() == 0


def test_a_closed_call_takes_no_new_applications(rep, call, association):
    with time_machine.travel(closing_soon(call)):
        response = rep.post(url("apply", call.pk), form_data(association=association.pk))

    assert response.status_code == 302
    assert response.url == url("call", call.pk)
    assert Application.objects.count() == 0


def test_a_person_of_two_associations_chooses_which_applies(
    representative, call, association, foreign_association
):
    second = AssociationFactory()
    represent(representative, second)
    client = signed_in(representative)

    html = client.get(url("apply", call.pk)).content.decode()
    client.post(url("apply", call.pk), form_data(association=second.pk))

    assert '<select name="association"' in html
    assert foreign_association.name not in html
    assert Application.objects.get().association == second


# --- editing, submitting, completing -------------------------------------------------------------


def test_the_edit_form_shows_the_saved_lines_and_their_sum(rep, application):
    BudgetLine.objects.create(
        application=application, position=2, description="Tarvikkeet", amount=Decimal("250")
    )

    response = rep.get(url("edit", application.pk))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Tilavuokrat"' in html
    assert 'value="5000.00"' in html
    assert html.count('data-sum="budget"') == 2 + 3 + 1  # saved, empty, the template
    assert "€5,250.00" in text(response)


def test_saving_a_draft_replaces_its_lines_and_empty_lines_are_removed(rep, application):
    data = form_data(amount="300", lines=[("", ""), ("Bussi", "300,00")])
    data["lines-INITIAL_FORMS"] = "1"

    response = rep.post(url("edit", application.pk), data)

    assert response.status_code == 302
    assert response.url == url("edit", application.pk)
    application.refresh_from_db()
    assert application.state == S.DRAFT
    assert application.requested_amount == Decimal("300")
    assert list(application.budget_lines.values_list("description", "amount")) == [
        ("Bussi", Decimal("300.00"))
    ]


def test_save_and_submit_sends_the_draft(rep, application):
    response = rep.post(url("edit", application.pk), form_data(send="1", files=pdf()))

    assert response.status_code == 302
    assert response.url == url("receipt", application.pk)
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    assert application.attachments.count() == 1


def test_save_and_submit_with_errors_saves_nothing(rep, application):
    before = snapshot(application)

    response = rep.post(
        url("edit", application.pk),
        form_data(amount="6000", lines=[("Vuokra", "10")], send="1", files=pdf()),
    )

    assert response.status_code == 400
    assert snapshot(application) == before
    assert "must cover the requested amount" in text(response)


@pytest.mark.parametrize(
    "data",
    [
        form_data(amount="-1"),
        form_data(lines=[("Vuokra", "kaksi")]),
        {"requested_amount": "10", "purpose": "x"},  # no management form
    ],
)
def test_bad_edits_are_400_and_nothing_is_saved(rep, application, data):
    before = snapshot(application)

    response = rep.post(url("edit", application.pk), data)

    assert response.status_code == 400
    assert snapshot(application) == before


def test_the_submit_button_of_the_page_sends_a_complete_draft(rep, application):
    response = rep.post(url("submit", application.pk))

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.SUBMITTED


def test_the_submit_button_shows_the_form_with_errors_when_the_draft_is_incomplete(
    rep, application
):
    application.requested_amount = Decimal("9000")
    application.save()
    before = snapshot(application)

    response = rep.post(url("submit", application.pk))

    assert response.status_code == 400
    assert snapshot(application) == before
    assert "must cover the requested amount" in text(response)
    assert 'value="9000.00"' in response.content.decode()


def test_submitting_after_the_call_closed_is_refused_with_a_message(rep, application, call):
    with time_machine.travel(closing_soon(call)):
        response = rep.post(url("submit", application.pk), follow=True)

    assert "The call is not open for applications." in text(response)
    application.refresh_from_db()
    assert application.state == S.DRAFT


def test_a_submitted_application_can_no_longer_be_edited(rep, application, walk):
    walk(application, "submit")

    response = rep.post(url("edit", application.pk), form_data(amount="1"))

    assert response.status_code == 302
    assert response.url == url("application", application.pk)
    application.refresh_from_db()
    assert application.requested_amount == Decimal("5000.00")


def test_answering_a_request_for_completion(rep, application, walk):
    walk(application, "submit", "request_completion")

    page = rep.get(url("edit", application.pk))
    saved = rep.post(url("edit", application.pk), form_data(check="1", files=pdf("budjetti.pdf")))
    # Back through "check your answers", the request shown again, the message written there.
    assert "Liitä talousarvio." in text(page)
    assert "Save and check your answers" in text(page)
    assert saved.status_code == 302
    assert saved.url == url("check", application.pk)
    check = rep.get(saved.url)
    assert "Liitä talousarvio." in text(check)
    assert "Send the completed application" in text(check)
    too_long = rep.post(url("submit", application.pk), {"comment": "x" * 10001})
    assert too_long.status_code == 400
    application.refresh_from_db()
    assert application.state == S.RETURNED
    response = rep.post(url("submit", application.pk), {"comment": "Budjetti lisätty."})

    assert response.status_code == 302
    assert response.url == url("receipt", application.pk)
    application.refresh_from_db()
    assert application.state == S.SUBMITTED
    entry = TransitionLog.objects.get(object_id=application.pk, transition="resubmit")
    assert entry.comment == "Budjetti lisätty."
    timeline = text(rep.get(url("application", application.pk)))
    assert "Completion requested" in timeline
    assert "Completed application sent" in timeline


def test_a_signatory_cannot_edit_or_submit(signatory, application):
    client = signed_in(signatory)

    assert client.get(url("edit", application.pk)).status_code == 403
    assert client.post(url("submit", application.pk)).status_code == 403
    assert client.post(url("edit", application.pk), form_data()).status_code == 403
    application.refresh_from_db()
    assert application.state == S.DRAFT


def test_withdrawing_an_application(rep, application, walk):
    walk(application, "submit")

    page = rep.get(url("withdraw", application.pk))
    response = rep.post(url("withdraw", application.pk), {"comment": "Hanke peruttiin."})

    assert page.status_code == 200
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.WITHDRAWN


def test_a_decided_application_cannot_be_withdrawn(rep, application, walk):
    walk(application, "submit", "start_review", "record_step", "decide")

    response = rep.post(url("withdraw", application.pk), follow=True)

    assert "can no longer be withdrawn" in text(response)
    application.refresh_from_db()
    assert application.state == S.DECIDED


def test_a_withdrawal_reason_that_is_too_long_is_400(rep, application):
    response = rep.post(url("withdraw", application.pk), {"comment": "x" * 20001})

    assert response.status_code == 400
    application.refresh_from_db()
    assert application.state == S.DRAFT


# --- the pages where a representative confirms a state change with a comment -------------------

NOTIFIED = ("submit", "start_review", "record_step", "decide", "notify")
# page: (the steps that make it available, its transition, a comment it refuses, what it says
# when done)
CONFIRMATIONS = {
    "withdraw": (
        ("submit",),
        "withdraw",
        "x" * 20001,
        "The application was withdrawn.",
    ),
    "rectification": (
        NOTIFIED,
        "file_rectification",
        "",
        "The request for rectification was filed. You will get its decision.",
    ),
}


def log_of(application: Application) -> list[tuple[str, str]]:
    return list(
        TransitionLog.objects.filter(object_id=application.pk)
        .order_by("at", "id")
        .values_list("transition", "comment")
    )


@pytest.mark.parametrize(
    ("page", "template", "crumb"),
    [
        ("withdraw", "associations/withdraw.html", "Withdraw the application"),
        ("rectification", "associations/rectification.html", "Request for rectification"),
    ],
)
def test_a_confirmation_page_shows_its_form_under_the_application(
    rep, application, walk, page, template, crumb
):
    walk(application, *CONFIRMATIONS[page][0])

    response = rep.get(url(page, application.pk))

    assert response.status_code == 200
    assert template in [t.name for t in response.templates]
    assert response.context["application"] == application
    assert list(response.context["form"].fields) == ["comment"]
    assert [str(label) for label, _link in response.context["breadcrumbs"]][-2:] == [
        application.call.name,
        crumb,
    ]
    assert f'action="{url(page, application.pk)}"' in response.content.decode()


@pytest.mark.parametrize("page", CONFIRMATIONS)
def test_a_confirmed_change_is_made_with_the_comment_and_said_on_the_applications_page(
    rep, application, walk, page
):
    steps, transition, _bad, done = CONFIRMATIONS[page]
    walk(application, *steps)

    response = rep.post(url(page, application.pk), {"comment": "Perustelut."}, follow=True)

    assert response.redirect_chain == [(url("application", application.pk), 302)]
    assert done in text(response)
    assert log_of(application)[-1] == (transition, "Perustelut.")


@pytest.mark.parametrize("page", CONFIRMATIONS)
def test_a_refused_comment_is_400_with_the_form_again_and_nothing_saved(
    rep, application, walk, page
):
    steps, _transition, bad, _done = CONFIRMATIONS[page]
    walk(application, *steps)
    before = snapshot(application)

    response = rep.post(url(page, application.pk), {"comment": bad})

    assert response.status_code == 400
    assert 'href="#id_comment"' in response.content.decode()
    assert response.context["form"].errors["comment"]
    assert snapshot(application) == before
    assert not application.rectifications.exists()


def test_a_withdrawal_needs_no_reason(rep, application):
    response = rep.post(url("withdraw", application.pk), {"comment": ""})

    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.WITHDRAWN


@pytest.mark.parametrize("page", CONFIRMATIONS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_someone_of_the_association_who_is_not_its_representative_gets_403(
    signatory, application, walk, page, method
):
    walk(application, *CONFIRMATIONS[page][0])
    before = snapshot(application)

    response = getattr(signed_in(signatory), method)(url(page, application.pk), {"comment": "x"})

    assert response.status_code == 403
    assert snapshot(application) == before


@pytest.mark.parametrize(
    ("page", "steps", "message"),
    [
        ("withdraw", NOTIFIED, "The application can no longer be withdrawn."),
        ("rectification", ("submit",), "A request for rectification cannot be made now."),
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_representative_is_told_when_the_state_no_longer_allows_the_change(
    rep, application, walk, page, steps, message, method
):
    walk(application, *steps)
    before = snapshot(application)

    response = getattr(rep, method)(url(page, application.pk), {"comment": "x"}, follow=True)

    assert response.redirect_chain == [(url("application", application.pk), 302)]
    assert message in text(response)
    assert snapshot(application) == before


@pytest.mark.parametrize("page", CONFIRMATIONS)
def test_a_change_made_meanwhile_in_another_tab_is_told_and_not_made_twice(
    rep, application, walk, monkeypatch, page
):
    """The page checked that the change was available; before it was made, the same change
    was made elsewhere: the person is told what became of the application."""
    steps, transition, _bad, _done = CONFIRMATIONS[page]
    walk(application, *steps)
    checked = portal_views.available_transitions

    def checked_then_made_elsewhere(obj, user):
        monkeypatch.setattr(portal_views, "available_transitions", checked)
        names = checked(obj, user)
        walk(Application.objects.get(pk=obj.pk), transition)
        return names

    monkeypatch.setattr(portal_views, "available_transitions", checked_then_made_elsewhere)

    response = rep.post(url(page, application.pk), {"comment": "Toinen kerta."}, follow=True)

    application.refresh_from_db()
    state = application.get_state_display().lower()
    assert response.redirect_chain == [(url("application", application.pk), 302)]
    assert f"This cannot be done now: the application is {state}." in text(response)
    assert [t for t, _comment in log_of(application)].count(transition) == 1
    assert "Toinen kerta." not in [comment for _t, comment in log_of(application)]


# --- other associations' records are 404 --------------------------------------------------------


def foreign_pages(application: Application) -> list[tuple[str, str]]:
    return [
        ("get", url("application", application.pk)),
        ("get", url("edit", application.pk)),
        ("post", url("edit", application.pk)),
        ("post", url("submit", application.pk)),
        ("get", url("withdraw", application.pk)),
        ("post", url("withdraw", application.pk)),
        ("get", url("report", application.pk)),
        ("post", url("report", application.pk)),
        ("get", url("rectification", application.pk)),
        ("post", url("rectification", application.pk)),
    ]


def test_another_associations_application_is_404_everywhere(
    rep, call, foreign_association, foreign_representative, walk
):
    foreign = ApplicationFactory(
        call=call, association=foreign_association, created_by=foreign_representative
    )
    walk(foreign, "submit", submit={"actor": foreign_representative})
    before = snapshot(foreign)

    for method, path in foreign_pages(foreign):
        assert getattr(rep, method)(path).status_code == 404, path
    assert snapshot(foreign) == before


def test_an_official_who_belongs_to_an_association_does_not_see_anothers_draft_here(
    call, body, association, foreign_association, foreign_representative
):
    """An official of the call's public body, also in an association, sees here only that
    association's records: another association's draft is 404."""
    person = represent(grant_role(UserFactory(), body, OfficialRole.Role.PREPARER), association)
    draft = ApplicationFactory(
        call=call, association=foreign_association, created_by=foreign_representative
    )

    client = signed_in(person)

    for method, path in foreign_pages(draft):
        assert getattr(client, method)(path).status_code == 404, path
    assert draft.pk not in [a.pk for a in client.get(url("applications")).context["page_obj"]]


def test_an_id_beyond_any_record_is_404(rep, application):
    huge = "99999999999999999999999"
    for path in [
        f"/association/applications/{huge}/",
        f"/association/applications/{huge}/edit/",
        f"/association/applications/{huge}/report/",
        f"/association/applications/{application.pk}/attachments/{huge}/",
        f"/association/applications/{application.pk}/documents/{huge}/",
    ]:
        assert rep.get(path).status_code == 404, path
    assert rep.post(f"/association/applications/{huge}/submit/").status_code == 404


# --- the application's page -----------------------------------------------------------------


def decided(walk, application):
    return walk(application, "submit", "start_review", "record_step", "decide", "notify")


def paid(walk, application):
    app = decided(walk, application)
    with time_machine.travel(timezone.now() + timedelta(days=30)):
        app = walk(app, "become_legally_valid")
        app = walk(
            app,
            "record_payment",
            record_payment={
                "params": {"amount": Decimal("5000.00"), "paid_on": timezone.localdate()}
            },
        )
    return app


def test_the_timeline_shows_the_associations_events_without_the_officials_internal_ones(
    rep, application, walk
):
    decided(walk, application)

    response = rep.get(url("application", application.pk))

    page = text(response)
    for label in ["Application submitted", "Review started", "Decision made", "Decision sent"]:
        assert label in page
    assert "record_step" not in page
    assert TransitionLog.objects.filter(object_id=application.pk, transition="record_step")


def test_the_decision_and_its_document_are_shown_and_downloaded(rep, application, walk):
    app = decided(walk, application)
    document = decision_document_generate(app.pk)

    page = rep.get(url("application", app.pk))
    download = rep.get(url("document", app.pk, document.pk))

    assert "Hyvä hanke." in text(page)
    assert app.decision_number in text(page)
    assert url("document", app.pk, document.pk) in page.content.decode()
    assert download.status_code == 200
    assert download["X-Content-SHA256"] == document.sha256
    assert b"".join(download.streaming_content).startswith(b"PK")
    assert rep.get(url("document", app.pk, document.pk) + "?format=pdf").status_code == 404


def test_a_document_of_another_application_or_kind_is_404(
    rep, application, call, foreign_association, foreign_representative, walk
):
    mine = decided(walk, application)
    foreign = ApplicationFactory(
        call=call, association=foreign_association, created_by=foreign_representative
    )
    foreign = walk(
        foreign,
        "submit",
        "start_review",
        "record_step",
        "decide",
        submit={"actor": foreign_representative},
    )
    theirs = decision_document_generate(foreign.pk)
    order = GeneratedDocument.objects.create(
        content_type=theirs.content_type,
        object_id=mine.pk,
        kind=Kind.PAYMENT_ORDER,
        language="fi",
        version=1,
        template=theirs.template,
        data={},
        file=theirs.file.name,
        sha256=theirs.sha256,
    )

    assert rep.get(url("document", foreign.pk, theirs.pk)).status_code == 404
    assert rep.get(url("document", mine.pk, theirs.pk)).status_code == 404
    assert rep.get(url("document", mine.pk, order.pk)).status_code == 404


def test_payments_received_are_listed(rep, application, walk):
    paid(walk, application)

    page = text(rep.get(url("application", application.pk)))

    assert "Payments received" in page
    assert "Paid in total" in page
    assert "Write the follow-up report" in page


def test_an_attachment_is_downloaded_by_its_association_only(
    rep, application, call, foreign_association, foreign_representative, representative
):
    mine = services.attachment_add(application, user=representative, upload=pdf())
    foreign = ApplicationFactory(
        call=call, association=foreign_association, created_by=foreign_representative
    )
    theirs = services.attachment_add(foreign, user=foreign_representative, upload=pdf())

    response = rep.get(url("attachment", application.pk, mine.pk))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert rep.get(url("attachment", application.pk, theirs.pk)).status_code == 404
    assert rep.get(url("attachment", foreign.pk, theirs.pk)).status_code == 404


def test_the_application_page_offers_what_the_person_may_do(rep, signatory, application):
    mine = rep.get(url("application", application.pk)).content.decode()
    theirs = signed_in(signatory).get(url("application", application.pk)).content.decode()

    assert url("check", application.pk) in mine
    assert url("edit", application.pk) in mine
    assert url("withdraw", application.pk) in mine
    assert url("check", application.pk) not in theirs
    assert url("edit", application.pk) not in theirs


def test_the_application_page_runs_a_constant_number_of_queries(
    rep, representative, association, call, walk
):
    """Whatever the number of attachments, documents, payments and events."""
    few, more = (
        ApplicationFactory(call=call, association=association, created_by=representative)
        for _ in range(2)
    )
    services.attachment_add(few, user=representative, upload=pdf())
    for _ in range(4):
        services.attachment_add(more, user=representative, upload=pdf())
    few = paid(walk, few)
    decision_document_generate(few.pk)
    more = walk(
        decided(walk, more),
        "file_rectification",
        "decide_rectification",
        "notify",
        decide_rectification={"params": {"outcome": "upheld", "reasons": "Päätös on oikea."}},
    )
    decision_document_generate(more.pk)
    # After a rectification decision the appeal goes to the administrative court: 30 days.
    with time_machine.travel(timezone.now() + timedelta(days=45)):
        more = walk(more, "become_legally_valid")
        for amount in ("2000.00", "3000.00"):
            more = walk(
                more,
                "record_payment",
                record_payment={
                    "params": {"amount": Decimal(amount), "paid_on": timezone.localdate()}
                },
            )
    decision_document_generate(more.pk)

    rep.get(url("applications"))  # the session's first request reads more
    counts = []
    for app in (few, more):
        with CaptureQueriesContext(connection) as queries:
            assert rep.get(url("application", app.pk)).status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


# --- a request for rectification ---------------------------------------------------------------


def test_a_request_for_rectification_is_filed_within_the_appeal_period(rep, application, walk):
    decided(walk, application)

    page = rep.get(url("application", application.pk))
    form = rep.get(url("rectification", application.pk))
    response = rep.post(
        url("rectification", application.pk), {"comment": "Tilavuokrat jäivät huomiotta."}
    )

    assert url("rectification", application.pk) in page.content.decode()
    assert form.status_code == 200
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.UNDER_RECTIFICATION
    assert application.rectifications.get().grounds == "Tilavuokrat jäivät huomiotta."
    assert "Request for rectification filed" in text(rep.get(url("application", application.pk)))


@pytest.mark.parametrize("comment", ["", "   ", "x" * 20001])
def test_a_request_for_rectification_without_grounds_is_400(rep, application, walk, comment):
    decided(walk, application)

    response = rep.post(url("rectification", application.pk), {"comment": comment})

    assert response.status_code == 400
    assert 'href="#id_comment"' in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.NOTIFIED
    assert not application.rectifications.exists()


def test_no_request_for_rectification_after_the_appeal_period(rep, application, walk):
    app = decided(walk, application)

    with time_machine.travel(app.appeal_ends_on + timedelta(days=1)):
        client = signed_in(app.created_by)
        page = client.get(url("application", app.pk))
        response = client.post(url("rectification", app.pk), {"comment": "Myöhässä."})

    assert url("rectification", app.pk) not in page.content.decode()
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.state == S.NOTIFIED


def test_a_signatory_may_not_request_rectification(signatory, application, walk):
    decided(walk, application)

    response = signed_in(signatory).post(url("rectification", application.pk), {"comment": "x"})

    assert response.status_code == 403


# --- the follow-up report ----------------------------------------------------------------------


def test_the_report_is_submitted_once_paid(rep, application, walk):
    paid(walk, application)

    page = rep.get(url("report", application.pk))
    response = rep.post(
        url("report", application.pk),
        {"activities": "Kerho kokoontui 30 kertaa.", "amount_used": "4 800,00"},
    )

    assert page.status_code == 200
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.REPORT_SUBMITTED
    report = FollowUpReport.objects.get(application=application)
    assert report.amount_used == Decimal("4800.00")
    assert "Kerho kokoontui 30 kertaa." in text(rep.get(url("application", application.pk)))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"activities": "Kerho.", "amount_used": "6000"}, "amount_used"),  # more than granted
        ({"activities": "Kerho.", "amount_used": "-1"}, "amount_used"),
        ({"activities": "Kerho.", "amount_used": "viisi"}, "amount_used"),
        ({"activities": "", "amount_used": "10"}, "activities"),
        ({"activities": "   ", "amount_used": "10"}, "activities"),
    ],
)
def test_a_bad_report_is_400_and_nothing_is_saved(rep, application, walk, data, field):
    paid(walk, application)

    response = rep.post(url("report", application.pk), data)

    assert response.status_code == 400
    assert f'href="#id_{field}"' in response.content.decode()
    application.refresh_from_db()
    assert application.state == S.PAID
    assert not FollowUpReport.objects.exists()


def test_a_returned_report_shows_what_it_lacks_and_is_sent_again(rep, application, walk):
    walk(paid(walk, application), "submit_report", "return_report")

    page = rep.get(url("report", application.pk))
    response = rep.post(
        url("report", application.pk), {"activities": "Tositteet liitetty.", "amount_used": "5000"}
    )

    assert "Liitä tositteet." in text(page)
    assert "Kerho kokoontui 30 kertaa." in page.content.decode()  # the earlier report
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == S.REPORT_SUBMITTED


def test_no_report_is_due_before_payment(rep, application):
    response = rep.post(url("report", application.pk), {"activities": "x", "amount_used": "1"})

    assert response.status_code == 302
    assert not FollowUpReport.objects.exists()


# --- notifications -----------------------------------------------------------------------------


def test_notifications_are_the_persons_own_and_can_be_marked_read(
    rep, representative, foreign_representative
):
    for person, key in [(representative, "mine"), (foreign_representative, "theirs")]:
        outbox.notify(
            [person],
            kind="completion_requested",
            key=key,
            context={"title": f"Hakemus {key}", "request": "Liitä.", "due_on": "2026-12-01"},
        )

    page = rep.get(url("notifications"))
    response = rep.post(url("notifications_read"))

    assert [row.notification.key for row in page.context["rows"]] == ["mine"]
    assert "needs completing by 1 December 2026" in text(page)
    assert response.status_code == 302
    assert Notification.objects.get(recipient=representative).read_at is not None
    assert Notification.objects.get(recipient=foreign_representative).read_at is None


# --- amounts as people write them ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "language", "plain"),
    [
        ("1 234,50", "fi", "1234.50"),
        ("1\u202f234,50\xa0€", "fi", "1234.50"),
        ("1234.5", "fi", "1234.5"),
        ("1.234,50", "sv", "1234.50"),
        ("1,234.50", "en", "1234.50"),
        ("12,500", "en", "12500"),
        ("12,5", "en", "12.5"),
        ("€5,000", "en", "5000"),
    ],
)
def test_amounts_are_read_as_people_write_them(written, language, plain):
    assert plain_amount(written, language) == plain
