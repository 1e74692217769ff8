"""The round page of a call: every submitted application with its request, score, proposal
and reasons, the running total against the budget (summed as the preparer types by the
portal's script, `data-sum`), and the two actions of grants.rounds: propose the round, decide
the round. Without JavaScript the form posts and the page answers the same."""

import functools
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods

from documents.spreadsheets import CSV_CONTENT_TYPE
from grants import rounds
from grants.models import Call, RoundDecision
from grants.workbench.common import checked_id, crumbs
from organisations.models import OfficialRole
from organisations.roles import roles_of
from portal.forms import AmountField, errors_apply
from portal.portals import portal_required
from portal.posting import go
from workflow import formats

Role = OfficialRole.Role
PROPOSE, DECIDE = "propose", "decide"


class RoundForm(forms.Form):
    """Per open application: include it, the amount (0 rejects) and the reasons; for a
    decision recorded for a board, the board, its meeting date and the section of its
    minutes."""

    action = forms.ChoiceField(choices=[(PROPOSE, PROPOSE), (DECIDE, DECIDE)])
    board = forms.CharField(label=gettext_lazy("Board"), max_length=200, required=False)
    meeting_date = forms.DateField(
        label=gettext_lazy("Meeting date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    meeting_section = forms.CharField(
        label=gettext_lazy("Section of the minutes"), max_length=20, required=False
    )

    def __init__(self, *args: Any, rows: list[rounds.RoundRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.open_rows = [row for row in rows if row.is_open]
        # Each label translated once, not once a row.
        include, amount_for, reasons_for = (
            _("Include %(name)s"),
            _("Amount for %(name)s"),
            _("Reasons for %(name)s"),
        )
        for row in self.open_rows:
            pk = row.application.pk
            amount = (
                row.proposed_amount
                if row.proposed_amount is not None
                else row.application.requested_amount
            )
            name = {"name": row.application.association.name}
            self.fields[f"include_{pk}"] = forms.BooleanField(
                label=include % name, required=False, initial=True
            )
            # The template writes the inputs out (data-sum: the running total as typed).
            self.fields[f"amount_{pk}"] = AmountField(
                label=amount_for % name, required=False, initial=amount
            )
            self.fields[f"reasons_{pk}"] = forms.CharField(
                label=reasons_for % name,
                required=False,
                initial=row.reasons,
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for row in self.open_rows:
            pk = row.application.pk
            field = f"amount_{pk}"
            if data.get(f"include_{pk}") and field not in self.errors and data.get(field) is None:
                self.add_error(field, _("Give the amount, 0 to reject."))
        board = [data.get("board"), data.get("meeting_date"), data.get("meeting_section")]
        if any(board) and not all(board):
            self.add_error(
                "board", _("A board's decision names the board, its meeting date and section.")
            )
        return data

    def lines(self) -> list[rounds.RoundLine]:
        data = self.cleaned_data
        ids = [row.application.pk for row in self.open_rows]
        return [
            rounds.RoundLine(pk, data[f"amount_{pk}"], data[f"reasons_{pk}"])
            for pk in ids
            if data.get(f"include_{pk}")
        ]

    def board_given(self) -> rounds.Board | None:
        data = self.cleaned_data
        if not data.get("board"):
            return None
        return rounds.Board(data["board"], data["meeting_date"], data["meeting_section"])

    def rows_html(self) -> SafeString:
        """The table's rows, written here rather than in the template: a thousand rows through
        the template engine cost the page most of a second (bench/round.py)."""
        language = translation.get_language()
        application_path = reverse("officials:application", args=[0]).removesuffix("0/")
        money = functools.lru_cache(maxsize=None)(lambda amount: formats.money(amount, language))
        figure = functools.lru_cache(maxsize=None)(lambda value: formats.number(value, language))
        typed = functools.lru_cache(maxsize=None)(
            lambda amount: formats.amount_input(amount, language)
        )
        states = {state: str(label) for state, label in rounds.STATE_LABELS.items()}
        rows = []
        for row in self.open_rows:
            include, amount, reasons = (
                self[f"{name}_{row.application.pk}"] for name in ("include", "amount", "reasons")
            )
            error_id = f"{amount.auto_id}_error"
            rows.append(
                format_html(
                    ROW,
                    include_id=include.auto_id,
                    include_name=include.html_name,
                    include_label=include.label,
                    checked=mark_safe(" checked") if include.value() else "",
                    path=f"{application_path}{row.application.pk}/",
                    name=row.application.association.name,
                    state=states[row.state],
                    requested=money(row.application.requested_amount),
                    score="–" if row.score is None else figure(row.score),
                    amount_id=amount.auto_id,
                    amount_name=amount.html_name,
                    amount_label=amount.label,
                    amount_value=_typed(amount.value(), typed),
                    errors=format_html(
                        '<span class="field__errors" id="{}">{}</span>',
                        error_id,
                        " ".join(amount.errors),
                    )
                    if amount.errors
                    else "",
                    invalid=format_html(' aria-invalid="true" aria-describedby="{}"', error_id)
                    if amount.errors
                    else "",
                    reasons_id=reasons.auto_id,
                    reasons_name=reasons.html_name,
                    reasons_label=reasons.label,
                    reasons_value=reasons.value() or "",
                )
            )
        return mark_safe("\n".join(rows))  # each row made by format_html, its values escaped


def _typed(value: Any, written: Callable[[Any], str]) -> str:
    """The amount field's value: as the person typed it when the form came back, else the
    proposal (or the request) `written` in the reader's language, which the field reads back."""
    if value is None or isinstance(value, str):
        return value or ""
    return written(value)


ROW = (
    "<tr>"
    '<td><label class="visually-hidden" for="{include_id}">{include_label}</label>'
    '<input type="checkbox" name="{include_name}" id="{include_id}"{checked}></td>'
    '<th scope="row"><a href="{path}">{name}</a></th>'
    "<td>{state}</td>"
    '<td class="numeric">{requested}</td>'
    '<td class="numeric">{score}</td>'
    '<td><label class="visually-hidden" for="{amount_id}">{amount_label}</label>{errors}'
    '<input type="text" name="{amount_name}" id="{amount_id}" value="{amount_value}" '
    'inputmode="decimal" autocomplete="off" data-sum="round" data-sum-if="{include_id}"'
    "{invalid}></td>"
    '<td><label class="visually-hidden" for="{reasons_id}">{reasons_label}</label>'
    '<input type="text" name="{reasons_name}" id="{reasons_id}" value="{reasons_value}" '
    'list="reason-texts"></td>'
    "</tr>"
)


def _write(request: HttpRequest, call: Call, form: RoundForm) -> Any:
    action = form.cleaned_data["action"]
    if action == PROPOSE:
        return rounds.round_propose(call, actor=request.user, lines=form.lines())
    return rounds.round_decide(
        call, actor=request.user, lines=form.lines(), board=form.board_given()
    )


DONE = {
    PROPOSE: gettext_lazy("The round was proposed."),
    DECIDE: gettext_lazy("The round was decided: each application has its decision."),
}


@require_http_methods(["GET", "POST"])
@portal_required("officials")
def round_page(request: HttpRequest, pk: int) -> HttpResponse:
    call = get_object_or_404(Call.objects.select_related("public_body"), pk=checked_id(pk))
    if not rounds.may_see_round(request.user, call):
        raise Http404
    view = rounds.round_view(call)
    here = reverse("officials:round", args=[call.pk])
    form = RoundForm(request.POST if request.method == "POST" else None, rows=view.rows)
    status = 200
    if form.is_bound:
        if form.is_valid():
            try:
                _write(request, call, form)
            except rounds.RoundRefused as refused:
                messages.error(request, refused.message)
                return go(request, here)
            except ValidationError as error:
                errors_apply(form, error)
            else:
                messages.success(request, DONE[form.cleaned_data["action"]])
                return go(request, here)
        status = 400
    roles = roles_of(request.user)
    return render(
        request,
        "officials/round.html",
        {
            "call": call,
            "view": view,
            "form": form,
            "may_propose": call.public_body_id in roles.public_bodies(Role.PREPARER),
            "may_decide": call.public_body_id in roles.public_bodies(Role.DECISION_MAKER),
            "decided_rows": [row for row in view.rows if not row.is_open],
            "breadcrumbs": crumbs(
                (pgettext_lazy("workbench", "Calls"), reverse("officials:calls")),
                (call.name, reverse("officials:call", args=[call.pk])),
                (pgettext_lazy("workbench", "Round"), None),
            ),
        },
        status=status,
    )


@require_http_methods(["GET"])
@portal_required("officials")
def decision_list(request: HttpRequest, pk: str, decision_pk: str, language: str) -> HttpResponse:
    """The round decision's list as CSV, in Finnish or Swedish."""
    record = get_object_or_404(
        RoundDecision.objects.select_related("call"),
        pk=checked_id(int(decision_pk)),
        call_id=checked_id(int(pk)),
    )
    if not rounds.may_see_round(request.user, record.call):
        raise Http404
    response = HttpResponse(
        rounds.decision_list_csv(record, language), content_type=CSV_CONTENT_TYPE
    )
    name = f"round-{record.call_id}-{record.pk}-{language}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
