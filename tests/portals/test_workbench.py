"""The official workbench through Django's test client: the work queue by role, the
applications list, an application's page and every action form, calls and the dashboard.

Every form: the happy path, bad input (400, nothing saved), another public body's record (404),
someone without the role (403 or no form); every list: the same number of queries for one row
as for ten.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import lxml.html
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grants.models import Application
from grants.services import attachment_add
from organisations.models import OfficialRole
from tests.factories import (
    ApplicationFactory,
    AssociationFactory,
    CallFactory,
    PublicBodyFactory,
    UserFactory,
    grant_role,
)
from workflow.disqualification import disqualification_declare
from workflow.formats import money
from workflow.models import Deadline, StepRecord, TransitionLog

Role = OfficialRole.Role
S = Application.State
# Wednesday 4 November 2026, noon in Helsinki: no holiday near, the factories' calls are open.
NOW = timezone.make_aware(timezone.datetime(2026, 11, 4, 12, 0))

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def signed_in(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    user.language = "en"
    user.save(update_fields=["language"])
    return client


@pytest.fixture
def submitted(application, walk):
    return walk(application, "submit")


@pytest.fixture
def in_review(submitted, walk):
    return walk(submitted, "start_review")


@pytest.fixture
def at_decision(in_review, walk):
    return walk(in_review, "record_step")


@pytest.fixture
def foreign_application(foreign_association):
    """Submitted to another public body's call."""
    from tests.factories import represent
    from workflow.transitions import transition_perform

    rep = represent(UserFactory(), foreign_association)
    app = ApplicationFactory(association=foreign_association, created_by=rep)
    return transition_perform(app, "submit", actor=rep)


def audit_count(app) -> int:
    return TransitionLog.objects.filter(object_id=app.pk).count()


def action_url(app, name: str) -> str:
    return f"/workbench/applications/{app.pk}/actions/{name}/"


def queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


def many_submitted(call, n: int, walk, *steps: str) -> list[Application]:
    apps = []
    for _ in range(n):
        app = ApplicationFactory(call=call, association=AssociationFactory())
        from tests.factories import represent

        rep = represent(UserFactory(), app.association)
        apps.append(walk(app, "submit", *steps, submit={"actor": rep}))
    return apps


# --- who may enter -------------------------------------------------------------------------


