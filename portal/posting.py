"""Posting a form that changes something: the one way every portal page writes.

`form_post` saves what a valid form asks for through a service, `transition_post` through the
one door (`workflow.transitions.transition_perform`). Both answer the same way: a
`ValidationError` lands on the form (`portal.forms.errors_apply`) and the caller shows it
again with a 400 and nothing saved; a `TransitionConflict` (someone acted first, the state
moved on) is a message on the page the person came from; a `PermissionDenied` is the 403 page;
success is a message and a redirect (HX-Redirect to htmx).
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.functional import Promise
from django_fsm import can_proceed
from django_htmx.http import HttpResponseClientRedirect

from portal.forms import errors_apply
from workflow.errors import TransitionConflict
from workflow.transitions import available_transitions, is_disqualified, transition_perform

Conflict = Callable[[TransitionConflict], HttpResponse]


def go(request: HttpRequest, to: str) -> HttpResponse:
    """A redirect. To htmx the browser follows it itself (HX-Redirect): a 302 would be
    followed inside the request and the whole page it leads to swapped into the fragment."""
    if request.htmx:
        return HttpResponseClientRedirect(to)
    return redirect(to)


def refused(subject: Model, name: str, user: Any) -> str | None:
    """Why the person cannot take the transition `name` of `subject` now, by the transition's
    own declaration (`available_transitions`): "forbidden" (403: not their role, or a declared
    conflict of interest), "conflict" (the state or a condition does not allow it: a message),
    or None when they can."""
    if name in available_transitions(subject, user):
        return None
    method = getattr(subject, name)
    if not can_proceed(method, check_conditions=False):
        return "conflict"
    state = getattr(subject, method._django_fsm.field.name)
    if is_disqualified(subject, user) or not method._django_fsm.has_transition_perm(
        subject, state, user
    ):
        return "forbidden"
    return "conflict"


def form_post(
    request: HttpRequest,
    form: Form | Sequence[Form],
    write: Callable[[], Any],
    *,
    back: str,
    done: str | Promise | None = None,
    then: Callable[[Any], HttpResponse] | None = None,
    conflict: Conflict | None = None,
    valid: bool | None = None,
    aliases: Mapping[str, str] | None = None,
    aside: Mapping[str, list[str]] | None = None,
) -> HttpResponse | None:
    """Save what a posted form asks for through `write` and redirect: to `then(what write
    returned)`, or else to `back`, with `done` as the success message (None: no message).

    None when the form is not valid (an unbound one never is) or `write` raised a
    `ValidationError`, now among the form's errors (`aliases` and `aside` as in
    `errors_apply`; with several forms the first gets what no field names): the caller shows
    the form again, with a 400. `valid` replaces the form's own check where formsets are
    posted with it. A `TransitionConflict` is `conflict(it)` when given, else its message
    and back to `back`."""
    first = form if isinstance(form, Form) else form[0]
    if not (first.is_valid() if valid is None else valid):
        return None
    try:
        result = write()
    except ValidationError as error:
        errors_apply(form, error, aliases=aliases, aside=aside)
        return None
    except TransitionConflict as refused:
        if conflict is not None:
            return conflict(refused)
        messages.error(request, refused.message)
        return go(request, back)
    if done is not None:
        messages.success(request, done)
    return then(result) if then is not None else go(request, back)


def transition_post(
    request: HttpRequest,
    subject: Model,
    name: str,
    form: Form | Sequence[Form],
    *,
    params: Callable[[], Mapping[str, Any] | None] | None = None,
    **answer: Any,
) -> HttpResponse | None:
    """Perform the transition `name` of `subject` that a posted form asks for, as the person,
    with the form's `comment` (if it has one) and the parameters `params()` returns once the
    form is valid (it may raise a ValidationError, which lands on the form). Whether the
    person may is the one door's check (PermissionDenied, 403). Answers as `form_post`, whose
    keyword arguments (`back`, `done`, `conflict`, ...) it takes."""
    first = form if isinstance(form, Form) else form[0]

    def write() -> Any:
        extra = params() if params is not None else None
        return transition_perform(
            subject,
            name,
            actor=request.user,
            comment=first.cleaned_data.get("comment", ""),
            params=dict(extra) if extra is not None else None,
        )

    return form_post(request, form, write, **answer)
