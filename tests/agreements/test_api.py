"""The agreements API: the whole story from a draft to an evaluated year, bad input, state
conflicts, wrong roles and query counts.

Every bad request answers 4xx with a message naming the field and leaves the database exactly
as it was: no row added, no state changed, no audit record written.
"""

from contextlib import contextmanager
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements import scans, services
from agreements.models import (
    Agreement,
    AgreementAttachment,
    AgreementParty,
    AgreementVersion,
    Evaluation,
    Goal,
    GoalResult,
    Meeting,
    Resource,
    Signature,
    VersionComment,
)
from organisations.roles import forget_roles
from tests.agreements.builders import act, at, fresh, log_of, terms, version_of
from tests.conftest import as_user
from workflow.actors import SYSTEM
from workflow.models import ApprovalRun, Disqualification, StepRecord, TransitionLog

pytestmark = pytest.mark.django_db

URL = "/api/v1/agreements/"
VERSIONS = "/api/v1/agreement-versions/"
MEETINGS = "/api/v1/agreement-meetings/"
EVALUATIONS = "/api/v1/evaluations/"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

_MODELS = (
    Agreement,
    AgreementParty,
    AgreementVersion,
    AgreementAttachment,
    Goal,
    Resource,
    Signature,
    VersionComment,
    Meeting,
    Evaluation,
    GoalResult,
    TransitionLog,
    ApprovalRun,
    StepRecord,
    Disqualification,
)


def snapshot(*records) -> dict:
    """Row counts of everything a request could write, and every field of the given records."""
    state = {model._meta.label: model.objects.count() for model in _MODELS}
    for record in records:
        again = fresh(record)
        state[f"{record._meta.label}:{record.pk}"] = {
            f.attname: getattr(again, f.attname) for f in record._meta.concrete_fields
        }
    state["goals"] = list(Goal.objects.values_list("version", "position", "title", "indicator"))
    return state


@contextmanager
def saves_nothing(*records):
    before = snapshot(*records)
    yield
    assert snapshot(*records) == before


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a temporary directory, never under var/."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def clock(time_machine):
    """Today is 15 December 2026, a fortnight before the three-year term begins."""
    time_machine.move_to(at(date(2026, 12, 15)), tick=False)
    return time_machine


def payload(body, association, **overrides) -> dict:
    return {
        "public_body": body.pk,
        "associations": [association.pk],
        "title": "Kumppanuussopimus ikäihmisten liikunnasta",
        "purpose": "Ikäihmiset liikkuvat ja osallistuvat.",
        "starts_on": "2027-01-01",
        "ends_on": "2029-12-31",
        "public_body_responsibilities": "Tarjoaa tilat maksutta.",
        "association_responsibilities": "Järjestää liikuntaryhmät.",
        "goals": [
            {"title": "Liikuntaryhmät", "indicator": "Osallistujia viikossa", "target": "120"},
            {"title": "Vapaaehtoiset", "indicator": "Koulutettuja ohjaajia", "target": "10"},
        ],
        "resources": [
            {"year": year, "kind": "money", "amount": "10000.00", "pays_on": f"{year}-02-01"}
            for year in (2027, 2028, 2029)
        ]
        + [
            {
                "year": 2027,
                "kind": "premises",
                "description": "Seniorikeskus, liikuntasali",
                "hours": "6",
                "hours_per": "week",
                "amount": "3000.00",
            }
        ],
        **overrides,
    }


def transition(client, url: str, name: str, **params):
    return client.post(f"{url}transitions/", {"transition": name, **params})


def detail(record) -> str:
    base = {Agreement: URL, AgreementVersion: VERSIONS, Evaluation: EVALUATIONS, Meeting: MEETINGS}
    return f"{base[type(record)]}{record.pk}/"


