"""Printable bingo cards: SVG for screens, PDF (A4 or Letter) for paper.

PDFs are drawn with ReportLab: pure Python, its standard fonts built in, so printing needs
nothing outside pip (no browser, no system library). SVG is written by hand: it is a grid of
rectangles and wrapped text.
"""

from __future__ import annotations

import io
import textwrap
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

PAPERS = {"a4": A4, "letter": LETTER}
CATEGORY_COLOURS = {"ask": "#dbeafe", "offer": "#dcfce7", "share": "#fef3c7", "discover": "#f3e8ff"}
FREE_COLOUR = "#e5e7eb"
INK = "#111827"
MUTED = "#4b5563"


@dataclass(frozen=True)
class PrintedSquare:
    """One square as printed."""

    text: str
    category: str | None
    free: bool
    met_name: str | None


@dataclass(frozen=True)
class PrintedCard:
    """What a printed card shows."""

    event_title: str
    starts_at: datetime
    location: str | None
    player_name: str
    size: int
    squares: list[PrintedSquare]


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` points."""
    words, lines, line = text.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if stringWidth(candidate, font, size) <= width or not line:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def _fit(text: str, width: float, height: float, start: float) -> tuple[float, list[str]]:
    """The largest font size (from ``start`` down) at which ``text`` fits the box."""
    size = start
    while size > 6:
        lines = _wrap(text, "Helvetica", size, width)
        if len(lines) * size * 1.2 <= height:
            return size, lines
        size -= 0.5
    return size, _wrap(text, "Helvetica", size, width)


def _draw_card(pdf: canvas.Canvas, card: PrintedCard, page: tuple[float, float]) -> None:
    width, height = page
    margin = 40.0
    pdf.setFillColor(HexColor(INK))
    pdf.setFont("Helvetica-Bold", 22)
    pdf.drawString(margin, height - margin - 18, "Networking Bingo")
    pdf.setFont("Helvetica", 12)
    when = card.starts_at.strftime("%d %B %Y, %H:%M UTC")
    subtitle = f"{card.event_title} — {when}" + (f" — {card.location}" if card.location else "")
    pdf.drawString(margin, height - margin - 38, subtitle[:110])
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawString(margin, height - margin - 60, f"Card of {card.player_name}")
    grid = min(width - 2 * margin, height - 2 * margin - 140)
    cell = grid / card.size
    left = (width - grid) / 2
    top = height - margin - 80
    for index, square in enumerate(card.squares):
        row, col = divmod(index, card.size)
        x, y = left + col * cell, top - (row + 1) * cell
        colour = (
            FREE_COLOUR if square.free else CATEGORY_COLOURS.get(square.category or "", "#ffffff")
        )
        pdf.setFillColor(HexColor(colour))
        pdf.setStrokeColor(HexColor(INK))
        pdf.setLineWidth(1.2)
        pdf.rect(x, y, cell, cell, fill=1, stroke=1)
        pdf.setFillColor(HexColor(MUTED))
        pdf.setFont("Helvetica-Bold", 7)
        label = "FREE" if square.free else (square.category or "").upper()
        pdf.drawString(x + 6, y + cell - 12, label)
        pdf.setFillColor(HexColor(INK))
        body = "Free square" if square.free else square.text
        font_size, lines = _fit(body, cell - 12, cell - 40, min(12.0, cell / 7))
        pdf.setFont("Helvetica", font_size)
        for k, line in enumerate(lines):
            pdf.drawString(x + 6, y + cell - 26 - k * font_size * 1.2, line)
        if not square.free:
            pdf.setStrokeColor(HexColor(MUTED))
            pdf.setLineWidth(0.5)
            pdf.line(x + 6, y + 16, x + cell - 6, y + 16)
            pdf.setFont("Helvetica", 7)
            pdf.setFillColor(HexColor(MUTED))
            pdf.drawString(x + 6, y + 6, f"met: {square.met_name}" if square.met_name else "met:")
    pdf.setFillColor(HexColor(MUTED))
    pdf.setFont("Helvetica", 9)
    pdf.drawString(
        margin,
        margin - 10,
        "One person fills at most two squares. Complete a row, column or diagonal for a bingo; "
        "follow up within 24 hours.",
    )


def pdf_of(cards: list[PrintedCard], paper: str = "a4") -> bytes:
    """A PDF with one card per page, on A4 or Letter."""
    page = PAPERS[paper]
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=page, pageCompression=1, invariant=1)
    pdf.setTitle(f"Networking Bingo — {cards[0].event_title}" if cards else "Networking Bingo")
    pdf.setAuthor("Rapport")
    for card in cards:
        _draw_card(pdf, card, page)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def svg_of(card: PrintedCard) -> str:
    """A card as an SVG document (800 wide), legible on a screen and printable."""
    cell = 700 / card.size
    width, top = 800, 140
    height = int(top + cell * card.size + 60)
    when = card.starts_at.strftime("%d %B %Y, %H:%M UTC")
    subtitle = f"{card.event_title} — {when}" + (f" — {card.location}" if card.location else "")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif">',
        f"<title>Networking Bingo: card of {escape(card.player_name)}</title>",
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="50" y="50" font-size="28" font-weight="bold" fill="{INK}">Networking Bingo</text>',
        f'<text x="50" y="80" font-size="16" fill="{INK}">{escape(subtitle)}</text>',
        f'<text x="50" y="110" font-size="18" font-weight="bold" fill="{INK}">Card of {escape(card.player_name)}</text>',
    ]
    chars = max(10, int(cell / 8.5))
    for index, square in enumerate(card.squares):
        row, col = divmod(index, card.size)
        x, y = 50 + col * cell, top + row * cell
        colour = (
            FREE_COLOUR if square.free else CATEGORY_COLOURS.get(square.category or "", "#ffffff")
        )
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell:.1f}" height="{cell:.1f}" '
            f'fill="{colour}" stroke="{INK}" stroke-width="1.5"/>'
        )
        label = "FREE" if square.free else (square.category or "").upper()
        parts.append(
            f'<text x="{x + 8:.1f}" y="{y + 18:.1f}" font-size="11" font-weight="bold" '
            f'fill="{MUTED}">{escape(label)}</text>'
        )
        body = "Free square" if square.free else square.text
        for k, line in enumerate(textwrap.wrap(body, chars)[:7]):
            parts.append(
                f'<text x="{x + 8:.1f}" y="{y + 40 + k * 17:.1f}" font-size="14" '
                f'fill="{INK}">{escape(line)}</text>'
            )
        if square.met_name:
            parts.append(
                f'<text x="{x + 8:.1f}" y="{y + cell - 10:.1f}" font-size="12" font-style="italic" '
                f'fill="{MUTED}">met: {escape(square.met_name)}</text>'
            )
    parts.append(
        f'<text x="50" y="{height - 25}" font-size="13" fill="{MUTED}">One person fills at most two '
        "squares. A row, column or diagonal is a bingo. Follow up within 24 hours.</text>"
    )
    parts.append("</svg>")
    return "\n".join(parts)
