from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from organisations.fields import BusinessIdField, IbanField


class Language(models.TextChoices):
    FINNISH = "fi", _("Finnish")
    SWEDISH = "sv", _("Swedish")
    ENGLISH = "en", _("English")


class PublicBody(models.Model):
    """The granting organisation: kunta, kuntayhtymä or hyvinvointialue."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        JOINT_AUTHORITY = "joint_authority", _("Joint municipal authority")
        WELLBEING_COUNTY = "wellbeing_county", _("Wellbeing services county")

    class SepaVersion(models.TextChoices):
        # What the body's bank takes; Finnish banks are moving from 03 to 09.
        PAIN_001_001_03 = "pain.001.001.03", "pain.001.001.03"
        PAIN_001_001_09 = "pain.001.001.09", "pain.001.001.09"

    # The Finnish name is the base; a matter handled in Swedish (or English) names the body in
    # that language when given (Language Act 423/2003 10 §, organisations.languages).
    name = models.CharField(_("name"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    business_id = BusinessIdField(_("business ID"), unique=True)
    finance_email = models.EmailField(_("finance mailbox"), blank=True)
    address = models.CharField(_("postal address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # Where requests for rectification are filed (the registry, kirjaamo).
    registry_address = models.CharField(_("registry address"), max_length=300, blank=True)
    registry_email = models.EmailField(_("registry email"), blank=True)
    # The account grants are paid from (the payer of the SEPA credit transfers). Blank: the
    # process default (PAYER_NAME, PAYER_IBAN, PAYER_BIC), for a body set up before it had
    # its own.
    payer_name = models.CharField(_("payer name"), max_length=70, blank=True)
    payer_iban = IbanField(_("payer IBAN"), blank=True)
    payer_bic = models.CharField(_("payer BIC"), max_length=11, blank=True)
    # The initiating party's id in a payment file (InitgPty/Id), given by the bank when the
    # body signs up for its payment service (palvelutunnus); blank: the business ID.
    payment_service_id = models.CharField(_("bank service ID"), max_length=35, blank=True)
    sepa_version = models.CharField(
        _("payment file version"),
        max_length=20,
        choices=SepaVersion.choices,
        default=SepaVersion.PAIN_001_001_03,
    )
    # Where an appeal goes after a decision on a request for rectification (Local Government
    # Act 135 §): the administrative court of the body's region. Blank: ADMINISTRATIVE_COURT.
    court_name = models.CharField(_("administrative court"), max_length=200, blank=True)
    court_address = models.CharField(
        _("administrative court's address"), max_length=300, blank=True
    )
    court_email = models.EmailField(_("administrative court's email"), blank=True)

    class Meta:
        verbose_name = _("public body")
        verbose_name_plural = _("public bodies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def payer(self) -> "Payer":
        """The account the body pays from: its own, or the process default."""
        if self.payer_iban:
            return Payer(self.payer_name or self.name, self.payer_iban, self.payer_bic)
        return Payer(settings.PAYER_NAME, settings.PAYER_IBAN, settings.PAYER_BIC)

    @property
    def administrative_court(self) -> dict[str, str]:
        """The court an appeal goes to (name, address, email): the body's, or the default."""
        if self.court_name:
            return {
                "name": self.court_name,
                "address": self.court_address,
                "email": self.court_email,
            }
        return dict(settings.ADMINISTRATIVE_COURT)


@dataclass(frozen=True)
class Payer:
    """The debtor of a payment file: who pays, from which account."""

    name: str
    iban: str
    bic: str


class Unit(models.Model):
    """A division of a public body (toimiala), e.g. culture and leisure."""

    public_body = models.ForeignKey(PublicBody, on_delete=models.PROTECT, related_name="units")
    name = models.CharField(_("name"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["public_body", "name"], name="unique_unit_name")
        ]

    def __str__(self) -> str:
        return f"{self.public_body} / {self.name}"