def pdf(name="poytakirja.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


# --- the whole story ------------------------------------------------------------------------


def test_the_whole_story_through_the_api(
    api, clock, body, association, representative, signatories, people, agreement_chain
):
    liaison, preparer, dm = people["liaison"], people["preparer"], people["decision_maker"]
    # The association drafts an agreement; the public body does not see it yet.
    created = as_user(api, representative).post(
        URL, payload(body, association, signatures_required={association.pk: 2})
    )
    assert created.status_code == 201, created.data
    agreement = Agreement.objects.get(pk=created.data["id"])
    assert created.data["state"] == "draft"
    assert created.data["number"] == agreement.number != ""
    assert created.data["parties"] == [
        {"association": association.pk, "name": association.name, "signatures_required": 2}
    ]
    assert created.data["contact"]["id"] == representative.pk
    assert [v["state"] for v in created.data["versions"]] == ["draft"]
    assert created.data["in_force_version"] is None
    v1 = version_of(agreement)
    assert [g.indicator for g in v1.goals.all()] == [
        "Osallistujia viikossa",
        "Koulutettuja ohjaajia",
    ]
    assert as_user(api, liaison).get(detail(agreement)).status_code == 404

    # Proposed: both sides discuss it in comments, the public body accepts it.
    assert (
        transition(as_user(api, representative), detail(v1), "propose").data["state"]
        == "negotiation"
    )
    as_user(api, liaison)
    assert api.get(detail(agreement)).status_code == 200
    assert api.post(f"{detail(v1)}comments/", {"body": "Tilat riittävät."}).status_code == 201
    as_user(api, representative)
    assert api.post(f"{detail(v1)}comments/", {"body": "Kiitos."}).status_code == 201
    comments = api.get(f"{detail(v1)}comments/").data
    assert [(c["side"], c["body"]) for c in comments] == [
        ("public_body", "Tilat riittävät."),
        ("association", "Kiitos."),
    ]
    assert comments[0]["author"]["id"] == liaison.pk
    assert transition(as_user(api, liaison), detail(v1), "accept").data["state"] == "agreed"

    # The public body's approval chain: the preparer proposes, the decision-maker decides.
    response = transition(api, detail(v1), "submit_for_review", chain_id=agreement_chain.pk)
    assert response.data["state"] == "in_review", response.data
    response = transition(
        as_user(api, preparer), detail(v1), "record_step", reasons="Tukee suunnitelmaa."
    )
    assert response.status_code == 200, response.data
    response = transition(
        as_user(api, dm), detail(v1), "decide", outcome="approved", reasons="Tavoitteet."
    )
    assert response.data["state"] == "approved", response.data
    assert response.data["reasons"] == "Tavoitteet."
    assert response.data["appeal_ends_on"] is not None

    # Two signatories of the association sign jointly, the decision-maker for the body.
    for signer in signatories:
        response = transition(as_user(api, signer), detail(v1), "sign")
        assert response.data["state"] == "awaiting_signatures", response.data
    response = transition(as_user(api, dm), detail(v1), "sign")
    assert response.data["state"] == "in_force", response.data
    assert [(s["side"], s["signer"]["id"]) for s in response.data["signatures"]] == [
        ("association", signatories[0].pk),
        ("association", signatories[1].pk),
        ("public_body", dm.pk),
    ]

    # Signed before its term: in force from the term's first day.
    shown = as_user(api, representative).get(detail(agreement)).data
    assert (shown["state"], shown["starts_on"]) == ("signed", "2027-01-01")
    assert shown["in_force_version"]["number"] == 1
    assert shown["in_force_version"]["money_total"] == "30000.00"
    assert [g["target"] for g in shown["in_force_version"]["goals"]] == ["120.00", "10.00"]
    assert shown["ends_on"] == "2029-12-31"
    assert len(shown["meetings"]) == 6
    assert [e["state"] for e in shown["evaluations"]] == ["scheduled"] * 3

    # An amendment by the public body, then the association's counter-proposal to it.
    as_user(api, liaison)
    amended_goals = [
        {"title": "Liikuntaryhmät", "indicator": "Osallistujia viikossa", "target": "150"},
        {"title": "Vapaaehtoiset", "indicator": "Koulutettuja ohjaajia", "target": "10"},
    ]
    response = api.post(
        f"{detail(agreement)}versions/",
        {"goals": amended_goals, "change_note": "Enemmän osallistujia."},
    )
    assert response.status_code == 201, response.data
    v2 = AgreementVersion.objects.get(pk=response.data["id"])
    assert (v2.number, v2.based_on, v2.author_side) == (2, v1, "public_body")
    assert as_user(api, representative).get(detail(v2)).status_code == 404
    assert transition(as_user(api, liaison), detail(v2), "propose").status_code == 200

    as_user(api, representative)
    response = api.post(
        f"{detail(agreement)}versions/",
        {"goals": [{**amended_goals[0], "target": "130"}, amended_goals[1]]},
    )
    assert response.status_code == 201, response.data
    v3 = AgreementVersion.objects.get(pk=response.data["id"])
    assert transition(api, detail(v3), "propose").status_code == 200
    assert fresh(v2).state == AgreementVersion.State.COUNTERED
    assert fresh(v1).state == AgreementVersion.State.IN_FORCE  # stays in force meanwhile

    goal_1 = {"title": "Liikuntaryhmät", "indicator": "Osallistujia viikossa"}
    assert api.get(f"{detail(v3)}diff/").data == [
        {
            "field": "goals[1]",
            "before": {**goal_1, "target": "150.00"},
            "after": {**goal_1, "target": "130.00"},
        }
    ]
    assert api.get(f"{detail(v3)}diff/", {"against": 1}).data == [
        {
            "field": "goals[1]",
            "before": {**goal_1, "target": "120.00"},
            "after": {**goal_1, "target": "130.00"},
        }
    ]
    # The older version is always "before", whichever is asked about.
    assert api.get(f"{detail(v1)}diff/", {"against": 3}).data[0]["after"]["target"] == "130.00"

    # A cooperation meeting held in June, recorded with its minutes.
    clock.move_to(at(date(2027, 6, 20)), tick=False)
    meeting = Meeting.objects.filter(agreement=agreement).order_by("due_on").first()
    response = as_user(api, liaison).post(
        f"{detail(meeting)}record/",
        {"held_on": "2027-06-15", "notes": "Käytiin läpi kevät.", "minutes": pdf()},
        format="multipart",
    )
    assert response.status_code == 200, response.data
    assert (response.data["status"], response.data["minutes"]) == ("held", "poytakirja.pdf")
    download = as_user(api, representative).get(f"{detail(meeting)}minutes/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF

    # The year's evaluation: the association reports a figure per goal, the liaison
    # evaluates them at the meeting.
    clock.move_to(at(date(2028, 1, 10)), tick=False)
    evaluation = Evaluation.objects.filter(agreement=agreement).order_by("period_starts_on")[0]
    response = transition(as_user(api, liaison), detail(evaluation), "open")
    assert response.data["state"] == "due", response.data
    goals = list(v1.goals.all())
    response = transition(
        as_user(api, representative),
        detail(evaluation),
        "submit",
        report="Ryhmät kokoontuivat joka viikko.",
        results=[
            {"goal": goals[0].pk, "value": "135", "comment": "Kasvua."},
            {"goal": goals[1].pk, "value": "8"},
        ],
    )
    assert response.data["state"] == "submitted", response.data
    response = transition(
        as_user(api, liaison),
        detail(evaluation),
        "evaluate",
        assessment="Osallistujatavoite saavutettiin.",
        meeting_id=meeting.pk,
        goals_met=[goals[0].pk],
    )
    assert response.data["state"] == "evaluated", response.data
    assert response.data["meeting"] == meeting.pk
    assert [
        (r["title"], r["indicator"], r["target"], r["value"], r["comment"], r["met"])
        for r in response.data["results"]
    ] == [
        ("Liikuntaryhmät", "Osallistujia viikossa", "120.00", "135.00", "Kasvua.", True),
        ("Vapaaehtoiset", "Koulutettuja ohjaajia", "10.00", "8.00", "", False),
    ]

    assert log_of(v1) == [
        "create",
        "propose",
        "comment",
        "comment",
        "accept",
        "submit_for_review",
        "record_step",
        "decide",
        "sign",
        "sign",
        "sign",
    ]


def test_the_body_drafts_and_the_association_sees_it_once_proposed(
    api, clock, body, association, representative, people
):
    liaison = as_user(api, people["liaison"])
    response = liaison.post(URL, payload(body, association))
    assert response.status_code == 201, response.data
    assert response.data["liaison"]["id"] == people["liaison"].pk
    agreement = Agreement.objects.get(pk=response.data["id"])
    v1 = version_of(agreement)

    assert as_user(api, representative).get(detail(agreement)).status_code == 404
    transition(as_user(api, people["liaison"]), detail(v1), "propose")

    shown = as_user(api, representative).get(detail(agreement))
    assert shown.status_code == 200
    assert shown.data["available_transitions"] == ["cancel"]
    assert transition(api, detail(v1), "accept").data["state"] == "agreed"


def test_the_author_edits_its_draft(api, clock, draft, representative):
    v1 = version_of(draft)
    response = as_user(api, representative).patch(
        detail(v1),
        {
            "title": "Uusi otsikko",
            "meetings_per_year": 4,
            "goals": [{"title": "Kerhot", "indicator": "Kerhoja", "target": "5"}],
            "change_note": "Tarkennettu.",
        },
    )

    assert response.status_code == 200, response.data
    assert response.data["title"] == "Uusi otsikko"
    assert [g["title"] for g in response.data["goals"]] == ["Kerhot"]
    v1 = fresh(v1)
    assert (v1.title, v1.meetings_per_year, v1.change_note) == ("Uusi otsikko", 4, "Tarkennettu.")
    assert v1.purpose == terms()["purpose"]  # untouched
    assert v1.resources.count() == 4  # not given: kept
    assert log_of(v1) == ["create", "edit"]


def test_attachments_are_uploaded_and_listed_by_either_side(
    api, clock, draft, representative, people, media_root
):
    act(version_of(draft), "propose", representative)
    client = as_user(api, people["liaison"])

    response = client.post(
        f"{detail(draft)}attachments/", {"file": pdf("liite.pdf")}, format="multipart"
    )

    assert response.status_code == 201, response.data
    assert response.data["name"] == "liite.pdf"
    listed = as_user(api, representative).get(f"{detail(draft)}attachments/")
    assert [a["name"] for a in listed.data] == ["liite.pdf"]
    assert "attach" in log_of(draft)


def test_missed_meetings_are_listed_with_their_status(api, clock, active, people):
    clock.move_to(at(date(2027, 8, 1)), tick=False)
    client = as_user(api, people["liaison"])
    first = Meeting.objects.filter(agreement=active).order_by("due_on")[0]

    everything = client.get(f"{detail(active)}meetings/").data
    missed = client.get(f"{detail(active)}meetings/", {"status": "missed"}).data
    scheduled = client.get(MEETINGS, {"status": "scheduled", "agreement": active.pk}).data

    assert [m["status"] for m in everything] == ["missed"] + ["scheduled"] * 5
    assert [m["id"] for m in missed] == [first.pk]
    assert scheduled["count"] == 5


def test_the_liaison_schedules_an_extra_meeting(api, clock, active, people):
    response = as_user(api, people["liaison"]).post(
        f"{detail(active)}meetings/", {"due_on": "2027-03-01"}
    )

    assert response.status_code == 201, response.data
    assert response.data["status"] == "scheduled"
    assert Meeting.objects.filter(agreement=active).count() == 7
    assert "schedule_meeting" in log_of(active)


def test_renewal_links_a_new_agreement(api, clock, active, people):
    clock.move_to(at(date(2029, 10, 1)), tick=False)
    client = as_user(api, people["liaison"])

    response = transition(client, detail(active), "renew", starts_on="2030-01-01")

    assert response.status_code == 200, response.data
    assert response.data["state"] == "renewed"
    successor = Agreement.objects.get(predecessor=active)
    assert response.data["successor"] == successor.pk
    assert client.get(detail(successor)).data["predecessor"] == active.pk


def test_termination_records_the_reason_and_the_notice(api, clock, active, representative):
    clock.move_to(at(date(2027, 3, 1)), tick=False)

    response = transition(
        as_user(api, representative), detail(active), "terminate", reason="Toiminta loppuu."
    )

    assert response.status_code == 200, response.data
    assert response.data["state"] == "terminating"
    assert response.data["termination_reason"] == "Toiminta loppuu."
    assert response.data["notice_given_by"] == "association"
    assert response.data["ends_early_on"] == "2027-06-01"
    assert response.data["ends_on"] == "2027-06-01"


def test_history_hides_the_officials_internal_steps_from_the_association(
    api, clock, draft, representative, people, advance
):
    v1 = advance(version_of(draft), "propose", "accept", "submit_for_review", "record_step")
    declared = as_user(api, people["preparer2"]).post(
        f"{detail(v1)}disqualification/", {"reason": "Hallituksen jäsen."}
    )
    assert declared.status_code == 201

    def seen_by(user) -> list[str]:
        response = as_user(api, user).get(f"{detail(v1)}history/")
        return [entry["transition"] for entry in response.data]

    assert seen_by(people["liaison"]) == [
        "create",
        "propose",
        "accept",
        "submit_for_review",
        "record_step",
        "declare_disqualification",
    ]
    assert seen_by(representative) == ["create", "propose", "accept", "submit_for_review"]


def test_an_official_declares_a_conflict_of_interest(api, clock, draft, representative, people):
    v1 = act(version_of(draft), "propose", representative)

    response = as_user(api, people["preparer"]).post(
        f"{detail(v1)}disqualification/", {"reason": "Hallituksen jäsen."}
    )
    refused = as_user(api, representative).post(f"{detail(v1)}disqualification/", {"reason": "Ei."})

    assert response.status_code == 201
    assert refused.status_code == 403
    assert Disqualification.objects.filter(object_id=v1.pk).count() == 1


# --- bad input: 400 and nothing saved -------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "override"),
    [
        ("ends_on", {"ends_on": "2026-06-30"}),
        ("goals", {"goals": [{"title": "Kerhot", "target": "5"}]}),
        ("goals", {"goals": [{"title": "Kerhot", "indicator": "", "target": "5"}]}),
        ("goals", {"goals": [{"title": "Kerhot", "indicator": "Kerhoja", "target": "-1"}]}),
        ("goals", {"goals": [{"title": "Kerhot", "indicator": "Kerhoja", "target": "NaN"}]}),
        ("resources", {"resources": [{"year": 2027, "kind": "gold", "amount": "1"}]}),
        ("resources", {"resources": [{"year": 2027, "kind": "premises", "hours": "6"}]}),
        ("associations", {"associations": []}),
        ("associations", {"associations": [999999]}),
        ("associations", {"associations": ["x"]}),
        ("public_body", {"public_body": 999999}),
        ("signatures_required", {"signatures_required": {"999999": 2}}),
        ("signatures_required", {"signatures_required": {"1": 9}}),
        ("meetings_per_year", {"meetings_per_year": 0}),
        ("title", {"title": ""}),
    ],
)
def test_a_bad_agreement_is_refused_with_a_field_message(
    api, clock, body, association, representative, field, override
):
    with saves_nothing():
        response = as_user(api, representative).post(URL, payload(body, association, **override))

    assert response.status_code == 400
    assert field in response.data, response.data


def test_an_agreement_with_an_association_you_do_not_represent_is_refused(
    api, clock, body, foreign_association, representative
):
    with saves_nothing():
        response = as_user(api, representative).post(URL, payload(body, foreign_association))

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("field", "change"),
    [
        ("ends_on", {"ends_on": "2026-12-31"}),
        ("goals", {"goals": [{"title": "Kerhot", "target": "5"}]}),
        ("resources", {"resources": [{"kind": "money", "amount": "5"}]}),
        ("meetings_per_year", {"meetings_per_year": 13}),
    ],
)
def test_a_bad_edit_of_a_draft_is_refused_and_changes_nothing(
    api, clock, draft, representative, field, change
):
    v1 = version_of(draft)

    with saves_nothing(draft, v1):
        response = as_user(api, representative).patch(detail(v1), change)

    assert response.status_code == 400
    assert field in response.data, response.data


