"""The JSON Schema (draft 2020-12) of a form version's answers, generated from its content.

It says the types and bounds of every answer and, for a complete application, which answers
are required. What JSON Schema cannot say simply stays in `application_forms.validation` and
is published as `x-show-if` / `x-require-if` on the property: conditions on the requested
amount, answers to hidden fields, files that must be the application's own attachments.
"""

from typing import Any

from application_forms import definition as d

DIALECT = "https://json-schema.org/draft/2020-12/schema"
# An amount in euros with at most two decimals, as text: a float would lose cents.
MONEY_PATTERN = r"^-?[0-9]{1,10}(\.[0-9]{1,2})?$"


def _field_schema(field: dict[str, Any], *, complete: bool) -> dict[str, Any]:
    kind = field["type"]
    schema: dict[str, Any] = {"title": d.text(field["label"])}
    if kind in d.TEXT_LIMITS:
        schema |= {"type": "string", "maxLength": d.max_length(field)}
    elif kind == d.NUMBER:
        schema |= {
            "type": "number",
            "minimum": field.get("min", -d.NUMBER_LIMIT),
            "maximum": field.get("max", d.NUMBER_LIMIT),
        }
    elif kind == d.COUNT:
        schema |= {"type": "integer", "minimum": 0, "maximum": field.get("max", d.COUNT_LIMIT)}
    elif kind == d.MONEY:
        schema |= {"type": "string", "maxLength": 14, "pattern": MONEY_PATTERN}
    elif kind == d.DATE:
        schema |= {"type": "string", "format": "date", "maxLength": 10}
    elif kind == d.CHOICE:
        schema["enum"] = [choice["value"] for choice in field["choices"]]
    elif kind == d.MULTIPLE_CHOICE:
        values = [choice["value"] for choice in field["choices"]]
        schema |= {
            "type": "array",
            "items": {"enum": values},
            "uniqueItems": True,
            "maxItems": len(values),
        }
    elif kind == d.YES_NO:
        schema["type"] = "boolean"
    elif kind == d.FILE:
        # The id of one of the application's attachments.
        schema |= {
            "type": "integer",
            "minimum": 1,
            "maximum": 2**63 - 1,
            "x-extensions": d.file_extensions(field),
            "x-max-bytes": d.file_max_bytes(field),
        }
    elif kind == d.TABLE:
        schema |= {
            "type": "array",
            "maxItems": field["max_rows"],
            "items": _object_schema(field["columns"], complete=complete),
        }
    for condition in ("show_if", "require_if"):
        if condition in field:
            schema[f"x-{condition.replace('_', '-')}"] = field[condition]
    if "indicator" in field:
        schema["x-indicator"] = field["indicator"]
    return schema


def _object_schema(fields: list[dict[str, Any]], *, complete: bool) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {f["key"]: _field_schema(f, complete=complete) for f in fields},
        "additionalProperties": False,
    }
    required = [f["key"] for f in fields if f.get("required") and "show_if" not in f and complete]
    if required:
        schema["required"] = required
    return schema


def json_schema(content: dict[str, Any], *, complete: bool = True) -> dict[str, Any]:
    """The schema of the answers. `complete=False` is a draft's: the same types and bounds,
    nothing required yet (a draft is saved as it is typed)."""
    return {"$schema": DIALECT, **_object_schema(d.fields(content), complete=complete)}
