"""The association register: the YTJ client against the stand-in (its own process, answering
with the recorded examples), the reading kept with the association and shown on its page,
finance refused a payment when the register shows liquidation, bankruptcy or deregistration
(and shown why), the register unreachable, the rate limit, and the weekly check."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone, translation

from celery_app import app as celery_app
from finance import batches, payables
from finance.models import Payment, PaymentBatch
from organisations import tasks, ytj
from organisations.association_register import payment_refusal, register_check, register_read
from organisations.models import Association, RegisterStatus
from tests.conftest import as_user
from tests.factories import AssociationFactory, UserFactory, represent
from tests.organisations.test_api import new_association
from workflow.errors import TransitionConflict
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db

PAYABLE = "/api/v1/finance/payable/"
BATCHES = "/api/v1/finance/batches/"


class FakeTime:
    """The client's clock and sleep: the pacing is measured, not waited for."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds


def client_for(standin, fake: FakeTime | None = None, **options) -> ytj.YtjClient:
    fake = fake or FakeTime()
    return ytj.YtjClient(
        standin.url, sleep=fake.sleep, clock=fake.clock, **{"min_interval": 2, **options}
    )


def answer(standin, association: Association, example: str) -> None:
    standin.control("ytj", answers={association.business_id: example})


def read(standin, association: Association) -> Association:
    with client_for(standin) as client:
        return register_read(association, client=client)


@pytest.fixture
def legally_valid(walk, application):
    """The application granted and legally valid: its payable is in finance's inbox."""
    app = walk(application, "submit", "start_review", "record_step", "decide", "notify")
    with time_machine.travel(timezone.now() + timedelta(days=30)):
        yield walk(app, "become_legally_valid")


def test_a_reading_fills_name_form_address_and_status(standin, association, representative, client):
    association.street_address = association.postal_code = association.post_office = ""
    association.save()
    answer(standin, association, "ytj_registered")

    with time_machine.travel("2026-12-06 03:00 +0200", tick=False):
        association = read(standin, association)

    assert association.name == "Kallion Kuoro ry"  # the current name, not the earlier one
    assert association.register_form == "Aatteellinen yhdistys"
    assert association.address_lines == ["Kolmas linja 11 B 7", "00530 HELSINKI"]
    assert association.register_status == RegisterStatus.REGISTERED
    assert association.register_read_at is not None
    log = TransitionLog.objects.get(object_id=association.pk, transition="read_register")
    assert log.data["status"] == "registered"
    assert "name" in log.data["changed"]

    client.force_login(representative)
    page = client.get(f"/accounts/associations/{association.pk}/", HTTP_ACCEPT_LANGUAGE="fi")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Rekisterissä" in text
    assert "6.12.2026" in text  # when it was read


def test_the_associations_own_postal_address_is_kept(standin, association):
    association.street_address = "Oma osoite 1"
    association.save()
    answer(standin, association, "ytj_registered")

    association = read(standin, association)

    assert association.street_address == "Oma osoite 1"


def test_another_associations_register_reading_is_not_shown(client, representative):
    foreign = AssociationFactory(register_status=RegisterStatus.BANKRUPTCY)
    client.force_login(representative)

    assert client.get(f"/accounts/associations/{foreign.pk}/").status_code == 404


@pytest.mark.parametrize(
    ("example", "status", "since"),
    [
        ("ytj_liquidation", RegisterStatus.LIQUIDATION, "2026-10-20"),
        ("ytj_bankruptcy", RegisterStatus.BANKRUPTCY, "2026-09-01"),
        ("ytj_deregistered", RegisterStatus.DEREGISTERED, "2026-08-31"),
        ("ytj_not_found", RegisterStatus.NOT_FOUND, None),
    ],
)
def test_what_the_register_says_becomes_the_status(standin, association, example, status, since):
    answer(standin, association, example)

    association = read(standin, association)

    assert association.register_status == status
    assert str(association.register_since) == str(since)
    with translation.override("fi"):
        assert payment_refusal(association) != ""


