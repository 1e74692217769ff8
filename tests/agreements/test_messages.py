"""The agreements' notification templates: one per kind the agreements code sends and per
language, rendered with the context each message is written with; dates the local way."""

import ast
import copy
import json
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.template.loader import get_template
from django.urls import resolve

import agreements
from agreements import services
from agreements.scans import open_due_evaluations, open_renewals
from organisations.models import User
from tests.agreements.builders import act, at, version_of
from workflow.messages import email_for
from workflow.models import Deadline, Notification
from workflow.scans import remind_one

LANGUAGES = [code for code, _ in settings.LANGUAGES]
TITLE = "KS-2026-00001 Kumppanuussopimus ikäihmisten liikunnasta"
MISSING = "<MISSING %s>"

# The context each kind is written with (agreements.effects), and the date the message must
# show, per language.
ON_31_12_2029 = {"fi": "31.12.2029", "sv": "31.12.2029", "en": "31 December 2029"}
ON_1_1_2030 = {"fi": "1.1.2030", "sv": "1.1.2030", "en": "1 January 2030"}
ON_1_1_2027 = {"fi": "1.1.2027", "sv": "1.1.2027", "en": "1 January 2027"}
CONTEXTS = {
    "agreement_proposed": ({"title": TITLE, "version": 2}, None),
    "agreement_decided": ({"title": TITLE, "version": 2, "outcome": "approved"}, None),
    "agreement_rectification_requested": ({"title": TITLE, "version": 2}, None),
    "agreement_rectification_decided": (
        {"title": TITLE, "version": 2, "outcome": "changed"},
        None,
    ),
    "agreement_in_force": (
        {"title": TITLE, "version": 1, "starts_on": "2027-01-01", "ends_on": "2029-12-31"},
        ON_31_12_2029,
    ),
    "agreement_renewal_due": ({"title": TITLE, "ends_on": "2029-12-31"}, ON_31_12_2029),
    "agreement_renewed": (
        {
            "title": TITLE,
            "successor": "KS-2029-00007",
            "starts_on": "2030-01-01",
            "ends_on": "2032-12-31",
        },
        ON_1_1_2030,
    ),
    "agreement_terminated": (
        {"title": TITLE, "reason": "Toiminta on päättynyt.", "ends_on": "2029-12-31"},
        ON_31_12_2029,
    ),
    "agreement_cancellation_proposed": (
        {
            "title": TITLE,
            "reason": "Tilat eivät valmistu.",
            "side": "association",
            "starts_on": "2027-01-01",
        },
        ON_1_1_2027,
    ),
    "agreement_cancellation_dropped": (
        {"title": TITLE, "declined": True, "lapsed": False, "starts_on": "2027-01-01"},
        ON_1_1_2027,
    ),
    "agreement_cancelled": (
        {
            "title": TITLE,
            "reason": "Määrärahaa ei myönnetty.",
            "section": "§ 12/2026",
            "starts_on": "2027-01-01",
            "rectification_days": 14,
            "registry_address": "PL 1, 02070 Espoon kaupunki",
            "registry_email": "kirjaamo@espoo.fi",
        },
        ON_1_1_2027,
    ),
    "agreement_cancel_rectification_requested": (
        {"title": TITLE, "section": "§ 12/2026"},
        None,
    ),
    "agreement_cancel_rectification_decided": (
        {"title": TITLE, "section": "§ 12/2026", "outcome": "changed", "starts_on": "2027-01-01"},
        ON_1_1_2027,
    ),
}
# Every deadline reminder (workflow.scans): the deadline's title, due date and association.
REMINDER = (
    {"title": TITLE, "due_on": "2029-12-31", "association": "Eläkeläiset ry", "days_left": 7},
    ON_31_12_2029,
)


