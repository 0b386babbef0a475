"""The 公文 layout: from a document's data to its HTML, and from the HTML to PDF bytes.

Nothing here touches the database: :class:`DocumentSource` carries everything a render
needs, so tests and the benchmark render without a document row. The output is
deterministic (no timestamps, a content-derived PDF identifier), so the SHA-256 stored
at render time identifies the bytes.
"""

import datetime
import functools
import math
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import pydyf
import segno
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

STATIC_DIR = Path(__file__).resolve().parent / "static" / "documents"
STYLESHEET_PATH = STATIC_DIR / "gongwen.css"
PLACEHOLDER_SEAL_PATH = STATIC_DIR / "seal-placeholder.jpg"
# The stored PDF is the archival form (fonts embedded, sRGB output intent, XMP metadata).
PDF_VARIANT = "pdf/a-2b"
DEFLATE_LEVEL = 3

TEXT_WIDTH_PT = 156 / 25.4 * 72
MARK_SIZE_PT = 42
MARK_MAX_WIDTH_PT = TEXT_WIDTH_PT - 6
HEADING_FONTS = {1: "hei", 2: "kai", 3: ""}
ZERO_WIDTH_SPACE = "\u200b"
TITLE_LINE_CHARACTERS = 20  # 2号 characters across the text block
TABLE_CHARACTERS = 36  # 小四 (12 pt) characters across a table
NARROW_COLUMN = 6
# Never break a title inside these: figures, Latin words, names of firms and common terms.
UNBREAKABLE_IN_TITLES = re.compile(
    r"[0-9A-Za-z.%]+|“[^”]{1,8}”|《[^》]+》|〔[^〕]+〕"
    r"|[\u4e00-\u9fff]{2,16}?(?:股份有限公司|有限责任公司|有限公司)"
    r"|专精特新|小巨人|单项冠军|中小企业|工业和信息化|培育库|认定|奖励|资金|通知|决定|报告|公示"
    r"|安全生产|企业|安全|生产|工作|检查|创新|评价|申报|推荐|培育|名单|专项|管理|服务|项目"
)
# Good places: after 关于 / a firm's name / 年度, before the closing 的通知 / 的决定 / 的函.
GOOD_TITLE_BREAK = re.compile(r"(?:^关于|公司|年度)\||\|的(?:通知|决定|函|报告|公示)$|\|(?:关于|拟)")
NO_LINE_START = set("，、。：；）》”〕")
NO_LINE_END = set("（《“〔")


@dataclass(frozen=True)
class IssuerFace:
    """The issuer as printed on the document."""

    name: str
    mark_text: str
    printing_office: str
    seal_url: str = PLACEHOLDER_SEAL_PATH.as_uri()


@dataclass(frozen=True)
class DocumentSource:
    """Everything a render reads. ``content`` is cleaned by ``documents.content``."""

    kind: str
    kind_label: str
    number: str
    token: str
    issued_on: datetime.date
    verify_url: str
    issuer: IssuerFace
    content: dict


@dataclass(frozen=True)
class RenderedPdf:
    pdf: bytes
    page_count: int


@functools.cache
def font_configuration() -> FontConfiguration:
    """One per process: a fresh one per render grows a worker past 1 GB in 100 renders."""
    return FontConfiguration()


@functools.cache
def stylesheet() -> CSS:
    return CSS(filename=str(STYLESHEET_PATH), font_config=font_configuration())


# Decoded local images (the seals), kept for the life of the process. The QR code of
# each document is a data: URL and must not pile up here, so every render works on a
# copy and only file: entries are kept.
_file_images: dict = {}


def document_html(source: DocumentSource) -> str:
    """The HTML of the document, from the template of its kind."""
    with translation.override("zh-hans"):
        return render_to_string(f"documents/gongwen/{source.kind}.html", {"page": page_data(source)})


