"""Who sees and changes which application through the API.

A record outside your organisations answers 404, as if it did not exist; a record you see but
may not change answers 403; a transition the record's state does not allow answers 409.
"""

from contextlib import contextmanager

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from grants.models import Application, Attachment, BudgetLine
from organisations.models import OfficialRole
from tests.conftest import as_user
from tests.factories import ApplicationFactory, CallFactory, grant_role
from workflow.models import ApprovalRun, Disqualification, StepRecord, TransitionLog
from workflow.transitions import transition_perform

pytestmark = pytest.mark.django_db

URL = "/api/v1/applications/"
PDF = b"%PDF-1.4\n%%EOF\n"
DECIDE_JSON = {"outcome": "approved", "granted_amount": "5000.00", "reasons": "Hyvä hanke."}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def snapshot(*apps) -> dict:
    models = (Application, BudgetLine, Attachment, TransitionLog, ApprovalRun, StepRecord)
    state = {m._meta.label: m.objects.count() for m in (*models, Disqualification)}
    for app in apps:
        fresh = Application.objects.get(pk=app.pk)
        state[app.pk] = {f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields}
    return state


@contextmanager
def saves_nothing(*apps):
    before = snapshot(*apps)
    yield
    assert snapshot(*apps) == before


@pytest.fixture
def foreign_body(people):
    return OfficialRole.objects.get(user=people["foreign_preparer"]).public_body


@pytest.fixture
def foreign_application(foreign_body, foreign_association, foreign_representative):
    """A foreign association's submitted application to a foreign public body's call."""
    app = ApplicationFactory(
        call=CallFactory(public_body=foreign_body),
        association=foreign_association,
        created_by=foreign_representative,
    )
    return transition_perform(app, "submit", actor=foreign_representative)


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.data
    return {a["id"] for a in response.data["results"]}


# --- visibility -----------------------------------------------------------------------------


def test_each_person_lists_only_the_records_of_their_organisations(
    api,
    application,
    foreign_application,
    representative,
    foreign_representative,
    people,
    call,
    foreign_association,
):
    # A foreign association applying to our body is seen by our officials, not our association.
    foreign_in_our_call = ApplicationFactory(
        call=call, association=foreign_association, created_by=foreign_representative
    )
    transition_perform(application, "submit", actor=representative)
    transition_perform(foreign_in_our_call, "submit", actor=foreign_representative)

    assert _ids(as_user(api, representative).get(URL)) == {application.pk}
    assert _ids(as_user(api, foreign_representative).get(URL)) == {
        foreign_application.pk,
        foreign_in_our_call.pk,
    }
    assert _ids(as_user(api, people["preparer"]).get(URL)) == {
        application.pk,
        foreign_in_our_call.pk,
    }
    assert _ids(as_user(api, people["foreign_preparer"]).get(URL)) == {foreign_application.pk}


def _requests(app):
    base = f"{URL}{app.pk}/"
    return {
        "detail": ("get", base, None),
        "edit": ("patch", base, {"purpose": "Kaapattu."}),
        "transition": ("post", f"{base}transitions/", {"transition": "submit"}),
        "review": ("post", f"{base}transitions/", {"transition": "start_review"}),
        "history": ("get", f"{base}history/", None),
        "attachments": ("get", f"{base}attachments/", None),
        "upload": ("post", f"{base}attachments/", "FILE"),
        "disqualification": ("post", f"{base}disqualification/", {"reason": "Jäsen."}),
    }


def _send(client, method, url, data):
    if data == "FILE":
        upload = SimpleUploadedFile("liite.pdf", PDF, content_type="application/pdf")
        return client.post(url, {"file": upload}, format="multipart")
    return getattr(client, method)(url, *([] if data is None else [data]))


@pytest.mark.parametrize(
    "request_name",
    [
        "detail",
        "edit",
        "transition",
        "review",
        "history",
        "attachments",
        "upload",
        "disqualification",
    ],
)
@pytest.mark.parametrize(
    ("who", "whose"),
    [
        ("representative", "foreign"),
        ("preparer", "foreign"),
        ("foreign_representative", "ours"),
        ("foreign_preparer", "ours"),
    ],
)
def test_a_record_you_cannot_see_answers_404(
    api,
    application,
    foreign_application,
    representative,
    foreign_representative,
    people,
    request_name,
    who,
    whose,
):
    users = {"representative": representative, "foreign_representative": foreign_representative}
    user = users.get(who) or people[who]
    app = foreign_application if whose == "foreign" else application
    method, url, data = _requests(app)[request_name]

    with saves_nothing(application, foreign_application):
        response = _send(as_user(api, user), method, url, data)

    assert response.status_code == 404, (response.status_code, getattr(response, "data", None))


