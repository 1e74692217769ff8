"""Links in messages (`workflow.links`): each record's page per audience, registered by its app,
and the page each writer of the outbox chooses for its readers."""

from datetime import timedelta

import pytest
from django.urls import resolve, reverse
from django.utils import timezone

from agreements.models import Agreement, AgreementVersion, Evaluation, Meeting
from finance.models import Payable
from grants.models import Application
from grants.scans import preparers_weekly_digest
from workflow.deadlines import deadline_set
from workflow.links import (
    Audience,
    absolute_url,
    audience_of,
    page_path,
    page_register,
    registered_pages,
)
from workflow.models import Notification, Recipients
from workflow.reminders import Schedule
from workflow.scans import remind_due
from workflow.time_limits import is_working_day

pytestmark = pytest.mark.django_db


def paths(kind: str) -> dict[str, str]:
    """Each recipient's path in the rows of `kind`, by username."""
    return {
        row.recipient.username: row.context["path"]
        for row in Notification.objects.filter(kind=kind).select_related("recipient")
    }


def test_an_absolute_url_is_the_site_and_the_path_with_one_slash(settings):
    settings.SITE_URL = "https://avustus.example.fi/"

    assert absolute_url("/finance/payables/3/") == "https://avustus.example.fi/finance/payables/3/"
    # A message written before messages carried their page opens the home page.
    assert absolute_url(None) == "https://avustus.example.fi/"


def test_a_record_without_a_page_for_the_audience_links_to_the_home_page(application):
    assert page_path(application, Audience.FINANCE) == reverse("home")


def test_an_unknown_audience_is_refused():
    with pytest.raises(ValueError, match="residents"):
        page_register(Application, residents=lambda app: "/")


def test_reminders_go_to_the_association_portal_or_the_workbench():
    assert audience_of(Recipients.ASSOCIATION) == Audience.ASSOCIATION
    assert audience_of(Recipients.PREPARERS) == Audience.OFFICIALS
    assert audience_of(Recipients.LIAISONS) == Audience.OFFICIALS


def test_every_record_with_deadlines_or_messages_has_its_pages():
    pages = registered_pages()

    assert set(pages[Application]) == {Audience.ASSOCIATION, Audience.OFFICIALS}
    for model in (Agreement, AgreementVersion, Evaluation, Meeting):
        assert set(pages[model]) == {Audience.ASSOCIATION, Audience.OFFICIALS}, model
    assert set(pages[Payable]) == {Audience.FINANCE}


def test_a_request_for_completion_links_the_association_to_its_application(
    application, walk, representative
):
    walk(application, "submit", "request_completion")

    assert paths("completion_requested") == {
        representative.username: reverse("associations:application", args=[application.pk])
    }


def test_a_reminder_links_each_audience_to_its_own_portal(application, walk, people):
    """The completion's reminder goes to the association, its overdue notice to the
    preparers: the same application, on two portals."""
    walk(application, "submit", "request_completion")
    for day in range(1, 30):
        remind_due(timezone.now() + timedelta(days=day))

    assert set(paths("completion_due_before").values()) == {
        reverse("associations:application", args=[application.pk])
    }
    assert set(paths("completion_due_overdue").values()) == {
        reverse("officials:application", args=[application.pk])
    }


def test_finance_is_told_of_a_payable_decision_with_the_payable_s_page(
    application, walk, people, time_machine
):
    app = walk(application, "submit", "start_review", "record_step", "decide", "notify")
    time_machine.move_to(timezone.now() + timedelta(days=30))

    app = walk(app, "become_legally_valid")

    assert paths("decision_payable") == {
        people["finance"].username: reverse("finance:payable", args=[app.payables.get().pk])
    }


def test_the_weekly_list_links_the_workbench_and_each_application_on_it(application, people):
    deadline_set(
        application,
        kind="report_due",
        due_on=timezone.localdate() - timedelta(days=3),
        title=application.title,
        association_id=application.association_id,
        public_body_id=application.call.public_body_id,
        schedule=Schedule(),
    )
    monday = timezone.localdate() + timedelta(days=7 - timezone.localdate().weekday())
    while not is_working_day(monday):  # a Monday holiday moves the list to the next day
        monday += timedelta(days=7)
    preparers_weekly_digest(today=monday)

    [row, *_] = Notification.objects.filter(kind="preparer_weekly")
    assert row.context["path"] == reverse("officials:home")
    [item] = row.context["overdue"]
    assert resolve(item["path"]).url_name == "application"
    assert item["path"] == reverse("officials:application", args=[application.pk])
