"""The plan as a PDF (fpdf2). fpdf2 ships no Unicode font: a DejaVu TTF is used when the system has one,
otherwise the built-in Helvetica in Windows-1252, which still has £ and curly quotes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from handlers.plan.export.content import Document, Section

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/local/share/fonts/dejavu"),
    Path("/Library/Fonts"),
)


def unicode_font() -> Path | None:
    """A directory holding DejaVuSans.ttf and DejaVuSans-Bold.ttf, if this system has one."""
    for folder in FONT_DIRS:
        if (folder / "DejaVuSans.ttf").is_file() and (folder / "DejaVuSans-Bold.ttf").is_file():
            return folder
    return None


class _Pdf(FPDF):
    def __init__(self, font_dir: Path | None) -> None:
        super().__init__(orientation="L", format="A4")
        self.has_unicode = font_dir is not None
        if font_dir is not None:
            self.add_font("Body", "", str(font_dir / "DejaVuSans.ttf"))
            self.add_font("Body", "B", str(font_dir / "DejaVuSans-Bold.ttf"))
            self.body = "Body"
        else:
            self.core_fonts_encoding = "cp1252"
            self.body = "Helvetica"
        self.set_auto_page_break(auto=True, margin=15)
        self.set_title("Joint agency plan")
        self.set_creator("TAC Bot")

    def safe(self, text: str) -> str:
        """Text the font can draw: unchanged with a Unicode font, else reduced to Windows-1252."""
        if self.has_unicode:
            return text
        return text.encode("cp1252", errors="replace").decode("cp1252")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.body, "", 8)
        self.cell(0, 8, f"Page {self.page_no()}", align="C")


@dataclass(frozen=True, slots=True)
class _Spacing:
    """The vertical rhythm: the gap before a section, and the height of a line of text and of a table."""

    gap: float = 4
    line: float = 6
    row: float = 5


# Tried in turn until the last page is not near-empty: the same document, set a little tighter.
SPACINGS = (_Spacing(), _Spacing(gap=2.5, line=5, row=4.5), _Spacing(gap=1.5, line=4.5, row=4))
NEAR_EMPTY = 0.2  # a last page less than a fifth full reads as a mistake


def _section(pdf: _Pdf, section: Section, spacing: _Spacing) -> None:
    pdf.ln(spacing.gap)
    pdf.set_font(pdf.body, "B", 13)
    pdf.multi_cell(0, 8, pdf.safe(section.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.body, "", 10)
    for text in section.paragraphs:
        pdf.multi_cell(0, spacing.line, pdf.safe(text), new_x="LMARGIN", new_y="NEXT")
    if section.table is not None:
        pdf.set_font(pdf.body, "", 8)
        with pdf.table(
            col_widths=section.table.widths,
            text_align="LEFT",
            headings_style=FontFace(emphasis="BOLD"),
            line_height=spacing.row,
        ) as table:
            for values in (section.table.headers, *section.table.rows):
                row = table.row()
                for value in values:
                    row.cell(pdf.safe(value))
        pdf.set_font(pdf.body, "", 10)
    for text in section.after:
        pdf.multi_cell(0, spacing.line, pdf.safe(text), new_x="LMARGIN", new_y="NEXT")


def _usable(pdf: _Pdf) -> float:
    return float(pdf.h - pdf.t_margin - pdf.b_margin)


def _height(section: Section, font_dir: Path | None, spacing: _Spacing) -> float:
    """How tall the section is when it starts a page; infinite when it needs more than one."""
    probe = _Pdf(font_dir)
    probe.add_page()
    top = probe.y
    _section(probe, section, spacing)
    return float(probe.y - top) if probe.page_no() == 1 else float("inf")


def _layout(doc: Document, font_dir: Path | None, spacing: _Spacing) -> _Pdf:
    pdf = _Pdf(font_dir)
    pdf.add_page()
    pdf.set_font(pdf.body, "B", 16)
    pdf.multi_cell(0, 9, pdf.safe(doc.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.body, "", 10)
    pdf.multi_cell(0, spacing.line, pdf.safe(doc.subtitle), new_x="LMARGIN", new_y="NEXT")
    for section in doc.sections:
        # A section that fits on a page is kept together: no heading left alone at a page's foot.
        height = _height(section, font_dir, spacing)
        room = pdf.h - pdf.b_margin - pdf.y
        if room < height <= _usable(pdf):
            pdf.add_page()
        _section(pdf, section, spacing)
    return pdf


def _last_page_fill(pdf: _Pdf) -> float:
    return float(pdf.y - pdf.t_margin) / _usable(pdf)


def render_pdf(doc: Document, *, font_dir: Path | None = None) -> bytes:
    """The plan as A4 landscape pages; set tighter when that saves a near-empty last page."""
    best: _Pdf | None = None
    for spacing in SPACINGS:
        pdf = _layout(doc, font_dir, spacing)
        if best is None or pdf.page_no() < best.page_no():
            best = pdf
        if pdf.page_no() == 1 or _last_page_fill(pdf) >= NEAR_EMPTY:
            break
    assert best is not None
    return bytes(best.output())
