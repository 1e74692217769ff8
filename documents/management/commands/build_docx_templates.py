"""Write the shipped .docx templates from their source, documents/template_builder/."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from documents.template_builder import KINDS, LANGUAGES, build


class Command(BaseCommand):
    help = (
        "Build templates_docx/<kind>.<lang>.docx for every document kind and language from "
        "documents/template_builder/. Edit the builder, never a shipped file."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=Path(settings.BASE_DIR) / "templates_docx",
            help="Directory to write into (default: templates_docx/ in the project).",
        )

    def handle(self, *args, output: Path, **options):
        output.mkdir(parents=True, exist_ok=True)
        for kind in KINDS:
            for lang in LANGUAGES:
                path = output / f"{kind}.{lang}.docx"
                path.write_bytes(build(kind, lang))
                self.stdout.write(f"{path}")
