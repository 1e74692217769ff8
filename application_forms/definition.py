"""What a form's content is, and the check an administrator's edit must pass before it is saved.

The content is JSON: `{"sections": [{"key", "title", "help"?, "fields": [field, ...]}]}`, a
field being `{"key", "type", "label", "help"?, "required"?, "show_if"?, "require_if"?,
"indicator"?, ...its type's own settings}`. Labels, titles and help texts are
`{"fi": ..., "sv": ..., "en": ...}`: Finnish and Swedish are the national languages an
authority serves in (Language Act 423/2003 10 §), English the third the product speaks.

A condition (`show_if`, `require_if`) is `{"field": <key>, "equals": <value>}` (for a multiple
choice: the value is among those chosen) or `{"amount_over": "<euros>"}` (the requested amount
is over the limit, as Helsinki asks more from 10 000 €). A hidden field takes no answer.
"""

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

LANGUAGES = ("fi", "sv", "en")

SHORT_TEXT, LONG_TEXT = "short_text", "long_text"
NUMBER, MONEY, COUNT, DATE = "number", "money", "count", "date"
CHOICE, MULTIPLE_CHOICE, YES_NO = "choice", "multiple_choice", "yes_no"
FILE, TABLE = "file", "table"
TYPES = (
    SHORT_TEXT,
    LONG_TEXT,
    NUMBER,
    MONEY,
    COUNT,
    DATE,
    CHOICE,
    MULTIPLE_CHOICE,
    YES_NO,
    FILE,
    TABLE,
)
# A table's row is read as one line of a list: no files or tables inside it.
COLUMN_TYPES = (SHORT_TEXT, LONG_TEXT, NUMBER, MONEY, COUNT, DATE, CHOICE, YES_NO)
# What a yearly report sums across the applications (issue 14: members under 29 and so on).
INDICATORS = ("members", "members_under_29", "volunteers", "events", "participants")
INDICATOR_TYPES = (NUMBER, MONEY, COUNT, TABLE)

# The bounds of an answer: a longer text or a larger number is refused, never stored.
TEXT_LIMITS = {SHORT_TEXT: (200, 1000), LONG_TEXT: (5000, 50000)}  # (default, ceiling)
NUMBER_LIMIT = 10**12
COUNT_LIMIT = 10**9
MONEY_LIMIT = Decimal("9999999999.99")  # the 12 digits of a money field
MAX_ROWS = 500
MAX_SECTIONS = 50
MAX_FIELDS = 300

KEY = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
_COMMON = {"key", "type", "label", "help", "required", "show_if", "require_if", "indicator"}
_OWN = {
    SHORT_TEXT: {"max_length"},
    LONG_TEXT: {"max_length"},
    NUMBER: {"min", "max"},
    MONEY: {"max"},
    COUNT: {"max"},
    DATE: set(),
    CHOICE: {"choices"},
    MULTIPLE_CHOICE: {"choices"},
    YES_NO: set(),
    FILE: {"extensions", "max_bytes"},
    TABLE: {"columns", "max_rows"},
}


def text(value: Any) -> str:
    """A label in the language of the request, else Finnish, else any."""
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        return ""
    language = (get_language() or "fi")[:2]
    return value.get(language) or value.get("fi") or next(iter(value.values()), "")


def fields(content: dict[str, Any]) -> list[dict[str, Any]]:
    """The form's top-level fields, in order (a table's columns are inside their field)."""
    return [field for section in content.get("sections", []) for field in section["fields"]]


def max_length(field: dict[str, Any]) -> int:
    return field.get("max_length") or TEXT_LIMITS[field["type"]][0]


def file_extensions(field: dict[str, Any]) -> list[str]:
    return field.get("extensions") or list(settings.ATTACHMENT_EXTENSIONS)


def file_max_bytes(field: dict[str, Any]) -> int:
    return field.get("max_bytes") or settings.ATTACHMENT_MAX_BYTES


