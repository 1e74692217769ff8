"""The partnership pages through Django's test client: the list, an agreement, a version with
its difference, comments and actions, drafting, meetings, evaluations, renewal and
termination. Each page reads through the selectors (another association's agreement, or a
draft the other side has not seen, is a 404), each form writes through a service or the
transition service (bad input is a 400 with nothing saved) and the list runs a constant
number of queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from agreements import services
from agreements.documents import agreement_document_generate
from agreements.models import (
    Agreement,
    AgreementAttachment,
    AgreementVersion,
    Evaluation,
    Goal,
    Meeting,
    VersionComment,
)
from tests.agreements import conftest as agreement_fixtures
from tests.agreements.builders import act, at, fresh, terms, version_of
from tests.factories import AssociationFactory, UserFactory, represent
from workflow.actors import SYSTEM
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db

# The agreements' fixtures (tests/agreements/conftest.py), shared with these pages.
active = agreement_fixtures.active
advance = agreement_fixtures.advance
agreement_chain = agreement_fixtures.agreement_chain
body_draft = agreement_fixtures.body_draft
draft = agreement_fixtures.draft
negotiate_to_force = agreement_fixtures.negotiate_to_force
signatories = agreement_fixtures.signatories

S = AgreementVersion.State
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def client_of(user) -> Client:
    """Signed in, the pages in English."""
    if user.language != "en":
        user.language = "en"
        user.save(update_fields=["language"])
    client = Client()
    client.force_login(user)
    return client


def url(agreement, *rest) -> str:
    return "/partnerships/" + "/".join(str(p) for p in (agreement.pk, *rest)) + "/"


@pytest.fixture
def proposed(draft, representative):
    """The association's draft, proposed to the public body."""
    act(version_of(draft), "propose", representative)
    return fresh(draft)


@pytest.fixture
def foreign_rep():
    return represent(UserFactory(username="otherrep"), AssociationFactory())


def terms_post(**overrides) -> dict[str, str]:
    """The terms form as a browser posts it: two goals and a blank row, a money row, a
    premises row and a blank row."""
    data = {
        "title": "Kumppanuussopimus nuorten liikunnasta",
        "purpose": "Nuoret liikkuvat.",
        "starts_on": "2027-01-01",
        "ends_on": "2028-12-31",
        "public_body_responsibilities": "Tilat maksutta.",
        "association_responsibilities": "Ohjatut vuorot.",
        "meetings_per_year": "2",
        "evaluation_every_months": "12",
        "notice_period_months": "3",
        "change_note": "",
        "goals-TOTAL_FORMS": "3",
        "goals-INITIAL_FORMS": "0",
        "goals-MIN_NUM_FORMS": "0",
        "goals-MAX_NUM_FORMS": "50",
        "goals-0-title": "Liikuntavuorot",
        "goals-0-indicator": "Osallistujia viikossa",
        "goals-0-target": "1 200,5",
        "goals-1-title": "Ohjaajat",
        "goals-1-indicator": "Koulutettuja ohjaajia",
        "goals-1-target": "10",
        "goals-2-title": "",
        "goals-2-indicator": "",
        "goals-2-target": "",
        "resources-TOTAL_FORMS": "3",
        "resources-INITIAL_FORMS": "0",
        "resources-MIN_NUM_FORMS": "0",
        "resources-MAX_NUM_FORMS": "200",
        "resources-0-year": "2027",
        "resources-0-kind": "money",
        "resources-0-provided_by": "public_body",
        "resources-0-description": "Toiminta-avustus",
        "resources-0-amount": "10 000,00",
        "resources-0-hours": "",
        "resources-0-hours_per": "",
        "resources-0-pays_on": "2027-02-01",
        "resources-1-year": "2027",
        "resources-1-kind": "premises",
        "resources-1-provided_by": "public_body",
        "resources-1-description": "Liikuntasali",
        "resources-1-amount": "3000",
        "resources-1-hours": "6",
        "resources-1-hours_per": "week",
        "resources-1-pays_on": "",
        "resources-2-year": "",
        "resources-2-kind": "",
        "resources-2-provided_by": "public_body",
        "resources-2-description": "",
        "resources-2-amount": "",
        "resources-2-hours": "",
        "resources-2-hours_per": "",
        "resources-2-pays_on": "",
    }
    data.update(overrides)
    return data


# --- the list --------------------------------------------------------------------------------


