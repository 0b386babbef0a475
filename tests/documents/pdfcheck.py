"""Reading our PDFs back the way a person (or a checker) would: text, fonts, glyphs, pages."""

import io
import re
import shutil
import subprocess
from pathlib import Path

from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from pypdf import PdfReader

A4_POINTS = (595.28, 841.89)
SPACES = {" ", "\u3000", "\u200b", "\n"}
BFCHAR_SECTION = re.compile(r"beginbfchar(.*?)endbfchar", re.S)
BFCHAR = re.compile(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


def text_of(pdf: bytes) -> str:
    """All text, zero-width break opportunities removed, as pdftotext would give it."""
    return "".join(page.extract_text() for page in reader(pdf).pages).replace("\u200b", "")


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text.replace("\u200b", ""))


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    return [(float(page.mediabox.width), float(page.mediabox.height)) for page in reader(pdf).pages]


def embedded_fonts(pdf: bytes) -> dict[str, dict]:
    """Font name → {"file": bytes or None, "to_unicode": {cid: text}} for every font used."""
    fonts = {}
    for page in reader(pdf).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            name = str(font["/BaseFont"])
            if name in fonts:
                continue
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            program = next(
                (descriptor[key] for key in ("/FontFile", "/FontFile2", "/FontFile3") if key in descriptor), None
            )
            cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
            fonts[name] = {
                "file": program.get_object().get_data() if program is not None else None,
                "to_unicode": {
                    int(cid, 16): bytes.fromhex(text).decode("utf-16-be")
                    for section in BFCHAR_SECTION.findall(cmap)
                    for cid, text in BFCHAR.findall(section)
                },
            }
    return fonts


def glyph_problems(pdf: bytes) -> list[str]:
    """Characters drawn with no glyph (an empty or missing outline: a tofu box on paper)."""
    problems = []
    for name, font in embedded_fonts(pdf).items():
        if font["file"] is None:
            problems.append(f"{name} is not embedded")
            continue
        ttfont = TTFont(io.BytesIO(font["file"]))
        glyph_count = ttfont["maxp"].numGlyphs
        glyphs = ttfont.getGlyphSet()
        for cid, text in font["to_unicode"].items():
            if text in SPACES:
                continue
            if cid == 0 or cid >= glyph_count:
                problems.append(f"{text!r} has no glyph in {name}")
                continue
            pen = BoundsPen(glyphs)
            glyphs[ttfont.getGlyphName(cid)].draw(pen)
            if pen.bounds is None:
                problems.append(f"{text!r} is drawn empty in {name}")
    return problems


def page_number_positions(pdf: bytes) -> list[tuple[str, float, float]]:
    """(text, x, y-from-top) of each page's "— N —" footer, in points."""
    found = []
    for page in reader(pdf).pages:
        height = float(page.mediabox.height)
        hits = []

        def visit(text, cm, tm, font, size, hits=hits, height=height):
            if re.search(r"\d", text or "") and tm[5] * cm[3] + cm[5] < 100:
                hits.append((text.strip(), tm[4] * cm[0] + cm[4], height - (tm[5] * cm[3] + cm[5])))

        page.extract_text(visitor_text=visit)
        found.append(max(hits, key=lambda hit: hit[2]) if hits else ("", 0.0, 0.0))
    return found


def first_page_png(pdf: bytes, target: Path) -> Path | None:
    """The first page as PNG, for a person to look at; None without poppler's pdftoppm."""
    if shutil.which("pdftoppm") is None:
        return None
    target.parent.mkdir(parents=True, exist_ok=True)
    source = target.with_suffix(".pdf")
    source.write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "110",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(source),
            str(target.with_suffix("")),
        ],
        check=True,
    )
    return target
