"""The round page of a call: every submitted application with its request, score, proposal
and reasons, the running total against the budget (summed as the preparer types by the
portal's script, `data-sum`), and the two actions of grants.rounds: propose the round, decide
the round. Without JavaScript the form posts and the page answers the same."""

import functools
from collections.abc import Callable
from html import escape
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_http_methods

from documents.downloads import docx_response
from documents.spreadsheets import CSV_CONTENT_TYPE
from grants import round_documents, round_export, rounds
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
        self.labels = (_("Include %(name)s"), _("Amount for %(name)s"), _("Reasons for %(name)s"))
        # The fields of the rows only read a post: an unbound page is written from the rows
        # themselves (rows_html), as three Django fields a row cost a round of 300 most of
        # its time (bench/pages.py).
        if self.is_bound:
            for row in self.open_rows:
                self._row_fields(row)

    def _row_fields(self, row: rounds.RoundRow) -> None:
        pk = row.application.pk
        include, amount_for, reasons_for = self.labels
        name = {"name": row.application.association.name}
        self.fields[f"include_{pk}"] = forms.BooleanField(
            label=include % name, required=False, initial=True
        )
        # The template writes the inputs out (data-sum: the running total as typed).
        self.fields[f"amount_{pk}"] = AmountField(
            label=amount_for % name, required=False, initial=_initial_amount(row)
        )
        self.fields[f"reasons_{pk}"] = forms.CharField(
            label=reasons_for % name, required=False, initial=row.reasons
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

    def _row_values(self, row: rounds.RoundRow) -> tuple[bool, Any, str, list[str]]:
        """Included, amount, reasons and the amount's errors: as posted, else as proposed."""
        pk = row.application.pk
        if not self.is_bound:
            return True, _initial_amount(row), row.reasons, []
        amount = self[f"amount_{pk}"]
        return (
            bool(self[f"include_{pk}"].value()),
            amount.value(),
            self[f"reasons_{pk}"].value() or "",
            list(amount.errors),
        )

    def rows_html(self) -> SafeString:
        """The table's rows, written here rather than in the template, each value escaped: a
        thousand rows through the template engine (or format_html's escaping of every
        argument) cost the page most of a second (bench/round.py, bench/pages.py)."""
        language = translation.get_language()
        application_path = reverse("officials:application", args=[0]).removesuffix("0/")
        money = functools.lru_cache(maxsize=None)(lambda amount: formats.money(amount, language))
        figure = functools.lru_cache(maxsize=None)(lambda value: formats.number(value, language))
        typed = functools.lru_cache(maxsize=None)(
            lambda amount: formats.amount_input(amount, language)
        )
        states = {state: escape(str(label)) for state, label in rounds.STATE_LABELS.items()}
        include_label, amount_label, reasons_label = (escape(label) for label in self.labels)
        rows = []
        for row in self.open_rows:
            pk = row.application.pk
            checked, amount, reasons, errors = self._row_values(row)
            association = row.application.association
            name = escape(association.name)
            group = association.unregistered_label
            error_id = f"id_amount_{pk}_error"
            rows.append(
                ROW.format(
                    pk=pk,
                    include_label=include_label % {"name": name},
                    checked=" checked" if checked else "",
                    path=f"{application_path}{pk}/",
                    name=name,
                    group=f'<span class="unregistered">{escape(group)}</span>' if group else "",
                    state=states[row.state],
                    requested=escape(money(row.application.requested_amount)),
                    score="–" if row.score is None else escape(figure(row.score)),
                    amount_label=amount_label % {"name": name},
                    amount_value=escape(_typed(amount, typed)),
                    errors=(
                        f'<span class="field__errors" id="{error_id}">'
                        f"{escape(' '.join(errors))}</span>"
                        if errors
                        else ""
                    ),
                    invalid=f' aria-invalid="true" aria-describedby="{error_id}"' if errors else "",
                    reasons_label=reasons_label % {"name": name},
                    reasons_value=escape(reasons),
                )
            )
        return mark_safe("\n".join(rows))  # each value escaped above


def _initial_amount(row: rounds.RoundRow) -> Any:
    """The amount a row starts with: its proposal, else what was requested."""
    if row.proposed_amount is not None:
        return row.proposed_amount
    return row.application.requested_amount


def _typed(value: Any, written: Callable[[Any], str]) -> str:
    """The amount field's value: as the person typed it when the form came back, else the
    proposal (or the request) `written` in the reader's language, which the field reads back."""
    if value is None or isinstance(value, str):
        return value or ""
    return written(value)


# Django's ids and names (auto_id "id_%s", no prefix), so a post reads what was written.
ROW = (
    "<tr>"
    '<td><label class="visually-hidden" for="id_include_{pk}">{include_label}</label>'
    '<input type="checkbox" name="include_{pk}" id="id_include_{pk}"{checked}></td>'
    '<th scope="row"><a href="{path}">{name}</a>{group}</th>'
    "<td>{state}</td>"
    '<td class="numeric">{requested}</td>'
    '<td class="numeric">{score}</td>'
    '<td><label class="visually-hidden" for="id_amount_{pk}">{amount_label}</label>{errors}'
    '<input type="text" name="amount_{pk}" id="id_amount_{pk}" value="{amount_value}" '
    'inputmode="decimal" autocomplete="off" data-sum="round" data-sum-if="id_include_{pk}"'
    "{invalid}></td>"
    '<td><label class="visually-hidden" for="id_reasons_{pk}">{reasons_label}</label>'
    '<input type="text" name="reasons_{pk}" id="id_reasons_{pk}" value="{reasons_value}" '
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
            # Those who may send a decision (Application.notify).
            "may_notify": call.public_body_id
            in roles.public_bodies(Role.PREPARER, Role.DECISION_MAKER),
            "decided_rows": [row for row in view.rows if not row.is_open],
            "breadcrumbs": crumbs(
                (pgettext_lazy("workbench", "Calls"), reverse("officials:calls")),
                (call.name, reverse("officials:call", args=[call.pk])),
                (pgettext_lazy("workbench", "Round"), None),
            ),
        },
        status=status,
    )