def test_a_liquidation_stops_the_payment_and_finance_sees_why(
    standin, legally_valid, association, people, api, client
):
    answer(standin, association, "ytj_liquidation")
    read(standin, association)
    payable = legally_valid.payables.get()
    finance = as_user(api, people["finance"])

    response = finance.post(
        f"{PAYABLE}{payable.pk}/payments/",
        {"amount": "5000.00", "paid_on": timezone.localdate().isoformat()},
        HTTP_ACCEPT_LANGUAGE="sv",
    )

    assert response.status_code == 409, response.data
    assert "likvidation" in str(response.data).lower()
    assert not Payment.objects.exists()
    with pytest.raises(TransitionConflict):
        batches.payment_batch_create(
            user=people["finance"],
            public_body_id=payable.public_body_id,
            payable_ids=[payable.pk],
            execution_date=timezone.localdate(),
        )
    assert not PaymentBatch.objects.exists()

    client.force_login(people["finance"])
    inbox = client.get("/finance/", HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert "Selvitystilassa" in inbox


def test_a_registered_association_is_paid(standin, legally_valid, association, people):
    answer(standin, association, "ytj_registered")
    read(standin, association)
    payable = legally_valid.payables.get()

    payables.payment_record_for(
        payable.pk, user=people["finance"], amount=Decimal("5000.00"), paid_on=timezone.localdate()
    )

    assert Payment.objects.filter(payable=payable).count() == 1


def test_an_unregistered_group_is_paid_under_its_responsible_person(
    standin, legally_valid, association, people, representative, client
):
    association.business_id = None
    association.register_number = ""
    association.responsible_person = "Maija Meikäläinen"
    association.save()
    association = read(standin, association)

    # In no register: nothing read, nothing to block its payment.
    assert association.register_status == ""
    assert payment_refusal(association) == ""
    client.force_login(representative)
    page = client.get(f"/accounts/associations/{association.pk}/", HTTP_ACCEPT_LANGUAGE="fi")
    assert "Hakee vastuuhenkilön Maija Meikäläinen nimissä." in page.content.decode()
    client.force_login(people["finance"])
    inbox = client.get("/finance/", HTTP_ACCEPT_LANGUAGE="fi").content.decode()
    assert "Rekisteröimätön ryhmä – vastuuhenkilö: Maija Meikäläinen" in inbox
    payable = legally_valid.payables.get()
    payables.payment_record_for(
        payable.pk, user=people["finance"], amount=Decimal("5000.00"), paid_on=timezone.localdate()
    )
    assert Payment.objects.filter(payable=payable).exists()


def test_the_register_unreachable_keeps_the_last_reading_and_a_stale_one_waits(
    standin, legally_valid, association, people, api, settings
):
    settings.REGISTER_CHECK = True
    answer(standin, association, "ytj_registered")
    read(standin, association)
    standin.control("ytj", down=True)

    with pytest.raises(ytj.RegisterUnavailable):
        read(standin, association)
    association.refresh_from_db()
    assert association.register_status == RegisterStatus.REGISTERED
    assert association.register_error == "HTTP 503"

    with time_machine.travel(timezone.now() + timedelta(days=20)):
        payable = legally_valid.payables.get()
        response = as_user(api, people["finance"]).post(
            f"{PAYABLE}{payable.pk}/payments/",
            {"amount": "5000.00", "paid_on": timezone.localdate().isoformat()},
            HTTP_ACCEPT_LANGUAGE="fi",
        )

    assert response.status_code == 409, response.data
    assert "14" in str(response.data)
    assert not Payment.objects.exists()


def test_a_reading_within_the_limit_lets_the_payment_through_with_the_check_on(
    standin, association, settings
):
    settings.REGISTER_CHECK = True
    answer(standin, association, "ytj_registered")
    association = read(standin, association)

    assert payment_refusal(association) == ""
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        assert payment_refusal(association) != ""


def test_a_429_is_honoured_for_as_long_as_retry_after_says(standin, association):
    standin.control("ytj", answers={association.business_id: "ytj_registered"})
    standin.control("ytj", rate_limit={"count": 1, "retry_after": 7})
    fake = FakeTime()

    with client_for(standin, fake) as client:
        facts = client.company(association.business_id)

    assert facts.found
    assert [entry["status"] for entry in standin.log()] == [429, 200]
    assert fake.sleeps == [7.0]  # the wait the service asked for, not the pacing's 2 s


def test_requests_are_paced_within_the_rate_limit(standin):
    fake = FakeTime()
    associations = AssociationFactory.create_batch(3)

    with client_for(standin, fake, min_interval=2) as client:
        counts = register_check(associations, client)

    assert counts == {"read": 3, "failed": 0}
    assert fake.sleeps == [2.0, 2.0]


def test_retries_give_up_after_the_limit_with_backoff(standin, association):
    standin.control("ytj", down=True)
    fake = FakeTime()

    with (
        client_for(standin, fake, retries=2, min_interval=1) as client,
        pytest.raises(ytj.RegisterUnavailable),
    ):
        client.company(association.business_id)

    assert len(standin.log()) == 3
    assert fake.sleeps == [1.0, 2.0]  # backoff 1 s, 2 s between the three attempts


def test_an_answer_not_in_the_documented_shape_is_no_answer(standin, association):
    answer(standin, association, "ytj_malformed")

    with pytest.raises(ytj.RegisterUnavailable):
        read(standin, association)
    association.refresh_from_db()
    assert association.register_status == ""
    assert association.register_error.startswith("unexpected answer")


def test_the_weekly_check_reads_the_associations_with_money_open(
    standin, legally_valid, association, settings
):
    settings.REGISTER_CHECK = True
    settings.YTJ_MIN_INTERVAL_SECONDS = 0
    idle = AssociationFactory()
    represent(legally_valid.created_by, idle)
    answer(standin, association, "ytj_bankruptcy")

    assert list(tasks.associations_with_money_open()) == [association]
    assert tasks.check_association_register() == {"read": 1, "failed": 0}
    association.refresh_from_db()
    assert association.register_status == RegisterStatus.BANKRUPTCY
    assert celery_app.conf.beat_schedule["check-association-register"]["task"] == (
        "organisations.tasks.check_association_register"
    )


def test_without_the_check_on_the_weekly_task_reads_nothing(standin, legally_valid):
    assert tasks.check_association_register() == {"read": 0, "failed": 0}
    assert standin.log() == []


def test_a_newly_registered_association_is_read_from_the_register(
    standin, api, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.REGISTER_CHECK = True
    settings.YTJ_MIN_INTERVAL_SECONDS = 0
    payload = new_association(7)
    standin.control("ytj", answers={payload["business_id"]: "ytj_registered"})
    # The worker's part, run here: the task as the worker would run it.
    task = tasks.read_association_register
    monkeypatch.setattr(task, "apply_async", lambda args, **options: task(*args))

    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(api, UserFactory()).post("/api/v1/associations/", payload)

    assert response.status_code == 201, response.data
    association = Association.objects.get(pk=response.data["id"])
    assert association.name == "Kallion Kuoro ry"
    assert association.register_status == RegisterStatus.REGISTERED
