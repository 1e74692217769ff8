"""May this person act for this association in this act? One interface, two sources
(docs/mandates.md):

- "local": the roles given in this service (AssociationRole): representatives apply, report
  and request rectification, authorised signatories sign;
- "suomifi": Suomi.fi e-Authorizations: a register role that acts for the association in every
  matter (SUOMIFI_MANDATES_FULL_ROLES: the chair, those entitled to sign its name), else a
  mandate the association gave for the act's topic (SUOMIFI_MANDATES_TOPICS). The service's
  roles still say whose records the person sees; e-Authorizations says whether they may act.

The check runs at sign-in (`user_logged_in`) and again inside each legally significant act
(`mandate_require`, one line in the act's transition): a mandate revoked between two acts
stops the second with a 403 in the person's language, and the transaction leaves nothing
saved. The audit record of the act says on what basis the person acted
(TransitionLog.data["acted_on"]).
"""

import base64
import hashlib
import logging
from contextvars import ContextVar
from dataclasses import asdict, dataclass
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.signals import user_logged_in
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from organisations import suomifi
from organisations.models import Association, AssociationRole
from organisations.roles import forget_roles, roles_of
from workflow.actors import SystemActor
from workflow.audit import action_record
from workflow.models import TransitionLog

log = logging.getLogger(__name__)


class Act(models.TextChoices):
    """The legally significant acts a person does for an association."""

    APPLY = "apply", gettext_lazy("submit an application")
    REPORT = "report", gettext_lazy("submit a report")
    RECTIFY = "rectify", gettext_lazy("request rectification")
    SIGN = "sign", gettext_lazy("sign an agreement")


# The local role each act needs (what the acts' transitions already ask of the person).
LOCAL_ROLE = {
    Act.APPLY: AssociationRole.Role.REPRESENTATIVE,
    Act.REPORT: AssociationRole.Role.REPRESENTATIVE,
    Act.RECTIFY: AssociationRole.Role.REPRESENTATIVE,
    Act.SIGN: AssociationRole.Role.SIGNATORY,
}


@dataclass(frozen=True)
class Basis:
    """On what the person acted: `basis` "local_role" (with `role`), "register_role" (with
    the register's `role` code) or "mandate" (with the e-Authorizations `topic`)."""

    basis: str
    association: str
    role: str = ""
    topic: str = ""

    def as_data(self) -> dict[str, str]:
        return {k: v for k, v in asdict(self).items() if v}


class MandateUnconfirmed(Exception):
    """The source could not say (unreachable, or an answer not in the documented shape)."""


class LocalRoles:
    """The roles given in this service."""

    name = "local"

    def basis(self, user: Any, association: Association, act: str) -> Basis | None:
        role = LOCAL_ROLE[act]
        if association.pk in roles_of(user).associations(role):
            return Basis("local_role", association.business_id or "", role=role)
        return None


class SuomiFiMandates:
    """Suomi.fi e-Authorizations, asked about the person's strong identity (the delegate)."""

    name = "suomifi"

    def __init__(self, client: suomifi.SuomiFiClient | None = None) -> None:
        self.client = client or suomifi.SuomiFiClient()

    def register_roles(self, delegate: str) -> list[suomifi.OrganisationRoles]:
        try:
            return self.client.organisation_roles(delegate)
        except (suomifi.MandateServiceUnavailable, suomifi.MandateAnswerInvalid) as error:
            raise MandateUnconfirmed(str(error)) from error

    def basis(self, user: Any, association: Association, act: str) -> Basis | None:
        if not association.business_id:
            # An unregistered group is in no register e-Authorizations reads: its people act
            # under the roles given here, the responsible person answering for the group.
            return LocalRoles().basis(user, association, act)
        delegate = delegate_of(user)
        if not delegate:
            return None
        business_id = association.business_id
        for organisation in self.register_roles(delegate):
            if organisation.business_id != business_id:
                continue
            full = [r for r in organisation.roles if r in settings.SUOMIFI_MANDATES_FULL_ROLES]
            if full:
                return Basis("register_role", business_id, role=full[0])
        topic = settings.SUOMIFI_MANDATES_TOPICS[act]
        try:
            allowed = self.client.authorized(delegate, business_id, topic)
        except (suomifi.MandateServiceUnavailable, suomifi.MandateAnswerInvalid) as error:
            raise MandateUnconfirmed(str(error)) from error
        return Basis("mandate", business_id, topic=topic) if allowed else None


