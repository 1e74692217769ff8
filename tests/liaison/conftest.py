"""Liaison fixtures: a body (`body`, its liaison in `people`) whose associations are one that
applied (Finnish, its representative `rep`), one party to an agreement (Swedish, with a
Swedish-reading representative), and one that applied but has no people in the service
(Swedish, reached at its contact address); besides them an association with only a draft
application and one that applied to a foreign body: neither is the body's."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from agreements import services as agreement_services
from tests.agreements.builders import terms
from tests.factories import (
    ApplicationFactory,
    AssociationFactory,
    CallFactory,
    PublicBodyFactory,
    UserFactory,
    represent,
)

HELSINKI = ZoneInfo("Europe/Helsinki")


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=HELSINKI)


@pytest.fixture
def associations(body, people, association, representative):
    call = CallFactory(public_body=body)
    ApplicationFactory(call=call, association=association, submitted_at=timezone.now())
    swedish = AssociationFactory(name="Föreningen Svenska", language="sv")
    swedish_rep = represent(UserFactory(username="rep_sv", language="sv"), swedish)
    agreement_services.agreement_create(
        user=people["liaison"], public_body=body, associations=[swedish], terms_given=terms()
    )
    unpeopled = AssociationFactory(
        name="Byaföreningen", language="sv", email="byaforeningen@example.fi"
    )
    ApplicationFactory(call=call, association=unpeopled, submitted_at=timezone.now())
    drafting = AssociationFactory(name="Luonnosyhdistys")
    represent(UserFactory(username="rep_draft"), drafting)
    ApplicationFactory(call=call, association=drafting)
    foreign = AssociationFactory(name="Naapurin yhdistys")
    foreign_rep = represent(UserFactory(username="rep_foreign"), foreign)
    ApplicationFactory(
        call=CallFactory(public_body=PublicBodyFactory()),
        association=foreign,
        submitted_at=timezone.now(),
    )
    return {
        "finnish": association,
        "rep": representative,
        "swedish": swedish,
        "rep_sv": swedish_rep,
        "unpeopled": unpeopled,
        "drafting": drafting,
        "foreign": foreign,
        "rep_foreign": foreign_rep,
    }
