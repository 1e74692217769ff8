"""The weekly reading of the association register (scheduled in celery_app.py)."""

import contextlib
from decimal import Decimal

from celery import shared_task
from django.apps import apps
from django.conf import settings
from django.db.models import DecimalField, F, Sum, Value
from django.db.models.functions import Coalesce

from organisations import ytj
from organisations.association_register import register_check, register_read
from organisations.models import Association


def associations_with_money_open():
    """Associations with a business ID and a payable not yet paid in full (an unregistered
    group has nothing to read). Finance's payables are named by app label: organisations sits
    below finance (docs/architecture.md)."""
    payable = apps.get_model("finance", "Payable")
    open_payables = (
        payable.objects.annotate(
            paid=Coalesce(Sum("payments__amount"), Value(Decimal(0)), output_field=DecimalField())
        )
        .filter(amount__gt=F("paid"))
        .values("association_id")
    )
    return Association.objects.filter(pk__in=open_payables, business_id__isnull=False).order_by(
        "pk"
    )


@shared_task(acks_late=True)
def check_association_register() -> dict[str, int]:
    """Read the register for every association with money open, one request at a time within
    the register's shared rate limit (YTJ_MIN_INTERVAL_SECONDS apart). Off without
    REGISTER_CHECK: a deployment without the network reads nothing."""
    if not settings.REGISTER_CHECK:
        return {"read": 0, "failed": 0}
    with ytj.YtjClient() as client:
        return register_check(associations_with_money_open().iterator(), client)


@shared_task(acks_late=True)
def read_association_register(association_id: int) -> None:
    """A newly registered association's reading; one the register does not answer waits for
    the weekly check (the attempt is noted)."""
    association = Association.objects.get(pk=association_id)
    if association.business_id:
        with contextlib.suppress(ytj.RegisterUnavailable):
            register_read(association)
