"""The liaison people in the admin: a staff member who is not a superuser keeps only those of
the bodies where they are a liaison or an administrator."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.test import Client

from liaison.models import LiaisonPerson
from organisations.models import OfficialRole
from tests.factories import PublicBodyFactory, UserFactory, grant_role
from workflow.models import TransitionLog

pytestmark = pytest.mark.django_db


def person(body, name: str) -> LiaisonPerson:
    return LiaisonPerson.objects.create(
        public_body=body,
        name=name,
        title="Järjestöyhdyshenkilö",
        duties="Tehtävät",
        duties_sv="Uppgifter",
        working_time_percent=30,
    )


def test_a_staff_liaison_keeps_only_their_body_s_liaison_people(body):
    ours, theirs = person(body, "OMA-HENKILÖ"), person(PublicBodyFactory(), "VIERAS-HENKILÖ")
    staff = grant_role(
        UserFactory(username="staff", is_staff=True), body, OfficialRole.Role.LIAISON
    )
    staff.user_permissions.add(
        *Permission.objects.filter(
            codename__endswith="liaisonperson", content_type__app_label="liaison"
        )
    )
    client = Client()
    client.force_login(staff)

    listing = client.get("/admin/liaison/liaisonperson/").content.decode()
    assert "OMA-HENKILÖ" in listing
    assert "VIERAS-HENKILÖ" not in listing
    assert client.get(f"/admin/liaison/liaisonperson/{ours.pk}/change/").status_code == 200
    assert client.get(f"/admin/liaison/liaisonperson/{theirs.pk}/change/").status_code == 302
    form = client.get("/admin/liaison/liaisonperson/add/").content.decode()
    assert f'value="{body.pk}"' in form
    assert f'value="{theirs.public_body_id}"' not in form


def test_a_change_in_the_admin_is_audited_and_nobody_deletes_one(body):
    ours = person(body, "OMA-HENKILÖ")
    staff = grant_role(
        UserFactory(username="staff", is_staff=True), body, OfficialRole.Role.LIAISON
    )
    staff.user_permissions.add(
        *Permission.objects.filter(
            codename__endswith="liaisonperson", content_type__app_label="liaison"
        )
    )
    client = Client()
    client.force_login(staff)

    response = client.post(
        f"/admin/liaison/liaisonperson/{ours.pk}/change/",
        {
            "public_body": body.pk,
            "name": "OMA-HENKILÖ",
            "title": "Järjestöyhdyshenkilö",
            "duties": "Tehtävät",
            "duties_sv": "Uppgifter",
            "working_time_percent": 50,
            "starts_on": ours.starts_on.isoformat(),
        },
    )

    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.working_time_percent == 50
    logged = TransitionLog.objects.get(object_id=ours.pk, transition="edit")
    assert logged.actor == staff
    assert "working_time_percent" in logged.data["changed"]
    deleting = client.get(f"/admin/liaison/liaisonperson/{ours.pk}/delete/")
    assert deleting.status_code == 403


def test_the_share_of_working_time_is_between_1_and_100(body):
    for share in (0, 101):
        candidate = LiaisonPerson(
            public_body=body,
            name="X",
            title="T",
            duties="D",
            duties_sv="U",
            working_time_percent=share,
        )
        with pytest.raises(ValidationError):
            candidate.full_clean()
