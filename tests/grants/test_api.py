"""The applications API: drafts, transitions, history, attachments, bad input and query counts.

Every bad request must answer 4xx with a message naming the field and leave the database
exactly as it was: no row added, no state changed, no audit record written.
"""

from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from finance.models import Payable, Payment
from finance.payables import payments_of
from grants.models import (
    Application,
    Attachment,
    BudgetLine,
    FollowUpReport,
    Rectification,
)
from organisations.roles import forget_roles
from tests.conftest import as_user
from tests.factories import ApplicationFactory, CallFactory
from workflow.models import (
    ApprovalRun,
    Deadline,
    Disqualification,
    StepRecord,
    TransitionLog,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/applications/"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
DECIDE_JSON = {"outcome": "approved", "granted_amount": "5000.00", "reasons": "Hyvä hanke."}

_MODELS = (
    Application,
    BudgetLine,
    Attachment,
    Payable,
    Payment,
    FollowUpReport,
    Rectification,
    TransitionLog,
    ApprovalRun,
    StepRecord,
    Disqualification,
    Deadline,
)


def detail_url(app) -> str:
    return f"{URL}{app.pk}/"


def transitions_url(app) -> str:
    return f"{URL}{app.pk}/transitions/"


def attachments_url(app) -> str:
    return f"{URL}{app.pk}/attachments/"


def history_url(app) -> str:
    return f"{URL}{app.pk}/history/"


def snapshot(*apps) -> dict:
    """Row counts of everything a request could write, and every field of the given records."""
    state = {model._meta.label: model.objects.count() for model in _MODELS}
    for app in apps:
        fresh = Application.objects.get(pk=app.pk)
        state[f"app{app.pk}"] = {
            f.attname: getattr(fresh, f.attname) for f in Application._meta.concrete_fields
        }
        state[f"lines{app.pk}"] = list(
            fresh.budget_lines.values_list("position", "description", "amount")
        )
    return state


@contextmanager
def saves_nothing(*apps):
    before = snapshot(*apps)
    yield
    assert snapshot(*apps) == before


def draft_payload(call, association, **overrides) -> dict:
    return {
        "call": call.pk,
        "association": association.pk,
        "requested_amount": "5000.00",
        "purpose": "Kerhotoimintaa lapsille ja nuorille.",
        "budget_lines": [
            {"description": "Tilavuokrat", "amount": "3000.00"},
            {"description": "Ohjaajien palkkiot", "amount": "2000.00"},
        ],
        **overrides,
    }


def pdf(name="talousarvio.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a temporary directory, never under var/."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def rep_api(api, representative):
    return as_user(api, representative)


# --- drafts -------------------------------------------------------------------------------


def test_representative_creates_a_draft_that_can_be_submitted(
    rep_api, call, association, representative
):
    response = rep_api.post(URL, draft_payload(call, association))

    assert response.status_code == 201, response.data
    assert response.data["state"] == "draft"
    assert "submit" in response.data["available_transitions"]
    app = Application.objects.get(pk=response.data["id"])
    assert app.created_by == representative
    assert app.requested_amount == Decimal("5000.00")
    assert list(app.budget_lines.values_list("position", "description", "amount")) == [
        (1, "Tilavuokrat", Decimal("3000.00")),
        (2, "Ohjaajien palkkiot", Decimal("2000.00")),
    ]
    assert [line["amount"] for line in response.data["budget_lines"]] == ["3000.00", "2000.00"]
    assert list(
        TransitionLog.objects.filter(object_id=app.pk).values_list("transition", flat=True)
    ) == ["create"]


def test_read_only_fields_in_a_create_request_are_ignored(rep_api, call, association):
    response = rep_api.post(
        URL,
        draft_payload(
            call, association, state="closed", granted_amount="20000.00", outcome="approved"
        ),
    )

    assert response.status_code == 201, response.data
    app = Application.objects.get(pk=response.data["id"])
    assert app.state == Application.State.DRAFT
    assert app.granted_amount is None
    assert app.outcome == ""


def test_representative_edits_a_draft(rep_api, application):
    response = rep_api.patch(
        detail_url(application),
        {
            "purpose": "Kesäleiri.",
            "requested_amount": "4000.00",
            "budget_lines": [{"description": "Leirikeskus", "amount": "4500.00"}],
        },
    )

    assert response.status_code == 200, response.data
    assert response.data["purpose"] == "Kesäleiri."
    assert response.data["requested_amount"] == "4000.00"
    assert response.data["budget_lines"] == [{"description": "Leirikeskus", "amount": "4500.00"}]
    application.refresh_from_db()
    assert application.purpose == "Kesäleiri."
    assert application.requested_amount == Decimal("4000.00")
    assert list(application.budget_lines.values_list("description", "amount")) == [
        ("Leirikeskus", Decimal("4500.00"))
    ]
    assert TransitionLog.objects.filter(object_id=application.pk, transition="edit").count() == 1


def test_patch_cannot_change_state_through_read_only_fields(rep_api, application):
    response = rep_api.patch(detail_url(application), {"state": "decided", "purpose": "Uusi."})

    assert response.status_code == 200, response.data
    application.refresh_from_db()
    assert application.state == Application.State.DRAFT
    assert application.purpose == "Uusi."


def test_patch_cannot_move_a_draft_to_another_call(rep_api, application, body):
    other_call = CallFactory(public_body=body)

    with saves_nothing(application):
        response = rep_api.patch(detail_url(application), {"call": other_call.pk})

    assert response.status_code == 400
    assert "call" in response.data


def test_patch_after_submit_is_a_conflict(rep_api, application, walk):
    walk(application, "submit")

    with saves_nothing(application):
        response = rep_api.patch(detail_url(application), {"purpose": "Myöhässä."})

    assert response.status_code == 409
    assert response.data["detail"]


def test_submit_transition_returns_the_new_state(rep_api, application):
    response = rep_api.post(transitions_url(application), {"transition": "submit"})

    assert response.status_code == 200, response.data
    assert response.data["state"] == "submitted"
    assert response.data["submitted_at"] is not None
    assert "submit" not in response.data["available_transitions"]
    assert "withdraw" in response.data["available_transitions"]
    application.refresh_from_db()
    assert application.state == Application.State.SUBMITTED


def test_the_whole_lifecycle_through_the_api(api, call, association, representative, people):
    preparer, decision_maker, finance = (
        people["preparer"],
        people["decision_maker"],
        people["finance"],
    )
    created = as_user(api, representative).post(URL, draft_payload(call, association))
    assert created.status_code == 201, created.data
    pk = created.data["id"]

    def act(user, transition, expect=200, **params):
        response = as_user(api, user).post(
            f"{URL}{pk}/transitions/", {"transition": transition, **params}
        )
        assert response.status_code == expect, response.data
        return response.data

    assert act(representative, "submit")["state"] == "submitted"
    assert act(preparer, "start_review")["state"] == "in_review"
    proposed = act(preparer, "record_step", proposed_amount="5000.00", reasons="Hyvä.")
    assert proposed["state"] == "in_review"
    # Whoever proposed does not also decide.
    assert proposed["available_transitions"] == []
    decided = act(decision_maker, "decide", **DECIDE_JSON)
    assert decided["state"] == "decided"
    assert decided["outcome"] == "approved"
    assert decided["granted_amount"] == "5000.00"
    notified = act(preparer, "notify", channel="electronic")
    assert notified["state"] == "notified"
    assert notified["appeal_ends_on"] is not None
    # Within the appeal period the decision is not yet legally valid.
    act(preparer, "become_legally_valid", expect=409)

    with time_machine.travel(timezone.now() + timedelta(days=30)):
        shown = as_user(api, preparer).get(f"{URL}{pk}/")
        assert "become_legally_valid" in shown.data["available_transitions"]
        assert act(preparer, "become_legally_valid")["state"] == "legally_valid"
        paid = act(
            finance,
            "record_payment",
            amount="5000.00",
            paid_on=timezone.localdate().isoformat(),
            reference="RF18539007547034",
        )
        assert paid["state"] == "paid"
        assert paid["paid_total"] == "5000.00"
        assert paid["report_due_on"] is not None
        reported = act(
            representative,
            "submit_report",
            activities="Kerho kokoontui 30 kertaa.",
            amount_used="5000.00",
        )
        assert reported["state"] == "report_submitted"
        assert act(preparer, "accept_report")["state"] == "closed"

    assert Application.objects.get(pk=pk).state == Application.State.CLOSED
    assert payments_of(Application.objects.get(pk=pk)).get().amount == Decimal("5000.00")
    assert FollowUpReport.objects.get(application_id=pk).accepted_by == preparer

    official_history = as_user(api, preparer).get(f"{URL}{pk}/history/")
    assert official_history.status_code == 200
    assert [e["transition"] for e in official_history.data] == [
        "create",
        "submit",
        "start_review",
        "record_step",
        "decide",
        "notify",
        "become_legally_valid",
        "record_payment",
        "submit_report",
        "accept_report",
    ]
    assert [(e["from_state"], e["to_state"]) for e in official_history.data][1:3] == [
        ("draft", "submitted"),
        ("submitted", "in_review"),
    ]
    applicant_history = as_user(api, representative).get(f"{URL}{pk}/history/")
    assert applicant_history.status_code == 200
    assert [e["transition"] for e in applicant_history.data] == [
        "create",
        "submit",
        "start_review",
        "decide",
        "notify",
        "become_legally_valid",
        "record_payment",
        "submit_report",
        "accept_report",
    ]


def test_history_is_oldest_first_and_hides_internal_steps_from_the_association(
    api, application, walk, representative, people
):
    walk(application, "submit", "start_review", "record_step")

    official = as_user(api, people["preparer"]).get(history_url(application))
    applicant = as_user(api, representative).get(history_url(application))

    assert [e["transition"] for e in official.data] == ["submit", "start_review", "record_step"]
    assert [e["transition"] for e in applicant.data] == ["submit", "start_review"]
    assert official.data[0]["actor"] == representative.get_full_name()


# --- bad input: a clear 4xx and nothing saved ------------------------------------------------


def test_malformed_json_creates_nothing(rep_api):
    with saves_nothing():
        response = rep_api.post(URL, data="{bad", content_type="application/json")

    assert response.status_code == 400
    assert "detail" in response.data


def test_malformed_json_on_a_transition_changes_nothing(rep_api, application):
    with saves_nothing(application):
        response = rep_api.post(
            transitions_url(application), data="{bad", content_type="application/json"
        )

    assert response.status_code == 400


def test_malformed_json_on_an_edit_changes_nothing(rep_api, application):
    with saves_nothing(application):
        response = rep_api.patch(
            detail_url(application), data='{"purpose": ', content_type="application/json"
        )

    assert response.status_code == 400


@pytest.mark.parametrize(
    "raw",
    ["[]", '"submit"', "null", "42"],
    ids=["list", "string", "null", "number"],
)
def test_a_json_body_that_is_not_an_object_is_refused(rep_api, application, raw):
    with saves_nothing(application):
        created = rep_api.post(URL, data=raw, content_type="application/json")
        transitioned = rep_api.post(
            transitions_url(application), data=raw, content_type="application/json"
        )

    assert created.status_code == 400
    assert transitioned.status_code == 400


BAD_DRAFTS = [
    ("requested_amount", {"requested_amount": "abc"}),
    ("requested_amount", {"requested_amount": "-100.00"}),
    ("requested_amount", {"requested_amount": "0"}),
    ("requested_amount", {"requested_amount": "0.00"}),
    ("requested_amount", {"requested_amount": "1e20"}),
    ("requested_amount", {"requested_amount": "99999999999999.99"}),
    ("requested_amount", {"requested_amount": "NaN"}),
    ("requested_amount", {"requested_amount": "Infinity"}),
    ("requested_amount", {"requested_amount": "-Infinity"}),
    ("requested_amount", {"requested_amount": "10.001"}),
    ("requested_amount", {"requested_amount": None}),
    ("requested_amount", {"requested_amount": [1]}),
    ("budget_lines", {"budget_lines": "x"}),
    ("budget_lines", {"budget_lines": ["x"]}),
    ("budget_lines", {"budget_lines": [{"description": "Vuokra", "amount": "0"}]}),
    ("budget_lines", {"budget_lines": [{"description": "Vuokra", "amount": "-5"}]}),
    ("budget_lines", {"budget_lines": [{"description": "Vuokra", "amount": "1e20"}]}),
    ("budget_lines", {"budget_lines": [{"description": "Vuokra", "amount": "NaN"}]}),
    ("budget_lines", {"budget_lines": [{"description": "x" * 301, "amount": "5"}]}),
    ("budget_lines", {"budget_lines": [{"description": "Vuokra"}]}),
    ("purpose", {"purpose": "Nollatavu \x00 keskellä"}),
    ("call", {"call": "abc"}),
    ("call", {"call": 999_999_999}),
    ("association", {"association": None}),
]


@pytest.mark.parametrize(("field", "override"), BAD_DRAFTS, ids=[repr(o) for _, o in BAD_DRAFTS])
def test_a_bad_draft_is_refused_with_a_field_message(rep_api, call, association, field, override):
    with saves_nothing():
        response = rep_api.post(URL, {**draft_payload(call, association), **override})

    assert response.status_code == 400, response.data
    assert field in response.data


def test_a_draft_without_required_fields_is_refused(rep_api):
    with saves_nothing():
        response = rep_api.post(URL, {})

    assert response.status_code == 400
    assert {"call", "association", "requested_amount", "purpose"} <= set(response.data)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_non_finite_json_numbers_are_refused(rep_api, call, association, literal):
    raw = (
        f'{{"call": {call.pk}, "association": {association.pk}, '
        f'"requested_amount": {literal}, "purpose": "Kerho"}}'
    )

    with saves_nothing():
        response = rep_api.post(URL, data=raw, content_type="application/json")

    assert response.status_code == 400


BAD_EDITS = [
    ("requested_amount", {"requested_amount": "abc"}),
    ("requested_amount", {"requested_amount": "-1"}),
    ("requested_amount", {"requested_amount": "0"}),
    ("requested_amount", {"requested_amount": "99999999999999.99"}),
    ("requested_amount", {"requested_amount": "Infinity"}),
    ("budget_lines", {"budget_lines": "x"}),
    ("budget_lines", {"budget_lines": [{"description": "Vuokra", "amount": "0.00"}]}),
]


@pytest.mark.parametrize(("field", "override"), BAD_EDITS, ids=[repr(o) for _, o in BAD_EDITS])
def test_a_bad_edit_is_refused_and_changes_nothing(rep_api, application, field, override):
    with saves_nothing(application):
        response = rep_api.patch(detail_url(application), override)

    assert response.status_code == 400, response.data
    assert field in response.data


def test_unknown_transition_is_a_400_naming_the_transition(rep_api, application):
    with saves_nothing(application):
        response = rep_api.post(transitions_url(application), {"transition": "approve_all"})

    assert response.status_code == 400
    assert "transition" in response.data


@pytest.mark.parametrize(
    "payload",
    [{}, {"transition": ""}, {"transition": None}, {"transition": {"name": "submit"}}],
    ids=["missing", "blank", "null", "object"],
)
def test_a_missing_or_malformed_transition_name_is_a_400(rep_api, application, payload):
    with saves_nothing(application):
        response = rep_api.post(transitions_url(application), payload)

    assert response.status_code == 400
    assert "transition" in response.data


def test_decide_without_reasons_is_a_400_and_the_step_stays_open(api, application, walk, people):
    walk(application, "submit", "start_review", "record_step")

    with saves_nothing(application):
        response = as_user(api, people["decision_maker"]).post(
            transitions_url(application),
            {"transition": "decide", "outcome": "approved", "granted_amount": "5000.00"},
        )

    assert response.status_code == 400
    assert "reasons" in response.data


@pytest.mark.parametrize(
    ("field", "params"),
    [
        ("reasons", {**DECIDE_JSON, "reasons": "   "}),
        ("granted_amount", {**DECIDE_JSON, "granted_amount": "5000.01"}),
        ("granted_amount", {**DECIDE_JSON, "granted_amount": "Infinity"}),
        ("granted_amount", {**DECIDE_JSON, "granted_amount": "1e20"}),
        ("granted_amount", {**DECIDE_JSON, "granted_amount": "-1"}),
        ("outcome", {**DECIDE_JSON, "granted_amount": "4000.00"}),
        ("outcome", {**DECIDE_JSON, "outcome": "maybe"}),
    ],
    ids=["blank-reasons", "over-requested", "infinity", "huge", "negative", "partial", "choice"],
)
def test_a_bad_decision_is_refused_and_saves_nothing(api, application, walk, people, field, params):
    walk(application, "submit", "start_review", "record_step")

    with saves_nothing(application):
        response = as_user(api, people["decision_maker"]).post(
            transitions_url(application), {"transition": "decide", **params}
        )

    assert response.status_code == 400, response.data
    assert field in response.data


@pytest.mark.parametrize(
    ("field", "proposed"),
    [
        ("proposed_amount", "abc"),
        ("proposed_amount", "-1"),
        ("proposed_amount", "NaN"),
        ("proposed_amount", "1e20"),
        ("proposed_amount", "5000.01"),
        ("proposed_amount", None),
    ],
)
def test_a_bad_proposal_is_refused_and_saves_nothing(
    api, application, walk, people, field, proposed
):
    walk(application, "submit", "start_review")

    with saves_nothing(application):
        response = as_user(api, people["preparer"]).post(
            transitions_url(application),
            {"transition": "record_step", "proposed_amount": proposed},
        )

    assert response.status_code == 400, response.data
    assert field in response.data


@pytest.mark.parametrize(
    ("field", "params"),
    [
        ("amount", {"amount": "0", "paid_on": "TODAY"}),
        ("amount", {"amount": "5000.01", "paid_on": "TODAY"}),
        ("amount", {"amount": "-Infinity", "paid_on": "TODAY"}),
        ("paid_on", {"amount": "100.00", "paid_on": "not-a-date"}),
        ("paid_on", {"amount": "100.00", "paid_on": "TOMORROW"}),
        ("paid_on", {"amount": "100.00"}),
    ],
    ids=["zero", "over-granted", "-infinity", "bad-date", "future", "missing-date"],
)
def test_a_bad_payment_is_refused_and_saves_nothing(api, application, walk, people, field, params):
    app = walk(application, "submit", "start_review", "record_step", "decide", "notify")
    with time_machine.travel(timezone.now() + timedelta(days=30)):
        app = walk(app, "become_legally_valid")
        today = timezone.localdate()
        dates = {"TODAY": today.isoformat(), "TOMORROW": (today + timedelta(days=1)).isoformat()}
        params = {k: dates.get(v, v) for k, v in params.items()}

        with saves_nothing(app):
            response = as_user(api, people["finance"]).post(
                transitions_url(app), {"transition": "record_payment", **params}
            )

    assert response.status_code == 400, response.data
    assert field in response.data


def test_requesting_completion_by_a_past_date_is_refused(api, application, walk, people):
    walk(application, "submit")

    with saves_nothing(application):
        response = as_user(api, people["preparer"]).post(
            transitions_url(application),
            {
                "transition": "request_completion",
                "comment": "Liitä talousarvio.",
                "due_on": "2000-01-03",
            },
        )

    assert response.status_code == 400
    assert "due_on" in response.data


def test_returning_a_report_with_a_past_due_date_is_refused(api, application, walk, people):
    app = walk(application, "submit", "start_review", "record_step", "decide", "notify")
    with time_machine.travel(timezone.now() + timedelta(days=30)):
        app = walk(
            app,
            "become_legally_valid",
            "record_payment",
            "submit_report",
            record_payment={
                "params": {"amount": Decimal("5000.00"), "paid_on": timezone.localdate()}
            },
        )

        with saves_nothing(app):
            response = as_user(api, people["preparer"]).post(
                transitions_url(app),
                {
                    "transition": "return_report",
                    "comment": "Liitä tositteet.",
                    "due_on": "2000-01-03",
                },
            )

    assert response.status_code == 400, response.data
    assert "due_on" in response.data


def test_notify_by_an_unknown_channel_is_refused(api, application, walk, people):
    app = walk(application, "submit", "start_review", "record_step", "decide")

    with saves_nothing(app):
        response = as_user(api, people["preparer"]).post(
            transitions_url(app), {"transition": "notify", "channel": "pigeon"}
        )

    assert response.status_code == 400
    assert "channel" in response.data


def test_submitting_to_a_closed_call_is_a_conflict_with_a_message(
    rep_api, body, association, representative
):
    now = timezone.now()
    closed = CallFactory(
        public_body=body, opens_at=now - timedelta(days=40), closes_at=now - timedelta(days=1)
    )
    app = ApplicationFactory(call=closed, association=association, created_by=representative)
    with saves_nothing(app):
        response = rep_api.post(
            transitions_url(app), {"transition": "submit"}, HTTP_ACCEPT_LANGUAGE="en"
        )

    assert response.status_code == 409
    assert "not open" in str(response.data["detail"])


def test_submitting_a_budget_that_does_not_cover_the_request_is_a_400(rep_api, application):
    application.budget_lines.update(amount=Decimal("100.00"))

    with saves_nothing(application):
        response = rep_api.post(transitions_url(application), {"transition": "submit"})

    assert response.status_code == 400
    assert "budget_lines" in response.data


def test_submitting_more_than_the_call_allows_is_a_400(rep_api, call, association):
    created = rep_api.post(
        URL,
        draft_payload(
            call,
            association,
            requested_amount="20000.01",
            budget_lines=[{"description": "Kaikki", "amount": "20000.01"}],
        ),
    )
    assert created.status_code == 201
    app = Application.objects.get(pk=created.data["id"])

    with saves_nothing(app):
        response = rep_api.post(transitions_url(app), {"transition": "submit"})

    assert response.status_code == 400
    assert "requested_amount" in response.data


@pytest.mark.parametrize("when", ["closed", "not_yet_open"])
def test_a_draft_in_a_call_that_is_not_open_is_refused(rep_api, body, association, when):
    now = timezone.now()
    opens, closes = (
        (now - timedelta(days=40), now - timedelta(days=1))
        if when == "closed"
        else (now + timedelta(days=1), now + timedelta(days=40))
    )
    call = CallFactory(public_body=body, opens_at=opens, closes_at=closes)

    with saves_nothing():
        response = rep_api.post(URL, draft_payload(call, association))

    assert response.status_code == 400
    assert "call" in response.data


def test_a_draft_for_an_association_you_do_not_represent_is_refused(
    rep_api, call, foreign_association
):
    with saves_nothing():
        response = rep_api.post(URL, draft_payload(call, foreign_association))

    assert response.status_code == 400
    assert "association" in response.data


def test_a_signatory_cannot_create_a_draft(api, call, association, signatory):
    with saves_nothing():
        response = as_user(api, signatory).post(URL, draft_payload(call, association))

    assert response.status_code == 400
    assert "association" in response.data


def test_deeply_nested_json_is_a_400_not_a_server_error(rep_api, application):
    depth = 5_000  # 10 kB of brackets, far below the 2.5 MB upload limit
    nested = "[" * depth + "]" * depth
    wrapped = '{"transition": ' + nested + "}"

    with saves_nothing(application):
        created = rep_api.post(URL, data=nested, content_type="application/json")
        transitioned = rep_api.post(
            transitions_url(application), data=wrapped, content_type="application/json"
        )

    assert created.status_code == 400
    assert transitioned.status_code == 400


def test_a_list_with_a_huge_limit_is_not_a_server_error(rep_api, application):
    response = rep_api.get(URL, {"limit": "99999999999999999999"})

    assert response.status_code in {200, 400}
    if response.status_code == 200:
        assert [a["id"] for a in response.data["results"]] == [application.pk]


def test_a_list_with_a_huge_offset_is_not_a_server_error(rep_api, application):
    response = rep_api.get(URL, {"offset": "99999999999999999999", "limit": "10"})

    assert response.status_code in {200, 400, 404}


# --- attachments ----------------------------------------------------------------------------


def test_a_small_pdf_is_accepted_and_listed(rep_api, application, media_root):
    response = rep_api.post(attachments_url(application), {"file": pdf()}, format="multipart")

    assert response.status_code == 201, response.data
    assert response.data["name"] == "talousarvio.pdf"
    assert response.data["content_type"] == "application/pdf"
    assert response.data["size"] == len(PDF)
    listed = rep_api.get(attachments_url(application))
    assert listed.status_code == 200
    assert [(a["name"], a["size"]) for a in listed.data] == [("talousarvio.pdf", len(PDF))]
    stored = Attachment.objects.get(application=application)
    assert stored.file.read() == PDF
    assert str(media_root) in stored.file.path
    assert TransitionLog.objects.filter(object_id=application.pk, transition="attach").exists()


def test_an_oversized_attachment_is_refused(rep_api, application):
    with override_settings(ATTACHMENT_MAX_BYTES=1024), saves_nothing(application):
        response = rep_api.post(
            attachments_url(application),
            {"file": pdf(content=PDF + b"0" * 2048)},
            format="multipart",
        )

    assert response.status_code == 400
    assert "file" in response.data


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("setup.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"),
        ("script.sh", b"#!/bin/sh\nrm -rf /\n"),
        ("hakemus", PDF),
        ("hakemus.pdf", b"MZ\x90\x00\x03\x00\x00\x00 not a pdf"),
        ("hakemus.pdf", b"<html><script>alert(1)</script></html>"),
        ("kuva.png", PDF),
        ("tyhja.pdf", b""),
    ],
    ids=["exe", "shell", "no-extension", "exe-as-pdf", "html-as-pdf", "pdf-as-png", "empty"],
)
def test_an_attachment_of_a_disallowed_type_or_false_content_is_refused(
    rep_api, application, name, content
):
    with saves_nothing(application):
        response = rep_api.post(
            attachments_url(application),
            {"file": pdf(name=name, content=content, content_type="application/pdf")},
            format="multipart",
        )

    assert response.status_code == 400, response.data
    assert "file" in response.data


