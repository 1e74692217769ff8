"""Rendering .docx templates with docxtpl, fast and safely.

Safety: every template renders in a `jinja2.sandbox.SandboxedEnvironment` with autoescape
(without it an `&` or `<` in a value breaks the XML and silently truncates the document) and
StrictUndefined (a misspelt variable fails instead of leaving a blank in a legal document).

Speed: `DocxTemplate(path).render(ctx); save()` re-reads the package, re-parses and re-patches
the XML and recompiles the Jinja source for every document. A `CompiledTemplate` does that once
per template version: docxtpl's `patch_xml` prepares each part that holds tags, the sandbox
compiles it, and every other part of the package is kept as bytes. A document is then the Jinja
render of those parts, docxtpl's `resolve_listing` (line breaks in values), and a zip write.
"""

import io
import re
import zipfile
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from django.utils import timezone
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, Template, nodes, pass_context
from jinja2.sandbox import SandboxedEnvironment

from workflow.formats import local_date, money

# The parts docxtpl renders: the body, headers and footers.
_TEMPLATED_PART = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")


@pass_context
def _money(context: Mapping[str, Any], value: Any) -> str:
    return money(value, context.get("lang", "fi"))


@pass_context
def _date(context: Mapping[str, Any], value: Any) -> str:
    return local_date(value, context.get("lang", "fi"))


# The time of day as each language writes it: "klo 14.05", "kl. 14.05", "at 14:05".
_TIME_OF_DAY = {"fi": "klo %H.%M", "sv": "kl. %H.%M", "en": "at %H:%M"}


@pass_context
def _datetime(context: Mapping[str, Any], value: datetime | str | None) -> str:
    """A moment (an aware datetime, or an ISO string) in local time: "30.11.2026 klo 14.05",
    "30.11.2026 kl. 14.05", "30 November 2026 at 14:05"; the date and time never part."""
    if not value:
        return ""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    lang = context.get("lang", "fi")
    time_of_day = moment.strftime(_TIME_OF_DAY.get(lang, _TIME_OF_DAY["fi"]))
    return _nobreak(f"{local_date(moment.date(), lang)} {time_of_day}")


def _nobreak(value: Any) -> str:
    """The value with no-break spaces: a number and its unit ("§ 12/2026", "+358 9 123 4567")
    stay on one line."""
    return "" if value is None else str(value).replace(" ", "\u00a0")


def environment() -> SandboxedEnvironment:
    """The one environment every template renders in (and the lint checks against)."""
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    env.filters["money"] = _money
    env.filters["date"] = _date
    env.filters["datetime"] = _datetime
    env.filters["nobreak"] = _nobreak
    return env


class TemplateRefused(ValueError):
    """The template reaches for Python internals or is not a valid docxtpl template."""


def _refuse_private_attributes(source: Any) -> None:
    # The sandbox already refuses `x.__class__` at render time; refusing the template when it
    # is uploaded means no such template is ever stored.
    for node in source.find_all((nodes.Getattr, nodes.Getitem)):
        name = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", "")
        if isinstance(name, str) and name.startswith("_"):
            raise TemplateRefused(f"The template reaches for a private attribute: {name!r}.")


class CompiledTemplate:
    """A .docx template prepared once, rendered many times."""

    def __init__(self, docx: bytes) -> None:
        self._docxtpl = DocxTemplate(io.BytesIO(docx))
        env = environment()
        self._parts: list[tuple[zipfile.ZipInfo, bytes | Template]] = []
        self.variables: set[str] = set()
        with zipfile.ZipFile(io.BytesIO(docx)) as package:
            for info in package.infolist():
                data = package.read(info)
                if _TEMPLATED_PART.match(info.filename):
                    source = self._prepare(data.decode("utf-8"))
                    try:
                        parsed = env.parse(source)
                    except Exception as exc:
                        raise TemplateRefused(f"{info.filename}: {exc}") from exc
                    _refuse_private_attributes(parsed)
                    self.variables |= _undeclared(parsed)
                    self._parts.append((info, env.from_string(source)))
                else:
                    self._parts.append((info, data))

    def _prepare(self, xml: str) -> str:
        # What docxtpl's render_xml_part does before compiling: each paragraph on a line of
        # its own (so that {%p %} tags work), after its patch_xml joins tags split in runs.
        return re.sub(r"<w:p([ >])", r"\n<w:p\1", self._docxtpl.patch_xml(xml))

    def _finish(self, xml: str) -> str:
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%")
        return self._docxtpl.resolve_listing(xml.replace("%_}", "%}"))

    def render(self, context: Mapping[str, Any]) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
            for info, part in self._parts:
                if isinstance(part, bytes):
                    package.writestr(info, part)
                else:
                    package.writestr(info, self._finish(part.render(context)).encode("utf-8"))
        return out.getvalue()


def _undeclared(parsed: Any) -> set[str]:
    from jinja2 import meta

    return set(meta.find_undeclared_variables(parsed))


_COMPILED: dict[str, CompiledTemplate] = {}


def compiled(sha256: str, load: Callable[[], bytes]) -> CompiledTemplate:
    """The compiled template with this content hash; `load` reads the bytes on a miss only.
    A new upload has a new hash, so nothing cached can go stale."""
    template = _COMPILED.get(sha256)
    if template is None:
        if len(_COMPILED) >= 64:
            _COMPILED.clear()
        template = _COMPILED[sha256] = CompiledTemplate(load())
    return template
