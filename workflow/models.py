"""The engine's records. Nothing here knows about grants or agreements.

Definitions (ApprovalChain, ApprovalStep) are separate from runtime records (ApprovalRun,
StepRecord), the way Wagtail separates Workflow/Task from WorkflowState/TaskState: a run copies
the steps that apply when it starts, so editing a chain in the admin never changes a record
already in progress.
"""

import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from organisations.models import Association, OfficialRole, PublicBody


class SubjectMixin(models.Model):
    """A generic link to the record (application, agreement, report) an engine row is about."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True


def attachment_path(instance: "AttachmentBase", filename: str) -> str:
    """<the model's folder>/<record id>/<file name>, so each record's files stay together."""
    return f"{instance.upload_folder}/{instance.owner_id}/{filename}"


class AttachmentBase(models.Model):
    """A file attached to a record (an application, an agreement); checked by
    `workflow.attachments.validate_attachment` before it is stored. Subclasses add the FK to
    their record and name it in `owner_field`, and their storage folder in `upload_folder`."""

    owner_field: str = ""
    upload_folder: str = ""

    file = models.FileField(upload_to=attachment_path)
    name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def owner_id(self) -> int:
        return getattr(self, f"{self.owner_field}_id")


class TransitionLog(SubjectMixin):
    """The append-only audit log, never updated, never deleted. Two kinds of entry, each
    written through one function: a transition (a state change, by
    `workflow.transitions.transition_perform`) and an audited action that keeps the state (a
    record created or edited, a file attached, a token issued: `workflow.audit.action_record`).
    `transition` names either."""

    class Kind(models.TextChoices):
        TRANSITION = "transition", _("state change")
        ACTION = "action", _("audited action")

    kind = models.CharField(_("kind of entry"), max_length=10, choices=Kind.choices)
    from_state = models.CharField(max_length=40)
    to_state = models.CharField(max_length=40)
    transition = models.CharField(max_length=60)
    # Null means the system (a scheduled scan), never an unknown person.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True)
    # The transition's parameters (amounts, dates, reasons) as the actor gave them.
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("audit record")
        verbose_name_plural = _("audit log")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.transition}: {self.from_state} → {self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("The audit log is append-only.")


class Disqualification(SubjectMixin):
    """An official's declared conflict of interest (Administrative Procedure Act 27–30 §).

    From the declaration on, the engine refuses the official's actions on the record; the step
    stays with the role, so another official holding it acts instead.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("disqualification")
        verbose_name_plural = _("disqualifications")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "user"], name="one_disqualification_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} disqualified on {self.content_type} {self.object_id}"