def test_an_id_that_does_not_exist_or_is_not_a_number_answers_404(api, representative):
    client = as_user(api, representative)
    for pk in ("999999999", "abc", "99999999999999999999999"):
        assert client.get(f"{URL}{pk}/").status_code == 404
        assert client.post(f"{URL}{pk}/transitions/", {"transition": "submit"}).status_code == 404


@pytest.mark.parametrize("request_name", ["detail", "edit", "transition", "history", "upload"])
def test_an_anonymous_request_is_refused(application, request_name):
    method, url, data = _requests(application)[request_name]

    with saves_nothing(application):
        response = _send(APIClient(), method, url, data)

    assert response.status_code in {401, 403}


def test_an_anonymous_list_or_create_is_refused(application, call, association):
    client = APIClient()

    with saves_nothing(application):
        listed = client.get(URL)
        created = client.post(
            URL,
            {
                "call": call.pk,
                "association": association.pk,
                "requested_amount": "100.00",
                "purpose": "x",
            },
        )

    assert listed.status_code in {401, 403}
    assert created.status_code in {401, 403}
    assert "results" not in listed.data


def test_a_wrong_token_is_refused(application):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)

    response = client.get(URL)

    assert response.status_code in {401, 403}


# --- 403: visible, but not yours to change --------------------------------------------------


def test_the_representative_cannot_start_the_review(api, application, walk, representative):
    walk(application, "submit")

    with saves_nothing(application):
        response = as_user(api, representative).post(
            f"{URL}{application.pk}/transitions/", {"transition": "start_review"}
        )

    assert response.status_code == 403
    assert response.data["detail"]


def test_finance_cannot_decide(api, application, walk, people):
    walk(application, "submit", "start_review", "record_step")

    with saves_nothing(application):
        response = as_user(api, people["finance"]).post(
            f"{URL}{application.pk}/transitions/", {"transition": "decide", **DECIDE_JSON}
        )

    assert response.status_code == 403


def test_the_preparer_who_proposed_cannot_also_decide(api, application, walk, people):
    walk(application, "submit", "start_review", "record_step")
    # Give the preparer the decision-maker role as well: still one step per person.
    grant_role(people["preparer"], application.call.public_body, OfficialRole.Role.DECISION_MAKER)

    with saves_nothing(application):
        response = as_user(api, people["preparer"]).post(
            f"{URL}{application.pk}/transitions/", {"transition": "decide", **DECIDE_JSON}
        )

    assert response.status_code == 403


def test_the_decision_maker_cannot_record_the_preparers_step(api, application, walk, people):
    walk(application, "submit", "start_review")

    with saves_nothing(application):
        response = as_user(api, people["decision_maker"]).post(
            f"{URL}{application.pk}/transitions/",
            {"transition": "record_step", "proposed_amount": "5000.00"},
        )

    assert response.status_code == 403


def test_officials_do_not_see_a_draft_until_it_is_submitted(api, application, people, walk):
    client = as_user(api, people["preparer"])
    detail = f"{URL}{application.pk}/"

    assert _ids(client.get(URL)) == set()
    assert client.get(detail).status_code == 404
    assert client.get(f"{detail}history/").status_code == 404

    walk(application, "submit")

    assert _ids(client.get(URL)) == {application.pk}
    assert client.get(detail).status_code == 200


