"""A small document model rendered to PDF (fpdf2, with the bundled Korean font) and to HWPX (python-hwpx).

Apps build a :class:`Document` from plain data (title, headings, paragraphs, tables, metadata) and call
:func:`render_pdf` or :func:`render_hwpx`. Both renderers check their own output by reading it back
(:func:`pdf_text`, :func:`hwpx_text`): a document whose text cannot be read back raises
:class:`DocumentError` instead of being sent to the user.

No Django model is imported here; only ``settings.GVALLEY_PDF_FONT_DIR`` is read. Strings are given
already translated by the caller.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings

__all__ = [
    "Document",
    "DocumentError",
    "Heading",
    "Paragraph",
    "Table",
    "hwpx_text",
    "pdf_text",
    "render_hwpx",
    "render_pdf",
]


class DocumentError(Exception):
    """A document could not be rendered or did not read back correctly."""


@dataclass
class Heading:
    text: str
    level: int = 1


@dataclass
class Paragraph:
    text: str
    bold: bool = False
    small: bool = False


@dataclass
class Table:
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]
    caption: str = ""
    widths: Sequence[int] = ()  # relative column widths
    key_value: bool = False  # a two-column label/value table (first column bold, no header row)


Block = Heading | Paragraph | Table


@dataclass
class Document:
    title: str
    subtitle: str = ""
    author: str = ""
    subject: str = ""
    keywords: Sequence[str] = ()
    created: datetime | None = None
    footer: str = ""
    stamp: str = ""  # e.g. "초안 / DRAFT", printed on every page
    blocks: list[Block] = field(default_factory=list)

    def heading(self, text: str, level: int = 1) -> Document:
        self.blocks.append(Heading(str(text), level))
        return self

    def paragraph(self, text: str, *, bold: bool = False, small: bool = False) -> Document:
        for part in str(text).replace("\r\n", "\n").split("\n\n"):
            if part.strip():
                self.blocks.append(Paragraph(part.strip(), bold=bold, small=small))
        return self

    def table(
        self,
        headers: Sequence[Any],
        rows: Iterable[Sequence[Any]],
        *,
        caption: str = "",
        widths: Sequence[int] = (),
    ) -> Document:
        self.blocks.append(
            Table([str(h) for h in headers], [list(r) for r in rows], caption=str(caption), widths=widths)
        )
        return self

    def facts(self, pairs: Iterable[tuple[Any, Any]], *, caption: str = "") -> Document:
        """A label/value table (meeting date, place, …)."""
        self.blocks.append(
            Table(
                ["", ""], [[str(k), v] for k, v in pairs], caption=str(caption), widths=(1, 3), key_value=True
            )
        )
        return self

    def plain_lines(self) -> list[str]:
        """The text of the document, line by line, as a reader should find it in either format."""
        lines = [self.title]
        if self.subtitle:
            lines.append(self.subtitle)
        for block in self.blocks:
            if isinstance(block, Table):
                if block.caption:
                    lines.append(block.caption)
                if not block.key_value:
                    lines.extend(block.headers)
                for row in block.rows:
                    lines.extend(cell_text(c) for c in row)
            else:
                lines.append(block.text)
        return [line for line in lines if line]


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "O" if value else "X"
    if isinstance(value, float):
        return f"{value:,.1f}" if not value.is_integer() else f"{int(value):,}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


# --- PDF -------------------------------------------------------------------------------------------------

FONT_FAMILY = "Pretendard"


def font_paths() -> tuple[Path, Path]:
    folder = Path(settings.GVALLEY_PDF_FONT_DIR)
    regular, bold = folder / "Pretendard-Regular.ttf", folder / "Pretendard-Bold.ttf"
    if not regular.exists() or not bold.exists():
        raise DocumentError(f"The PDF fonts are missing in {folder}: run `make assets`.")
    return regular, bold


@lru_cache(maxsize=4)
def _font_codepoints(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(path).getBestCmap())


def _printable(text: str, codepoints: frozenset[int]) -> str:
    """Characters the font has no glyph for (e.g. hanja) become "?" so that no blank box is printed."""
    text = text.replace("\t", "    ")
    return "".join(ch if (ord(ch) in codepoints or ch == "\n") else "?" for ch in text)


def render_pdf(doc: Document) -> bytes:
    """An A4 PDF with the Korean font embedded; raises DocumentError if its text does not read back."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    regular, bold = font_paths()
    codepoints = _font_codepoints(str(regular))

    def p(text: Any) -> str:
        return _printable(cell_text(text), codepoints)

    class _PDF(FPDF):
        def header(self) -> None:
            if doc.stamp:
                self.set_font(FONT_FAMILY, "B", 9)
                self.set_text_color(179, 38, 30)
                self.cell(0, 5, p(doc.stamp), align="R", new_x="LMARGIN", new_y="NEXT")
                self.set_text_color(0, 0, 0)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(FONT_FAMILY, "", 8)
            self.set_text_color(90, 90, 90)
            left = p(doc.footer or doc.title)
            self.cell(0, 6, left, align="L")
            self.set_x(self.l_margin)
            self.cell(0, 6, f"{self.page_no()} / {{nb}}", align="R")
            self.set_text_color(0, 0, 0)

    pdf = _PDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(auto=True, margin=16)
    pdf.add_font(FONT_FAMILY, "", str(regular))
    pdf.add_font(FONT_FAMILY, "B", str(bold))
    pdf.set_title(doc.title)
    pdf.set_lang("ko")
    if doc.author:
        pdf.set_author(doc.author)
    if doc.subject:
        pdf.set_subject(doc.subject)
    if doc.keywords:
        pdf.set_keywords(", ".join(doc.keywords))
    pdf.set_creator("G-Valley Hub")
    pdf.set_creation_date(doc.created or datetime.now(UTC))
    pdf.alias_nb_pages()
    pdf.add_page()

    width = pdf.epw
    pdf.set_font(FONT_FAMILY, "B", 18)
    pdf.multi_cell(width, 9, p(doc.title), new_x="LMARGIN", new_y="NEXT")
    if doc.subtitle:
        pdf.set_font(FONT_FAMILY, "", 11)
        pdf.set_text_color(70, 70, 70)
        pdf.multi_cell(width, 6, p(doc.subtitle), new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
    pdf.ln(3)

    heading_sizes = {1: 14, 2: 12, 3: 11}
    for block in doc.blocks:
        if isinstance(block, Heading):
            pdf.ln(2)
            pdf.set_font(FONT_FAMILY, "B", heading_sizes.get(block.level, 11))
            pdf.multi_cell(width, 7, p(block.text), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif isinstance(block, Paragraph):
            pdf.set_font(FONT_FAMILY, "B" if block.bold else "", 9 if block.small else 10.5)
            pdf.multi_cell(width, 5.6, p(block.text), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1.5)
        else:
            if block.caption:
                pdf.set_font(FONT_FAMILY, "B", 10)
                pdf.multi_cell(width, 6, p(block.caption), new_x="LMARGIN", new_y="NEXT")
            pdf.set_font(FONT_FAMILY, "", 9)
            ncols = (
                max([len(block.headers)] + [len(r) for r in block.rows])
                if (block.headers or block.rows)
                else 0
            )
            if ncols == 0:
                continue
            widths = tuple(block.widths) if len(block.widths) == ncols else tuple([1] * ncols)
            with pdf.table(
                col_widths=widths,
                first_row_as_headings=not block.key_value,
                headings_style=FontFace(emphasis="BOLD", fill_color=(238, 240, 243)),
                line_height=5.2,
                text_align="LEFT",
                padding=1.2,
            ) as table:
                if not block.key_value:
                    row = table.row()
                    for h in list(block.headers) + [""] * (ncols - len(block.headers)):
                        row.cell(p(h))
                for values in block.rows:
                    row = table.row()
                    padded = list(values) + [""] * (ncols - len(values))
                    for i, value in enumerate(padded):
                        if block.key_value and i == 0:
                            row.cell(p(value), style=FontFace(emphasis="BOLD", fill_color=(238, 240, 243)))
                        else:
                            row.cell(p(value))
            pdf.ln(3)
    data = bytes(pdf.output())
    _verify(doc, pdf_text(data), "PDF", transform=lambda s: _printable(s, codepoints))
    return data


# --- Reading PDF text back (pypdf: an independent reader, not our writer's own code) ----------------------


def pdf_text(data: bytes) -> str:
    """The text of a PDF, page by page, as pypdf extracts it (fpdf2's Type0 fonts carry ToUnicode maps)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.startswith(b"%PDF-"):
        raise DocumentError("Not a PDF file.")
    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise DocumentError("The PDF file cannot be read.") from exc


# --- HWPX ------------------------------------------------------------------------------------------------


def render_hwpx(doc: Document) -> bytes:
    """An HWPX (OWPML) document; raises DocumentError if its text does not read back."""
    import warnings

    from hwpx import HwpxDocument

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        hdoc = HwpxDocument.new()
        created = (doc.created or datetime.now(UTC)).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        hdoc.package.set_document_metadata(
            title=doc.title,
            creator=doc.author or "G-Valley Hub",
            subject=doc.subject or doc.subtitle,
            keyword=", ".join(doc.keywords),
            created_date=created,
            modified_date=created,
        )
        bold = hdoc.ensure_run_style(bold=True)
        title_style = hdoc.ensure_run_style(bold=True, size=18)
        heading_style = {
            1: hdoc.ensure_run_style(bold=True, size=14),
            2: hdoc.ensure_run_style(bold=True, size=12),
        }
        small = hdoc.ensure_run_style(size=9)
        if doc.stamp:
            hdoc.add_paragraph(doc.stamp, char_pr_id_ref=bold)
        hdoc.add_paragraph(doc.title, char_pr_id_ref=title_style)
        if doc.subtitle:
            hdoc.add_paragraph(doc.subtitle)
        for block in doc.blocks:
            if isinstance(block, Heading):
                hdoc.add_paragraph(block.text, char_pr_id_ref=heading_style.get(block.level, bold))
            elif isinstance(block, Paragraph):
                for line in block.text.split("\n"):
                    hdoc.add_paragraph(
                        line, char_pr_id_ref=bold if block.bold else (small if block.small else None)
                    )
            else:
                if block.caption:
                    hdoc.add_paragraph(block.caption, char_pr_id_ref=bold)
                ncols = max([len(block.headers)] + [len(r) for r in block.rows])
                header_rows = 0 if block.key_value else 1
                nrows = header_rows + len(block.rows)
                if nrows == 0 or ncols == 0:
                    continue
                table = hdoc.add_table(nrows, ncols)
                if header_rows:
                    for c, h in enumerate(block.headers):
                        table.set_cell_text(0, c, cell_text(h))
                for r, values in enumerate(block.rows, start=header_rows):
                    for c, value in enumerate(values):
                        text = cell_text(value)
                        if text:
                            table.set_cell_text(r, c, text)
                hdoc.add_paragraph("")
        if doc.footer:
            hdoc.add_paragraph(doc.footer, char_pr_id_ref=small)
        data = _fix_package_metadata(hdoc.to_bytes(), author=doc.author or "G-Valley Hub")
    _verify(doc, hwpx_text(data), "HWPX")
    return data


def _fix_package_metadata(data: bytes, *, author: str) -> bytes:
    """python-hwpx starts from a template whose read-only fields name a fixture author; name ours."""
    from html import escape

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "Contents/content.hpf":
                text = content.decode("utf-8").replace("synthetic-fixture-author", escape(author))
                text = re.sub(r'(<opf:meta name="date" content="text">)[^<]*(</opf:meta>)', r"\1\2", text)
                content = text.encode("utf-8")
            dst.writestr(info, content, compress_type=info.compress_type)
    return out.getvalue()


_HP_T = re.compile(r"<hp:t(?:\s[^>]*)?>(.*?)</hp:t>", re.S)


def hwpx_text(data: bytes) -> str:
    """The text of an HWPX file, read from its section XML (paragraph runs, table cells included)."""
    from html import unescape

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise DocumentError("Not an HWPX file.") from exc
    names = archive.namelist()
    if "mimetype" not in names or archive.read("mimetype").strip() != b"application/hwp+zip":
        raise DocumentError("Not an HWPX file (mimetype).")
    sections = sorted(n for n in names if re.fullmatch(r"Contents/section\d+\.xml", n))
    out: list[str] = []
    for name in sections:
        xml = archive.read(name).decode("utf-8")
        for para in re.findall(r"<hp:p[ >].*?</hp:p>", xml, re.S):
            # table cells hold their own <hp:p>; the regex is non-greedy, so each run is found once
            text = "".join(unescape(re.sub(r"<[^>]+>", "", t)) for t in _HP_T.findall(para))
            if text:
                out.append(text)
    return "\n".join(out)


def hwpx_metadata(data: bytes) -> dict[str, str]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    hpf = archive.read("Contents/content.hpf").decode("utf-8")
    meta: dict[str, str] = {}
    m = re.search(r"<opf:title>(.*?)</opf:title>", hpf, re.S)
    meta["title"] = m.group(1) if m else ""
    for name, value in re.findall(r'<opf:meta name="(\w+)" content="text">(.*?)</opf:meta>', hpf, re.S):
        meta[name] = value
    return meta


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _verify(doc: Document, text: str, kind: str, transform: Any = None) -> None:
    """Every line of the document must be found in the text read back (whitespace ignored, since PDF
    lines wrap)."""
    found = _squash(text)
    for line in doc.plain_lines():
        wanted = _squash(transform(line) if transform else line)
        if wanted and wanted not in found:
            raise DocumentError(f"{kind} check failed: {line[:60]!r} was not found in the written file.")
