"""Terms and shortcuts the agreement tests build on."""

from datetime import date
from decimal import Decimal

from agreements.models import Agreement, AgreementVersion
from workflow.transitions import transition_perform


def terms(**overrides):
    return {
        "title": "Kumppanuussopimus ikäihmisten liikunnasta",
        "purpose": "Ikäihmiset liikkuvat ja osallistuvat.",
        "starts_on": date(2027, 1, 1),
        "ends_on": date(2029, 12, 31),
        "public_body_responsibilities": "Tarjoaa tilat maksutta.",
        "association_responsibilities": "Järjestää liikuntaryhmät.",
        "goals": [
            {
                "title": "Liikuntaryhmät",
                "indicator": "Osallistujia viikossa",
                "target": Decimal(120),
            },
            {"title": "Vapaaehtoiset", "indicator": "Koulutettuja ohjaajia", "target": Decimal(10)},
        ],
        "resources": [
            {
                "year": year,
                "kind": "money",
                "amount": Decimal("10000.00"),
                "pays_on": date(year, 2, 1),
            }
            for year in (2027, 2028, 2029)
        ]
        + [
            {
                "year": 2027,
                "kind": "premises",
                "description": "Seniorikeskus, liikuntasali",
                "hours": Decimal(6),
                "hours_per": "week",
                "amount": Decimal("3000.00"),
            }
        ],
        **overrides,
    }


def version_of(agreement: Agreement, number: int = 1) -> AgreementVersion:
    return agreement.versions.get(number=number)


def act(record, name, user, **params):
    return transition_perform(
        record, name, actor=user, comment=params.pop("comment", ""), params=params
    )
