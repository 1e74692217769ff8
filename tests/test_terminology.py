"""One terminology: no variant that docs/terminology.md rules out, in its language, wherever a
person reads text: the catalogues (msgstr; for English the msgid), the notification templates,
the HTML templates, the calendar's words and the Word templates' text.

The table in docs/terminology.md is the one source: people read it, this test parses it.
"""

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.utils import translation

from tests.portals.catalogues import ROOT, catalogue_files
from workflow.deadlines import kind_label, registered_kinds

LANGUAGES = ("fi", "sv", "en")
TABLE = "docs/terminology.md"
BUILDER = "documents/template_builder"
# The terms the product cannot do without (issue 11): each must be in the table.
REQUIRED_TERMS = {
    "grant",
    "application",
    "call",
    "decision",
    "request for completion",
    "request for rectification",
    "period for a request for rectification",
    "appeal to the administrative court",
    "legally valid",
    "notification (of a decision)",
    "follow-up report",
    "payment",
    "payment order",
    "partnership agreement",
    "yearly evaluation",
}


@dataclass(frozen=True)
class Variant:
    """A word not to use; `unless`: a word whose presence in the same text allows it."""

    text: str
    unless: str = ""

    @property
    def pattern(self) -> re.Pattern:
        word = re.escape(self.text.strip("*"))
        start = r"\w*" if self.text.startswith("*") else r"\b"
        end = r"\w*" if self.text.endswith("*") else r"\b"
        return re.compile(start + word + end, re.IGNORECASE)

    def found_in(self, text: str) -> list[str]:
        if self.unless and self.unless.lower() in text.lower():
            return []
        return self.pattern.findall(text)


@dataclass(frozen=True)
class Term:
    name: str
    words: dict[str, str]
    banned: dict[str, tuple[Variant, ...]]


def _variant(cell: str) -> Variant:
    match = re.fullmatch(r"(.+?)\s*\(except beside (.+)\)", cell)
    return Variant(match[1], match[2]) if match else Variant(cell)


def terms(table: str) -> list[Term]:
    """The rows of the markdown table under the header `| term (code) | fi | sv | en | ...`."""
    rows = [line for line in table.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in rows[0].strip("|").split("|")]
    found = []
    for line in rows[2:]:
        cells = [cell.strip().replace("\\*", "*") for cell in line.strip("|").split("|")]
        row = dict(zip(header, cells, strict=True))
        found.append(
            Term(
                name=row["term (code)"],
                words={language: row[language] for language in LANGUAGES},
                banned={
                    language: tuple(
                        _variant(v.strip()) for v in row[f"not {language}"].split(";") if v.strip()
                    )
                    for language in LANGUAGES
                },
            )
        )
    return found


# --- where people read text -------------------------------------------------------------------


def catalogue_texts(root: Path, language: str) -> Iterator[tuple[str, str]]:
    """Each translation (for English, each source string) of every catalogue."""
    source_language = "fi" if language == "en" else language
    for po in catalogue_files(root, source_language):
        with po.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if not message.id:
                continue
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for text in ids if language == "en" else strings:
                yield f"{po.relative_to(root)}: {ids[0]!r}", text


def notification_texts(root: Path, language: str) -> Iterator[tuple[str, str]]:
    for path in sorted(root.glob(f"*/templates/notifications/{language}/*.txt")):
        yield str(path.relative_to(root)), path.read_text()


def html_texts(root: Path) -> Iterator[tuple[str, str]]:
    dirs = [root / "config" / "templates", *sorted(root.glob("*/templates"))]
    for directory in dirs:
        for path in sorted(directory.rglob("*.html")):
            yield str(path.relative_to(root)), path.read_text()


def calendar_texts(language: str) -> Iterator[tuple[str, str]]:
    """The words of the calendar feeds (workflow.calendar) in the feed's language."""
    with translation.override(language):
        for kind in sorted(registered_kinds()):
            yield f"calendar: {kind}", kind_label(kind)
        yield "calendar: name", translation.gettext("Deadlines – %(owner)s")
        yield "calendar: link", translation.gettext("Open in the service: %(link)s")


def builder_texts(root: Path, language: str) -> Iterator[tuple[str, str]]:
    """The Word templates' text: the `tr(fi, sv, en)` strings of each of the builder's
    functions, one text per function (a section of a document)."""
    index = LANGUAGES.index(language)
    for path in sorted((root / BUILDER).glob("*.py")):
        yield from _function_texts(path, f"{BUILDER}/{path.name}", index)


