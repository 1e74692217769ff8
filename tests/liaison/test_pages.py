"""The meetings' pages: the workbench (with the warning under two meetings a year), the
association portal, the public page, and who may see and do what on each."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from liaison import services
from liaison.models import AssociationMeeting, LiaisonPerson
from tests.factories import AssociationFactory, UserFactory, represent
from tests.liaison.conftest import at

pytestmark = pytest.mark.django_db
TODAY = date(2027, 3, 1)
MEETING_DAY = date(2027, 3, 18)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(at(TODAY, 9))
    return time_machine


def client_of(user, language: str = "fi") -> Client:
    client = Client(headers={"accept-language": language})
    if user is not None:
        user.language = language
        user.save(update_fields=["language"])
        client.force_login(user)
    return client


@pytest.fixture
def meeting(clock, body, people, associations):
    return services.meeting_plan(
        user=people["liaison"],
        public_body=body,
        starts_at=at(MEETING_DAY, 18),
        place="Kaupungintalo",
        agenda="SALAINEN-ASIALISTA ei, vaan julkinen asialista",
    )


@pytest.fixture
def held(meeting, clock, people, associations):
    clock.move_to(at(MEETING_DAY, 21))
    return services.meeting_record(
        meeting,
        user=people["liaison"],
        minutes="MUISTIO: Maija Meikäläinen kertoi kerhon tilanteesta.",
        public_summary="Keskusteltiin tiloista ja avustuksista.",
        matters=[{"association": associations["swedish"].pk, "matter": "ASIA: kerhotila"}],
    )


def test_the_workbench_warns_while_fewer_than_two_meetings_this_year(clock, body, people, meeting):
    liaison = client_of(people["liaison"], "en")
    page = liaison.get("/workbench/meetings/").content.decode()
    assert "Fewer than 2 meetings in 2027" in page
    assert "has 1 association meeting planned or held this year" in page

    services.meeting_plan(
        user=people["liaison"],
        public_body=body,
        starts_at=at(date(2027, 10, 7), 18),
        place="Kirjasto",
        agenda="Syksyn asiat",
    )
    assert "Fewer than" not in liaison.get("/workbench/meetings/").content.decode()


def test_a_cancelled_meeting_does_not_count_towards_the_two(clock, body, people, meeting):
    services.meeting_cancel(meeting, user=people["liaison"], reason="Sali varattu")
    page = client_of(people["liaison"], "fi").get("/workbench/meetings/").content.decode()
    assert "Alle 2 kokousta vuonna 2027" in page


def test_the_liaison_plans_through_the_page_and_bad_input_is_a_400_in_their_language(
    clock, body, people, associations
):
    liaison = client_of(people["liaison"], "sv")
    assert liaison.get("/workbench/meetings/new/").status_code == 200
    form = {"public_body": body.pk, "time": "18:00", "place": "Sal", "agenda": "A"}
    refused = liaison.post("/workbench/meetings/new/", {**form, "day": "2027-02-01"})
    assert refused.status_code == 400
    assert "Ett möte planeras för en kommande tidpunkt." in refused.content.decode()
    done = liaison.post("/workbench/meetings/new/", {**form, "day": "2027-03-18", "time": "18.30"})
    meeting = AssociationMeeting.objects.get()
    assert done.status_code == 302
    assert done["Location"] == f"/workbench/meetings/{meeting.pk}/"
    assert meeting.starts_at == at(MEETING_DAY, 18, 30)
    assert len(meeting.association_ids) == 3


def test_the_liaison_records_the_meeting_with_its_matters_through_the_page(
    meeting, clock, people, associations
):
    clock.move_to(at(MEETING_DAY, 21))
    liaison = client_of(people["liaison"])
    form = {
        "minutes": "Muistio",
        "public_summary": "Yhteenveto",
        "matters-TOTAL_FORMS": "2",
        "matters-INITIAL_FORMS": "0",
        "matters-0-association": associations["finnish"].pk,
        "matters-0-matter": "Tilavuorot",
        "matters-0-response": "Selvitetään.",
        "matters-1-matter": "",
    }
    assert liaison.get(f"/workbench/meetings/{meeting.pk}/record/").status_code == 200
    assert liaison.post(f"/workbench/meetings/{meeting.pk}/record/", form).status_code == 302
    meeting.refresh_from_db()
    assert meeting.state == AssociationMeeting.State.HELD
    assert [m.matter for m in meeting.matters.all()] == ["Tilavuorot"]


def test_a_foreign_official_sees_nothing_and_a_preparer_may_read_but_not_act(
    meeting, clock, people
):
    foreign = client_of(people["foreign_preparer"])
    assert foreign.get(f"/workbench/meetings/{meeting.pk}/").status_code == 404
    cancel = f"/workbench/meetings/{meeting.pk}/cancel/"
    assert foreign.post(cancel, {"reason": "x"}).status_code == 404
    assert "Kaupungintalo" not in foreign.get("/workbench/meetings/").content.decode()

    preparer = client_of(people["preparer"])
    assert preparer.get(f"/workbench/meetings/{meeting.pk}/").status_code == 200
    assert preparer.post(cancel, {"reason": "x"}).status_code == 403
    assert preparer.get("/workbench/meetings/new/").status_code == 403
    meeting.refresh_from_db()
    assert meeting.state == AssociationMeeting.State.PLANNED


def test_an_association_s_people_see_the_meetings_it_is_invited_to_and_nothing_else(
    held, associations
):
    rep = client_of(associations["rep_sv"], "sv")
    assert rep.get("/workbench/meetings/").status_code == 403
    listing = rep.get("/association/meetings/").content.decode()
    assert f"/association/meetings/{held.pk}/" in listing
    page = rep.get(f"/association/meetings/{held.pk}/").content.decode()
    assert "MUISTIO" in page
    assert "ASIA: kerhotila" in page

    outsider = represent(UserFactory(username="outsider"), AssociationFactory())
    other = client_of(outsider)
    assert other.get(f"/association/meetings/{held.pk}/").status_code == 404
    listing = other.get("/association/meetings/").content.decode()
    assert f"/association/meetings/{held.pk}/" not in listing
    assert (
        client_of(associations["rep_foreign"]).get(f"/association/meetings/{held.pk}/").status_code
        == 404
    )


def test_the_public_page_shows_liaison_people_and_held_meetings_without_private_names(
    held, body, people, meeting
):
    LiaisonPerson.objects.create(
        public_body=body,
        user=people["liaison"],
        title="Järjestöyhdyshenkilö",
        title_sv="Kontaktperson för föreningar",
        duties="Suunnittelee yhdistysillat yhdessä järjestöjen kanssa.",
        duties_sv="Planerar föreningsträffarna tillsammans med föreningarna.",
        working_time_percent=20,
        email="yhdyshenkilo@kunta.example.fi",
        starts_on=date(2027, 1, 1),
    )
    LiaisonPerson.objects.create(
        public_body=body,
        name="Entinen Yhdyshenkilö",
        title="Vapaa-aikasihteeri",
        duties="Entiset tehtävät",
        duties_sv="Tidigare uppgifter",
        working_time_percent=10,
        starts_on=date(2025, 1, 1),
        ends_on=date(2026, 12, 31),
    )
    services.meeting_plan(
        user=people["liaison"],
        public_body=body,
        starts_at=at(date(2027, 9, 1), 18),
        place="TULEVA-PAIKKA",
        agenda="Tuleva",
    )

    anonymous = Client(headers={"accept-language": "sv"})
    response = anonymous.get("/public/liaison/")
    page = response.content.decode()

    assert response.status_code == 200
    assert "Kontaktperson för föreningar" in page
    assert "Planerar föreningsträffarna" in page
    assert "20 %" in page
    assert "yhdyshenkilo@kunta.example.fi" in page
    assert "Entinen" not in page
    assert "Keskusteltiin tiloista ja avustuksista." in page
    for private in ("MUISTIO", "Maija", "ASIA: kerhotila", "TULEVA-PAIKKA", "Föreningen Svenska"):
        assert private not in page
    assert "/public/liaison/" in anonymous.get("/public/").content.decode()


def test_inviting_again_and_the_response_to_a_matter_through_the_pages(
    meeting, clock, people, associations
):
    liaison = client_of(people["liaison"])
    page = liaison.get(f"/workbench/meetings/{meeting.pk}/").content.decode()
    assert f"/workbench/meetings/{meeting.pk}/invite/" in page
    assert liaison.post(f"/workbench/meetings/{meeting.pk}/invite/").status_code == 302
    assert (
        client_of(people["preparer"]).post(f"/workbench/meetings/{meeting.pk}/invite/").status_code
        == 403
    )

    clock.move_to(at(MEETING_DAY, 21))
    held = services.meeting_record(
        meeting,
        user=people["liaison"],
        minutes="Muistio",
        public_summary="Yhteenveto",
        matters=[{"matter": "Kerhotilan vuorot"}],
    )
    matter = held.matters.get()
    liaison = client_of(people["liaison"])  # signed in again: the session of the 1st expired
    respond = f"/workbench/meetings/{meeting.pk}/matters/{matter.pk}/"
    assert liaison.get(respond).status_code == 200
    assert liaison.post(respond, {"response": ""}).status_code == 400
    assert liaison.post(respond, {"response": "Vuorot jaettu."}).status_code == 302
    matter.refresh_from_db()
    assert matter.response == "Vuorot jaettu."


def test_the_minutes_file_reaches_the_invited_and_no_one_else(
    meeting, clock, people, associations, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    clock.move_to(at(MEETING_DAY, 21))
    upload = SimpleUploadedFile("poytakirja.pdf", b"%PDF-1.4 muistio", "application/pdf")
    answer = client_of(people["liaison"]).post(
        f"/workbench/meetings/{meeting.pk}/record/",
        {
            "minutes": "Muistio",
            "public_summary": "Yhteenveto",
            "minutes_file": upload,
            "matters-TOTAL_FORMS": "0",
            "matters-INITIAL_FORMS": "0",
        },
    )
    assert answer.status_code == 302
    url = f"/meetings/{meeting.pk}/minutes/"
    download = client_of(associations["rep_sv"]).get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 muistio"
    assert client_of(associations["rep_foreign"]).get(url).status_code == 404
    assert client_of(people["foreign_preparer"]).get(url).status_code == 404
    assert Client().get(url).status_code == 404


def test_malformed_posts_are_a_400_and_never_save(meeting, clock, body, people):
    clock.move_to(at(MEETING_DAY, 21))
    liaison = client_of(people["liaison"])
    record = f"/workbench/meetings/{meeting.pk}/record/"
    assert liaison.post(record, {"minutes": "M", "public_summary": "S"}).status_code == 400
    assert (
        liaison.post(
            record,
            {
                "minutes": "M",
                "public_summary": "S",
                "matters-TOTAL_FORMS": "1",
                "matters-INITIAL_FORMS": "0",
                "matters-0-association": "999999999",
                "matters-0-matter": "Asia",
            },
        ).status_code
        == 400
    )
    foreign_body = people["foreign_preparer"].official_roles.get().public_body_id
    planned = liaison.post(
        "/workbench/meetings/new/",
        {"public_body": foreign_body, "day": "2027-04-01", "time": "25:00", "place": "S"},
    )
    assert planned.status_code == 400
    assert liaison.get("/workbench/meetings/99999999999999999999/").status_code == 404
    meeting.refresh_from_db()
    assert meeting.state == AssociationMeeting.State.PLANNED
    assert AssociationMeeting.objects.count() == 1