def test_the_list_shows_state_term_parties_next_meeting_and_evaluation_due(
    active, representative, time_machine
):
    time_machine.move_to(at(date(2027, 3, 1)))

    response = client_of(representative).get("/partnerships/")

    html = response.content.decode()
    assert response.status_code == 200
    assert active.number in html
    assert "Kumppanuussopimus ikäihmisten liikunnasta" in html
    assert "Active" in html
    assert "1 January 2027 – 31 December 2029" in html
    assert active.public_body.name in html
    assert active.lead_association.name in html
    upcoming = active.meetings.filter(due_on__gte=date(2027, 3, 1)).order_by("due_on")[0]
    assert f"{upcoming.due_on.day} {upcoming.due_on:%B} {upcoming.due_on.year}" in html
    evaluation = active.evaluations.order_by("due_on")[0]
    assert f"{evaluation.due_on.day} {evaluation.due_on:%B} {evaluation.due_on.year}" in html


def test_the_list_shows_missed_meetings_and_an_overdue_evaluation(
    active, representative, time_machine
):
    time_machine.move_to(at(date(2028, 4, 1)))
    act(active.evaluations.order_by("period_starts_on")[0], "open", SYSTEM)

    html = client_of(representative).get("/partnerships/").content.decode()

    assert "2 missed" in html  # the two meetings of 2027 were never recorded as held
    assert "Overdue" in html


def test_the_list_runs_a_constant_number_of_queries(
    body, association, representative, people, negotiate_to_force, time_machine
):
    time_machine.move_to(at(date(2026, 12, 15)), tick=False)
    client = client_of(representative)

    def make_active():
        agreement = services.agreement_create(
            user=representative, public_body=body, associations=[association], terms_given=terms()
        )
        negotiate_to_force(version_of(agreement))

    def count() -> int:
        client.get("/partnerships/")  # the session and the roles are warm
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/partnerships/")
        assert response.status_code == 200
        return len(queries)

    make_active()
    one = count()
    for _ in range(4):
        make_active()
    five = count()

    assert one == five


def test_the_list_leaves_out_other_associations_and_unshown_drafts(
    proposed, body_draft, foreign_rep, representative, people
):
    other = client_of(foreign_rep).get("/partnerships/").content.decode()
    mine = client_of(representative).get("/partnerships/").content.decode()
    liaison = client_of(people["liaison"]).get("/partnerships/").content.decode()

    assert proposed.number not in other
    assert proposed.number in mine
    assert body_draft.number not in mine  # the liaison's draft, not yet proposed
    assert proposed.number in liaison
    assert body_draft.number in liaison


def test_the_list_filters_by_state(active, body, association, representative):
    other = services.agreement_create(
        user=representative, public_body=body, associations=[association], terms_given=terms()
    )

    html = client_of(representative).get("/partnerships/?state=active").content.decode()

    assert active.number in html
    assert other.number not in html


def test_the_portal_is_closed_to_anonymous_people_and_to_finance(people):
    assert Client().get("/partnerships/").status_code == 302
    assert client_of(people["finance"]).get("/partnerships/").status_code == 403


# --- the agreement page ----------------------------------------------------------------------


def test_the_agreement_page_shows_the_terms_in_force_and_its_records(
    active, representative, time_machine
):
    time_machine.move_to(at(date(2027, 8, 1)))

    response = client_of(representative).get(url(active))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Terms in force" in html
    assert "Liikuntaryhmät" in html
    assert "Osallistujia viikossa" in html
    assert ">120<" in html
    assert "Seniorikeskus, liikuntasali" in html
    assert "6 a week" in html
    assert "€10,000.00" in html
    assert "€3,000.00" in html
    assert "Tarjoaa tilat maksutta." in html
    assert "Järjestää liikuntaryhmät." in html
    assert "Cooperation meetings a year" in html
    assert "Missed: not recorded as held" in html  # the meeting due by 30 June 2027
    assert "Scheduled" in html
    assert "Version 1" in html
    assert "Came into force" in html  # the history


def test_the_association_does_not_see_the_officials_review_steps(active, representative, people):
    rep = client_of(representative).get(url(active)).content.decode()
    official = client_of(people["liaison"]).get(url(active)).content.decode()
    rep_version = client_of(representative).get(url(active, "versions", 1)).content.decode()
    official_version = client_of(people["preparer"]).get(url(active, "versions", 1))

    assert "Review step recorded" not in rep
    assert "Esitän hyväksymistä." not in rep
    assert "Review step recorded" in official
    assert "Esitän hyväksymistä." in official
    assert "Review by the public body" not in rep_version
    assert "Review by the public body" in official_version.content.decode()