def test_anonymous_people_are_sent_to_sign_in(client):
    response = client.get("/workbench/applications/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_finance_and_associations_people_are_refused(people, representative):
    for person in (people["finance"], representative):
        assert signed_in(person).get("/workbench/").status_code == 403
        assert signed_in(person).get("/workbench/dashboard/").status_code == 403


# --- the work queue ------------------------------------------------------------------------


def section(html: str, key: str) -> str:
    match = re.search(
        rf'<section class="queue" aria-labelledby="queue-{key}">(.*?)</section>', html, re.S
    )
    assert match, key
    return match.group(1)


def heading_count(html: str, key: str) -> int:
    return int(re.search(r'<span class="count">\((\d+)\)</span>', section(html, key)).group(1))


def test_the_preparer_sees_submitted_applications_and_their_own_step(people, in_review, submitted):
    html = signed_in(people["preparer"]).get("/workbench/").content.decode()

    assert heading_count(html, "steps") == 1
    assert f"/workbench/applications/{in_review.pk}/" in section(html, "steps")
    assert "Step 1" in section(html, "steps")


def test_the_decision_maker_sees_the_step_only_once_it_is_theirs(people, in_review, walk):
    client = signed_in(people["decision_maker"])
    assert heading_count(client.get("/workbench/").content.decode(), "steps") == 0

    walk(in_review, "record_step")

    html = client.get("/workbench/").content.decode()
    assert heading_count(html, "steps") == 1
    assert "Step 2" in section(html, "steps")
    # who proposed does not decide: the preparer's queue no longer lists it
    preparer_html = signed_in(people["preparer"]).get("/workbench/").content.decode()
    assert heading_count(preparer_html, "steps") == 0


def test_a_preparer_who_acted_on_a_step_does_not_see_the_next_even_holding_its_role(
    people, body, in_review, walk
):
    grant_role(people["preparer"], body, Role.DECISION_MAKER)
    walk(in_review, "record_step")

    html = signed_in(people["preparer"]).get("/workbench/").content.decode()

    assert heading_count(html, "steps") == 0
    assert (
        heading_count(
            signed_in(people["decision_maker"]).get("/workbench/").content.decode(), "steps"
        )
        == 1
    )


def test_the_queue_agrees_with_the_engines_available_transitions(people, in_review, walk):
    from grants.workbench_selectors import steps_waiting
    from workflow.transitions import available_transitions

    walk(in_review, "record_step")
    for who in ("preparer", "preparer2", "decision_maker", "decision_maker2", "liaison"):
        person = people[who]
        listed = set(steps_waiting(person).values_list("pk", flat=True))
        app = Application.objects.get(pk=in_review.pk)
        can_act = bool({"record_step", "decide"} & set(available_transitions(app, person)))
        assert (in_review.pk in listed) == can_act, who


def test_a_disqualified_official_sees_no_work_on_the_application(people, submitted):
    disqualification_declare(
        submitted, user=people["preparer"], reason="Sisareni on hallituksessa."
    )

    html = signed_in(people["preparer"]).get("/workbench/").content.decode()

    assert heading_count(html, "check") == 0
    assert (
        heading_count(signed_in(people["preparer2"]).get("/workbench/").content.decode(), "check")
        == 1
    )


def test_the_queue_lists_decisions_to_send_reports_to_review_and_near_deadlines(
    people, call, association, representative, walk
):
    decided = walk(
        ApplicationFactory(call=call, association=association, created_by=representative),
        "submit",
        "start_review",
        "record_step",
        "decide",
    )
    returned = walk(
        ApplicationFactory(call=call, association=association, created_by=representative),
        "submit",
        "request_completion",
    )

    html = signed_in(people["preparer"]).get("/workbench/").content.decode()

    assert heading_count(html, "send") == 1
    assert f"/workbench/applications/{decided.pk}/" in section(html, "send")
    assert heading_count(html, "reports") == 0
    deadlines = section(html, "deadlines")
    assert f"/workbench/applications/{returned.pk}/" in deadlines  # completion due in 14 days
    assert "Completion due" in deadlines
    assert (
        heading_count(html, "deadlines")
        == Deadline.objects.filter(
            public_body=call.public_body, status="open", due_on__lte=date(2026, 11, 18)
        ).count()
    )


def test_an_overdue_deadline_is_marked_overdue(people, submitted, walk):
    walk(submitted, "request_completion")

    with time_machine.travel(NOW + timedelta(days=30), tick=False):
        html = signed_in(people["preparer"]).get("/workbench/").content.decode()

    assert "Overdue by" in section(html, "deadlines")


def test_another_bodys_work_is_not_in_the_queue(people, foreign_application):
    html = signed_in(people["preparer"]).get("/workbench/").content.decode()

    assert f"/workbench/applications/{foreign_application.pk}/" not in html
    assert heading_count(html, "check") == 0


def test_the_work_queue_runs_the_same_queries_for_one_row_as_for_ten(people, call, walk):
    client = signed_in(people["preparer"])
    many_submitted(call, 1, walk)
    many_submitted(call, 1, walk, "start_review")
    many_submitted(call, 1, walk, "request_completion")
    one = queries(client, "/workbench/")

    many_submitted(call, 9, walk)
    many_submitted(call, 9, walk, "start_review")
    many_submitted(call, 9, walk, "request_completion")
    ten = queries(client, "/workbench/")

    assert ten == one


# --- the applications list -----------------------------------------------------------------


def test_the_list_shows_the_bodys_submitted_applications_only(
    people, submitted, call, foreign_application
):
    draft = ApplicationFactory(call=call)

    html = signed_in(people["liaison"]).get("/workbench/applications/").content.decode()

    assert f"/workbench/applications/{submitted.pk}/" in html
    assert f"/workbench/applications/{draft.pk}/" not in html
    assert f"/workbench/applications/{foreign_application.pk}/" not in html


def test_the_list_filters_by_call_state_name_and_decision_number(people, body, call, walk):
    other_call = CallFactory(public_body=body, name="Kohdeavustukset 2027")
    first, second = many_submitted(call, 2, walk)
    third = many_submitted(other_call, 1, walk, "start_review", "record_step", "decide")[0]
    client = signed_in(people["preparer"])

    def listed(query: str) -> set[int]:
        html = client.get(f"/workbench/applications/?{query}").content.decode()
        return {int(pk) for pk in re.findall(r'href="/workbench/applications/(\d+)/"', html)}

    assert listed(f"call={other_call.pk}") == {third.pk}
    assert listed("state=submitted") == {first.pk, second.pk}
    assert listed(f"q={first.association.name}") == {first.pk}
    assert listed(f"decision_number={third.decision_number}") == {third.pk}
    assert listed(f"q={third.decision_number}") == {third.pk}
    assert listed("waiting=on") == set()
    assert listed("") == {first.pk, second.pk, third.pk}


def test_the_waiting_filter_lists_the_steps_waiting_for_me(people, call, walk):
    waiting = many_submitted(call, 1, walk, "start_review")[0]
    many_submitted(call, 1, walk)

    html = signed_in(people["preparer"]).get("/workbench/applications/?waiting=on").content.decode()

    assert set(re.findall(r'href="/workbench/applications/(\d+)/"', html)) == {str(waiting.pk)}


def test_a_call_id_beyond_the_database_range_is_a_bad_filter_not_a_500(people, submitted):
    response = signed_in(people["preparer"]).get(f"/workbench/applications/?call={2**70}")

    assert response.status_code == 400


def test_a_bad_filter_is_a_400_with_the_error_at_its_field(people, submitted):
    response = signed_in(people["preparer"]).get("/workbench/applications/?call=abc&state=nope")

    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_call_error"' in html
    assert 'id="id_state_error"' in html


def test_the_list_is_paginated(people, call, walk):
    many_submitted(call, 27, walk)
    client = signed_in(people["preparer"])

    first = client.get("/workbench/applications/").content.decode()
    second = client.get("/workbench/applications/?page=2").content.decode()

    assert len(re.findall(r'href="/workbench/applications/\d+/"', first)) == 25
    assert len(re.findall(r'href="/workbench/applications/\d+/"', second)) == 2
    assert "Page 2 of 2" in second
    assert client.get("/workbench/applications/?page=zzz").status_code == 200


def test_the_list_runs_the_same_queries_for_one_row_as_for_ten(people, call, walk):
    client = signed_in(people["preparer"])
    many_submitted(call, 1, walk)
    one = queries(client, f"/workbench/applications/?state=submitted&call={call.pk}")
    many_submitted(call, 9, walk)
    ten = queries(client, f"/workbench/applications/?state=submitted&call={call.pk}")

    assert ten == one


# --- an application's page -----------------------------------------------------------------


def test_the_page_shows_details_budget_attachments_steps_and_the_internal_history(
    people, at_decision, representative
):
    html = (
        signed_in(people["decision_maker"])
        .get(f"/workbench/applications/{at_decision.pk}/")
        .content.decode()
    )

    assert at_decision.association.name in html
    assert "Tilavuokrat" in html  # the budget line
    assert "Step recorded" in html  # internal preparation, shown to officials
    assert "Review started" in html
    assert people["preparer"].get_full_name() in html  # who acted on step 1
    assert "<td>Proposed</td>" in html
    assert f'action="/workbench/applications/{at_decision.pk}/actions/decide/"' in html


def test_attachments_download_for_the_bodys_officials_only(
    people, application, representative, walk, foreign_application
):
    attachment = attachment_add(
        application,
        user=representative,
        upload=SimpleUploadedFile(
            "talousarvio.pdf", b"%PDF-1.4 test", content_type="application/pdf"
        ),
    )
    walk(application, "submit")
    client = signed_in(people["preparer"])

    page = client.get(f"/workbench/applications/{application.pk}/").content.decode()
    response = client.get(f"/workbench/applications/{application.pk}/attachments/{attachment.pk}/")

    assert "talousarvio.pdf" in page
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert "attachment" in response["Content-Disposition"]
    # the attachment under another application's id, or an application of another body: 404
    assert (
        client.get(
            f"/workbench/applications/{foreign_application.pk}/attachments/{attachment.pk}/"
        ).status_code
        == 404
    )
    assert (
        signed_in(people["foreign_preparer"])
        .get(f"/workbench/applications/{application.pk}/attachments/{attachment.pk}/")
        .status_code
        == 404
    )


def test_the_decision_document_downloads(people, at_decision, walk):
    from grants.documents import decision_document_generate

    decided = walk(at_decision, "decide")
    decision_document_generate(decided.pk)
    client = signed_in(people["preparer"])

    page = client.get(f"/workbench/applications/{decided.pk}/").content.decode()
    link = re.search(r'href="(/workbench/documents/\d+/)"', page)

    assert link, "a link to the decision document"
    response = client.get(link.group(1))
    assert response.status_code == 200
    assert response["X-Content-SHA256"]
    assert signed_in(people["foreign_preparer"]).get(link.group(1)).status_code == 404


@pytest.mark.parametrize(
    "path", ["/workbench/applications/{pk}/", "/workbench/applications/{pk}/actions/start_review/"]
)
def test_another_bodys_application_is_404(people, foreign_application, path):
    client = signed_in(people["preparer"])
    url = path.format(pk=foreign_application.pk)

    response = (
        client.post(url, {"start_review-comment": ""}) if "actions" in url else client.get(url)
    )

    assert response.status_code == 404
    assert Application.objects.get(pk=foreign_application.pk).state == S.SUBMITTED


def test_ids_beyond_the_database_range_are_404_not_500(people):
    client = signed_in(people["preparer"])

    assert client.get(f"/workbench/applications/{2**70}/").status_code == 404
    assert client.get(f"/workbench/calls/{2**70}/").status_code == 404
    assert client.get(f"/workbench/documents/{2**70}/").status_code == 404


def test_a_draft_is_not_the_officials_to_see(people, application):
    assert (
        signed_in(people["preparer"]).get(f"/workbench/applications/{application.pk}/").status_code
        == 404
    )


# --- actions -------------------------------------------------------------------------------


def test_the_preparer_requests_completion(people, submitted):
    client = signed_in(people["preparer"])

    response = client.post(
        action_url(submitted, "request_completion"),
        {
            "request_completion-comment": "Liitä tilinpäätös.",
            "request_completion-due_on": "2026-11-20",
        },
    )

    assert response.status_code == 302
    app = Application.objects.get(pk=submitted.pk)
    assert app.state == S.RETURNED
    assert app.completion_due_on == date(2026, 11, 20)
    assert "The request for completion was sent" in client.get(response.url).content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"request_completion-comment": ""}, "comment"),
        ({"request_completion-comment": "x", "request_completion-due_on": "2026-11-01"}, "due_on"),
        ({"request_completion-comment": "x", "request_completion-due_on": "not a date"}, "due_on"),
    ],
)
def test_a_bad_request_for_completion_is_400_at_its_field_and_saves_nothing(
    people, submitted, data, field
):
    before = audit_count(submitted)

    response = signed_in(people["preparer"]).post(action_url(submitted, "request_completion"), data)

    assert response.status_code == 400
    assert f'id="id_request_completion-{field}_error"' in response.content.decode()
    assert Application.objects.get(pk=submitted.pk).state == S.SUBMITTED
    assert audit_count(submitted) == before


