"""Signing in and out, the language switch and a person's own preferences."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import i18n
from django.views.decorators.http import require_POST

from organisations.forms import AssociationDetailsForm, PreferencesForm
from organisations.models import Association, AssociationRole, OfficialRole
from organisations.roles import roles_of
from organisations.rules import represents
from organisations.services import association_update, person_update_preferences

LANGUAGES = {code for code, _name in settings.LANGUAGES}


def _remember_language(response: HttpResponse, language: str) -> None:
    """The cookie keeps the language after signing out, on this device."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


class SignInView(LoginView):
    """Django's sign-in, then the person's saved language (config.user_language keeps it)."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if form.is_bound:
            # Back with an error: focus goes to the error summary (app.js), not the username.
            form.fields["username"].widget.attrs.pop("autofocus", None)
        return form

    def form_valid(self, form):
        response = super().form_valid(form)
        language = form.get_user().language
        if language in LANGUAGES:
            _remember_language(response, language)
        return response


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language (cookie, back to `next`), and for a signed-in person the choice
    is saved as theirs, for every device and for the messages sent to them."""
    response = i18n.set_language(request)
    language = request.POST.get("language", "")
    if (
        request.user.is_authenticated
        and language in LANGUAGES
        and language != request.user.language
    ):
        person_update_preferences(request.user, language=language)
    return response


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = PreferencesForm(
        request.POST or None,
        initial={"language": user.language, "notification_delivery": user.notification_delivery},
    )
    if request.method == "POST" and form.is_valid():
        person_update_preferences(user, **form.cleaned_data)
        translation.activate(user.language)
        messages.success(request, _("Your preferences have been saved."))
        response = redirect("accounts:profile")
        _remember_language(response, user.language)
        return response
    association_roles = (
        AssociationRole.objects.filter(user=user)
        .select_related("association")
        .order_by("association__name", "role")
    )
    official_roles = (
        OfficialRole.objects.filter(user=user)
        .select_related("public_body", "unit")
        .order_by("public_body__name", "role")
    )
    return render(
        request,
        "organisations/profile.html",
        {"form": form, "association_roles": association_roles, "official_roles": official_roles},
    )


@login_required
def association_details(request: HttpRequest, pk: int) -> HttpResponse:
    """An association's details for anyone holding a role in it; its representatives change
    them (organisations.services.association_update records who consented and when)."""
    association = get_object_or_404(
        Association.objects.select_related("electronic_notification_consent_by"),
        pk=pk if pk in roles_of(request.user).all_associations else None,
    )
    may_change = represents(request.user, association)
    form = AssociationDetailsForm(request.POST or None, instance=association)
    status = 200
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        if form.is_valid():
            # The form ran the model's own validation: the service has nothing left to refuse.
            association_update(association, user=request.user, **form.cleaned_data)
            messages.success(request, _("The association's details have been saved."))
            return redirect("accounts:association", pk=association.pk)
        status = 400
    return render(
        request,
        "organisations/association.html",
        {"association": association, "form": form, "may_change": may_change},
        status=status,
    )
