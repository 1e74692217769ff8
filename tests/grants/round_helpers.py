"""What the round's tests share: a call's applications submitted in bulk."""

from decimal import Decimal

from django.utils import timezone

from grants.models import Application, Call
from grants.rounds import RoundLine
from tests.factories import ApplicationFactory, AssociationFactory


def submitted(call: Call, count: int, amount: Decimal = Decimal("5000.00")) -> list[Application]:
    """`count` applications of `call`, sent. The state is set in bulk: sending is not what
    these tests are about, and the sending transition has tests of its own."""
    apps = [
        ApplicationFactory(call=call, association=AssociationFactory(), requested_amount=amount)
        for _ in range(count)
    ]
    Application.objects.filter(pk__in=[a.pk for a in apps]).update(
        state=Application.State.SUBMITTED, submitted_at=timezone.now()
    )
    return list(Application.objects.filter(pk__in=[a.pk for a in apps]).order_by("pk"))


def lines(apps: list[Application], amount: Decimal | None = None) -> list[RoundLine]:
    return [
        RoundLine(a.pk, a.requested_amount if amount is None else amount, "Hyvä hanke.")
        for a in apps
    ]