def test_an_attachment_request_without_a_file_is_refused(rep_api, application):
    with saves_nothing(application):
        response = rep_api.post(attachments_url(application), {}, format="multipart")
        as_json = rep_api.post(attachments_url(application), {"file": "not a file"})

    assert response.status_code == 400
    assert "file" in response.data
    assert as_json.status_code == 400


def test_an_attachment_with_a_very_long_name_is_stored(rep_api, application):
    name = "ä" * 240 + ".pdf"

    response = rep_api.post(
        attachments_url(application), {"file": pdf(name=name)}, format="multipart"
    )

    assert response.status_code == 201, response.data
    assert Attachment.objects.filter(application=application).count() == 1


def test_attachments_cannot_be_added_after_submit(rep_api, application, walk):
    walk(application, "submit")

    with saves_nothing(application):
        response = rep_api.post(attachments_url(application), {"file": pdf()}, format="multipart")

    assert response.status_code == 409


# --- query counts ---------------------------------------------------------------------------


def _queries(client, user, method, url, data=None) -> tuple[int, object]:
    """The queries of one request by a person whose roles are not yet cached, as in production
    where every request loads its user afresh."""
    forget_roles(user)
    as_user(client, user)
    ContentType.objects.get_for_model(Application)  # the content type cache is process-wide
    with CaptureQueriesContext(connection) as ctx:
        response = getattr(client, method)(url, *([] if data is None else [data]))
    assert response.status_code == 200, getattr(response, "data", response)
    return len(ctx.captured_queries), response


