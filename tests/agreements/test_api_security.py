"""Who sees and changes which agreement through the API and the admin.

A record outside your organisations answers 404 on every endpoint, as if it did not exist; so
does a draft (an agreement or a version) the other side has not proposed yet. The admin reads
everything and changes no state.
"""

from contextlib import contextmanager
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from agreements import services
from agreements.models import (
    Agreement,
    AgreementAttachment,
    AgreementVersion,
    Evaluation,
    Meeting,
    VersionComment,
)
from organisations.models import OfficialRole
from tests.agreements.builders import act, at, fresh, log_of, terms, version_of
from tests.conftest import as_user
from tests.factories import PublicBodyFactory, UserFactory, grant_role
from workflow.models import Disqualification, TransitionLog

pytestmark = pytest.mark.django_db

URL = "/api/v1/agreements/"
VERSIONS = "/api/v1/agreement-versions/"
MEETINGS = "/api/v1/agreement-meetings/"
EVALUATIONS = "/api/v1/evaluations/"
PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def snapshot(*records) -> dict:
    models = (Agreement, AgreementVersion, AgreementAttachment, Meeting, Evaluation)
    state = {m._meta.label: m.objects.count() for m in models}
    for model in (VersionComment, TransitionLog, Disqualification):
        state[model._meta.label] = model.objects.count()
    for record in records:
        again = fresh(record)
        state[f"{record._meta.label}:{record.pk}"] = {
            f.attname: getattr(again, f.attname) for f in record._meta.concrete_fields
        }
    return state


@contextmanager
def saves_nothing(*records):
    before = snapshot(*records)
    yield
    assert snapshot(*records) == before


@pytest.fixture
def foreign_official():
    """A person holding every official role, in another public body."""
    user = UserFactory(username="foreign_official")
    other = PublicBodyFactory()
    for role in OfficialRole.Role.values:
        grant_role(user, other, role)
    return user


@pytest.fixture
def ours(active, people, time_machine):
    """Our active agreement with its first meeting held and minuted, an attachment, and
    version 2 (an amendment) proposed by the public body."""
    time_machine.move_to(at(date(2027, 6, 20)), tick=False)
    meeting = Meeting.objects.filter(agreement=active).order_by("due_on")[0]
    services.meeting_record(
        meeting,
        user=people["liaison"],
        held_on=date(2027, 6, 15),
        notes="Kevät.",
        minutes=SimpleUploadedFile("poytakirja.pdf", PDF),
    )
    services.attachment_add(
        active, user=people["liaison"], upload=SimpleUploadedFile("liite.pdf", PDF)
    )
    v2 = services.version_draft(active, user=people["liaison"], terms_given={"title": "Muutos"})
    act(v2, "propose", people["liaison"])
    return {
        "agreement": fresh(active),
        "version": fresh(v2),
        "meeting": fresh(meeting),
        "evaluation": Evaluation.objects.filter(agreement=active).order_by("period_starts_on")[0],
    }


def _requests(agreement, version, meeting=None, evaluation=None) -> dict[str, tuple]:
    """Every request on the given records, by name: (method, url, data)."""
    a, v = f"{URL}{agreement.pk}/", f"{VERSIONS}{version.pk}/"
    requests = {
        "agreement": ("get", a, None),
        "agreement transition": ("post", f"{a}transitions/", {"transition": "terminate"}),
        "agreement history": ("get", f"{a}history/", None),
        "agreement disqualification": ("post", f"{a}disqualification/", {"reason": "x"}),
        "attachments": ("get", f"{a}attachments/", None),
        "upload": ("post", f"{a}attachments/", "FILE"),
        "new version": ("post", f"{a}versions/", {"title": "Kaapattu"}),
        "meetings": ("get", f"{a}meetings/", None),
        "schedule meeting": ("post", f"{a}meetings/", {"due_on": "2027-09-01"}),
        "version": ("get", v, None),
        "edit version": ("patch", v, {"title": "Kaapattu"}),
        "version transition": ("post", f"{v}transitions/", {"transition": "accept"}),
        "version history": ("get", f"{v}history/", None),
        "version disqualification": ("post", f"{v}disqualification/", {"reason": "x"}),
        "comments": ("get", f"{v}comments/", None),
        "comment": ("post", f"{v}comments/", {"body": "Hei."}),
        "diff": ("get", f"{v}diff/", None),
    }
    if meeting is not None:
        m = f"{MEETINGS}{meeting.pk}/"
        requests |= {
            "meeting": ("get", m, None),
            "record meeting": ("post", f"{m}record/", {"held_on": "2027-06-15", "notes": "x"}),
            "minutes": ("get", f"{m}minutes/", None),
        }
    if evaluation is not None:
        e = f"{EVALUATIONS}{evaluation.pk}/"
        requests |= {
            "evaluation": ("get", e, None),
            "evaluation transition": ("post", f"{e}transitions/", {"transition": "open"}),
            "evaluation history": ("get", f"{e}history/", None),
            "evaluation disqualification": ("post", f"{e}disqualification/", {"reason": "x"}),
        }
    return requests


