"""A public body's year for bench/pages.py, written in bulk: the point is the size of the
tables the pages read, so the rows are inserted directly (bulk_create, in batches) rather than
walked through the transition service (the tests walk them).

What is built: one public body, its four officials and 400 associations; CALLS calls with the
applications spread over every state (SPREAD), two budget lines each, approval runs and steps
for those in review, deadlines, a submission record each, payables and 40 partnership
agreements; and one more call, the round, with ROUND_APPLICATIONS applications waiting for a
proposal or a decision (half proposed: their preparer's step done with an amount and reasons),
the size of a municipality's round for a board meeting (issue 14)."""

import itertools
from datetime import timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from agreements import services as agreement_services
from finance.models import Payable
from grants.models import Application, BudgetLine, Call
from organisations.models import OfficialRole
from tests.factories import (
    AssociationFactory,
    PublicBodyFactory,
    UserFactory,
    chain_with_steps,
    grant_role,
    represent,
)
from workflow.models import ApprovalRun, Deadline, StepRecord, TransitionLog

Role = OfficialRole.Role
S = Application.State
# How the applications spread over the states, in tenths of a percent.
SPREAD = [
    (S.DRAFT, 50),
    (S.SUBMITTED, 150),
    (S.RETURNED, 50),
    (S.IN_REVIEW, 150),
    (S.DECIDED, 50),
    (S.NOTIFIED, 50),
    (S.LEGALLY_VALID, 100),
    (S.PAID, 200),
    (S.REPORT_SUBMITTED, 50),
    (S.CLOSED, 150),
]
ASSOCIATIONS = 400
CALLS = 20
ROUND_APPLICATIONS = 300
ROUND_CALL = "Kohdeavustukset, kierros"
BATCH = 2000
# The fewest applications with every state of SPREAD and the round: a page's queries counted
# there and at the full size must be the same (bench/pages.py).
SMALLEST = sum(n for _, n in SPREAD) + ROUND_APPLICATIONS


def _people(body):
    return {
        "preparer": grant_role(UserFactory(username="preparer"), body, Role.PREPARER),
        "decision_maker": grant_role(UserFactory(username="dm"), body, Role.DECISION_MAKER),
        "liaison": grant_role(UserFactory(username="liaison"), body, Role.LIAISON),
        "finance": grant_role(UserFactory(username="finance"), body, Role.FINANCE),
    }


def populate(count: int) -> dict:
    now = timezone.now()
    body = PublicBodyFactory()
    people = _people(body)
    chain = chain_with_steps(body, (Role.PREPARER,), (Role.DECISION_MAKER,))
    associations = [AssociationFactory() for _ in range(ASSOCIATIONS)]
    people["representative"] = represent(UserFactory(username="rep"), associations[0])
    calls = Call.objects.bulk_create(
        Call(
            public_body=body,
            name=f"Avustushaku {i}",
            category=Call.Category.GENERAL,
            opens_at=now - timedelta(days=200 - i),
            closes_at=now + timedelta(days=30 + i),
            budget=Decimal("10000000"),
            max_per_application=Decimal("20000"),
            chain=chain,
            report_due_days=90,
        )
        for i in range(CALLS)
    )
    states = list(itertools.chain.from_iterable([s] * n for s, n in SPREAD))
    applications = Application.objects.bulk_create(
        (
            _application(i, states[i % len(states)], calls, associations, people, now)
            for i in range(count - ROUND_APPLICATIONS)
        ),
        batch_size=BATCH,
    )
    round_applications = _round(body, chain, associations, people, now)
    applications += round_applications
    BudgetLine.objects.bulk_create(
        (
            BudgetLine(application=a, position=p, description=d, amount=Decimal(amount))
            for a in applications
            for p, d, amount in ((1, "Ohjaajat", "3000"), (2, "Tilat", "2000"))
        ),
        batch_size=BATCH,
    )
    _review(applications, chain, people)
    _proposals(round_applications[::2], people)
    _deadlines(applications, body)
    _history(applications, people)
    _payables(applications, body)
    _agreements(body, associations, people)
    return people


def _round(body, chain, associations, people, now) -> list[Application]:
    """The round's call: its applications submitted, every other one taken into review."""
    call = Call.objects.create(
        public_body=body,
        name=ROUND_CALL,
        category=Call.Category.GENERAL,
        opens_at=now - timedelta(days=60),
        closes_at=now - timedelta(days=1),
        budget=Decimal("1000000"),
        max_per_application=Decimal("20000"),
        chain=chain,
        report_due_days=90,
    )
    return Application.objects.bulk_create(
        _application(i, (S.SUBMITTED, S.IN_REVIEW)[i % 2], [call], associations, people, now)
        for i in range(ROUND_APPLICATIONS)
    )


def _proposals(applications, people) -> None:
    """The preparer's step done with a proposal, as `round_propose` leaves it."""
    StepRecord.objects.filter(
        run__object_id__in=[a.pk for a in applications if a.state == S.IN_REVIEW],
        run__content_type=ContentType.objects.get_for_model(Application),
        position=1,
    ).update(
        status=StepRecord.Status.DONE,
        actor=people["preparer"],
        acted_at=timezone.now(),
        data={"proposed_amount": "4000.00", "reasons": "Toiminta on avustettavaa."},
    )


