// Turns Natural Earth country shapes (npm world-atlas, ISC) into the compact GeoJSON the network
// page draws from: agencies/network/data/countries-110m.geojson. Run once when the atlas changes;
// the output is committed so the application needs neither Node nor any outside host.
//
//   cd "$(mktemp -d)" && npm install --no-save world-atlas@2.0.2 topojson-client@3.1.0
//   node /path/to/repo/scripts/build_world_map.mjs "$PWD/node_modules" /path/to/repo
//
// Coordinates are rounded to 0.1 degree: at the page's scale (1 degree ~ 2.8 px) finer detail is
// invisible and would only grow the file.
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const [modules, repo] = process.argv.slice(2);
if (!modules || !repo) {
  console.error("usage: node build_world_map.mjs NODE_MODULES_DIR REPO_DIR");
  process.exit(2);
}
const require = createRequire(path.join(modules, "noop.js"));
const { feature } = require("topojson-client");
const atlas = JSON.parse(
  readFileSync(path.join(modules, "world-atlas", "countries-110m.json"), "utf8"),
);
const round = (ring) => {
  const out = [];
  for (const [lon, lat] of ring) {
    const point = [Math.round(lon * 10) / 10, Math.round(lat * 10) / 10];
    const last = out[out.length - 1];
    if (!last || last[0] !== point[0] || last[1] !== point[1]) out.push(point);
  }
  return out;
};
const countries = feature(atlas, atlas.objects.countries).features.map((f) => {
  const polygons =
    f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
  return {
    type: "Feature",
    // ISO 3166-1 numeric code, as world-atlas gives it (empty for a few disputed areas).
    id: f.id ?? "",
    properties: { name: f.properties.name },
    geometry: {
      type: "MultiPolygon",
      coordinates: polygons
        .map((polygon) => polygon.map(round).filter((ring) => ring.length >= 4))
        .filter((polygon) => polygon.length > 0),
    },
  };
});
const out = path.join(repo, "agencies", "network", "data", "countries-110m.geojson");
writeFileSync(
  out,
  JSON.stringify({
    type: "FeatureCollection",
    source: "world-atlas 2.0.2 countries-110m (Natural Earth, public domain; package ISC)",
    features: countries,
  }) + "\n",
);
console.log(`${countries.length} countries -> ${out}`);
