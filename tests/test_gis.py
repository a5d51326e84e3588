"""GIS exports follow the GeoJSON rules, `d2c explain` names the right cause,
and scenario footprints accept GeoJSON polygons (as Copernicus EMS publishes)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
import shapely
from typer.testing import CliRunner

from conftest import SMALL_TOPOLOGY, scenario_text, write
from d2c.cli import app
from d2c.base.errors import ConfigError
from d2c.config.scenario import load_scenario
from d2c.engine import Simulation
from d2c.explain import explain
from d2c.report.gis import to_csv, to_geojson, to_kml
from d2c.world import World

# A quake (for its geometry on the map) and a strike that surely breaks S1, Alpha's only site, at T+10m.
QUAKE = ("[{kind: earthquake, at: T+10m, lat: 42.05, lon: 13.0, depth_km: 8, magnitude: 6.2},"
         " {kind: attack, actions: [{at: T+10m, destroy: [S1]}]}]")
# A square of about 4 km around Alpha (42.00 N, 13.00 E), in GeoJSON's [lon, lat] order.
ALPHA_SQUARE = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"source": "test"},
                "geometry": {"type": "Polygon", "coordinates": [[[12.98, 41.98], [13.02, 41.98], [13.02, 42.02],
                                                                 [12.98, 42.02], [12.98, 41.98]]]}}]}


def run_doc(tmp_path, incidents: str, duration: str = "6h") -> tuple[dict, object]:
    write(tmp_path, "small.yaml", SMALL_TOPOLOGY)
    sc = load_scenario(write(tmp_path, "s.yaml", scenario_text(incidents, "", duration)))
    return json.loads(json.dumps(Simulation(sc).run().to_dict())), sc


def ring_is_closed_and_counter_clockwise(ring) -> bool:
    return len(ring) >= 4 and ring[0] == ring[-1] and shapely.LinearRing(ring).is_ccw


def test_geojson_export_follows_the_rules(tmp_path):
    doc, _ = run_doc(tmp_path, QUAKE, "3h")
    collection = to_geojson(doc)
    assert collection["type"] == "FeatureCollection"
    areas = {f["properties"]["id"]: f for f in collection["features"] if f["properties"]["kind"] == "area"}
    sites = {f["properties"]["id"]: f for f in collection["features"] if f["properties"]["kind"] == "site"}
    assert set(areas) == {"Alpha", "Beta"} and set(sites) == {"S1", "S2", "S3"}
    # [lon, lat]: Alpha is at 42.00 N 13.00 E, S3 at 42.09 N 13.01 E (the topology)
    assert areas["Alpha"]["geometry"] == {"type": "Point", "coordinates": [13.0, 42.0]}
    assert sites["S3"]["geometry"]["coordinates"] == [13.01, 42.09]
    for feature in collection["features"]:
        geometry = feature["geometry"]
        assert feature["type"] == "Feature" and isinstance(feature["properties"], dict)
        if geometry["type"] == "Polygon":
            for ring in geometry["coordinates"]:
                assert ring_is_closed_and_counter_clockwise(ring)
        for lon, lat in _positions(geometry):
            assert -180 <= lon <= 180 and -90 <= lat <= 90
    hours = collection["hours_from_start"]
    assert hours == [0, 1, 2]
    # the strike at T+10m breaks S1 (Alpha's only site): Alpha off its cells from the first hour on
    assert [areas["Alpha"]["properties"][f"service_{h:02d}"] for h in hours] == ["terrestrial", "no 112 path",
                                                                                 "no 112 path"]
    assert areas["Alpha"]["properties"]["cause_01"] == "damage"
    assert sites["S1"]["properties"]["state_01"] == "damage"
    assert json.loads(json.dumps(collection)) == collection


def _positions(geometry):
    if geometry["type"] == "Point":
        return [geometry["coordinates"]]
    return [p for ring in geometry["coordinates"] for p in ring]


def test_csv_and_kml_have_every_place_every_hour(tmp_path):
    doc, _ = run_doc(tmp_path, QUAKE, "3h")
    rows = to_csv(doc).strip().splitlines()
    assert rows[0] == "kind,id,name,operator,population,lon,lat,hour,utc,status,cause"
    assert len(rows) == 1 + (2 + 3) * 3
    assert "area,Alpha,Alpha,,1000,13.0,42.0,01,2024-01-01T01:00:00Z,no 112 path,damage" in rows
    root = ET.fromstring(to_kml(doc))
    ns = {"k": "http://www.opengis.net/kml/2.2"}
    marks = root.findall(".//k:Placemark", ns)
    assert len(marks) == (2 + 3) * 3
    first = marks[0]
    assert first.find("k:Point/k:coordinates", ns).text == "13.0,42.0"
    assert first.find("k:TimeSpan/k:begin", ns).text == "2024-01-01T00:00:00Z"


def test_export_command_writes_the_file(tmp_path):
    doc, _ = run_doc(tmp_path, QUAKE, "2h")
    result = tmp_path / "r.json"
    result.write_text(json.dumps(doc))
    out = tmp_path / "r.geojson"
    run = CliRunner().invoke(app, ["export", str(result), "--format", "geojson", "--out", str(out)])
    assert run.exit_code == 0, run.output
    assert json.loads(out.read_text())["type"] == "FeatureCollection"
    bad = CliRunner().invoke(app, ["export", str(result), "--format", "shp"])
    assert bad.exit_code == 2 and "expected one of geojson, csv, kml, got 'shp'" in bad.output


@pytest.mark.parametrize("incident, cause, words", [
    # both fibre routes from AGG1 cut: every site is standing and powered but cut off
    ("[{kind: attack, actions: [{at: T+1h, cut: [L1, L2]}]}]", "backhaul", "cut off from every core"),
    # the grid lost everywhere: S1's 4 h battery runs out at T+4h
    ("[{kind: blackout, area: everywhere, at: 0, duration: 24h}]", "power", "battery"),
    ("[{kind: attack, actions: [{at: T+1h, destroy: [S1]}]}]", "damage", "broken by the incident"),
])
def test_explain_names_the_cause(tmp_path, incident, cause, words):
    doc, sc = run_doc(tmp_path, incident)
    lines = explain(doc, "alpha", World(sc.topology))
    text = "\n".join(lines)
    assert lines[0].startswith("Alpha (1,000 people)")
    assert f"its cells were down by {cause}" in text
    assert f"- S1 (TIM): down by {cause} from" in text and words in text
    if cause == "power":
        assert "down by power from T+04:00" in text, "4 h of battery from T+0"


def test_explain_command_and_a_misspelt_place(tmp_path):
    doc, sc = run_doc(tmp_path, QUAKE, "2h")
    result = tmp_path / "r.json"
    result.write_text(json.dumps(doc))
    run = CliRunner().invoke(app, ["explain", str(result), "Alpha"])
    assert run.exit_code == 0, run.output
    assert "down by damage" in run.output and "S1" in run.output
    run = CliRunner().invoke(app, ["explain", str(result), "Alpa"])
    assert run.exit_code == 2 and "did you mean 'Alpha'" in run.output


def test_a_geojson_footprint_strikes_only_inside(tmp_path):
    (tmp_path / "ems.geojson").write_text(json.dumps(ALPHA_SQUARE))
    doc, _ = run_doc(tmp_path, "[{kind: attack, actions: [{at: T+1h, jam: {geojson: ems.geojson}}]}]")
    states = dict(zip(doc["places"]["sites"]["id"], doc["places"]["sites"]["hourly_state"]))
    assert states["S1"] == ".jjjjj", "S1, inside the square, jammed from T+1h"
    assert set(states["S2"]) == {"."} and set(states["S3"]) == {"."}, "the sites of Beta, outside, are not"
    incident = next(i for i in doc["places"]["incidents"] if i["kind"] == "jamming")
    assert incident["geometry"]["type"] == "Polygon"
    assert ring_is_closed_and_counter_clockwise(incident["geometry"]["coordinates"][0])


@pytest.mark.parametrize("geometry, message", [
    ({"type": "Polygon", "coordinates": [[[41.98, 12.98], [41.98, 13.02], [42.02, 13.02]]]},
     "expected a ring of at least 4 positions"),
    ({"type": "Polygon", "coordinates": [[[12.98, 41.98], [13.02, 41.98], [13.02, 42.02], [12.98, 42.02]]]},
     "expected a closed ring"),
    ({"type": "Polygon", "coordinates": [[[195.0, 41.98], [13.02, 41.98], [13.02, 42.02], [195.0, 41.98]]]},
     "expected [lon, lat] in degrees"),
])
def test_bad_geojson_is_one_line_at_its_field(tmp_path, geometry, message):
    write(tmp_path, "small.yaml", SMALL_TOPOLOGY)
    (tmp_path / "bad.geojson").write_text(json.dumps(geometry))
    path = write(tmp_path, "s.yaml", scenario_text(
        "[{kind: blackout, area: {geojson: bad.geojson}, at: 0, duration: 1h}]"))
    with pytest.raises(ConfigError) as err:
        load_scenario(path)
    text = str(err.value)
    assert text.startswith(f"{path}:7: incidents[0].area.geojson: expected GeoJSON polygons (bad.geojson:")
    assert message in text and "\n" not in text
