"""The charts on "Vad andra prioriterar": the most named focus areas, and their shares over time.

Pure functions from plain numbers to SVG text, drawn by hand like the map (overview_map):
no JavaScript, no plotting library, and the page prints. Every bar and point has a Swedish
<title>, the lines differ by dash pattern and marker as well as colour, and the tables
beside the charts say everything in words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from samverkan.docgen.swedish import percent_sv as percent

_FONT = 'font-family="system-ui, sans-serif" font-size="13"'
_BAR = "#1565c0"
# Colour, dash pattern and marker per line: never colour alone.
_LINES: tuple[tuple[str, str, str], ...] = (
    ("#1565c0", "", "circle"), ("#c62828", "6 3", "square"), ("#2e7d32", "2 3", "diamond"),
    ("#6a1b9a", "10 3 2 3", "triangle"), ("#ef6c00", "12 3 2 3 2 3", "cross"),
    ("#00838f", "8 2", "circle"), ("#4e342e", "3 3", "square"))


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    share: float  # 0..1
    href: str


@dataclass(frozen=True)
class Line:
    label: str
    shares: Sequence[float]  # per year, 0..1
    counts: Sequence[int]


def _clip(text: str, length: int = 40) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def bar_chart_svg(bars: Sequence[Bar], label: str, of_total: int) -> str:
    """Horizontal bars, most named first, each a link with its number and share."""
    label_width, bar_width, row, top = 340, 300, 26, 8
    width = label_width + bar_width + 90
    height = top * 2 + row * max(len(bars), 1)
    largest = max((bar.value for bar in bars), default=1) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart bars" role="img" '
             f'viewBox="0 0 {width} {height}" width="100%" aria-label="{escape(label)}" {_FONT}>'
             f'<title>{escape(label)}</title>']
    for number, bar in enumerate(bars):
        y = top + number * row
        length = max(bar_width * bar.value / largest, 1.0)
        noun = "överenskommelse" if bar.value == 1 else "överenskommelser"
        tip = (f"{bar.label}: {bar.value} {noun} av {of_total} ({percent(bar.share)}). "
               "Välj för att söka efter området.")
        parts.append(
            f'<a href="{escape(bar.href)}"><title>{escape(tip)}</title>'
            f'<text x="{label_width - 8}" y="{y + row / 2 + 4:.1f}" text-anchor="end" '
            f'fill="#222">{escape(_clip(bar.label))}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{length:.1f}" height="{row - 8}" '
            f'fill="{_BAR}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + row / 2 + 4:.1f}" fill="#222">'
            f'{bar.value} ({percent(bar.share)})</text></a>')
    parts.append("</svg>")
    return "".join(parts)


def _marker(kind: str, x: float, y: float, colour: str) -> str:
    if kind == "square":
        return f'<rect x="{x - 4:.1f}" y="{y - 4:.1f}" width="8" height="8" fill="{colour}"/>'
    if kind == "diamond":
        return (f'<path d="M{x:.1f} {y - 5:.1f}l5 5l-5 5l-5 -5z" fill="{colour}"/>')
    if kind == "triangle":
        return f'<path d="M{x:.1f} {y - 5:.1f}l5 9h-10z" fill="{colour}"/>'
    if kind == "cross":
        return (f'<path d="M{x - 4:.1f} {y - 4:.1f}l8 8m0 -8l-8 8" stroke="{colour}" '
                'stroke-width="2.5"/>')
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'


def line_chart_svg(years: Sequence[int], lines: Sequence[Line], label: str) -> str:
    """Each area's share of the agreements in force per year, one line each, with a legend."""
    left, right, top, plot_height, legend_row = 52, 32, 12, 220, 20
    width = 720
    plot_width = width - left - right
    height = top + plot_height + 30 + legend_row * len(lines) + 8
    # At its own size (scaled down on a narrow screen, never up: its text would grow too).
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart lines" role="img" '
             f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'aria-label="{escape(label)}" {_FONT}>'
             f'<title>{escape(label)}</title>']
    # The axis up to the next round share above the highest line, so that lines near a
    # quarter are not pressed flat against 0–100 %.
    highest = max((share for line in lines for share in line.shares), default=0.0)
    ceiling = next(top_share for top_share in (0.2, 0.4, 0.6, 0.8, 1.0)
                   if highest + 0.05 <= top_share or top_share == 1.0)

    def x_of(index: int) -> float:
        return left + (plot_width * index / (len(years) - 1) if len(years) > 1 else plot_width / 2)

    def y_of(share: float) -> float:
        return top + plot_height * (1 - share / ceiling)

    for tick in (0, ceiling / 4, ceiling / 2, ceiling * 3 / 4, ceiling):
        y = y_of(tick)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="#ddd"/><text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" '
                     f'fill="#555">{percent(tick)}</text>')
    step = max(1, len(years) // 12)
    for index, year in enumerate(years):
        if index % step == 0 or index == len(years) - 1:
            parts.append(f'<text x="{x_of(index):.1f}" y="{top + plot_height + 20}" '
                         f'text-anchor="middle" fill="#555">{year}</text>')
    for number, line in enumerate(lines):
        colour, dash, marker = _LINES[number % len(_LINES)]
        points = " ".join(f"{x_of(i):.1f},{y_of(share):.1f}"
                          for i, share in enumerate(line.shares))
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<g class="line"><title>{escape(line.label)}</title>'
                     f'<polyline points="{points}" fill="none" stroke="{colour}" '
                     f'stroke-width="2"{dashes}/>')
        for i, (share, count) in enumerate(zip(line.shares, line.counts, strict=True)):
            tip = f"{line.label}, {years[i]}: {percent(share)} ({count} st.)"
            parts.append(f'<g><title>{escape(tip)}</title>'
                         f'{_marker(marker, x_of(i), y_of(share), colour)}</g>')
        parts.append("</g>")
        y = top + plot_height + 34 + number * legend_row
        parts.append(f'<line x1="{left}" x2="{left + 36}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{colour}" stroke-width="2"{dashes}/>'
                     f'{_marker(marker, left + 18, y, colour)}'
                     f'<text x="{left + 44}" y="{y + 4:.1f}" fill="#222">'
                     f'{escape(_clip(line.label, 80))}</text>')
    parts.append("</svg>")
    return "".join(parts)