def test_a_new_version_with_a_goal_without_indicator_is_refused(api, clock, active, people):
    with saves_nothing(active):
        response = as_user(api, people["liaison"]).post(
            f"{detail(active)}versions/", {"goals": [{"title": "Kerhot", "target": "5"}]}
        )

    assert response.status_code == 400
    assert "goals" in response.data


def test_proposing_terms_without_goals_is_a_400(api, clock, draft, representative):
    v1 = version_of(draft)
    as_user(api, representative).patch(detail(v1), {"goals": []})

    with saves_nothing(draft, v1):
        response = transition(api, detail(v1), "propose")

    assert response.status_code == 400
    assert "goals" in response.data


def test_an_unknown_transition_is_a_400_naming_it(api, clock, draft, representative):
    v1 = version_of(draft)

    with saves_nothing(draft, v1):
        on_version = transition(as_user(api, representative), detail(v1), "approve_everything")
        on_agreement = transition(api, detail(draft), "activate_now")

    assert on_version.status_code == on_agreement.status_code == 400
    assert "transition" in on_version.data


def test_decide_without_reasons_is_a_400_and_the_step_stays_open(
    api, clock, draft, people, advance
):
    v1 = advance(version_of(draft), "propose", "accept", "submit_for_review", "record_step")

    with saves_nothing(draft, v1):
        response = transition(
            as_user(api, people["decision_maker"]), detail(v1), "decide", outcome="approved"
        )
        blank = transition(api, detail(v1), "decide", outcome="approved", reasons=" ")
        wrong = transition(api, detail(v1), "decide", outcome="maybe", reasons="Hyvä.")

    assert response.status_code == blank.status_code == wrong.status_code == 400
    assert "reasons" in response.data
    assert "reasons" in blank.data
    assert "outcome" in wrong.data
    assert fresh(v1).state == AgreementVersion.State.IN_REVIEW


