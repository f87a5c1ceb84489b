"""The GB/T 9704 layout module on its own (no database): page setup, grid, fonts, tables, and
text that XML cannot hold."""

from __future__ import annotations

import io
from datetime import date

import docx
from docx.oxml.ns import qn
from docx.shared import Pt

from xinfang.reports.documents.docx import Letter, chinese_date, plain_text, render


def letter(**changes: object) -> Letter:
    values: dict[str, object] = {
        "issuer_mark": "清河县人力资源和社会保障局",
        "number": "清人社受〔2026〕12号",
        "title": "信访事项受理告知书",
        "addressee": "张三",
        "paragraphs": ["你（们）提出的信访事项已收悉。", "一、信访请求", "特此告知。"],
        "signature": "清河县人力资源和社会保障局",
        "date_text": "2026年11月23日",
        "seal_text": "（印章）",
        "cc": "县信访局",
    }
    values.update(changes)
    return Letter(**values)  # type: ignore[arg-type]


def test_the_date_has_arabic_numerals_without_leading_zeros() -> None:
    assert chinese_date(date(2026, 3, 4)) == "2026年3月4日"
    assert chinese_date(date(2026, 11, 23)) == "2026年11月23日"


def test_page_margins_grid_and_footers() -> None:
    d = docx.Document(io.BytesIO(render(letter())))
    sect = d.sections[0]._sectPr
    margins = sect.find(qn("w:pgMar"))
    # In twips (1/1440 inch): 37, 26, 35 and 28 mm.
    assert [margins.get(qn(f"w:{k}")) for k in ("top", "right", "bottom", "left")] == [
        "2098",
        "1474",
        "1984",
        "1587",
    ]
    size = sect.find(qn("w:pgSz"))
    assert (size.get(qn("w:w")), size.get(qn("w:h"))) == ("11906", "16838")  # A4
    grid = sect.find(qn("w:docGrid"))
    assert (grid.get(qn("w:type")), grid.get(qn("w:linePitch"))) == ("lines", "579")
    assert d.settings.odd_and_even_pages_header_footer
    odd, even = d.sections[0].footer.paragraphs[0], d.sections[0].even_page_footer.paragraphs[0]
    assert odd.text == even.text == "— 1 —"
    assert (odd.alignment, even.alignment) == (2, 0)  # right on odd pages, left on even
    assert "PAGE" in odd._p.xml


def test_signature_and_date_right_four_characters_in_and_cc_between_rules() -> None:
    d = docx.Document(io.BytesIO(render(letter())))
    by_text = {p.text: p for p in d.paragraphs}
    for text in ("清河县人力资源和社会保障局", "2026年11月23日"):
        paragraphs = [p for p in d.paragraphs if p.text == text]
        last = paragraphs[-1]
        assert last.alignment == 2 and last.paragraph_format.right_indent == Pt(64)
    seal = by_text["（印章）"]
    assert str(seal.runs[0].font.color.rgb) == "FF0000"
    cc = by_text["抄送：县信访局。"]
    borders = cc._p.pPr.find(qn("w:pBdr"))
    assert borders.find(qn("w:top")) is not None and borders.find(qn("w:bottom")) is not None
    assert cc.runs[0].font.size == Pt(14)
    heading = by_text["一、信访请求"]
    assert heading.runs[0]._r.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "黑体"


def test_a_table_goes_after_the_chosen_paragraph_and_into_the_text_copy() -> None:
    rows = [["单位", "及时受理率"], ["县人社局", "95.0%"]]
    made = letter(paragraphs=["现通报如下：", "一、及时受理率：95.0%。", "请各单位改进。"])
    made.tables, made.tables_after = [rows], 1
    d = docx.Document(io.BytesIO(render(made)))
    body = list(d.element.body.iterchildren())
    table_at = next(i for i, el in enumerate(body) if el.tag == qn("w:tbl"))
    before = [el for el in body[:table_at] if el.tag == qn("w:p")]
    assert "".join(t.text or "" for t in before[-1].iter(qn("w:t"))) == "一、及时受理率：95.0%。"
    assert d.tables[0].cell(1, 0).text == "县人社局"
    text = plain_text(made)
    assert text.index("县人社局\t95.0%") < text.index("请各单位改进。")


def test_control_characters_from_a_petition_do_not_break_the_file() -> None:
    d = docx.Document(io.BytesIO(render(letter(paragraphs=["拖欠\x00工资\x1b三个月"]))))
    assert any(p.text == "拖欠工资三个月" for p in d.paragraphs)