def test_another_associations_agreement_is_a_404(active, foreign_rep):
    client = client_of(foreign_rep)

    assert client.get(url(active)).status_code == 404
    assert client.get(url(active, "versions", 1)).status_code == 404
    evaluation = active.evaluations.first()
    assert client.get(url(active, "evaluations", evaluation.pk)).status_code == 404
    assert client.get(url(active, "actions", "terminate")).status_code == 404


def test_a_draft_the_other_side_has_not_seen_is_a_404(draft, people, representative):
    liaison = client_of(people["liaison"])

    assert liaison.get(url(draft)).status_code == 404
    assert liaison.get(url(draft, "versions", 1)).status_code == 404
    assert client_of(representative).get(url(draft, "versions", 1)).status_code == 200


def test_a_counter_proposal_not_yet_proposed_is_the_authors_own(proposed, people, representative):
    services.version_draft(proposed, user=people["liaison"], terms_given={"title": "Vastaehdotus"})

    assert client_of(representative).get(url(proposed, "versions", 2)).status_code == 404
    assert client_of(people["liaison"]).get(url(proposed, "versions", 2)).status_code == 200


def test_an_id_too_large_for_the_database_is_a_404(representative):
    response = client_of(representative).get("/partnerships/99999999999999999999999/")

    assert response.status_code == 404


def test_the_agreement_document_downloads_for_both_sides_only(
    active, representative, people, foreign_rep
):
    document = agreement_document_generate(active.in_force_version.pk)
    path = url(active, "documents", document.pk)

    response = client_of(representative).get(path)

    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"
    assert response["X-Content-SHA256"] == document.sha256
    assert "Version 1, signed" in client_of(people["liaison"]).get(url(active)).content.decode()
    assert client_of(foreign_rep).get(path).status_code == 404