def test_terminating_without_a_reason_is_a_400(api, clock, active, people):
    with saves_nothing(active):
        response = transition(as_user(api, people["liaison"]), detail(active), "terminate")

    assert response.status_code == 400
    assert "reason" in response.data


@pytest.fixture
def due_evaluation(active, time_machine):
    time_machine.move_to(at(date(2028, 1, 10)), tick=False)
    evaluation = Evaluation.objects.filter(agreement=active).order_by("period_starts_on")[0]
    return act(evaluation, "open", SYSTEM)


@pytest.mark.parametrize(
    ("field", "results"),
    [
        ("results", "first only"),
        ("results", "twice the first"),
        ("results", "unknown goal"),
        ("results", []),
        ("results", [{"goal": "x", "value": "1"}]),
        ("results", [{"goal": 1}]),
    ],
)
def test_an_evaluation_missing_a_goal_is_refused_and_saves_nothing(
    api, due_evaluation, representative, field, results
):
    goals = list(due_evaluation.agreement.in_force_version.goals.values_list("pk", flat=True))
    named = {
        "first only": [{"goal": goals[0], "value": "5"}],
        "twice the first": [{"goal": goals[0], "value": "5"}, {"goal": goals[0], "value": "6"}],
        "unknown goal": [{"goal": goals[0], "value": "5"}, {"goal": 999999, "value": "6"}],
    }

    with saves_nothing(due_evaluation):
        response = transition(
            as_user(api, representative),
            detail(due_evaluation),
            "submit",
            report="Hyvä vuosi.",
            results=named[results] if isinstance(results, str) else results,
        )

    assert response.status_code == 400
    assert field in response.data, response.data


