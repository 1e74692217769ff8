"""Deadlines: one open deadline per (subject, kind), moved rather than duplicated."""

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from tests.factories import ApplicationFactory
from workflow.deadlines import deadline_close, deadline_set, deadlines_of
from workflow.models import Deadline

pytestmark = pytest.mark.django_db

KIND = "test_completion_due"
Status = Deadline.Status


@pytest.fixture
def subject():
    return ApplicationFactory()


def of_kind(subject, kind=KIND):
    return deadlines_of(subject).filter(kind=kind)


def test_deadline_set_opens_one_open_deadline(subject):
    deadline = deadline_set(subject, kind=KIND, due_on=date(2026, 3, 2))

    assert deadline.pk is not None
    assert deadline.status == Status.OPEN
    assert deadline.due_on == date(2026, 3, 2)
    assert deadline.closed_at is None
    assert deadline.subject == subject
    assert list(of_kind(subject)) == [deadline]


def test_second_deadline_set_moves_the_open_one(subject):
    first = deadline_set(subject, kind=KIND, due_on=date(2026, 3, 2))
    second = deadline_set(subject, kind=KIND, due_on=date(2026, 3, 16))

    assert second.pk == first.pk
    assert of_kind(subject).count() == 1
    first.refresh_from_db()
    assert first.due_on == date(2026, 3, 16)
    assert first.status == Status.OPEN


def test_deadlines_of_different_kinds_and_subjects_are_separate(subject):
    other = ApplicationFactory()
    a = deadline_set(subject, kind=KIND, due_on=date(2026, 3, 2))
    b = deadline_set(subject, kind="test_report_due", due_on=date(2026, 5, 4))
    c = deadline_set(other, kind=KIND, due_on=date(2026, 4, 7))

    assert len({a.pk, b.pk, c.pk}) == 3
    assert of_kind(subject).get().due_on == date(2026, 3, 2)
    assert of_kind(subject, "test_report_due").get().due_on == date(2026, 5, 4)
    assert of_kind(other).get().due_on == date(2026, 4, 7)


def test_deadline_close_marks_it_met_with_closed_at(subject):
    deadline = deadline_set(subject, kind=KIND, due_on=date(2026, 3, 2))
    before = timezone.now()

    assert deadline_close(subject, kind=KIND) == 1

    deadline.refresh_from_db()
    assert deadline.status == Status.MET
    assert deadline.closed_at is not None
    assert before <= deadline.closed_at <= timezone.now()


def test_deadline_close_can_cancel(subject):
    deadline = deadline_set(subject, kind=KIND, due_on=date(2026, 3, 2))

    assert deadline_close(subject, kind=KIND, status=Status.CANCELLED) == 1

    deadline.refresh_from_db()
    assert deadline.status == Status.CANCELLED
    assert deadline.closed_at is not None


def test_deadline_close_touches_only_that_kind_and_subject(subject):
    other = ApplicationFactory()
    deadline_set(subject, kind=KIND, due_on=date(2026, 3, 2))
    keep_kind = deadline_set(subject, kind="test_report_due", due_on=date(2026, 5, 4))
    keep_subject = deadline_set(other, kind=KIND, due_on=date(2026, 4, 7))

    assert deadline_close(subject, kind=KIND) == 1

    for kept in (keep_kind, keep_subject):
        kept.refresh_from_db()
        assert kept.status == Status.OPEN
        assert kept.closed_at is None


def test_deadline_close_without_open_deadline_does_nothing(subject):
    assert deadline_close(subject, kind=KIND) == 0

    deadline_set(subject, kind=KIND, due_on=date(2026, 3, 2))
    deadline_close(subject, kind=KIND)
    closed = of_kind(subject).get()

    # Closing again does not touch the closed one (its status and closed_at stay).
    assert deadline_close(subject, kind=KIND, status=Status.CANCELLED) == 0
    again = of_kind(subject).get()
    assert again.status == Status.MET
    assert again.closed_at == closed.closed_at


def test_new_deadline_of_same_kind_after_closing(subject):
    old = deadline_set(subject, kind=KIND, due_on=date(2026, 3, 2))
    deadline_close(subject, kind=KIND)

    new = deadline_set(subject, kind=KIND, due_on=date(2026, 6, 22))

    assert new.pk != old.pk
    assert new.status == Status.OPEN
    assert new.due_on == date(2026, 6, 22)
    old.refresh_from_db()
    assert old.status == Status.MET
    assert old.due_on == date(2026, 3, 2)
    assert of_kind(subject).count() == 2
    assert of_kind(subject).filter(status=Status.OPEN).get() == new


def _create(subject, status=Status.OPEN, due_on=date(2026, 3, 2)):
    return Deadline.objects.create(
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        kind=KIND,
        due_on=due_on,
        status=status,
    )


def test_database_refuses_two_open_deadlines_of_the_same_kind(subject):
    _create(subject)

    with pytest.raises(IntegrityError), transaction.atomic():
        _create(subject, due_on=date(2026, 3, 16))

    assert of_kind(subject).count() == 1


def test_database_allows_closed_deadlines_beside_an_open_one(subject):
    _create(subject, status=Status.MET)
    _create(subject, status=Status.CANCELLED)
    _create(subject, status=Status.MET)
    _create(subject, status=Status.OPEN)

    assert of_kind(subject).count() == 4
    assert of_kind(subject).filter(status=Status.OPEN).count() == 1
