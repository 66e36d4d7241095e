"""Country shapes and markers drawn as SVG, with no map tiles and no outside host.

Pure core: reads the committed GeoJSON (made by scripts/build_world_map.mjs from the npm
world-atlas package, Natural Earth 1:110m) and knows nothing of Django.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry

COUNTRIES = Path(__file__).resolve().parent / "data" / "countries-110m.geojson"

# Equirectangular projection cropped to the inhabited latitudes: a degree is SCALE px both ways.
SCALE = 1000 / 360
NORTH, SOUTH = 84.0, -60.0
WIDTH = 1000
HEIGHT = round((NORTH - SOUTH) * SCALE)


def project(latitude: float, longitude: float) -> tuple[float, float]:
    """(x, y) in the map's SVG coordinates: plate carrée, x east from 180°W, y south from 84°N."""
    return round((longitude + 180) * SCALE, 1), round((NORTH - latitude) * SCALE, 1)


@dataclass(frozen=True)
class CountryShape:
    alpha_3: str
    name: str
    path: str


def _ring_path(ring: list[list[float]]) -> str:
    """A ring as SVG path data. Rings cut at the antimeridian (Russia, Fiji) step from 180° to
    -180°: that step is a move, not a line drawn across the whole map."""
    parts: list[str] = []
    previous: float | None = None
    for lon, lat in ring:
        x, y = project(lat, lon)
        jump = previous is None or abs(lon - previous) > 180
        parts.append(f"{'M' if jump else 'L'}{x:g} {y:g}")
        previous = lon
    return "".join(parts) + "Z"


def _alpha_3(numeric: str) -> str:
    # world-atlas names countries by ISO 3166-1 numeric code; task forces by alpha-3.
    country = pycountry.countries.get(numeric=numeric) if numeric else None
    return country.alpha_3 if country else ""


@cache
def country_shapes() -> tuple[CountryShape, ...]:
    """Every country's outline as one SVG path, computed once per process."""
    collection = json.loads(COUNTRIES.read_text(encoding="utf-8"))
    return tuple(
        CountryShape(
            alpha_3=_alpha_3(feature["id"]),
            name=feature["properties"]["name"],
            path="".join(
                _ring_path(ring)
                for polygon in feature["geometry"]["coordinates"]
                for ring in polygon
            ),
        )
        for feature in collection["features"]
    )
