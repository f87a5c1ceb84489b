"""A letter laid out per GB/T 9704-2012 (党政机关公文格式), written with python-docx.

Plain module: no Django. The page is A4 with 天头 37 mm and 订口 28 mm, a 版心 of 156 × 225 mm
(so 26 mm right and 35 mm bottom), 22 lines of 28 characters (a line grid with exact line
spacing; 3号 characters condensed by 0.25 pt so that 28 fit the line); the issuer mark red in
小标宋 and centred; the number under it in 3号仿宋 over the red separator line; the title in
2号方正小标宋简体; the addressee flush left with a full-width colon; the body in 3号仿宋_GB2312
with a 2-character first-line indent (first-level headings in 黑体); the seal placeholder,
signature and date on the right, 4 characters in; 抄送 in 4号仿宋 between two rules; page numbers
"— 1 —" in 4号宋体, right on odd pages and left on even pages, one character in.

East-Asian fonts go into w:rFonts/@w:eastAsia: python-docx's font.name sets only ascii/hAnsi.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from docx import Document as new_document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

TITLE_FONT = "方正小标宋简体"
MARK_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
PAGE_NUMBER_FONT = "宋体"
HEADING_FONT = "黑体"
RED = RGBColor(0xFF, 0x00, 0x00)

BODY_PT = 16.0  # 3号
TITLE_PT = 22.0  # 2号
MARK_PT = 26.0  # 1号
NOTE_PT = 14.0  # 4号: 抄送 and page numbers
TABLE_PT = 10.5  # 五号: tables

# 225 mm / 22 lines = 28.95 pt (579 twips). 156 mm / 28 characters = 15.79 pt a character:
# 3号 (16 pt) condensed by 0.25 pt (w:spacing -5 twentieths) gives 15.75 pt, 28 to a line.
LINE_PITCH_TWIPS = 579
LINE_PT = LINE_PITCH_TWIPS / 20
BODY_CONDENSE_TWENTIETHS = -5
SEPARATOR_PT = 1.5  # the red line's width
SEPARATOR_SPACE_PT = 8.0

# The schema order of w:pPr's children (python-docx keeps it private).
_PPR_ORDER = [
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:pageBreakBefore",
    "w:framePr",
    "w:widowControl",
    "w:numPr",
    "w:suppressLineNumbers",
    "w:pBdr",
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
]

_HEADING = re.compile(r"^[一二三四五六七八九十]{1,3}、[^。；：:]{1,20}$")

# w:rPr children that come after w:spacing in the schema.
_RPR_AFTER_SPACING = [
    "w:w",
    "w:kern",
    "w:position",
    "w:sz",
    "w:szCs",
    "w:highlight",
    "w:u",
    "w:effect",
    "w:bdr",
    "w:shd",
    "w:fitText",
    "w:vertAlign",
    "w:rtl",
    "w:cs",
    "w:em",
    "w:lang",
    "w:eastAsianLayout",
    "w:specVanish",
    "w:oMath",
]

# Characters XML 1.0 cannot hold (a control character pasted into a petition).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    return _NOT_XML.sub("", text)


@dataclass
class Letter:
    issuer_mark: str
    number: str
    title: str
    addressee: str  # 主送: the petitioners' names, or "各有关单位"; without the colon
    paragraphs: list[str]
    signature: str
    date_text: str  # 成文日期: 2026年11月23日
    seal_text: str = ""
    cc: str = ""
    issued_at: datetime | None = None
    author: str = ""
    # Tables in the body (a bulletin's figures per unit): header row, then rows; placed after
    # the paragraph of index `tables_after` (after the whole body when None).
    tables: list[list[list[str]]] = field(default_factory=list)
    tables_after: int | None = None


def chinese_date(day: object) -> str:
    """成文日期: Arabic numerals, no leading zeros (GB/T 9704-2012 §7.3.5.1)."""
    return f"{day.year}年{day.month}月{day.day}日"  # type: ignore[attr-defined]


def set_font(
    run: Run, name: str, size: float, *, color: RGBColor | None = None, bold: bool = False
) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    rpr = run._r.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    fonts.set(qn("w:hint"), "eastAsia")
    if size == BODY_PT:
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(BODY_CONDENSE_TWENTIETHS))
        rpr.insert_element_before(spacing, *_RPR_AFTER_SPACING)


def _exact(paragraph: Paragraph, points: float = LINE_PT) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(points)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)


def _ppr_child(paragraph: Paragraph, tag: str) -> Any:
    """The paragraph property `tag`, created in its schema position (Word refuses a file whose
    w:pPr children are out of order)."""
    ppr = paragraph._p.get_or_add_pPr()
    found = ppr.find(qn(tag))
    if found is None:
        found = OxmlElement(tag)
        ppr.insert_element_before(found, *_PPR_ORDER[_PPR_ORDER.index(tag) + 1 :])
    return found


def _chars_indent(paragraph: Paragraph, **chars: int) -> None:
    """Indents counted in characters (w:firstLineChars etc., hundredths of a character), which
    Word prefers over the absolute value set beside them for other readers."""
    ind = _ppr_child(paragraph, "w:ind")
    for name, count in chars.items():
        ind.set(qn(f"w:{name}Chars"), str(count * 100))


def _border(paragraph: Paragraph, side: str, *, size_eighths: int, color: str, space: int) -> None:
    borders = _ppr_child(paragraph, "w:pBdr")
    line = OxmlElement(f"w:{side}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size_eighths))
    line.set(qn("w:space"), str(space))
    line.set(qn("w:color"), color)
    borders.append(line)


def _page_number(paragraph: Paragraph) -> None:
    """— PAGE — with the field's cached result "1" (what a reader without fields shows)."""

    def text(value: str) -> None:
        set_font(paragraph.add_run(value), PAGE_NUMBER_FONT, NOTE_PT)

    text("— ")
    for kind in ("begin", None, "separate", "1", "end"):
        run = paragraph.add_run()
        set_font(run, PAGE_NUMBER_FONT, NOTE_PT)
        if kind is None:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            run._r.append(instr)
        elif kind == "1":
            run.text = "1"
        else:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._r.append(fld)
    text(" —")


