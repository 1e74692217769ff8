"""The demo: one municipality, three associations, a person in every role, an open call with a
three-step chain, and applications in several states.

Everything goes through the services and the transition service, and the history of an older
call is replayed at its own dates with time-machine, so the demo's audit trail is the one a
real year would leave.
"""

from datetime import datetime, timedelta
from decimal import Decimal

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from grants.models import Application, Call
from grants.services import application_create, application_update, attachment_add
from organisations.demo import MUNICIPALITY_ID, UNITS, municipality_create, official_role_create
from organisations.identifiers import business_id_for, iban_for
from organisations.models import (
    Association,
    AssociationRole,
    OfficialRole,
    PublicBody,
    User,
)
from workflow.actors import SYSTEM
from workflow.models import ApprovalChain, ApprovalStep
from workflow.transitions import transition_perform

PASSWORD = "demo"

Role = OfficialRole.Role
Rep = AssociationRole.Role

# (username, name, language, role, organisation key)
PEOPLE = [
    ("aino", "Aino Aaltonen", "fi", Rep.REPRESENTATIVE, "seniorit"),
    ("aino", "Aino Aaltonen", "fi", Rep.SIGNATORY, "seniorit"),
    ("sirpa", "Sirpa Sihteeri", "fi", Rep.SIGNATORY, "seniorit"),
    ("bertil", "Bertil Berg", "sv", Rep.REPRESENTATIVE, "foreningen"),
    ("eero", "Eero Eskola", "fi", Rep.REPRESENTATIVE, "partio"),
    ("sanna", "Sanna Salo", "fi", Rep.SIGNATORY, "partio"),
    ("paula", "Paula Valmistelija", "fi", Role.PREPARER, "city"),
    ("daniel", "Daniel Päättäjä", "fi", Role.DECISION_MAKER, "city"),
    ("liisa", "Liisa Lautakunta", "fi", Role.DECISION_MAKER, "city"),
    ("jarmo", "Jarmo Järjestöyhdyshenkilö", "fi", Role.LIAISON, "city"),
    ("fiona", "Fiona Talous", "en", Role.FINANCE, "city"),
    ("admin", "Anna Pääkäyttäjä", "fi", Role.ADMINISTRATOR, "city"),
]


def demo_logins() -> list[tuple[str, str]]:
    roles: dict[str, list[str]] = {}
    for username, _name, _lang, role, org in PEOPLE:
        roles.setdefault(username, []).append(f"{role} ({org})")
    return [(u, ", ".join(r)) for u, r in roles.items()]


def is_loaded() -> bool:
    return PublicBody.objects.filter(business_id=MUNICIPALITY_ID).exists()


def _people(orgs: dict) -> dict[str, User]:
    users: dict[str, User] = {}
    for username, name, language, role, org in PEOPLE:
        user = users.get(username)
        if user is None:
            first, last = name.split(" ", 1)
            user = User.objects.create_user(
                username,
                email=f"{username}@example.fi",
                password=PASSWORD,
                first_name=first,
                last_name=last,
                language=language,
                is_staff=role == Role.ADMINISTRATOR,
                is_superuser=role == Role.ADMINISTRATOR,
            )
            users[username] = user
        if org == "city":
            official_role_create(user, orgs[org], role)
        else:
            AssociationRole.objects.create(user=user, association=orgs[org], role=role)
    return users


def _organisations() -> dict:
    city = municipality_create()
    associations = {
        key: Association.objects.create(
            name=name,
            business_id=business_id_for(234567 + i),
            register_number=f"{123456 + i}",
            iban=iban_for(4711 + i),
            email=f"{key}@example.fi",
            language=lang,
            street_address=street,
            postal_code="99100",
            post_office="ESIMERKKILÄ",
            accepts_electronic_notification=consent,
        )
        for i, (key, name, lang, street, consent) in enumerate(
            [
                ("seniorit", "Esimerkkilän Seniorit ry", "fi", "Koulukatu 3 B", True),
                ("foreningen", "Föreningen Exempelby Pensionärer rf", "sv", "Skolgatan 5", False),
                ("partio", "Esimerkkilän Partiolaiset ry", "fi", "Kololankuja 1", True),
            ]
        )
    }
    return {"city": city, **associations}


