"""Sending a decided round: every decision of it in one action, each its own message through the
single decision's `notify`, in the association's language, exactly once; all or nothing."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from grants import effects
from grants.models import Application, Channel
from grants.rounds import RoundRefused, round_decide, round_notify, round_propose
from organisations.models import Association
from tests.conftest import as_user
from tests.grants.round_helpers import lines, submitted
from tests.grants.test_round_page import signed_in
from workflow.delivery import deliver_pending
from workflow.models import Notification, TransitionLog

pytestmark = pytest.mark.django_db
S = Application.State


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def decided(call, people):
    """A round of three decided: a Finnish and a Swedish association that consented to
    electronic notification, and one that did not (its decision goes by letter)."""
    apps = submitted(call, 3)
    for app, language, consent in zip(apps, ("fi", "sv", "fi"), (True, True, False), strict=True):
        Association.objects.filter(pk=app.association_id).update(
            language=language, accepts_electronic_notification=consent
        )
    round_propose(call, actor=people["preparer"], lines=lines(apps))
    record = round_decide(call, actor=people["decision_maker"], lines=lines(apps))
    return record, [Application.objects.get(pk=a.pk) for a in apps]


def sent_to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def test_each_association_receives_its_own_decision_once_in_its_language(decided, people):
    record, (finnish, swedish, by_letter) = decided

    result = round_notify(record, actor=people["preparer"])

    assert [a.pk for a in result.sent] == [finnish.pk, swedish.pk]
    assert [a.pk for a in result.by_letter] == [by_letter.pk]
    states = dict(Application.objects.values_list("pk", "state"))
    assert states == {finnish.pk: S.NOTIFIED, swedish.pk: S.NOTIFIED, by_letter.pk: S.DECIDED}
    deliver_pending()
    [to_finnish] = sent_to(finnish.association.email)
    [to_swedish] = sent_to(swedish.association.email)
    assert to_finnish.subject == f"Päätös {finnish.decision_number}: {finnish.title}"
    assert to_swedish.subject == f"Beslut {swedish.decision_number}: {swedish.title}"
    for message, app in ((to_finnish, finnish), (to_swedish, swedish)):
        # The link to the association's own page of the application.
        assert f"/applications/{app.pk}/" in message.body
        [(name, _content, _type)] = message.attachments
        assert name == f"{app.decision_number}.docx"
    assert sent_to(by_letter.association.email) == []
    # The audit record the single decision's sending makes, once each.
    logs = TransitionLog.objects.filter(transition="notify").order_by("object_id")
    assert [(log.object_id, log.actor_id) for log in logs] == [
        (finnish.pk, people["preparer"].pk),
        (swedish.pk, people["preparer"].pk),
    ]
    assert logs[0].data["channel"] == Channel.ELECTRONIC

    # A second time sends nothing twice.
    again = round_notify(record, actor=people["decision_maker"])
    assert again.sent == []
    deliver_pending()
    assert len(sent_to(finnish.association.email)) == 1
    assert len(sent_to(swedish.association.email)) == 1
    assert TransitionLog.objects.filter(transition="notify").count() == 2


def test_a_refusal_names_the_application_and_sends_nothing(decided, people, call):
    record, (first, *_rest) = decided
    call.public_body.registry_email = ""
    call.public_body.save(update_fields=["registry_email"])

    with pytest.raises(RoundRefused) as refused:
        round_notify(record, actor=people["preparer"])

    assert first.association.name in refused.value.message
    assert f" {first.pk})" in refused.value.message  # "(hakemus 1)"
    assert set(Application.objects.values_list("state", flat=True)) == {S.DECIDED}
    assert not Notification.objects.filter(kind="decision_notified").exists()


def test_all_or_nothing_when_a_later_decision_cannot_be_sent(decided, people, monkeypatch):
    record, (first, second, _by_letter) = decided
    check = effects.notification_facts_check

    def refuse_second(app):
        if app.pk == second.pk:
            raise ValidationError("Ei lähetettävissä.")
        check(app)

    monkeypatch.setattr(effects, "notification_facts_check", refuse_second)

    with pytest.raises(RoundRefused) as refused:
        round_notify(record, actor=people["preparer"])

    assert second.association.name in refused.value.message
    # The first, sent before the refusal, was rolled back with the rest.
    assert Application.objects.get(pk=first.pk).state == S.DECIDED
    assert not Notification.objects.filter(kind="decision_notified").exists()


def test_only_the_bodys_preparers_and_decision_makers_send(decided, people):
    record, _apps = decided
    for who in ("liaison", "finance", "foreign_preparer"):
        with pytest.raises(PermissionDenied):
            round_notify(record, actor=people[who])
    assert not Notification.objects.filter(kind="decision_notified").exists()


def url(record) -> str:
    return f"/api/v1/calls/{record.call_id}/round/{record.pk}/notify/"


def test_the_api_sends_the_round_and_a_foreign_body_gets_404(api, decided, people):
    record, (finnish, swedish, by_letter) = decided

    response = as_user(api, people["foreign_preparer"]).post(url(record))
    assert response.status_code == 404
    for wrong in ("999999", "x", str(2**64)):
        response = as_user(api, people["preparer"]).post(
            f"/api/v1/calls/{record.call_id}/round/{wrong}/notify/"
        )
        assert response.status_code == 404, wrong
    assert not Notification.objects.filter(kind="decision_notified").exists()

    response = as_user(api, people["preparer"]).post(url(record))
    assert response.status_code == 200, response.data
    assert response.data == {"sent": [finnish.pk, swedish.pk], "by_letter": [by_letter.pk]}
    response = as_user(api, people["preparer"]).post(url(record))
    assert response.data == {"sent": [], "by_letter": [by_letter.pk]}


def test_the_api_refusal_is_a_409_naming_the_application(api, decided, people, call):
    record, (first, *_rest) = decided
    call.public_body.registry_email = ""
    call.public_body.save(update_fields=["registry_email"])

    response = as_user(api, people["preparer"]).post(url(record))

    assert response.status_code == 409
    assert first.association.name in str(response.data)


def test_the_round_page_sends_the_round_with_its_button(decided, people):
    record, (finnish, _swedish, by_letter) = decided
    page = f"/workbench/calls/{record.call_id}/round/"
    action = f"{page}{record.pk}/notify/"

    assert f'action="{action}"' in signed_in(people["preparer"]).get(page).content.decode()
    assert f'action="{action}"' not in signed_in(people["liaison"]).get(page).content.decode()
    assert signed_in(people["foreign_preparer"]).post(action).status_code == 404
    assert signed_in(people["liaison"]).post(action).status_code == 403

    response = signed_in(people["preparer"]).post(action, follow=True)

    html = response.content.decode()
    assert "2 decisions were sent." in html
    assert "1 decision goes by letter" in html
    assert Application.objects.get(pk=finnish.pk).state == S.NOTIFIED
    assert Application.objects.get(pk=by_letter.pk).state == S.DECIDED
