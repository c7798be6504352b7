"""The charts of "Vad andra prioriterar" (samverkan.priorities_chart): well-formed SVG, every
text escaped, a Swedish title per bar and point, lines told apart without colour."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from samverkan.priorities_chart import Bar, Line, bar_chart_svg, line_chart_svg

SVG = "{http://www.w3.org/2000/svg}"


def test_bars_are_links_with_titles() -> None:
    bars = [Bar("Våld i nära relationer", 3, 0.75, "/sok?q=%22V%C3%A5ld%22&ar=2024"),
            Bar("<script>x</script> & annat", 1, 0.25, "/sok?q=a&b=<c>")]
    svg = bar_chart_svg(bars, "De vanligaste fokusområdena 2024, hela landet", 4)
    root = ET.fromstring(svg)  # well-formed: every text escaped
    assert "<script>" not in svg
    links = root.findall(f"{SVG}a")
    assert [link.get("href") for link in links] == [bar.href for bar in bars]
    titles = [link.findtext(f"{SVG}title") for link in links]
    assert titles[0] == ("Våld i nära relationer: 3 överenskommelser av 4 (75\u00a0%). "
                         "Välj för att söka efter området.")
    assert titles[1].startswith("<script>x</script> & annat: 1 överenskommelse av 4")
    widths = [float(rect.get("width") or 0) for rect in root.iter(f"{SVG}rect")]
    assert widths[0] == 3 * widths[1]  # bars in proportion
    assert root.get("role") == "img" and root.findtext(f"{SVG}title")


def test_lines_differ_by_dash_and_marker() -> None:
    lines = [Line("Trygghet", [0.5, 1.0], [1, 2]), Line("Narkotika", [0.0, 0.5], [0, 1])]
    root = ET.fromstring(line_chart_svg([2023, 2024], lines, "Andel per år"))
    polylines = root.findall(f".//{SVG}polyline")
    assert len(polylines) == 2
    assert polylines[0].get("stroke-dasharray") != polylines[1].get("stroke-dasharray")
    tips = [element.text for element in root.iter(f"{SVG}title")]
    assert "Trygghet, 2024: 100\u00a0% (2 st.)" in tips
    assert "Narkotika, 2023: 0\u00a0% (0 st.)" in tips
    texts = [element.text for element in root.iter(f"{SVG}text")]
    assert {"2023", "2024", "Trygghet", "Narkotika", "50\u00a0%"} <= set(texts)


def test_the_share_axis_ends_above_the_highest_line_not_at_100() -> None:
    """Lines near a quarter are not pressed flat: the axis stops at the next round share."""
    low = line_chart_svg([2024, 2025], [Line("Trygghet", [0.26, 0.32], [26, 32])], "andelar")
    assert ">40\u00a0%<" in low and ">100\u00a0%<" not in low
    high = line_chart_svg([2024, 2025], [Line("Trygghet", [0.9, 0.97], [9, 10])], "andelar")
    assert ">100\u00a0%<" in high
    assert 'width="720"' in low  # its own size, not stretched (its text would grow)