def _defaults(doc: object) -> None:
    """Normal style: 3号仿宋 (the grid's character pitch is relative to it), Chinese."""
    styles = doc.styles  # type: ignore[attr-defined]
    normal = styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(BODY_PT)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), BODY_FONT)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(lang)


def _page_setup(doc: object) -> None:
    section = doc.sections[0]  # type: ignore[attr-defined]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    # The page number's top edge 7 mm under the 版心: 35 − 7 − one 4号 line (≈ 5 mm).
    section.footer_distance = Mm(23)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    # A line grid only: a character grid narrower than the 3号 glyphs makes LibreOffice give
    # each character two cells. The 28 characters come from the runs' condensed spacing.
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.attrib.pop(qn("w:charSpace"), None)
    # Odd pages number on the right, even pages on the left.
    doc.settings.odd_and_even_pages_header_footer = True  # type: ignore[attr-defined]
    for footer, align, indent in (
        (section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
        (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left"),
    ):
        footer.is_linked_to_previous = False
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        _exact(paragraph, NOTE_PT)
        if indent == "right":
            paragraph.paragraph_format.right_indent = Pt(NOTE_PT)
        else:
            paragraph.paragraph_format.left_indent = Pt(NOTE_PT)
        _page_number(paragraph)


def _line(doc: object, text: str = "", **font: object) -> Paragraph:
    paragraph = doc.add_paragraph()  # type: ignore[attr-defined]
    _exact(paragraph)
    if text:
        run = paragraph.add_run(clean(text))
        set_font(run, **font)  # type: ignore[arg-type]
    return paragraph


def _table(doc: Any, rows: list[list[str]]) -> None:
    """A plain ruled table in 五号仿宋, the header row bold, the first column (the unit) wider.

    Its lines are off the page grid (which would give each a full 28.95 pt line)."""
    if not rows:
        return
    columns = len(rows[0])
    table = doc.add_table(rows=len(rows), cols=columns)
    table.style = "Table Grid"
    table.autofit = False
    first = Mm(32) if columns > 1 else Mm(156)
    rest = (Mm(156) - first) // max(columns - 1, 1)
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.width = first if c == 0 else rest
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _exact(paragraph, TABLE_PT * 1.3)
            _ppr_child(paragraph, "w:snapToGrid").set(qn("w:val"), "0")
            run = paragraph.add_run(clean(value))
            set_font(run, BODY_FONT, TABLE_PT, bold=r == 0)


def render(letter: Letter) -> bytes:
    doc = new_document()
    _defaults(doc)
    _page_setup(doc)
    body = doc.element.body
    # The default template starts with no paragraph; keep it that way.
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)

    # 版头: issuer mark, two lines down the number, the red separator line under it.
    mark = _line(doc, letter.issuer_mark, name=MARK_FONT, size=MARK_PT, color=RED)
    mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _exact(mark, LINE_PT * 2)
    _line(doc)
    number = _line(doc, letter.number, name=BODY_FONT, size=BODY_PT)
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # The red separator is the top border of the empty line under the number. A border adds
    # its width and spacing to the paragraph's height: the line is shortened by as much, so
    # that what follows stays on the 22-line grid.
    separator = _line(doc)
    _exact(separator, LINE_PT - SEPARATOR_PT - SEPARATOR_SPACE_PT)
    _ppr_child(separator, "w:snapToGrid").set(qn("w:val"), "0")  # else rounded up to a line
    _border(
        separator,
        "top",
        size_eighths=int(SEPARATOR_PT * 8),
        color="FF0000",
        space=int(SEPARATOR_SPACE_PT),
    )

    # 主体: two lines under the separator the title, one line under it the addressee.
    _line(doc)
    for title_line in clean(letter.title).splitlines() or [""]:
        title = _line(doc, title_line, name=TITLE_FONT, size=TITLE_PT)
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _line(doc)
    if letter.addressee:
        _line(doc, letter.addressee + "：", name=BODY_FONT, size=BODY_PT)
    body_end: Paragraph | None = None
    last = len(letter.paragraphs) - 1
    tables_after = last if letter.tables_after is None else min(letter.tables_after, last)
    if not letter.paragraphs:
        for rows in letter.tables:
            _table(doc, rows)
    for index, text in enumerate(letter.paragraphs):
        # A first-level heading ("一、信访请求") in 黑体 (§7.3.3); sentences stay 仿宋.
        font = HEADING_FONT if _HEADING.match(text) else BODY_FONT
        paragraph = body_end = _line(doc, text, name=font, size=BODY_PT)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        paragraph.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
        _chars_indent(paragraph, firstLine=2)
        if index == tables_after:
            for rows in letter.tables:
                _table(doc, rows)

    # Signature and date: right, 4 characters in. The seal is pressed over them, its top within
    # one line of the text (§7.3.5.1): its placeholder takes the line between. The last
    # paragraph, seal and signature keep with what follows, so the date never stands alone.
    if body_end is not None:
        body_end.paragraph_format.keep_with_next = True
    seal = _line(doc, letter.seal_text, name=BODY_FONT, size=BODY_PT, color=RED)
    seal.paragraph_format.keep_with_next = True
    seal.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    seal.paragraph_format.right_indent = Pt(BODY_PT * 6)
    _chars_indent(seal, right=6)
    for text in (letter.signature, letter.date_text):
        paragraph = _line(doc, text, name=BODY_FONT, size=BODY_PT)
        paragraph.paragraph_format.keep_with_next = text == letter.signature
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        paragraph.paragraph_format.right_indent = Pt(BODY_PT * 4)
        _chars_indent(paragraph, right=4)

    # 版记: 抄送 between two rules, one character in on both sides.
    if letter.cc:
        _line(doc)
        cc = _line(doc, f"抄送：{letter.cc.rstrip('。')}。", name=BODY_FONT, size=NOTE_PT)
        cc.paragraph_format.left_indent = Pt(NOTE_PT)
        cc.paragraph_format.right_indent = Pt(NOTE_PT)
        _border(cc, "top", size_eighths=8, color="000000", space=1)
        _border(cc, "bottom", size_eighths=8, color="000000", space=1)

    props = doc.core_properties
    props.title = clean(letter.title)[:255]
    props.author = clean(letter.author or letter.signature)[:255]
    props.subject = letter.number
    if letter.issued_at is not None:
        props.created = props.modified = letter.issued_at.replace(tzinfo=None)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def plain_text(letter: Letter) -> str:
    """The same letter as plain text: the copy kept beside the file (and searchable)."""
    lines = [letter.issuer_mark, letter.number, "", letter.title, ""]
    if letter.addressee:
        lines.append(letter.addressee + "：")
    last = len(letter.paragraphs) - 1
    after = last if letter.tables_after is None else min(letter.tables_after, last)
    for index, text in enumerate(letter.paragraphs or [""]):
        if letter.paragraphs:
            lines.append(text)
        if index == after or not letter.paragraphs:
            for rows in letter.tables:
                lines += ["\t".join(row) for row in rows]
    lines += ["", letter.signature, letter.date_text]
    if letter.cc:
        lines += ["", f"抄送：{letter.cc.rstrip('。')}。"]
    return clean("\n".join(lines))