def _application(i, state, calls, associations, people, now) -> Application:
    decided = state not in (S.DRAFT, S.SUBMITTED, S.RETURNED, S.IN_REVIEW)
    return Application(
        call=calls[i % len(calls)],
        association=associations[i % len(associations)],
        state=state,
        created_by=people["representative"],
        created_at=now - timedelta(minutes=i),
        requested_amount=Decimal("5000"),
        purpose=f"Toimintaa {i}",
        submitted_at=None if state == S.DRAFT else now - timedelta(minutes=i),
        outcome="approved" if decided else "",
        granted_amount=Decimal("5000") if decided else None,
        reasons="Perustelut." if decided else "",
        decided_at=now - timedelta(days=30) if decided else None,
        decision_number=f"AV-2026-{i:05d}" if decided else "",
        legally_valid_on=(now - timedelta(days=5)).date() if decided else None,
    )


def _review(applications, chain, people) -> None:
    content_type = ContentType.objects.get_for_model(Application)
    in_review = [a for a in applications if a.state == S.IN_REVIEW]
    runs = ApprovalRun.objects.bulk_create(
        (
            ApprovalRun(content_type=content_type, object_id=a.pk, chain=chain, chain_version=1)
            for a in in_review
        ),
        batch_size=BATCH,
    )
    StepRecord.objects.bulk_create(
        (
            StepRecord(run=run, position=p, name=f"Step {p}", role=role)
            for run in runs
            for p, role in ((1, Role.PREPARER), (2, Role.DECISION_MAKER))
        ),
        batch_size=BATCH,
    )


def _deadlines(applications, body) -> None:
    content_type = ContentType.objects.get_for_model(Application)
    today = timezone.localdate()
    kinds = {S.RETURNED: "completion_due", S.PAID: "report_due"}
    Deadline.objects.bulk_create(
        (
            Deadline(
                content_type=content_type,
                object_id=a.pk,
                kind=kinds[a.state],
                due_on=today + timedelta(days=a.pk % 60 - 10),
                title=f"Hakemus {a.pk}",
                association_id=a.association_id,
                public_body_id=body.pk,
            )
            for a in applications
            if a.state in kinds
        ),
        batch_size=BATCH,
    )


def _history(applications, people) -> None:
    content_type = ContentType.objects.get_for_model(Application)
    TransitionLog.objects.bulk_create(
        (
            TransitionLog(
                kind=TransitionLog.Kind.TRANSITION,
                content_type=content_type,
                object_id=a.pk,
                from_state="draft",
                to_state="submitted",
                transition="submit",
                actor=people["representative"],
            )
            for a in applications
            if a.state != S.DRAFT
        ),
        batch_size=BATCH,
    )


def _payables(applications, body) -> None:
    content_type = ContentType.objects.get_for_model(Application)
    Payable.objects.bulk_create(
        (
            Payable(
                content_type=content_type,
                object_id=a.pk,
                source=f"decision:{a.decision_number}",
                public_body=body,
                association_id=a.association_id,
                amount=a.granted_amount,
                decision_number=a.decision_number,
                decided_on=a.legally_valid_on,
                payable_on=a.legally_valid_on,
                title=a.purpose,
            )
            for a in applications
            if a.state in (S.LEGALLY_VALID, S.PAID)
        ),
        batch_size=BATCH,
    )


def _agreements(body, associations, people) -> None:
    start = timezone.localdate().replace(month=1, day=1)
    for i, association in enumerate(associations[:40]):
        agreement_services.agreement_create(
            user=people["liaison"],
            public_body=body,
            associations=[association],
            terms_given={
                "title": f"Kumppanuussopimus {i}",
                "purpose": "Yhteiset tavoitteet.",
                "starts_on": start,
                "ends_on": start.replace(year=start.year + 2) - timedelta(days=1),
                "public_body_responsibilities": "Tilat.",
                "association_responsibilities": "Toiminta.",
                "goals": [{"title": "Ryhmät", "indicator": "Osallistujia", "target": 100}],
                "resources": [],
            },
        )


# The pages people open first, each as the person who uses it: (label, user, URL name, record).
MAIN_PAGES = [
    ("association: home", "representative", "associations:home", None),
    ("association: applications", "representative", "associations:applications", None),
    ("association: an application", "representative", "associations:application", "own"),
    ("workbench: work waiting", "preparer", "officials:home", None),
    ("workbench: applications", "preparer", "officials:applications", None),
    ("workbench: an application", "preparer", "officials:application", "in_review"),
    ("workbench: dashboard", "preparer", "officials:dashboard", None),
    ("workbench: deadlines", "preparer", "officials:deadlines", None),
    ("workbench: calls", "preparer", "officials:calls", None),
    ("workbench: the round", "preparer", "officials:round", "round"),
    ("workbench: the yearly association report", "preparer", "report:yearly", None),
    ("workbench: association meetings", "preparer", "liaison:workbench", None),
    ("finance: inbox", "finance", "finance:home", None),
    ("finance: paid", "finance", "finance:paid", None),
    ("finance: recovery claims", "finance", "finance:recovery_claims", None),
    ("partnerships: agreements", "liaison", "partnerships:home", None),
]


def main_pages(people: dict) -> list[tuple[str, str, str]]:
    records = {
        "own": Application.objects.filter(association__roles__user=people["representative"])
        .exclude(state=S.DRAFT)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first(),
        "in_review": Application.objects.filter(state=S.IN_REVIEW)
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first(),
        "round": Call.objects.get(name=ROUND_CALL).pk,
    }
    return [
        (label, user, reverse(name, args=[records[record]] if record else []))
        for label, user, name, record in MAIN_PAGES
    ]
