"""The map on "Översikt": each municipality coloured and patterned by its status.

Pure functions from the national picture (archive.overview) and the boundaries
(samverkan.mapdata) to SVG text, so the page works without JavaScript and prints. Colour
never stands alone: the statuses that ask for attention also have a pattern, each shape
has a Swedish title, the legend shows the same patterns, and the table below the map says
everything in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from samverkan.archive.overview import MunicipalityStatus, Overview, Status
from samverkan.mapdata import SwedenMap

# The map is about this many pixels tall on screen: patterns and strokes are sized to it.
_SCREEN_PX = 700.0


@dataclass(frozen=True)
class Look:
    """How a status is drawn: a fill colour, and a pattern over it (or none)."""

    colour: str
    pattern: str | None = None  # "stripes", "stripes-back", "crosshatch", "dots", "lines"
    ink: str = "#333"


# The colours repeat the table's status marks (style.css); the patterns mark the statuses
# that need someone to act (expiring, due for review, uncertain, expired, drafts only).
LOOKS: dict[Status, Look] = {
    Status.in_force: Look("#2e7d32"),
    Status.open_ended: Look("#66bb6a"),
    Status.expiring: Look("#f9a825", "stripes", "#4e342e"),
    Status.upcoming: Look("#90caf9"),
    Status.review_due: Look("#ffcc80", "dots", "#6d4c41"),
    Status.uncertain: Look("#bdbdbd", "stripes-back", "#ffffff"),
    Status.expired: Look("#c62828", "crosshatch", "#ffffff"),
    Status.drafts_only: Look("#ffffff", "lines", "#757575"),
    Status.none: Look("#f2f2f2"),
}


def _pattern(pattern_id: str, look: Look, size: float) -> str:
    """One <pattern> tile `size` user units wide: the colour with the look's marks on it."""
    s = f"{size:.4g}"
    half = f"{size / 2:.4g}"
    line = f"{size / 4:.4g}"
    turn = {"stripes": ' patternTransform="rotate(45)"',
            "stripes-back": ' patternTransform="rotate(-45)"',
            "crosshatch": ' patternTransform="rotate(45)"'}.get(look.pattern or "", "")
    marks = {
        "stripes": f'<path d="M{half} 0V{s}" stroke="{look.ink}" stroke-width="{line}"/>',
        "stripes-back": f'<path d="M{half} 0V{s}" stroke="{look.ink}" stroke-width="{line}"/>',
        "crosshatch": (f'<path d="M{half} 0V{s}M0 {half}H{s}" stroke="{look.ink}" '
                       f'stroke-width="{size / 6:.4g}"/>'),
        "dots": f'<circle cx="{half}" cy="{half}" r="{size / 5:.4g}" fill="{look.ink}"/>',
        "lines": f'<path d="M0 {half}H{s}" stroke="{look.ink}" stroke-width="{size / 8:.4g}"/>',
    }[look.pattern or ""]
    return (f'<pattern id="{pattern_id}" width="{s}" height="{s}" '
            f'patternUnits="userSpaceOnUse"{turn}><rect width="{s}" height="{s}" '
            f'fill="{look.colour}"/>{marks}</pattern>')


def _fill(status: Status, prefix: str) -> str:
    look = LOOKS[status]
    return f"url(#{prefix}-{status.value})" if look.pattern else look.colour


def link_for(item: MunicipalityStatus) -> str:
    """Where a municipality leads: its best agreement, or a search for it when it has none."""
    best = item.best
    if best is not None:
        return f"/overenskommelse/{quote(best.agreement_id)}"
    return f"/sok?kommun={quote(item.municipality.name)}"


def title_for(item: MunicipalityStatus) -> str:
    """The tooltip and accessible name: "Mark (Västra Götalands län): I kraft, period …"."""
    place = item.municipality
    text = f"{place.name} ({place.county}): {item.status.label}"
    best = item.best
    if best is not None and best.period:
        text += f", period {best.period}"
    others = len(item.agreements) - 1
    if others > 0:
        text += (f", och {others} överenskommelse till" if others == 1
                 else f", och {others} överenskommelser till")
    return text


def overview_map_svg(picture: Overview, geometry: SwedenMap, *, place: str = "hela landet"
                     ) -> str:
    """The municipalities of `picture` (the whole country, or one county after
    Overview.in_county: the view box then fits that county) as one SVG element."""
    items = [item for item in picture.municipalities
             if item.municipality.code in geometry.municipalities]
    if not items:
        return ""
    minx, miny, maxx, maxy = geometry.bounds([item.municipality.code for item in items])
    pad = 0.02 * max(maxx - minx, maxy - miny)
    minx, miny, maxx, maxy = minx - pad, miny - pad, maxx + pad, maxy + pad
    per_px = (maxy - miny) / _SCREEN_PX  # map units per screen pixel, about
    label = f"Karta över status per kommun, {place}"
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="karta" '
             f'viewBox="{minx:.0f} {miny:.0f} {maxx - minx:.0f} {maxy - miny:.0f}" '
             f'role="group" aria-label="{escape(label)}"><title>{escape(label)}</title><defs>']
    parts += [_pattern(f"karta-{status.value}", look, 7 * per_px)
              for status, look in LOOKS.items() if look.pattern]
    parts.append(f'</defs><g class="kommuner" stroke="#8d949b" stroke-width="{per_px:.3g}" '
                 f'stroke-linejoin="round">')
    for item in items:
        shape = geometry.municipalities[item.municipality.code]
        parts.append(
            f'<a href="{escape(link_for(item))}" class="kommun status-{item.status.value}" '
            f'data-kod="{shape.code}"><title>{escape(title_for(item))}</title>'
            f'<path d="{shape.path}" fill="{_fill(item.status, "karta")}"/></a>')
    county_codes = sorted({item.municipality.county_code for item in items})
    outlines = "".join(geometry.counties[code].path for code in county_codes
                       if code in geometry.counties)
    parts.append(f'</g><path class="lan" d="{outlines}" fill="none" stroke="#424242" '
                 f'stroke-width="{1.5 * per_px:.3g}" stroke-linejoin="round" '
                 f'pointer-events="none"/></svg>')
    return "".join(parts)


def legend_swatch(status: Status) -> str:
    """A small square drawn like the map's shapes for `status` (its own pattern, since the
    map's is sized to the map), for the legend beside the counts."""
    look = LOOKS[status]
    defs = f"<defs>{_pattern(f'tecken-{status.value}', look, 6)}</defs>" if look.pattern else ""
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="swatch" width="18" height="18" '
            f'viewBox="0 0 18 18" aria-hidden="true" focusable="false">{defs}<rect x=".5" y=".5" width="17" '
            f'height="17" fill="{_fill(status, "tecken")}" stroke="#555"/></svg>')
