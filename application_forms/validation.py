"""An application's answers checked against its form version, on the server.

First the JSON Schema (`application_forms.schema`, with the `jsonschema` library): types and
bounds, required answers of a complete application. Then what the schema does not say: the
conditions (on another answer, on the requested amount), no answer to a hidden field, and a
file answer that is one of the application's own attachments, of a type and size the field
allows. Every error names the answer's path ("events.3.name") and is in the person's language.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

from application_forms import definition as d
from application_forms.schema import json_schema
from workflow.formats import money

# Enough errors to fix a page at once; a thousand bad rows do not make a thousand messages.
MAX_ERRORS = 50


@dataclass(frozen=True)
class AttachedFile:
    """What the check needs of an attachment of the application."""

    name: str
    size: int

    @property
    def extension(self) -> str:
        return self.name.rsplit(".", 1)[-1].lower() if "." in self.name else ""


class AnswersInvalid(ValidationError):
    """Answers refused, with their messages by path. Its `message_dict` is
    `{"answers": {path: [messages]}}`, what the API answers with a 400 (workflow.api)."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__(
            {"answers": [f"{path}: {m}" for path, messages in errors.items() for m in messages]}
        )

    @property
    def message_dict(self) -> dict[str, Any]:  # type: ignore[override]
        return {"answers": self.errors}


def _path(parts: Any) -> str:
    return ".".join(str(part) for part in parts)


def _schema_message(error: Any) -> str:
    """The jsonschema error in the person's words (the library's are English and technical)."""
    validator, value, schema = error.validator, error.validator_value, error.schema
    if validator == "type":
        return {
            "string": _("Enter text."),
            "number": _("Enter a number."),
            "integer": _("Enter a whole number."),
            "boolean": _("Answer yes or no."),
            "array": _("Give a list."),
            "object": _("Give the answers as an object."),
        }.get(value, _("The answer is of the wrong type."))
    if validator == "maxLength":
        return _("At most %(limit)s characters.") % {"limit": value}
    if validator == "maximum":
        return _("At most %(limit)s.") % {"limit": value}
    if validator == "minimum":
        return _("At least %(limit)s.") % {"limit": value}
    if validator == "maxItems":
        if schema.get("items", {}).get("type") == "object":
            return _("At most %(limit)s rows.") % {"limit": value}
        return _("At most %(limit)s choices.") % {"limit": value}
    if validator == "enum":
        return _("Choose one of the options.")
    if validator == "uniqueItems":
        return _("Each option is chosen once.")
    if validator == "pattern":
        return _("Enter an amount in euros, with at most two decimals.")
    if validator == "format":
        return _("Enter a date as YYYY-MM-DD.")
    return _("The answer is not valid.")


def _schema_errors(schema: dict[str, Any], answers: Any) -> dict[str, list[str]]:
    """The schema's errors, one message per path (the first the schema finds); shallow paths
    first, so a table over its rows is one message, not one for each of its rows."""
    errors: dict[str, list[str]] = {}

    def add(parts: list[Any], message: str) -> None:
        path = _path(parts)
        if path not in errors and len(errors) < MAX_ERRORS:
            errors[path] = [message]

    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    for error in sorted(validator.iter_errors(answers), key=lambda e: len(e.absolute_path)):
        parent = list(error.absolute_path)
        if any(_path(parent).startswith(f"{path}.") for path in errors):
            continue
        if error.validator == "required":
            for key in error.validator_value:
                if key not in error.instance:
                    add([*parent, key], _("Answer this question."))
        elif error.validator == "additionalProperties":
            for key in error.instance:
                if key not in error.schema.get("properties", {}):
                    add([*parent, key], _("This is not a question of the form."))
        else:
            add(parent, _schema_message(error))
    return errors


def holds(
    condition: dict[str, Any], answers: Mapping[str, Any], requested_amount: Decimal | None
) -> bool:
    """Whether a `show_if` / `require_if` condition holds (see application_forms.definition)."""
    if "amount_over" in condition:
        return requested_amount is not None and requested_amount > Decimal(
            str(condition["amount_over"])
        )
    answer = answers.get(condition["field"])
    if isinstance(answer, list):
        return condition["equals"] in answer
    return answer is not None and answer == condition["equals"]


