"""The in-app notifications API and a person's own language and delivery preferences."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine

from organisations.models import User
from tests.conftest import as_user
from tests.factories import UserFactory
from workflow.delivery import deliver_pending
from workflow.models import Notification
from workflow.outbox import notify

pytestmark = pytest.mark.django_db

URL = "/api/v1/notifications/"
ME = "/api/v1/me/"
HELSINKI = ZoneInfo("Europe/Helsinki")
CONTEXT = {"title": "Kerho", "due_on": date(2026, 7, 3)}


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=HELSINKI)


@pytest.fixture
def me():
    return UserFactory(username="me", language="sv")


@pytest.fixture
def someone():
    return UserFactory(username="someone", language="fi")


@pytest.fixture
def mine(me, someone):
    """Two of mine (written a day apart) and one of someone else's."""
    with time_machine.travel(at(date(2026, 6, 3)), tick=False):
        notify([me, someone], kind="report_due_before", key="a", context=CONTEXT)
    with time_machine.travel(at(date(2026, 7, 6)), tick=False):
        notify([me], kind="report_due_overdue", key="b", context=CONTEXT)
    return list(Notification.objects.filter(recipient=me).order_by("created_at"))


def other_of(someone):
    return Notification.objects.get(recipient=someone)


# --- notifications --------------------------------------------------------------------------


def test_list_shows_only_my_own_newest_first_with_subject_in_my_language(api, me, mine, someone):
    response = as_user(api, me).get(URL)

    assert response.status_code == 200
    assert response.data["count"] == 2
    results = response.data["results"]
    assert [r["id"] for r in results] == [mine[1].pk, mine[0].pk]
    assert [r["kind"] for r in results] == ["report_due_overdue", "report_due_before"]
    assert results[0]["subject"] == (
        "Redovisningen för bidraget är försenad (förfallodag 3.7.2026)"
    )
    assert results[1]["subject"] == "Redovisningen för bidraget ska lämnas senast 3.7.2026"
    assert results[1]["status"] == "pending"
    assert results[1]["read_at"] is None
    assert results[1]["legally_significant"] is False
    assert results[1]["context"]["due_on"] == "2026-07-03"
    assert other_of(someone).pk not in {r["id"] for r in results}


def test_someone_else_sees_their_own_in_their_language(api, mine, someone):
    response = as_user(api, someone).get(URL)

    assert [r["id"] for r in response.data["results"]] == [other_of(someone).pk]
    assert response.data["results"][0]["subject"] == "Avustuksen selvitys erääntyy 3.7.2026"


def test_sent_notifications_show_as_sent(api, me, mine):
    deliver_pending()

    results = as_user(api, me).get(URL).data["results"]

    assert {r["status"] for r in results} == {"sent"}
    assert all(r["sent_at"] for r in results)


def test_another_persons_notification_is_not_found(api, me, mine, someone):
    other = other_of(someone)
    client = as_user(api, me)

    assert client.get(f"{URL}{other.pk}/").status_code == 404
    assert client.post(f"{URL}{other.pk}/read/").status_code == 404
    assert client.get(f"{URL}{other.pk + 1000}/").status_code == 404

    other.refresh_from_db()
    assert other.read_at is None


def test_retrieve_my_own(api, me, mine):
    response = as_user(api, me).get(f"{URL}{mine[0].pk}/")

    assert response.status_code == 200
    assert response.data["id"] == mine[0].pk


def test_mark_read_sets_read_at_once(api, me, mine):
    client = as_user(api, me)
    with time_machine.travel(at(date(2026, 7, 7), 10), tick=False):
        response = client.post(f"{URL}{mine[0].pk}/read/")

    assert response.status_code == 200
    assert response.data["id"] == mine[0].pk
    assert response.data["read_at"] is not None
    mine[0].refresh_from_db()
    assert mine[0].read_at == at(date(2026, 7, 7), 10)

    # Reading it again keeps the first time; the other one stays unread.
    with time_machine.travel(at(date(2026, 7, 8), 10), tick=False):
        again = client.post(f"{URL}{mine[0].pk}/read/")
    assert again.status_code == 200
    mine[0].refresh_from_db()
    assert mine[0].read_at == at(date(2026, 7, 7), 10)
    mine[1].refresh_from_db()
    assert mine[1].read_at is None