def test_the_preparer_starts_the_review_and_records_a_proposal_in_finnish_notation(
    people, submitted
):
    client = signed_in(people["preparer"])
    people["preparer"].language = "fi"  # the amount is read in the person's language
    people["preparer"].save(update_fields=["language"])
    assert (
        client.post(action_url(submitted, "start_review"), {"start_review-comment": ""}).status_code
        == 302
    )

    response = client.post(
        action_url(submitted, "record_step"),
        {
            "record_step-proposed_amount": "4 500,50",
            "record_step-reasons": "Toiminta on laajaa.",
            "record_step-comment": "Esitän osittaista.",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    step = StepRecord.objects.get(run__object_id=submitted.pk, position=1)
    assert step.data == {"proposed_amount": "4500.50", "reasons": "Toiminta on laajaa."}
    assert step.actor == people["preparer"]
    assert step.comment == "Esitän osittaista."


@pytest.mark.parametrize(
    ("amount", "message"),
    [("9000", "More than was applied for"), ("-5", "greater than or equal to 0"), ("", "required")],
)
def test_a_bad_proposal_is_400_at_the_amount_and_saves_nothing(people, in_review, amount, message):
    before = audit_count(in_review)

    response = signed_in(people["preparer"]).post(
        action_url(in_review, "record_step"), {"record_step-proposed_amount": amount}
    )

    assert response.status_code == 400
    html = response.content.decode()
    errors = re.search(r'id="id_record_step-proposed_amount_error">(.*?)</ul>', html, re.S)
    assert errors
    assert message in errors.group(1)
    assert StepRecord.objects.get(run__object_id=in_review.pk, position=1).status == "pending"
    assert audit_count(in_review) == before


def test_the_decision_maker_decides(people, at_decision):
    response = signed_in(people["decision_maker"]).post(
        action_url(at_decision, "decide"),
        {
            "decide-outcome": "partially_approved",
            "decide-granted_amount": "4000",
            "decide-reasons": "Budjetti ei riitä kaikkeen.",
            "decide-conditions": "Raportoi 31.3. mennessä.",
        },
    )

    assert response.status_code == 302
    app = Application.objects.get(pk=at_decision.pk)
    assert app.state == S.DECIDED
    assert app.granted_amount == Decimal("4000.00")
    assert app.conditions == "Raportoi 31.3. mennessä."
    assert app.decided_by == people["decision_maker"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"decide-outcome": "approved", "decide-granted_amount": "5000"}, "reasons"),
        ({"decide-outcome": "maybe", "decide-reasons": "x"}, "outcome"),
        (
            {"decide-outcome": "approved", "decide-granted_amount": "100", "decide-reasons": "x"},
            "outcome",
        ),
        (
            {
                "decide-outcome": "partially_approved",
                "decide-granted_amount": "0",
                "decide-reasons": "x",
            },
            "granted_amount",
        ),
        (
            {"decide-outcome": "approved", "decide-granted_amount": "1e400", "decide-reasons": "x"},
            "granted_amount",
        ),
    ],
)
def test_a_bad_decision_is_400_at_its_field_and_saves_nothing(people, at_decision, data, field):
    before = audit_count(at_decision)

    response = signed_in(people["decision_maker"]).post(action_url(at_decision, "decide"), data)

    assert response.status_code == 400
    assert f'id="id_decide-{field}_error"' in response.content.decode()
    app = Application.objects.get(pk=at_decision.pk)
    assert app.state == S.IN_REVIEW
    assert app.granted_amount is None
    assert audit_count(at_decision) == before


