"""The demo municipality's catalogue of free premises: two entries, one of which the seniors'
agreement lends (agreements.demo)."""

from decimal import Decimal

from organisations.models import PublicBody
from premises.models import Premises

ENTRIES = [
    {
        "name": "Seniorikeskus, liikuntasali",
        "name_sv": "Seniorcentret, gymnastiksal",
        "name_en": "Senior centre, gym hall",
        "address": "Puistotie 4",
        "postal_code": "99100",
        "town": "Esimerkkilä",
        "step_free_access": True,
        "accessible_toilet": True,
        "induction_loop": True,
        "accessibility": "Sisäänkäynti pihan puolelta luiskaa pitkin; hissi toiseen kerrokseen.",
        "accessibility_sv": "Ingång från gården längs en ramp; hiss till andra våningen.",
        "accessibility_en": "Entrance from the yard by a ramp; lift to the first floor.",
        "capacity": 60,
        "hours_available": "ma–pe 17–21\nla 10–16",
        "hours_available_sv": "mån–fre 17–21\nlör 10–16",
        "hours_available_en": "Mon–Fri 17–21\nSat 10–16",
        "booking_email": "tilavaraus@esimerkkila.example.fi",
        "booking_phone": "09 123 4600",
        "value_per_hour": Decimal("25.00"),
    },
    {
        "name": "Nuorisotalo, kerhohuone",
        "name_sv": "Ungdomsgården, klubbrum",
        "name_en": "Youth centre, club room",
        "address": "Koulukatu 12",
        "postal_code": "99130",
        "town": "Esimerkkilä",
        "step_free_access": False,
        "accessibility": "Kerhohuone on toisessa kerroksessa, ei hissiä.",
        "accessibility_sv": "Klubbrummet ligger på andra våningen, ingen hiss.",
        "accessibility_en": "The club room is on the first floor, no lift.",
        "capacity": 20,
        "hours_available": "ma–to 16–20",
        "hours_available_sv": "mån–tor 16–20",
        "hours_available_en": "Mon–Thu 16–20",
        "booking_email": "nuorisotalo@esimerkkila.example.fi",
        "value_per_hour": Decimal("12.00"),
    },
]


def premises_create(city: PublicBody) -> dict[str, Premises]:
    """The catalogue's entries, by Finnish name."""
    return {entry["name"]: Premises.objects.create(public_body=city, **entry) for entry in ENTRIES}