def test_evaluating_without_a_held_meeting_is_refused(api, due_evaluation, representative, people):
    goals = list(due_evaluation.agreement.in_force_version.goals.values_list("pk", flat=True))
    evaluation = act(
        due_evaluation,
        "submit",
        representative,
        report="Hyvä vuosi.",
        results=[{"goal": g, "value": Decimal(1)} for g in goals],
    )
    unheld = Meeting.objects.filter(agreement=evaluation.agreement).last()

    with saves_nothing(evaluation):
        response = transition(
            as_user(api, people["liaison"]),
            detail(evaluation),
            "evaluate",
            assessment="Hyvä.",
            meeting_id=unheld.pk,
            goals_met=[],
        )

    assert response.status_code == 400
    assert "meeting_id" in response.data


@pytest.mark.parametrize(
    ("field", "data"),
    [
        ("held_on", {"held_on": "2027-12-01", "notes": "Tulevaisuudesta."}),
        ("notes", {"held_on": "2027-06-15", "notes": ""}),
        ("held_on", {"notes": "Ilman päivää."}),
        ("minutes", {"held_on": "2027-06-15", "notes": "Ok.", "minutes": "EXE"}),
    ],
)
def test_a_bad_meeting_record_is_refused_and_saves_nothing(api, clock, active, people, field, data):
    clock.move_to(at(date(2027, 6, 20)), tick=False)
    meeting = Meeting.objects.filter(agreement=active).order_by("due_on")[0]
    if data.get("minutes") == "EXE":
        data = {**data, "minutes": SimpleUploadedFile("poytakirja.pdf", b"MZ\x90\x00")}

    with saves_nothing(active, meeting):
        response = as_user(api, people["liaison"]).post(
            f"{detail(meeting)}record/", data, format="multipart"
        )

    assert response.status_code == 400
    assert field in response.data, response.data


