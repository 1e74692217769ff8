"""The demo's partnership agreements: one with the seniors' association in force since the
spring (replayed at its own dates, its first instalment payable, its first meeting held), and
one with the scouts still being negotiated (a proposal and a counter-proposal)."""

from datetime import date, timedelta
from decimal import Decimal

import time_machine
from django.db import transaction
from django.utils import timezone

from agreements import instalments, scans, services
from agreements.models import Agreement
from organisations.demo import MUNICIPALITY_ID
from organisations.models import Association, OfficialRole, PublicBody, User
from premises.demo import premises_create
from premises.models import Premises
from workflow.models import ApprovalChain, ApprovalStep
from workflow.transitions import transition_perform


def _terms(
    title: str, starts_on: date, years: int, money: str, premises: str, entry: Premises | None
) -> dict:
    ends_on = date(starts_on.year + years, starts_on.month, starts_on.day) - timedelta(days=1)
    return {
        "title": title,
        "purpose": "Yhdessä sovitut tavoitteet asukkaiden hyvinvoinnin edistämiseksi.",
        "starts_on": starts_on,
        "ends_on": ends_on,
        "public_body_responsibilities": "Kaupunki tarjoaa tilat maksutta ja nimeää yhteyshenkilön.",
        "association_responsibilities": "Yhdistys järjestää toiminnan ja raportoi tavoitteista.",
        "goals": [
            {"title": "Viikoittaiset ryhmät", "indicator": "Osallistujia viikossa", "target": 120},
            {"title": "Vapaaehtoiset", "indicator": "Koulutettuja vapaaehtoisia", "target": 15},
        ],
        "resources": [
            {
                "year": year,
                "kind": "money",
                "amount": Decimal(money),
                "pays_on": date(year, starts_on.month, 15),
            }
            for year in range(starts_on.year, ends_on.year + 1)
        ]
        + [
            {
                "year": year,
                "kind": "premises",
                "description": premises,
                "premises": entry,
                "hours": Decimal(6),
                "hours_per": "week",
                "amount": Decimal("3000"),
            }
            for year in range(starts_on.year, ends_on.year + 1)
        ],
    }


def _chain(city: PublicBody) -> ApprovalChain:
    chain = ApprovalChain.objects.create(
        public_body=city,
        name="Kumppanuussopimukset",
        name_sv="Partnerskapsavtal",
        subject_kind=ApprovalChain.SubjectKind.AGREEMENT_VERSION,
    )
    for position, (name, name_sv, role) in enumerate(
        [
            ("Valmistelu", "Beredning", OfficialRole.Role.PREPARER),
            (
                "Palvelujohtajan päätös",
                "Servicedirektörens beslut",
                OfficialRole.Role.DECISION_MAKER,
            ),
        ],
        start=1,
    ):
        ApprovalStep.objects.create(
            chain=chain, position=position, name=name, name_sv=name_sv, role=role
        )
    return chain


@transaction.atomic
def load_agreements() -> None:
    city = PublicBody.objects.get(business_id=MUNICIPALITY_ID)
    users = {u.username: u for u in User.objects.all()}
    seniors = Association.objects.get(email="seniorit@example.fi")
    scouts = Association.objects.get(email="partio@example.fi")
    jarmo, aino, eero = users["jarmo"], users["aino"], users["eero"]
    chain = _chain(city)
    catalogue = premises_create(city)

    def step(record, name, actor, comment="", **params):
        return transition_perform(record, name, actor=actor, comment=comment, params=params)

    start = timezone.now() - timedelta(days=200)
    with time_machine.travel(start, tick=False):
        seniors_agreement = services.agreement_create(
            user=jarmo,
            public_body=city,
            associations=[seniors],
            terms_given=_terms(
                "Kumppanuussopimus ikäihmisten liikunnasta",
                timezone.localdate() + timedelta(days=20),
                3,
                "8000",
                "Seniorikeskus, liikuntasali",
                catalogue["Seniorikeskus, liikuntasali"],
            ),
            signatures_required={seniors.pk: 2},
        )
        version = seniors_agreement.versions.get()
        version = step(version, "propose", jarmo)
        version = step(version, "accept", aino, comment="Hyvä ehdotus.")
        version = step(version, "submit_for_review", jarmo, chain_id=chain.pk)
        version = step(version, "record_step", users["paula"], reasons="Tavoitteet selkeät.")
        version = step(
            version,
            "decide",
            users["daniel"],
            outcome="approved",
            reasons="Sopimus edistää ikäihmisten hyvinvointia.",
        )
        for signer in (aino, users["sirpa"], users["daniel"]):
            version = step(version, "sign", signer)
    with time_machine.travel(start + timedelta(days=40), tick=False):
        # The daily scan: in force from the term's first day, then its first instalment.
        scans.activate_signed_agreements()
        instalments.open_due_instalments()
    # The first cooperation meeting was held this week, a little ahead of its date.
    first_meeting = Agreement.objects.get(pk=seniors_agreement.pk).meetings.earliest("due_on")
    services.meeting_record(
        first_meeting,
        user=jarmo,
        held_on=min(first_meeting.due_on, timezone.localdate()),
        notes="Käytiin läpi syksyn ryhmät; osallistujamäärät kasvussa.",
    )

    scouts_agreement = services.agreement_create(
        user=eero,
        public_body=city,
        associations=[scouts],
        terms_given=_terms(
            "Kumppanuussopimus nuorten retkitoiminnasta",
            date(timezone.localdate().year + 1, 1, 1),
            2,
            "5000",
            "Nuorisotalo, kerhohuone",
            catalogue["Nuorisotalo, kerhohuone"],
        ),
    )
    step(scouts_agreement.versions.get(), "propose", eero)
    counter = services.version_draft(
        scouts_agreement,
        user=jarmo,
        terms_given={"meetings_per_year": 3},
        change_note="Kolme yhteistyötapaamista vuodessa.",
    )
    step(counter, "propose", jarmo)
