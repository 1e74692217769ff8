"""A form version as a page shows it, and a posted page read back into answers: used by the
association's application page (grants/portal) and the administrator's preview alike.

Inputs are named `answers.<key>` (a table's cells `answers.<key>.<row>.<column>`), so an
error's path ("events.1.people") names the input it belongs to. What was typed is read back as
typed when it is not of the right type: the check refuses it with its message and the page
shows it again, nothing lost.
"""

import re
from collections.abc import Mapping
from typing import Any

from django.http import QueryDict
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from application_forms import definition as d
from workflow.formats import money

PREFIX = "answers."
_INTEGER = re.compile(r"^-?[0-9]{1,30}$")
_DECIMAL = re.compile(r"^-?[0-9]{1,30}\.[0-9]{1,30}$")
# Blank rows a table offers below its answers, for a page that works without JavaScript.
BLANK_ROWS = 2


def _typed(kind: str, raw: str) -> Any:
    """One input's text as its answer; text that is not of the type stays text (refused)."""
    value = raw.strip()
    if not value:
        return None
    if kind in (d.COUNT, d.NUMBER):
        number = value.replace(" ", "").replace("\xa0", "").replace(",", ".")
        if _INTEGER.match(number):
            return int(number)
        if kind == d.NUMBER and _DECIMAL.match(number):
            return float(number)
        return value
    if kind == d.MONEY:
        return value.replace(" ", "").replace("\xa0", "").replace(",", ".").removesuffix("€")
    if kind == d.YES_NO:
        return {"yes": True, "no": False}.get(value, value)
    return raw if kind == d.LONG_TEXT else value


def _rows(field: dict[str, Any], data: QueryDict) -> list[dict[str, Any]]:
    name = f"{PREFIX}{field['key']}."
    indexes = sorted(
        {
            int(part)
            for key in data
            for part in [key[len(name) :].split(".")[0]]
            if key.startswith(name) and part.isdigit() and len(part) < 6
        }
    )
    rows = []
    for index in indexes:
        row = {}
        for column in field["columns"]:
            value = _typed(column["type"], data.get(f"{name}{index}.{column['key']}", ""))
            if value is not None:
                row[column["key"]] = value
        if row:
            rows.append(row)
    return rows


def answers_from_post(content: dict[str, Any], data: QueryDict) -> dict[str, Any]:
    """The answers a posted page gives (file fields aside: the page stores the uploads)."""
    answers: dict[str, Any] = {}
    for field in d.fields(content):
        key, kind = field["key"], field["type"]
        if kind == d.FILE:
            continue
        if kind == d.TABLE:
            value: Any = _rows(field, data)
        elif kind == d.MULTIPLE_CHOICE:
            value = [v for v in data.getlist(f"{PREFIX}{key}") if v]
        else:
            value = _typed(kind, data.get(f"{PREFIX}{key}", ""))
        if value not in (None, []):
            answers[key] = value
    return answers


def _shown_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _condition_hint(condition: dict[str, Any], by_key: Mapping[str, Any]) -> str:
    if "amount_over" in condition:
        return _("the amount applied for is over %(amount)s") % {
            "amount": money(condition["amount_over"], get_language())
        }
    other = by_key[condition["field"]]
    expected = condition["equals"]
    if isinstance(expected, bool):
        shown = _("yes") if expected else _("no")
    else:
        shown = next(
            (d.text(c["label"]) for c in other.get("choices", []) if c["value"] == expected),
            str(expected),
        )
    return _("the answer to “%(question)s” is “%(answer)s”") % {
        "question": d.text(other["label"]),
        "answer": shown,
    }


def _field_view(
    field: dict[str, Any],
    value: Any,
    errors: Mapping[str, list[str]],
    *,
    path: str,
    by_key: Mapping[str, Any],
    files: Mapping[int, str],
) -> dict[str, Any]:
    kind = field["type"]
    view: dict[str, Any] = {
        "key": field["key"],
        "type": kind,
        "name": f"{PREFIX}{path}",
        "id": "a-" + path.replace(".", "-"),
        "label": d.text(field["label"]),
        "help": d.text(field.get("help")),
        "required": bool(field.get("required")),
        "errors": errors.get(path, []),
        "value": _shown_value(value) if not isinstance(value, list) else "",
    }
    if "show_if" in field:
        view["hint"] = _("Answer only if %(condition)s.") % {
            "condition": _condition_hint(field["show_if"], by_key)
        }
    elif "require_if" in field:
        view["hint"] = _("Required if %(condition)s.") % {
            "condition": _condition_hint(field["require_if"], by_key)
        }
    if kind in d.TEXT_LIMITS:
        view["max_length"] = d.max_length(field)
    if kind in (d.CHOICE, d.MULTIPLE_CHOICE):
        chosen = value if isinstance(value, list) else [value]
        view["choices"] = [
            {"value": c["value"], "label": d.text(c["label"]), "checked": c["value"] in chosen}
            for c in field["choices"]
        ]
    if kind == d.FILE:
        view["extensions"] = ", ".join(d.file_extensions(field))
        view["accept"] = ",".join(f".{e}" for e in d.file_extensions(field))
        view["file_name"] = files.get(value, "") if isinstance(value, int) else ""
    if kind == d.TABLE:
        rows = value if isinstance(value, list) else []
        # Rows over the limit that were typed stay on the page, to be removed by the person.
        count = max(len(rows), min(field["max_rows"], len(rows) + BLANK_ROWS))
        view["columns"] = [d.text(column["label"]) for column in field["columns"]]
        view["max_rows"] = field["max_rows"]
        view["rows"] = [
            {
                "number": index + 1,
                "cells": [
                    _field_view(
                        column,
                        (rows[index] if index < len(rows) else {}).get(column["key"]),
                        errors,
                        path=f"{path}.{index}.{column['key']}",
                        by_key=by_key,
                        files=files,
                    )
                    for column in field["columns"]
                ],
            }
            for index in range(count)
        ]
        view["row_errors"] = [
            (index + 1, message)
            for index in range(len(rows))
            for message in errors.get(f"{path}.{index}", [])
        ]
    return view


def page_sections(
    content: dict[str, Any],
    answers: Mapping[str, Any],
    errors: Mapping[str, list[str]] | None = None,
    *,
    files: Mapping[int, str] | None = None,
) -> list[dict[str, Any]]:
    """The sections and fields as the template (`application_forms/_fields.html`) shows
    them, with the answers filled in and each error next to its input. `files` names the
    application's attachments by id."""
    by_key = {field["key"]: field for field in d.fields(content)}
    return [
        {
            "id": f"section-{number}",
            "title": d.text(section["title"]),
            "help": d.text(section.get("help")),
            "fields": [
                _field_view(
                    field,
                    answers.get(field["key"]),
                    errors or {},
                    path=field["key"],
                    by_key=by_key,
                    files=files or {},
                )
                for field in section["fields"]
            ],
        }
        for number, section in enumerate(content.get("sections", []), start=1)
    ]


def error_list(sections: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Every error of the page for its summary, each linking to its input."""
    found = []
    for section in sections:
        for field in section["fields"]:
            found += [
                {"id": field["id"], "label": field["label"], "message": m} for m in field["errors"]
            ]
            for row in field.get("rows", []):
                for cell in row["cells"]:
                    found += [
                        {
                            "id": cell["id"],
                            "label": f"{field['label']} {row['number']}, {cell['label']}",
                            "message": m,
                        }
                        for m in cell["errors"]
                    ]
    return found
