"""What the demos of grants and agreements share: the municipality they both run in (made by
grants.demo, found by agreements.demo), described in full, with its names in Swedish and
English and its officials' titles, so that every document the demo makes states every fact
a decision, a notification and a payment order must (organisations.facts)."""

from organisations.identifiers import business_id_for
from organisations.models import OfficialRole, PublicBody, Unit, User

MUNICIPALITY_ID = business_id_for(123456)

MUNICIPALITY = {
    "name": "Esimerkkilän kaupunki",
    "name_sv": "Exempelby stad",
    "name_en": "City of Esimerkkilä",
    "kind": PublicBody.Kind.MUNICIPALITY,
    "business_id": MUNICIPALITY_ID,
    "finance_email": "talous@esimerkkila.example.fi",
    "address": "Kaupungintalo, PL 1, 99100 Esimerkkilä",
    "phone": "09 123 4500",
    "registry_address": "Kirjaamo, Kaupungintalo, PL 1, 99100 Esimerkkilä",
    "registry_email": "kirjaamo@esimerkkila.example.fi",
    "payer_name": "Esimerkkilän kaupunki",
    "payer_iban": "FI4950009420028730",
    "payer_bic": "OKOYFIHH",
    "payment_service_id": "0123456789",
    "court_name": "Pohjois-Suomen hallinto-oikeus",
    "court_address": "PL 189, 90101 Oulu",
    "court_email": "pohjois-suomi.hao@oikeus.fi",
}

# (Finnish, Swedish, English)
UNITS = [
    (
        "Kulttuuri- ja vapaa-aikapalvelut",
        "Kultur- och fritidstjänster",
        "Culture and leisure services",
    ),
    (
        "Hyvinvointi ja terveyden edistäminen",
        "Välfärd och hälsofrämjande",
        "Wellbeing and health promotion",
    ),
]

# The title each demo official's decisions and documents state: (Finnish, Swedish, English).
TITLES = {
    "paula": ("Erityissuunnittelija", "Specialplanerare", "Senior planner"),
    "daniel": ("Palvelujohtaja", "Servicedirektör", "Director of services"),
    "liisa": ("Kulttuurijohtaja", "Kulturdirektör", "Director of culture"),
    "jarmo": ("Järjestöyhdyshenkilö", "Kontaktperson för föreningar", "Liaison officer"),
    "fiona": ("Talouspäällikkö", "Ekonomichef", "Head of finance"),
    "admin": ("Pääkäyttäjä", "Huvudanvändare", "Administrator"),
}


def municipality_create() -> PublicBody:
    """The demo's municipality with every fact on record, and its units."""
    city = PublicBody.objects.create(**MUNICIPALITY)
    for name, name_sv, name_en in UNITS:
        Unit.objects.create(public_body=city, name=name, name_sv=name_sv, name_en=name_en)
    return city


def official_role_create(user: User, body: PublicBody, role: str) -> OfficialRole:
    """A demo official's role in the municipality, titled in each language."""
    title, title_sv, title_en = TITLES[user.username]
    return OfficialRole.objects.create(
        user=user, public_body=body, role=role, title=title, title_sv=title_sv, title_en=title_en
    )