def _chain(city: PublicBody) -> ApprovalChain:
    chain = ApprovalChain.objects.create(
        public_body=city, name="Järjestöavustukset", name_sv="Föreningsbidrag"
    )
    steps = [
        ("Valmistelu ja päätösesitys", "Beredning och beslutsförslag", Role.PREPARER, None),
        ("Palvelujohtajan päätös", "Servicedirektörens beslut", Role.DECISION_MAKER, None),
        (
            "Lautakunnan päätös (yli 10 000 €)",
            "Nämndens beslut (över 10 000 €)",
            Role.DECISION_MAKER,
            Decimal("10000"),
        ),
    ]
    for position, (name, name_sv, role, threshold) in enumerate(steps, start=1):
        ApprovalStep.objects.create(
            chain=chain,
            position=position,
            name=name,
            name_sv=name_sv,
            role=role,
            threshold=threshold,
            condition="amount_above" if threshold else "always",
        )
    return chain


def one_page_pdf(title: str) -> bytes:
    """A one-page PDF saying `title`: the demo's accounts and annual reports."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 18 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
        b"<< /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def _apply(
    call: Call,
    association: Association,
    user: User,
    amount: str,
    purpose: str,
    lines: list[tuple[str, str]],
) -> Application:
    """A draft answering the call's form (the default form's questions), with last year's
    accounts and annual report attached."""
    application = application_create(
        user=user,
        call=call,
        association=association,
        requested_amount=Decimal(amount),
        purpose=purpose,
        budget_lines=[{"description": d, "amount": Decimal(a)} for d, a in lines],
    )
    files = {
        key: attachment_add(
            application,
            user=user,
            upload=SimpleUploadedFile(
                f"{name}.pdf", one_page_pdf(f"{association.name}: {name}"), "application/pdf"
            ),
        ).pk
        for key, name in (("accounts", "Tilinpäätös"), ("annual_report", "Toimintakertomus"))
    }
    answers = {
        "members": 120,
        "members_under_29": 35,
        "volunteers": 14,
        "activities": purpose,
        "target_groups": ["youth", "seniors"],
        "events": [{"name": "Kevätjuhla", "participants": 80}],
        "other_funding": False,
        "project_plan": purpose,
        "timetable": "Tammi–joulukuu.",
        **files,
    }
    return application_update(application, user=user, answers=answers)


def _at(moment: datetime):
    return time_machine.travel(moment, tick=False)


@transaction.atomic
def load_demo() -> None:
    now = timezone.now()
    orgs = _organisations()
    users = _people(orgs)
    # The seniors' and the scouts' representatives consented to electronic notification.
    for key, person in (("seniorit", "aino"), ("partio", "eero")):
        Association.objects.filter(pk=orgs[key].pk).update(
            electronic_notification_consent_by=users[person],
            electronic_notification_consent_at=now,
        )
    chain = _chain(orgs["city"])
    # The unit that handles the calls, named in the decisions.
    culture = orgs["city"].units.get(name=UNITS[0][0])
    aino, bertil, eero = users["aino"], users["bertil"], users["eero"]
    paula, daniel, liisa, fiona = users["paula"], users["daniel"], users["liisa"], users["fiona"]

    def step(app, name, actor, comment="", **params):
        return transition_perform(app, name, actor=actor, comment=comment, params=params)

    # An older call, its history replayed at its own dates: one closed after its report, one
    # legally valid and waiting for payment, one rejected.
    start = now - timedelta(days=200)
    with _at(start):
        spring = Call.objects.create(
            public_body=orgs["city"],
            unit=culture,
            name="Kohdeavustukset, kevät",
            name_sv="Projektbidrag, våren",
            name_en="Project grants, spring",
            category=Call.Category.PROJECT,
            opens_at=start,
            closes_at=start + timedelta(days=30),
            budget=Decimal("40000"),
            max_per_application=Decimal("15000"),
            chain=chain,
            report_due_days=60,
        )
        camp = _apply(
            spring,
            orgs["partio"],
            eero,
            "3000",
            "Kesäleiri 40 partiolaiselle.",
            [("Leirialueen vuokra", "1800"), ("Ruokailu", "1600")],
        )
        trip = _apply(
            spring,
            orgs["seniorit"],
            aino,
            "2000",
            "Retki Kuopioon ikäihmisille.",
            [("Bussi", "1400"), ("Pääsyliput", "600")],
        )
        choir = _apply(
            spring,
            orgs["foreningen"],
            bertil,
            "12000",
            "Körresa till Stockholm.",
            [("Resor", "9000"), ("Logi", "3000")],
        )
        for app, actor in ((camp, eero), (trip, aino), (choir, bertil)):
            step(app, "submit", actor)
    with _at(start + timedelta(days=35)):
        for app in (camp, trip, choir):
            step(app, "start_review", paula)
        step(camp, "record_step", paula, proposed_amount=Decimal("3000"), reasons="Täyttää ehdot.")
        step(trip, "record_step", paula, proposed_amount=Decimal("1500"), reasons="Osittain.")
        step(choir, "record_step", paula, proposed_amount=Decimal("0"), reasons="Ei kohderyhmää.")
        step(
            choir,
            "record_step",
            daniel,
            proposed_amount=Decimal("0"),
            reasons="Esitetään hylkäystä.",
        )
        step(
            camp,
            "decide",
            daniel,
            outcome="approved",
            granted_amount=Decimal("3000"),
            reasons="Leiri edistää lasten ja nuorten hyvinvointia.",
        )
        step(
            trip,
            "decide",
            daniel,
            outcome="partially_approved",
            granted_amount=Decimal("1500"),
            reasons="Pääsylippuja ei avusteta.",
        )
        step(
            choir,
            "decide",
            liisa,
            outcome="rejected",
            granted_amount=Decimal("0"),
            reasons="Matka ei kohdistu kunnan asukkaille.",
        )
        for app in (camp, trip, choir):
            step(app, "notify", paula, channel="letter")
    with _at(start + timedelta(days=65)):
        for app in (camp, trip, choir):
            step(app, "become_legally_valid", SYSTEM)
        step(choir, "close", SYSTEM)
        step(
            camp,
            "record_payment",
            fiona,
            amount=Decimal("3000"),
            paid_on=timezone.localdate(),
            reference="MAKSU-2026-001",
        )
    with _at(start + timedelta(days=120)):
        step(
            camp,
            "submit_report",
            eero,
            activities="Leirille osallistui 38 partiolaista.",
            amount_used=Decimal("3000"),
        )
        step(camp, "accept_report", paula, comment="Selvitys hyväksytty.")

    # The open call, with applications in the states of everyday work.
    autumn = Call.objects.create(
        public_body=orgs["city"],
        unit=culture,
        name="Toiminta-avustukset 2027",
        name_sv="Verksamhetsbidrag 2027",
        name_en="Activity grants 2027",
        category=Call.Category.GENERAL,
        description="Yleisavustus yhdistysten toimintaan Esimerkkilässä.",
        opens_at=now - timedelta(days=10),
        closes_at=now + timedelta(days=30),
        budget=Decimal("100000"),
        max_per_application=Decimal("20000"),
        chain=chain,
        report_due_on=(now + timedelta(days=400)).date(),
    )
    _apply(
        autumn,
        orgs["seniorit"],
        aino,
        "4000",
        "Viikoittainen tuolijumppa ja kerhot.",
        [("Ohjaajapalkkiot", "2500"), ("Tilavuokrat", "1500")],
    )  # stays a draft
    submitted = _apply(
        autumn,
        orgs["foreningen"],
        bertil,
        "6000",
        "Veckoträffar och utflykter.",
        [("Lokalhyra", "3600"), ("Utflykter", "2400")],
    )
    step(submitted, "submit", bertil)
    returned = _apply(
        autumn,
        orgs["partio"],
        eero,
        "8000",
        "Kololle uudet varusteet.",
        [("Teltat", "5000"), ("Retkikeittimet", "3000")],
    )
    step(returned, "submit", eero)
    step(returned, "request_completion", paula, comment="Liittäkää toimintasuunnitelma 2027.")
    big = _apply(
        autumn,
        orgs["seniorit"],
        aino,
        "15000",
        "Seniorikeskuksen vapaaehtoistoiminta.",
        [("Koordinaattori", "12000"), ("Koulutukset", "3000")],
    )
    step(big, "submit", aino)
    step(big, "start_review", paula)
    step(
        big, "record_step", paula, proposed_amount=Decimal("12000"), reasons="Kattava suunnitelma."
    )
