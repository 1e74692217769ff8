"""No untranslated string: every msgid used in a template (any app's and config/'s) or in the
project's Python (views, forms, model fields and choices, services' and serializers' messages)
has a Finnish and a Swedish translation that is not empty and not fuzzy,
keeps its placeholders, and is the one Django actually serves (a catalogue earlier in the
lookup order, say django.contrib.admin's "Save", would otherwise shadow ours).

Templates are read with Django's own `templatize` (what makemessages feeds xgettext) and the
result, like the Python files, with Babel's extractor: no GNU gettext needed.
"""

import io
from pathlib import Path

import pytest
from babel.messages.extract import extract
from babel.messages.pofile import read_po
from django.utils import translation
from django.utils.translation.template import templatize

from tests.portals.catalogues import ROOT, catalogue_files, compile_catalogues

LANGUAGES = ("fi", "sv")
# Where people's strings live: config/ and every app (a directory with apps.py); migrations
# only copy model labels.
SKIPPED_DIRS = {"migrations"}
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}

Key = tuple[str | None, str]  # (context, msgid)


def template_files(root: Path) -> list[Path]:
    dirs = [root / "config" / "templates", *sorted(root.glob("*/templates"))]
    return sorted(
        path
        for directory in dirs
        for path in directory.rglob("*")
        if path.suffix in {".html", ".txt"}
    )


def python_files(root: Path) -> list[Path]:
    packages = [root / "config", *(apps.parent for apps in sorted(root.glob("*/apps.py")))]
    return sorted(
        path
        for package in packages
        for path in package.rglob("*.py")
        if not SKIPPED_DIRS.intersection(path.relative_to(package).parts)
    )


def _extract(source: str) -> dict[Key, tuple[str, ...]]:
    found = {}
    for _line, message, _comments, context in extract(
        "python", io.BytesIO(source.encode()), keywords=KEYWORDS
    ):
        ids = (message,) if isinstance(message, str) else tuple(m for m in message if m)
        if ids and ids[0]:
            found[(context, ids[0])] = ids
    return found


def used_messages(templates: list[Path], modules: list[Path]) -> dict[Key, tuple[str, Path]]:
    """(context, msgid) -> (its ids, where it was first seen)."""
    used: dict[Key, tuple[str, Path]] = {}
    for path in templates:
        # templatize's output is read as Python: an indented line would be a syntax error.
        text = templatize(path.read_text(), origin=str(path))
        flat = "\n".join(line.lstrip() for line in text.splitlines())
        for key, ids in _extract(flat).items():
            used.setdefault(key, (ids, path))
    for path in modules:
        for key, ids in _extract(path.read_text()).items():
            used.setdefault(key, (ids, path))
    return used


def translated(catalogues: list[Path]) -> dict[Key, object]:
    """Each (context, msgid) with a usable translation in any of the catalogues."""
    usable = {}
    for po in catalogues:
        with po.open("rb") as source:
            catalog = read_po(source)
        for message in catalog:
            if not message.id or message.fuzzy:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if all(strings):
                msgid = message.id if isinstance(message.id, str) else message.id[0]
                usable[(message.context, msgid)] = message
    return usable


def untranslated(root: Path, language: str) -> list[str]:
    have = translated(catalogue_files(root, language))
    used = used_messages(template_files(root), python_files(root))
    return sorted(
        f"{path.relative_to(root)}: {msgid!r}" + (f" (context {context!r})" if context else "")
        for (context, msgid), (_ids, path) in used.items()
        if (context, msgid) not in have
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_in_templates_and_python_is_translated(language):
    missing = untranslated(ROOT, language)

    assert missing == [], (
        f"{len(missing)} strings lack a {language} translation (`make makemessages`, "
        "translate, `make messages`):\n" + "\n".join(missing)
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_their_placeholders(language):
    problems = []
    for po in catalogue_files(ROOT, language):
        with po.open("rb") as source:
            catalog = read_po(source)
        for message, errors in catalog.check():
            problems += [f"{po.relative_to(ROOT)}: {message.id!r}: {error}" for error in errors]

    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_django_serves_our_translation_and_no_other_catalogue_shadows_it(language):
    compile_catalogues()
    shadowed = []
    with translation.override(language):
        for po in catalogue_files(ROOT, language):
            with po.open("rb") as source:
                catalog = read_po(source)
            for message in catalog:
                if not message.id or message.fuzzy or not all(message.string or ("",)):
                    continue
                if isinstance(message.id, tuple):
                    served = translation.ngettext(message.id[0], message.id[1], 1)
                    if message.context:
                        served = translation.npgettext(
                            message.context, message.id[0], message.id[1], 1
                        )
                    expected = message.string[0]
                else:
                    served = (
                        translation.pgettext(message.context, message.id)
                        if message.context
                        else translation.gettext(message.id)
                    )
                    expected = message.string
                if served != expected:
                    shadowed.append(
                        f"{po.relative_to(ROOT)}: {message.id!r} is served as {served!r}, "
                        f'not {expected!r}: give it a context (`context "…"`) or move it to '
                        "locale/"
                    )

    assert shadowed == [], "\n".join(shadowed)


# --- the checker itself --------------------------------------------------------------------


def _project(tmp_path: Path, po_body: str) -> Path:
    (tmp_path / "config" / "templates").mkdir(parents=True)
    (tmp_path / "config" / "templates" / "page.html").write_text(
        '{% load i18n %}<h1>{% translate "Hello" %}</h1>'
        "{% blocktranslate with n=count %}{{ n }} files{% endblocktranslate %}"
        '{% translate "Open" context "verb" %}'
    )
    (tmp_path / "app" / "templates").mkdir(parents=True)
    (tmp_path / "app" / "apps.py").write_text("")
    (tmp_path / "app" / "views.py").write_text(
        "from django.utils.translation import gettext as _\nMESSAGE = _('Saved.')\n"
    )
    (tmp_path / "app" / "models.py").write_text(
        "from django.utils.translation import gettext_lazy as _\nLABEL = _('title')\n"
    )
    # A migration copies the model's labels: not a source of its own.
    (tmp_path / "app" / "migrations").mkdir()
    (tmp_path / "app" / "migrations" / "0001_initial.py").write_text(
        "from django.utils.translation import gettext_lazy as _\nLABEL = _('copied label')\n"
    )
    po = tmp_path / "app" / "locale" / "fi" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + po_body)
    return tmp_path


def test_the_checker_finds_missing_empty_and_fuzzy_translations(tmp_path):
    root = _project(
        tmp_path,
        'msgid "Hello"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "%(n)s files"\nmsgstr "%(n)s tiedostoa"\n\n'
        'msgid "Open"\nmsgstr "Avoin"\n',
    )

    assert untranslated(root, "fi") == [
        "app/models.py: 'title'",
        "app/views.py: 'Saved.'",
        "config/templates/page.html: '%(n)s files'",
        "config/templates/page.html: 'Hello'",
        "config/templates/page.html: 'Open' (context 'verb')",
    ]


def test_the_checker_passes_a_fully_translated_project(tmp_path):
    root = _project(
        tmp_path,
        'msgid "Hello"\nmsgstr "Hei"\n\n'
        'msgid "%(n)s files"\nmsgstr "%(n)s tiedostoa"\n\n'
        'msgctxt "verb"\nmsgid "Open"\nmsgstr "Avaa"\n\n'
        'msgid "Saved."\nmsgstr "Tallennettu."\n\n'
        'msgid "title"\nmsgstr "otsikko"\n',
    )

    assert untranslated(root, "fi") == []