def test_a_signatory_who_sees_a_draft_but_does_not_represent_it_cannot_change_it(
    api, application, signatory
):
    client = as_user(api, signatory)
    assert client.get(f"{URL}{application.pk}/").status_code == 200

    with saves_nothing(application):
        edited = client.patch(f"{URL}{application.pk}/", {"purpose": "Muutettu."})
        submitted = client.post(f"{URL}{application.pk}/transitions/", {"transition": "submit"})
        uploaded = client.post(
            f"{URL}{application.pk}/attachments/",
            {"file": SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")},
            format="multipart",
        )

    assert edited.status_code == 403
    assert submitted.status_code == 403
    assert uploaded.status_code == 403


# --- 409: not available in this state -------------------------------------------------------


def test_decide_on_a_submitted_application_is_a_conflict(api, application, people, walk):
    walk(application, "submit")
    with saves_nothing(application):
        response = as_user(api, people["decision_maker"]).post(
            f"{URL}{application.pk}/transitions/", {"transition": "decide", **DECIDE_JSON}
        )

    assert response.status_code == 409
    assert "submitted" in str(response.data["detail"])


def test_submitting_twice_is_a_conflict(api, application, representative):
    client = as_user(api, representative)
    assert (
        client.post(f"{URL}{application.pk}/transitions/", {"transition": "submit"}).status_code
        == 200
    )

    with saves_nothing(application):
        again = client.post(f"{URL}{application.pk}/transitions/", {"transition": "submit"})

    assert again.status_code == 409


# --- authentication -------------------------------------------------------------------------


def test_token_authentication_works(application, representative):
    token = Token.objects.create(user=representative)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    listed = client.get(URL)
    submitted = client.post(f"{URL}{application.pk}/transitions/", {"transition": "submit"})

    assert _ids(listed) == {application.pk}
    assert submitted.status_code == 200, submitted.data
    assert submitted.data["state"] == "submitted"
    assert TransitionLog.objects.get(object_id=application.pk).actor == representative


def test_session_authentication_works_alongside_tokens(application, people, walk):
    walk(application, "submit")
    Token.objects.create(user=people["preparer"])
    client = APIClient()
    assert client.login(username="preparer", password="pw")

    response = client.get(f"{URL}{application.pk}/")

    assert response.status_code == 200
    assert response.data["id"] == application.pk


# --- disqualification -----------------------------------------------------------------------


def test_a_disqualified_preparer_is_refused_and_another_preparer_acts(
    api, application, walk, people, representative
):
    walk(application, "submit")
    preparer, preparer2 = people["preparer"], people["preparer2"]

    declared = as_user(api, preparer).post(
        f"{URL}{application.pk}/disqualification/", {"reason": "Yhdistyksen hallituksen jäsen."}
    )
    assert declared.status_code == 201
    assert Disqualification.objects.filter(user=preparer, object_id=application.pk).exists()

    shown = as_user(api, preparer).get(f"{URL}{application.pk}/")
    assert shown.data["available_transitions"] == []
    with saves_nothing(application):
        refused = as_user(api, preparer).post(
            f"{URL}{application.pk}/transitions/", {"transition": "start_review"}
        )
    assert refused.status_code == 403

    accepted = as_user(api, preparer2).post(
        f"{URL}{application.pk}/transitions/", {"transition": "start_review"}
    )
    assert accepted.status_code == 200, accepted.data
    assert accepted.data["state"] == "in_review"

    official = as_user(api, preparer2).get(f"{URL}{application.pk}/history/")
    applicant = as_user(api, representative).get(f"{URL}{application.pk}/history/")
    assert "declare_disqualification" in [e["transition"] for e in official.data]
    assert "declare_disqualification" not in [e["transition"] for e in applicant.data]


def test_a_disqualified_decision_maker_leaves_the_decision_to_another(
    api, application, walk, people
):
    walk(application, "submit", "start_review", "record_step")
    url = f"{URL}{application.pk}/"
    declared = as_user(api, people["decision_maker"]).post(
        f"{url}disqualification/", {"reason": "Sukulainen."}
    )
    assert declared.status_code == 201

    refused = as_user(api, people["decision_maker"]).post(
        f"{url}transitions/", {"transition": "decide", **DECIDE_JSON}
    )
    decided = as_user(api, people["decision_maker2"]).post(
        f"{url}transitions/", {"transition": "decide", **DECIDE_JSON}
    )

    assert refused.status_code == 403
    assert decided.status_code == 200, decided.data
    assert decided.data["state"] == "decided"


@pytest.mark.parametrize("who", ["representative", "signatory"])
def test_an_association_person_cannot_declare_disqualification(
    api, application, walk, representative, signatory, who
):
    walk(application, "submit")
    user = representative if who == "representative" else signatory

    with saves_nothing(application):
        response = as_user(api, user).post(
            f"{URL}{application.pk}/disqualification/", {"reason": "Haluan."}
        )

    assert response.status_code == 403


@pytest.mark.parametrize("reason", ["", "   ", None, "x" * 5001])
def test_a_disqualification_needs_a_reason(api, application, people, walk, reason):
    walk(application, "submit")
    with saves_nothing(application):
        response = as_user(api, people["preparer"]).post(
            f"{URL}{application.pk}/disqualification/", {"reason": reason}
        )

    assert response.status_code == 400
    assert "reason" in response.data


def test_declaring_disqualification_twice_is_a_400(api, application, people, walk):
    walk(application, "submit")
    client = as_user(api, people["preparer"])
    url = f"{URL}{application.pk}/disqualification/"
    assert client.post(url, {"reason": "Jäsen."}).status_code == 201

    with saves_nothing(application):
        again = client.post(url, {"reason": "Jäsen edelleen."})

    assert again.status_code == 400