def test_a_preparer_cannot_decide_the_form_is_not_shown_and_a_post_is_403(people, at_decision):
    client = signed_in(people["preparer2"])

    page = client.get(f"/workbench/applications/{at_decision.pk}/").content.decode()
    response = client.post(
        action_url(at_decision, "decide"),
        {"decide-outcome": "approved", "decide-granted_amount": "5000", "decide-reasons": "x"},
    )

    assert "/actions/decide/" not in page
    assert response.status_code == 403
    assert Application.objects.get(pk=at_decision.pk).state == S.IN_REVIEW


def test_an_action_the_state_no_longer_allows_is_a_409_with_a_message(people, in_review):
    before = audit_count(in_review)

    response = signed_in(people["preparer"]).post(
        action_url(in_review, "request_completion"), {"request_completion-comment": "Liitä."}
    )

    assert response.status_code == 409
    assert "not available any more" in response.content.decode()
    assert audit_count(in_review) == before


def test_an_unknown_action_is_404_and_get_is_not_allowed(people, submitted):
    client = signed_in(people["preparer"])

    assert client.post(action_url(submitted, "submit")).status_code == 404
    assert client.post(action_url(submitted, "nonsense")).status_code == 404
    assert client.get(action_url(submitted, "start_review")).status_code == 405