class ApprovalChain(models.Model):
    """The ordered steps a record goes through in review; the last applicable step decides."""

    class SubjectKind(models.TextChoices):
        """What a chain reviews, by the model of its subjects (`_meta.label_lower`): a grant
        application's chain has other steps and roles than an agreement's."""

        GRANT_APPLICATION = "grants.application", _("Grant applications")
        AGREEMENT_VERSION = "agreements.agreementversion", _("Agreement versions")

    public_body = models.ForeignKey(PublicBody, on_delete=models.PROTECT, related_name="chains")
    subject_kind = models.CharField(
        _("reviews"),
        max_length=40,
        choices=SubjectKind.choices,
        default=SubjectKind.GRANT_APPLICATION,
        db_index=True,
    )
    name = models.CharField(_("name"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    # Bumped on every change of the steps, so a run records which version it started with.
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        verbose_name = _("approval chain")
        verbose_name_plural = _("approval chains")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} (v{self.version})"


class StepCondition(models.TextChoices):
    ALWAYS = "always", _("Always")
    AMOUNT_ABOVE = "amount_above", _("Amount above a threshold")


class ApprovalStep(models.Model):
    chain = models.ForeignKey(ApprovalChain, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    role = models.CharField(_("acting role"), max_length=32, choices=OfficialRole.Role.choices)
    condition = models.CharField(
        _("condition"), max_length=20, choices=StepCondition.choices, default=StepCondition.ALWAYS
    )
    threshold = models.DecimalField(
        _("threshold (€)"), max_digits=12, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        ordering = ["chain", "position"]
        constraints = [
            models.UniqueConstraint(fields=["chain", "position"], name="unique_step_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"

    def clean(self) -> None:
        if self.condition == StepCondition.AMOUNT_ABOVE and self.threshold is None:
            raise ValidationError({"threshold": _("Give the threshold for this condition.")})

    def applies_to(self, amount: Decimal) -> bool:
        if self.condition == StepCondition.AMOUNT_ABOVE:
            return amount > self.threshold
        return True


class ApprovalRun(SubjectMixin):
    """One record's journey through a chain, frozen at the chain version it started with."""

    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        FINISHED = "finished", _("Finished")
        CANCELLED = "cancelled", _("Cancelled")

    chain = models.ForeignKey(ApprovalChain, on_delete=models.PROTECT, related_name="runs")
    chain_version = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            # One run in progress per record: the database makes a second one impossible.
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(status="in_progress"),
                name="one_run_in_progress_per_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.chain} v{self.chain_version} on {self.content_type} {self.object_id}"


class StepRecord(models.Model):
    """A step of a run: the role that acts, and once done, who acted, when and how."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Done")

    run = models.ForeignKey(ApprovalRun, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=32, choices=OfficialRole.Role.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    outcome = models.CharField(max_length=40, blank=True)
    comment = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    acted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="unique_record_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.name} ({self.status})"


class Recipients(models.TextChoices):
    """Who a deadline's reminders go to; resolved to people when a reminder is written."""

    NOBODY = "", _("Nobody")
    ASSOCIATION = "association", _("The association's representatives")
    PREPARERS = "preparers", _("The public body's preparers")
    LIAISONS = "liaisons", _("The public body's liaisons")


class Deadline(SubjectMixin):
    """A dated obligation: a call closes, completion is due, the appeal period ends, ...

    It carries its own reminder schedule, copied from the policy when it was set, and the time
    the reminder scan should next look at it (`next_reminder_at`), so the scan reads only what
    is due, however many deadlines are open.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MET = "met", _("Met")
        CANCELLED = "cancelled", _("Cancelled")

    kind = models.CharField(_("kind"), max_length=40)
    title = models.CharField(_("title"), max_length=300, blank=True)
    due_on = models.DateField(_("due on"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    association = models.ForeignKey(
        Association, on_delete=models.CASCADE, null=True, blank=True, related_name="deadlines"
    )
    public_body = models.ForeignKey(
        PublicBody, on_delete=models.CASCADE, null=True, blank=True, related_name="deadlines"
    )
    remind_days_before = models.JSONField(default=list, blank=True)
    remind_to = models.CharField(max_length=20, choices=Recipients.choices, blank=True)
    overdue_every_days = models.PositiveSmallIntegerField(null=True, blank=True)
    overdue_to = models.CharField(max_length=20, choices=Recipients.choices, blank=True)
    next_step = models.CharField(max_length=40, blank=True)
    next_reminder_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind"],
                condition=Q(status="open"),
                name="one_open_deadline_per_kind",
            )
        ]
        indexes = [
            models.Index(fields=["due_on"], condition=Q(status="open"), name="open_deadline_due"),
            # The reminder scan's index: only open deadlines with a reminder still to come.
            models.Index(
                fields=["next_reminder_at"],
                condition=Q(status="open", next_reminder_at__isnull=False),
                name="deadline_reminder_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_on}"


class Notification(models.Model):
    """The outbox: a message to one person (or to an organisation's own address), written in
    the transaction that caused it and delivered by a Celery scan. `key` is unique per
    recipient, which makes every reminder exactly-once whatever retries, restarts or concurrent
    scans happen."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        DIGEST = "digest", _("Waiting for the daily digest")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    # Without a recipient: an address that is nobody's own (an association's contact address).
    address = models.EmailField(blank=True)
    key = models.CharField(max_length=120)
    kind = models.CharField(max_length=40)
    language = models.CharField(max_length=2)
    context = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    deadline = models.ForeignKey(
        Deadline, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    # Legally significant messages go out at once, whatever the person's digest choice.
    legally_significant = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    send_after = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="one_notification_per_key"),
            models.UniqueConstraint(
                fields=["address", "key"],
                condition=Q(recipient__isnull=True),
                name="one_notification_per_address_and_key",
            ),
            models.CheckConstraint(
                condition=Q(recipient__isnull=False, address="")
                | Q(recipient__isnull=True) & ~Q(address=""),
                name="notification_to_a_person_or_an_address",
            ),
        ]
        indexes = [
            # The delivery scan's index: it stays small however many sent rows pile up.
            models.Index(
                fields=["send_after", "id"],
                condition=Q(status="pending"),
                name="notification_pending",
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient or self.address} ({self.status})"

    @property
    def email_address(self) -> str:
        return self.address or self.recipient.email


class ReminderPolicy(models.Model):
    """A named set of reminder rules a call (or agreement type) can choose; kinds it leaves
    out use the defaults in settings.REMINDER_DEFAULTS."""

    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("reminder policy")
        verbose_name_plural = _("reminder policies")

    def __str__(self) -> str:
        return self.name


class ReminderRule(models.Model):
    policy = models.ForeignKey(ReminderPolicy, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("deadline kind"), max_length=40)
    days_before = models.JSONField(
        _("remind this many days before"), default=list, help_text=_("For example [30, 14, 1].")
    )
    overdue_every_days = models.PositiveSmallIntegerField(
        _("once overdue, remind every"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        constraints = [models.UniqueConstraint(fields=["policy", "kind"], name="one_rule_per_kind")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.days_before}"

    def clean(self) -> None:
        days = self.days_before
        if not isinstance(days, list) or not all(isinstance(d, int) and 0 < d <= 365 for d in days):
            raise ValidationError({"days_before": _("Give whole days between 1 and 365.")})


def calendar_token() -> str:
    """A fresh feed secret: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """An iCalendar URL of deadlines, opened by its secret token alone (calendar applications
    cannot sign in). Owned by an association (its deadlines, shared by its people) or by an
    official (the deadlines of their public bodies); rotating the token retires the old URL.
    """

    # No plain indexes on the owners: the unique constraints below index them already.
    association = models.ForeignKey(
        Association,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        db_index=False,
        related_name="calendar_feeds",
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        db_index=False,
        related_name="calendar_feeds",
    )
    token = models.CharField(max_length=64, unique=True, default=calendar_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    rotated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.CheckConstraint(
                condition=Q(association__isnull=False, person__isnull=True)
                | Q(association__isnull=True, person__isnull=False),
                name="calendar_feed_one_owner",
            ),
            # One feed per owner, so every person of an association subscribes to the same URL
            # and one rotation retires it for all of them.
            models.UniqueConstraint(
                fields=["association"],
                condition=Q(association__isnull=False),
                name="one_calendar_feed_per_association",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(person__isnull=False),
                name="one_calendar_feed_per_person",
            ),
        ]

    def __str__(self) -> str:
        owner = self.association if self.association_id else self.person
        return f"Calendar feed of {owner}"
