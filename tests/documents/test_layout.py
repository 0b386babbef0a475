"""Every document type, rendered from its sample: what a reader of the PDF would check.

The first page of each type is saved as PNG in test-artifacts/documents/ for a person
to look at.
"""

import datetime
import hashlib

import pytest

from documents.content import content_clean
from documents.layout import chinese_date, column_widths, document_pdf, heading_label, mark_style, title_lines
from documents.models import DocumentKind
from documents.samples import SAMPLE_CONTEXTS

from . import pdfcheck
from .conftest import ARTIFACTS, sample_source

KINDS = [kind.value for kind in DocumentKind]


@pytest.fixture(scope="module")
def rendered():
    """Each kind rendered once for the whole module (renders are the slow part)."""
    return {kind: document_pdf(sample_source(kind)) for kind in KINDS}


@pytest.mark.parametrize("kind", KINDS)
def test_every_page_is_a4(rendered, kind):
    for width, height in pdfcheck.page_sizes(rendered[kind].pdf):
        assert width == pytest.approx(pdfcheck.A4_POINTS[0], abs=0.1)
        assert height == pytest.approx(pdfcheck.A4_POINTS[1], abs=0.1)


@pytest.mark.parametrize("kind", KINDS)
def test_text_holds_number_title_addressee_and_date(rendered, kind):
    text = pdfcheck.compact(pdfcheck.text_of(rendered[kind].pdf))
    context = SAMPLE_CONTEXTS[kind]
    assert "镇工信〔2026〕12号" in text
    assert pdfcheck.compact(context["title"]) in text
    if context.get("addressee"):
        assert context["addressee"] + "：" in text
    assert "2026年11月26日" in text


@pytest.mark.parametrize("kind", KINDS)
def test_fonts_are_embedded_and_every_character_has_a_glyph(rendered, kind):
    fonts = pdfcheck.embedded_fonts(rendered[kind].pdf)
    assert fonts, "no fonts in the PDF"
    assert pdfcheck.glyph_problems(rendered[kind].pdf) == []
    drawn = {char for font in fonts.values() for char in font["to_unicode"].values()}
    missing = set(pdfcheck.compact(SAMPLE_CONTEXTS[kind]["title"])) - drawn
    assert not missing


@pytest.mark.parametrize("kind", KINDS)
def test_page_numbers_sit_right_on_odd_pages_and_left_on_even_ones(rendered, kind):
    pdf = rendered[kind]
    positions = pdfcheck.page_number_positions(pdf.pdf)
    assert len(positions) == pdf.page_count >= 1
    text_left, text_right = 28 / 25.4 * 72, (28 + 156) / 25.4 * 72
    for index, (text, x, y_from_top) in enumerate(positions, start=1):
        if kind == DocumentKind.RECOMMENDATION_LETTER and index == 1:
            assert text == "", "a letter shows no number on its first page"
            continue
        assert text.replace(" ", "") == f"—{index}—"
        # 7 mm below the text block (37 + 225 mm from the top), to the baseline of 4号 figures.
        assert 760 < y_from_top < 780
        if index % 2:
            assert text_left + 200 < x < text_right - 14
        else:
            assert x == pytest.approx(text_left + 14, abs=1.5)


@pytest.mark.parametrize("kind", KINDS)
def test_first_page_is_saved_for_a_person_to_look_at(rendered, kind):
    png = pdfcheck.first_page_png(rendered[kind].pdf, ARTIFACTS / f"{kind}.png")
    if png is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    assert png.stat().st_size > 10_000


def test_page_count_follows_the_text(rendered):
    assert rendered[DocumentKind.RECOGNITION_NOTICE].page_count == 2
    long = content_clean(
        SAMPLE_CONTEXTS[DocumentKind.RECOGNITION_NOTICE] | {"body": ["根据有关规定，现将有关事项通知如下。" * 20] * 10}
    )
    # 130 body lines after the head, 22 to a page, and the signature block: seven pages.
    assert document_pdf(sample_source(DocumentKind.RECOGNITION_NOTICE, content=long)).page_count == 7


