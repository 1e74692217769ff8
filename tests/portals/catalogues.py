"""The project's translation catalogues: where they are, and compiling them for a test run."""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]


def catalogue_files(root: Path = ROOT, language: str = "*") -> list[Path]:
    """locale/ (config/'s strings) first, then every app's <app>/locale/."""
    pattern = f"{language}/LC_MESSAGES/django.po"
    return sorted(root.glob(f"locale/{pattern}")) + sorted(root.glob(f"*/locale/{pattern}"))


def compile_catalogues(root: Path = ROOT) -> None:
    """What `make messages` does, for a run of pytest without make: every .po newer than its
    .mo is compiled (fuzzy entries left out, as gettext does), and Django forgets what it had
    loaded."""
    for po in catalogue_files(root):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source)
        with mo.open("wb") as target:
            write_mo(target, catalog)
    from django.utils.translation import trans_real

    trans_real._translations = {}
    trans_real._default = None
