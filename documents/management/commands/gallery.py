"""`manage.py gallery`: page images of every document kind in Finnish and Swedish, so that a
reviewer sees a change to a template as a picture (`make gallery`; docs/gallery/ is committed).

Each kind is rendered from its sample context (documents.samples) with the shipped template
(templates_docx/), converted by one cold LibreOffice start (never the PDF server: the same
pictures on every machine that has the same fonts) and drawn by pdftoppm (poppler-utils). The
pictures are named <kind>.<language>-<page>.png and shown in the folder's README.md.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from documents.models import Kind
from documents.pdf import docx_to_pdf_many
from documents.rendering import CompiledTemplate
from documents.samples import SAMPLES, sample
from documents.templates import SHIPPED

LANGUAGES = ("fi", "sv")
# An A4 page is 413 × 585 pixels: the layout shows, the files stay small.
RESOLUTION_DPI = 50
FOLDER = Path(settings.BASE_DIR) / "docs" / "gallery"


def picture_name(kind: str, language: str, page: int | str) -> str:
    return f"{kind}.{language}-{page}.png"


def _draw(pdf: bytes, folder: Path) -> list[bytes]:
    """The PDF's pages as PNG images, first page first."""
    (folder / "document.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", str(RESOLUTION_DPI), "-png", "document.pdf", "page"],
        cwd=folder,
        check=True,
        capture_output=True,
        timeout=120,
    )
    # pdftoppm pads the page number to the page count's width (page-1.png or page-01.png).
    pages = sorted(folder.glob("page-*.png"), key=lambda path: int(path.stem.rsplit("-", 1)[1]))
    return [path.read_bytes() for path in pages]


def readme(pages: dict[tuple[str, str], int]) -> str:
    """The gallery's README.md: per kind, its pages side by side in Finnish and Swedish."""
    lines = [
        "# Gallery of the generated documents",
        "",
        "Every document kind in Finnish and Swedish, rendered from its sample context",
        "(`documents/samples.py`) with the shipped template (`templates_docx/`), converted by",
        f"LibreOffice and drawn at {RESOLUTION_DPI} dpi. Made by `make gallery`: after changing a",
        "template, run it and commit the pictures with the change. Do not edit by hand.",
    ]
    for kind in dict.fromkeys(kind for kind, _ in pages):
        # In English whatever the settings' language: the same README on every machine.
        with translation.override("en"):
            lines += ["", f"## {Kind(kind).label} (`{kind}`)", ""]
        lines += ["| page | " + " | ".join(LANGUAGES) + " |", "| --- |" + " --- |" * len(LANGUAGES)]
        for page in range(1, max(pages[kind, language] for language in LANGUAGES) + 1):
            cells = [
                f"![{kind} {language} page {page}]({picture_name(kind, language, page)})"
                if page <= pages[kind, language]
                else ""
                for language in LANGUAGES
            ]
            lines.append(f"| {page} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "Draw every document kind in fi and sv as page images (PNG) into docs/gallery/."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", type=Path, default=FOLDER, help="default: docs/gallery")
        parser.add_argument(
            "--kind", dest="kinds", action="append", choices=list(SAMPLES), help="default: all"
        )

    def handle(self, *args, output: Path = FOLDER, kinds: list[str] | None = None, **options):
        if shutil.which("pdftoppm") is None:
            raise CommandError("The gallery needs pdftoppm (Debian: poppler-utils).")
        keys = [(kind, language) for kind in kinds or SAMPLES for language in LANGUAGES]
        documents = [
            CompiledTemplate((SHIPPED / f"{kind}.{language}.docx").read_bytes()).render(
                sample(kind, language)
            )
            for kind, language in keys
        ]
        pdfs = docx_to_pdf_many(documents)
        output.mkdir(parents=True, exist_ok=True)
        # The pictures drawn before go (a page or a kind that is no longer there with them),
        # once the conversion has worked.
        patterns = ["*.png"] if kinds is None else [picture_name(*key, "*") for key in keys]
        for pattern in patterns:
            for old in output.glob(pattern):
                old.unlink()
        pages = {}
        for (kind, language), pdf in zip(keys, pdfs, strict=True):
            with tempfile.TemporaryDirectory(prefix="avustus-gallery-") as folder:
                pictures = _draw(pdf, Path(folder))
            for page, picture in enumerate(pictures, start=1):
                (output / picture_name(kind, language, page)).write_bytes(picture)
            pages[kind, language] = len(pictures)
            self.stdout.write(f"{kind}.{language}: {len(pictures)} page(s)")
        (output / "README.md").write_text(readme(pages), encoding="utf-8")