class _Check:
    """Collects every fault of a content, each naming where it is ("section 2, field
    'members': ..."), so the administrator fixes them in one go."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}" if where else message)

    def labels(self, where: str, value: Any, name: str, *, required: bool = True) -> None:
        if value is None and not required:
            return
        if not isinstance(value, dict) or not all(
            isinstance(value.get(language), str) and value.get(language).strip()
            for language in LANGUAGES
        ):
            self.fail(where, _("%(name)s needs a text in fi, sv and en.") % {"name": name})
        elif set(value) - set(LANGUAGES):
            self.fail(where, _("%(name)s has a language other than fi, sv, en.") % {"name": name})


def _positive_int(value: Any, ceiling: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= ceiling


def _field_check(check: _Check, where: str, field: dict[str, Any], *, column: bool) -> None:
    kind = field.get("type")
    allowed = COLUMN_TYPES if column else TYPES
    if kind not in allowed:
        check.fail(
            where,
            _("unknown type %(type)r; use one of %(types)s.")
            % {"type": kind, "types": ", ".join(allowed)},
        )
        return
    unknown = set(field) - _COMMON - _OWN[kind]
    if unknown:
        check.fail(where, _("unknown settings: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    check.labels(where, field.get("label"), _("The label"))
    check.labels(where, field.get("help"), _("The help text"), required=False)
    if not isinstance(field.get("required", False), bool):
        check.fail(where, _("“required” is true or false."))
    if column and (set(field) & {"show_if", "require_if", "indicator"}):
        check.fail(where, _("a table's column takes no conditions or indicator."))
    if "indicator" in field and (
        field["indicator"] not in INDICATORS or kind not in INDICATOR_TYPES
    ):
        check.fail(
            where,
            _("an indicator is one of %(names)s, on a number, money, count or table field.")
            % {"names": ", ".join(INDICATORS)},
        )
    if (
        kind in TEXT_LIMITS
        and "max_length" in field
        and not _positive_int(field["max_length"], TEXT_LIMITS[kind][1])
    ):
        check.fail(
            where,
            _("“max_length” is a whole number up to %(limit)s.") % {"limit": TEXT_LIMITS[kind][1]},
        )
    if kind in (NUMBER, MONEY, COUNT):
        for name in ("min", "max"):
            if name in field and not _number_within(field[name], kind):
                check.fail(
                    where, _("“%(name)s” is not a number this field can hold.") % {"name": name}
                )
    if kind in (CHOICE, MULTIPLE_CHOICE):
        _choices_check(check, where, field.get("choices"))
    if kind == FILE:
        extensions = field.get("extensions", settings.ATTACHMENT_EXTENSIONS)
        if (
            not isinstance(extensions, list)
            or not extensions
            or not set(extensions) <= set(settings.ATTACHMENT_EXTENSIONS)
        ):
            check.fail(
                where,
                _("“extensions” lists some of %(types)s.")
                % {"types": ", ".join(settings.ATTACHMENT_EXTENSIONS)},
            )
        if "max_bytes" in field and not _positive_int(
            field["max_bytes"], settings.ATTACHMENT_MAX_BYTES
        ):
            check.fail(
                where,
                _("“max_bytes” is at most %(limit)s.") % {"limit": settings.ATTACHMENT_MAX_BYTES},
            )
    if kind == TABLE:
        if not _positive_int(field.get("max_rows"), MAX_ROWS):
            check.fail(
                where, _("“max_rows” is a whole number up to %(limit)s.") % {"limit": MAX_ROWS}
            )
        columns = field.get("columns")
        if not isinstance(columns, list) or not columns:
            check.fail(where, _("a table needs its columns."))
            return
        keys: set[str] = set()
        for column_field in columns:
            _keyed_check(check, f"{where}, column", column_field, keys, column=True)


def _number_within(value: Any, kind: str) -> bool:
    # A number's and a count's bounds go into the JSON Schema as JSON numbers; money is text.
    kinds = (int, float, str) if kind == MONEY else (int, float)
    if isinstance(value, bool) or not isinstance(value, kinds):
        return False
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return False
    if not number.is_finite():
        return False
    limit = {NUMBER: NUMBER_LIMIT, MONEY: MONEY_LIMIT, COUNT: COUNT_LIMIT}[kind]
    return -limit <= number <= limit


def _choices_check(check: _Check, where: str, choices: Any) -> None:
    if not isinstance(choices, list) or not choices:
        check.fail(where, _("a choice needs its options."))
        return
    values = [c.get("value") for c in choices if isinstance(c, dict)]
    if len(values) != len(choices) or not all(isinstance(v, str) and KEY.match(v) for v in values):
        check.fail(where, _("each option has a value (lowercase letters, digits, _) and a label."))
    elif len(set(values)) != len(values):
        check.fail(where, _("an option's value is given twice."))
    for choice in choices:
        if isinstance(choice, dict):
            check.labels(where, choice.get("label"), _("An option's label"))


def _keyed_check(check: _Check, where: str, field: Any, keys: set[str], *, column: bool) -> None:
    if not isinstance(field, dict):
        check.fail(where, _("a field is an object."))
        return
    key = field.get("key")
    where = f"{where} {key!r}"
    if not isinstance(key, str) or not KEY.match(key):
        check.fail(where, _("a key is lowercase letters, digits and _, starting with a letter."))
    elif key in keys:
        check.fail(where, _("the key is used twice."))
    else:
        keys.add(key)
    _field_check(check, where, field, column=column)


def _condition_check(
    check: _Check, where: str, condition: Any, key: str, by_key: dict[str, dict[str, Any]]
) -> None:
    if not isinstance(condition, dict):
        check.fail(where, _("a condition is an object."))
        return
    if set(condition) == {"amount_over"}:
        try:
            limit = Decimal(str(condition["amount_over"]))
        except InvalidOperation:
            limit = Decimal(-1)
        if not limit.is_finite() or not Decimal(0) <= limit <= MONEY_LIMIT:
            check.fail(where, _("“amount_over” is an amount in euros."))
        return
    if set(condition) != {"field", "equals"}:
        check.fail(where, _('a condition is {"field", "equals"} or {"amount_over"}.'))
        return
    other = by_key.get(condition["field"]) if isinstance(condition["field"], str) else None
    if other is None:
        check.fail(
            where,
            _("the condition names a field that is not in the form: %(key)r.")
            % {"key": condition["field"]},
        )
    elif condition["field"] == key:
        check.fail(where, _("a field's condition cannot name the field itself."))
    elif other["type"] in (FILE, TABLE):
        check.fail(where, _("a condition cannot read a file or a table."))
    elif other["type"] in (CHOICE, MULTIPLE_CHOICE) and condition["equals"] not in [
        c.get("value") for c in other.get("choices", []) if isinstance(c, dict)
    ]:
        check.fail(
            where, _("the condition's value is not an option of %(key)r.") % {"key": other["key"]}
        )
    elif other["type"] == YES_NO and not isinstance(condition["equals"], bool):
        check.fail(where, _("the condition on a yes/no field equals true or false."))


def definition_check(content: Any) -> None:
    """Raise a ValidationError listing every fault of a form's content: an unknown type, a key
    given twice, a condition naming a field that is not there, a label missing a language."""
    check = _Check()
    if not isinstance(content, dict) or not isinstance(content.get("sections"), list):
        raise ValidationError(_("The form is an object with a list of “sections”."))
    sections = content["sections"]
    if set(content) - {"sections"}:
        check.fail("", _("The form has only “sections”."))
    if len(sections) > MAX_SECTIONS:
        check.fail("", _("At most %(limit)s sections.") % {"limit": MAX_SECTIONS})
    keys: set[str] = set()
    count = 0
    for number, section in enumerate(sections, start=1):
        where = _("section %(number)s") % {"number": number}
        if not isinstance(section, dict) or not isinstance(section.get("fields"), list):
            check.fail(where, _("a section has a title and a list of “fields”."))
            continue
        if set(section) - {"key", "title", "help", "fields"}:
            check.fail(where, _("a section has only a key, a title, a help text and fields."))
        check.labels(where, section.get("title"), _("The title"))
        check.labels(where, section.get("help"), _("The help text"), required=False)
        for field in section["fields"]:
            count += 1
            _keyed_check(check, f"{where}, {_('field')}", field, keys, column=False)
    if count > MAX_FIELDS:
        check.fail("", _("At most %(limit)s fields.") % {"limit": MAX_FIELDS})
    if not check.errors:
        by_key = {field["key"]: field for field in fields(content)}
        for field in by_key.values():
            for name in ("show_if", "require_if"):
                if name in field:
                    where = f"{_('field')} {field['key']!r}, {name}"
                    _condition_check(check, where, field[name], field["key"], by_key)
    if check.errors:
        raise ValidationError(check.errors)