def kinds_sent_by_agreements() -> set[str]:
    """Every message kind the agreements code can write: the kinds it tells the parties of,
    and each deadline kind it sets with the reminder phases its default schedule has."""
    messages = {"tell_parties", "notify", "notification_rows"}
    deadline_calls = {"deadline_set", "deadline_close", "schedule_for"}
    kinds, deadline_kinds = set(), set()
    for path in Path(agreements.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            literals = [a.value for a in node.args if isinstance(a, ast.Constant)]
            literals += [
                k.value.value
                for k in node.keywords
                if k.arg == "kind" and isinstance(k.value, ast.Constant)
            ]
            if name in messages:
                kinds.update(v for v in literals if isinstance(v, str))
            elif name in deadline_calls:
                deadline_kinds.update(v for v in literals if isinstance(v, str))
    for kind in deadline_kinds:
        schedule = settings.REMINDER_DEFAULTS[kind]
        if schedule.get("days_before"):
            kinds.add(f"{kind}_before")
        if schedule.get("overdue_to"):
            kinds.add(f"{kind}_overdue")
    return kinds


def render(kind: str, language: str, context: dict) -> tuple[str, str]:
    """Subject and body as the email goes out, from the context as the outbox stores it."""
    stored = json.loads(json.dumps(context, cls=DjangoJSONEncoder))
    person = User(email="someone@example.fi", language=language)
    email = email_for(Notification(recipient=person, kind=kind, language=language, context=stored))
    return email.subject, email.body


@pytest.fixture
def strict_templates(settings):
    """A variable the context lacks shows as <MISSING name> instead of nothing."""
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["OPTIONS"]["string_if_invalid"] = MISSING
    settings.TEMPLATES = templates


def test_every_kind_sent_by_agreements_has_a_template_in_every_language():
    kinds = kinds_sent_by_agreements()
    # The discovery finds what the agreements code is known to send.
    assert {
        "agreement_proposed",
        "agreement_decided",
        "agreement_in_force",
        "agreement_renewal_due",
        "agreement_renewed",
        "agreement_terminated",
        "evaluation_due_before",
        "evaluation_due_overdue",
        "meeting_due_before",
        "meeting_due_overdue",
        "agreement_ends_before",
    } <= kinds
    # The term's end reminds only before it: after it the agreement has ended.
    assert "agreement_ends_overdue" not in kinds
    missing = []
    for kind in sorted(kinds):
        for language in LANGUAGES:
            try:
                get_template(f"notifications/{language}/{kind}.txt")
            except Exception:
                missing.append(f"{language}/{kind}")
    assert missing == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", sorted(kinds_sent_by_agreements()))
def test_each_message_renders_with_its_context_in_each_language(kind, language, strict_templates):
    context, day = CONTEXTS.get(kind, REMINDER)
    subject, body = render(kind, language, context)
    assert subject
    assert "\n" not in subject
    assert TITLE in body
    if day is not None:
        assert day[language] in body
        # Never the ISO form nor the other languages' way.
        assert "2029-12-31" not in subject + body
    for leftover in ("{{", "}}", "{%", "<MISSING"):
        assert leftover not in subject + body


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_proposal_and_its_counter_proposal_read_as_two_messages(language):
    """Listed together (the in-app list, a digest), two versions' subjects must differ."""
    first, _ = render("agreement_proposed", language, {"title": TITLE, "version": 1})
    counter, _ = render("agreement_proposed", language, {"title": TITLE, "version": 2})

    assert first != counter
    assert "2" in counter.replace(TITLE, "")


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_rejection_says_so(language):
    context = {"title": TITLE, "version": 2, "outcome": "rejected"}
    approved, _ = render("agreement_decided", language, {**context, "outcome": "approved"})
    rejected, body = render("agreement_decided", language, context)
    assert rejected != approved
    assert TITLE in rejected
    assert {"fi": "ei hyväksytty", "sv": "godkändes inte", "en": "not approved"}[language] in body


@pytest.mark.django_db
@pytest.mark.parametrize("ending", ["renew", "terminate"])
def test_messages_written_by_the_lifecycle_render_in_every_language(
    active, people, representative, time_machine, strict_templates, ending
):
    """The real contexts effects.py writes fit the templates: nothing missing. Read by the
    side that did not end the agreement (nobody is told of their own action)."""
    time_machine.move_to(at(active.in_force_version.ends_on.replace(month=7, day=4), 1))
    open_renewals()
    if ending == "renew":
        act(active, "renew", people["liaison"])
        reader, ended = representative, "agreement_renewed"
    else:
        act(active, "terminate", representative, reason="Yhdistys lopettaa toimintansa.")
        reader, ended = people["liaison"], "agreement_terminated"
    rows = {row.kind: row for row in Notification.objects.filter(recipient=reader)}
    # The representative proposed the agreement: only the liaison was told of the proposal.
    assert set(rows) == {
        *(["agreement_proposed"] if reader != representative else []),
        "agreement_decided",
        "agreement_in_force",
        "agreement_renewal_due",
        ended,
    }
    for row in rows.values():
        for language in LANGUAGES:
            subject, body = render(row.kind, language, row.context)
            assert active.title in body
            assert "<MISSING" not in subject + body, (row.kind, language, body)
    in_force = render("agreement_in_force", "fi", rows["agreement_in_force"].context)[1]
    assert "1.1.2027–31.12.2029" in in_force
    if ending == "renew":
        renewed = render("agreement_renewed", "en", rows[ended].context)[1]
        assert "from 1 January 2030 to 31 December 2032" in renewed
    else:
        # Notice on 4 July 2029 with three months' notice: in force until 4 October.
        terminated = render("agreement_terminated", "sv", rows[ended].context)[1]
        assert "till och med 4.10.2029" in terminated
        assert "Yhdistys lopettaa toimintansa." in terminated


def _told(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


@pytest.mark.django_db
def test_the_proposer_is_not_told_of_their_own_proposal_the_other_side_is(
    draft, representative, people
):
    act(version_of(draft), "propose", representative)

    assert _told("agreement_proposed") == {people["liaison"].username}


@pytest.mark.django_db
def test_a_counter_proposal_tells_the_association_not_the_liaison_who_made_it(
    draft, representative, people
):
    act(version_of(draft), "propose", representative)
    counter = services.version_draft(
        draft, user=people["liaison"], terms_given={"meetings_per_year": 3}
    )
    act(counter, "propose", people["liaison"])

    rows = Notification.objects.filter(kind="agreement_proposed").order_by("id")
    assert [(row.recipient.username, row.context["version"]) for row in rows] == [
        (people["liaison"].username, 1),
        (representative.username, 2),
    ]


@pytest.mark.django_db
def test_each_agreement_reminder_links_its_readers_to_the_page_where_they_act(active, time_machine):
    """The liaisons record a meeting on its page; the association submits the evaluation on
    its page; the term's end is the agreement's page."""
    time_machine.move_to(at(date(2028, 1, 3), 1))
    open_due_evaluations()
    for deadline in Deadline.objects.filter(next_reminder_at__isnull=False):
        remind_one(deadline.pk, deadline.next_reminder_at)

    pages = {
        (row.kind, resolve(row.context["path"]).url_name, resolve(row.context["path"]).kwargs["pk"])
        for row in Notification.objects.filter(deadline__isnull=False)
    }

    kinds = {kind for kind, _page, _pk in pages}
    assert {"meeting_due_before", "agreement_ends_before", "evaluation_due_before"} <= kinds
    expected = {"meeting_due": "meeting_record", "agreement_ends": "agreement"}
    expected["evaluation_due"] = "evaluation"
    for kind, page, pk in pages:
        assert page == expected[kind.rsplit("_", 1)[0]], kind
        assert pk == active.pk


def test_every_kind_fits_the_outbox_column():
    """A kind longer than the notification's column is a 500 on PostgreSQL (SQLite does not
    check the length)."""
    width = Notification._meta.get_field("kind").max_length
    assert [k for k in kinds_sent_by_agreements() if len(k) > width] == []
