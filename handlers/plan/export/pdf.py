"""The plan as a PDF (fpdf2). fpdf2 ships no Unicode font: a DejaVu TTF is used when the system has one,
otherwise the built-in Helvetica in Windows-1252, which still has £ and curly quotes."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from handlers.plan.export.content import Document

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


def render_pdf(doc: Document, *, font_dir: Path | None = None) -> bytes:
    pdf = _Pdf(font_dir)
    pdf.add_page()
    pdf.set_font(pdf.body, "B", 16)
    pdf.multi_cell(0, 9, pdf.safe(doc.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.body, "", 10)
    pdf.multi_cell(0, 6, pdf.safe(doc.subtitle), new_x="LMARGIN", new_y="NEXT")
    for section in doc.sections:
        pdf.ln(4)
        pdf.set_font(pdf.body, "B", 13)
        pdf.multi_cell(0, 8, pdf.safe(section.title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(pdf.body, "", 10)
        for text in section.paragraphs:
            pdf.multi_cell(0, 6, pdf.safe(text), new_x="LMARGIN", new_y="NEXT")
        if section.table is not None:
            pdf.set_font(pdf.body, "", 8)
            with pdf.table(
                col_widths=section.table.widths,
                text_align="LEFT",
                headings_style=FontFace(emphasis="BOLD"),
                line_height=5,
            ) as table:
                for values in (section.table.headers, *section.table.rows):
                    row = table.row()
                    for value in values:
                        row.cell(pdf.safe(value))
            pdf.set_font(pdf.body, "", 10)
        for text in section.after:
            pdf.multi_cell(0, 6, pdf.safe(text), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