REQUESTS = [
    "agreement",
    "agreement transition",
    "agreement history",
    "agreement disqualification",
    "attachments",
    "upload",
    "new version",
    "meetings",
    "schedule meeting",
    "version",
    "edit version",
    "version transition",
    "version history",
    "version disqualification",
    "comments",
    "comment",
    "diff",
    "meeting",
    "record meeting",
    "minutes",
    "evaluation",
    "evaluation transition",
    "evaluation history",
    "evaluation disqualification",
]


def _send(client, method, url, data):
    if data == "FILE":
        upload = SimpleUploadedFile("liite.pdf", PDF, content_type="application/pdf")
        return client.post(url, {"file": upload}, format="multipart")
    return getattr(client, method)(url, *([] if data is None else [data]))


def _ids(response) -> set[int]:
    assert response.status_code == 200, response.data
    return {row["id"] for row in response.data["results"]}


# --- another organisation's records ---------------------------------------------------------


def test_each_side_sees_what_it_is_allowed_to_and_the_other_sides_responses_succeed(
    api, ours, representative, people
):
    """The requests the 404 tests send do work for the agreement's own people."""
    requests = _requests(**ours)
    for name in ("agreement", "version", "meeting", "evaluation", "minutes", "diff", "comments"):
        method, url, data = requests[name]
        assert _send(as_user(api, representative), method, url, data).status_code == 200, name
        assert _send(as_user(api, people["liaison"]), method, url, data).status_code == 200, name


@pytest.mark.parametrize("request_name", REQUESTS)
@pytest.mark.parametrize("who", ["foreign_representative", "foreign_official"])
def test_another_organisations_records_answer_404_on_every_endpoint(
    api, ours, foreign_representative, foreign_official, who, request_name
):
    user = foreign_representative if who == "foreign_representative" else foreign_official
    method, url, data = _requests(**ours)[request_name]

    with saves_nothing(*ours.values()):
        response = _send(as_user(api, user), method, url, data)

    assert response.status_code == 404, (response.status_code, getattr(response, "data", None))


@pytest.mark.parametrize("who", ["foreign_representative", "foreign_official"])
def test_lists_hold_none_of_another_organisations_records(
    api, ours, foreign_representative, foreign_official, who
):
    user = foreign_representative if who == "foreign_representative" else foreign_official
    client = as_user(api, user)

    for url in (URL, VERSIONS, MEETINGS, EVALUATIONS):
        assert _ids(client.get(url)) == set(), url
        if url != URL:
            assert _ids(client.get(url, {"agreement": ours["agreement"].pk})) == set(), url


def test_each_person_lists_only_the_agreements_of_their_organisations(
    api,
    time_machine,
    body,
    association,
    foreign_association,
    representative,
    foreign_representative,
    people,
    foreign_official,
):
    time_machine.move_to(at(date(2026, 12, 15)), tick=False)
    foreign_body = OfficialRole.objects.filter(user=foreign_official).first().public_body
    foreign_liaison = foreign_official  # holds the liaison role there too

    def shared(user, public_body, associations):
        agreement = services.agreement_create(
            user=user, public_body=public_body, associations=associations, terms_given=terms()
        )
        act(version_of(agreement), "propose", user)
        return agreement

    our_own = shared(representative, body, [association])
    joint = shared(people["liaison"], body, [association, foreign_association])
    theirs_with_us = shared(foreign_representative, body, [foreign_association])
    foreign = shared(foreign_liaison, foreign_body, [foreign_association])

    assert _ids(as_user(api, representative).get(URL)) == {our_own.pk, joint.pk}
    assert _ids(as_user(api, foreign_representative).get(URL)) == {
        joint.pk,
        theirs_with_us.pk,
        foreign.pk,
    }
    assert _ids(as_user(api, people["finance"]).get(URL)) == {
        our_own.pk,
        joint.pk,
        theirs_with_us.pk,
    }
    assert _ids(as_user(api, foreign_official).get(URL)) == {foreign.pk}