def _applications_in_many_states(call, association, representative, walk, count):
    routes = [
        (),
        ("submit",),
        ("submit", "start_review"),
        ("submit", "start_review", "record_step"),
        ("submit", "start_review", "record_step", "decide"),
        ("submit", "start_review", "record_step", "decide", "notify"),
        ("withdraw",),
    ]
    for i in range(count):
        app = ApplicationFactory(call=call, association=association, created_by=representative)
        walk(app, *routes[i % len(routes)])


@pytest.mark.parametrize("who", ["representative", "preparer", "decision_maker", "finance"])
def test_listing_costs_the_same_queries_for_1_and_20_applications(
    api, call, association, representative, people, walk, who
):
    user = representative if who == "representative" else people[who]
    first = ApplicationFactory(call=call, association=association, created_by=representative)
    walk(first, "submit", "start_review")
    one, response = _queries(api, user, "get", URL)
    assert response.data["count"] == 1

    _applications_in_many_states(call, association, representative, walk, 19)
    twenty, response = _queries(api, user, "get", URL)
    # Officials see only what was submitted: not drafts, nor drafts withdrawn unsent.
    official = who != "representative"
    sent = Application.objects.filter(submitted_at__isnull=False).count()
    assert response.data["count"] == (sent if official else 20)
    assert {a["state"] for a in response.data["results"]} >= {
        "submitted",
        "in_review",
        "decided",
        "notified",
    } | (set() if official else {"draft", "withdrawn"})

    assert twenty == one


