"""The Jinja expressions the templates print optional facts with: a value with its label only
when there is a value, and separators only between the values there are ("puh. ,", "· ·" and a
dangling comma never reach a decision)."""

import json

NBSP = "\u00a0"


def joined(*parts: str, sep: str) -> str:
    """A Jinja expression: those of `parts` (Jinja expressions) that are not empty, with `sep`
    between them ("\\n" for a line break); no separator is left around an empty value
    ("puh. ,", "· ·")."""
    return "([" + ", ".join(parts) + "]|select|join(" + _literal(sep) + "))"


def present(*parts: str, sep: str) -> str:
    """The docxtpl tag printing `joined(*parts, sep=sep)`."""
    return "{{ " + joined(*parts, sep=sep) + " }}"


def then(sep: str, *parts: str) -> str:
    """Like `present`, each part led by `sep`: what follows a value already printed (a bold
    name) without a dangling separator when nothing follows ("Esimerkkilän kaupunki,")."""
    return (
        "{% for part in [" + ", ".join(parts) + "]|select %}"
        "{{ " + _literal(sep) + " }}{{ part }}{% endfor %}"
    )


def labelled(label: str, value: str) -> str:
    """A Jinja expression: the label and the value joined by a no-break space (they never
    part), or "" when the value is empty (no label without its value)."""
    return f"({_literal(label + NBSP)} ~ {value} if {value} else {_literal('')})"


def _literal(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)