def test_an_id_that_does_not_exist_or_is_not_a_number_answers_404(api, representative):
    client = as_user(api, representative)
    for base in (URL, VERSIONS, MEETINGS, EVALUATIONS):
        for pk in ("999999999", "abc", "99999999999999999999999"):
            assert client.get(f"{base}{pk}/").status_code == 404, (base, pk)
    assert client.post(f"{URL}abc/transitions/", {"transition": "end"}).status_code == 404


@pytest.mark.parametrize("request_name", ["agreement", "version", "comment", "upload", "minutes"])
def test_an_anonymous_request_is_refused(ours, request_name):
    method, url, data = _requests(**ours)[request_name]

    with saves_nothing(*ours.values()):
        response = _send(APIClient(), method, url, data)

    assert response.status_code in {401, 403}


def test_an_anonymous_list_or_create_is_refused(ours, body, association):
    client = APIClient()

    with saves_nothing(*ours.values()):
        for url in (URL, VERSIONS, MEETINGS, EVALUATIONS):
            assert client.get(url).status_code in {401, 403}
        created = client.post(URL, {"public_body": body.pk, "associations": [association.pk]})

    assert created.status_code in {401, 403}


# --- drafts the other side has not been shown -----------------------------------------------


DRAFT_REQUESTS = [
    "agreement",
    "agreement transition",
    "agreement history",
    "attachments",
    "upload",
    "new version",
    "version",
    "edit version",
    "version transition",
    "version history",
    "comments",
    "comment",
    "diff",
]


@pytest.fixture
def unshared(draft, body_draft):
    """The association's draft and the public body's, neither proposed yet."""
    return {"association": draft, "public_body": body_draft}


@pytest.mark.parametrize("request_name", DRAFT_REQUESTS)
@pytest.mark.parametrize(
    ("whose", "who"),
    [
        ("association", "liaison"),
        ("association", "preparer"),
        ("association", "finance"),
        ("public_body", "representative"),
        ("public_body", "signatory"),
    ],
)
def test_a_draft_not_yet_proposed_answers_404_for_the_other_side(
    api, unshared, representative, signatory, people, whose, who, request_name
):
    user = {"representative": representative, "signatory": signatory}.get(who) or people[who]
    agreement = unshared[whose]
    method, url, data = _requests(agreement, version_of(agreement))[request_name]

    with saves_nothing(agreement, version_of(agreement)):
        response = _send(as_user(api, user), method, url, data)

    assert response.status_code == 404, (response.status_code, getattr(response, "data", None))


def test_a_draft_is_listed_for_its_author_side_only(api, unshared, representative, people):
    mine, theirs = unshared["association"], unshared["public_body"]

    assert _ids(as_user(api, representative).get(URL)) == {mine.pk}
    assert _ids(api.get(VERSIONS)) == {version_of(mine).pk}
    assert _ids(as_user(api, people["preparer"]).get(URL)) == {theirs.pk}
    assert _ids(api.get(VERSIONS)) == {version_of(theirs).pk}


def test_once_proposed_the_draft_is_the_other_sides_to_see(api, unshared, representative, people):
    act(version_of(unshared["association"]), "propose", representative)

    response = as_user(api, people["liaison"]).get(f"{URL}{unshared['association'].pk}/")

    assert response.status_code == 200
    assert [v["state"] for v in response.data["versions"]] == ["negotiation"]