def document_pdf(source: DocumentSource) -> RenderedPdf:
    """The PDF/A bytes of the document; the same source always gives the same bytes."""
    html = HTML(string=document_html(source), base_url=str(STATIC_DIR))
    images = dict(_file_images)
    layout = html.render(
        font_config=font_configuration(), stylesheets=[stylesheet()], cache=images, pdf_variant=PDF_VARIANT
    )
    pdf = layout.write_pdf(pdf_variant=PDF_VARIANT, cache=images, finisher=compress_streams_once)
    _file_images.update((url, image) for url, image in images.items() if url.startswith("file:"))
    return RenderedPdf(pdf=pdf, page_count=len(layout.pages))


def compress_streams_once(document, pdf: pydyf.PDF) -> None:
    """Deflates every stream now, once. PDF/A needs a file identifier, and pydyf derives
    it from every object's bytes before writing them, so it would otherwise compress each
    stream twice (the fonts, the pages). Level 3, not pydyf's 9: a third of the time for
    2 % more bytes (the font programs hardly compress better at higher levels)."""
    for stream in pdf.objects:
        if isinstance(stream, pydyf.Stream) and stream.compress:
            deflate = zlib.compressobj(level=DEFLATE_LEVEL)
            raw = b"\n".join(pydyf._to_bytes(item) for item in stream.stream)
            stream.stream = [deflate.compress(raw) + deflate.flush()]
            stream.extra["Filter"] = "/FlateDecode"
            stream.compress = False


def page_data(source: DocumentSource) -> dict:
    content = source.content
    date_text = chinese_date(source.issued_on)
    return {
        "meta_title": content["title"].replace("\n", ""),
        "meta_subject": f"{source.kind_label} {source.number}",
        "created": source.issued_on.isoformat(),
        "issuer_name": source.issuer.name,
        "mark_text": source.issuer.mark_text,
        "mark_style": mark_style(source.issuer.mark_text),
        "letter_mark_style": mark_style(source.issuer.name),
        "number": source.number,
        "token": source.token,
        "title_lines": [breakable(line) for line in title_lines(content["title"])],
        "addressee": breakable(content["addressee"]),
        "blocks": numbered_blocks(content["body"]),
        "attachments": attachment_lines(content["attachments"]),
        "signature": content["signature"] or source.issuer.name,
        "date_text": date_text,
        "date_em": f"{text_width(date_text):g}",  # a string: no localised decimal comma
        "date_characters": len(date_text),
        "seal_url": source.issuer.seal_url,
        "verify_url": source.verify_url,
        "qr_url": segno.make(source.verify_url, error="m").png_data_uri(scale=4, border=0),
        "note": breakable(content["note"]),
        "copy_to": "，".join(content["copy_to"]) + "。" if content["copy_to"] else "",
        "printed_by": content["printed_by"] or source.issuer.printing_office,
    }


def title_lines(title: str) -> list[str]:
    """The title's lines: as the caller broke them (``\n``), else balanced, the upper lines
    the longer (GB/T 9704 7.3.1: 梯形, 词意完整), breaking where a word surely ends."""
    if "\n" in title:
        return title.split("\n")
    lines, rest = [], title
    while text_width(rest) > TITLE_LINE_CHARACTERS:
        remaining = math.ceil(text_width(rest) / TITLE_LINE_CHARACTERS)
        cut = _title_cut(rest, target=math.ceil(text_width(rest) / remaining))
        lines.append(rest[:cut])
        rest = rest[cut:]
    return [*lines, rest]


def text_width(text: str) -> float:
    """Width in CJK characters: Latin letters and figures are half as wide."""
    return sum(0.5 if ord(char) < 0x2000 else 1 for char in text)


