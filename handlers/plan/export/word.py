"""The plan as a Word document (python-docx)."""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.shared import Mm, Pt

from handlers.plan.export.content import Document


def render_docx(doc: Document) -> bytes:
    out = new_docx()
    for page in out.sections:  # A4 landscape, as the PDF (python-docx's template is US Letter)
        page.orientation = WD_ORIENT.LANDSCAPE
        page.page_width, page.page_height = Mm(297), Mm(210)
        page.left_margin = page.right_margin = page.top_margin = page.bottom_margin = Mm(15)
    out.core_properties.title = doc.title
    out.core_properties.author = "TAC Bot"
    out.add_heading(doc.title, level=0)
    out.add_paragraph(doc.subtitle)
    for section in doc.sections:
        out.add_heading(section.title, level=1)
        for text in section.paragraphs:
            out.add_paragraph(text)
        if section.table is not None:
            table = out.add_table(rows=1, cols=len(section.table.headers))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, section.table.headers, strict=True):
                cell.text = text
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for row in section.table.rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=True):
                    cell.text = text
            for row in table.rows:
                for cell in row.cells:
                    for para in cell.paragraphs:
                        for run in para.runs:
                            run.font.size = Pt(9)
        for text in section.after:
            out.add_paragraph(text)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()
