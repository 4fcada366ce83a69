"""The embedded fonts of rendered invoices, prepared once per process.

PDF/A forbids fonts that are not embedded, so the renderer embeds Source Sans Pro (SIL OFL,
from the ``font-source-sans-pro`` package). Parsing and subsetting the full fonts costs most of
a render (about 35 ms of 45 for one page), so the fonts are first reduced, once per process, to
the repertoire invoices written in French and other Latin-script languages use, and the
reduced fonts are what each render loads. A text using characters outside that repertoire is
rendered with the full fonts; a character no font has is drawn as ``?`` (PDF/A forbids the
.notdef glyph), which only touches the visual layer: the embedded XML keeps every character.
"""

from __future__ import annotations

import atexit
import copy
import io
import shutil
import tempfile
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    from fpdf import FPDF
    from fpdf.fonts import TTFFont

#: Unicode ranges kept in the reduced fonts: Latin-1, the French and Western European letters
#: of Latin Extended-A (Œ œ Š š Ž ž Ÿ), typographic punctuation and spaces, the euro and a
#: few signs. The fewer glyphs, the faster fpdf2 subsets them for each document.
REDUCED_RANGES: Final = (
    (0x0020, 0x007E),
    (0x00A0, 0x00FF),
    (0x0152, 0x0153),
    (0x0160, 0x0161),
    (0x0178, 0x0178),
    (0x017D, 0x017E),
    (0x2010, 0x2026),
    (0x202F, 0x202F),
    (0x2030, 0x203A),
    (0x20AC, 0x20AC),
    (0x2116, 0x2116),
    (0x2122, 0x2122),
    (0x2212, 0x2212),
)

_STYLES: Final = {"": "SourceSansPro", "B": "SourceSansProBold"}
_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class FontSet:
    """Paths of the regular and bold font files and the characters they can draw."""

    regular: Path
    bold: Path
    charset: frozenset[int]

    def path(self, style: str) -> Path:
        return self.bold if style == "B" else self.regular


def _source_path(style: str) -> Path:
    import font_source_sans_pro

    files: dict[str, str] = font_source_sans_pro.font_files_ttf
    return Path(files[_STYLES[style]])


@cache
def full_fonts() -> FontSet:
    """The fonts as the package ships them (about 1,300 characters each)."""
    from fontTools import ttLib

    with ttLib.TTFont(_source_path(""), lazy=True) as font:
        charset = frozenset(font.getBestCmap())
    return FontSet(_source_path(""), _source_path("B"), charset)


def _reduce(source: Path, target: Path, unicodes: list[int]) -> None:
    from fontTools import subset, ttLib

    options = subset.Options(
        notdef_outline=True, recommended_glyphs=True, hinting=False, layout_features=[]
    )
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "FFTM", "hdmx", "meta"]
    with ttLib.TTFont(source, recalcTimestamp=False) as font:
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=unicodes)
        subsetter.subset(font)
        buffer = io.BytesIO()
        font.save(buffer)
    target.write_bytes(buffer.getvalue())


def reduced_fonts() -> FontSet:
    """The reduced fonts, made on first use into a private temporary directory."""
    with _LOCK:
        return _reduced_fonts()


@cache
def _reduced_fonts() -> FontSet:
    wanted = [c for low, high in REDUCED_RANGES for c in range(low, high + 1)]
    charset = frozenset(wanted) & full_fonts().charset
    folder = Path(tempfile.mkdtemp(prefix="chorusflow-fonts-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    paths = {}
    for style in _STYLES:
        paths[style] = folder / f"{_STYLES[style]}-reduced.ttf"
        _reduce(_source_path(style), paths[style], sorted(charset))
    return FontSet(paths[""], paths["B"], charset)


def fonts_for(characters: set[str]) -> FontSet:
    """The reduced fonts when they can draw every character, else the full ones."""
    reduced = reduced_fonts()
    if all(ord(c) in reduced.charset for c in characters):
        return reduced
    return full_fonts()


def drawable(text: str, fonts: FontSet) -> str:
    """``text`` with every character the fonts lack replaced by ``?``."""
    charset = fonts.charset
    if all(ord(c) in charset for c in text):
        return text
    return "".join(c if ord(c) in charset else "?" for c in text)


@cache
def _parsed(path: Path) -> tuple[TTFFont, bytes]:
    """fpdf2's parse of a font file (cmap, widths, descriptor), done once per file."""
    from fpdf import FPDF
    from fpdf.fonts import TTFFont

    scratch = FPDF()
    scratch.add_font("template", "", str(path))
    font = scratch.fonts["template"]
    if not isinstance(font, TTFFont):
        raise TypeError(f"{path} did not load as a TrueType font")
    return font, path.read_bytes()


def add_prepared_font(pdf: FPDF, family: str, style: str, path: Path) -> None:
    """``pdf.add_font`` without parsing the file again: a copy of the parse made once.

    What fpdf2 changes while writing a document (the subset of glyphs used, the font program
    it subsets in place, the descriptor it numbers) is fresh for each copy; what it only
    reads (character map, widths, glyph ids) is shared. The font program's bounding boxes are
    not recomputed when subsetting: they are the source font's, already right, and
    recomputing them expands every glyph (a third of the subsetting time).
    """
    from fontTools import ttLib
    from fpdf.fonts import SubsetMap

    with _LOCK:
        template, data = _parsed(path)
    font = copy.copy(template)
    font.i = len(pdf.fonts) + 1
    font.fontkey = f"{family.lower()}{style}"
    font.ttfont = ttLib.TTFont(io.BytesIO(data), recalcTimestamp=False, lazy=True)
    font.ttfont.recalcBBoxes = False
    font.desc = copy.copy(template.desc)
    font.missing_glyphs = []
    font.biggest_size_pt = 0
    font.subset = SubsetMap(font)
    pdf.fonts[font.fontkey] = font
