"""Terms and shortcuts the agreement tests build on."""

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType

from agreements.models import Agreement, AgreementVersion
from workflow.models import TransitionLog
from workflow.transitions import transition_perform

HELSINKI = ZoneInfo("Europe/Helsinki")


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


def at(day: date, hour: int = 12) -> datetime:
    """A moment on `day` in Finland, for time_machine."""
    return datetime.combine(day, time(hour), tzinfo=HELSINKI)


def fresh(record):
    return type(record).objects.get(pk=record.pk)


def log_of(record) -> list[str]:
    """The transitions in the record's own audit log, oldest first."""
    return list(
        TransitionLog.objects.filter(
            content_type=ContentType.objects.get_for_model(record), object_id=record.pk
        )
        .order_by("id")
        .values_list("transition", flat=True)
    )
