"""Reference positions of airports, from the airportsdata package (MIT) shipped as a dependency."""

from __future__ import annotations

from functools import cache

import airportsdata


@cache
def _airports_by_iata() -> dict[str, airportsdata.Airport]:
    # Loading parses a CSV of ~8,000 airports; done once per process.
    return airportsdata.load("IATA")


def airport_position(iata_code: str) -> tuple[float, float] | None:
    """(latitude, longitude) in decimal degrees of an IATA airport, or None when unknown."""
    entry = _airports_by_iata().get(iata_code.upper())
    if entry is None:
        return None
    return float(entry["lat"]), float(entry["lon"])