@pytest.mark.parametrize(
    "params",
    [
        {"against": "x"},
        {"against": "99"},
        {"against": str(2**64)},
        {},  # the first version is based on none
    ],
)
def test_a_diff_against_no_such_version_is_a_400(api, clock, draft, representative, params):
    response = as_user(api, representative).get(f"{detail(version_of(draft))}diff/", params)

    assert response.status_code == 400
    assert "against" in response.data


@pytest.mark.parametrize("params", [{"status": "lost"}, {"agreement": "x"}, {"agreement": "0"}])
def test_a_bad_list_filter_is_a_400(api, clock, active, people, params):
    client = as_user(api, people["liaison"])

    assert client.get(MEETINGS, params).status_code == 400
    if "agreement" in params:
        assert client.get(VERSIONS, params).status_code == 400
        assert client.get(EVALUATIONS, params).status_code == 400
    else:
        assert client.get(f"{detail(active)}meetings/", params).status_code == 400


def test_an_empty_comment_is_refused(api, clock, draft, representative):
    v1 = act(version_of(draft), "propose", representative)

    with saves_nothing(v1):
        response = as_user(api, representative).post(f"{detail(v1)}comments/", {"body": " "})

    assert response.status_code == 400
    assert "body" in response.data


def test_malformed_json_creates_nothing(api, clock, representative):
    client = as_user(api, representative)

    with saves_nothing():
        response = client.post(URL, data="{not json", content_type="application/json")

    assert response.status_code == 400


# --- 409: not in this state -----------------------------------------------------------------


