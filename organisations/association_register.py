"""What the association register says of an association, kept with it, and the rule finance
pays by (docs/mandates.md, "The register check").

A reading (`register_read`) fills the association's name, form, postal address (when the
association gave none of its own) and status from its business ID, with the time it was read;
an unanswered attempt keeps the previous reading and notes the failure. `payment_refusal`
says why money must not go to the association now:

- the register shows it in liquidation (SELTILA) or bankrupt (KONK), or deregistered (its
  `endDate` set, or every registered entry ended), or has no entry for a registered
  association's business ID;
- with REGISTER_CHECK on, the last reading is missing or older than
  REGISTER_READING_MAX_AGE_DAYS: the payment waits until the register answers again, so an
  unreachable register never lets a payment through on a stale reading, and never fails one
  with a 500 either.
"""

import logging
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organisations import ytj
from organisations.models import Association, RegisterStatus
from workflow.actors import SYSTEM
from workflow.audit import action_record

log = logging.getLogger(__name__)

# The statuses that stop a payment, whatever the age of the reading.
BLOCKING = {
    RegisterStatus.LIQUIDATION,
    RegisterStatus.BANKRUPTCY,
    RegisterStatus.DEREGISTERED,
    RegisterStatus.NOT_FOUND,
}


def status_of(facts: ytj.RegisterFacts) -> tuple[str, Any]:
    """The register status and since when, from what the register said."""
    if not facts.found:
        return RegisterStatus.NOT_FOUND, None
    if facts.ended_on or (facts.entries and all(ended for _reg, ended in facts.entries)):
        ended = facts.ended_on or max(ended for _reg, ended in facts.entries)
        return RegisterStatus.DEREGISTERED, ended
    situations = {s.code: s.since for s in facts.situations}
    for code, status in (
        (ytj.BANKRUPTCY, RegisterStatus.BANKRUPTCY),
        (ytj.LIQUIDATION, RegisterStatus.LIQUIDATION),
        (ytj.RESTRUCTURING, RegisterStatus.RESTRUCTURING),
    ):
        if code in situations:
            return status, situations[code]
    return RegisterStatus.REGISTERED, None


@transaction.atomic
def reading_store(association: Association, facts: ytj.RegisterFacts, *, actor: Any) -> Association:
    """Keep a reading with the association, and the change in the audit log."""
    association = Association.objects.select_for_update().get(pk=association.pk)
    now = timezone.now()
    status, since = status_of(facts)
    before = {
        "name": association.name,
        "register_status": association.register_status,
        "register_form": association.register_form,
    }
    association.register_status = status
    association.register_since = since
    association.register_read_at = now
    association.register_tried_at = now
    association.register_error = ""
    if facts.found:
        association.name = facts.name[:200] or association.name
        association.register_form = facts.form[:100]
        # The association may have given its own postal address for decisions; the register's
        # fills it only when it gave none.
        if not association.address_lines:
            association.street_address = facts.street_address[:200]
            association.postal_code = facts.postal_code[:10]
            association.post_office = facts.post_office[:100]
    association.save()
    after = {k: getattr(association, k) for k in before}
    action_record(
        association,
        action="read_register",
        actor=actor,
        data={
            "status": status,
            "since": since,
            "changed": sorted(k for k in before if before[k] != after[k]),
        },
    )
    return association


def failure_store(association: Association, error: str) -> None:
    """The register did not answer: the last reading stays, the attempt is noted."""
    Association.objects.filter(pk=association.pk).update(
        register_tried_at=timezone.now(), register_error=error[:200]
    )


def register_read(
    association: Association, *, actor: Any = SYSTEM, client: ytj.YtjClient | None = None
) -> Association:
    """Read the register for the association and keep what it says; RegisterUnavailable when
    it does not answer (the attempt is noted, the last reading kept). A group without a
    business ID has nothing to read: it is returned as it is."""
    if not association.business_id:
        return association
    own = client is None
    client = client or ytj.YtjClient()
    try:
        facts = client.company(association.business_id, language=association.language)
    except ytj.RegisterUnavailable as error:
        failure_store(association, str(error))
        raise
    finally:
        if own:
            client.close()
    return reading_store(association, facts, actor=actor)


def payment_refusal(association: Association) -> str:
    """Why finance may not pay the association now, in the active language; "" when it may.
    An unregistered group without a business ID is in no register: nothing stops it here."""
    if not association.business_id:
        return ""
    status = association.register_status
    if status in BLOCKING:
        label = RegisterStatus(status).label
        return _("The association register shows the association as: %(status)s.") % {
            "status": label
        }
    if not settings.REGISTER_CHECK:
        return ""
    read_at = association.register_read_at
    oldest = timezone.now() - timedelta(days=settings.REGISTER_READING_MAX_AGE_DAYS)
    if read_at is None or read_at < oldest:
        return _(
            "The payment waits: the association register has not been read for the "
            "association in the last %(days)s days."
        ) % {"days": settings.REGISTER_READING_MAX_AGE_DAYS}
    return ""


def register_check(associations: Iterable[Association], client: ytj.YtjClient) -> dict[str, int]:
    """Read the register for each association in turn, paced by the client; one that fails is
    noted and skipped, so the rest are still read. Returns how many were read and failed."""
    counts = {"read": 0, "failed": 0}
    for association in associations:
        if not association.business_id:
            continue  # an unregistered group: nothing in the register to read
        try:
            register_read(association, client=client)
        except ytj.RegisterUnavailable as error:
            log.warning("register not read for %s: %s", association.business_id, error)
            counts["failed"] += 1
        else:
            counts["read"] += 1
    return counts
