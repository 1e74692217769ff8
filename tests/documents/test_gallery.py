"""The gallery (docs/gallery/, `make gallery`): every document kind in Finnish and Swedish has
its pages as pictures, committed, and the README shows each of them."""

import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from documents.management.commands.gallery import FOLDER, LANGUAGES, picture_name
from documents.samples import SAMPLES
from tests.documents.test_pdf import (
    IN_CI,
    _libreoffice_required,  # noqa: F401  (autouse: the `libreoffice` marker)
)

PNG = b"\x89PNG\r\n\x1a\n"


def shown(folder: Path) -> list[str]:
    """The pictures the folder's README.md shows, in its order."""
    return re.findall(r"!\[[^\]]*\]\(([^)]+)\)", (folder / "README.md").read_text())


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(SAMPLES))
def test_every_kind_and_language_has_its_first_page_in_the_gallery(kind, language):
    first = FOLDER / picture_name(kind, language, 1)

    assert first.read_bytes().startswith(PNG), f"run `make gallery`: {first.name} is missing"
    assert first.name in shown(FOLDER)


def test_the_gallery_shows_every_picture_it_has_and_has_every_picture_it_shows():
    pictures = sorted(path.name for path in FOLDER.glob("*.png"))

    assert sorted(shown(FOLDER)) == pictures


@pytest.mark.libreoffice
def test_make_gallery_draws_the_same_pictures_again_and_drops_a_lost_page(tmp_path):
    if shutil.which("pdftoppm") is None:
        if IN_CI:
            pytest.fail("CI must draw the gallery: install poppler-utils (pdftoppm).")
        pytest.skip("needs pdftoppm (poppler-utils)")
    lost = tmp_path / picture_name("payment_order", "fi", 9)
    lost.write_bytes(PNG)

    call_command("gallery", output=tmp_path, kinds=["payment_order"])
    first = {path.name: path.read_bytes() for path in tmp_path.glob("*.png")}
    call_command("gallery", output=tmp_path, kinds=["payment_order"])
    again = {path.name: path.read_bytes() for path in tmp_path.glob("*.png")}

    assert not lost.exists()
    assert again == first
    names = [picture_name("payment_order", language, 1) for language in LANGUAGES]
    assert set(names) <= set(first)
    assert all(picture.startswith(PNG) for picture in first.values())
    assert sorted(shown(tmp_path)) == sorted(first)