def test_either_side_attaches_a_file_and_a_bad_one_is_a_400_with_nothing_saved(
    active, representative, foreign_rep
):
    client = client_of(representative)

    bad = client.post(
        url(active, "attachments"),
        {"file": SimpleUploadedFile("ohjelma.exe", b"MZ\x90\x00", "application/octet-stream")},
    )
    assert bad.status_code == 400
    assert "Allowed file types" in bad.content.decode()
    assert not AgreementAttachment.objects.exists()
    good = client.post(
        url(active, "attachments"),
        {"file": SimpleUploadedFile("ohjelma.pdf", PDF, "application/pdf")},
    )

    assert good.status_code == 302
    attachment = AgreementAttachment.objects.get(agreement=active)
    download = client.get(url(active, "attachments", attachment.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert client_of(foreign_rep).get(url(active, "attachments", attachment.pk)).status_code == 404


# --- a version -------------------------------------------------------------------------------


def test_a_counter_proposal_shows_what_it_changes_before_and_after(
    proposed, people, representative
):
    changed = terms(title="Uusi otsikko")
    changed["goals"][0]["target"] = Decimal(150)
    changed["resources"] = changed["resources"][:3]
    version = services.version_draft(
        proposed, user=people["liaison"], terms_given=changed, change_note="Tavoite nousee."
    )
    act(version, "propose", people["liaison"])

    response = client_of(representative).get(url(proposed, "versions", 2))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Changes from version 1" in html
    assert "Kumppanuussopimus ikäihmisten liikunnasta" in html
    assert "Uusi otsikko" in html
    assert "Goal 1" in html
    assert "Target value: 120" in html
    assert "Target value: 150" in html
    assert "Resource 2" in html  # the premises of 2027, in year order
    assert "Removed" in html
    assert "Tavoite nousee." in html


def test_either_side_comments_and_an_empty_comment_is_a_400(proposed, people, representative):
    path = url(proposed, "versions", 1, "comments")

    empty = client_of(people["liaison"]).post(path, {"comment-body": "  "})
    added = client_of(people["liaison"]).post(path, {"comment-body": "Voisiko tavoite olla 150?"})
    page = client_of(representative).get(url(proposed, "versions", 1)).content.decode()

    assert empty.status_code == 400
    assert added.status_code == 302
    assert VersionComment.objects.count() == 1
    assert "Voisiko tavoite olla 150?" in page
    assert TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(AgreementVersion), transition="comment"
    ).exists()


def test_a_comment_through_htmx_swaps_the_comments_in_place(proposed, representative):
    response = client_of(representative).post(
        url(proposed, "versions", 1, "comments"),
        {"comment-body": "Hyvä näin."},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="comments"')
    assert "Hyvä näin." in html
    assert 'hx-swap-oob="true"' in html


def test_an_empty_comment_through_htmx_is_a_400_the_form_swaps_in_with_its_error(
    proposed, representative
):
    response = client_of(representative).post(
        url(proposed, "versions", 1, "comments"), {"comment-body": "  "}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert html.lstrip().startswith('<section id="comments"')
    assert "This field is required." in html
    # htmx swaps a 4xx only into a form marked so (portal/static/js/app.js).
    assert "data-swap-errors" in html
    assert not VersionComment.objects.exists()


def test_a_comment_on_a_version_closed_meanwhile_is_a_message_on_the_version_page(
    proposed, representative
):
    act(version_of(proposed), "withdraw", representative)
    client = client_of(representative)
    path = url(proposed, "versions", 1, "comments")

    htmx = client.post(path, {"comment-body": "Myöhässä."}, HTTP_HX_REQUEST="true")
    htmx_page = client.get(htmx["HX-Redirect"]).content.decode()
    plain = client.post(path, {"comment-body": "Myöhässä."}, follow=True)

    # To htmx the browser goes there itself: no page swapped into the comments.
    assert htmx.status_code == 200
    assert htmx["HX-Redirect"] == url(proposed, "versions", 1)
    assert htmx.content == b""
    assert "This version is no longer discussed." in htmx_page
    assert plain.redirect_chain == [(url(proposed, "versions", 1), 302)]
    assert "This version is no longer discussed." in plain.content.decode()
    assert not VersionComment.objects.exists()


def test_the_author_proposes_and_the_other_side_accepts(draft, representative, people):
    rep = client_of(representative)
    page = rep.get(url(draft, "versions", 1)).content.decode()
    assert 'data-action="propose"' in page

    response = rep.post(url(draft, "versions", 1, "actions", "propose"))

    assert response.status_code == 302
    assert version_of(draft).state == S.NEGOTIATION
    liaison = client_of(people["liaison"])
    assert 'data-action="accept"' in liaison.get(url(draft, "versions", 1)).content.decode()
    assert liaison.post(url(draft, "versions", 1, "actions", "accept")).status_code == 302
    assert version_of(draft).state == S.AGREED


def test_a_proposal_without_goals_is_a_400_and_stays_a_draft(
    body, association, representative, people
):
    agreement = services.agreement_create(
        user=representative,
        public_body=body,
        associations=[association],
        terms_given=terms(goals=[]),
    )

    response = client_of(representative).post(url(agreement, "versions", 1, "actions", "propose"))

    assert response.status_code == 400
    assert "Name at least one goal" in response.content.decode()
    assert version_of(agreement).state == S.DRAFT


def test_a_second_proposal_of_the_same_version_is_a_message_not_an_error(proposed, representative):
    client = client_of(representative)

    response = client.post(url(proposed, "versions", 1, "actions", "propose"), follow=True)

    assert response.status_code == 200
    assert "not available" in response.content.decode()


def test_an_action_the_person_may_not_take_is_a_403(proposed, representative):
    response = client_of(representative).post(url(proposed, "versions", 1, "actions", "accept"))

    assert response.status_code == 403
    assert version_of(proposed).state == S.NEGOTIATION


def test_an_unknown_action_is_a_404(proposed, representative):
    response = client_of(representative).post(url(proposed, "versions", 1, "actions", "delete"))

    assert response.status_code == 404


def test_review_decision_and_signatures_through_the_version_page(
    proposed, people, representative, signatories, agreement_chain
):
    path = url(proposed, "versions", 1)
    act(version_of(proposed), "accept", people["liaison"])
    liaison = client_of(people["liaison"])
    assert "Approval chain" in liaison.get(path).content.decode()

    submitted = liaison.post(
        path + "actions/submit_for_review/", {"submit_for_review-chain_id": agreement_chain.pk}
    )
    stepped = client_of(people["preparer"]).post(
        path + "actions/record_step/",
        {"record_step-reasons": "Tavoitteet sopivat.", "record_step-comment": ""},
    )
    decider = client_of(people["decision_maker"])
    no_reasons = decider.post(
        path + "actions/decide/", {"decide-outcome": "approved", "decide-reasons": ""}
    )
    assert no_reasons.status_code == 400
    assert version_of(proposed).state == S.IN_REVIEW
    decided = decider.post(
        path + "actions/decide/",
        {"decide-outcome": "approved", "decide-reasons": "Tukee hyvinvointisuunnitelmaa."},
    )

    assert [submitted.status_code, stepped.status_code, decided.status_code] == [302] * 3
    assert version_of(proposed).state == S.APPROVED
    first = client_of(signatories[0])
    page = first.get(path).content.decode()
    assert 'data-action="sign"' in page
    assert "Nobody yet" in page
    assert first.post(path + "actions/sign/").status_code == 302
    page = first.get(path).content.decode()
    assert 'data-action="sign"' not in page  # signed already
    assert signatories[0].get_full_name() in page
    assert client_of(signatories[1]).post(path + "actions/sign/").status_code == 302
    assert decider.post(path + "actions/sign/").status_code == 302
    assert version_of(proposed).state == S.IN_FORCE
    # Signed before its term begins: the page says from when it is in force.
    assert fresh(proposed).state == Agreement.State.SIGNED
    assert "Signed, starts on 1 January 2027" in decider.get(url(proposed)).content.decode()


def test_returning_to_negotiation_needs_a_comment(proposed, people, advance, agreement_chain):
    advance(version_of(proposed), "accept", "submit_for_review")
    client = client_of(people["preparer"])
    path = url(proposed, "versions", 1, "actions", "return_to_negotiation")

    empty = client.post(path, {"return_to_negotiation-comment": ""})
    returned = client.post(path, {"return_to_negotiation-comment": "Rahoitus 2028 uudelleen."})

    assert empty.status_code == 400
    assert returned.status_code == 302
    assert version_of(proposed).state == S.NEGOTIATION


def test_the_author_withdraws_a_proposal(proposed, representative):
    response = client_of(representative).post(url(proposed, "versions", 1, "actions", "withdraw"))

    assert response.status_code == 302
    assert version_of(proposed).state == S.WITHDRAWN


# --- drafting --------------------------------------------------------------------------------


def test_a_representative_starts_an_agreement_with_goals_and_resources(
    body, association, representative
):
    client = client_of(representative)
    assert client.get("/partnerships/new/").status_code == 200

    response = client.post(
        "/partnerships/new/",
        {
            **terms_post(),
            "public_body": body.pk,
            "associations": [association.pk],
            "signatures_required": "1",
        },
    )

    agreement = Agreement.objects.get()
    version = version_of(agreement)
    assert response.status_code == 302
    assert response["Location"] == url(agreement, "versions", 1)
    assert version.state == S.DRAFT
    assert version.author_side == "association"
    assert [(g.title, g.target) for g in version.goals.all()] == [
        ("Liikuntavuorot", Decimal("1200.50")),
        ("Ohjaajat", Decimal(10)),
    ]
    assert [(r.kind, r.amount, r.hours, r.hours_per) for r in version.resources.all()] == [
        ("money", Decimal("10000.00"), None, ""),
        ("premises", Decimal(3000), Decimal(6), "week"),
    ]
    assert agreement.parties.get().signatures_required == 1


def test_a_liaison_starts_an_agreement_for_the_body(body, association, people):
    response = client_of(people["liaison"]).post(
        "/partnerships/new/",
        {
            **terms_post(),
            "public_body": body.pk,
            "associations": [association.pk],
            "signatures_required": "2",
        },
    )

    assert response.status_code == 302
    assert Agreement.objects.get().created_side == "public_body"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_on": "2026-12-31"}, "The term must end after it starts."),
        ({"goals-0-target": "-5"}, "greater than or equal to 0"),
        ({"goals-0-target": "paljon"}, "Enter a number."),
        ({"resources-1-hours_per": ""}, "Give the hours and whether they are a week or a year."),
        ({"goals-TOTAL_FORMS": "x"}, "ManagementForm data is missing or has been tampered with"),
        ({"meetings_per_year": "13"}, "less than or equal to 12"),
    ],
)
def test_bad_terms_are_a_400_and_nothing_is_saved(
    body, association, representative, overrides, message
):
    response = client_of(representative).post(
        "/partnerships/new/",
        {
            **terms_post(**overrides),
            "public_body": body.pk,
            "associations": [association.pk],
            "signatures_required": "2",
        },
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Agreement.objects.exists()
    assert not Goal.objects.exists()


@pytest.mark.parametrize("association_id", ["99999999999999999999999", "¹", "x"])
def test_an_association_id_no_database_holds_is_a_400(body, representative, association_id):
    response = client_of(representative).post(
        "/partnerships/new/",
        {
            **terms_post(),
            "public_body": body.pk,
            "associations": [association_id],
            "signatures_required": "2",
        },
    )

    assert response.status_code == 400
    assert not Agreement.objects.exists()


def test_another_row_is_added_without_javascript_and_nothing_is_saved(
    body, association, representative
):
    response = client_of(representative).post(
        "/partnerships/new/",
        {**terms_post(title=""), "public_body": body.pk, "add": "goals"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="goals-3-title"' in html
    assert "Please correct the following" not in html  # not a submission yet
    assert not Agreement.objects.exists()


def test_someone_without_a_side_cannot_start_one(people):
    assert client_of(people["preparer"]).get("/partnerships/new/").status_code == 403


def test_a_counter_proposal_is_drafted_from_the_terms_on_the_table(proposed, people):
    client = client_of(people["liaison"])
    version_page = client.get(url(proposed, "versions", 1)).content.decode()
    assert f'href="{url(proposed, "versions", "new")}"' in version_page
    page = client.get(url(proposed, "versions", "new"))
    assert page.status_code == 200
    assert 'value="Kumppanuussopimus ikäihmisten liikunnasta"' in page.content.decode()

    response = client.post(
        url(proposed, "versions", "new"),
        terms_post(title="Vastaehdotus", change_note="Lyhyempi kausi."),
    )

    version = version_of(proposed, 2)
    assert response.status_code == 302
    assert version.based_on == version_of(proposed)
    assert version.title == "Vastaehdotus"
    assert version.change_note == "Lyhyempi kausi."
    assert version.author_side == "public_body"


def test_beside_the_other_sides_draft_a_new_version_is_refused_without_showing_it(
    proposed, people, representative
):
    services.version_draft(
        proposed, user=people["liaison"], terms_given={"title": "Salainen vastaehdotus"}
    )

    response = client_of(representative).post(
        url(proposed, "versions", "new"), terms_post(title="Oma ehdotus"), follow=True
    )
    own = client_of(people["liaison"]).get(url(proposed, "versions", "new"), follow=True)

    html = response.content.decode()
    assert response.redirect_chain == [(url(proposed), 302)]
    assert "The other side is preparing a proposal." in html
    assert "edit it" not in html
    assert "Salainen vastaehdotus" not in html
    assert proposed.versions.count() == 2
    assert own.redirect_chain == [(url(proposed), 302)]
    assert "A draft version exists already; edit it." in own.content.decode()


def test_beside_the_other_sides_draft_no_form_is_offered_to_fill_in_for_nothing(
    proposed, people, representative
):
    client = client_of(representative)
    new_version = f'href="{url(proposed, "versions", "new")}"'
    assert new_version in client.get(url(proposed)).content.decode()
    services.version_draft(
        proposed, user=people["liaison"], terms_given={"title": "Salainen vastaehdotus"}
    )

    page = client.get(url(proposed)).content.decode()
    form = client.get(url(proposed, "versions", "new"), follow=True)

    assert new_version not in page
    assert new_version not in client.get(url(proposed, "versions", 1)).content.decode()
    assert form.redirect_chain == [(url(proposed), 302)]
    assert "The other side is preparing a proposal." in form.content.decode()


def test_the_author_edits_a_draft_and_cannot_once_it_is_proposed(draft, representative):
    client = client_of(representative)
    edit = url(draft, "versions", 1, "edit")
    page = client.get(edit).content.decode()
    assert 'name="goals-0-DELETE"' in page  # a saved goal is removed with its checkbox

    bad = client.post(edit, terms_post(title=""))
    assert bad.status_code == 400
    assert version_of(draft).title == "Kumppanuussopimus ikäihmisten liikunnasta"
    good = client.post(edit, terms_post(title="Korjattu otsikko"))
    assert good.status_code == 302
    assert version_of(draft).title == "Korjattu otsikko"
    act(version_of(draft), "propose", representative)

    late = client.get(edit, follow=True)
    assert "draft a new version instead" in late.content.decode()


def test_the_other_side_cannot_edit_a_draft_it_has_not_seen(draft, people):
    assert client_of(people["liaison"]).get(url(draft, "versions", 1, "edit")).status_code == 404


# --- meetings ----------------------------------------------------------------------------------


def test_the_liaison_records_a_meeting_with_minutes(active, people, representative, time_machine):
    time_machine.move_to(at(date(2027, 6, 20)))
    meeting = active.meetings.order_by("due_on")[0]
    client = client_of(people["liaison"])
    path = url(active, "meetings", meeting.pk, "record")
    assert client.get(path).status_code == 200

    future = client.post(path, {"held_on": "2027-07-01", "notes": "Sovittiin."})
    no_notes = client.post(path, {"held_on": "2027-06-18", "notes": ""})
    assert future.status_code == 400
    assert no_notes.status_code == 400
    assert fresh(meeting).held_on is None
    done = client.post(
        path,
        {
            "held_on": "2027-06-18",
            "notes": "Sovittiin syksyn vuoroista.",
            "minutes": SimpleUploadedFile("poytakirja.pdf", PDF, "application/pdf"),
        },
    )

    assert done.status_code == 302
    assert fresh(meeting).held_on == date(2027, 6, 18)
    page = client_of(representative).get(url(active)).content.decode()
    assert "Sovittiin syksyn vuoroista." in page
    minutes = client_of(representative).get(url(active, "meetings", meeting.pk, "minutes"))
    assert minutes.status_code == 200
    assert b"".join(minutes.streaming_content) == PDF


def test_a_meeting_cancelled_meanwhile_is_a_message_not_an_error(active, people, time_machine):
    time_machine.move_to(at(date(2027, 6, 20)))
    meeting = active.meetings.order_by("due_on")[0]
    client = client_of(people["liaison"])
    path = url(active, "meetings", meeting.pk, "record")
    assert client.get(path).status_code == 200
    Meeting.objects.filter(pk=meeting.pk).update(cancelled=True)

    response = client.post(path, {"held_on": "2027-06-18", "notes": "Sovittiin."}, follow=True)

    assert response.redirect_chain == [(url(active), 302)]
    assert "The meeting was cancelled." in response.content.decode()
    assert fresh(meeting).held_on is None


def test_only_the_liaison_records_and_schedules_meetings(active, representative):
    meeting = active.meetings.first()
    client = client_of(representative)

    assert client.get(url(active, "meetings", meeting.pk, "record")).status_code == 403
    assert client.post(url(active, "meetings", "new"), {"due_on": "2027-05-05"}).status_code == 403


def test_the_liaison_schedules_an_extra_meeting(active, people):
    client = client_of(people["liaison"])
    before = Meeting.objects.count()

    past = client.post(url(active, "meetings", "new"), {"due_on": "2026-01-01"})
    assert past.status_code == 400
    assert Meeting.objects.count() == before
    added = client.post(url(active, "meetings", "new"), {"due_on": "2027-05-05"})

    assert added.status_code == 302
    assert Meeting.objects.count() == before + 1


# --- evaluations -------------------------------------------------------------------------------


@pytest.fixture
def due_evaluation(active, time_machine):
    time_machine.move_to(at(date(2028, 1, 20)))
    return act(active.evaluations.order_by("period_starts_on")[0], "open", SYSTEM)


def test_the_association_submits_the_evaluation_and_the_liaison_evaluates_it(
    active, due_evaluation, representative, people
):
    goals = list(active.in_force_version.goals.all())
    path = url(active, "evaluations", due_evaluation.pk)
    rep = client_of(representative)
    assert 'data-action="submit"' in rep.get(path).content.decode()

    missing = rep.post(path + "actions/submit/", {"submit-report": "Hyvä vuosi."})
    assert missing.status_code == 400
    assert fresh(due_evaluation).state == Evaluation.State.DUE
    submitted = rep.post(
        path + "actions/submit/",
        {
            "submit-report": "Hyvä vuosi.",
            f"submit-value_{goals[0].pk}": "110",
            f"submit-comment_{goals[0].pk}": "Syksyllä enemmän.",
            f"submit-value_{goals[1].pk}": "8",
        },
    )
    assert submitted.status_code == 302
    assert fresh(due_evaluation).state == Evaluation.State.SUBMITTED

    liaison = client_of(people["liaison"])
    page = liaison.get(path).content.decode()
    assert "record the meeting as held" in page
    no_meeting = liaison.post(
        path + "actions/evaluate/",
        {"evaluate-assessment": "Hyvin meni.", "evaluate-meeting_id": ""},
    )
    assert no_meeting.status_code == 400
    meeting = active.meetings.order_by("due_on")[0]
    services.meeting_record(
        meeting, user=people["liaison"], held_on=date(2028, 1, 15), notes="Arvioitiin vuosi."
    )
    evaluated = liaison.post(
        path + "actions/evaluate/",
        {
            "evaluate-assessment": "Hyvin meni.",
            "evaluate-meeting_id": meeting.pk,
            "evaluate-goals_met": [goals[1].pk],
        },
    )

    assert evaluated.status_code == 302
    evaluation = fresh(due_evaluation)
    assert evaluation.state == Evaluation.State.EVALUATED
    assert evaluation.meeting == meeting
    assert [r.met for r in evaluation.results.order_by("goal__position")] == [False, True]
    page = rep.get(path).content.decode()
    assert "Hyvin meni." in page
    assert "Not met" in page
    assert "Syksyllä enemmän." in page


def test_the_liaison_returns_an_evaluation_with_a_reason(
    active, due_evaluation, representative, people
):
    goals = list(active.in_force_version.goals.all())
    act(
        due_evaluation,
        "submit",
        representative,
        report="Vuosi.",
        results=[{"goal": g.pk, "value": Decimal(1)} for g in goals],
    )
    path = url(active, "evaluations", due_evaluation.pk, "actions", "return_evaluation")
    client = client_of(people["liaison"])

    empty = client.post(path, {"return_evaluation-comment": ""})
    returned = client.post(path, {"return_evaluation-comment": "Lisää luvut syksyltä."})

    assert empty.status_code == 400
    assert returned.status_code == 302
    assert fresh(due_evaluation).state == Evaluation.State.DUE
    page = client_of(representative).get(url(active)).content.decode()
    assert "Lisää luvut syksyltä." in page  # the history tells the association why


# --- renewal and termination -----------------------------------------------------------------


def test_the_liaison_renews_the_agreement_for_a_new_term(active, people, time_machine):
    time_machine.move_to(at(date(2029, 8, 1)))
    client = client_of(people["liaison"])
    path = url(active, "actions", "renew")
    assert client.get(path).status_code == 200

    bad = client.post(path, {"starts_on": "2030-01-01", "ends_on": "2029-01-01"})
    assert bad.status_code == 400
    assert not Agreement.objects.filter(predecessor=active).exists()
    response = client.post(path, {"starts_on": "2030-01-01", "ends_on": "2032-12-31"})

    successor = Agreement.objects.get(predecessor=active)
    assert response.status_code == 302
    assert response["Location"] == url(successor)
    assert version_of(successor).ends_on == date(2032, 12, 31)
    assert f'href="{url(successor)}"' in client.get(url(active)).content.decode()


def test_the_association_sees_the_renewal_once_it_is_proposed(
    active, people, representative, time_machine
):
    time_machine.move_to(at(date(2029, 8, 1)))
    act(active, "renew", people["liaison"])
    successor = Agreement.objects.get(predecessor=active)
    client = client_of(representative)
    assert url(successor) not in client.get(url(active)).content.decode()
    assert client.get(url(successor)).status_code == 404

    act(version_of(successor), "propose", people["liaison"])

    assert f'href="{url(successor)}"' in client.get(url(active)).content.decode()
    assert client.get(url(successor)).status_code == 200


def test_the_association_gives_notice_with_a_reason(active, representative, time_machine):
    time_machine.move_to(at(date(2027, 5, 1)))
    client = client_of(representative)
    path = url(active, "actions", "terminate")

    empty = client.post(path, {"reason": " "})
    assert empty.status_code == 400
    assert fresh(active).state == Agreement.State.ACTIVE
    response = client.post(path, {"reason": "Yhdistys lopettaa toimintansa."})

    assert response.status_code == 302
    assert fresh(active).state == Agreement.State.TERMINATING
    page = client.get(url(active)).content.decode()
    assert "Yhdistys lopettaa toimintansa." in page
    assert "1 August 2027" in page  # three months' notice


def test_the_association_cannot_renew(active, representative):
    client = client_of(representative)

    shown = client.get(url(active, "actions", "renew"), follow=True)
    assert "That is not possible for this agreement now." in shown.content.decode()
    assert client.post(url(active, "actions", "renew"), {}).status_code == 403


def test_a_draft_agreement_is_cancelled_by_its_author(draft, representative):
    response = client_of(representative).post(url(draft, "actions", "cancel"))

    assert response.status_code == 302
    assert fresh(draft).state == Agreement.State.CANCELLED