@pytest.mark.parametrize(
    ("before", "transition", "who", "params"),
    [
        ((), "submit", "representative", {}),
        (("submit",), "start_review", "preparer", {}),
        (("submit", "start_review"), "record_step", "preparer", {"proposed_amount": "5000.00"}),
        (("submit", "start_review", "record_step"), "decide", "decision_maker", DECIDE_JSON),
    ],
    ids=["submit", "start_review", "record_step", "decide"],
)
def test_a_transition_costs_the_same_queries_for_the_1st_and_the_10th_application(
    api, call, association, representative, people, walk, before, transition, who, params
):
    user = representative if who == "representative" else people[who]
    request = {"transition": transition, **params}
    first = ApplicationFactory(call=call, association=association, created_by=representative)
    walk(first, *before)
    at_first, _ = _queries(api, user, "post", transitions_url(first), request)

    _applications_in_many_states(call, association, representative, walk, 8)
    tenth = ApplicationFactory(call=call, association=association, created_by=representative)
    walk(tenth, *before)
    assert Application.objects.count() == 10
    at_tenth, _ = _queries(api, user, "post", transitions_url(tenth), request)

    assert at_tenth == at_first


# The statements of one transition request (bench/transitions.py measures the same pair, plus
# the token's query: the test signs in without one): the person's two role lists, the one
# locking query (the row, its visibility and the actor's conflict of interest), the
# transition's own work, the row's update, the audit record and the relations the answer shows
# (budget lines, payables, rectifications, approval runs), with no second read of the record.
# request_completion's own work: move and open the completion deadline, find the
# representatives and queue their message; resubmit's: read the budget lines and close the
# deadline.
@pytest.mark.parametrize(
    ("before", "transition", "who", "params", "statements"),
    [
        (("submit",), "request_completion", "preparer", {"comment": "Liitä talousarvio."}, 13),
        (("submit", "request_completion"), "resubmit", "representative", {}, 11),
    ],
    ids=["request_completion", "resubmit"],
)
def test_one_transition_request_runs_a_fixed_number_of_statements(
    api,
    call,
    association,
    representative,
    people,
    walk,
    before,
    transition,
    who,
    params,
    statements,
):
    user = representative if who == "representative" else people[who]
    app = walk(
        ApplicationFactory(call=call, association=association, created_by=representative), *before
    )

    count, response = _queries(
        api, user, "post", transitions_url(app), {"transition": transition, **params}
    )

    assert response.data["state"] != app.state
    # The test's own transaction makes the service's atomic block a savepoint: two more.
    assert count == statements + 2


