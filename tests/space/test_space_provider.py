"""Providers: presets load with a source for every number; clear errors for bad files."""

from __future__ import annotations

import datetime as dt
import math
import textwrap

import pytest

from d2c.space.linkbudget import SERVICE_DATA, SERVICE_SMS
from d2c.space.provider import BANDS, Provider, available_presets, load_provider

REQUIRED_SOURCES = {
    "band",
    "satellite.eirp_density_dbw_per_mhz",
    "satellite.gt_db_per_k",
    "satellite.beams_per_satellite",
    "satellite.beam_radius_km",
    "satellite.channel_bandwidth_mhz",
    "satellite.inter_satellite_links",
    "handset.eirp_dbm",
    "handset.gt_db_per_k",
    "handset.uplink_bandwidth_mhz",
    "losses.atmospheric_loss_db",
    "elevation_mask_deg",
    "gateway_mask_deg",
    "services",
}


def test_the_presets_exist():
    assert {"starlink-dtc", "ast-spacemobile", "messaging", "iris2", "national"} <= set(available_presets())


@pytest.mark.parametrize("name", available_presets())
def test_every_preset_figure_is_sourced_or_assumed_with_a_range(name):
    # reads the YAML itself, so a figure without source or range fails here whatever the loader does
    import yaml

    from d2c.space.provider import PRESETS_DIR

    doc = yaml.safe_load((PRESETS_DIR / f"{name}.yaml").read_text())
    figures = []

    def walk(node, path):
        if isinstance(node, dict) and "value" in node:
            figures.append((path, node))
        elif isinstance(node, dict):
            for k, v in node.items():
                walk(v, f"{path}.{k}" if path else k)

    walk({k: v for k, v in doc.items() if k not in ("name", "description")}, "")
    assert len(figures) >= 12
    for path, node in figures:
        assert set(node) - {"value", "source", "assumed"} == set(), path
        assert "source" in node or "assumed" in node, f"{name}: {path} has neither source nor assumed"
        if "source" in node:
            assert isinstance(node["source"], str) and len(node["source"]) > 10, path
        if "assumed" in node:
            a = node["assumed"]
            assert {"low", "high", "why"} <= set(a) and len(a["why"]) > 10, path


@pytest.mark.parametrize("name", available_presets())
def test_assumptions_list_ranges_and_each_can_be_overridden(name):
    p = load_provider(name)
    found = p.assumptions()
    assert found, "every real provider rests on some assumption"
    for a in found:
        for end in (a.low, a.high):
            q = p.with_value(a.name, end)
            assert q.values[a.name] == end and q.name == p.name
            assert {x.name for x in q.assumptions()} == {x.name for x in found}
    beams = next((a for a in found if a.name == "satellite.beams_per_satellite"), None)
    if beams is not None:
        assert p.with_value(beams.name, beams.high).beams_per_satellite == beams.high
    with pytest.raises(ValueError, match="not a figure"):
        p.with_value("satellite.warp_drive", 1)


def test_overriding_a_radio_figure_changes_the_link():
    p = load_provider("starlink-dtc")
    loud = p.with_value("satellite.eirp_density_dbw_per_mhz", p.values["satellite.eirp_density_dbw_per_mhz"] + 6)
    assert loud.radio.downlink(500.0).cnr_db == pytest.approx(p.radio.downlink(500.0).cnr_db + 6)
    assert p.radio.losses.body_loss_db == 3.0
    assert "handset.body_loss_db" in {a.name for a in p.assumptions()}


@pytest.mark.parametrize("name", ["starlink-dtc", "ast-spacemobile", "messaging", "iris2"])
def test_every_parameter_names_its_source(name):
    p = load_provider(name)
    assert REQUIRED_SOURCES <= set(p.sources)
    assert all(isinstance(s, str) and len(s) > 5 for s in p.sources.values())
    assert ("constellation.walker" in p.sources) or ("constellation.tle_file" in p.sources)


def test_starlink_preset_matches_the_reference_figures():
    # FCC Order and Authorization on SpaceX SCS (26 Nov 2024): 340-360 km, PCS G Block
    # 1910-1915 / 1990-1995 MHz; REFERENCE: 53 deg class; handset 23 dBm PC3.
    p = load_provider("starlink-dtc")
    assert 340 <= p.altitude_km <= 370
    assert p.walker.inclination_deg == 53
    assert 600 <= p.walker.total_satellites <= 700
    assert p.band is BANDS["pcs-g"] and p.radio.channel_bandwidth_mhz == 5.0
    assert p.radio.downlink_frequency_mhz == pytest.approx(1992.5)
    assert p.radio.uplink_frequency_mhz == pytest.approx(1912.5)
    assert p.radio.ue_eirp_dbm == 23.0 and p.radio.ue_gt_db_per_k == -31.6
    assert p.inter_satellite_links and p.max_service == SERVICE_DATA


def test_other_presets():
    ast = load_provider("ast-spacemobile")
    assert 500 <= ast.altitude_km <= 540 and not ast.inter_satellite_links
    msg = load_provider("messaging")
    assert msg.services == ("sms",) and msg.max_service == SERVICE_SMS
    assert msg.band is BANDS["n255"] and 1300 <= msg.altitude_km <= 1500
    iris = load_provider("iris2")
    assert iris.altitude_km == 1200 and iris.inter_satellite_links