def mandate_source() -> LocalRoles | SuomiFiMandates:
    """The source MANDATES_SOURCE names (the settings refuse any other at start-up)."""
    return SuomiFiMandates() if settings.MANDATES_SOURCE == "suomifi" else LocalRoles()


# --- the check before each act ------------------------------------------------------------

# The basis of the act being done: (content type id, record id, actor id) -> Basis. Read once
# by the audit record the transition service writes for that record and actor.
_acted_on: ContextVar[tuple[int, Any, int, Basis] | None] = ContextVar("acted_on", default=None)


def mandate_require(
    actor: Any, subject: models.Model, act: str, association_id: int | None = None
) -> None:
    """Refuse the act on `subject` (PermissionDenied, 403: the transaction saves nothing)
    unless the person may do it now for the association (`association_id`, else one of the
    subject's parties: theirs); remember the basis for the act's audit record."""
    if isinstance(actor, SystemActor):
        return
    ids = [association_id] if association_id is not None else list(subject.association_ids)
    # Of a multi-party agreement's associations, the person acts for those they hold the
    # act's role in here.
    own = roles_of(actor).associations(LOCAL_ROLE[act])
    associations = _associations(subject, [i for i in ids if i in own] or ids)
    source = mandate_source()
    if isinstance(source, SuomiFiMandates) and not delegate_of(actor):
        raise PermissionDenied(
            _(
                "To act for %(association)s, sign in with strong electronic identification: "
                "your mandate is checked in Suomi.fi e-Authorizations. Nothing was saved."
            )
            % {"association": associations[0].name}
        )
    basis = None
    for association in associations:
        try:
            basis = source.basis(actor, association, act)
        except MandateUnconfirmed as error:
            log.warning("mandate of %s for %s unconfirmed: %s", actor.pk, association.pk, error)
            raise PermissionDenied(
                _(
                    "Your right to act for %(association)s could not be confirmed from "
                    "Suomi.fi e-Authorizations just now. Nothing was saved; try again in a "
                    "moment."
                )
                % {"association": association.name}
            ) from error
        if basis is not None:
            break
    if basis is None:
        raise PermissionDenied(
            _(
                "You have no valid mandate to %(act)s for %(association)s: it may have been "
                "revoked or have expired. Nothing was saved."
            )
            % {"act": Act(act).label, "association": associations[0].name}
        )
    content_type = ContentType.objects.get_for_model(subject)
    _acted_on.set((content_type.pk, subject.pk, actor.pk, basis))


def _associations(subject: models.Model, ids: list[int]) -> list[Association]:
    """The associations by id, in order; the subject's own, when its lock loaded it (an
    application's), costs no query."""
    loaded = getattr(subject, "association", None)
    known = {loaded.pk: loaded} if isinstance(loaded, Association) else {}
    missing = [i for i in ids if i not in known]
    if missing:
        known.update(Association.objects.in_bulk(missing))
    return [known[i] for i in ids if i in known]


@receiver(pre_save, sender=TransitionLog)
def _record_basis(sender: type, instance: TransitionLog, **kwargs: Any) -> None:
    """The act's audit record says on what basis the person acted."""
    pending = _acted_on.get()
    if pending is None or instance.kind != TransitionLog.Kind.TRANSITION:
        return
    content_type_id, object_id, actor_id, basis = pending
    if (instance.content_type_id, instance.object_id, instance.actor_id) == (
        content_type_id,
        object_id,
        actor_id,
    ):
        instance.data = {**(instance.data or {}), "acted_on": basis.as_data()}
        _acted_on.set(None)