def test_a_list_shows_available_transitions_per_record(
    api, call, association, representative, people, walk
):
    draft = ApplicationFactory(call=call, association=association, created_by=representative)
    submitted = walk(
        ApplicationFactory(call=call, association=association, created_by=representative),
        "submit",
    )

    response = as_user(api, people["preparer"]).get(URL)

    by_id = {a["id"]: a for a in response.data["results"]}
    assert draft.pk not in by_id
    assert set(by_id[submitted.pk]["available_transitions"]) == {
        "start_review",
        "request_completion",
    }


@pytest.mark.parametrize("pk", ["1.5", "1e3", "abc", str(2**64)])
def test_an_id_that_names_no_record_is_the_apis_json_404(rep_api, application, pk):
    # The router's default pattern left "1.5" to Django's HTML page, which the schema denies.
    for url in (f"{URL}{pk}/", f"{URL}{pk}/history/"):
        response = rep_api.get(url)

        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
    response = rep_api.post(f"{URL}{pk}/transitions/", {"transition": "submit"})
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


# --- schema and docs ------------------------------------------------------------------------


def test_openapi_schema_is_served(rep_api):
    response = rep_api.get("/api/schema/")

    assert response.status_code == 200
    assert b"/api/v1/applications/{id}/transitions/" in response.content


def test_api_docs_are_served(rep_api):
    response = rep_api.get("/api/docs/")

    assert response.status_code == 200