def test_the_decision_is_notified(people, at_decision, walk):
    decided = walk(at_decision, "decide")

    response = signed_in(people["preparer"]).post(
        action_url(decided, "notify"), {"notify-channel": "letter", "notify-sent_on": "2026-11-04"}
    )

    assert response.status_code == 302
    app = Application.objects.get(pk=decided.pk)
    assert app.state == S.NOTIFIED
    assert app.notified_on == date(2026, 11, 4)
    assert app.deemed_received_on == date(2026, 11, 11)  # 7th day by letter


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"notify-channel": "pigeon"}, "channel"),
        ({"notify-channel": "letter", "notify-sent_on": "2026-12-01"}, "sent_on"),
    ],
)
def test_a_bad_notification_is_400_and_saves_nothing(people, at_decision, walk, data, field):
    decided = walk(at_decision, "decide")

    response = signed_in(people["preparer"]).post(action_url(decided, "notify"), data)

    assert response.status_code == 400
    assert f'id="id_notify-{field}_error"' in response.content.decode()
    assert Application.objects.get(pk=decided.pk).state == S.DECIDED


@pytest.fixture
def reported(at_decision, walk):
    app = walk(at_decision, "decide", "notify")
    with time_machine.travel(NOW + timedelta(days=30), tick=False):
        app = walk(app, "become_legally_valid")
        return walk(
            app,
            "record_payment",
            "submit_report",
            record_payment={"params": {"amount": Decimal("5000.00"), "paid_on": date(2026, 12, 4)}},
        )


def test_the_preparer_returns_and_then_accepts_the_report(people, reported, walk):
    with time_machine.travel(NOW + timedelta(days=31), tick=False):
        client = signed_in(people["preparer"])  # a month on: a fresh session
        html = client.get("/workbench/").content.decode()
        assert heading_count(html, "reports") == 1

        bad = client.post(action_url(reported, "return_report"), {"return_report-comment": " "})
        assert bad.status_code == 400
        assert Application.objects.get(pk=reported.pk).state == S.REPORT_SUBMITTED

        returned = client.post(
            action_url(reported, "return_report"), {"return_report-comment": "Liitä tositteet."}
        )
        assert returned.status_code == 302
        assert Application.objects.get(pk=reported.pk).state == S.REPORT_RETURNED

        walk(Application.objects.get(pk=reported.pk), "submit_report")
        accepted = client.post(
            action_url(reported, "accept_report"), {"accept_report-comment": "Kiitos."}
        )

    assert accepted.status_code == 302
    assert Application.objects.get(pk=reported.pk).state == S.CLOSED


# --- conflict of interest ------------------------------------------------------------------


def test_declaring_a_conflict_of_interest_hands_the_step_to_another_official(people, in_review):
    client = signed_in(people["preparer"])

    response = client.post(
        f"/workbench/applications/{in_review.pk}/disqualification/",
        {"disqualification-reason": "Puolisoni on yhdistyksen puheenjohtaja."},
    )

    assert response.status_code == 302
    page = client.get(f"/workbench/applications/{in_review.pk}/").content.decode()
    assert "/actions/record_step/" not in page
    assert "/disqualification/" not in page  # declared once
    assert "Puolisoni on yhdistyksen puheenjohtaja." in page
    refused = client.post(
        action_url(in_review, "record_step"), {"record_step-proposed_amount": "10"}
    )
    assert refused.status_code == 403
    other = (
        signed_in(people["preparer2"])
        .get(f"/workbench/applications/{in_review.pk}/")
        .content.decode()
    )
    assert "/actions/record_step/" in other


def test_a_declaration_without_reason_is_400_and_a_second_one_is_refused(people, in_review):
    client = signed_in(people["preparer"])
    url = f"/workbench/applications/{in_review.pk}/disqualification/"

    empty = client.post(url, {"disqualification-reason": "  "})
    assert empty.status_code == 400
    assert 'id="id_disqualification-reason_error"' in empty.content.decode()
    assert not in_review.disqualifications.exists()

    client.post(url, {"disqualification-reason": "Jäsen."})
    again = client.post(url, {"disqualification-reason": "Jäsen."})
    assert again.status_code == 400
    assert in_review.disqualifications.count() == 1


def test_another_bodys_official_cannot_declare_on_our_application(people, in_review):
    response = signed_in(people["foreign_preparer"]).post(
        f"/workbench/applications/{in_review.pk}/disqualification/",
        {"disqualification-reason": "x"},
    )

    assert response.status_code == 404


# --- calls and chains ----------------------------------------------------------------------