class RegisterStatus(models.TextChoices):
    """What the association register says of an association, as far as paying it goes."""

    REGISTERED = "registered", _("Registered")
    RESTRUCTURING = "restructuring", _("In restructuring")
    LIQUIDATION = "liquidation", _("In liquidation")
    BANKRUPTCY = "bankruptcy", _("Bankrupt")
    DEREGISTERED = "deregistered", _("Deregistered")
    NOT_FOUND = "not_found", _("Not in the register")


# An unregistered group in a query: no business ID, a named responsible person
# (Association.is_unregistered_group).
UNREGISTERED_GROUP = models.Q(business_id__isnull=True) & ~models.Q(responsible_person="")


class Association(models.Model):
    """A registered association (yhdistys) in the association register, or an unregistered
    group applying under a named responsible person (then without a business ID)."""

    name = models.CharField(_("name"), max_length=200)
    # Unique when set (the constraint below); empty (NULL) only for an unregistered group.
    business_id = BusinessIdField(_("business ID"), null=True, blank=True)
    # Blank only for an unregistered group, which is in no association register (clean()).
    register_number = models.CharField(_("association register number"), max_length=20, blank=True)
    iban = IbanField(_("IBAN"))
    email = models.EmailField(_("contact email"))
    language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.FINNISH
    )
    # Where a decision sent by letter goes (Administrative Procedure Act 59 §).
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    post_office = models.CharField(_("post office"), max_length=100, blank=True)
    # Act 13/2003 19 §: a decision may be notified electronically only with the party's consent;
    # who gave it and when is kept with it (the audit log keeps every change).
    accepts_electronic_notification = models.BooleanField(
        _("accepts electronic notification"), default=False
    )
    electronic_notification_consent_by = models.ForeignKey(
        "User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent given by"),
    )
    electronic_notification_consent_at = models.DateTimeField(
        _("consent given at"), null=True, blank=True
    )
    # What the association register (YTJ open data, organisations.ytj) said when last read, and
    # when: finance pays nobody the register shows in liquidation, bankrupt or deregistered
    # (organisations.association_register).
    register_status = models.CharField(
        _("register status"), max_length=20, choices=RegisterStatus.choices, blank=True
    )
    register_form = models.CharField(_("form in the register"), max_length=100, blank=True)
    register_since = models.DateField(_("register status since"), null=True, blank=True)
    register_read_at = models.DateTimeField(_("register read at"), null=True, blank=True)
    # The last attempt, answered or not: an unanswered one leaves the reading above as it was.
    register_tried_at = models.DateTimeField(_("register last tried at"), null=True, blank=True)
    register_error = models.CharField(_("register error"), max_length=200, blank=True)
    # A group that is not in the association register applies under a named person who
    # answers for it (its business ID then stays what the register does not know).
    responsible_person = models.CharField(
        _("responsible person of an unregistered group"), max_length=200, blank=True
    )

    class Meta:
        verbose_name = _("association")
        verbose_name_plural = _("associations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["business_id"],
                condition=models.Q(business_id__isnull=False),
                name="unique_association_business_id",
                violation_error_message=_("An association with this business ID already exists."),
            ),
            # A registered association has its business ID; only a group under a named
            # responsible person may be without one.
            models.CheckConstraint(
                condition=models.Q(business_id__isnull=False) | ~models.Q(responsible_person=""),
                name="business_id_or_responsible_person",
                violation_error_message=_(
                    "A registered association needs its business ID; only an unregistered "
                    "group with a named responsible person may be without one."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # A blank business ID is stored as NULL, so that the unique constraint lets many
        # unregistered groups be without one.
        if not self.business_id:
            self.business_id = None
        self.responsible_person = self.responsible_person.strip()
        self.register_number = self.register_number.strip()
        if self.business_id and self.responsible_person:
            raise ValidationError(
                {
                    "responsible_person": _(
                        "An association with a business ID is registered: the register names "
                        "who represents it. Name a responsible person only for an unregistered "
                        "group without a business ID."
                    )
                }
            )
        if self.business_id and not self.register_number:
            raise ValidationError(
                {"register_number": _("A registered association gives its register number.")}
            )

    def validate_constraints(self, exclude: set[str] | None = None) -> None:
        # Both constraints are about the business ID: say so beside that field (a form's and
        # the API's error) rather than as an error of the whole record.
        try:
            super().validate_constraints(exclude)
        except ValidationError as error:
            errors = error.update_error_dict({})
            moved = errors.pop(NON_FIELD_ERRORS, [])
            if moved:
                errors.setdefault("business_id", []).extend(moved)
            raise ValidationError(errors) from None

    @property
    def is_unregistered_group(self) -> bool:
        """A group without an entry in the register (no business ID), applying under a named
        person (the one rule, as UNREGISTERED_GROUP in a query)."""
        return not self.business_id and bool(self.responsible_person)

    @property
    def unregistered_label(self) -> str:
        """How every page and document marks an unregistered group, in the active language;
        "" for a registered association."""
        if not self.is_unregistered_group:
            return ""
        return gettext("Unregistered group — responsible person: %(person)s") % {
            "person": self.responsible_person
        }

    @property
    def address_lines(self) -> list[str]:
        """The postal address as it goes on an envelope; empty when none is known."""
        town = " ".join(part for part in (self.postal_code, self.post_office) if part)
        return [line for line in (self.street_address, town) if line]


class User(AbstractUser):
    """A person who signs in: an association's representative or an official."""

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", _("Each message at once")
        DAILY_DIGEST = "daily_digest", _("One daily digest")

    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.FINNISH
    )
    title = models.CharField(_("job title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # Optional messages only: legally significant ones are always sent at once.
    notification_delivery = models.CharField(
        _("notification delivery"),
        max_length=20,
        choices=Delivery.choices,
        default=Delivery.IMMEDIATE,
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    @property
    def display_name(self) -> str:
        """How pages, messages and documents name the person: the full name, else the username."""
        return self.get_full_name() or self.get_username()


class AssociationRole(models.Model):
    class Role(models.TextChoices):
        REPRESENTATIVE = "representative", _("Representative")
        SIGNATORY = "signatory", _("Authorised signatory")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="association_roles")
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    class Meta:
        verbose_name = _("association role")
        verbose_name_plural = _("association roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "association", "role"], name="unique_association_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.association}"


class OfficialRole(models.Model):
    class Role(models.TextChoices):
        PREPARER = "preparer", _("Preparer")
        DECISION_MAKER = "decision_maker", _("Decision-maker")
        LIAISON = "liaison", _("Liaison")
        FINANCE = "finance", _("Finance")
        ADMINISTRATOR = "administrator", _("Administrator")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="official_roles")
    public_body = models.ForeignKey(PublicBody, on_delete=models.CASCADE, related_name="roles")
    unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    # The title a decision states under the decision-maker's name (e.g. kulttuurijohtaja).
    title = models.CharField(_("title"), max_length=200, blank=True)
    title_sv = models.CharField(_("title in Swedish"), max_length=200, blank=True)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("official role")
        verbose_name_plural = _("official roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "public_body", "role"], name="unique_official_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.public_body}"


class SectionRegister(models.Model):
    """The body's register of decisions for one year: the last section (§) number given.
    Every decision, a rectification decision included, takes the next one ("§ 12/2026")."""

    public_body = models.ForeignKey(
        PublicBody, on_delete=models.PROTECT, related_name="section_registers"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last_section = models.PositiveIntegerField(_("last section"), default=0)

    class Meta:
        verbose_name = _("register of decisions")
        verbose_name_plural = _("registers of decisions")
        constraints = [
            models.UniqueConstraint(fields=["public_body", "year"], name="one_register_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.public_body} {self.year}: § {self.last_section}"