def test_preset_builds_its_constellation():
    p = load_provider("iris2")
    c = p.constellation(dt.datetime(2025, 1, 1))
    assert len(c) == 264
    assert c.ecef_km(dt.datetime(2025, 1, 1, 1)).shape == (264, 3)


def test_unknown_provider_lists_the_presets():
    with pytest.raises(ValueError, match="unknown provider 'nope'.*starlink-dtc"):
        load_provider("nope")


def test_from_walker_uses_generic_3gpp_parameters():
    # TR 38.821 Set-1: 34 dBW/MHz at LEO-600; the same ground flux at 1,200 km is the
    # TR's own LEO-1200 value, 40 dBW/MHz; beam ~50 km across at 600 km (Table 6.1.1.1-1).
    p600 = Provider.from_walker("53:100/10/1", 600.0)
    p1200 = Provider.from_walker("53:100/10/1", 1200.0)
    assert p600.radio.sat_eirp_density_dbw_per_mhz == pytest.approx(34.0)
    assert p1200.radio.sat_eirp_density_dbw_per_mhz == pytest.approx(40.0, abs=0.03)
    assert 2 * p600.beam_radius_km == pytest.approx(50.0, rel=0.1)
    assert p600.radio.sat_gt_db_per_k == 1.1 and p600.elevation_mask_deg == 10.0
    with pytest.raises(ValueError, match="multiple of planes"):
        Provider.from_walker("53:100/7/1", 600.0)


GOOD = textwrap.dedent(
    """\
    name: test-shell
    constellation:
      walker: {value: "53:24/4/1", source: "test"}
      altitude_km: {value: 550, source: "test"}
    band: {value: n256, source: "test"}
    satellite:
      eirp_density_dbw_per_mhz: {value: 34, source: "test"}
      gt_db_per_k: {value: 1.1, source: "test"}
      beams_per_satellite: {value: 8, source: "test"}
      beam_radius_km: {value: 20, source: "test"}
      channel_bandwidth_mhz: {value: 5, source: "test"}
      inter_satellite_links: {value: false, source: "test"}
    elevation_mask_deg: {value: 20, source: "test"}
    gateway_mask_deg: {value: 10, source: "test"}
    services: {value: [sms, voice], source: "test"}
    """
)


def test_user_file_loads(tmp_path):
    f = tmp_path / "mine.yaml"
    f.write_text(GOOD)
    p = load_provider(f)
    assert p.name == "test-shell" and p.beams_per_satellite == 8 and p.max_service == 2
    assert p.sources["handset.eirp_dbm"].startswith("3GPP TS 38.101-5")  # default with source


@pytest.mark.parametrize(
    "old, new, line, fragment",
    [
        ("beam_radius_km: {value: 20", "beam_radius_km: {value: -3", 10,
         "satellite.beam_radius_km.value: expected a number > 0, got -3"),
        ('gt_db_per_k: {value: 1.1, source: "test"}', "gt_db_per_k: {value: 1.1}", 8,
         "satellite.gt_db_per_k: expected a source: naming where the value comes from, or assumed:"),
        ('beams_per_satellite: {value: 8, source: "test"}',
         'beams_per_satellite: {value: 8, assumed: {low: 10, high: 20, why: "guess"}}', 9,
         "satellite.beams_per_satellite.assumed: expected low <= value <= high"),
        ("band: {value: n256", "band: {value: n999", 5, "band.value: expected one of n256, n255"),
        ("services: {value: [sms, voice]", "services: {value: [sms, fax]", 15, "services.value"),
        ("  walker: {value: \"53:24/4/1\"", "  walker: {value: \"53:24/5/1\"", 3, "multiple of planes"),
        ("elevation_mask_deg:", "elevation_mask: {value: 1, source: x}\nelevation_mask_deg:", 13,
         "elevation_mask: expected a known field"),
    ],
)
def test_bad_file_errors_name_file_line_and_field(tmp_path, old, new, line, fragment):
    assert old in GOOD
    f = tmp_path / "bad.yaml"
    f.write_text(GOOD.replace(old, new, 1))
    with pytest.raises(ValueError) as exc:
        load_provider(f)
    msg = str(exc.value)
    assert msg.startswith(f"{f}:{line}: "), msg
    assert fragment in msg


def test_tle_file_preset(tmp_path):
    (tmp_path / "one.tle").write_text(
        "SAT A\n"
        "1 00005U 58002B   00179.78495062  .00000023  00000-0  28098-4 0  4753\n"
        "2 00005  34.2682 348.7242 1859667 331.7664  19.3264 10.82419157413667\n"
    )
    text = GOOD.replace(
        '  walker: {value: "53:24/4/1", source: "test"}\n  altitude_km: {value: 550, source: "test"}\n',
        '  tle_file: {value: one.tle, source: "test"}\n',
    )
    f = tmp_path / "tle.yaml"
    f.write_text(text)
    p = load_provider(f)
    assert p.walker is None and p.tle_file == (tmp_path / "one.tle").resolve()
    c = p.constellation(None)
    assert c.names == ("SAT A",)
    assert math.isfinite(float(c.ecef_km(dt.datetime(2000, 6, 28))[0, 0]))
