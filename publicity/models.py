"""The published form of a grant decision (Local Government Act 410/2015 140 §).

A decision is published online when it is sent to the association and stays in its public form
until its appeal period has ended; then the personal data it may hold is removed and the record
remains as granted support. The application stays the legal record: a publication is what the
public sees of it, so what is removed here is removed from the public network only."""

from datetime import date

from django.db import models
from django.utils.translation import gettext_lazy as _

from grants.models import Application, Call
from organisations.models import Association, PublicBody

MONEY = {"max_digits": 12, "decimal_places": 2}


class Publication(models.Model):
    """One decision on the public network: the free texts that may name people, until they
    are removed, and the facts of the granted support (denormalised from the application so
    the yearly listings and the open data read one table, whatever the number of
    applications)."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="publication"
    )
    public_body = models.ForeignKey(PublicBody, on_delete=models.PROTECT, related_name="+")
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="+")
    association = models.ForeignKey(Association, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    amount_awarded = models.DecimalField(**MONEY)
    # The decision's reasons and conditions as written: free text, which may name people.
    reasons = models.TextField(blank=True)
    conditions = models.TextField(blank=True)
    # The decision published (its moment): a decision on a request for rectification is a new
    # one, and replaces the published form; the same one sent again changes nothing.
    decided_at = models.DateTimeField()
    published_on = models.DateField()
    # Local Government Act 139 §: a resident is deemed to know of a published decision on the
    # 7th day after it was published, and may request rectification within the period from
    # then; the personal data stays until this day has passed as well as the party's period.
    residents_appeal_ends_on = models.DateField()
    personal_data_removed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("published decision")
        verbose_name_plural = _("published decisions")
        indexes = [
            models.Index(fields=["public_body", "year"]),
            models.Index(fields=["year", "call"]),
            # The cached figures' version (publicity.selectors._version).
            models.Index(fields=["updated_at"]),
            # The decisions in their appeal period, newest first.
            models.Index(
                fields=["-published_on", "-id"],
                condition=models.Q(personal_data_removed_at__isnull=True),
                name="publication_in_period",
            ),
            models.Index(
                fields=["residents_appeal_ends_on"],
                condition=models.Q(personal_data_removed_at__isnull=True),
                name="publication_removal_due",
            ),
        ]

    def __str__(self) -> str:
        return str(self.application)

    @property
    def personal_data_removed(self) -> bool:
        return self.personal_data_removed_at is not None

    @property
    def appeal_period_ends_on(self) -> date:
        """The last day anyone may still request rectification: the party's or the
        residents' period, whichever ends later."""
        party = self.application.appeal_ends_on
        return max(party, self.residents_appeal_ends_on) if party else self.residents_appeal_ends_on