def test_calls_show_the_budget_used_and_left(people, call, at_decision, walk, foreign_application):
    walk(at_decision, "decide")

    html = signed_in(people["liaison"]).get("/workbench/calls/").content.decode()

    assert call.name in html
    assert "€5,000.00" in html  # granted
    assert "€95,000.00" in html  # left of 100 000
    assert foreign_application.call.name not in html


def test_the_call_page_shows_its_chain_read_only(people, call, submitted):
    html = signed_in(people["preparer"]).get(f"/workbench/calls/{call.pk}/").content.decode()

    assert "Step 1" in html
    assert "Step 2" in html
    assert "Preparer" in html
    assert "Decision-maker" in html
    assert "<form" not in html.split("<main", 1)[1].split("</main>")[0]
    assert f"?call={call.pk}&amp;state=submitted" in html


def test_another_bodys_call_is_404(people, foreign_application):
    response = signed_in(people["preparer"]).get(f"/workbench/calls/{foreign_application.call.pk}/")

    assert response.status_code == 404


def test_the_calls_list_runs_the_same_queries_for_one_call_as_for_ten(people, body, walk):
    client = signed_in(people["preparer"])
    CallFactory(public_body=body)
    one = queries(client, "/workbench/calls/")
    for _ in range(9):
        many_submitted(CallFactory(public_body=body), 1, walk)
    ten = queries(client, "/workbench/calls/")

    assert ten == one


# --- the dashboard -------------------------------------------------------------------------


def test_the_dashboard_draws_budget_states_and_deadlines_with_the_figures_in_tables(
    people, call, at_decision, walk, submitted
):
    walk(at_decision, "decide")
    CallFactory(public_body=PublicBodyFactory(), name="Vieras haku")

    html = signed_in(people["preparer"]).get("/workbench/dashboard/").content.decode()

    assert 'class="bar-chart__fill" x="0" y="0" width="5.0"' in html  # 5 000 of 100 000
    assert "€5,000.00 of €100,000.00 (5 %)" in html
    assert "Vieras haku" not in html
    assert "<summary>Applications by state as a table</summary>" in html
    assert 'style="' not in html
    assert "<style" not in html


def test_the_dashboard_counts_deadlines_of_the_next_30_days_by_week(
    people, call, association, representative, walk
):
    for _ in range(3):
        walk(
            ApplicationFactory(call=call, association=association, created_by=representative),
            "submit",
            "request_completion",
        )

    html = signed_in(people["preparer"]).get("/workbench/dashboard/").content.decode()

    # completion due 14 days after 4.11. = 18.11., the third week counted from today
    rows = re.findall(r'<tr><th scope="row">([^<]*)</th><td class="number">(\d+)</td></tr>', html)
    weeks = [(label, int(n)) for label, n in rows if "–" in label]
    assert [n for _label, n in weeks] == [0, 0, 3, 0, 0]


def test_the_dashboard_runs_the_same_queries_for_one_row_as_for_ten(people, body, walk):
    client = signed_in(people["preparer"])
    many_submitted(CallFactory(public_body=body), 1, walk, "request_completion")
    one = queries(client, "/workbench/dashboard/")
    for _ in range(9):
        many_submitted(CallFactory(public_body=body), 1, walk, "request_completion")
    ten = queries(client, "/workbench/dashboard/")

    assert ten == one


@dataclass
class DrawnChart:
    """A dashboard chart as a person meets it: the bars (each an image named with its figure,
    the figure written beside it hidden from screen readers) and the table behind the
    disclosure that repeats the figures."""

    heading: str
    caption: str
    bars: list[tuple[str, str | None, str, str]]  # label, its link, the image's name, its length
    shown: list[str]  # the figures written beside the bars
    summary: str
    table_name: str
    columns: list[str]
    rows: list[list[str]]


def dashboard_chart(client: Client, heading_id: str) -> DrawnChart | None:
    """The chart in the section `heading_id` names, or None when the section has none."""
    page = lxml.html.fromstring(client.get("/workbench/dashboard/").content)
    (section,) = page.xpath(f'//section[@aria-labelledby="{heading_id}"]')
    (heading,) = section.xpath(f'h2[@id="{heading_id}"]')
    if not section.xpath(".//figure"):
        return None
    bars = []
    for row in section.xpath('.//li[@class="bar-chart__row"]'):
        (label,) = row.xpath('span[@class="bar-chart__label"]')
        (image,) = row.xpath('*[local-name()="svg"][@role="img"]')
        (title,) = image.xpath('*[local-name()="title"]')
        (fill,) = image.xpath('*[@class="bar-chart__fill"]')
        assert title.text == image.get("aria-label")
        link = label.xpath("a/@href")
        bars.append(
            (label.text_content(), link[0] if link else None, title.text, fill.get("width"))
        )
    (details,) = section.xpath('details[@class="chart-table"]')
    (region,) = details.xpath('div[@role="region"]')
    (caption,) = region.xpath("table/caption")
    assert caption.text_content() == region.get("aria-label")
    return DrawnChart(
        heading=heading.text_content(),
        caption=section.xpath(".//figcaption")[0].text_content(),
        bars=bars,
        shown=[s.text_content() for s in section.xpath('.//span[@aria-hidden="true"]')],
        summary=details.xpath("summary")[0].text_content(),
        table_name=region.get("aria-label"),
        columns=[th.text_content() for th in region.xpath("table/thead/tr/th[@scope='col']")],
        rows=[
            [cell.text_content() for cell in tr.xpath("th[@scope='row'] | td")]
            for tr in region.xpath("table/tbody/tr")
        ],
    )