def test_a_full_page_holds_22_lines_of_28_characters():
    line = "专精特新企业梯度培育工作是推动中小企业高质量发展的重要抓手"[:28]
    # 82 characters: an indented line of 26 and two full lines of 28.
    content = content_clean(SAMPLE_CONTEXTS[DocumentKind.RECOGNITION_NOTICE] | {"body": [(line * 3)[:82]] * 20})
    pdf = document_pdf(sample_source(DocumentKind.RECOGNITION_NOTICE, content=content)).pdf
    second_page = pdfcheck.reader(pdf).pages[1].extract_text().replace("\u200b", "")
    lines = [row.replace(" ", "") for row in second_page.splitlines() if row.strip() and "—" not in row]
    assert len(lines) == 22
    assert {len(row) for row in lines} == {26, 28}


def test_the_same_source_gives_the_same_bytes(rendered):
    again = document_pdf(sample_source(DocumentKind.POOL_ENTRY_NOTICE))
    assert hashlib.sha256(again.pdf).digest() == hashlib.sha256(rendered[DocumentKind.POOL_ENTRY_NOTICE].pdf).digest()


def test_the_pdf_is_pdfa_with_title_author_and_subject(rendered):
    reader = pdfcheck.reader(rendered[DocumentKind.REWARD_DECISION].pdf)
    assert reader.metadata.title == "关于给予镇江精工轴承有限公司专精特新“小巨人”企业奖励的决定"
    assert reader.metadata.author == "镇江市工业和信息化局"
    assert "镇工信〔2026〕12号" in reader.metadata.subject
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert 'pdfaid:part="2"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert "/OutputIntents" in reader.trailer["/Root"]


def test_the_qr_code_links_to_the_verification_page(rendered):
    reader = pdfcheck.reader(rendered[DocumentKind.POOL_ENTRY_NOTICE].pdf)
    links = {annotation.get_object()["/A"]["/URI"] for page in reader.pages for annotation in page.get("/Annots") or []}
    assert links == {"http://127.0.0.1:8000/verify/AB23CD45EF"}


def test_dates_have_no_leading_zeros():
    assert chinese_date(datetime.date(2026, 3, 5)) == "2026年3月5日"


@pytest.mark.parametrize(
    ("level", "count", "label"),
    [(1, 1, "一、"), (1, 10, "十、"), (1, 12, "十二、"), (1, 20, "二十、"), (2, 3, "（三）"), (3, 4, "4.")],
)
def test_heading_numbers_follow_the_three_levels(level, count, label):
    assert heading_label(level, count) == label


def test_a_long_issuer_mark_is_squeezed_into_the_text_block():
    assert mark_style("镇江市财政局文件") == ""
    assert "scaleX(0.86" in mark_style("镇江市工业和信息化局文件")
    assert "scaleX(0.519" in mark_style("镇江市工业和信息化局镇江市财政局联合文件")


@pytest.mark.parametrize(
    ("title", "lines"),
    [
        ("短标题", ["短标题"]),
        ("关于拨付2026年度专精特新企业奖励资金的通知", ["关于拨付2026年度专精特新", "企业奖励资金的通知"]),
        (
            "关于开展2024年度工业企业安全生产专项检查工作的通知",
            ["关于开展2024年度工业企业", "安全生产专项检查工作的通知"],
        ),
        ("关于同意\n纳入培育库的通知", ["关于同意", "纳入培育库的通知"]),
    ],
)
def test_long_titles_break_into_balanced_lines_between_words(title, lines):
    assert title_lines(title) == lines


def test_rare_name_characters_and_symbols_still_get_glyphs():
    content = content_clean(
        {
            "title": "关于王堃等同志的通知",
            "addressee": "李赟、张喆",
            "body": [
                {"type": "table", "columns": ["规则", "结果"], "rows": [["研发投入", "✔"], ["专利", "✘"]]},
                "奖励¥300,000.00，详见附件①。",
            ],
        }
    )
    pdf = document_pdf(sample_source(DocumentKind.DIAGNOSIS_REPORT, content=content)).pdf
    assert pdfcheck.glyph_problems(pdf) == []
    assert "李赟、张喆：" in pdfcheck.compact(pdfcheck.text_of(pdf))


def test_table_columns_share_the_width_by_content_and_narrow_ones_keep_theirs():
    widths = column_widths(
        {"columns": ["序号", "收款单位", "金额（元）"], "rows": [["1", "镇江精工轴承有限公司" * 3, "300,000.00"]]}
    )
    assert sum(widths) == pytest.approx(100, abs=0.1)
    assert widths[0] == pytest.approx(100 * 3 / 36, abs=0.1), "序号 keeps room for its heading"
    assert widths[1] > widths[2] > widths[0]