def _function_texts(path: Path, name: str, index: int) -> Iterator[tuple[str, str]]:
    for function in ast.parse(path.read_text()).body:
        if not isinstance(function, ast.FunctionDef):
            continue
        parts = []
        for node in ast.walk(function):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", "") == "tr"
                and len(node.args) == 3
            ):
                parts += [
                    n.value
                    for n in ast.walk(node.args[index])
                    if isinstance(n, ast.Constant) and isinstance(n.value, str)
                ]
        if parts:
            yield f"{name}: {function.name}()", " ".join(parts)


def texts(root: Path, language: str) -> Iterator[tuple[str, str]]:
    yield from catalogue_texts(root, language)
    yield from notification_texts(root, language)
    yield from html_texts(root)
    yield from builder_texts(root, language)


def violations(root: Path, table: list[Term], language: str, extra=()) -> list[str]:
    banned = [(term, v) for term in table for v in term.banned[language]]
    found = []
    for where, text in [*texts(root, language), *extra]:
        for term, variant in banned:
            for word in variant.found_in(text):
                found.append(f"{where}: {word!r} (say {term.words[language]!r})")
    return sorted(set(found))


# --- the tests --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def table() -> list[Term]:
    return terms((ROOT / TABLE).read_text())


def test_the_table_has_every_product_term_in_every_language(table):
    names = {term.name for term in table}

    assert names >= REQUIRED_TERMS
    for term in table:
        assert all(term.words[language] for language in LANGUAGES), term.name


def test_the_swedish_words_are_those_of_the_law(table):
    by_name = {term.name: term for term in table}

    assert by_name["grant"].words["sv"] == "bidrag"
    assert by_name["request for rectification"].words["sv"] == "begäran om omprövning"
    assert by_name["request for rectification"].words["fi"] == "oikaisuvaatimus"
    period = by_name["period for a request for rectification"]
    assert period.words["sv"] == "tiden för begäran om omprövning"
    assert Variant("besvärstid*", "förvaltningsdomstol") in period.banned["sv"]


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_text_uses_a_variant_the_terminology_rules_out(table, language):
    found = violations(ROOT, table, language, extra=calendar_texts(language))

    assert found == [], (
        f"{len(found)} texts use a word docs/terminology.md rules out in {language}:\n"
        + "\n".join(found)
    )


# --- the checker itself -----------------------------------------------------------------------


def test_a_variant_matches_at_word_starts_and_as_long_as_its_stars_allow():
    assert Variant("understöd*").found_in("Det beviljade understödet") == ["understödet"]
    assert Variant("understöd*").found_in("verksamhetsunderstöd") == []
    assert Variant("*understöd*").found_in("verksamhetsunderstöd") == ["verksamhetsunderstöd"]
    assert Variant("completion request").found_in("Completion requested") == []
    assert Variant("completion request").found_in("A completion request.") == ["completion request"]


def test_a_variant_is_allowed_beside_the_word_that_makes_it_right():
    court = Variant("besvärstid*", "förvaltningsdomstol")

    assert court.found_in("Besvärstiden går ut.") == ["Besvärstiden"]
    assert court.found_in("Besvärstiden till förvaltningsdomstolen är 30 dagar.") == []


def test_the_checker_reads_every_kind_of_text(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "app" / "templates" / "notifications" / "sv").mkdir(parents=True)
    (tmp_path / "app" / "templates" / "notifications" / "sv" / "k.txt").write_text(
        "Understödet betalas."
    )
    (tmp_path / "app" / "templates" / "page.html").write_text("<p>understöd</p>")
    po = tmp_path / "app" / "locale" / "sv" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Grant"\nmsgstr "Understöd"\n\nmsgid "Fine"\nmsgstr "Bidrag"\n'
    )
    (tmp_path / BUILDER).mkdir(parents=True)
    (tmp_path / BUILDER / "kit.py").write_text(
        'def section(tr):\n    return tr("Avustus", "Understöd " + x + "!", "Grant")\n'
    )
    table = terms(
        "| term (code) | fi | sv | en | not fi | not sv | not en |\n|---|---|---|---|---|---|---|\n"
        "| grant | avustus | bidrag | grant |  | \\*understöd\\* | subsid\\* |\n"
    )

    assert violations(tmp_path, table, "sv") == [
        "app/locale/sv/LC_MESSAGES/django.po: 'Grant': 'Understöd' (say 'bidrag')",
        "app/templates/notifications/sv/k.txt: 'Understödet' (say 'bidrag')",
        "app/templates/page.html: 'understöd' (say 'bidrag')",
        "documents/template_builder/kit.py: section(): 'Understöd' (say 'bidrag')",
    ]