def test_the_budget_chart_draws_each_calls_share_and_repeats_it_in_a_table(
    people, call, at_decision, walk
):
    walk(at_decision, "decide")

    chart = dashboard_chart(signed_in(people["preparer"]), "chart-budget")

    figure = "€5,000.00 of €100,000.00 (5 %)"
    assert chart.heading == "Budget used per call"
    assert chart.caption.startswith("The share of each call's budget granted so far")
    assert chart.bars == [(call.name, f"/workbench/calls/{call.pk}/", figure, "5.0")]
    assert chart.shown == [figure]
    assert chart.summary == "Budget used per call as a table"
    assert chart.table_name == "Budget used per call"
    assert chart.columns == ["Call", "Budget", "Granted", "Left", "Used"]
    assert chart.rows == [[call.name, "€100,000.00", "€5,000.00", "€95,000.00", "5 %"]]


def test_the_states_chart_counts_applications_linked_to_the_list_of_that_state(people, call, walk):
    apps = many_submitted(call, 3, walk)
    walk(apps[0], "start_review")

    chart = dashboard_chart(signed_in(people["preparer"]), "chart-states")

    submitted, in_review = str(S.SUBMITTED.label), str(S.IN_REVIEW.label)
    assert chart.heading == "Applications by state"
    assert chart.caption == "Submitted applications of every call by their state now."
    assert chart.bars == [
        (submitted, "/workbench/applications/?state=submitted", "2 applications", "100.0"),
        (in_review, "/workbench/applications/?state=in_review", "1 application", "50.0"),
    ]
    assert chart.shown == ["2", "1"]
    assert chart.summary == "Applications by state as a table"
    assert chart.columns == ["State", "Applications"]
    assert chart.rows == [[submitted, "2"], [in_review, "1"]]


def test_the_deadlines_chart_names_each_week_and_counts_its_deadlines(people, call, walk):
    many_submitted(call, 3, walk, "request_completion")  # completion due 18.11.

    chart = dashboard_chart(signed_in(people["preparer"]), "chart-deadlines")

    weeks = [
        "4 November 2026 – 10 November 2026",
        "11 November 2026 – 17 November 2026",
        "18 November 2026 – 24 November 2026",
        "25 November 2026 – 1 December 2026",
        "2 December 2026 – 4 December 2026",
    ]
    assert chart.heading == "Deadlines in the next 30 days"
    assert chart.caption == "Open deadlines of your public body per week, counted from today."
    assert [(label, link) for label, link, _name, _length in chart.bars] == [
        (week, None) for week in weeks
    ]
    assert [name for _label, _link, name, _length in chart.bars] == [
        "0 deadlines",
        "0 deadlines",
        "3 deadlines",
        "0 deadlines",
        "0 deadlines",
    ]
    assert chart.shown == ["0", "0", "3", "0", "0"]
    assert chart.table_name == "Deadlines per week"
    assert chart.columns == ["Week", "Deadlines"]
    assert chart.rows == [[week, n] for week, n in zip(weeks, chart.shown, strict=True)]


def test_a_dashboard_without_calls_says_so_and_still_draws_the_weeks(people):
    client = signed_in(people["preparer"])
    html = client.get("/workbench/dashboard/").content.decode()

    assert dashboard_chart(client, "chart-budget") is None
    assert dashboard_chart(client, "chart-states") is None
    assert "Your public body has no calls yet." in html
    assert "No application has been submitted yet." in html
    weeks = dashboard_chart(client, "chart-deadlines")
    assert [name for _label, _link, name, _length in weeks.bars] == ["0 deadlines"] * 5
    assert [length for _label, _link, _name, length in weeks.bars] == ["0.0"] * 5


@pytest.mark.parametrize(
    ("language", "budget", "columns", "applications"),
    [
        ("fi", "{used} / {budget} (5 %)", ["Avustushaku", "Talousarvio"], "1 hakemus"),
        ("sv", "{used} av {budget} (5 %)", ["Ansökningsomgång", "Budget"], "1 ansökan"),
    ],
)
def test_the_charts_figures_are_in_the_persons_language(
    people, call, at_decision, walk, language, budget, columns, applications
):
    walk(at_decision, "decide")
    user = people["preparer"]
    client = Client()
    client.force_login(user)
    user.language = language
    user.save(update_fields=["language"])

    budgets = dashboard_chart(client, "chart-budget")
    states = dashboard_chart(client, "chart-states")

    used, total = money(Decimal("5000"), language), money(Decimal("100000"), language)
    assert budgets.bars[0][2] == budget.format(used=used, budget=total)
    assert budgets.columns[:2] == columns
    assert budgets.rows[0][1:3] == [total, used]
    assert states.bars[0][2] == applications