def test_an_amendment_drafted_by_one_side_is_hidden_from_the_other(
    api, active, representative, people
):
    v2 = services.version_draft(active, user=people["liaison"], terms_given={"title": "Muutos"})
    client = as_user(api, representative)

    assert client.get(f"{VERSIONS}{v2.pk}/").status_code == 404
    assert [v["number"] for v in client.get(f"{URL}{active.pk}/").data["versions"]] == [1]
    assert _ids(client.get(VERSIONS)) == {active.in_force_version_id}
    # The other side's draft is no version to compare with either.
    v1 = f"{VERSIONS}{active.in_force_version_id}/diff/"
    assert client.get(v1, {"against": 2}).status_code == 400


def test_a_version_withdrawn_before_it_was_proposed_stays_its_authors(
    api, active, representative, people
):
    v2 = services.version_draft(active, user=people["liaison"], terms_given={"title": "Muutos"})
    act(v2, "withdraw", people["liaison"])

    assert as_user(api, representative).get(f"{VERSIONS}{v2.pk}/").status_code == 404
    assert as_user(api, people["preparer"]).get(f"{VERSIONS}{v2.pk}/").status_code == 200


# --- the admin ------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client, ours):
    # Logged in after `ours` has moved the clock, so the session has not expired.
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_the_admin_shows_agreements_versions_meetings_and_evaluations(admin_client, ours):
    pages = [
        "/admin/agreements/agreement/",
        f"/admin/agreements/agreement/{ours['agreement'].pk}/change/",
        "/admin/agreements/agreementversion/",
        f"/admin/agreements/agreementversion/{ours['version'].pk}/change/",
        "/admin/agreements/meeting/",
        f"/admin/agreements/meeting/{ours['meeting'].pk}/change/",
        "/admin/agreements/evaluation/",
        f"/admin/agreements/evaluation/{ours['evaluation'].pk}/change/",
    ]
    for page in pages:
        assert admin_client.get(page).status_code == 200, page
    assert admin_client.get("/admin/agreements/agreement/?q=KS").status_code == 200


def test_the_admin_adds_and_deletes_no_agreement_nor_any_record_the_engine_writes(
    admin_client, ours
):
    with saves_nothing(*ours.values()):
        for model in ("agreement", "agreementversion", "meeting", "evaluation"):
            assert admin_client.get(f"/admin/agreements/{model}/add/").status_code == 403
        pk = ours["agreement"].pk
        assert admin_client.post(f"/admin/agreements/agreement/{pk}/delete/").status_code == 403
        # A version's titles in Swedish and English are edited there (test_admin_titles); its
        # terms, the title among them, are not: the form takes no title and saves nothing.
        version = ours["version"].pk
        response = admin_client.post(
            f"/admin/agreements/agreementversion/{version}/change/", {"title": "Admin"}
        )
        assert response.status_code != 302


def _change(admin_client, agreement, **values):
    """POST the agreement's change form as the page shows it, with `values` changed."""
    url = f"/admin/agreements/agreement/{agreement.pk}/change/"
    page = admin_client.get(url)
    data = {
        name: "" if value is None else value
        for name, value in page.context["adminform"].form.initial.items()
        if name in page.context["adminform"].form.fields
    }
    for inline in page.context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data |= {f"{management.prefix}-{k}": v for k, v in management.initial.items()}
    return admin_client.post(url, {**data, **values})


def test_the_admin_names_another_liaison_with_an_audit_record_and_no_state_change(
    admin_client, ours, body, people
):
    agreement = ours["agreement"]
    other = grant_role(UserFactory(username="liaison2"), body, OfficialRole.Role.LIAISON)

    response = _change(admin_client, agreement, liaison=other.pk, state="ended")

    assert response.status_code == 302, response.context["adminform"].form.errors
    again = fresh(agreement)
    assert again.liaison == other
    assert again.state == Agreement.State.ACTIVE
    assert log_of(agreement)[-1] == "edit"
    assert TransitionLog.objects.filter(object_id=agreement.pk, transition="edit").get().data == {
        "liaison": other.pk
    }


def test_the_admin_refuses_a_liaison_who_is_not_one_of_the_body(admin_client, ours, people):
    with saves_nothing(*ours.values()):
        response = _change(admin_client, ours["agreement"], liaison=people["preparer"].pk)

    assert response.status_code == 200
    assert "liaison" in response.context["adminform"].form.errors
