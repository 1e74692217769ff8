"""The body's liaison people (järjestöyhdyshenkilö) and its association meetings
(yhdistysilta), as the seed documents ask: a liaison named with written duties and a share of
working time, and the associations convened at least twice a year (docs/liaison.md)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organisations.models import Association, PublicBody


class LiaisonPerson(models.Model):
    """A liaison person of a public body: an official of the body (`user`) or a name, with
    the duties written down in Finnish and Swedish and the share of working time given to
    them. Shown publicly, with the public service contact of the office (a public official's
    work contact, not a private person's)."""

    public_body = models.ForeignKey(
        PublicBody,
        on_delete=models.PROTECT,
        related_name="liaison_people",
        verbose_name=_("public body"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("official"),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    title = models.CharField(_("job title"), max_length=200)
    title_sv = models.CharField(_("job title in Swedish"), max_length=200, blank=True)
    title_en = models.CharField(_("job title in English"), max_length=200, blank=True)
    duties = models.TextField(_("duties in Finnish"))
    duties_sv = models.TextField(_("duties in Swedish"))
    duties_en = models.TextField(_("duties in English"), blank=True)
    working_time_percent = models.PositiveSmallIntegerField(
        _("share of working time (%)"),
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    email = models.EmailField(_("work email"), blank=True)
    phone = models.CharField(_("work phone"), max_length=40, blank=True)
    starts_on = models.DateField(_("liaison from"), default=timezone.localdate)
    ends_on = models.DateField(_("liaison until"), null=True, blank=True)

    class Meta:
        verbose_name = _("liaison person")
        verbose_name_plural = _("liaison people")
        ordering = ["public_body", "starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(working_time_percent__gte=1, working_time_percent__lte=100),
                name="liaison_working_time_1_100",
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(name=""), name="liaison_named"
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="liaison_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.public_body})"

    @property
    def display_name(self) -> str:
        if self.name:
            return self.name
        return self.user.display_name if self.user_id else ""


def minutes_path(instance: "AssociationMeeting", filename: str) -> str:
    return f"liaison/{instance.public_body_id}/meetings/{instance.pk}/{filename}"


class AssociationMeeting(models.Model):
    """A meeting of the body with its associations (yhdistysilta): planned with its time,
    place and agenda, every association of the body invited, then held (with minutes and the
    matters the associations raised) or cancelled. Changed only through `liaison.services`,
    each change audited."""

    class State(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("meeting", "Planned")
        HELD = "held", pgettext_lazy("meeting", "Held")
        CANCELLED = "cancelled", pgettext_lazy("meeting", "Cancelled")

    public_body = models.ForeignKey(
        PublicBody,
        on_delete=models.PROTECT,
        related_name="association_meetings",
        verbose_name=_("public body"),
    )
    starts_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=300)
    agenda = models.TextField(_("agenda"))
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PLANNED, db_index=True
    )
    # What the associations and the officials read: the record of the meeting.
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_file = models.FileField(_("minutes file"), upload_to=minutes_path, blank=True)
    # What anyone may read: written for the public, without private persons' names.
    public_summary = models.TextField(_("public summary"), blank=True)
    invited = models.ManyToManyField(
        Association, through="Invitation", related_name="association_meetings", blank=True
    )
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("association meeting")
        verbose_name_plural = _("association meetings")
        ordering = ["public_body", "starts_at", "id"]
        indexes = [
            models.Index(
                fields=["public_body", "state", "starts_at"], name="liaison_meeting_body_state"
            )
        ]

    def __str__(self) -> str:
        return f"{self.public_body} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    @property
    def association_ids(self) -> list[int]:
        """The invited associations (what `workflow.rules` and the reminder scan read)."""
        return [invitation.association_id for invitation in self.invitations.all()]


class Invitation(models.Model):
    """An association invited to a meeting; its people were sent the invitation once."""

    meeting = models.ForeignKey(
        AssociationMeeting, on_delete=models.CASCADE, related_name="invitations"
    )
    association = models.ForeignKey(Association, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["meeting", "association__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "association"], name="invited_once")
        ]

    def __str__(self) -> str:
        return f"{self.association} → {self.meeting}"


class RaisedMatter(models.Model):
    """A matter an association (or a participant without one) raised at a meeting, and the
    response: what the body answered or did."""

    meeting = models.ForeignKey(
        AssociationMeeting, on_delete=models.CASCADE, related_name="matters"
    )
    association = models.ForeignKey(
        Association,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("association"),
    )
    matter = models.TextField(_("matter raised"))
    response = models.TextField(_("response or what was done"), blank=True)
    position = models.PositiveSmallIntegerField(default=1)

    class Meta:
        verbose_name = _("matter raised")
        verbose_name_plural = _("matters raised")
        ordering = ["meeting", "position", "id"]

    def __str__(self) -> str:
        return self.matter[:60]