# --- language ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_the_pages_are_in_the_persons_language(people, in_review, language):
    user = people["preparer"]
    client = Client()
    client.force_login(user)
    user.language = language
    user.save(update_fields=["language"])

    html = client.get(f"/workbench/applications/{in_review.pk}/").content.decode()

    assert f'<html lang="{language}">' in html
    assert "What you can do" not in html
    assert "Record the step" not in html


# --- rectification, legal validity, closing ------------------------------------------------


def test_the_decision_maker_decides_a_request_for_rectification(people, at_decision, walk):
    filed = walk(at_decision, "decide", "notify", "file_rectification")
    client = signed_in(people["decision_maker2"])

    bad = client.post(
        action_url(filed, "decide_rectification"), {"decide_rectification-outcome": "upheld"}
    )
    assert bad.status_code == 400
    assert 'id="id_decide_rectification-reasons_error"' in bad.content.decode()
    assert Application.objects.get(pk=filed.pk).state == S.UNDER_RECTIFICATION

    response = client.post(
        action_url(filed, "decide_rectification"),
        {
            "decide_rectification-outcome": "changed",
            "decide_rectification-granted_amount": "4 000,00",
            "decide_rectification-reasons": "Osa kuluista ei ole avustuskelpoisia.",
        },
    )

    assert response.status_code == 400  # "4 000,00" is not an amount in English
    people["decision_maker2"].language = "fi"
    people["decision_maker2"].save(update_fields=["language"])
    response = client.post(
        action_url(filed, "decide_rectification"),
        {
            "decide_rectification-outcome": "changed",
            "decide_rectification-granted_amount": "4 000,00",
            "decide_rectification-reasons": "Osa kuluista ei ole avustuskelpoisia.",
        },
    )
    assert response.status_code == 302
    app = Application.objects.get(pk=filed.pk)
    assert app.state == S.DECIDED
    assert app.granted_amount == Decimal("4000.00")
    assert app.outcome == "partially_approved"


def test_the_preparer_marks_a_rejection_legally_valid_and_closes_it(people, at_decision, walk):
    rejected = walk(
        at_decision,
        "decide",
        "notify",
        decide={"params": {"outcome": "rejected", "granted_amount": Decimal(0), "reasons": "Ei."}},
    )
    client = signed_in(people["preparer"])
    page = client.get(f"/workbench/applications/{rejected.pk}/").content.decode()
    assert "/actions/become_legally_valid/" not in page  # the appeal period runs

    with time_machine.travel(NOW + timedelta(days=30), tick=False):
        client = signed_in(people["preparer"])
        valid = client.post(action_url(rejected, "become_legally_valid"), {})
        closed = client.post(action_url(rejected, "close"), {"close-comment": "Ei maksettavaa."})

    assert valid.status_code == 302
    assert closed.status_code == 302
    assert Application.objects.get(pk=rejected.pk).state == S.CLOSED


def test_an_applications_page_runs_the_same_queries_however_long_its_history(
    people, call, association, representative, walk
):
    def application_with(attachments: int) -> Application:
        app = ApplicationFactory(call=call, association=association, created_by=representative)
        for i in range(attachments):
            attachment_add(
                app,
                user=representative,
                upload=SimpleUploadedFile(f"liite{i}.pdf", b"%PDF-1.4", "application/pdf"),
            )
        return app

    short = walk(application_with(1), "submit", "start_review")
    long = walk(
        application_with(5),
        "submit",
        "request_completion",
        "resubmit",
        "start_review",
        "record_step",
    )
    disqualification_declare(long, user=people["preparer2"], reason="Jäsen.")
    client = signed_in(people["preparer"])

    assert queries(client, f"/workbench/applications/{long.pk}/") == queries(
        client, f"/workbench/applications/{short.pk}/"
    )


# --- deadlines -----------------------------------------------------------------------------


def test_the_deadlines_page_lists_the_bodys_open_deadlines_only(
    people, call, walk, foreign_application
):
    from workflow.transitions import transition_perform

    returned = many_submitted(call, 1, walk, "request_completion")[0]
    theirs = grant_role(UserFactory(), foreign_application.call.public_body, Role.PREPARER)
    transition_perform(foreign_application, "request_completion", actor=theirs, comment="x")

    html = signed_in(people["liaison"]).get("/workbench/deadlines/").content.decode()

    assert f'href="/workbench/applications/{returned.pk}/"' in html
    assert f"/workbench/applications/{foreign_application.pk}/" not in html
    assert "Completion due" in html


def test_the_deadlines_page_runs_the_same_queries_for_one_row_as_for_ten(people, call, walk):
    client = signed_in(people["preparer"])
    many_submitted(call, 1, walk, "request_completion")
    one = queries(client, "/workbench/deadlines/")
    many_submitted(call, 9, walk, "request_completion")
    ten = queries(client, "/workbench/deadlines/")

    assert ten == one