def test_a_transition_in_the_wrong_state_is_a_409(api, clock, draft, representative, people):
    v1 = version_of(draft)

    with saves_nothing(draft, v1):
        accept = transition(as_user(api, people["liaison"]), detail(v1), "accept")
        sign = transition(as_user(api, people["decision_maker"]), detail(v1), "sign")
        renew = transition(as_user(api, people["liaison"]), detail(draft), "renew")

    # The body's people do not see the unproposed draft at all; after proposing they do.
    assert accept.status_code == sign.status_code == renew.status_code == 404
    act(v1, "propose", representative)
    with saves_nothing(draft, v1):
        propose_twice = transition(as_user(api, representative), detail(v1), "propose")
        renew = transition(as_user(api, people["liaison"]), detail(draft), "renew")
        sign = transition(as_user(api, people["decision_maker"]), detail(v1), "sign")

    assert propose_twice.status_code == renew.status_code == sign.status_code == 409


def test_a_proposed_version_is_not_edited(api, clock, draft, representative):
    v1 = act(version_of(draft), "propose", representative)

    with saves_nothing(draft, v1):
        response = as_user(api, representative).patch(detail(v1), {"title": "Muutettu"})

    assert response.status_code == 409


def test_a_second_draft_beside_a_draft_is_a_409(api, clock, active, people):
    client = as_user(api, people["liaison"])
    assert client.post(f"{detail(active)}versions/", {"title": "Muutos"}).status_code == 201

    with saves_nothing(active):
        response = client.post(f"{detail(active)}versions/", {"title": "Toinen muutos"})

    assert response.status_code == 409


def test_a_new_version_beside_the_other_sides_draft_is_a_409_that_hides_the_draft(
    api, clock, active, people, representative
):
    drafted = as_user(api, people["liaison"]).post(
        f"{detail(active)}versions/", {"title": "Salainen muutos"}
    )
    assert drafted.status_code == 201

    with saves_nothing(active):
        response = as_user(api, representative).post(
            f"{detail(active)}versions/", {"title": "Oma muutos"}, HTTP_ACCEPT_LANGUAGE="en"
        )

    assert response.status_code == 409
    assert "The other side is preparing a proposal." in str(response.data)
    assert "edit" not in str(response.data)
    assert "Salainen" not in str(response.data)


def test_ending_an_agreement_still_in_force_is_a_409_with_the_reason(api, clock, active, people):
    with saves_nothing(active):
        response = as_user(api, people["liaison"]).post(
            f"{detail(active)}transitions/", {"transition": "end"}, HTTP_ACCEPT_LANGUAGE="en"
        )

    assert response.status_code == 409
    assert "still in force" in str(response.data)


# --- 403: seen, but not yours to change ---------------------------------------------------


def test_the_wrong_role_gets_403_and_nothing_changes(
    api, clock, draft, representative, signatories, people, advance
):
    v1 = version_of(draft)
    act(v1, "propose", representative)

    with saves_nothing(draft, v1):
        # The association cannot accept its own proposal, nor review it.
        own = transition(as_user(api, representative), detail(v1), "accept")
        # A signatory does not negotiate; finance is on neither side.
        signatory = transition(as_user(api, signatories[0]), detail(v1), "withdraw")
        finance_comment = as_user(api, people["finance"]).post(
            f"{detail(v1)}comments/", {"body": "Hei."}
        )
        finance_draft = api.post(f"{detail(draft)}versions/", {"title": "Oma"})

    assert own.status_code == signatory.status_code == 403
    assert finance_comment.status_code == finance_draft.status_code == 403

    v1 = advance(v1, "accept", "submit_for_review")
    with saves_nothing(draft, v1):
        decide_early = transition(
            as_user(api, people["decision_maker"]), detail(v1), "record_step", reasons="x"
        )
        rep_decides = transition(
            as_user(api, representative), detail(v1), "decide", outcome="approved", reasons="x"
        )

    assert decide_early.status_code == rep_decides.status_code == 403


def test_only_the_liaison_schedules_and_records_meetings(
    api, clock, active, representative, people
):
    clock.move_to(at(date(2027, 6, 20)), tick=False)
    meeting = Meeting.objects.filter(agreement=active).order_by("due_on")[0]

    with saves_nothing(active, meeting):
        scheduled = as_user(api, representative).post(
            f"{detail(active)}meetings/", {"due_on": "2027-09-01"}
        )
        recorded = api.post(f"{detail(meeting)}record/", {"held_on": "2027-06-15", "notes": "x"})
        by_preparer = as_user(api, people["preparer"]).post(
            f"{detail(meeting)}record/", {"held_on": "2027-06-15", "notes": "x"}
        )

    assert scheduled.status_code == recorded.status_code == by_preparer.status_code == 403