def _title_cut(text: str, *, target: float) -> int:
    protected = set()
    for match in UNBREAKABLE_IN_TITLES.finditer(text):
        protected.update(range(match.start() + 1, match.end()))
    best, best_score = None, math.inf
    for cut in range(1, len(text)):
        width = text_width(text[:cut])
        if (
            cut in protected
            or width > TITLE_LINE_CHARACTERS
            or text[cut] in NO_LINE_START
            or text[cut - 1] in NO_LINE_END
        ):
            continue
        score = abs(width - target) - (2 if GOOD_TITLE_BREAK.search(text[:cut] + "|" + text[cut:]) else 0)
        score -= 0.1 if width >= target else 0  # on a tie, the upper line is the longer
        if score < best_score:
            best, best_score = cut, score
    return best or len(text)


def chinese_date(day: datetime.date) -> str:
    """``2026年11月26日``: Arabic numerals, no leading zeros (GB/T 9704 7.3.5.1)."""
    return f"{day.year}年{day.month}月{day.day}日"


def mark_style(text: str) -> str:
    """Squeezes a long issuer mark horizontally so it stays inside the text block."""
    natural = len(text) * MARK_SIZE_PT
    if natural <= MARK_MAX_WIDTH_PT:
        return ""
    scale = MARK_MAX_WIDTH_PT / natural
    offset = (TEXT_WIDTH_PT - natural) / 2
    return f"width: {natural:.2f}pt; margin-left: {offset:.2f}pt; transform: scaleX({scale:.4f});"


def breakable(text: str) -> str:
    """Allows a line break before “ and after ”: without it WeasyPrint keeps the quote
    glued to its neighbours and leaves lines short."""
    for opening in "“‘":
        text = text.replace(opening, ZERO_WIDTH_SPACE + opening)
    for closing in "”’":
        text = text.replace(closing, closing + ZERO_WIDTH_SPACE)
    return text


def chinese_numeral(number: int) -> str:
    digits = "零一二三四五六七八九"
    if number < 10:
        return digits[number]
    tens, units = divmod(number, 10)
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[units] if units else "")


def heading_label(level: int, count: int) -> str:
    """一、 / （一） / 1. : the three heading levels of GB/T 9704 7.3.3."""
    if level == 1:
        return f"{chinese_numeral(count)}、"
    if level == 2:
        return f"（{chinese_numeral(count)}）"
    return f"{count}."


def numbered_blocks(body: list[dict]) -> list[dict]:
    counters = {1: 0, 2: 0, 3: 0}
    blocks = []
    for block in body:
        block = dict(block)
        if block["type"] == "heading":
            level = block["level"]
            counters[level] += 1
            for deeper in range(level + 1, 4):
                counters[deeper] = 0
            block.update(label=heading_label(level, counters[level]), font=HEADING_FONTS[level])
        if block["type"] == "table":
            block["widths"] = column_widths(block)
        if "text" in block:
            block["text"] = breakable(block["text"])
        blocks.append(block)
    return blocks


def column_widths(table: dict) -> list[float]:
    """Column shares (percent) from the longest text in each column, so the table can use
    the fixed layout algorithm (several times faster than auto) and still look balanced."""
    wanted = []
    for index, header in enumerate(table["columns"]):
        # Room for the heading and about the longest cell (a long cell may wrap), plus padding.
        longest = max([text_width(row[index]) for row in table["rows"]] or [0])
        wanted.append(max(text_width(header), min(longest, 16), 2) + 1)
    # Narrow columns (numbers, 序号) keep what they need; the wide ones share the rest.
    narrow = sum(width for width in wanted if width <= NARROW_COLUMN)
    scale = max(TABLE_CHARACTERS - narrow, 1) / max(sum(width for width in wanted if width > NARROW_COLUMN), 1)
    widths = [width if width <= NARROW_COLUMN else width * scale for width in wanted]
    return [round(100 * width / sum(widths), 2) for width in widths]


def attachment_lines(names: list[str]) -> list[tuple[str, str]]:
    """(number, name) pairs: a single attachment is not numbered (GB/T 9704 7.3.4)."""
    if len(names) == 1:
        return [("", breakable(names[0]))]
    return [(f"{index}.", breakable(name)) for index, name in enumerate(names, start=1)]
