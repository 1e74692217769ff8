"""The answers as a reader reads them: each question's label and its answer written out (money,
dates and figures the language's way, a choice by its label, a file by its name, a table row by
row). One summary for every place the application is read: the association's "check your
answers" page, the official's page and the decision document (grants.documents), so an answer
reads the same everywhere. Written in the active language: a document overrides it with the
matter's (Administrative Procedure Act 434/2003 26 §)."""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from application_forms import definition as d
from workflow import formats


def _choice_label(field: dict[str, Any], value: Any) -> str:
    return next(
        (d.text(c["label"]) for c in field.get("choices", []) if c["value"] == value), str(value)
    )


def answer_text(field: dict[str, Any], value: Any, files: Mapping[int, str]) -> str:
    """One answer written out; "" when there is none."""
    if value is None or value in ("", []):
        return ""
    kind, language = field["type"], get_language()
    if kind == d.YES_NO:
        return _("yes") if value is True else _("no") if value is False else str(value)
    if kind == d.MONEY:
        return formats.money(value, language)
    if kind in (d.NUMBER, d.COUNT):
        return formats.number(value, language)
    if kind == d.DATE:
        return formats.local_date(value, language)
    if kind == d.CHOICE:
        return _choice_label(field, value)
    if kind == d.MULTIPLE_CHOICE:
        return ", ".join(_choice_label(field, v) for v in value)
    if kind == d.FILE:
        return files.get(value, "") if isinstance(value, int) else ""
    if kind == d.TABLE:
        rows = []
        for number, row in enumerate(value, start=1):
            cells = [
                f"{d.text(column['label'])}: {answer_text(column, row.get(column['key']), files)}"
                for column in field["columns"]
                if row.get(column["key"]) not in (None, "")
            ]
            rows.append(f"{number}. " + ", ".join(cells))
        return "\n".join(rows)
    return str(value)


def answers_summary(
    content: dict[str, Any],
    answers: Mapping[str, Any],
    *,
    files: Mapping[int, str] | None = None,
    unanswered: bool = False,
) -> list[dict[str, Any]]:
    """The sections, each with its questions as `{key, id, label, value}` in the form's order.
    `unanswered` keeps the questions without an answer (the check page shows them, the
    document does not); a section left with none is left out. `id` is the input's id on the
    form page, for a "change" link."""
    summary = []
    for number, section in enumerate(content.get("sections", []), start=1):
        items = []
        for field in section["fields"]:
            value = answer_text(field, answers.get(field["key"]), files or {})
            if value or unanswered:
                items.append(
                    {
                        "key": field["key"],
                        "id": f"a-{field['key']}",
                        "label": d.text(field["label"]),
                        "value": value,
                        "required": bool(field.get("required")),
                    }
                )
        if items:
            summary.append(
                {"id": f"section-{number}", "title": d.text(section["title"]), "items": items}
            )
    return summary


def answers_list(
    content: dict[str, Any], answers: Mapping[str, Any], *, files: Mapping[int, str] | None = None
) -> list[dict[str, str]]:
    """The answered questions as one flat list of `{label, value}` (the decision document's
    summary)."""
    return [
        {"label": item["label"], "value": item["value"]}
        for section in answers_summary(content, answers, files=files)
        for item in section["items"]
    ]
