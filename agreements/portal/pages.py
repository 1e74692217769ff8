"""What every partnership page shares: the portal's name, loading the agreement the person
sees, the breadcrumbs, and the one way a page writes (`submit`): a service or a transition,
its `ValidationError` onto the form, its `TransitionConflict` as a message."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from agreements import selectors, services
from agreements.models import Agreement, AgreementVersion
from portal.posting import transition_post
from workflow.errors import TransitionConflict

PORTAL = "partnerships"


@dataclass(frozen=True)
class Action:
    """A transition a page offers: its form, what the page says of it and what it says after."""

    form: type[forms.Form]
    title: Any
    button: Any
    done: Any
    help: Any = ""
    kwargs: Callable[[Any], dict[str, Any]] = lambda record: {}
    danger: bool = False


def action_post(
    request: HttpRequest,
    specs: dict[str, Action],
    name: str,
    load: Callable[[], Any],
    *,
    back: str,
    page: Callable[..., HttpResponse],
) -> HttpResponse:
    """A transition posted from a record's page: `name` is one of `specs` (else 404), the
    record comes from `load` (404 when the person does not see it), and a form with errors is
    `page(request, record, {name: form}, status=400)`."""
    spec = specs.get(name)
    if spec is None:
        raise Http404
    record = load()
    form = spec.form(request.POST, prefix=name, **spec.kwargs(record))
    answer = transition_post(
        request, record, name, form, params=form.params, back=back, done=spec.done
    )
    return answer or page(request, record, {name: form}, status=400)


def agreement_or_404(user: Any, pk: int) -> Agreement:
    return get_object_or_404(
        selectors.agreements_for_user(user).select_related("public_body", "predecessor"),
        pk=pk,
    )


def agreement_crumbs(agreement: Agreement, label: Any) -> list[tuple[Any, str | None]]:
    return [
        (_("Partnership agreements"), reverse("partnerships:home")),
        (agreement.number, reverse("partnerships:agreement", args=[agreement.pk])),
        (label, None),
    ]


def draft_base(agreement: Agreement, side: str | None) -> tuple[AgreementVersion | None, str]:
    """The terms a new version by the person's side starts from, or why none can be drafted
    now (services.draft_base)."""
    if side is None:
        return None, ""
    try:
        return services.draft_base(agreement, side), ""
    except TransitionConflict as conflict:
        return None, conflict.message