def test_notifications_need_sign_in(api, mine):
    assert api.get(URL).status_code in (401, 403)
    assert api.post(f"{URL}{mine[0].pk}/read/").status_code in (401, 403)
    mine[0].refresh_from_db()
    assert mine[0].read_at is None


def test_notifications_cannot_be_written_through_the_api(api, me, mine):
    client = as_user(api, me)

    assert client.post(URL, {"kind": "x"}).status_code == 405
    assert client.patch(f"{URL}{mine[0].pk}/", {"read_at": None}).status_code == 405
    assert client.delete(f"{URL}{mine[0].pk}/").status_code == 405
    assert Notification.objects.count() == 3


# --- me: language and notification delivery ---------------------------------------------------


def test_me_shows_language_and_delivery(api, me):
    response = as_user(api, me).get(ME)

    assert response.status_code == 200
    assert response.data["language"] == "sv"
    assert response.data["notification_delivery"] == "immediate"


@pytest.mark.parametrize(
    ("body", "field", "value"),
    [
        ({"language": "en"}, "language", "en"),
        ({"language": "fi"}, "language", "fi"),
        ({"notification_delivery": "daily_digest"}, "notification_delivery", "daily_digest"),
    ],
)
def test_patch_me_changes_a_preference(api, me, body, field, value):
    response = as_user(api, me).patch(ME, body)

    assert response.status_code == 200
    assert response.data[field] == value
    me.refresh_from_db()
    assert getattr(me, field) == value


def test_patch_me_changes_both_and_back(api, me):
    client = as_user(api, me)

    response = client.patch(ME, {"language": "en", "notification_delivery": "daily_digest"})
    assert response.status_code == 200
    me.refresh_from_db()
    assert (me.language, me.notification_delivery) == ("en", "daily_digest")

    client.patch(ME, {"notification_delivery": "immediate"})
    me.refresh_from_db()
    assert (me.language, me.notification_delivery) == ("en", "immediate")


@pytest.mark.parametrize(
    "body",
    [
        {"language": "de"},
        {"language": ""},
        {"language": None},
        {"notification_delivery": "weekly"},
        {"notification_delivery": ""},
        {"language": "en", "notification_delivery": "hourly"},
    ],
)
def test_patch_me_refuses_unknown_values(api, me, body):
    response = as_user(api, me).patch(ME, body)

    assert response.status_code == 400
    me.refresh_from_db()
    assert (me.language, me.notification_delivery) == ("sv", "immediate")


def test_patch_me_ignores_fields_that_are_not_preferences(api, me):
    response = as_user(api, me).patch(ME, {"username": "root", "language": "en"})

    assert response.status_code == 200
    me.refresh_from_db()
    assert me.username == "me"
    assert me.language == "en"


def test_patch_me_needs_sign_in(api):
    assert api.patch(ME, {"language": "en"}).status_code in (401, 403)


def test_new_language_applies_to_the_next_notifications(api, me):
    as_user(api, me).patch(ME, {"language": "en"})
    notify([User.objects.get(pk=me.pk)], kind="report_due_before", key="c", context=CONTEXT)

    results = as_user(api, me).get(URL).data["results"]

    assert results[0]["subject"] == "The grant report is due on 3 July 2026"


def test_daily_digest_choice_holds_optional_notifications(api, me):
    as_user(api, me).patch(ME, {"notification_delivery": "daily_digest"})
    notify([User.objects.get(pk=me.pk)], kind="report_due_before", key="c", context=CONTEXT)

    assert Notification.objects.get().status == Notification.Status.DIGEST
