"""The influence map's pictures, drawn server-side as plain SVG (no drawing library).

* The ego map: the person in the middle, each tie a spoke whose length shrinks and whose dot
  grows with the tie's strength, dots coloured by function and grouped by function around
  the circle, brokers ringed, and the second-hop divisions as bars beside it. Legible at any
  size: the ``SHOWN_TIES`` strongest ties are drawn one by one (the ``LABELLED`` strongest
  named); the long tail is cut into one bubble per function ("+37 engineering"), sized by
  how many it holds.
* The division matrix: a heat map of how each division's tie strength is spread over the
  divisions (rows sum to 100 %; the diagonal is how much stays inside: the silo).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

# One colour per function (colour-blind-safe where possible; Okabe–Ito, then Tableau).
FUNCTION_COLOURS = {
    "engineering": "#0072B2",
    "product": "#E69F00",
    "design": "#CC79A7",
    "data": "#009E73",
    "sales": "#D55E00",
    "marketing": "#F0E442",
    "operations": "#56B4E9",
    "finance": "#8C564B",
    "people": "#9467BD",
    "legal": "#7F7F7F",
    "support": "#17BECF",
}
SHOWN_TIES = 36
LABELLED = 14
FONT = "font-family='Helvetica, Arial, sans-serif'"


def _colour(function: str) -> str:
    return FUNCTION_COLOURS.get(function, "#444444")


def _text(x: float, y: float, content: str, size: int = 12, **attrs: str) -> str:
    extra = " ".join(f"{k.replace('_', '-')}='{v}'" for k, v in attrs.items())
    return (
        f"<text x='{x:.1f}' y='{y:.1f}' font-size='{size}' {FONT} {extra}>{escape(content)}</text>"
    )


@dataclass(frozen=True)
class EgoTie:
    """One tie of the ego map."""

    name: str
    function: str
    division: str | None
    strength: float
    broker: bool


def ego_map(
    name: str,
    function: str,
    ties: Sequence[EgoTie],
    second_hop: Counter,
    subtitle: str,
) -> str:
    """Draw a person's ties (see the module's docstring); ``second_hop`` counts by division."""
    width, height = 1000, 760
    cx, cy = 370.0, 400.0
    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' role='img'>",
        f"<title>{escape(f'The network of {name}')}</title>",
        f"<rect width='{width}' height='{height}' fill='white'/>",
        _text(24, 36, f"The network of {name}", 22, font_weight="bold"),
        _text(24, 60, subtitle, 13, fill="#555"),
    ]
    ordered = sorted(ties, key=lambda t: (-t.strength, t.name))
    shown, tail = ordered[:SHOWN_TIES], ordered[SHOWN_TIES:]
    labelled = {id(t) for t in shown[:LABELLED]}
    # Group around the circle by function (the largest function first), strongest first.
    by_function = Counter(t.function for t in shown)
    tail_by_function = Counter(t.function for t in tail)
    functions = sorted(
        set(by_function) | set(tail_by_function),
        key=lambda f: (-(by_function[f] + tail_by_function[f]), f),
    )
    slots: list[tuple[str, EgoTie | None]] = []
    for f in functions:
        slots.extend((f, t) for t in shown if t.function == f)
        if tail_by_function[f]:
            slots.append((f, None))
    count = max(1, len(slots))
    nodes: list[str] = []
    labels: list[str] = []
    for k, (f, tie) in enumerate(slots):
        angle = -math.pi / 2 + 2 * math.pi * k / count
        if tie is None:
            many = tail_by_function[f]
            distance = 290.0
            radius = 10 + 4 * math.sqrt(many)
            x, y = cx + distance * math.cos(angle), cy + distance * math.sin(angle)
            out.append(
                f"<line x1='{cx}' y1='{cy}' x2='{x:.1f}' y2='{y:.1f}' stroke='#bbb' "
                "stroke-width='1' stroke-dasharray='4 4'/>"
            )
            nodes.append(
                f"<circle cx='{x:.1f}' cy='{y:.1f}' r='{radius:.1f}' fill='{_colour(f)}' "
                "fill-opacity='0.35' stroke='#666' stroke-dasharray='3 2'/>"
            )
            nodes.append(_text(x, y + 4, f"+{many}", 12, text_anchor="middle", font_weight="bold"))
            nodes.append(
                _text(x, y + radius + 14, f"more in {f}", 11, text_anchor="middle", fill="#333")
            )
            continue
        distance = 110.0 + (1.0 - tie.strength) * 170.0
        radius = 5.0 + 13.0 * tie.strength
        x, y = cx + distance * math.cos(angle), cy + distance * math.sin(angle)
        out.append(
            f"<line x1='{cx}' y1='{cy}' x2='{x:.1f}' y2='{y:.1f}' stroke='{_colour(tie.function)}' "
            f"stroke-opacity='0.55' stroke-width='{1 + 5 * tie.strength:.1f}'/>"
        )
        ring = " stroke='#111' stroke-width='3'" if tie.broker else " stroke='white'"
        where = tie.division or "no division"
        tooltip = f"{tie.name} ({tie.function}, {where}): strength {tie.strength:.2f}"
        nodes.append(
            f"<circle cx='{x:.1f}' cy='{y:.1f}' r='{radius:.1f}' fill='{_colour(tie.function)}'"
            f"{ring}><title>{escape(tooltip)}</title></circle>"
        )
        if id(tie) in labelled:
            anchor = "start" if math.cos(angle) >= 0 else "end"
            dx = (radius + 4) * (1 if anchor == "start" else -1)
            labels.append(
                _text(
                    x + dx,
                    y + 4,
                    tie.name,
                    12,
                    text_anchor=anchor,
                    fill="#222",
                    stroke="white",
                    stroke_width="3",
                    paint_order="stroke",
                )
            )
    # Names last, haloed in white, so that no dot or spoke hides them.
    out.extend(nodes)
    out.extend(labels)
    out.append(
        f"<circle cx='{cx}' cy='{cy}' r='26' fill='{_colour(function)}' stroke='#111' "
        "stroke-width='2'/>"
    )
    out.append(_text(cx, cy + 44, name, 14, text_anchor="middle", font_weight="bold"))
    if not ties:
        out.append(
            _text(cx, cy - 60, "No ties yet: log your conversations.", 14, text_anchor="middle")
        )

    # The legend and the second-hop divisions, on the right.
    x0, y = 720.0, 96.0
    out.append(_text(x0, y, "Functions", 13, font_weight="bold"))
    for f in functions or [function]:
        y += 20
        out.append(f"<circle cx='{x0 + 7}' cy='{y - 4}' r='6' fill='{_colour(f)}'/>")
        out.append(_text(x0 + 20, y, f, 12))
    y += 30
    out.append(_text(x0, y, "Reading the map", 13, font_weight="bold"))
    y += 22
    out.append(f"<circle cx='{x0 + 7}' cy='{y - 4}' r='9' fill='#999'/>")
    out.append(_text(x0 + 22, y, "closer, bigger: stronger tie", 12))
    y += 22
    out.append(
        f"<circle cx='{x0 + 7}' cy='{y - 4}' r='7' fill='#ddd' stroke='#111' stroke-width='3'/>"
    )
    out.append(_text(x0 + 22, y, "ringed: a broker (top 10%)", 12))
    y += 22
    out.append(
        f"<circle cx='{x0 + 7}' cy='{y - 4}' r='8' fill='#ccc' fill-opacity='0.5' "
        "stroke='#666' stroke-dasharray='3 2'/>"
    )
    out.append(_text(x0 + 22, y, f"weaker ties beyond the {SHOWN_TIES} shown", 12))
    y += 36
    out.append(_text(x0, y, "Two steps away, by division", 13, font_weight="bold"))
    most = max(second_hop.values(), default=1)
    for division, n in sorted(second_hop.items(), key=lambda kv: (-kv[1], kv[0]))[:12]:
        y += 22
        bar = 150.0 * n / most
        out.append(f"<rect x='{x0}' y='{y - 11}' width='{bar:.1f}' height='14' fill='#9ecae1'/>")
        out.append(_text(x0 + 4, y, f"{division} ({n})", 11, fill="#08306b"))
    if not second_hop:
        out.append(_text(x0, y + 22, "nobody yet", 12, fill="#555"))
    out.append("</svg>")
    return "\n".join(out)


def _heat(share: float) -> str:
    """White to dark blue, by the square root of the share (small links stay visible)."""
    t = math.sqrt(max(0.0, min(1.0, share)))
    low, high = (247, 251, 255), (8, 48, 107)
    r, g, b = (round(low[i] + (high[i] - low[i]) * t) for i in range(3))
    return f"#{r:02x}{g:02x}{b:02x}"


def division_heat_map(
    names: Sequence[str],
    people: Sequence[int],
    strength: Sequence[Sequence[float]],
    hidden: int,
    subtitle: str,
) -> str:
    """Draw the division tie matrix: row i shows where division i's tie strength goes."""
    n = len(names)
    cell = max(28, min(64, 560 // max(1, n)))
    left, top = 210, 150
    width = left + cell * n + 240
    height = top + cell * n + 110
    out = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
        f"viewBox='0 0 {width} {height}' role='img'>",
        "<title>Ties between divisions</title>",
        f"<rect width='{width}' height='{height}' fill='white'/>",
        _text(24, 36, "Where each division's ties go", 22, font_weight="bold"),
        _text(24, 60, subtitle, 13, fill="#555"),
        _text(
            24,
            82,
            "Row: a division; cell: its share of tie strength with the column's division. "
            "The diagonal is what stays inside (a silo when high).",
            12,
            fill="#555",
        ),
    ]
    for j, name in enumerate(names):
        x = left + j * cell + cell / 2
        out.append(
            f"<text transform='translate({x:.1f},{top - 8}) rotate(-40)' font-size='12' {FONT}>"
            f"{escape(name)}</text>"
        )
    for i, name in enumerate(names):
        y = top + i * cell
        out.append(
            _text(left - 8, y + cell / 2 + 4, f"{name} ({people[i]})", 12, text_anchor="end")
        )
        total = sum(strength[i])
        for j in range(n):
            share = strength[i][j] / total if total else 0.0
            x = left + j * cell
            stroke = " stroke='#d62728' stroke-width='2'" if i == j else " stroke='white'"
            out.append(
                f"<rect x='{x}' y='{y}' width='{cell}' height='{cell}' fill='{_heat(share)}'{stroke}>"
                f"<title>{escape(f'{name} → {names[j]}: {share:.0%}')}</title></rect>"
            )
            colour = "white" if share > 0.3 else "#222"
            out.append(
                _text(
                    x + cell / 2,
                    y + cell / 2 + 4,
                    f"{share:.0%}",
                    11,
                    text_anchor="middle",
                    fill=colour,
                )
            )
    # Legend: the colour scale.
    lx, ly = left + cell * n + 40, top
    out.append(_text(lx, ly - 10, "share of the row's ties", 12, font_weight="bold"))
    for k in range(11):
        share = k / 10
        out.append(
            f"<rect x='{lx}' y='{ly + k * 18}' width='24' height='18' fill='{_heat(share)}' "
            "stroke='#ccc'/>"
        )
        out.append(_text(lx + 32, ly + k * 18 + 13, f"{share:.0%}", 11))
    out.append(
        f"<rect x='{lx}' y='{ly + 11 * 18 + 16}' width='24' height='18' fill='white' "
        "stroke='#d62728' stroke-width='2'/>"
    )
    out.append(_text(lx + 32, ly + 11 * 18 + 29, "inside the division", 11))
    if hidden:
        out.append(
            _text(
                24,
                height - 24,
                f"{hidden} division(s) with fewer people than the anonymity threshold are hidden.",
                12,
                fill="#555",
            )
        )
    if not n:
        out.append(_text(24, top + 20, "No division is large enough to show.", 14))
    out.append("</svg>")
    return "\n".join(out)