# --- the person's strong identity, for e-Authorizations ---------------------------------------

# The sign-in backend of strong identification sets this attribute on the user it returns (never
# a field: the identity code is not stored); the session keeps it encrypted until sign-out.
DELEGATE_ATTRIBUTE = "mandate_delegate_id"
_SESSION_KEY = "organisations.mandate_delegate"


def _fernet() -> Fernet:
    key = hashlib.sha256(f"mandate-delegate:{settings.SECRET_KEY}".encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def delegate_of(user: Any) -> str:
    """The person's identity code from this sign-in, or "" (password sign-in, API token)."""
    return getattr(user, DELEGATE_ATTRIBUTE, "") or ""


class MandateDelegateMiddleware:
    """Puts the identity code of this session's strong identification back on request.user,
    where `mandate_require` reads it. After AuthenticationMiddleware."""

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request.session.get(_SESSION_KEY) if hasattr(request, "session") else None
        if token and request.user.is_authenticated:
            try:
                delegate = _fernet().decrypt(token.encode()).decode()
            except InvalidToken:
                delegate = ""  # SECRET_KEY rotated: the person signs in again to act
            setattr(request.user, DELEGATE_ATTRIBUTE, delegate)
        return self.get_response(request)


@receiver(user_logged_in)
def _check_at_sign_in(sender: type, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    """At sign-in with e-Authorizations: keep the identity for the acts to come, give the
    person the service's roles for the associations the registers say they act for, and tell
    them of a local role no mandate backs. A service that does not answer never stops the
    sign-in: the acts ask again."""
    delegate = delegate_of(user)
    if settings.MANDATES_SOURCE != "suomifi" or not delegate or request is None:
        return
    request.session[_SESSION_KEY] = _fernet().encrypt(delegate.encode()).decode()
    source = SuomiFiMandates()
    try:
        found = {
            o.business_id: o
            for o in source.register_roles(delegate)
            if set(o.roles) & set(settings.SUOMIFI_MANDATES_FULL_ROLES)
        }
    except MandateUnconfirmed as error:
        log.warning("e-Authorizations at sign-in of %s: %s", user.pk, error)
        messages.warning(
            request,
            _("Suomi.fi e-Authorizations did not answer: your mandates are checked at each act."),
            fail_silently=True,
        )
        return
    granted = _register_roles_grant(user, found)
    unbacked = []
    for association in Association.objects.filter(pk__in=roles_of(user).all_associations):
        if association.business_id in found:
            continue
        try:
            basis = source.basis(user, association, Act.APPLY)
        except MandateUnconfirmed:
            basis = None
        if basis is None:
            unbacked.append(association.name)
    if unbacked:
        messages.warning(
            request,
            _("No valid mandate for %(associations)s: acts for them will be refused.")
            % {"associations": ", ".join(unbacked)},
            fail_silently=True,
        )
    action_record(
        user,
        action="check_mandates",
        actor=user,
        data={"register_roles": sorted(found), "granted": granted, "unbacked": unbacked},
    )


def _register_roles_grant(user: Any, found: dict[str, suomifi.OrganisationRoles]) -> list[str]:
    """The chair or a person entitled to sign the association's name, as the register says,
    represents it and signs for it here too."""
    granted = []
    for association in Association.objects.filter(business_id__in=found):
        for role in (AssociationRole.Role.REPRESENTATIVE, AssociationRole.Role.SIGNATORY):
            _role, created = AssociationRole.objects.get_or_create(
                user=user, association=association, role=role
            )
            if created:
                granted.append(f"{association.business_id}:{role}")
                action_record(
                    association,
                    action="grant_role_from_register",
                    actor=user,
                    data={"role": role, "register_roles": found[association.business_id].roles},
                )
    forget_roles(user)
    return granted
