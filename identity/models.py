"""Who a person is at an identity provider: the provider's subject, and the keyed hash of the
personal identity code when the provider passed one on (never the code itself)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Identity(models.Model):
    """One person's account at one provider (`settings.OIDC_PROVIDERS`), found again by the
    provider's `sub`, which OpenID Connect Core 1.0 (2.) keeps stable and unique per issuer."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="identities",
        verbose_name=_("person"),
    )
    provider = models.CharField(_("identity provider"), max_length=32)
    subject = models.CharField(_("subject at the provider"), max_length=255)
    # HMAC-SHA256 of the personal identity code under IDENTITY_HASH_KEY (identity.services):
    # the same person coming through another provider is found without storing the code.
    hetu_hash = models.CharField(_("identity code's keyed hash"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("first sign-in"), auto_now_add=True)
    last_sign_in_at = models.DateTimeField(_("last sign-in"))

    class Meta:
        verbose_name = _("identity")
        verbose_name_plural = _("identities")
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="unique_identity")
        ]
        indexes = [models.Index(fields=["hetu_hash"], name="identity_hetu_hash")]

    def __str__(self) -> str:
        return f"{self.provider}: {self.user}"
