from django.core.management.base import BaseCommand, CommandError

from documents.models import Kind
from documents.templates import current_template, lint
from organisations.models import Language


class Command(BaseCommand):
    help = (
        "Render every document template (the version in use for each kind and language) with "
        "its full sample context; fail on undeclared or misspelt variables and on errors."
    )

    def handle(self, *args, **options) -> None:
        failures = 0
        for kind in Kind.values:
            for language in Language.values:
                template = current_template(kind, language)
                with template.file.open("rb") as handle:
                    problems = lint(handle.read(), kind)
                label = f"{kind}.{language} v{template.version}"
                if problems:
                    failures += 1
                    self.stderr.write(f"FAIL {label}")
                    for problem in problems:
                        self.stderr.write(f"     {problem}")
                else:
                    self.stdout.write(f"ok   {label}")
        if failures:
            raise CommandError(f"{failures} template(s) failed the lint.")