def _round_decision(request: HttpRequest, pk: str, decision_pk: str) -> RoundDecision:
    """The round decision of the call, 404 unless the person is one of its body's officials."""
    record = get_object_or_404(
        RoundDecision.objects.select_related("call"),
        pk=checked_id(int(decision_pk)),
        call_id=checked_id(int(pk)),
    )
    if not rounds.may_see_round(request.user, record.call):
        raise Http404
    return record


@require_http_methods(["POST"])
@portal_required("officials")
def round_notify(request: HttpRequest, pk: str, decision_pk: str) -> HttpResponse:
    """Send every decision of the round (grants.rounds.round_notify); a refusal names the
    application and nothing was sent."""
    record = _round_decision(request, pk, decision_pk)
    try:
        result = rounds.round_notify(record, actor=request.user)
    except rounds.RoundRefused as refused:
        messages.error(request, refused.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(counter)s decision was sent.",
                "%(counter)s decisions were sent.",
                len(result.sent),
            )
            % {"counter": len(result.sent)},
        )
        if result.by_letter:
            messages.info(
                request,
                ngettext(
                    "%(counter)s decision goes by letter: see Letters to post.",
                    "%(counter)s decisions go by letter: see Letters to post.",
                    len(result.by_letter),
                )
                % {"counter": len(result.by_letter)},
            )
    return go(request, reverse("officials:round", args=[record.call_id]))


@require_http_methods(["GET"])
@portal_required("officials")
def decision_list_document(
    request: HttpRequest, pk: str, decision_pk: str, language: str
) -> HttpResponse:
    """The round decision's list as the document of record (.docx), in Finnish or Swedish."""
    record = _round_decision(request, pk, decision_pk)
    document = round_documents.decision_list_document(record, language)
    return docx_response(document, f"round-{record.call_id}-{record.pk}-{language}.docx")


@require_http_methods(["GET"])
@portal_required("officials")
def decision_list(request: HttpRequest, pk: str, decision_pk: str, language: str) -> HttpResponse:
    """The round decision's list as CSV, in Finnish or Swedish."""
    record = _round_decision(request, pk, decision_pk)
    response = HttpResponse(
        round_documents.decision_list_csv(record, language), content_type=CSV_CONTENT_TYPE
    )
    name = f"round-{record.call_id}-{record.pk}-{language}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET"])
@portal_required("officials")
def export(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The call's applications with their answers, as CSV or XLSX, for the body's officials."""
    call = get_object_or_404(Call, pk=checked_id(int(pk)))
    if not rounds.may_see_round(request.user, call):
        raise Http404
    return round_export.export_response(call, kind)
