"""How wide a label is set, from the font's metrics, so that a label column fits its longest
label and no label word ever breaks (documents/template_builder, docs/architecture.md)."""

import math
import unicodedata
from collections.abc import Sequence

from docx.shared import Cm, Emu, Length, Pt

# Word's default cell margins, left and right (108 twips each).
_CELL_MARGINS = Cm(0.38)

# Advance widths of Arial Bold in 1/1000 em (Liberation Sans Bold, which LibreOffice uses for
# Arial, has the same metrics); an accented letter is as wide as its base letter. Enough to
# size a label column without a font installed where the templates are built.
_BOLD_WIDTHS = {
    **dict.fromkeys(" ijlI.,/'", 278),
    **dict.fromkeys("ft-():;!", 333),
    **dict.fromkeys("r*", 389),
    "z": 500,
    **dict.fromkeys("acekJsvxy0123456789$#€§", 556),
    **dict.fromkeys("bdghnopquFLTZ?", 611),
    **dict.fromkeys("EPSVXY", 667),
    **dict.fromkeys("ABCDHKNRU&", 722),
    **dict.fromkeys("wGOQ", 778),
    "M": 833,
    **dict.fromkeys("m%", 889),
    "W": 944,
}
_WIDEST = 1000
TEXT_SIZE = Pt(11)
_WIDEST_LABEL = Cm(7)


def text_width(text: str) -> Length:
    """How wide `text` is set in bold Arial at the text size (an upper bound for the regular
    face)."""
    units = sum(_BOLD_WIDTHS.get(unicodedata.normalize("NFD", char)[0], _WIDEST) for char in text)
    return Cm(units / 1000 * TEXT_SIZE.pt / 72 * 2.54)


def fit(labels: Sequence[str], *, most: Length = _WIDEST_LABEL) -> Length:
    """A label column as wide as its widest label (to the next quarter centimetre), so that no
    label wraps; a label wider than `most` wraps between words, never inside one."""
    widest = max(text_width(label) for label in labels)
    longest_word = max(text_width(word) for label in labels for word in label.split())
    needed = Emu(max(min(widest, most), longest_word) + _CELL_MARGINS)
    return Cm(math.ceil(needed.cm * 4) / 4)
