"""Static checks over every template, and the shared includes and filters rendered alone."""

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django import forms
from django.core.paginator import Paginator
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
# Email bodies are not web pages: mail clients need their styles inline, and no CSP applies.
EMAIL_TEMPLATES = "notifications"

INLINE = {
    "inline script": re.compile(
        r"<script\b(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")", re.I
    ),
    "style element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event handler attribute": re.compile(r"\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "hx-on attribute (htmx evaluates it)": re.compile(r"\shx-on", re.I),
}


def web_templates(root: Path = ROOT) -> list[Path]:
    dirs = [root / "config" / "templates", *sorted(root.glob("*/templates"))]
    return sorted(
        path
        for directory in dirs
        for path in directory.rglob("*.html")
        if EMAIL_TEMPLATES not in path.relative_to(directory).parts
    )


COMMENTS = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.S)


def inline_code(text: str) -> list[str]:
    """The kinds of inline code in a template, its Django comments left out."""
    code = COMMENTS.sub("", text)
    return [name for name, pattern in INLINE.items() if pattern.search(code)]


def test_no_template_has_inline_scripts_styles_or_handlers():
    templates = web_templates()
    found = {
        str(path.relative_to(ROOT)): problems
        for path in templates
        if (problems := inline_code(path.read_text()))
    }

    assert len(templates) >= 15
    assert found == {}, "The CSP would refuse these (move them to portal/static/):\n" + str(found)


@pytest.mark.parametrize(
    "snippet",
    [
        "<script>alert(1)</script>",
        '<script type="module">x()</script>',
        "<style>p{}</style>",
        '<p style="color: red">',
        '<button onclick="go()">',
        '<a href="javascript:go()">',
        '<button hx-on:click="go()">',
    ],
)
def test_the_scan_finds_each_kind_of_inline_code(snippet):
    assert inline_code(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="/static/js/app.js" defer></script>',
        '<script type="application/json" id="data">{}</script>',
        '<p class="onward">',
        '<a href="/style/">',
        "{# no <style> here #}{% comment %}nor <script>x</script>{% endcomment %}",
    ],
)
def test_the_scan_lets_files_and_data_through(snippet):
    assert inline_code(snippet) == []


# Django's {# #} comment ends on its line: one left open is printed into the page.
OPEN_COMMENT = re.compile(r"\{#(?!.*#\})")


def test_no_one_line_comment_runs_onto_the_next_line():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in web_templates()
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if OPEN_COMMENT.search(line)
    ]

    assert found == [], "Use {% comment %} for a note of several lines:\n" + "\n".join(found)


def test_the_scan_finds_an_open_comment():
    assert OPEN_COMMENT.search("{# a note that goes on")
    assert not OPEN_COMMENT.search("{# a note #} <p>")


# A swap or settle delay leaves swapped-in content in the page before htmx has bound it: a form
# sent in that moment posts as a plain form (base.html's htmx-config settles at once).
DELAYED_SWAP = re.compile(r"""hx-swap\s*=\s*["'][^"']*\b(settle|swap):""", re.I)


def test_no_htmx_swap_brings_back_a_settle_or_swap_delay():
    base = (ROOT / "portal" / "templates" / "base.html").read_text()
    delayed = [
        str(path.relative_to(ROOT))
        for path in web_templates()
        if DELAYED_SWAP.search(COMMENTS.sub("", path.read_text()))
    ]

    assert '"defaultSettleDelay": 0' in base
    assert delayed == []


@pytest.mark.parametrize(
    "swap", ['hx-swap="outerHTML settle:100ms"', "hx-swap='innerHTML swap:1s'"]
)
def test_the_scan_finds_a_delayed_swap(swap):
    assert DELAYED_SWAP.search(swap)


# --- includes ------------------------------------------------------------------------------


class _Form(forms.Form):
    name = forms.CharField(label="Name", help_text="As in the register.")
    consent = forms.BooleanField(label="I agree", required=False)


def test_a_field_with_an_error_is_labelled_described_and_marked_invalid():
    form = _Form({"name": ""})
    form.is_valid()

    html = render_to_string("includes/field.html", {"field": form["name"]})

    assert '<label class="field__label" for="id_name">Name' in html
    assert 'id="id_name_helptext"' in html
    assert 'id="id_name_error"' in html
    assert re.search(
        r'<input[^>]*aria-invalid="true"[^>]*aria-describedby="id_name_helptext id_name_error"',
        html,
    ) or re.search(
        r'<input[^>]*aria-describedby="id_name_helptext id_name_error"[^>]*aria-invalid="true"',
        html,
    )


def test_a_checkbox_comes_before_its_label():
    html = render_to_string("includes/field.html", {"field": _Form()["consent"]})

    assert html.index('type="checkbox"') < html.index(
        '<label class="field__label" for="id_consent"'
    )


def test_pagination_keeps_the_other_query_parameters():
    page = Paginator(list(range(30)), 10).page(2)
    request = RequestFactory().get("/applications/?state=submitted&page=2")

    with translation.override("fi"):
        html = render_to_string("includes/pagination.html", {"page_obj": page}, request=request)

    assert 'href="?state=submitted&amp;page=1"' in html
    assert 'href="?state=submitted&amp;page=3"' in html
    assert "Sivu 2 / 3" in html


def test_the_status_badge_writes_its_label():
    html = render_to_string("includes/status_badge.html", {"label": "Submitted", "tone": "info"})

    assert html.strip() == '<span class="badge badge--info">Submitted</span>'


def test_a_wrapped_table_is_a_named_focusable_region():
    html = Template("{% load ui %}{% tablewrap name %}<table></table>{% endtablewrap %}").render(
        Context({"name": "Applications & reports"})
    )

    assert html == (
        '<div class="table-wrap" role="region" aria-label="Applications &amp; reports" '
        'tabindex="0"><table></table></div>'
    )


# --- formats -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fi", "5\u202f000,50\u00a0€ · 1.12.2026 · 1.12.2026 klo 14.05 · 15"),
        ("sv", "5\u202f000,50\u00a0€ · 1.12.2026 · 1.12.2026 kl. 14.05 · 15"),
        ("en", "€5,000.50 · 1 December 2026 · 1 December 2026, 14:05 · 15"),
    ],
)
def test_money_dates_and_times_follow_the_active_language(language, expected):
    template = Template(
        "{% load formats %}{{ amount|money }} · {{ day|local_date }} · "
        "{{ moment|local_datetime }} · {{ wait|minutes }}"
    )
    context = Context(
        {
            "amount": Decimal("5000.5"),
            "day": date(2026, 12, 1),
            "moment": datetime(2026, 12, 1, 12, 5, tzinfo=UTC),  # 14.05 in Helsinki
            "wait": timedelta(minutes=15),
        }
    )

    with translation.override(language):
        assert template.render(context) == expected


def test_a_moment_near_midnight_is_dated_in_helsinki():
    template = Template("{% load formats %}{{ moment|local_date }}")
    moment = datetime(2026, 12, 31, 22, 30, tzinfo=UTC)  # already 1 January in Helsinki

    with translation.override("fi"):
        assert template.render(Context({"moment": moment})) == "1.1.2027"