def is_shown(
    field: dict[str, Any], answers: Mapping[str, Any], requested_amount: Decimal | None
) -> bool:
    return "show_if" not in field or holds(field["show_if"], answers, requested_amount)


def _is_empty(answer: Any) -> bool:
    return answer is None or answer == "" or answer == []


def _cleaned(answer: Any) -> Any:
    """A table's rows without their empty cells, and without the rows left empty: an empty
    cell is no answer, so a required column left empty is missing."""
    if not isinstance(answer, list) or not all(isinstance(row, dict) for row in answer):
        return answer
    rows = [{k: v for k, v in row.items() if not _is_empty(v)} for row in answer]
    return [row for row in rows if row]


def _file_error(field: dict[str, Any], attachment: AttachedFile | None) -> str | None:
    if attachment is None:
        return _("The file is not an attachment of this application.")
    if attachment.extension not in d.file_extensions(field):
        return _("Allowed file types: %(types)s.") % {"types": ", ".join(d.file_extensions(field))}
    if attachment.size > d.file_max_bytes(field):
        return _("The file is larger than %(limit)s.") % {
            "limit": filesizeformat(d.file_max_bytes(field))
        }
    return None


def _rule_errors(
    content: dict[str, Any],
    answers: Mapping[str, Any],
    *,
    requested_amount: Decimal | None,
    attachments: Mapping[int, AttachedFile],
    complete: bool,
    faulty: set[str],
) -> dict[str, list[str]]:
    """The rules beside the schema, on the answers of the right type (`faulty` names those
    that are not: a question whose condition reads one is not judged until it is fixed)."""
    errors: dict[str, list[str]] = {}
    for field in d.fields(content):
        key, answer = field["key"], answers.get(field["key"])
        conditions = [field.get("show_if", {}), field.get("require_if", {})]
        if key in faulty or any(c.get("field") in faulty for c in conditions):
            continue
        if not is_shown(field, answers, requested_amount):
            if not _is_empty(answer):
                errors[key] = [_("Leave this empty: the question does not apply.")]
            continue
        required = field.get("required") or (
            "require_if" in field and holds(field["require_if"], answers, requested_amount)
        )
        if complete and required and _is_empty(answer):
            errors[key] = [_("Answer this question.")]
        elif field["type"] == d.MONEY and not _is_empty(answer):
            limit = field.get("max")
            if limit is not None and Decimal(answer) > Decimal(str(limit)):
                errors[key] = [_("At most %(limit)s.") % {"limit": money(limit, get_language())}]
        elif field["type"] == d.FILE and not _is_empty(answer):
            message = _file_error(field, attachments.get(answer))
            if message:
                errors[key] = [message]
    return errors


def answers_validate(
    content: dict[str, Any],
    answers: Any,
    *,
    requested_amount: Decimal | None,
    attachments: Mapping[int, AttachedFile] | None = None,
    complete: bool = False,
) -> dict[str, Any]:
    """Return the answers with the empty ones left out, or raise `AnswersInvalid`.

    A draft (`complete=False`) is saved as it is typed: everything typed must be of the right
    type and within bounds, and no hidden question answered, but nothing is required yet.
    Sending it (`complete=True`) requires every question that applies."""
    if not isinstance(answers, dict):
        raise AnswersInvalid({"": [_("Give the answers as an object.")]})
    answers = {key: _cleaned(value) for key, value in answers.items() if not _is_empty(value)}
    answers = {key: value for key, value in answers.items() if not _is_empty(value)}
    errors = _schema_errors(json_schema(content, complete=complete), answers)
    # Every fault shows at once: the rules judge what the schema did not refuse.
    faulty = {path.split(".")[0] for path in errors}
    rules = _rule_errors(
        content,
        answers,
        requested_amount=requested_amount,
        attachments=attachments or {},
        complete=complete,
        faulty=faulty,
    )
    for path, messages in rules.items():
        errors.setdefault(path, messages)
    if errors:
        raise AnswersInvalid(errors)
    return answers