def test_the_other_side_cannot_edit_a_proposed_version(api, clock, draft, representative, people):
    v1 = act(version_of(draft), "propose", representative)

    with saves_nothing(draft, v1):
        response = as_user(api, people["liaison"]).patch(detail(v1), {"title": "Meidän"})

    assert response.status_code == 403


# --- query counts ---------------------------------------------------------------------------


def _queries(client, user, url, params=None) -> tuple[int, object]:
    """The queries of one request by a person whose roles are not yet cached."""
    forget_roles(user)
    as_user(client, user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200, getattr(response, "data", response)
    return len(ctx.captured_queries), response


# Who drafts each agreement and how far it goes: the first comes into force, so every list
# has rows (versions with a review, meetings, evaluations) from the first agreement on.
ROUTES = [
    ("representative", ("propose", "accept", "submit_for_review", "record_step", "decide", "sign")),
    ("representative", ()),
    ("liaison", ("propose",)),
    ("representative", ("propose", "accept", "submit_for_review")),
    ("liaison", ("propose", "accept", "submit_for_review", "record_step", "decide")),
]


def _agreements(body, association, representative, people, advance, routes) -> list[Agreement]:
    made = []
    for author, steps in routes:
        user = representative if author == "representative" else people["liaison"]
        agreement = services.agreement_create(
            user=user, public_body=body, associations=[association], terms_given=terms()
        )
        advance(version_of(agreement), *steps)
        made.append(fresh(agreement))
    return made


LISTS = [URL, VERSIONS, MEETINGS, EVALUATIONS]


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("who", ["representative", "liaison", "preparer", "decision_maker"])
def test_a_list_costs_the_same_queries_for_1_and_5_agreements(
    api, clock, body, association, representative, people, advance, who, url
):
    user = representative if who == "representative" else people[who]
    _agreements(body, association, representative, people, advance, ROUTES[:1])
    one, first = _queries(api, user, url)

    _agreements(body, association, representative, people, advance, ROUTES[1:])
    five, response = _queries(api, user, url)

    assert first.data["count"] >= 1
    assert response.data["count"] > first.data["count"] or url in (MEETINGS, EVALUATIONS)
    assert five == one


def test_a_list_shows_each_agreement_with_its_transitions(
    api, clock, body, association, representative, people, advance
):
    active, _unproposed, proposed, in_review, approved = _agreements(
        body, association, representative, people, advance, ROUTES
    )
    # The signed one comes into force on its term's first day.
    clock.move_to(at(date(2027, 1, 1)), tick=False)
    assert scans.activate_signed_agreements() == 1

    listed = as_user(api, people["liaison"]).get(URL).data["results"]
    by_id = {a["id"]: a for a in listed}

    # The association's draft it has not proposed is not the body's to see.
    assert set(by_id) == {active.pk, proposed.pk, in_review.pk, approved.pk}
    assert by_id[active.pk]["available_transitions"] == ["renew", "terminate"]
    assert by_id[proposed.pk]["available_transitions"] == ["cancel"]
    # A version being decided or signed is finished first.
    assert by_id[in_review.pk]["available_transitions"] == []
    assert by_id[approved.pk]["available_transitions"] == []


@pytest.mark.parametrize(
    ("field", "params"),
    [
        ("payable_id", {"amount": "10000.00", "paid_on": "2027-02-01"}),
        ("amount", {"amount": "-1", "paid_on": "2027-02-01", "payable_id": 1}),
        ("paid_on", {"amount": "10000.00", "payable_id": 1}),
        ("payable_id", {"amount": "1.00", "paid_on": "2027-02-01", "payable_id": 2**64}),
    ],
)
def test_a_bad_payment_is_refused_and_saves_nothing(api, clock, active, people, field, params):
    with saves_nothing(active):
        response = transition(
            as_user(api, people["finance"]), detail(active), "record_payment", **params
        )

    assert response.status_code == 400
    assert field in response.data, response.data


@pytest.mark.django_db(transaction=True)
def test_a_new_version_is_drafted_in_its_own_transaction(api, active, people):
    # Outside the test's own transaction, as in production: the service locks the agreement,
    # which needs the transaction it opens itself.
    response = as_user(api, people["liaison"]).post(
        f"/api/v1/agreements/{active.pk}/versions/", {"title": "Muutos"}, format="json"
    )

    assert response.status_code == 201
    assert TransitionLog.objects.filter(object_id=response.data["id"], transition="create").exists()
