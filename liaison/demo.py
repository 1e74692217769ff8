"""The demo's liaison person and its next association meeting: the city's liaison Jarmo, with
duties written as seed 003's model describes them, and an association meeting three weeks
ahead to which every association of the city is invited (run after the grants' and the
agreements' demo, so the city has associations)."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from liaison import services
from liaison.models import AssociationMeeting, LiaisonPerson
from organisations.demo import MUNICIPALITY_ID
from organisations.models import PublicBody, User

DUTIES = (
    "Osallistuu järjestöjen ja julkisen sektorin yhteistyöfoorumeihin. Suunnittelee "
    "yhdistysillat yhdessä järjestöjen kanssa. Tiedottaa kaupungin ja yhdistysten välillä. "
    "Suunnittelee yhdistysten tilojen käyttöä ja avustustoimintaa. Edistää "
    "hyvinvointikertomuksen painopisteiden mukaista yhteistoimintaa."
)
DUTIES_SV = (
    "Deltar i samarbetsforumen mellan föreningar och den offentliga sektorn. Planerar "
    "föreningsträffarna tillsammans med föreningarna. Informerar mellan staden och "
    "föreningarna. Planerar föreningarnas användning av lokaler och bidragsverksamheten. "
    "Främjar samarbetet enligt välfärdsberättelsens tyngdpunkter."
)
DUTIES_EN = (
    "Takes part in the forums where associations and the public sector cooperate. Plans the "
    "association meetings together with the associations. Keeps the city and the associations "
    "informed of each other. Plans the associations' use of premises and the grants. Furthers "
    "cooperation on the priorities of the welfare report."
)


@transaction.atomic
def load_liaison() -> None:
    city = PublicBody.objects.get(business_id=MUNICIPALITY_ID)
    jarmo = User.objects.get(username="jarmo")
    LiaisonPerson.objects.create(
        public_body=city,
        user=jarmo,
        title="Järjestöyhdyshenkilö",
        title_sv="Kontaktperson för föreningar",
        title_en="Liaison officer",
        duties=DUTIES,
        duties_sv=DUTIES_SV,
        duties_en=DUTIES_EN,
        working_time_percent=20,
        email=jarmo.email,
        phone=jarmo.phone or city.phone,
        starts_on=timezone.localdate().replace(month=1, day=1),
    )
    day = timezone.localdate() + timedelta(days=21)
    if not AssociationMeeting.objects.filter(public_body=city).exists():
        services.meeting_plan(
            user=jarmo,
            public_body=city,
            starts_at=timezone.make_aware(datetime.combine(day, time(18))),
            place="Kaupungintalo, valtuustosali",
            agenda=(
                "1. Asukkaiden hyvinvointi: voimavarat ja haasteet\n"
                "2. Yhdistysten toimintaedellytykset: avustukset ja maksuttomat tilat\n"
                "3. Käytännön yhteistyö ja tiedotus\n"
                "4. Yhdistysten esiin nostamat asiat"
            ),
        )
